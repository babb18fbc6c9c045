// ui_test.mjs — drives the web UI in headless Debian chromium through
// playwright-core: log in, dashboard charts, open an alert, build a case,
// comment, escalate and close it, release a hold, audit log and its chain,
// the reports page (deadline board, a large-value record, making its files
// and previewing the XML, the suspicious-report editor), language switch,
// log out.
//
//   FANZHA_URL           base URL of `fanzha serve` (default http://127.0.0.1:8080)
//   FANZHA_TOKEN         an analyst-or-higher token (admin for the rules/audit checks)
//   FANZHA_INGEST_TOKEN  an ingest token: the test posts its transactions first
//   CHROMIUM             the browser (default /usr/bin/chromium)
//
// Prints one line per check and "N passed, N failed"; exits 1 on a failure.

import { chromium } from 'playwright-core';

const BASE = (process.env.FANZHA_URL || 'http://127.0.0.1:8080').replace(/\/$/, '');
const TOKEN = process.env.FANZHA_TOKEN || '';
const INGEST = process.env.FANZHA_INGEST_TOKEN || '';
const T = 15000;

let passed = 0, failed = 0;
async function check(name, fn) {
  try {
    const extra = await fn();
    passed++;
    console.log(`ok - ${name}${extra ? ' (' + extra + ')' : ''}`);
    return true;
  } catch (err) {
    failed++;
    console.log(`FAIL - ${name}: ${String(err && err.message || err).split('\n')[0]}`);
    return false;
  }
}
function assert(cond, msg) { if (!cond) throw new Error(msg); }

