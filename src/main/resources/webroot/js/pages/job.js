// One job: its definition, next 5 fires (the scheduler's own computation), history with filters and paging,
// and its versions (who changed what, when) with a rollback for write tokens.

import * as actions from '../actions.js';
import { enc, get, query } from '../api.js';
import { isoDuration, schedule } from '../format.js';
import { navigate } from '../router.js';
import { RunTable } from '../runlist.js';
import { JobActions, Notice } from './jobs.js';
import {
  html, useState, usePoll, useCursor, useScope, useTick, ConfirmButton, ErrorBox, Field, Pager, STATUSES, Time,
} from '../ui.js';

function Definition({ job }) {
  const s = schedule(job.schedule);
  const rows = [
    ['namespace', job.namespace], ['name', job.name],
    ['labels', Object.entries(job.labels || {}).map(([k, v]) => `${k}:${v}`).join(', ') || '—'],
    ['schedule', html`${s.words} <code>${s.raw}</code>${s.zone ? ` (${s.zone})` : ''}`],
    ['task', html`<code>${job.task.type}</code> ${job.task.command ? html`<code>${job.task.command.join(' ')}</code>`
      : job.task.url ? html`<code>${job.task.method || 'GET'} ${job.task.url}</code>` : ''}`],
    ['resource class', (job.resources && job.resources.class) || 'default'],
    ['timeout', job.timeout ? `${isoDuration(job.timeout)} (${job.timeout}), then ${job.on_timeout ? job.on_timeout.action : 'fail'}` : '—'],
    ['retry', !job.retry || job.retry.max_attempts <= 1 ? 'no retry'
      : `up to ${job.retry.max_attempts} attempts, backoff from ${isoDuration(job.retry.initial_delay)} ×${job.retry.multiplier}`],
    ['overlap', job.overlap], ['priority', job.priority], ['version', job.version],
    ['paused', job.paused ? 'yes' : 'no'],
  ];
  return html`<div class="card"><h2>Definition</h2><table class="kv">${rows.map(([k, v]) => html`<tr><th>${k}</th><td>${v}</td></tr>`)}
    <tr><th>created</th><td><${Time} iso=${job.created_at} /></td></tr>
    <tr><th>updated</th><td><${Time} iso=${job.updated_at} /></td></tr></table>
    <details><summary>JSON</summary><pre class="json">${JSON.stringify(job, null, 2)}</pre></details></div>`;
}

function History({ jobId, params, onDone, refreshKey }) {
  const filters = { status: params.status || '', since: params.since || '', until: params.until || '' };
  const [draft, setDraft] = useState(filters);
  const [cursor, pager] = useCursor([jobId, params.status, params.since, params.until]);
  const { data, error, reload } = usePoll(
    () => get(`/jobs/${enc(jobId)}/runs${query({ ...filters, limit: 20, cursor })}`),
    3000, [jobId, params.status, params.since, params.until, cursor, refreshKey],
  );
  const set = (name, value) => setDraft({ ...draft, [name]: value });
  const apply = (e) => { e.preventDefault(); navigate(`/jobs/${encodeURIComponent(jobId)}`, draft); };
  return html`<div class="card"><h2>History</h2>
    <form class="filters" onSubmit=${apply}>
      <${Field} label="Status"><select value=${draft.status} onChange=${(e) => set('status', e.target.value)}>
        <option value="">any</option>${STATUSES.map((s) => html`<option value=${s}>${s}</option>`)}</select><//>
      <${Field} label="Since (RFC 3339, UTC)" name="since" value=${draft.since} onInput=${set} placeholder="2026-12-01T00:00:00Z" />
      <${Field} label="Until" name="until" value=${draft.until} onInput=${set} placeholder="2026-12-02T00:00:00Z" />
      <button type="submit">Filter</button>
    </form>
    <${ErrorBox} error=${error} />
    ${data ? html`<${RunTable} runs=${data.items} onDone=${(m, e) => { onDone(m, e); reload(); }} />
      <${Pager} pager=${pager} nextCursor=${data.next_cursor} />` : html`<p class="muted">Loading…</p>`}
  </div>`;
}

