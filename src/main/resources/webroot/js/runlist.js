// The table of runs shared by the Job page (a job's history) and the Runs page (across jobs).

import * as actions from './actions.js';
import { durationMs } from './format.js';
import { html, useScope, FINISHED, Status, Time } from './ui.js';

export function RunTable({ runs, showJob, onDone }) {
  const scope = useScope();
  if (!runs.length) return html`<p class="muted" data-test="no-runs">No runs match.</p>`;
  const cancel = (id) => () => actions.cancelRun(id).then((m) => onDone(m, null), (e) => onDone(null, e));
  return html`<table class="list" data-test="runs-table"><thead><tr><th>run</th>${showJob ? html`<th>job</th>` : ''}
    <th>status</th><th>scheduled for</th><th>attempt</th><th>trigger</th><th>worker</th><th>lateness</th>
    <th>duration</th><th></th></tr></thead><tbody>
    ${runs.map((r) => html`<tr data-test="run-row" data-run=${r.id} data-status=${r.status}>
      <td><a href=${`#/runs/${r.id}`} data-test="run-link">${r.id.slice(0, 8)}…</a></td>
      ${showJob ? html`<td><a href=${`#/jobs/${encodeURIComponent(r.job_id)}`}>${r.job_id}</a></td>` : ''}
      <td><${Status} status=${r.status} />${r.reason ? html`<div class="muted small">${r.reason}</div>` : ''}</td>
      <td><${Time} iso=${r.scheduled_for} rel /></td><td class="num">${r.attempt}</td><td>${r.trigger}</td>
      <td class="small">${r.worker || '—'}</td><td class="num">${durationMs(r.lateness_ms)}</td>
      <td class="num">${durationMs(r.duration_ms)}</td>
      <td>${scope.canWrite && !FINISHED.has(r.status)
        ? html`<button type="button" class="danger" data-test="cancel" onClick=${cancel(r.id)}>Cancel</button>` : ''}</td>
    </tr>`)}</tbody></table>`;
}
