// alerts.js — the alert queue (filters, paging, select and build a case)
// and one alert with its transaction and decision.

import { h, replace } from '../dom.js';
import { t } from '../i18n.js';
import { get, post, qs, items } from '../api.js';
import { moneyCur, time, parseLocal } from '../fmt.js';
import { table, pager, pageHeader, section, field, options, errorBox, busy, badge, scoreBadge, toast, go, loading, dl, filterForm } from '../ui.js';
import { f, whenOf, reasonsView, txnView, outName, payerOf, payeeOf } from './common.js';

const STATUSES = ['open', 'in_case', 'closed', 'suppressed'];
const LIMIT = 25;

function ruleOf(a) {
  const r = f(a, 'rule', 'rules', 'top_rule');
  return Array.isArray(r) ? r.join(', ') : r ?? '';
}

// A form that builds a case from alert ids; ids() is read on submit.
function buildCaseForm(ids, defaultTitle) {
  const title = h('input', { type: 'text', id: 'case-title', maxlength: 200, required: true, value: defaultTitle || '' });
  const slot = h('div', { class: 'err-slot' });
  const form = h('form', { class: 'inline-form', id: 'build-case-form', onsubmit: async e => {
    e.preventDefault();
    const list = ids();
    const body = { title: title.value.trim(), alert_ids: list.map(x => (/^\d+$/.test(String(x)) ? Number(x) : x)) };
    const c = await busy(form, slot, () => post('/v1/cases', body));
    if (c) {
      const id = f(c, 'id', 'case_id') ?? f(c.case, 'id');
      toast(t('case_created', { id }));
      go('/cases/' + id);
    }
  } },
  field('case-title', t('case_title'), title),
  h('button', { type: 'submit', class: 'btn primary' }, t('build_case')),
  slot);
  return form;
}

export async function renderList(view, _p, query) {
  const q = { status: query.status ?? 'open', rule: query.rule || '', min_score: query.min_score || '', from: query.from || '', to: query.to || '', offset: query.offset || 0 };
  const status = h('select', { id: 'f-status' }, options([['', t('any')], ...STATUSES.map(s => [s, t('st_' + s)])], q.status));
  const rule = h('input', { id: 'f-rule', type: 'text', value: q.rule, placeholder: 'TY-FREQ-DAY', size: 14 });
  const minScore = h('input', { id: 'f-min-score', type: 'number', min: 0, step: 1, value: q.min_score, size: 6 });
  const from = h('input', { id: 'f-from', type: 'date', value: q.from });
  const to = h('input', { id: 'f-to', type: 'date', value: q.to });
  const filters = filterForm(null,
    () => go('/alerts', { status: status.value || 'any', rule: rule.value.trim(), min_score: minScore.value, from: from.value, to: to.value }),
    [field('f-status', t('status'), status), field('f-rule', t('rule'), rule), field('f-min-score', t('min_score'), minScore),
      field('f-from', t('from'), from), field('f-to', t('to'), to)],
    h('button', { type: 'button', class: 'btn ghost', onclick: () => go('/alerts') }, t('reset')));

  const body = h('div', null, loading());
  replace(view, pageHeader(t('alerts_title')), filters, body);

  const fromMs = parseLocal(q.from), toMs = parseLocal(q.to);
  const url = qs('/v1/alerts', {
    status: q.status === 'any' ? '' : q.status, rule: q.rule, min_score: q.min_score,
    from: fromMs ?? '', to: toMs !== null ? toMs + 86400000 : '', limit: LIMIT, offset: q.offset,
  });
  let data;
  try { data = await get(url); } catch (e) { replace(body, errorBox(e)); return; }
  const rows = items(data);
  const picked = new Set();
  const count = h('span', { class: 'muted', id: 'selected-count' }, t('selected_n', { n: 0 }));
  const caseForm = buildCaseForm(() => [...picked], '');
  caseForm.hidden = true;
  const update = () => { count.textContent = t('selected_n', { n: picked.size }); caseForm.hidden = picked.size === 0; };
  const tbl = table([
    { title: h('span', { class: 'sr-only' }, t('select')), cls: 'check', render: a => h('input', { type: 'checkbox', class: 'pick', 'aria-label': t('select') + ' ' + a.id, disabled: a.status && a.status !== 'open' ? true : null,
      onchange: e => { if (e.target.checked) picked.add(a.id); else picked.delete(a.id); update(); } }) },
    { title: t('id'), render: a => h('a', { href: '#/alerts/' + encodeURIComponent(a.id), class: 'alert-link' }, String(a.id)) },
    { title: t('time'), render: a => time(whenOf(a)) },
    { title: t('rule'), render: a => h('code', null, ruleOf(a)) },
    { title: t('score'), render: a => scoreBadge(a.score), cls: 'num' },
    { title: t('account'), render: a => h('code', null, a.account ?? '') },
    { title: t('outcome'), render: a => badge('out', outName(a)) },
    { title: t('payer'), render: a => h('code', null, payerOf(a)) },
    { title: t('payee'), render: a => h('code', null, payeeOf(a)) },
    { title: t('amount'), render: a => moneyCur(a.amount, a.currency), cls: 'num' },
    { title: t('status'), render: a => badge('st', a.status) },
    { title: t('case'), render: a => (a.case_id ? h('a', { href: '#/cases/' + a.case_id }, String(a.case_id)) : '') },
  ], rows, { onRow: a => go('/alerts/' + encodeURIComponent(a.id)) });
  replace(body, tbl, pager(data, off => go('/alerts', { ...q, offset: off })), h('div', { class: 'selection-bar' }, count, caseForm));
}

export async function renderOne(view, [id]) {
  replace(view, loading());
  const a = await get('/v1/alerts/' + encodeURIComponent(id));
  const alert = a.alert || a;
  const txn = a.transaction || a.txn || null;
  const dec = a.decision || (txn && txn.decision) || null;
  const shown = { ...(txn || {}), ...(dec || {}), txn_id: f(dec, 'txn_id') ?? f(txn, 'id') ?? alert.txn_id };
  const reasons = (dec && dec.reasons) || alert.reasons || [];
  const caseId = f(alert, 'case_id');
  replace(view,
    pageHeader(t('alert') + ' ' + id, h('a', { href: '#/alerts', class: 'btn ghost' }, '← ' + t('back'))),
    h('div', { class: 'cols' },
      section(t('alert_detail'), dl([
        [t('id'), String(alert.id ?? id)],
        [t('status'), badge('st', alert.status)],
        [t('rule'), h('code', null, ruleOf(alert))],
        [t('score'), scoreBadge(alert.score)],
        [t('time'), time(whenOf(alert))],
        [t('account'), h('code', null, alert.account ?? '')],
        [t('case'), caseId ? h('a', { href: '#/cases/' + caseId, id: 'alert-case-link' }, String(caseId)) : ''],
      ]),
      !caseId && (!alert.status || alert.status === 'open') ? h('div', { class: 'action-box' }, h('h3', null, t('build_case')),
        buildCaseForm(() => [alert.id ?? id], `${ruleOf(alert)} ${alert.account || payerOf(shown)}`.trim())) : null),
      section(t('txn'), txnView(shown))),
    section(t('reasons'), reasonsView(reasons)));
}
