// reports.js — regulatory reports: the deadline board (large-value records
// and suspicious reports), the large-value queue, making the files
// (supervisors), the stored files with preview and download, and the
// suspicious-report queue with its editor.

import { h, replace } from '../dom.js';
import { t } from '../i18n.js';
import { get, post, api, qs, items, whoami, isSenior } from '../api.js';
import { stackedBars, chartCard, COLORS } from '../charts.js';
import { int, time } from '../fmt.js';
import { table, pager, pageHeader, section, field, options, errorBox, busy, badge, toast, go, loading, dl, tile, saveFile, filterForm } from '../ui.js';

const LIMIT = 25;

// "4 working days left" / "due today" / "overdue by 2 working days"
function leftText(x) {
  if (x.overdue) return x.days_left !== undefined ? t('overdue_by', { n: Math.abs(x.days_left) }) : t('overdue');
  if (x.days_left === undefined) return '';
  return x.days_left > 0 ? t('days_left', { n: x.days_left }) : t('due_today');
}

// The due date, and for an open report how long is left.
function dueBadge(x, status) {
  const open = !status || status === 'pending' || status === 'draft' || status === 'submitted';
  const text = open ? leftText(x) : '';
  if (!text) return x.due_date || '';
  const cls = x.overdue ? 'b-overdue' : x.days_left <= 1 ? 'b-due-soon' : 'b-due';
  return h('span', null, x.due_date || '', ' ', h('span', { class: 'badge ' + cls }, text));
}

// ---- the board ----

function boardChart(board) {
  const days = board.by_day || [];
  const cats = days.map(d => d.date.slice(5));
  const total = d => (d.large_value || 0) + (d.suspicious || 0);
  return stackedBars(cats, [
    { name: t('due'), color: COLORS.bar, values: days.map(d => (d.overdue ? 0 : total(d))) },
    { name: t('overdue'), color: COLORS.block, values: days.map(d => (d.overdue ? total(d) : 0)) },
  ], { title: t('due_by_day') });
}

function boardItem(x, list) {
  const what = x.report === 'suspicious'
    ? h('a', { href: '#/reports/str/' + x.id }, t('str_report') + ' #' + x.id)
    : h('a', { href: '#/reports?lv_from=' + x.date + '&lv_to=' + x.date + '&status=pending' }, t('lv_records_of', { d: x.date, n: x.records }));
  return { list, what, due: x.due_date, left: x };
}

function boardTable(board) {
  const rows = [];
  for (const [key, list] of [['overdue', board.overdue], ['due_today', board.due_today], ['due_soon', board.due_soon]])
    for (const x of list || []) rows.push(boardItem(x, key));
  return table([
    { title: t('status'), render: r => h('span', { class: 'badge b-' + r.list.replace('_', '-') }, t(r.list)) },
    { title: t('report'), render: r => r.what },
    { title: t('due_date'), render: r => dueBadge({ ...r.left, overdue: r.list === 'overdue' }) },
  ], rows, { caption: t('deadline_board') });
}

async function renderBoard(slot) {
  const board = await get('/v1/reports/deadlines');
  const c = board.counts || {};
  replace(slot,
    h('div', { class: 'tiles', id: 'board-tiles' },
      tile('tile-overdue', t('overdue'), int(c.overdue || 0)), tile('tile-due-today', t('due_today'), int(c.due_today || 0)),
      tile('tile-due-soon', t('due_soon'), int(c.due_soon || 0))),
    h('div', { class: 'charts' }, chartCard('chart-deadlines', t('due_by_day'), boardChart(board), t('due_by_day_hint', { n: board.within }))),
    boardTable(board));
}

// ---- large-value queue ----

function lvFilters(q) {
  const status = h('select', { id: 'lv-status' }, options([['', t('any')], ['pending', t('st_pending')], ['filed', t('st_filed')]], q.status));
  const from = h('input', { id: 'lv-from', type: 'date', value: q.lv_from });
  const to = h('input', { id: 'lv-to', type: 'date', value: q.lv_to });
  const cust = h('input', { id: 'lv-customer', type: 'text', value: q.customer, size: 14 });
  return filterForm({ id: 'lv-filters' }, () => go('/reports', { status: status.value || 'any', lv_from: from.value, lv_to: to.value, customer: cust.value.trim() }),
    [field('lv-status', t('status'), status), field('lv-from', t('from'), from), field('lv-to', t('to'), to), field('lv-customer', t('customer'), cust)]);
}

