// audit.js — the audit log, newest first, and the check of its hash chain.

import { h, replace } from '../dom.js';
import { t } from '../i18n.js';
import { get, qs, items } from '../api.js';
import { time } from '../fmt.js';
import { table, pager, pageHeader, errorBox, go, loading } from '../ui.js';
import { f, whenOf } from './common.js';

const LIMIT = 50;

function detailText(e) {
  const d = f(e, 'detail', 'details', 'data', 'payload');
  if (d === undefined) return '';
  return typeof d === 'string' ? d : JSON.stringify(d);
}

export async function render(view, _p, query) {
  const offset = Number(query.offset || 0);
  const result = h('div', { id: 'chain-result', role: 'status', 'aria-live': 'polite' });
  const verifyBtn = h('button', { type: 'button', class: 'btn primary', id: 'verify-chain', onclick: async () => {
    verifyBtn.disabled = true;
    replace(result, loading());
    try {
      const r = await get('/v1/audit/verify');
      // {ok: true, entries} or {ok: false, bad_seq, why} (docs/api.md); an
      // answer without a boolean ok is not taken as intact
      replace(result, r && r.ok === true
        ? h('div', { class: 'ok-box' }, '✓ ', t('chain_ok', { n: r.entries ?? '' }))
        : h('div', { class: 'error' }, '✗ ', t('chain_bad', { n: r?.bad_seq ?? '?' }), r?.why ? ' — ' + r.why : ''));
    } catch (e) {
      replace(result, errorBox(e));
    } finally {
      verifyBtn.disabled = false;
    }
  } }, t('verify_chain'));
  const body = h('div', null, loading());
  replace(view, pageHeader(t('audit_title'), verifyBtn), result, body);
  let data;
  try { data = await get(qs('/v1/audit', { limit: LIMIT, offset })); } catch (e) { replace(body, errorBox(e)); return; }
  replace(body, table([
    { title: t('id'), render: e => String(f(e, 'id', 'seq') ?? '') , cls: 'num' },
    { title: t('time'), render: e => time(whenOf(e)) },
    { title: t('actor'), render: e => f(e, 'actor', 'who', 'by', 'token_name') ?? '' },
    { title: t('action'), render: e => h('code', { class: 'audit-action' }, f(e, 'action', 'event', 'kind', 'type') ?? '') },
    { title: t('object'), render: e => h('code', null, [f(e, 'object_type', 'object_kind', 'entity'), f(e, 'object_id', 'object', 'target', 'entity_id')].filter(x => x !== undefined && x !== null && x !== '').join(' ')) },
    { title: t('detail'), render: e => h('span', { class: 'audit-detail' }, detailText(e)), cls: 'wrap' },
  ], items(data), { rowClass: () => 'audit-row' }), pager(data, off => go('/audit', { offset: off })));
}
