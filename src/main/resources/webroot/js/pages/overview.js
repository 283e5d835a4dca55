// Overview: runs by status over the last hour and start lateness (GET /overview), queue depth per class,
// workers and their load (GET /workers), recent FAILED and TIMED_OUT runs (GET /runs?status=).

import { get, query } from '../api.js';
import { durationMs } from '../format.js';
import { LatenessChart, RunsByStatusChart } from '../charts.js';
import { html, usePoll, ErrorBox, Status, Time } from '../ui.js';

const optional = (promise) => promise.then((data) => ({ data }), (error) => ({ error }));

async function load() {
  const [overview, workers, failed, timedOut] = await Promise.all([
    optional(get('/overview')),
    optional(get('/workers')),
    optional(get(`/runs${query({ status: 'FAILED', limit: 10 })}`)),
    optional(get(`/runs${query({ status: 'TIMED_OUT', limit: 10 })}`)),
  ]);
  const bad = [...((failed.data && failed.data.items) || []), ...((timedOut.data && timedOut.data.items) || [])]
    .sort((a, b) => (a.scheduled_for < b.scheduled_for ? 1 : -1)).slice(0, 10);
  return { overview, workers, bad, badError: failed.error || timedOut.error };
}

function Totals({ minutes }) {
  const sum = (f) => minutes.reduce((a, m) => a + f(m), 0);
  const started = sum((m) => m.started || 0);
  const failed = sum((m) => (m.finished && (m.finished.FAILED || 0) + (m.finished.TIMED_OUT || 0)) || 0);
  const late = minutes.map((m) => m.lateness_p99_ms).filter((v) => v !== null && v !== undefined);
  return html`<div class="tiles">
    <div class="tile"><b data-test="started-hour">${started}</b><span>runs started, last hour</span></div>
    <div class="tile ${failed ? 'bad' : ''}"><b>${failed}</b><span>failed or timed out</span></div>
    <div class="tile"><b>${late.length ? `${Math.max(...late)} ms` : '—'}</b><span>worst minute's p99 lateness</span></div>
  </div>`;
}

function OverviewCharts({ result }) {
  if (result.error) {
    return html`<div class="card"><h2>Last hour</h2><p class="muted" data-test="overview-missing">Run statistics
      are not available from this node (GET /api/v1/overview: ${result.error.status || ''} ${result.error.message}).</p></div>`;
  }
  const o = result.data || {};
  const minutes = o.minutes || [];
  return html`<div class="card" data-test="overview-charts"><h2>Last ${o.window_minutes || 60} minutes</h2>
      <${Totals} minutes=${minutes} />
      <div class="two">
        <div><h3>Finished runs by status</h3><${RunsByStatusChart} minutes=${minutes} /></div>
        <div><h3>Start lateness</h3><${LatenessChart} minutes=${minutes} /></div>
      </div></div>
    <div class="card"><h2>Queues</h2>${(o.queues || []).length === 0 ? html`<p class="muted">No queued runs.</p>`
      : html`<table data-test="queues"><thead><tr><th>class</th><th>ready</th><th>delayed</th></tr></thead><tbody>
        ${o.queues.map((q) => html`<tr><td>${q.class}</td><td class="num">${q.ready}</td><td class="num">${q.delayed}</td></tr>`)}
      </tbody></table>`}</div>`;
}

function Workers({ result }) {
  if (result.error) return html`<div class="card"><h2>Workers</h2><${ErrorBox} error=${result.error} /></div>`;
  const items = (result.data && result.data.items) || [];
  return html`<div class="card"><h2>Workers (${items.length})</h2>
    ${items.length === 0 ? html`<p class="muted">No live worker.</p>` : html`<table data-test="workers">
      <thead><tr><th>worker</th><th>node</th><th>load per class</th><th>task kinds</th><th>last heartbeat</th></tr></thead>
      <tbody>${items.map((w) => html`<tr>
        <td>${w.id}</td><td>${w.node}</td>
        <td>${Object.entries(w.resources || {}).map(([cls, u]) => html`<div class="load">
          <span>${cls}</span><progress max=${u.capacity} value=${u.in_use}></progress>
          <span class="num">${u.in_use}/${u.capacity}</span></div>`)}
          ${['cpu', 'memory_mb', 'gpu'].filter((r) => w[r] && w[r].total > 0).map((r) => html`<div class="load" data-test="worker-size">
          <span>${r}</span><progress max=${w[r].total} value=${w[r].used}></progress>
          <span class="num">${w[r].used}/${w[r].total}</span></div>`)}</td>
        <td>${(w.task_kinds || []).join(', ')}</td><td><${Time} iso=${w.last_heartbeat} rel /></td></tr>`)}
      </tbody></table>`}</div>`;
}

export function OverviewPage() {
  const { data, error } = usePoll(load, 5000, []);
  if (error) return html`<${ErrorBox} error=${error} />`;
  if (!data) return html`<p class="muted pad">Loading…</p>`;
  return html`<section data-test="page-overview">
    <h1>Overview</h1>
    <${OverviewCharts} result=${data.overview} />
    <${Workers} result=${data.workers} />
    <div class="card"><h2>Recent failures</h2><${ErrorBox} error=${data.badError} />
      ${data.bad.length === 0 ? html`<p class="muted" data-test="no-failures">No failed or timed-out runs.</p>`
        : html`<table data-test="failures"><thead><tr><th>run</th><th>job</th><th>status</th><th>scheduled for</th>
          <th>duration</th><th>error</th></tr></thead><tbody>${data.bad.map((r) => html`<tr>
          <td><a href=${`#/runs/${r.id}`}>${r.id.slice(0, 8)}…</a></td><td><a href=${`#/jobs/${encodeURIComponent(r.job_id)}`}>${r.job_id}</a></td>
          <td><${Status} status=${r.status} /></td><td><${Time} iso=${r.scheduled_for} rel /></td>
          <td>${durationMs(r.duration_ms)}</td><td class="clip">${r.error || r.reason || ''}</td></tr>`)}</tbody></table>`}
    </div>
  </section>`;
}