async function renderQueue(slot, q) {
  const data = await get(qs('/v1/reports/large-value', {
    status: q.status === 'any' ? '' : q.status, from: q.lv_from, to: q.lv_to, customer: q.customer, limit: LIMIT, offset: q.offset,
  }));
  replace(slot, table([
    { title: t('date'), key: 'date' },
    { title: t('customer'), render: x => h('code', null, x.customer) },
    { title: 'CRCD', render: x => h('code', null, x.crcd) },
    { title: t('direction'), render: x => t('dir_' + x.direction) },
    { title: t('basis'), render: x => t('basis_' + x.basis) },
    { title: t('txn'), render: x => h('code', null, x.txn_id) },
    { title: t('due_date'), render: x => dueBadge(x, x.status) },
    { title: t('status'), render: x => badge('st', x.status) },
    { title: t('file'), render: x => x.file_name || '' },
  ], items(data), { caption: t('lv_queue'), rowClass: x => 'lv-row lv-' + x.status }),
  pager(data, off => go('/reports', { ...q, offset: off })));
}

// ---- making files (supervisors) ----

function makeForm(q) {
  const from = h('input', { id: 'make-from', type: 'date', required: true, value: q.lv_from });
  const to = h('input', { id: 'make-to', type: 'date', value: q.lv_to });
  const slot = h('div', { class: 'err-slot' });
  const form = h('form', { class: 'inline-form', id: 'make-files-form', onsubmit: async e => {
    e.preventDefault();
    const r = await busy(form, slot, () => post('/v1/reports/large-value/files', { from: from.value, to: to.value || undefined }));
    if (r) { toast(t('files_made', { n: r.files.length, r: r.records })); go('/reports', q); }
  } }, field('make-from', t('from'), from), field('make-to', t('to'), to),
  h('button', { type: 'submit', class: 'btn primary' }, t('make_files')), slot);
  return form;
}

// ---- files ----

async function preview(file, out) {
  replace(out, loading());
  try {
    const p = await get(`/v1/reports/files/${file.id}/preview`);
    replace(out, h('h3', null, p.name), h('pre', { class: 'code', id: 'file-preview' }, p.text));
  } catch (e) {
    replace(out, errorBox(e));
  }
}

async function renderFiles(slot, q) {
  const data = await get(qs('/v1/reports/files', { limit: LIMIT, offset: q.files_offset || 0 }));
  const out = h('div', { id: 'preview-slot' });
  replace(slot, table([
    { title: t('file'), render: x => h('code', null, x.name) },
    { title: t('kind'), render: x => x.kind.toUpperCase() },
    { title: t('records'), render: x => int(x.records), cls: 'num' },
    { title: t('bytes'), render: x => int(x.bytes), cls: 'num' },
    { title: t('actor'), key: 'created_by' },
    { title: t('created'), render: x => time(x.created_ms) },
    { title: t('actions'), render: x => [
      x.kind === 'xml' ? h('button', { type: 'button', class: 'btn small preview', onclick: () => preview(x, out) }, t('preview')) : null,
      h('button', { type: 'button', class: 'btn small download', onclick: () => saveFile('/v1/reports/files/' + x.id, x.name) }, t('download'))] },
  ], items(data), { caption: t('report_files') }), pager(data, off => go('/reports', { ...q, files_offset: off })), out);
}

// ---- suspicious reports ----

async function renderStrQueue(slot) {
  let data;
  try { data = await get(qs('/v1/str', { limit: LIMIT })); } catch (e) {
    if (e.status === 404) { replace(slot, h('p', { class: 'muted' }, t('str_unavailable'))); return; }
    throw e;
  }
  replace(slot, table([
    { title: t('id'), render: x => h('a', { href: '#/reports/str/' + x.id, class: 'str-link' }, String(x.id)) },
    { title: t('case'), render: x => h('a', { href: '#/cases/' + x.case_id }, String(x.case_id)) },
    { title: t('kind'), key: 'kind' },
    { title: t('status'), render: x => badge('st', x.status) },
    { title: t('due_date'), render: x => dueBadge(x, x.status) },
    { title: t('file'), render: x => x.file_name || '' },
  ], items(data), { caption: t('str_queue') }));
}

