// One run: the attempt's details, its lineage (retry of, handler for, chained after, other attempts of the same
// fire), and its log: a live tail over SSE (fetch + our parser, so the token is sent) with a follow toggle,
// resumed after the last line seen, and "load older" for lines before the kept window.

import { enc, get, query } from '../api.js';
import * as actions from '../actions.js';
import { durationMs } from '../format.js';
import { follow } from '../sse.js';
import { Notice } from './jobs.js';
import {
  html, useEffect, useRef, useState, usePoll, useScope, useTick, ErrorBox, FINISHED, Status, Time,
} from '../ui.js';

const KEEP = 2000; // lines kept in the page; older ones come back with "load older"
const OLDER = 500;

function Lineage({ run, attempts }) {
  const c = run.context || {};
  const links = [];
  if (c.previous_run_id) links.push(html`<li>retry of <a href=${`#/runs/${c.previous_run_id}`}>${c.previous_run_id}</a></li>`);
  if (c.timed_out_run_id) {
    links.push(html`<li>timeout handler for <a href=${`#/runs/${c.timed_out_run_id}`}>${c.timed_out_run_id}</a>
      of <a href=${`#/jobs/${encodeURIComponent(c.timed_out_job_id)}`}>${c.timed_out_job_id}</a></li>`);
  }
  if (c.upstream_run_id) {
    links.push(html`<li>chained after <a href=${`#/runs/${c.upstream_run_id}`}>${c.upstream_run_id}</a>
      of <a href=${`#/jobs/${encodeURIComponent(c.upstream_job_id)}`}>${c.upstream_job_id}</a></li>`);
  }
  if (c.workers_lost) links.push(html`<li>${c.workers_lost} worker(s) lost during earlier attempts</li>`);
  const others = (attempts || []).filter((a) => a.id !== run.id);
  return html`<div class="card"><h2>Attempts and links</h2>
    ${links.length ? html`<ul>${links}</ul>` : html`<p class="muted">First attempt; not a handler or chained run.</p>`}
    ${others.length ? html`<h3>Attempts of this fire</h3><ol class="attempts" data-test="attempts">${(attempts || []).map((a) => html`<li>
      ${a.id === run.id ? html`<b>attempt ${a.attempt} (this run)</b>` : html`<a href=${`#/runs/${a.id}`}>attempt ${a.attempt}</a>`}
      · <${Status} status=${a.status} /> · ${a.worker || '—'} · ${durationMs(a.duration_ms)}</li>`)}</ol>` : ''}
  </div>`;
}

function Details({ run }) {
  const rows = [
    ['status', html`<${Status} status=${run.status} />${run.reason ? ` (${run.reason})` : ''}`],
    ['job', html`<a href=${`#/jobs/${encodeURIComponent(run.job_id)}`} data-test="run-job">${run.job_id}</a> (${run.namespace})`],
    ['attempt', run.attempt], ['trigger', run.trigger], ['claimed by (worker)', run.worker || '—'],
    ['resource class', run.resource_class], ['priority', run.priority],
  ];
  if (run.resources) {
    rows.push(['reserves', `cpu ${run.resources.cpu} · memory ${run.resources.memory_mb} MiB · gpu ${run.resources.gpu}`]);
  }
  const times = [['scheduled for', run.scheduled_for], ['due', run.due_at], ['enqueued', run.enqueued_at],
    ['started', run.started_at], ['finished', run.finished_at]];
  return html`<div class="card"><h2>Attempt</h2><table class="kv" data-test="run-details">
    ${rows.map(([k, v]) => html`<tr><th>${k}</th><td>${v}</td></tr>`)}
    ${times.map(([k, v]) => html`<tr><th>${k}</th><td><${Time} iso=${v} rel /></td></tr>`)}
    <tr><th>start lateness</th><td>${durationMs(run.lateness_ms)}</td></tr>
    <tr><th>duration</th><td>${durationMs(run.duration_ms)}</td></tr>
    <tr><th>exit code</th><td>${run.exit_code ?? '—'}</td></tr>
    ${run.lease_expires_at ? html`<tr><th>lease (renewed by the worker's heartbeat)</th><td data-test="run-lease">expires <${Time} iso=${run.lease_expires_at} rel /></td></tr>` : ''}
    ${run.tier ? html`<tr><th>tier</th><td>${run.tier}</td></tr>` : ''}
    ${run.waiting_for ? html`<tr><th>waiting for</th><td class="err" data-test="run-waiting-for">${run.waiting_for}</td></tr>` : ''}
  </table>${run.error ? html`<h3>Error</h3><pre class="err" data-test="run-error">${run.error}</pre>` : ''}</div>`;
}

// The notifications this run's final outcome owed (only runs whose job had notify rules for it have any):
// where each went, and how its delivery stands (retried with backoff until sent or given up).
function Notifications({ items }) {
  return html`<div class="card"><h2>Notifications</h2><table class="list" data-test="run-notifications"><thead><tr>
    <th>event</th><th>target</th><th>status</th><th>attempts</th><th>sent</th><th>last error</th></tr></thead>
    <tbody>${items.map((n) => html`<tr data-status=${n.status}><td>${n.event}</td><td><code>${n.target}</code></td>
      <td>${n.status}</td><td>${n.attempts}</td><td>${n.sent_at ? html`<${Time} iso=${n.sent_at} rel />` : '—'}</td>
      <td>${n.last_error || '—'}</td></tr>`)}</tbody></table></div>`;
}

function LogView({ runId }) {
  const [lines, setLines] = useState([]);
  const [following, setFollowing] = useState(true);
  const [state, setState] = useState('connecting');
  const [error, setError] = useState(null);
  const lastSeq = useRef(null);
  const box = useRef(null);

  useEffect(() => {
    if (!following) { setState('paused'); return undefined; }
    const abort = new AbortController();
    setState('live');
    follow(`/api/v1/runs/${enc(runId)}/logs/follow`, {
      signal: abort.signal,
      lastEventId: lastSeq.current,
      onEvent: (e) => {
        if (e.event === 'end') { setState('ended'); return; }
        if (e.event !== 'message') return;
        const line = JSON.parse(e.data);
        lastSeq.current = line.seq;
        setLines((old) => {
          const next = old.length && old[old.length - 1].seq >= line.seq ? old : [...old, line];
          return next.length > KEEP ? next.slice(next.length - KEEP) : next;
        });
      },
    }).then(() => { if (!abort.signal.aborted) setState('ended'); }, (err) => { setError(err); setState('error'); });
    return () => abort.abort();
  }, [runId, following]);

  useEffect(() => {
    if (following && box.current) box.current.scrollTop = box.current.scrollHeight;
  }, [lines, following]);

  const oldest = lines.length ? lines[0].seq : null;
  const loadOlder = async () => {
    const after = Math.max(0, oldest - 1 - OLDER);
    try {
      const page = await get(`/runs/${enc(runId)}/logs${query({ after_seq: after, limit: oldest - 1 - after })}`);
      setLines((old) => [...page.lines.filter((l) => l.seq < old[0].seq), ...old]);
    } catch (err) { setError(err); }
  };

  return html`<div class="card"><h2>Log <span class=${`live s-${state}`} data-test="log-state">${state}</span></h2>
    <div class="log-tools">
      <label><input type="checkbox" checked=${following} onChange=${(e) => setFollowing(e.target.checked)}
        data-test="follow" /> follow</label>
      ${oldest !== null && oldest > 1 ? html`<button type="button" onClick=${loadOlder} data-test="load-older">Load older</button>` : ''}
      <span class="muted small">${lines.length} line(s)</span>
    </div>
    <${ErrorBox} error=${error} />
    <pre class="log" ref=${box} data-test="log">${lines.map((l) => html`<div class=${`line ${l.stream}`} data-seq=${l.seq}
      ><span class="seq">${l.seq}</span><span class="ts" title=${l.ts}>${l.ts.slice(11, 23)}</span>${l.line}</div>`)}</pre>
  </div>`;
}

export function RunPage({ id }) {
  const scope = useScope();
  const [notice, setNotice] = useState(null);
  useTick(5000);
  const { data, error, reload } = usePoll(async () => {
    const run = await get(`/runs/${enc(id)}`);
    // the other attempts of this fire: same job, same scheduled_for
    const at = Date.parse(run.scheduled_for);
    const around = await get(`/jobs/${enc(run.job_id)}/runs${query({
      since: new Date(at).toISOString(), until: new Date(at + 1000).toISOString(), limit: 50,
    })}`).catch(() => ({ items: [] }));
    return { run, attempts: around.items.filter((r) => r.scheduled_for === run.scheduled_for).sort((a, b) => a.attempt - b.attempt) };
  }, 2000, [id]);
  if (error && !data) return html`<section><h1>Run ${id}</h1><${ErrorBox} error=${error} /></section>`;
  if (!data) return html`<p class="muted pad">Loading…</p>`;
  const { run } = data;
  const cancel = () => actions.cancelRun(run.id).then((m) => { setNotice(m); reload(); }, (e) => setNotice({ error: e }));
  return html`<section data-test="page-run" data-status=${run.status}>
    <p class="crumbs"><a href="#/runs">Runs</a> › <a href=${`#/jobs/${encodeURIComponent(run.job_id)}`}>${run.job_id}</a></p>
    <h1>Run <code>${run.id}</code> <${Status} status=${run.status} /></h1>
    ${scope.canWrite && !FINISHED.has(run.status) ? html`<button type="button" class="danger" data-test="cancel" onClick=${cancel}>Cancel run</button>` : ''}
    <${Notice} notice=${notice} />
    <div class="two"><${Details} run=${run} /><${Lineage} run=${run} attempts=${data.attempts} /></div>
    ${run.notifications ? html`<${Notifications} items=${run.notifications} />` : ''}
    <${LogView} runId=${run.id} />
  </section>`;
}
