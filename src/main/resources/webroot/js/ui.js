// Shared pieces of the pages: the html tag, live polling, the caller's scope, times, statuses, paging.

import { html, createContext, useContext, useEffect, useRef, useState, useCallback } from '../vendor/htm-preact-standalone.module.js';
import { utc, local, relative } from './format.js';

export { html, useEffect, useRef, useState, useCallback, useContext };

/** {scope, name, namespaces} of the token in use (GET /whoami); write buttons show only when canWrite. */
export const Scope = createContext({ scope: 'read', canWrite: false });
export const useScope = () => useContext(Scope);

/**
 * Loads with `loader(signal)` now, whenever deps change, and every `everyMs` while the tab is visible
 * (document.visibilityState); a hidden tab stops polling and refreshes at once when shown again.
 * Returns {data, error, loading, reload}; an older answer never overwrites a newer one.
 */
export function usePoll(loader, everyMs, deps) {
  const [state, setState] = useState({ data: null, error: null, loading: true });
  const generation = useRef(0);
  const loaderRef = useRef(loader);
  loaderRef.current = loader;

  const reload = useCallback(async () => {
    const mine = ++generation.current;
    try {
      const data = await loaderRef.current();
      if (mine === generation.current) setState({ data, error: null, loading: false });
    } catch (error) {
      if (mine === generation.current) setState((s) => ({ data: s.data, error, loading: false }));
    }
  }, []);

  useEffect(() => {
    setState({ data: null, error: null, loading: true });
    reload();
    let timer = null;
    const start = () => {
      if (everyMs && timer === null && document.visibilityState === 'visible') {
        timer = setInterval(reload, everyMs);
      }
    };
    const stop = () => { if (timer !== null) { clearInterval(timer); timer = null; } };
    const onVisibility = () => {
      if (document.visibilityState === 'visible') { reload(); start(); } else stop();
    };
    start();
    document.addEventListener('visibilitychange', onVisibility);
    return () => { stop(); generation.current++; document.removeEventListener('visibilitychange', onVisibility); };
  }, deps);

  return { ...state, reload };
}

/** Re-renders every `ms` (relative times stay current). */
export function useTick(ms) {
  const [, set] = useState(0);
  useEffect(() => { const t = setInterval(() => set((n) => n + 1), ms); return () => clearInterval(t); }, [ms]);
}

/** A time in UTC with the local time (zone named) below; `rel` adds "in 5 min" / "3 s ago". */
export function Time({ iso, rel }) {
  if (!iso) return html`<span class="muted">—</span>`;
  return html`<span class="time"><span class="utc">${utc(iso)}</span>
    <span class="local">${local(iso)}${rel ? html` · <span class="rel">${relative(iso)}</span>` : ''}</span></span>`;
}

export function Status({ status }) {
  return html`<span class=${`status s-${(status || 'none').toLowerCase()}`} data-test="status">${status || '—'}</span>`;
}

/** The last runs as small squares, oldest left; each links to its run. */
export function Strip({ runs }) {
  const list = (runs || []).slice().reverse();
  if (!list.length) return html`<span class="muted small">no runs yet</span>`;
  return html`<span class="strip" data-test="strip">${list.map((r) => html`<a
      class=${`cell s-${r.status.toLowerCase()}`} href=${`#/runs/${r.id}`}
      title=${`${r.status} · ${utc(r.scheduled_for)} · attempt ${r.attempt}`}></a>`)}</span>`;
}

export function ErrorBox({ error }) {
  if (!error) return null;
  return html`<div class="error" role="alert" data-test="error">${error.status ? `${error.status} ` : ''}${error.message}</div>`;
}

/**
 * Cursor paging: a stack of the cursors that opened each page, so Previous works on a forward-only cursor.
 * Returns [cursor, pager props].
 */
export function useCursor(resetDeps) {
  const [stack, setStack] = useState([null]);
  useEffect(() => setStack([null]), resetDeps);
  const cursor = stack[stack.length - 1];
  return [cursor, {
    page: stack.length,
    prev: stack.length > 1 ? () => setStack(stack.slice(0, -1)) : null,
    next: (nextCursor) => (nextCursor ? () => setStack([...stack, nextCursor]) : null),
  }];
}

export function Pager({ pager, nextCursor }) {
  const next = pager.next(nextCursor);
  return html`<div class="pager">
    <button type="button" disabled=${!pager.prev} onClick=${pager.prev}>‹ Previous</button>
    <span class="muted">page ${pager.page}</span>
    <button type="button" disabled=${!next} onClick=${next} data-test="next-page">Next ›</button>
  </div>`;
}

/** A button that asks once more in place before doing something that cannot be undone. */
export function ConfirmButton({ label, confirmLabel, onConfirm, test }) {
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return html`<button type="button" class="danger" data-test=${test} onClick=${() => setAsking(true)}>${label}</button>`;
  }
  return html`<span class="confirm">
    <button type="button" class="danger" data-test=${`${test}-confirm`}
      onClick=${() => { setAsking(false); onConfirm(); }}>${confirmLabel}</button>
    <button type="button" onClick=${() => setAsking(false)}>Cancel</button></span>`;
}

/** Form state bound to the route's query (filters survive reloads and can be linked). */
export function Field({ label, name, value, onInput, placeholder, type = 'text', children }) {
  return html`<label class="field"><span>${label}</span>${children || html`<input type=${type} name=${name}
    value=${value || ''} placeholder=${placeholder || ''} onInput=${(e) => onInput(name, e.target.value)} />`}</label>`;
}

export const STATUSES = ['PENDING', 'RUNNING', 'SUCCESS', 'FAILED', 'TIMED_OUT', 'CANCELLED', 'SKIPPED'];
export const FINISHED = new Set(['SUCCESS', 'FAILED', 'TIMED_OUT', 'CANCELLED', 'SKIPPED']);
