// Log search (GET /logs/search): full text over every run's output, newest first, matches highlighted (rendered
// as text: the highlight markers are split out here, never parsed as HTML), each hit linking to its run.

import { get, query } from '../api.js';
import { highlightParts } from '../format.js';
import { navigate } from '../router.js';
import { html, useEffect, useState, ErrorBox, Field, Time } from '../ui.js';

function Highlighted({ hit }) {
  const fragments = hit.highlights && hit.highlights.length ? hit.highlights : null;
  if (!fragments) return html`<span>${hit.line}</span>`;
  return html`${fragments.map((f, i) => html`${i ? html`<span class="muted"> … </span>` : ''}${highlightParts(f).map((p) => (p.hit
    ? html`<mark data-test="hit">${p.text}</mark>` : p.text))}`)}`;
}

export function LogsPage({ params }) {
  const [draft, setDraft] = useState({ q: params.q || '', job_id: params.job_id || '', stream: params.stream || '' });
  const [pages, setPages] = useState([]);
  const [next, setNext] = useState(null);
  const [error, setError] = useState(null);
  const [loading, setLoading] = useState(false);
  const filters = { q: params.q, job_id: params.job_id, stream: params.stream };

  const fetchPage = async (cursor) => {
    setLoading(true);
    try {
      const page = await get(`/logs/search${query({ ...filters, limit: 50, cursor })}`);
      setPages((old) => (cursor ? [...old, ...page.items] : page.items));
      setNext(page.next_cursor);
      setError(null);
    } catch (err) { setError(err); }
    setLoading(false);
  };
  useEffect(() => {
    setPages([]); setNext(null);
    if (params.q) fetchPage(null);
  }, [params.q, params.job_id, params.stream]);

  const set = (name, value) => setDraft({ ...draft, [name]: value });
  const apply = (e) => { e.preventDefault(); navigate('/logs', draft); };
  return html`<section data-test="page-logs">
    <h1>Logs</h1>
    <form class="filters" onSubmit=${apply}>
      <${Field} label="Search" name="q" value=${draft.q} onInput=${set} placeholder="error OR timeout" />
      <${Field} label="Job id" name="job_id" value=${draft.job_id} onInput=${set} />
      <${Field} label="Stream"><select value=${draft.stream} onChange=${(e) => set('stream', e.target.value)}>
        <option value="">both</option><option value="stdout">stdout</option><option value="stderr">stderr</option></select><//>
      <button type="submit" data-test="search">Search</button>
    </form>
    <${ErrorBox} error=${error} />
    ${!params.q ? html`<p class="muted">Search the output of every run (newest first).</p>`
      : loading && !pages.length ? html`<p class="muted">Searching…</p>`
        : !pages.length ? html`<p class="muted" data-test="no-hits">No lines match.</p>`
          : html`<table class="list hits" data-test="hits"><thead><tr><th>time</th><th>run</th><th>job</th><th>stream</th>
            <th>line</th></tr></thead><tbody>${pages.map((h) => html`<tr data-test="hit-row">
              <td><${Time} iso=${h.ts} /></td>
              <td><a href=${`#/runs/${h.run_id}`} data-test="hit-run">${h.run_id.slice(0, 8)}…</a> <span class="muted small">#${h.seq}</span></td>
              <td><a href=${`#/jobs/${encodeURIComponent(h.job_id)}`}>${h.job_id}</a></td><td>${h.stream}</td>
              <td class="logline"><${Highlighted} hit=${h} /></td></tr>`)}</tbody></table>
            ${next ? html`<button type="button" onClick=${() => fetchPage(next)} disabled=${loading}>More results</button>` : ''}`}
  </section>`;
}
