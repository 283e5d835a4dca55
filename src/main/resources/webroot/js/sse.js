// Server-Sent Events over fetch(): EventSource cannot send the Authorization header, so the stream is read
// with a ReadableStream reader and parsed here as the HTML standard's event-stream format says (id:, event:,
// multi-line data:, comments; retry: is ignored, reconnects wait a fixed second). On a dropped connection it
// resumes after the last event id (Last-Event-ID).

import { authHeaders } from './api.js';

/** Splits a text stream into SSE events; feed() takes chunks, calls onEvent({id, event, data}) per event. */
export class SseParser {
  constructor(onEvent, onComment = () => {}) {
    this.onEvent = onEvent;
    this.onComment = onComment;
    this.buffer = '';
    this.lastEventId = null;
    this.reset();
  }

  reset() {
    this.event = '';
    this.data = [];
    this.id = undefined;
  }

  feed(chunk) {
    this.buffer += chunk;
    let nl;
    while ((nl = this.buffer.search(/\r\n|\r|\n/)) >= 0) {
      const line = this.buffer.slice(0, nl);
      const sep = this.buffer[nl] === '\r' && this.buffer[nl + 1] === '\n' ? 2 : 1;
      // a lone \r at the end may be the first half of \r\n: wait for more
      if (this.buffer[nl] === '\r' && nl + 1 === this.buffer.length) break;
      this.buffer = this.buffer.slice(nl + sep);
      this.line(line);
    }
  }

  line(line) {
    if (line === '') {
      if (this.id !== undefined) this.lastEventId = this.id;
      if (this.data.length) {
        this.onEvent({ id: this.id ?? this.lastEventId, event: this.event || 'message', data: this.data.join('\n') });
      }
      this.reset();
      return;
    }
    if (line.startsWith(':')) {
      this.onComment(line.slice(1).trimStart());
      return;
    }
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') this.data.push(value);
    else if (field === 'event') this.event = value;
    else if (field === 'id' && !value.includes('\0')) this.id = value;
  }
}

/**
 * Follows url until the server sends its 'end' event (resolves) or signal aborts. Network drops reconnect with
 * Last-Event-ID after a short pause; an HTTP error rejects (the caller shows it).
 */
export async function follow(url, { onEvent, onComment, signal, lastEventId = null, retryMs = 1000 }) {
  let last = lastEventId;
  for (;;) {
    const headers = { Accept: 'text/event-stream', ...authHeaders() };
    if (last !== null && last !== undefined) headers['Last-Event-ID'] = String(last);
    let resp;
    try {
      resp = await fetch(url, { headers, signal, cache: 'no-store' });
    } catch (err) {
      if (signal && signal.aborted) return;
      await pause(retryMs, signal);
      continue;
    }
    if (!resp.ok) {
      const err = new Error(`follow: HTTP ${resp.status}`);
      err.status = resp.status;
      throw err;
    }
    let ended = false;
    const parser = new SseParser((e) => {
      if (e.id !== null && e.id !== undefined) last = e.id;
      if (e.event === 'end') ended = true;
      onEvent(e);
    }, onComment);
    const reader = resp.body.pipeThrough(new TextDecoderStream()).getReader();
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        parser.feed(value);
      }
    } catch (err) {
      if (signal && signal.aborted) return;
    }
    // the server ends the stream with an 'end' event once the run ended and its lines were sent;
    // closed without one, the connection dropped: resume after the last id
    if (ended || (signal && signal.aborted)) return;
    await pause(retryMs, signal);
  }
}

function pause(ms, signal) {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    if (signal) signal.addEventListener('abort', () => { clearTimeout(t); resolve(); }, { once: true });
  });
}
