// cases.js — the case list and the case page: details, its alerts and their
// reasons, notes and evidence, the actions, and the money-flow graph.

import { h, replace } from '../dom.js';
import { t } from '../i18n.js';
import { get, post, qs, items } from '../api.js';
import { moneyCur, time, duration } from '../fmt.js';
import { table, pager, pageHeader, section, field, options, errorBox, busy, badge, scoreBadge, toast, go, loading, dl, filterForm, saveFile } from '../ui.js';
import { f, whenOf, reasonsView, outName, payerOf, payeeOf } from './common.js';
import { flowGraph, legend } from '../graph.js';

const LIMIT = 25;
const CASE_STATUSES = ['open', 'escalated', 'closed_fp', 'closed_fraud'];
const isClosed = st => String(st || '').startsWith('closed');
const MAX_EVIDENCE = 4 * 1024 * 1024; // bytes, before base64 (docs/api.md)

export async function renderList(view, _p, query) {
  const q = { status: query.status ?? '', assignee: query.assignee || '', offset: query.offset || 0 };
  const status = h('select', { id: 'f-status' }, options([['', t('any')], ...CASE_STATUSES.map(s => [s, t('st_' + s)])], q.status));
  const assignee = h('input', { id: 'f-assignee', type: 'text', value: q.assignee, size: 12 });
  const filters = filterForm(null, () => go('/cases', { status: status.value, assignee: assignee.value.trim() }),
    [field('f-status', t('status'), status), field('f-assignee', t('assignee'), assignee)]);
  const body = h('div', null, loading());
  replace(view, pageHeader(t('cases_title')), filters, body);
  let data;
  try { data = await get(qs('/v1/cases', { status: q.status, assignee: q.assignee, limit: LIMIT, offset: q.offset })); } catch (e) { replace(body, errorBox(e)); return; }
  const now = Date.now();
  replace(body, table([
    { title: t('id'), render: c => h('a', { href: '#/cases/' + c.id, class: 'case-link' }, String(c.id)) },
    { title: t('title'), render: c => c.title, cls: 'wrap' },
    { title: t('status'), render: c => badge('st', c.status) },
    { title: t('assignee'), render: c => c.assignee || '—' },
    { title: t('alerts_count'), render: c => String(f(c, 'alert_count', 'alerts_count', 'n_alerts') ?? (Array.isArray(c.alerts) ? c.alerts.length : '')), cls: 'num' },
    { title: t('created'), render: c => time(whenOf(c)) },
    { title: t('age'), render: c => (isClosed(c.status) ? '' : duration(now - (Number(whenOf(c)) || now))) },
    { title: t('resolution'), render: c => c.resolution ?? '', cls: 'wrap' },
  ], items(data), { onRow: c => go('/cases/' + c.id) }), pager(data, off => go('/cases', { ...q, offset: off })));
}

function readBase64(file) {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result).replace(/^data:[^,]*,/, ''));
    r.onerror = () => reject(r.error);
    r.readAsDataURL(file);
  });
}

// One action form: fields, a submit button, an error slot; run(values) posts.
function actionForm(id, title, controls, button, run, cls) {
  const slot = h('div', { class: 'err-slot' });
  const form = h('form', { class: 'action-form', id, onsubmit: async e => {
    e.preventDefault();
    const ok = await busy(form, slot, run);
    if (ok !== undefined) form.dispatchEvent(new CustomEvent('done', { bubbles: true }));
  } }, h('h3', null, title), controls, slot, h('button', { type: 'submit', class: 'btn ' + (cls || 'primary') }, button));
  return form;
}

function accountsOf(alerts, c) {
  const set = new Set();
  for (const a of alerts) {
    // the alert's own side first, then the other party of the payment
    if (a.account) set.add(String(a.account));
  }
  for (const a of alerts) for (const x of [payerOf(a), payeeOf(a)]) if (x) set.add(String(x));
  for (const acct of c.accounts || []) set.add(String(typeof acct === 'object' ? acct.id : acct));
  return [...set];
}

