// dashboard.js — live decisions per second, the outcome mix, alerts per day
// and the ageing of open cases.

import { h, replace } from '../dom.js';
import { t, label } from '../i18n.js';
import { get, items } from '../api.js';
import { lineChart, donut, stackedBars, chartCard, COLORS } from '../charts.js';
import { int, duration, timeShort } from '../fmt.js';
import { errorBox, pageHeader, tile } from '../ui.js';

const POLL_MS = 2000;
const KEEP = 60;               // points on the decisions-per-second chart
const OUTCOMES = ['allow', 'verify', 'hold', 'block'];

// Kept across visits to the page, so the line does not start empty each time.
const history = { points: [], last: null };

// Turns a list of per-category rows into categories and numeric series:
// the category is the row's day/date/bucket/label, the series its numeric
// fields ("total" only when it is the sole one).
function toSeries(rows, catKeys) {
  if (!rows.length) return { categories: [], series: [] };
  const catKey = catKeys.find(k => k in rows[0]) || Object.keys(rows[0]).find(k => typeof rows[0][k] === 'string');
  const skip = new Set([catKey, 'from_ms', 'to_ms', 'day_ms', 'start_ms', 'min_days', 'max_days', 'min_ms', 'max_ms', 'min_hours', 'max_hours']);
  let keys = Object.keys(rows[0]).filter(k => !skip.has(k) && typeof rows[0][k] === 'number');
  if (keys.length > 1) keys = keys.filter(k => k !== 'total' && k !== 'count');
  const colorOf = (k, i) => COLORS[k] || COLORS.series[i % COLORS.series.length];
  return {
    categories: rows.map(r => String(r[catKey] ?? '')),
    series: keys.map((k, i) => ({ name: keys.length === 1 ? '' : nameOf(k), color: colorOf(k, i), values: rows.map(r => r[k]) })),
  };
}

// A series key as an outcome or status name ("block" -> 拦截), else the key.
function nameOf(k) {
  const o = label('out', k);
  return o !== k ? o : label('st', k);
}

// Rows of a stats answer: a list, {items}, {days}, {buckets}, or an object of
// {category: count}.
function rowsOf(data, catName) {
  const list = items(data);
  if (list.length) return list;
  for (const k of ['days', 'buckets', 'ageing', 'series']) if (Array.isArray(data?.[k])) return data[k];
  if (data && typeof data === 'object') {
    const obj = data.counts || data.by_day || data.by_bucket;
    if (obj && typeof obj === 'object') return Object.entries(obj).map(([c, v]) => ({ [catName]: c, count: Number(v) }));
  }
  return [];
}

export async function render(view) {
  const tiles = h('div', { class: 'tiles' });
  const dps = h('div');
  const mix = h('div');
  const perDay = h('div');
  const ageing = h('div');
  const err = h('div', { class: 'err-slot' });
  replace(view,
    pageHeader(t('dash_title'), h('span', { class: 'muted small' }, t('tz_note'))),
    err, tiles,
    h('div', { class: 'charts' },
      chartCard('chart-dps', t('dps'), dps, t('dps_hint')),
      chartCard('chart-outcomes', t('outcomes'), mix),
      chartCard('chart-alerts-day', t('alerts_per_day'), perDay),
      chartCard('chart-ageing', t('case_ageing'), ageing)));

  function drawLive(live) {
    const o = live.outcomes || {};
    replace(tiles,
      tile('tile-scored', t('scored'), int(live.scored)),
      OUTCOMES.map(k => tile('tile-' + k, label('out', k), int(o[k] ?? 0))),
      tile('tile-accounts', t('accounts'), int(live.accounts)),
      tile('tile-uptime', t('uptime'), duration(live.uptime_ms)));
    replace(mix, donut(OUTCOMES.map(k => ({ name: label('out', k), value: o[k] ?? 0, color: COLORS[k] })),
      { title: t('outcomes'), totalLabel: t('scored') }));
  }

  function drawDps() {
    replace(dps, lineChart(history.points, { title: t('dps'), yLabel: t('per_s'), xFormat: x => timeShort(x).slice(6) + ':' + String(new Date(x).getUTCSeconds()).padStart(2, '0') }));
  }

  async function poll() {
    try {
      const live = await get('/v1/stats/live');
      const last = history.last;
      if (last && live.now_ms > last.now_ms) {
        const dt = (live.now_ms - last.now_ms) / 1000;
        const dn = Math.max(0, (live.scored ?? 0) - (last.scored ?? 0));
        history.points.push({ x: live.now_ms, y: Math.round((dn / dt) * 10) / 10 });
        if (history.points.length > KEEP) history.points.splice(0, history.points.length - KEEP);
      }
      history.last = live;
      replace(err);
      drawLive(live);
      drawDps();
    } catch (e) {
      replace(err, errorBox(e));
    }
  }

  async function drawDaily() {
    try {
      const data = await get('/v1/stats/alerts-per-day');
      const { categories, series } = toSeries(rowsOf(data, 'day'), ['day', 'date']);
      replace(perDay, stackedBars(categories.map(c => c.length === 10 ? c.slice(5) : c), series.map(se => ({ ...se, name: se.name || t('alerts_count') })), { title: t('alerts_per_day') }));
    } catch (e) {
      replace(perDay, errorBox(e));
    }
    try {
      const data = await get('/v1/stats/case-ageing');
      const { categories, series } = toSeries(rowsOf(data, 'bucket'), ['bucket', 'label', 'range', 'age']);
      replace(ageing, stackedBars(categories, series.map(se => ({ ...se, name: se.name || t('cases_count') })), { title: t('case_ageing') }));
    } catch (e) {
      replace(ageing, errorBox(e));
    }
  }

  drawDps();
  await poll();
  drawDaily();
  let n = 0;
  const timer = setInterval(() => {
    poll();
    if (++n % 15 === 0) drawDaily(); // every 30 s
  }, POLL_MS);
  return () => clearInterval(timer);
}
