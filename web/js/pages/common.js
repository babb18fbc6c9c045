// common.js — pieces that several pages show: a decision's reasons, the
// fields of a transaction, reading loosely named fields.

import { h } from '../dom.js';
import { t, pick } from '../i18n.js';
import { moneyCur, time, num } from '../fmt.js';
import { table, dl, badge, scoreBadge } from '../ui.js';

// The first of several field names that a row has.
export function f(row, ...names) {
  if (!row) return undefined;
  for (const n of names) if (row[n] !== undefined && row[n] !== null) return row[n];
  return undefined;
}

export function whenOf(row) {
  return f(row, 'created_ms', 'at_ms', 'time_ms', 'txn_ms', 'created', 'time', 'ts_ms', 'ms');
}

// Reasons of a decision: rule reasons in a table, the model's with its features.
export function reasonsView(reasons) {
  const list = Array.isArray(reasons) ? reasons : [];
  const rules = list.filter(r => r.rule !== 'MODEL');
  const models = list.filter(r => r.rule === 'MODEL');
  const out = [];
  out.push(table([
    { title: t('rule'), render: r => h('code', null, r.rule) },
    { title: t('side'), render: r => (r.side === 'payer' ? t('payer') : r.side === 'payee' ? t('payee') : r.side || '') },
    { title: t('score'), render: r => scoreBadge(r.score), cls: 'num' },
    { title: t('typology'), key: 'typology' },
    { title: t('reason'), render: r => pick(r), cls: 'wrap' },
  ], rules, { caption: t('reasons') }));
  for (const m of models) {
    out.push(h('div', { class: 'model-box' },
      h('p', null, h('strong', null, t('model_p') + ': '), num(m.p, 4)),
      table([
        { title: t('feature'), render: x => h('code', null, x.name) },
        { title: t('value'), render: x => num(x.value, 4), cls: 'num' },
        { title: t('contribution'), render: x => contributionBar(x.contribution), cls: 'num' },
      ], m.features || [], { caption: t('features') })));
  }
  return out;
}

function contributionBar(c) {
  const v = Number(c) || 0;
  const w = Math.min(60, Math.abs(v) * 60);
  return h('span', { class: 'contrib' }, h('span', { class: 'contrib-bar ' + (v >= 0 ? 'pos' : 'neg'), style: `width:${w.toFixed(0)}px` }), num(v, 3));
}

// The fields of a transaction or decision.
export function txnView(d) {
  if (!d) return h('p', { class: 'muted' }, t('none'));
  return dl([
    [t('txn'), h('code', null, f(d, 'txn_id', 'id') ?? '')],
    [t('time'), time(f(d, 'time_ms', 'time'))],
    [t('payer'), h('code', null, payerOf(d))],
    [t('payee'), h('code', null, payeeOf(d))],
    [t('amount'), h('span', { class: 'money' }, moneyCur(d.amount, d.currency))],
    d.channel ? [t('channel'), d.channel] : null,
    d.kind ? [t('kind'), d.kind] : null,
    d.outcome !== undefined ? [t('outcome'), badge('out', outName(d))] : null,
    d.score !== undefined ? [t('score'), scoreBadge(d.score)] : null,
    d.rules_version ? [t('rules_version'), h('code', { class: 'small' }, d.rules_version)] : null,
  ]);
}

const OUTCOME_NAMES = ['allow', 'verify', 'hold', 'block'];

// An outcome's name from outcome_name, or the integer 0..3, or a name.
export function outName(x) {
  if (!x) return '';
  if (x.outcome_name) return x.outcome_name;
  return typeof x.outcome === 'number' ? OUTCOME_NAMES[x.outcome] ?? String(x.outcome) : x.outcome ?? '';
}

// Payer and payee of a list item ("payer") or a transaction ("payer_acct").
export const payerOf = x => f(x, 'payer_acct', 'payer') ?? '';
export const payeeOf = x => f(x, 'payee_acct', 'payee') ?? '';