export async function renderOne(view, [id]) {
  replace(view, loading());
  const reload = () => go('/cases/' + id);
  const c = await get('/v1/cases/' + encodeURIComponent(id));
  const kase = c.case || c;
  let alerts = c.alerts || kase.alerts || [];
  alerts = alerts.map(a => (typeof a === 'object' ? a : { id: a }));
  const notes = (c.notes || kase.notes || []).map(x => ({ ...x, type: x.kind || 'comment' }));
  const closed = isClosed(kase.status);

  // actions
  const assignee = h('input', { type: 'text', id: 'assignee', maxlength: 64, required: true, value: kase.assignee || '' });
  const assign = actionForm('assign-form', t('assign'), field('assignee', t('assignee'), assignee), t('assign'),
    () => post(`/v1/cases/${id}/assign`, { assignee: assignee.value.trim() }), 'secondary');
  const comment = h('textarea', { id: 'comment-body', rows: 3, maxlength: 8000, required: true });
  const commentForm = actionForm('comment-form', t('add_comment'), field('comment-body', t('comment'), comment), t('add_comment'),
    () => post(`/v1/cases/${id}/comments`, { body: comment.value }), 'secondary');
  const file = h('input', { type: 'file', id: 'evidence-file', required: true });
  const evidence = actionForm('evidence-form', t('attach'), field('evidence-file', t('file'), file), t('attach'), async () => {
    const fl = file.files[0];
    if (!fl) return undefined;
    if (fl.size > MAX_EVIDENCE) throw Object.assign(new Error(t('file_too_big', { n: MAX_EVIDENCE / 1024 })), { field: 'data' });
    return post(`/v1/cases/${id}/evidence`, { name: fl.name, mime: fl.type || 'application/octet-stream', data: await readBase64(fl) });
  }, 'secondary');
  const resolution = h('select', { id: 'resolution', required: true }, options([['false_positive', t('res_false_positive')], ['fraud', t('res_fraud')]], 'false_positive'));
  const closeNote = h('textarea', { id: 'close-note', rows: 2, maxlength: 4000, required: true });
  const suppress = h('input', { type: 'number', id: 'suppress-days', min: 1, max: 365, step: 1, value: 30 });
  const suppressField = field('suppress-days', t('suppress_days'), suppress);
  resolution.addEventListener('change', () => { suppressField.hidden = resolution.value !== 'false_positive'; });
  const closeForm = actionForm('close-form', t('close_case'), [field('resolution', t('resolution'), resolution), field('close-note', t('reason'), closeNote), suppressField], t('close_case'), () => {
    const body = { as: resolution.value, reason: closeNote.value };
    if (resolution.value === 'false_positive') body.suppress_days = Number(suppress.value || 0);
    return post(`/v1/cases/${id}/close`, body);
  }, 'danger');
  const escNote = h('textarea', { id: 'escalate-note', rows: 2, maxlength: 4000, required: true });
  const escForm = actionForm('escalate-form', t('escalate'), [h('p', { class: 'muted small' }, t('escalate_hint')), field('escalate-note', t('reason'), escNote)], t('escalate'),
    () => post(`/v1/cases/${id}/escalate`, { reason: escNote.value }), 'warn');
  const actions = h('div', { class: 'actions-grid' }, commentForm, evidence, !closed ? [assign, escForm, closeForm] : null);
  actions.addEventListener('done', () => { toast(t('done')); reload(); });

  // notes and evidence
  const timeline = notes.length ? h('ol', { class: 'timeline', id: 'timeline' }, notes.map(n => h('li', { class: 'tl-' + n.type },
    h('div', { class: 'tl-head' }, h('strong', null, n.type === 'comment' ? t('comment') : n.type === 'evidence' ? t('evidence') : t('note_status')), ' · ', f(n, 'author', 'by', 'actor') || '', ' · ', time(whenOf(n))),
    n.type !== 'evidence' ? h('p', { class: 'tl-body' }, n.body ?? n.text ?? '')
      : h('p', { class: 'tl-body' }, n.id !== undefined ? h('a', { href: `#/cases/${id}`, 'data-evidence': n.id, onclick: e => { e.preventDefault(); saveFile(`/v1/cases/${id}/evidence/${n.id}`, n.name || 'evidence'); } }, n.name) : n.name,
        ' ', h('span', { class: 'muted small' }, [n.mime, n.size !== undefined ? n.size + ' B' : '', n.sha256 ? 'sha256 ' + String(n.sha256).slice(0, 16) + '…' : ''].filter(Boolean).join(' · ')))))) :
    h('p', { class: 'muted', id: 'timeline' }, t('none'));

  // alerts
  const alertRows = alerts.map(a => {
    const d = a.decision || a;
    return { a, d };
  });
  const alertTable = table([
    { title: t('id'), render: r => h('a', { href: '#/alerts/' + r.a.id }, String(r.a.id)) },
    { title: t('time'), render: r => time(whenOf(r.a) ?? f(r.d, 'time_ms', 'time')) },
    { title: t('rule'), render: r => h('code', null, [].concat(f(r.a, 'rule', 'rules') ?? '').join(', ')) },
    { title: t('score'), render: r => scoreBadge(r.a.score ?? r.d.score), cls: 'num' },
    { title: t('account'), render: r => h('code', null, r.a.account ?? '') },
    { title: t('payer'), render: r => h('code', null, payerOf(r.d)) },
    { title: t('payee'), render: r => h('code', null, payeeOf(r.d)) },
    { title: t('amount'), render: r => moneyCur(r.d.amount, r.d.currency), cls: 'num' },
    { title: t('outcome'), render: r => badge('out', outName(r.d)) },
    { title: t('status'), render: r => badge('st', r.a.status) },
  ], alertRows);
  const reasons = alertRows.filter(r => (r.d.reasons || r.a.reasons || []).length).map(r =>
    h('details', { class: 'reasons', open: alertRows.length <= 2 ? true : null }, h('summary', null, t('alert') + ' ' + r.a.id),
      reasonsView(r.d.reasons || r.a.reasons)));

  // graph
  const accounts = accountsOf(alerts, kase);
  const graphBox = h('div', { class: 'graph-box', id: 'flow-graph' }, loading());
  const acctSel = h('select', { id: 'g-account' }, options([['', t('any') + ' (' + accounts.length + ')'], ...accounts.map(x => [x, x])], ''));
  const depthSel = h('select', { id: 'g-depth' }, options([['1', '1'], ['2', '2']], '1'));
  const graphCtl = h('form', { class: 'filters compact', onsubmit: e => { e.preventDefault(); drawGraph(); } },
    field('g-account', t('account'), acctSel), field('g-depth', t('depth'), depthSel),
    h('div', { class: 'field buttons' }, h('button', { type: 'submit', class: 'btn small' }, t('refresh'))));
  const extra = new Set();
  const note = h('p', { class: 'muted small', id: 'flows-note' });
  let draws = 0; // a slower earlier draw must not overwrite a newer one
  async function drawGraph() {
    const mine = ++draws;
    const roots = acctSel.value ? [acctSel.value] : accounts.slice(0, 6);
    const asked = [...new Set([...roots, ...extra])];
    replace(graphBox, loading());
    const merged = { nodes: new Map(), edges: new Map() };
    const unseen = [];
    try {
      const graphs = await Promise.all(asked.map(acct => flowsOf(acct, extra.has(acct) ? 1 : Number(depthSel.value))));
      graphs.forEach((g, i) => {
        if (!g) { unseen.push(asked[i]); return; }
        for (const nd of g.nodes || []) merged.nodes.set(String(nd.id), nd);
        for (const e of g.edges || []) merged.edges.set(`${e.from}>${e.to}@${e.time_ms}:${e.amount}`, e);
      });
    } catch (e) { if (mine === draws) replace(graphBox, errorBox(e)); return; }
    if (mine !== draws) return;
    note.textContent = unseen.length ? t('flows_unseen', { list: unseen.join(', ') }) : '';
    replace(graphBox, flowGraph({ nodes: [...merged.nodes.values()], edges: [...merged.edges.values()] }, accounts, {
      onNode: nid => { if (!accounts.includes(nid) && !extra.has(nid)) { extra.add(nid); drawGraph(); } },
    }));
  }

  replace(view,
    pageHeader(t('case') + ' ' + (kase.id ?? id) + (kase.title ? ' · ' + kase.title : ''), h('a', { href: '#/cases', class: 'btn ghost' }, '← ' + t('back'))),
    h('div', { class: 'cols' },
      section(t('details'), dl([
        [t('id'), String(kase.id ?? id)],
        [t('title'), kase.title],
        [t('status'), h('span', { id: 'case-status' }, badge('st', kase.status))],
        [t('assignee'), kase.assignee || ''],
        [t('created'), time(whenOf(kase))],
        [t('updated'), time(f(kase, 'updated_ms', 'updated'))],
        kase.created_by ? [t('author'), kase.created_by] : null,
        kase.closed_ms ? [t('st_closed'), time(kase.closed_ms)] : null,
        kase.resolution ? [t('resolution'), kase.resolution] : null,
      ])),
      section(t('timeline'), timeline)),
    section(t('case_alerts'), alertTable, reasons),
    section(t('flows'), legend(), graphCtl, note, graphBox),
    section(t('actions'), actions));
  drawGraph();
}

// The money flows around an account (GET /v1/accounts/:id/flows); null for
// an account the engine has not seen (404), so the others still draw.
async function flowsOf(acct, depth) {
  try {
    return await get(`/v1/accounts/${encodeURIComponent(acct)}/flows?depth=${depth}`);
  } catch (e) {
    if (e.status === 404) return null;
    throw e;
  }
}
