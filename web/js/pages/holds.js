// holds.js — held transactions: release or reject, each with the
// verification the analyst did with the customer.

import { h, replace } from '../dom.js';
import { t } from '../i18n.js';
import { get, post, qs, items } from '../api.js';
import { moneyCur, time } from '../fmt.js';
import { table, pager, pageHeader, section, field, options, errorBox, showError, busy, badge, scoreBadge, toast, go, loading, dl, filterForm } from '../ui.js';
import { f, whenOf, reasonsView, txnView, payerOf, payeeOf } from './common.js';

const LIMIT = 25;
const STATUSES = ['pending', 'released', 'rejected', 'expired'];
// The API takes free text; the UI offers the bank's usual methods and sends
// their English name, which the audit trail keeps.
const VERIFICATIONS = [
  ['callback', 'callback to registered phone'], ['branch', 'in-branch identity check'], ['face', 'face recognition'],
  ['sms', 'SMS one-time code'], ['video', 'video call'], ['other', 'other'],
];

// Release/reject form of one hold. done() after success.
function decideForm(hold, done) {
  const id = hold.id;
  const verif = h('select', { id: `verif-${id}`, required: true, class: 'verif' },
    options([['', t('verif_choose')], ...VERIFICATIONS.map(([k, v]) => [v, t('verif_' + k)])], ''));
  const note = h('input', { type: 'text', id: `note-${id}`, maxlength: 2000, placeholder: t('note'), class: 'note' });
  const slot = h('div', { class: 'err-slot' });
  const act = async which => {
    if (!verif.value) { showError(slot, { field: 'verification', message: t('verif_required') }); verif.focus(); return; }
    const r = await busy(form, slot, () => post(`/v1/holds/${id}/${which}`, { verification: verif.value, note: note.value }));
    if (r !== undefined) { toast(t(which === 'release' ? 'released_ok' : 'rejected_ok', { id })); done(); }
  };
  const form = h('form', { class: 'hold-form', 'data-hold': id, onsubmit: e => e.preventDefault() },
    h('label', { for: `verif-${id}`, class: 'sr-only' }, t('verification')), verif,
    h('label', { for: `note-${id}`, class: 'sr-only' }, t('note')), note,
    h('button', { type: 'button', class: 'btn small primary release', onclick: () => act('release') }, t('release')),
    h('button', { type: 'button', class: 'btn small danger reject', onclick: () => act('reject') }, t('reject')),
    slot);
  return form;
}

function txnOf(hd) { return hd.decision || hd; }

// A stored verification text in the current language when it is one of ours.
function verifText(v) {
  const m = VERIFICATIONS.find(([, text]) => text === v);
  return m ? t('verif_' + m[0]) : v || '';
}

export async function renderList(view, _p, query) {
  const q = { status: query.status ?? 'pending', offset: query.offset || 0 };
  const status = h('select', { id: 'f-status' }, options([['', t('any')], ...STATUSES.map(s => [s, t('st_' + s)])], q.status));
  const filters = filterForm(null, () => go('/holds', { status: status.value || 'any' }), field('f-status', t('status'), status));
  const body = h('div', null, loading());
  replace(view, pageHeader(t('holds_title')), h('p', { class: 'muted' }, t('hold_hint')), filters, body);
  let data;
  try { data = await get(qs('/v1/holds', { status: q.status === 'any' ? '' : q.status, limit: LIMIT, offset: q.offset })); } catch (e) { replace(body, errorBox(e)); return; }
  const rerender = () => go('/holds', q);
  replace(body, table([
    { title: t('id'), render: x => h('a', { href: '#/holds/' + x.id, class: 'hold-link' }, String(x.id)) },
    { title: t('time'), render: x => time(whenOf(x)) },
    { title: t('txn'), render: x => h('code', null, f(x, 'txn_id') ?? f(txnOf(x), 'txn_id') ?? '') },
    { title: t('payer'), render: x => h('code', null, payerOf(x)) },
    { title: t('payee'), render: x => h('code', null, payeeOf(x)) },
    { title: t('amount'), render: x => moneyCur(x.amount, x.currency), cls: 'num' },
    { title: t('score'), render: x => scoreBadge(x.score), cls: 'num' },
    { title: t('status'), render: x => badge('st', x.status) },
    { title: t('actions'), render: x => (x.status === 'pending' ? decideForm(x, rerender) : [verifText(x.verification), x.resolved_by ? ' · ' + x.resolved_by : '']) },
  ], items(data)), pager(data, off => go('/holds', { ...q, offset: off })));
}

export async function renderOne(view, [id]) {
  replace(view, loading());
  const hd = await get('/v1/holds/' + encodeURIComponent(id));
  const hold = hd.hold || hd;
  const d = { ...(hd.txn || {}), ...(hd.decision || {}), txn_id: hd.txn_id };
  replace(view,
    pageHeader(t('hold') + ' ' + id, h('a', { href: '#/holds', class: 'btn ghost' }, '← ' + t('back'))),
    h('div', { class: 'cols' },
      section(t('hold'), dl([
        [t('id'), String(hold.id ?? id)],
        [t('status'), badge('st', hold.status)],
        [t('created'), time(whenOf(hold))],
        hold.expires_ms ? [t('expires'), time(hold.expires_ms)] : null,
        hold.verification ? [t('verification'), verifText(hold.verification)] : null,
        hold.note ? [t('note'), hold.note] : null,
        hold.resolved_by ? [t('actor'), hold.resolved_by] : null,
        hold.resolved_ms ? [t('updated'), time(hold.resolved_ms)] : null,
      ]), hold.status === 'pending' ? decideForm(hold, () => go('/holds/' + id)) : null),
      section(t('txn'), txnView(d))),
    section(t('reasons'), reasonsView(d.reasons || [])));
}
