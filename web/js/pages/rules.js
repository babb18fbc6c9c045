// rules.js — the active rule version and its rules, the version history,
// activating an older version and uploading a new one (supervisor/admin).

import { h, replace } from '../dom.js';
import { t, pick } from '../i18n.js';
import { get, post, items } from '../api.js';
import { time } from '../fmt.js';
import { table, pageHeader, section, field, errorBox, busy, badge, toast, go, loading, dl } from '../ui.js';
import { f, whenOf } from './common.js';

function rulesTable(rules) {
  return table([
    { title: t('rule'), render: r => h('code', null, r.name ?? r.id ?? r.rule ?? '') },
    { title: t('pack'), render: r => r.pack ?? '' },
    { title: t('on'), render: r => r.on ?? r.side ?? '' },
    { title: t('then'), render: r => (r.then || r.action ? badge('out', r.then ?? r.action) : '') },
    { title: 'CRCD', render: r => r.crcd ?? '' },
    { title: t('score'), render: r => String(r.score ?? ''), cls: 'num' },
    { title: t('priority'), render: r => String(r.priority ?? ''), cls: 'num' },
    { title: t('typology'), render: r => r.typology ?? '' },
    { title: t('reason'), render: r => (r.reason ? pick(r.reason) : pick(r)), cls: 'wrap' },
  ], rules, { rowClass: () => 'rule-row' });
}

function versionId(v) { return f(v, 'id', 'version_id'); }

function uploadForm() {
  const packs = h('div', { class: 'packs' });
  const addPack = (name = '', text = '') => {
    const n = packs.children.length;
    const nameIn = h('input', { type: 'text', id: `pack-name-${n}`, class: 'pack-name', value: name, required: true, maxlength: 64 });
    const textIn = h('textarea', { id: `pack-text-${n}`, class: 'pack-text code', rows: 12, required: true, spellcheck: 'false' }, text);
    const box = h('fieldset', { class: 'pack-box' }, h('legend', null, t('pack') + ' ' + (n + 1)),
      field(`pack-name-${n}`, t('pack_name'), nameIn), field(`pack-text-${n}`, t('pack_text'), textIn),
      h('button', { type: 'button', class: 'btn small ghost', onclick: () => box.remove() }, t('remove')));
    packs.appendChild(box);
  };
  addPack();
  const note = h('input', { type: 'text', id: 'upload-note', maxlength: 2000 });
  const slot = h('div', { class: 'err-slot' });
  const form = h('form', { class: 'upload-form', id: 'upload-form', onsubmit: async e => {
    e.preventDefault();
    const body = {
      packs: [...packs.querySelectorAll('.pack-box')].map(b => ({ name: b.querySelector('.pack-name').value.trim(), text: b.querySelector('.pack-text').value })),
      note: note.value,
    };
    const r = await busy(form, slot, () => post('/v1/rules', body));
    if (r) { toast(t('uploaded', { id: versionId(r) ?? versionId(r.version) ?? '' })); go('/rules'); }
  } },
  h('p', { class: 'muted small' }, t('upload_hint')),
  packs,
  h('button', { type: 'button', class: 'btn small', onclick: () => addPack() }, '+ ' + t('add_pack')),
  field('upload-note', t('note'), note), slot,
  h('button', { type: 'submit', class: 'btn primary' }, t('upload')));
  return form;
}

export async function render(view) {
  replace(view, loading());
  const [active, versions] = await Promise.all([get('/v1/rules'), get('/v1/rules/versions').catch(e => ({ error: e }))]);
  const v = active.version || active;
  const activeId = versionId(v);
  const rules = active.rules || v.rules || [];
  let versionsView;
  if (versions.error) versionsView = errorBox(versions.error);
  else {
    const slot = h('div', { class: 'err-slot' });
    versionsView = [slot, table([
      { title: t('version'), render: x => h('a', { href: '#/rules/versions/' + versionId(x) }, String(versionId(x))) },
      { title: t('created'), render: x => time(whenOf(x)) },
      { title: t('actor'), render: x => f(x, 'author', 'created_by', 'by') ?? '' },
      { title: t('note'), render: x => x.note ?? '', cls: 'wrap' },
      { title: t('rules_version'), render: x => h('code', { class: 'small' }, typeof x.version === 'string' ? x.version : '') },
      { title: t('status'), render: x => (x.active || String(versionId(x)) === String(activeId) ? badge('st', 'active') : h('button', { type: 'button', class: 'btn small activate', 'data-version': versionId(x), onclick: async e => {
        const r = await busy(e.target.closest('td'), slot, () => post(`/v1/rules/versions/${versionId(x)}/activate`, {}));
        if (r !== undefined) { toast(t('activated', { id: versionId(x) })); go('/rules'); }
      } }, t('activate'))) },
    ], items(versions))];
  }
  replace(view,
    pageHeader(t('rules_title')),
    section(t('active_version'), dl([
      [t('version'), String(activeId ?? '')],
      typeof v.version === 'string' ? [t('rules_version'), h('code', { class: 'small' }, v.version)] : null,
      [t('created'), time(whenOf(v))],
      v.note ? [t('note'), v.note] : null,
      [t('rule'), String(rules.length)],
    ]), rulesTable(rules)),
    section(t('versions'), versionsView),
    section(t('upload'), uploadForm()));
}

export async function renderVersion(view, [id]) {
  replace(view, loading());
  const v = await get('/v1/rules/versions/' + encodeURIComponent(id));
  const ver = v.version || v;
  const packs = v.packs || ver.packs || [];
  replace(view,
    pageHeader(t('version') + ' ' + id, h('a', { href: '#/rules', class: 'btn ghost' }, '← ' + t('back'))),
    section(t('details'), dl([[t('created'), time(whenOf(ver))], [t('note'), ver.note ?? ''], [t('status'), ver.active ? badge('st', 'active') : '']])),
    (v.rules || ver.rules) ? section(t('rules_title'), rulesTable(v.rules || ver.rules)) : null,
    packs.filter(p => typeof p === 'object').map(p => section(t('pack') + ' ' + (p.name ?? ''), h('pre', { class: 'code' }, p.text ?? ''))));
}
