// Formatting: times in UTC and in the browser's zone (named), relative times, durations, schedules in words.

export const LOCAL_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone || 'local';

const pad = (n, w = 2) => String(n).padStart(w, '0');

/** "2026-12-02 01:00:05 UTC" */
export function utc(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} `
    + `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} UTC`;
}

/** "2026-12-02 02:00:05 Europe/Berlin" (the browser's zone) */
export function local(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} `
    + `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())} ${LOCAL_ZONE}`;
}

/** "in 5 min", "3 s ago" */
export function relative(iso, now = Date.now()) {
  if (!iso) return '';
  const ms = new Date(iso).getTime() - now;
  const abs = Math.abs(ms);
  let text;
  if (abs < 1000) return 'now';
  if (abs < 60_000) text = `${Math.round(abs / 1000)} s`;
  else if (abs < 3_600_000) text = `${Math.round(abs / 60_000)} min`;
  else if (abs < 86_400_000) text = `${(abs / 3_600_000).toFixed(1)} h`;
  else text = `${(abs / 86_400_000).toFixed(1)} d`;
  return ms > 0 ? `in ${text}` : `${text} ago`;
}

export function durationMs(ms) {
  if (ms === null || ms === undefined) return '—';
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 3_600_000) return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}

/** ISO-8601 duration (PT30S, PT1H30M, P1D) in words. */
export function isoDuration(text) {
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(text || '');
  if (!m) return text || '';
  const parts = [];
  const unit = (n, one) => { if (n && Number(n) !== 0) parts.push(`${Number(n)} ${one}${Number(n) === 1 ? '' : 's'}`); };
  unit(m[1], 'day'); unit(m[2], 'hour'); unit(m[3], 'minute'); unit(m[4], 'second');
  return parts.join(' ') || '0 seconds';
}

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

function cronTime(sec, min, hour) {
  if (/^\d+$/.test(min) && /^\d+$/.test(hour)) {
    return `at ${pad(hour)}:${pad(min)}${sec && sec !== '0' && /^\d+$/.test(sec) ? `:${pad(sec)}` : ''}`;
  }
  if (min.startsWith('*/') && hour === '*') return `every ${min.slice(2)} minutes`;
  if (min === '*' && hour === '*') return sec && sec.startsWith('*/') ? `every ${sec.slice(2)} seconds` : 'every minute';
  if (/^\d+$/.test(min) && hour === '*') return `at minute ${min} of every hour`;
  if (/^\d+$/.test(min) && hour.startsWith('*/')) return `at minute ${min} of every ${hour.slice(2)} hours`;
  return null;
}

/** A cron expression in words where the common shapes allow; null when it is better read raw. */
export function cronWords(expression) {
  const f = (expression || '').trim().split(/\s+/);
  if (f.length !== 5 && f.length !== 6) return null;
  const [sec, min, hour, dom, mon, dow] = f.length === 6 ? f : ['0', ...f];
  if (f.length === 6 && sec.startsWith('*/') && min === '*' && hour === '*' && dom === '*' && mon === '*'
    && (dow === '*' || dow === '?')) {
    return `every ${sec.slice(2)} seconds`;
  }
  const time = cronTime(sec, min, hour);
  if (!time) return null;
  const anyDom = dom === '*' || dom === '?';
  const anyDow = dow === '*' || dow === '?';
  if (mon !== '*') return null;
  if (anyDom && anyDow) return time.startsWith('every') || time.startsWith('at minute') ? time : `daily ${time}`;
  if (anyDom && /^[0-6]$/.test(dow)) return `every ${DAYS[Number(dow)]} ${time}`;
  if (anyDom && (dow === '1-5' || dow.toUpperCase() === 'MON-FRI')) return `weekdays ${time}`;
  if (/^\d+$/.test(dom) && anyDow) return `on day ${dom} of every month ${time}`;
  return null;
}

/** {words, raw, zone} of a job's schedule. */
export function schedule(s) {
  if (!s) return { words: '', raw: '', zone: '' };
  switch (s.type) {
    case 'cron':
      return { words: cronWords(s.expression) || 'cron', raw: s.expression, zone: s.timezone || 'UTC' };
    case 'every':
      return { words: `every ${isoDuration(s.interval)}`, raw: `every ${s.interval}`, zone: 'UTC' };
    case 'at':
      return { words: 'once, at a set time', raw: `at ${s.at}`, zone: 'UTC' };
    case 'once':
      return { words: 'once, now', raw: 'once', zone: '' };
    case 'after':
      return { words: `after each ${s.on || 'success'} of ${s.job_id}`, raw: `after ${s.job_id} on ${s.on || 'success'}`, zone: '' };
    default:
      return { words: s.type, raw: JSON.stringify(s), zone: '' };
  }
}

/** Splits an Elasticsearch highlight ("a <em>word</em> b") into [{text, hit}] to render as text, never as HTML. */
export function highlightParts(fragment) {
  const parts = [];
  const re = /<em>(.*?)<\/em>/gs;
  let at = 0;
  let m;
  while ((m = re.exec(fragment)) !== null) {
    if (m.index > at) parts.push({ text: fragment.slice(at, m.index), hit: false });
    parts.push({ text: m[1], hit: true });
    at = m.index + m[0].length;
  }
  if (at < fragment.length) parts.push({ text: fragment.slice(at), hit: false });
  return parts;
}
