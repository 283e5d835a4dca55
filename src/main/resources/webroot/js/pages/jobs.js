// Jobs: filters (namespace, label, paused, text), schedule in words and raw, zone, next fire, the strip of the
// last 30 runs (one request: ?include=recent_runs); Run now, pause/resume, delete with confirmation.

import { get, query } from '../api.js';
import * as actions from '../actions.js';
import { schedule } from '../format.js';
import { navigate } from '../router.js';
import {
  html, useState, usePoll, useCursor, useScope, useTick, ConfirmButton, ErrorBox, Field, Pager, Strip, Time,
} from '../ui.js';

const FILTERS = ['namespace', 'label', 'paused', 'q'];

export function JobActions({ job, onDone, compact }) {
  const scope = useScope();
  if (!scope.canWrite) return null;
  const act = (fn) => () => fn().then((m) => onDone(m, null), (e) => onDone(null, e));
  return html`<span class="actions">
    <button type="button" data-test="run-now" onClick=${act(() => actions.runNow(job.id))}>Run now</button>
    ${job.paused
      ? html`<button type="button" data-test="resume" onClick=${act(() => actions.setPaused(job.id, false))}>Resume</button>`
      : html`<button type="button" data-test="pause" onClick=${act(() => actions.setPaused(job.id, true))}>Pause</button>`}
    <${ConfirmButton} label=${compact ? 'Delete' : 'Delete job'} confirmLabel=${`Delete ${job.id}?`} test="delete"
      onConfirm=${act(() => actions.deleteJob(job.id))} />
  </span>`;
}

export function Notice({ notice }) {
  if (!notice) return null;
  if (notice.error) return html`<${ErrorBox} error=${notice.error} />`;
  return html`<div class="notice" data-test="notice">${notice.text}
    ${notice.runId ? html` · <a href=${`#/runs/${notice.runId}`} data-test="notice-run">open the run</a>` : ''}</div>`;
}

export function JobsPage({ params }) {
  const filters = Object.fromEntries(FILTERS.map((k) => [k, params[k] || '']));
  const [draft, setDraft] = useState(filters);
  const [cursor, pager] = useCursor([params.namespace, params.label, params.paused, params.q]);
  const [notice, setNotice] = useState(null);
  useTick(10_000);
  const { data, error, reload } = usePoll(
    () => get(`/jobs${query({ ...filters, include: 'recent_runs', limit: 50, cursor })}`),
    5000, [params.namespace, params.label, params.paused, params.q, cursor],
  );
  const set = (name, value) => setDraft({ ...draft, [name]: value });
  const apply = (e) => { e.preventDefault(); navigate('/jobs', draft); };
  const done = (message, err) => { setNotice(err ? { error: err } : message); reload(); };

  return html`<section data-test="page-jobs">
    <h1>Jobs</h1>
    <form class="filters" onSubmit=${apply}>
      <${Field} label="Text (id or name)" name="q" value=${draft.q} onInput=${set} placeholder="nightly" />
      <${Field} label="Namespace" name="namespace" value=${draft.namespace} onInput=${set} placeholder="default" />
      <${Field} label="Label" name="label" value=${draft.label} onInput=${set} placeholder="team:billing" />
      <${Field} label="Paused"><select name="paused" value=${draft.paused} onChange=${(e) => set('paused', e.target.value)}>
        <option value="">any</option><option value="true">paused</option><option value="false">active</option></select><//>
      <button type="submit" data-test="apply">Filter</button>
    </form>
    <${Notice} notice=${notice} />
    <${ErrorBox} error=${error} />
    ${!data ? html`<p class="muted">Loading…</p>` : data.items.length === 0 ? html`<p class="muted" data-test="empty">No jobs match.</p>`
      : html`<table class="list" data-test="jobs-table"><thead><tr><th>job</th><th>namespace</th><th>schedule</th>
        <th>zone</th><th>next fire</th><th>last 30 runs</th><th></th></tr></thead><tbody>
        ${data.items.map((job) => {
          const s = schedule(job.schedule);
          return html`<tr data-test="job-row" data-job=${job.id} class=${job.paused ? 'paused' : ''}>
            <td><a href=${`#/jobs/${encodeURIComponent(job.id)}`} data-test="job-link">${job.id}</a>
              ${job.name && job.name !== job.id ? html`<div class="muted small">${job.name}</div>` : ''}
              ${job.paused ? html`<span class="tag" data-test="paused">paused</span>` : ''}</td>
            <td>${job.namespace}</td>
            <td>${s.words}<div><code class="small">${s.raw}</code></div></td>
            <td>${s.zone}</td>
            <td data-test="next-fire">${job.paused ? html`<span class="muted">paused</span>` : html`<${Time} iso=${job.next_fire_at} rel />`}</td>
            <td><${Strip} runs=${job.recent_runs} /></td>
            <td><${JobActions} job=${job} onDone=${done} compact /></td></tr>`;
        })}</tbody></table>`}
    ${data ? html`<${Pager} pager=${pager} nextCursor=${data.next_cursor} />` : ''}
  </section>`;
}