async function api(method, path, token, body) {
  const res = await fetch(BASE + path, {
    method, headers: { Authorization: 'Bearer ' + token, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 200)}`);
  return json;
}

function finish() {
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

if (!TOKEN || !INGEST) {
  console.log('FAIL - setup: FANZHA_TOKEN and FANZHA_INGEST_TOKEN must be set');
  failed++;
  finish();
}

// Transactions of this run: unique ids and accounts, so a run can repeat on
// one database. A mobile transfer above the RMB 200,000 single limit from a
// personal account is held (rules/limits.rules LIM-ONLINE-SINGLE); new
// accounts with large flows also alert (TY-NEW-ACCT-LARGE). A few more
// payments around the payer give the case page a money-flow neighbourhood.
const run = Date.now().toString(36).toUpperCase();
const acct = n => `UI${run}${n}`;
const HOLD_TXN = `UIT-${run}-HOLD`;
const now = Date.now();
const iso = ms => new Date(ms).toISOString();
const txns = [
  { id: `UIT-${run}-1`, time: iso(now - 3 * 3600e3), payer_acct: acct('S1'), payee_acct: acct('P'), amount: '90000.00', channel: 'mobile', kind: 'transfer' },
  { id: `UIT-${run}-2`, time: iso(now - 2 * 3600e3), payer_acct: acct('S2'), payee_acct: acct('P'), amount: '120000.50', channel: 'online', kind: 'transfer' },
  { id: HOLD_TXN, time: iso(now - 3600e3), payer_acct: acct('P'), payee_acct: acct('Q'), amount: '250000.00', channel: 'mobile', kind: 'transfer' },
  { id: `UIT-${run}-4`, time: iso(now - 1800e3), payer_acct: acct('Q'), payee_acct: acct('R'), amount: '30000.00', channel: 'mobile', kind: 'transfer' },
].map(x => ({ currency: 'CNY', ...x }));

let holdDecision = null;
await check('setup: post test transactions through the API', async () => {
  for (const x of txns) {
    const d = await api('POST', '/v1/transactions', INGEST, x);
    if (x.id === HOLD_TXN) holdDecision = d;
  }
  assert(holdDecision && holdDecision.outcome === 'hold', `expected ${HOLD_TXN} to be held, got ${holdDecision && holdDecision.outcome}`);
  return `${txns.length} scored, ${HOLD_TXN} held`;
});

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true, args: ['--no-sandbox'],
});
const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
const pageErrors = [];
page.on('pageerror', e => pageErrors.push(e.message));
page.on('console', m => { if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) pageErrors.push(m.text()); });
page.setDefaultTimeout(T);

const text = sel => page.locator(sel).first().innerText();
const noErrorBox = async scope => {
  const n = await page.locator(`${scope || 'main'} .error`).count();
  if (n) throw new Error('error shown: ' + (await page.locator(`${scope || 'main'} .error`).first().innerText()).replace(/\s+/g, ' '));
};

try {
  await check('login screen, then sign in with the token', async () => {
    await page.goto(BASE + '/');
    await page.waitForSelector('#login-form');
    await page.fill('#token', 'fz_not_a_token');
    await page.click('#login-form button[type=submit]');
    await page.waitForSelector('#login-form .error');
    await page.fill('#token', TOKEN);
    await page.click('#login-form button[type=submit]');
    await page.waitForSelector('#nav a[data-nav=dashboard].active');
    return 'a bad token is refused with a message';
  });

  await check('dashboard charts render', async () => {
    // a coloured slice, not the grey ring an empty donut draws
    await page.waitForSelector('#chart-outcomes svg .slice, #chart-outcomes svg .slice-full');
    // the test's transactions alerted today: at least one bar
    await page.waitForSelector('#chart-alerts-day svg rect.bar');
    await page.waitForSelector('#chart-ageing svg');
    // two polls, 2 s apart, give the first decisions-per-second point pair
    await page.waitForSelector('#chart-dps svg path.line', { state: 'attached', timeout: 20000 });
    await noErrorBox('.charts');
    const scored = await text('#tile-scored .tile-value');
    assert(Number(scored.replace(/,/g, '')) >= txns.length, 'scored tile shows ' + scored);
    return 'scored ' + scored;
  });

  await check('alert filters: a minimum score above any alert empties the queue; reset refills it', async () => {
    await page.click('#nav a[data-nav=alerts]');
    await page.waitForSelector('main table.grid tbody tr a.alert-link');
    await page.fill('#f-min-score', '999999');
    await page.click('main form.filters button[type=submit]');
    await page.waitForURL(/min_score=999999/);
    await page.waitForSelector('main table.grid tbody td.empty');
    await noErrorBox();
    await page.click('main form.filters button.ghost');
    await page.waitForURL(/#\/alerts$/);
    await page.waitForSelector('main table.grid tbody tr a.alert-link');
    assert(await page.inputValue('#f-min-score') === '', 'min score still filled after reset');
  });

  let alertId = null;
  await check('alert queue lists the test alert; open it', async () => {
    await page.click('#nav a[data-nav=alerts]');
    await page.waitForSelector('main table.grid tbody tr');
    await noErrorBox();
    const row = page.locator('main table.grid tbody tr', { hasText: acct('P') }).first();
    await row.waitFor();
    alertId = (await row.locator('a.alert-link').innerText()).trim();
    await row.locator('a.alert-link').click();
    await page.waitForURL(/#\/alerts\/[^/?]+$/);
    await page.waitForSelector('main section.panel table.grid');
    await noErrorBox();
    const body = await page.locator('main').innerText();
    assert(body.includes(acct('P')), 'alert page does not show the account');
    return 'alert ' + alertId;
  });

  let caseId = null;
  await check('build a case from the alert', async () => {
    await page.fill('#case-title', `UI test case ${run}`);
    await page.click('#build-case-form button[type=submit]');
    await page.waitForURL(/#\/cases\/\d+/);
    caseId = /#\/cases\/(\d+)/.exec(page.url())[1];
    await page.waitForSelector('#case-status .badge');
    await noErrorBox();
    return 'case ' + caseId;
  });

  await check('case page draws the money-flow graph', async () => {
    await page.waitForSelector('#flow-graph svg .node');
    const nodes = await page.locator('#flow-graph svg .node').count();
    const edges = await page.locator('#flow-graph svg path.edge').count();
    const labels = await page.locator('#flow-graph svg .edge-label').allTextContents();
    assert(nodes >= 2 && edges >= 1, `${nodes} nodes, ${edges} edges`);
    assert(labels.some(l => l.includes('250,000')), 'no edge labelled 250,000');
    return `${nodes} accounts, ${edges} payments`;
  });

  await check('comment on the case', async () => {
    await page.fill('#comment-body', `Called the customer ${run}`);
    await page.click('#comment-form button[type=submit]');
    await page.waitForSelector(`#timeline >> text=Called the customer ${run}`);
  });

  await check('a form error shows the API field and message', async () => {
    await page.fill('#assignee', ' ');
    await page.click('#assign-form button[type=submit]');
    await page.waitForSelector('#assign-form .error');
    const msg = (await page.locator('#assign-form .error').innerText()).replace(/\s+/g, ' ');
    assert(/assignee/.test(msg), 'error does not name the field: ' + msg);
    await page.fill('#assignee', 'analyst1');
    await page.click('#assign-form button[type=submit]');
    await page.waitForSelector('main dl.kv >> text=analyst1');
    return msg.slice(0, 60);
  });

  await check('escalate the case', async () => {
    await page.fill('#escalate-note', 'Pattern matches a mule chain');
    await page.click('#escalate-form button[type=submit]');
    await page.waitForSelector('#case-status .b-escalated');
  });

  await check('close the case as confirmed fraud', async () => {
    await page.selectOption('#resolution', 'fraud');
    await page.fill('#close-note', 'Confirmed with the customer');
    await page.click('#close-form button[type=submit]');
    await page.waitForSelector('#case-status .b-closed_fraud');
  });

  let holdId = null;
  await check('hold queue: release the held transaction with a verification', async () => {
    await page.click('#nav a[data-nav=holds]');
    const row = page.locator('main table.grid tbody tr', { hasText: HOLD_TXN }).first();
    await row.waitFor();
    holdId = (await row.locator('a.hold-link').innerText()).trim();
    // no verification chosen: refused in the form
    await row.locator('button.release').click();
    await row.locator('.error').waitFor();
    await row.locator('select.verif').selectOption({ index: 1 });
    await row.locator('input.note').fill('Customer confirmed by call-back');
    await row.locator('button.release').click();
    await page.waitForSelector('#toast .toast');
    await page.locator('main table.grid tbody tr', { hasText: HOLD_TXN }).waitFor({ state: 'detached' });
    const hd = await api('GET', '/v1/holds/' + holdId, TOKEN);
    assert(hd.status === 'released', 'hold status ' + hd.status);
    const t = await api('GET', '/v1/transactions/' + HOLD_TXN, TOKEN);
    assert(t.hold && t.hold.status === 'released', 'GET /v1/transactions/:id hold: ' + JSON.stringify(t.hold));
    return 'hold ' + holdId;
  });

  await check('audit log has the case and the hold release', async () => {
    await page.click('#nav a[data-nav=audit]');
    await page.waitForSelector('main table.grid tbody tr.audit-row');
    await noErrorBox();
    const rows = (await page.locator('main table.grid tbody tr.audit-row').allInnerTexts()).map(r => r.replace(/\s+/g, ' '));
    const caseRows = rows.filter(r => /case/i.test(r) && new RegExp(`\\b${caseId}\\b`).test(r));
    const holdRows = rows.filter(r => /hold/i.test(r) && /release/i.test(r) && new RegExp(`\\b${holdId}\\b`).test(r));
    assert(caseRows.length > 0, `no audit entry for case ${caseId}`);
    assert(holdRows.length > 0, `no audit entry releasing hold ${holdId}`);
    return `${caseRows.length} case entries, ${holdRows.length} hold release`;
  });

  await check('verify chain says intact', async () => {
    await page.click('#verify-chain');
    await page.waitForSelector('#chain-result .ok-box, #chain-result .error');
    assert(await page.locator('#chain-result .ok-box').count() === 1, await text('#chain-result'));
    return (await text('#chain-result')).trim();
  });

  await check('rules page shows the active version and its rules', async () => {
    await page.click('#nav a[data-nav=rules]');
    await page.waitForSelector('main tr.rule-row');
    await noErrorBox();
    const n = await page.locator('main tr.rule-row').count();
    assert(await page.locator('main >> text=LIM-ONLINE-SINGLE').count() > 0, 'LIM-ONLINE-SINGLE not listed');
    return n + ' rules';
  });

  await check('reports page shows the deadline board', async () => {
    await page.click('#nav a[data-nav=reports]');
    await page.waitForSelector('#board-tiles #tile-overdue .tile-value');
    await page.waitForSelector('#chart-deadlines svg');
    await page.waitForSelector('#lv-filters');
    await noErrorBox();
    return 'overdue ' + (await text('#tile-overdue .tile-value'));
  });

  // A cash deposit of RMB 60,000 crosses the 0501 threshold (rules/pboc-large-value.rules
  // LV-0501-CNY): the engine makes a large-value record for the depositing customer.
  const LV_ACCT = acct('LV');
  const lvTime = now - 600e3;
  const lvDay = new Date(lvTime + 8 * 3600e3).toISOString().slice(0, 10); // its Asia/Shanghai day
  await check('a 60,000 CNY cash deposit appears in the large-value queue', async () => {
    await api('POST', '/v1/transactions', INGEST, { id: `UIT-${run}-LV`, time: iso(lvTime), payee_acct: LV_ACCT, amount: '60000.00', currency: 'CNY', channel: 'counter', kind: 'cash_deposit' });
    await page.goto(`${BASE}/#/reports?status=pending&lv_from=${lvDay}&lv_to=${lvDay}`);
    const row = page.locator('main tr.lv-row', { hasText: LV_ACCT }).first();
    await row.waitFor();
    const txt = (await row.innerText()).replace(/\s+/g, ' ');
    assert(txt.includes('0501'), 'row lacks CRCD 0501: ' + txt);
    return txt.slice(0, 80);
  });

  await check('make the large-value files; the preview shows <HVTR>', async () => {
    await page.fill('#make-from', lvDay);
    await page.fill('#make-to', lvDay);
    await page.click('#make-files-form button[type=submit]');
    await page.waitForSelector('#toast .toast');
    await page.locator('main tr.lv-row.lv-pending', { hasText: LV_ACCT }).waitFor({ state: 'detached' });
    const recs = await api('GET', `/v1/reports/large-value?customer=${LV_ACCT}`, TOKEN);
    assert(recs.items.length === 1 && recs.items[0].status === 'filed', 'record not filed: ' + JSON.stringify(recs.items));
    const name = recs.items[0].file_name;
    const row = page.locator('main table.grid tbody tr', { hasText: name }).first();
    await row.locator('button.preview').click();
    await page.waitForSelector('#file-preview');
    const xml = await text('#file-preview');
    assert(xml.includes('<HVTR>') && xml.includes(LV_ACCT), 'preview lacks <HVTR> or the customer');
    return name;
  });

  await check('suspicious report editor: edit the analysis and submit', async () => {
    const draft = await api('POST', `/v1/cases/${caseId}/str`, TOKEN, {});
    await page.goto(`${BASE}/#/reports/str/${draft.id}`);
    await page.waitForSelector('#str-aosp');
    await noErrorBox();
    await page.fill('#str-aosp', `经分析，该账户资金快进快出，疑似电信诈骗资金过渡账户（${run}）。`);
    // mark the box the test typed into: the saved text must come back in a
    // new one, drawn from the server's answer after the save
    await page.evaluate(() => { document.querySelector('#str-aosp').dataset.typed = '1'; });
    await page.click('#str-save');
    await page.waitForSelector('#toast .toast');
    await page.waitForSelector('#str-aosp:not([data-typed])');
    assert((await page.inputValue('#str-aosp')).includes(run), 'the saved analysis is not shown after the reload');
    await page.click('#str-submit');
    await page.waitForSelector('#str-status .b-submitted');
    await page.waitForSelector('#str-approve');
    const got = await api('GET', '/v1/str/' + draft.id, TOKEN);
    assert(got.status === 'submitted' && got.content.aosp.includes(run), 'report ' + got.status);
    return 'report ' + draft.id + ' submitted';
  });

  await check('switch language to English and back', async () => {
    const zh = await text('#nav a[data-nav=audit]');
    await page.click('#lang');
    await page.waitForFunction(() => document.querySelector('#nav a[data-nav=audit]').textContent === 'Audit');
    assert(await page.evaluate(() => document.documentElement.lang) === 'en', 'html lang not en');
    await page.click('#lang');
    await page.waitForFunction(z => document.querySelector('#nav a[data-nav=audit]').textContent === z, zh);
    return `${zh} ⇄ Audit`;
  });

  await check('log out returns to the login screen', async () => {
    await page.click('#logout');
    await page.waitForSelector('#login-form');
    assert(await page.evaluate(() => sessionStorage.getItem('fanzha.token')) === null, 'token still stored');
  });

  await check('no script errors in the page', async () => {
    assert(pageErrors.length === 0, pageErrors.join(' | '));
  });
} finally {
  await browser.close();
}
finish();
