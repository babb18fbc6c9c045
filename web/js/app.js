// app.js — login, navigation, hash routing and the language switch.

import { h, replace } from './dom.js';
import { t, getLang, setLang } from './i18n.js';
import { get, token, setToken, clearToken, setUnauthorizedHandler, ApiError, whoami, isSenior } from './api.js';
import { errorBox } from './ui.js';
import * as dashboard from './pages/dashboard.js';
import * as alerts from './pages/alerts.js';
import * as cases from './pages/cases.js';
import * as holds from './pages/holds.js';
import * as rules from './pages/rules.js';
import * as audit from './pages/audit.js';
import * as reports from './pages/reports.js';

const NAV = [
  ['dashboard', 'nav_dashboard'],
  ['alerts', 'nav_alerts'],
  ['cases', 'nav_cases'],
  ['holds', 'nav_holds'],
  ['reports', 'nav_reports'],
  ['rules', 'nav_rules'],
  ['audit', 'nav_audit'],
];

// [pattern, module, function name]
const ROUTES = [
  [/^\/?(dashboard)?$/, dashboard, 'render'],
  [/^\/alerts$/, alerts, 'renderList'],
  [/^\/alerts\/([^/]+)$/, alerts, 'renderOne'],
  [/^\/cases$/, cases, 'renderList'],
  [/^\/cases\/([^/]+)$/, cases, 'renderOne'],
  [/^\/holds$/, holds, 'renderList'],
  [/^\/holds\/([^/]+)$/, holds, 'renderOne'],
  [/^\/rules$/, rules, 'render'],
  [/^\/rules\/versions\/([^/]+)$/, rules, 'renderVersion'],
  [/^\/audit$/, audit, 'render'],
  [/^\/reports$/, reports, 'render'],
  [/^\/reports\/str\/([^/]+)$/, reports, 'renderStr'],
];

// Pages a role may open; the API enforces the same on every call.
const SENIOR_ONLY = new Set(['audit']);
let me = null; // {name, role} of the token, from GET /v1/me (whoami)

const main = document.getElementById('main');
let cleanup = null;
let generation = 0;

function parseHash() {
  const raw = location.hash.replace(/^#/, '') || '/';
  const [path, q] = raw.split('?');
  return { path, query: Object.fromEntries(new URLSearchParams(q || '')) };
}

function renderNav(active) {
  const nav = document.getElementById('nav');
  const items = NAV.filter(([id]) => !SENIOR_ONLY.has(id) || isSenior(me));
  replace(nav, h('ul', null, items.map(([id, key]) =>
    h('li', null, h('a', { href: '#/' + id, class: id === active ? 'active' : null, 'aria-current': id === active ? 'page' : null, 'data-nav': id }, t(key))))));
  document.getElementById('who').textContent = me ? `${me.name} · ${t('role_' + me.role)}` : '';
  document.getElementById('lang').textContent = t('lang_switch');
  document.getElementById('logout').textContent = t('logout');
  document.getElementById('brand-name').textContent = t('brand');
  document.title = t('app_name');
}

async function route() {
  const gen = ++generation;
  if (cleanup) { try { cleanup(); } catch { /* page already gone */ } cleanup = null; }
  if (!token()) { showLogin(); return; }
  me = await whoami();
  document.getElementById('topbar').hidden = false;
  const { path, query } = parseHash();
  const section = (path.split('/')[1] || 'dashboard');
  renderNav(section);
  for (const [re, mod, fn] of ROUTES) {
    const m = re.exec(path);
    if (!m) continue;
    // Each page draws into its own view: a slow page that finishes after
    // the user moved on draws into a detached node.
    const view = h('div', { class: 'view' });
    replace(main, view);
    main.dataset.page = section;
    try {
      const r = await mod[fn](view, m.slice(1).map(x => x && decodeURIComponent(x)), query);
      if (typeof r === 'function') {
        if (gen === generation) cleanup = r;
        else r();
      }
    } catch (err) {
      replace(view, errorBox(err));
    }
    return;
  }
  replace(main, h('h1', null, t('not_found')));
}

function showLogin(err) {
  document.getElementById('topbar').hidden = true;
  document.title = t('app_name');
  const input = h('input', { id: 'token', type: 'password', autocomplete: 'off', required: true, spellcheck: 'false' });
  const slot = h('div', { class: 'err-slot' }, err ? errorBox(err) : null);
  const form = h('form', { class: 'login-box', id: 'login-form', onsubmit: async e => {
    e.preventDefault();
    const tok = input.value.trim();
    if (!tok) return;
    try {
      await get('/v1/stats/live', { token: tok, noRedirect: true });
    } catch (e2) {
      const msg = e2.status === 401 ? t('login_bad') : e2.status === 403 ? t('login_forbidden') : e2.message;
      replace(slot, errorBox(Object.assign(new ApiError(e2.status, null), { message: msg, code: e2.code })));
      return;
    }
    setToken(tok);
    if (!location.hash || location.hash === '#/' || location.hash === '#') location.hash = '#/dashboard';
    else route();
  } },
  h('div', { class: 'login-brand' }, h('span', { class: 'logo big', 'aria-hidden': 'true' }, '反'), h('h1', null, t('app_name'))),
  h('h2', null, t('login_title')),
  h('p', { class: 'muted' }, t('login_hint')),
  h('div', { class: 'field' }, h('label', { for: 'token' }, t('token')), input),
  slot,
  h('div', { class: 'row' },
    h('button', { type: 'submit', class: 'btn primary' }, t('login')),
    h('button', { type: 'button', class: 'link-btn', id: 'login-lang', onclick: toggleLang }, t('lang_switch'))));
  replace(main, h('div', { class: 'login-wrap' }, form));
  main.dataset.page = 'login';
  input.focus();
}

function toggleLang() {
  setLang(getLang() === 'zh' ? 'en' : 'zh');
  route();
}

setLang(getLang());
setUnauthorizedHandler(err => { clearToken(); me = null; showLogin(err); });
document.getElementById('lang').addEventListener('click', toggleLang);
document.getElementById('logout').addEventListener('click', () => { clearToken(); me = null; location.hash = '#/'; showLogin(); });
window.addEventListener('hashchange', route);
route();
