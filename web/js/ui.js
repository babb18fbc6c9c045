// ui.js — shared pieces: error boxes, toasts, badges, paged tables, forms.

import { h, replace } from './dom.js';
import { t, label } from './i18n.js';
import { download } from './api.js';

// An API error as a box: "Error 400 · field amount: must be positive".
export function errorBox(err) {
  const parts = [h('strong', null, t('error') + (err.status ? ' ' + err.status : ''))];
  if (err.code) parts.push(h('span', { class: 'err-code' }, err.code));
  if (err.field) parts.push(h('span', null, t('field') + ': ', h('code', null, err.field)));
  if (err.where) parts.push(h('code', null, err.where));
  parts.push(h('span', { class: 'err-msg' }, err.message || String(err)));
  return h('div', { class: 'error', role: 'alert' }, parts);
}

// Shows an error (or clears with null) inside a form's error slot.
export function showError(slot, err) {
  if (!err) replace(slot);
  else replace(slot, errorBox(err));
}

let toastTimer = 0;
export function toast(msg, kind = 'ok') {
  const el = document.getElementById('toast');
  replace(el, h('div', { class: 'toast ' + kind }, msg));
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => replace(el), 5000);
}

export function badge(prefix, code) {
  if (code === undefined || code === null || code === '') return '';
  return h('span', { class: `badge b-${String(code).replace(/[^a-z0-9_-]/gi, '')}` }, label(prefix, code));
}

export function scoreBadge(score) {
  if (score === undefined || score === null) return '';
  const n = Number(score);
  const cls = n >= 300 ? 'sc-high' : n >= 100 ? 'sc-mid' : 'sc-low';
  return h('span', { class: 'score ' + cls }, String(score));
}

// A number tile (dashboard totals, report deadlines).
export function tile(id, text, value) {
  return h('div', { class: 'tile', id }, h('div', { class: 'tile-label' }, text), h('div', { class: 'tile-value' }, value));
}

// A file to the browser's downloads (api.js download); an error as a toast.
export async function saveFile(path, name) {
  try { await download(path, name); } catch (e) { toast(e.message, 'bad'); }
}

// A list page's filter form: the fields, then Search and any extra buttons.
// onSearch() runs on submit.
export function filterForm(attrs, onSearch, fields, ...buttons) {
  return h('form', { class: 'filters', role: 'search', ...attrs, onsubmit: e => { e.preventDefault(); onSearch(); } },
    fields, h('div', { class: 'field buttons' }, h('button', { type: 'submit', class: 'btn' }, t('search')), buttons));
}

export function pageHeader(title, ...extra) {
  return h('div', { class: 'page-head' }, h('h1', null, title), h('div', { class: 'page-tools' }, extra));
}

export function section(title, ...kids) {
  return h('section', { class: 'panel' }, title ? h('h2', null, title) : null, kids);
}

// A definition list from [[label, value], ...].
export function dl(pairs) {
  return h('dl', { class: 'kv' }, pairs.filter(Boolean).map(([k, v]) => [h('dt', null, k), h('dd', null, v === '' || v === undefined || v === null ? '—' : v)]));
}

// A labelled control: field('status', t('status'), h('select', ...))
export function field(id, text, control, hint) {
  control.id = control.id || id;
  return h('div', { class: 'field' }, h('label', { for: control.id }, text), control, hint ? h('small', null, hint) : null);
}

// cols: [{key, title, render(row) -> node|string, cls}]
export function table(cols, rows, opts = {}) {
  const head = h('tr', null, cols.map(c => h('th', { scope: 'col', class: c.cls }, c.title)));
  const body = rows.length
    ? rows.map(r => {
      const tr = h('tr', { class: opts.rowClass ? opts.rowClass(r) : null },
        cols.map(c => h('td', { class: c.cls, 'data-label': c.title }, c.render ? c.render(r) : (r[c.key] ?? ''))));
      if (opts.onRow) {
        tr.classList.add('clickable');
        tr.addEventListener('click', e => { if (!e.target.closest('a,button,input,select,label')) opts.onRow(r); });
      }
      return tr;
    })
    : [h('tr', null, h('td', { colspan: cols.length, class: 'empty' }, t('no_rows')))];
  return h('div', { class: 'table-wrap' }, h('table', { class: 'grid' }, opts.caption ? h('caption', null, opts.caption) : null,
    h('thead', null, head), h('tbody', null, body)));
}

// Paging controls for {total, limit, offset}; go(offset) is called on a click.
export function pager(data, go) {
  const total = Number(data.total ?? 0), limit = Number(data.limit || 50), offset = Number(data.offset || 0);
  const a = total ? offset + 1 : 0, b = Math.min(offset + limit, total);
  return h('div', { class: 'pager' },
    h('span', null, t('page_of', { a, b, n: total })),
    h('button', { type: 'button', class: 'btn small', disabled: offset <= 0, onclick: () => go(Math.max(0, offset - limit)) }, t('prev')),
    h('button', { type: 'button', class: 'btn small', disabled: offset + limit >= total, onclick: () => go(offset + limit) }, t('next')));
}

export function loading() {
  return h('p', { class: 'muted', 'aria-busy': 'true' }, t('loading'));
}

// Options for a <select>: [[value, text], ...], selected value.
export function options(list, selected) {
  return list.map(([v, text]) => h('option', { value: v, selected: String(v) === String(selected ?? '') ? 'selected' : null }, text));
}

// Disable a form's buttons while fn runs; show its error in slot.
export async function busy(form, slot, fn) {
  const btns = [...form.querySelectorAll('button')];
  btns.forEach(b => { b.disabled = true; });
  showError(slot, null);
  try {
    return await fn();
  } catch (err) {
    showError(slot, err);
    return undefined;
  } finally {
    btns.forEach(b => { b.disabled = false; });
  }
}

// Navigate to #path?query (empty values left out); re-renders when the hash is unchanged.
export function go(path, query) {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(query || {})) if (v !== '' && v !== undefined && v !== null) u.set(k, v);
  const q = u.toString();
  const target = '#' + path + (q ? '?' + q : '');
  if (location.hash === target) window.dispatchEvent(new HashChangeEvent('hashchange'));
  else location.hash = target;
}