/** The recorded versions, newest first; a write token may restore any that is not the current one or a delete. */
function Versions({ job, onDone, refreshKey }) {
  const scope = useScope();
  const [cursor, pager] = useCursor([job.id]);
  const { data, error } = usePoll(
    () => get(`/jobs/${enc(job.id)}/versions${query({ limit: 10, cursor })}`),
    5000, [job.id, cursor, refreshKey],
  );
  // onDone reloads the page's parts (this list included, by refreshKey)
  const restore = (version) => actions.rollback(job.id, version).then((m) => onDone(m, null), (e) => onDone(null, e));
  return html`<div class="card" data-test="versions"><h2>Versions</h2>
    <${ErrorBox} error=${error} />
    ${!data ? html`<p class="muted">Loading…</p>` : html`<table class="list versions"><thead><tr>
      <th>version</th><th>change</th><th>by</th><th>when</th><th>changed fields</th><th></th></tr></thead>
      <tbody>${data.items.map((v) => html`<tr data-test="version-row" data-version=${v.version}>
        <td>${v.version}</td>
        <td data-test="version-change">${v.change}${v.restored_from ? ` of version ${v.restored_from}` : ''}</td>
        <td data-test="version-by">${v.changed_by || '—'}</td>
        <td><${Time} iso=${v.changed_at} /></td>
        <td data-test="version-fields">${v.changed_fields.join(', ') || '—'}</td>
        <td>${scope.canWrite && v.change !== 'delete' && v.version !== job.version
          ? html`<${ConfirmButton} label="Rollback" confirmLabel=${`Restore version ${v.version}?`} test="rollback"
              onConfirm=${() => restore(v.version)} />` : ''}</td></tr>`)}</tbody></table>
      <${Pager} pager=${pager} nextCursor=${data.next_cursor} />`}
  </div>`;
}

export function JobPage({ id, params }) {
  const [notice, setNotice] = useState(null);
  const [refreshKey, setRefreshKey] = useState(0);
  useTick(10_000);
  const { data, error, reload } = usePoll(async () => {
    const [job, fires] = await Promise.all([get(`/jobs/${enc(id)}`), get(`/jobs/${enc(id)}/next-fires?n=5`)]);
    return { job, fires: fires.items };
  }, 5000, [id]);
  const done = (m, e) => {
    if (m && m.deleted) { navigate('/jobs'); return; }
    setNotice(e ? { error: e } : m); reload(); setRefreshKey((k) => k + 1);
  };
  if (error && !data) return html`<section><h1>Job ${id}</h1><${ErrorBox} error=${error} /><p><a href="#/jobs">All jobs</a></p></section>`;
  if (!data) return html`<p class="muted pad">Loading…</p>`;
  const { job, fires } = data;
  return html`<section data-test="page-job">
    <p class="crumbs"><a href="#/jobs">Jobs</a> › ${job.namespace}</p>
    <h1>${job.id} ${job.paused ? html`<span class="tag" data-test="paused">paused</span>` : ''}</h1>
    <${JobActions} job=${job} onDone=${done} />
    <${Notice} notice=${notice} />
    <div class="two">
      <${Definition} job=${job} />
      <div class="card"><h2>Next fires</h2>${fires.length === 0 ? html`<p class="muted">${job.paused ? 'Paused.' : 'None scheduled.'}</p>`
        : html`<ol class="fires" data-test="next-fires">${fires.map((f) => html`<li><${Time} iso=${f} rel /></li>`)}</ol>`}
        ${job.last_run ? html`<h3>Last run</h3><p><a href=${`#/runs/${job.last_run.id}`}>${job.last_run.status}</a>
          · <${Time} iso=${job.last_run.scheduled_for} rel /></p>` : ''}</div>
    </div>
    <${History} jobId=${id} params=${params} onDone=${done} refreshKey=${refreshKey} />
    <${Versions} job=${job} onDone=${done} refreshKey=${refreshKey} />
  </section>`;
}
