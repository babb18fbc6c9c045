// api.js — the JSON API: bearer token from sessionStorage, errors as ApiError.

const KEY = 'fanzha.token';

export function token() { return sessionStorage.getItem(KEY) || ''; }
export function setToken(t) { sessionStorage.setItem(KEY, t); }
export function clearToken() { sessionStorage.removeItem(KEY); meOf = null; }

export class ApiError extends Error {
  constructor(status, body) {
    const e = (body && body.error) || {};
    super(e.message || `HTTP ${status}`);
    this.status = e.status || status;
    this.code = e.code || '';
    this.field = e.field || '';
    // a rules compile error also says where
    this.where = e.pack ? `${e.pack}${e.line ? ':' + e.line : ''}${e.col ? ':' + e.col : ''}` : '';
  }
}

let onUnauthorized = () => {};
export function setUnauthorizedHandler(f) { onUnauthorized = f; }

export async function api(method, path, body, opts = {}) {
  const headers = { Authorization: 'Bearer ' + (opts.token ?? token()) };
  const init = { method, headers };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let res;
  try {
    res = await fetch(path, init);
  } catch (err) {
    throw new ApiError(0, { error: { code: 'network', message: String(err.message || err) } });
  }
  let data = null;
  const text = await res.text();
  if (text) {
    try { data = JSON.parse(text); } catch { data = { error: { message: text.slice(0, 200) } }; }
  }
  if (!res.ok) {
    const e = new ApiError(res.status, data);
    if (res.status === 401 && !opts.noRedirect) onUnauthorized(e);
    throw e;
  }
  return data;
}

export const get = (p, o) => api('GET', p, undefined, o);

// GET /v1/me ({name, role}) of the current token, asked once per token and
// shared by the top bar and the pages; null when it cannot be had.
let meOf = null; // {tok, answer: Promise}
export function whoami() {
  const tok = token();
  if (!meOf || meOf.tok !== tok) {
    const entry = { tok, answer: get('/v1/me').catch(() => { if (meOf === entry) meOf = null; return null; }) };
    meOf = entry;
  }
  return meOf.answer;
}
export const isSenior = me => !!me && (me.role === 'supervisor' || me.role === 'admin');

// Fetch path and hand it to the browser as a download named name.
export async function download(path, name) {
  const res = await fetch(path, { headers: { Authorization: 'Bearer ' + token() } });
  if (!res.ok) {
    let data = null;
    try { data = await res.json(); } catch { /* not JSON */ }
    throw new ApiError(res.status, data);
  }
  const blob = await res.blob();
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a); a.click(); a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}
export const post = (p, b, o) => api('POST', p, b === undefined ? {} : b, o);

// "/v1/alerts" + {status: 'open', rule: ''} -> "/v1/alerts?status=open"
export function qs(path, params) {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) {
    if (v !== undefined && v !== null && v !== '') u.set(k, v);
  }
  const q = u.toString();
  return q ? path + '?' + q : path;
}

// Lists are {items, total, limit, offset}; accept a bare array too.
export function items(data) {
  if (Array.isArray(data)) return data;
  if (!data) return [];
  return data.items || data.entries || data.versions || data.rules || [];
}
