// screenshots.mjs — run by hand: loads demo data into a running `fanzha
// serve` and writes docs/img/dashboard.png and docs/img/case.png.
//
//   sh tests/browser/run.sh screenshots     (a fresh server, as the tests do)
//   or FANZHA_URL=... FANZHA_TOKEN=... FANZHA_INGEST_TOKEN=... node screenshots.mjs
//
// The pictures need a CJK font (Debian: fonts-noto-cjk) to show Chinese.

import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BASE = (process.env.FANZHA_URL || 'http://127.0.0.1:8080').replace(/\/$/, '');
const TOKEN = process.env.FANZHA_TOKEN, INGEST = process.env.FANZHA_INGEST_TOKEN;
const OUT = process.env.OUT_DIR || join(dirname(fileURLToPath(import.meta.url)), '../../docs/img');
const LANG = process.env.UI_LANG || 'zh';

async function api(method, path, token, body) {
  const res = await fetch(BASE + path, { method, headers: { Authorization: 'Bearer ' + token, 'Content-Type': 'application/json' }, body: body && JSON.stringify(body) });
  const j = await res.json().catch(() => null);
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(j)}`);
  return j;
}

// A small, fixed story: five people pay a new "mule" account, which passes
// the money on at once to two more accounts; one of them sends a large
// mobile transfer that is held. Around it, ordinary payments.
const now = Date.now();
const iso = ms => new Date(ms).toISOString();
const demo = [];
let n = 0;
const add = (min, payer, payee, amount, channel = 'mobile', kind = 'transfer') =>
  demo.push({ id: `DEMO-${++n}`, time: iso(now - min * 60e3), payer_acct: payer, payee_acct: payee, amount, currency: 'CNY', channel, kind });
const victims = ['6222020011110001', '6222020011110002', '6222020011110003', '6222020011110004', '6222020011110005'];
const mule = '6217000099990001', mule2 = '6217000099990002', mule3 = '6230000077770003', sink = '6228480066660004';
victims.forEach((v, i) => add(300 - i * 25, v, mule, ['48000.00', '52000.00', '39500.00', '61000.00', '45000.00'][i]));
add(150, mule, mule2, '120000.00');
add(140, mule, mule3, '118000.00', 'online');
add(120, mule2, sink, '230000.00');
add(100, mule3, sink, '116500.00', 'online');
for (let i = 0; i < 24; i++) add(600 - i * 20, `6222030000${String(100 + (i % 9)).padStart(6, '0')}`, `6222030000${String(200 + ((i * 7) % 11)).padStart(6, '0')}`, `${(1200 + i * 377) % 9000}.${String(i * 13 % 100).padStart(2, '0')}`, i % 3 ? 'mobile' : 'pos', i % 3 ? 'transfer' : 'payment');

for (const x of demo) await api('POST', '/v1/transactions', INGEST, x);
console.log(`posted ${demo.length} demo transactions`);

// A case around the mule, with a note.
const alerts = (await api('GET', `/v1/alerts?account=${mule}&limit=100`, TOKEN)).items.filter(a => a.status === 'open');
const kase = await api('POST', '/v1/cases', TOKEN, { title: '疑似电诈资金中转账户 ' + mule, alert_ids: alerts.slice(0, 6).map(a => a.id), assignee: 'analyst.wang' });
await api('POST', `/v1/cases/${kase.id}/comments`, TOKEN, { body: '账户开立不足30天，5名不同付款人转入后当日分两笔全额转出。已电话联系开户人，暂未接通。' });
console.log('case', kase.id);

mkdirSync(OUT, { recursive: true });
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true, args: ['--no-sandbox'] });
const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1 });
await page.goto(BASE + '/');
await page.evaluate(([t, l]) => { sessionStorage.setItem('fanzha.token', t); localStorage.setItem('fanzha.lang', l); }, [TOKEN, LANG]);
await page.goto(BASE + '/#/dashboard');
// traffic while the dashboard polls, so decisions per second has a shape
const until = Date.now() + 40e3;
let k = 0;
while (Date.now() < until) {
  const burst = 3 + Math.round(6 + 5 * Math.sin(k / 4));
  await Promise.all(Array.from({ length: burst }, (_, j) => api('POST', '/v1/transactions', INGEST,
    { id: `LIVE-${k}-${j}`, time: iso(Date.now()), payer_acct: `62220400${String((k * 31 + j) % 500).padStart(8, '0')}`, payee_acct: `62220400${String((k * 17 + j * 3) % 500 + 500).padStart(8, '0')}`, amount: `${100 + ((k * 97 + j * 13) % 5000)}.00`, currency: 'CNY', channel: 'mobile', kind: 'transfer' })));
  k++;
  await new Promise(r => setTimeout(r, 500));
}
await page.screenshot({ path: join(OUT, 'dashboard.png') });
await page.goto(BASE + `/#/cases/${kase.id}`);
await page.waitForSelector('#flow-graph svg .node');
await page.selectOption('#g-depth', '2');
await page.locator('form.filters.compact button[type=submit]').click();
await page.waitForSelector('#flow-graph svg .node');
await page.waitForTimeout(500);
await page.screenshot({ path: join(OUT, 'case.png'), fullPage: true });
await browser.close();
console.log(`wrote ${join(OUT, 'dashboard.png')} and ${join(OUT, 'case.png')}`);
