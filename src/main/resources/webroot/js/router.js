// Hash routing: #/path?query. Filters live in the query, so a filtered list can be reloaded and linked.

import { useEffect, useState } from '../vendor/htm-preact-standalone.module.js';

export function current() {
  const raw = location.hash.replace(/^#/, '') || '/';
  const q = raw.indexOf('?');
  const path = q < 0 ? raw : raw.slice(0, q);
  const params = Object.fromEntries(new URLSearchParams(q < 0 ? '' : raw.slice(q + 1)));
  return { path, params, parts: path.split('/').filter(Boolean).map(decodeURIComponent) };
}

export function href(path, params = {}) {
  const q = new URLSearchParams();
  Object.entries(params).forEach(([k, v]) => { if (v !== undefined && v !== null && v !== '') q.set(k, v); });
  const s = q.toString();
  return `#${path}${s ? `?${s}` : ''}`;
}

export function navigate(path, params) {
  const next = href(path, params);
  if (location.hash !== next) location.hash = next;
}

export function useRoute() {
  const [route, setRoute] = useState(current());
  useEffect(() => {
    const on = () => setRoute(current());
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return route;
}
