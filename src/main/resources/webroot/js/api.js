// The REST client of the dashboard: every call carries the token kept in sessionStorage (Authorization: Bearer).
// A 401 asks for a token (the app listens for 'jobsched:auth'); errors carry API.md's error shape.

const TOKEN_KEY = 'jobsched.token';
const BASE = '/api/v1';

export class ApiError extends Error {
  constructor(status, body) {
    super((body && body.message) || `HTTP ${status}`);
    this.status = status;
    this.code = body && body.error;
    this.details = (body && body.details) || [];
  }
}

export function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function setToken(value) {
  if (value) sessionStorage.setItem(TOKEN_KEY, value.trim());
  else sessionStorage.removeItem(TOKEN_KEY);
}

export function authHeaders() {
  const t = token();
  return t ? { Authorization: `Bearer ${t}` } : {};
}

/** Query string from an object; empty, null and undefined values are left out. */
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) {
    if (v === undefined || v === null || v === '') continue;
    (Array.isArray(v) ? v : [v]).forEach((one) => q.append(k, one));
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

export async function api(path, { method = 'GET', body, signal } = {}) {
  const headers = { Accept: 'application/json', ...authHeaders() };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const resp = await fetch(BASE + path, {
    method, headers, signal, body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (resp.status === 204) return null;
  const text = await resp.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { json = null; }
  if (resp.status === 401) {
    window.dispatchEvent(new CustomEvent('jobsched:auth', { detail: json && json.message }));
  }
  if (!resp.ok) throw new ApiError(resp.status, json);
  return json;
}

export const get = (path, opts) => api(path, opts);
export const post = (path, body, opts) => api(path, { ...opts, method: 'POST', body });
export const del = (path, opts) => api(path, { ...opts, method: 'DELETE' });
export const enc = encodeURIComponent;