// A slot filled by fn(slot), showing its error in place.
function lazy(fn) {
  const slot = h('div', null, loading());
  fn(slot).catch(e => replace(slot, errorBox(e)));
  return slot;
}

export async function render(view, _p, query) {
  const q = { status: query.status ?? 'pending', lv_from: query.lv_from || '', lv_to: query.lv_to || '', customer: query.customer || '', offset: query.offset || 0, files_offset: query.files_offset || 0 };
  const me = await whoami(); // null: shown as analyst
  replace(view, pageHeader(t('reports_title')),
    section(t('deadline_board'), lazy(slot => renderBoard(slot))),
    section(t('lv_queue'), lvFilters(q), lazy(slot => renderQueue(slot, q))),
    isSenior(me) ? section(t('make_files'), h('p', { class: 'muted' }, t('make_files_hint')), makeForm(q)) : null,
    section(t('report_files'), lazy(slot => renderFiles(slot, q))),
    section(t('str_queue'), lazy(slot => renderStrQueue(slot))));
}

// ---- one suspicious report ----

function strActions(r, me, reload, slot) {
  const act = (path, body) => async () => {
    const form = document.getElementById('str-form');
    const x = await busy(form, slot, () => post(`/v1/str/${r.id}/${path}`, body));
    if (x) { toast(t('saved')); reload(); }
  };
  const btns = [];
  if (r.status === 'draft') btns.push(h('button', { type: 'button', class: 'btn', id: 'str-submit', onclick: act('submit') }, t('submit')));
  if (r.status === 'submitted' && isSenior(me)) {
    btns.push(h('button', { type: 'button', class: 'btn primary', id: 'str-approve', onclick: act('approve') }, t('approve')));
    btns.push(h('button', { type: 'button', class: 'btn danger', id: 'str-reject', onclick: act('reject', { reason: t('reject_reason_default') }) }, t('reject')));
  }
  if (r.file_name) btns.push(h('button', { type: 'button', class: 'btn', id: 'str-download', onclick: () => saveFile(`/v1/str/${r.id}/file`, r.file_name) }, t('download')));
  return btns;
}

function strForm(r, me, reload) {
  const c = r.content || {};
  const editable = r.status === 'draft';
  const stcb = h('textarea', { id: 'str-stcb', rows: 8, maxlength: 10000, readonly: !editable || null }, c.stcb || '');
  const aosp = h('textarea', { id: 'str-aosp', rows: 10, maxlength: 10000, readonly: !editable || null }, c.aosp || '');
  const slot = h('div', { class: 'err-slot' });
  const form = h('form', { id: 'str-form', class: 'str-form', onsubmit: async e => {
    e.preventDefault();
    const x = await busy(form, slot, () => api('PATCH', '/v1/str/' + r.id, { stcb: stcb.value, aosp: aosp.value }));
    if (x) { toast(t('saved')); reload(); }
  } },
  field('str-stcb', t('stcb'), stcb, t('stcb_hint')), field('str-aosp', t('aosp'), aosp, t('aosp_hint')),
  h('div', { class: 'row' }, editable ? h('button', { type: 'submit', class: 'btn primary', id: 'str-save' }, t('save')) : null,
    strActions(r, me, reload, slot)), slot);
  return form;
}

export async function renderStr(view, [id]) {
  replace(view, loading());
  const [r, me] = await Promise.all([get('/v1/str/' + encodeURIComponent(id)), whoami()]);
  const c = r.content || {};
  const list = v => (Array.isArray(v) ? v.join(', ') : v || '');
  const reload = () => go('/reports/str/' + id);
  replace(view,
    pageHeader(t('str_report') + ' #' + r.id, h('a', { href: '#/reports', class: 'btn ghost' }, '← ' + t('back'))),
    section(t('str_report'), dl([
      [t('status'), h('span', { id: 'str-status' }, badge('st', r.status))],
      [t('case'), h('a', { href: '#/cases/' + r.case_id }, String(r.case_id))],
      [t('kind'), r.kind],
      [t('due_date'), dueBadge(r, r.status)],
      ['TOSC', list(c.tosc)], ['STCR', list(c.stcr)], ['TPTR', c.tptr], ['DETR', c.detr],
      r.reject_reason ? [t('reject_reason'), r.reject_reason] : null,
      r.file_name ? [t('file'), h('code', null, r.file_name)] : null,
    ])),
    section(t('narratives'), strForm(r, me, reload)));
}
