// Runs across jobs (GET /runs): filters, keyset paging, cancel; refreshed while visible.

import { get, query } from '../api.js';
import { navigate } from '../router.js';
import { RunTable } from '../runlist.js';
import { Notice } from './jobs.js';
import { html, useState, usePoll, useCursor, useTick, ErrorBox, Field, Pager, STATUSES } from '../ui.js';

const KEYS = ['status', 'job_id', 'namespace', 'since', 'until'];

export function RunsPage({ params }) {
  const filters = Object.fromEntries(KEYS.map((k) => [k, params[k] || '']));
  const [draft, setDraft] = useState(filters);
  const [notice, setNotice] = useState(null);
  const deps = KEYS.map((k) => params[k]);
  const [cursor, pager] = useCursor(deps);
  useTick(10_000);
  const { data, error, reload } = usePoll(() => get(`/runs${query({ ...filters, limit: 50, cursor })}`), 3000, [...deps, cursor]);
  const set = (name, value) => setDraft({ ...draft, [name]: value });
  const apply = (e) => { e.preventDefault(); navigate('/runs', draft); };
  return html`<section data-test="page-runs">
    <h1>Runs</h1>
    <form class="filters" onSubmit=${apply}>
      <${Field} label="Status"><select value=${draft.status} onChange=${(e) => set('status', e.target.value)}>
        <option value="">any</option>${STATUSES.map((s) => html`<option value=${s}>${s}</option>`)}</select><//>
      <${Field} label="Job id" name="job_id" value=${draft.job_id} onInput=${set} />
      <${Field} label="Namespace" name="namespace" value=${draft.namespace} onInput=${set} />
      <${Field} label="Since (RFC 3339, UTC)" name="since" value=${draft.since} onInput=${set} placeholder="2026-12-01T00:00:00Z" />
      <${Field} label="Until" name="until" value=${draft.until} onInput=${set} />
      <button type="submit">Filter</button>
    </form>
    <p class="muted small">Each page looks at a bounded number of runs: a rare filter may give a short or empty page
      with a Next.</p>
    <${Notice} notice=${notice} />
    <${ErrorBox} error=${error} />
    ${data ? html`<${RunTable} runs=${data.items} showJob onDone=${(m, e) => { setNotice(e ? { error: e } : m); reload(); }} />
      <${Pager} pager=${pager} nextCursor=${data.next_cursor} />` : html`<p class="muted">Loading…</p>`}
  </section>`;
}
