// graph.js — the money-flow neighbourhood of accounts as an SVG: a
// deterministic force-directed layout, arrows from payer to payee labelled
// with amount and time. Parallel payments between two accounts are drawn as
// separate curves up to MAX_PARALLEL, then as one arrow with a count and sum.

import { s, h } from './dom.js';
import { t } from './i18n.js';
import { moneyShort, money, timeShort, time, toMs } from './fmt.js';

const MAX_PARALLEL = 3;

// A small seeded generator, so the same graph always gets the same picture.
function rng(seed) {
  let x = seed >>> 0 || 1;
  return () => { x ^= x << 13; x >>>= 0; x ^= x >> 17; x ^= x << 5; x >>>= 0; return x / 4294967296; };
}

function hash(str) {
  let hh = 2166136261;
  for (const ch of str) { hh ^= ch.codePointAt(0); hh = Math.imul(hh, 16777619); }
  return hh >>> 0;
}

// Positions {id: {x, y}} in a w x h box. focus nodes start in the middle.
function layout(nodes, links, w, ht, focus) {
  const n = nodes.length;
  const pos = new Map();
  const rand = rng(hash(nodes.map(x => x.id).join('|')));
  const cx = w / 2, cy = ht / 2;
  nodes.forEach((nd, i) => {
    const isFocus = focus.has(nd.id);
    const a = (2 * Math.PI * i) / Math.max(1, n);
    const r = isFocus ? 30 * rand() : Math.min(w, ht) * (0.3 + 0.1 * rand());
    pos.set(nd.id, { x: cx + r * Math.cos(a), y: cy + r * Math.sin(a), dx: 0, dy: 0 });
  });
  if (n <= 1) { if (n) Object.assign(pos.get(nodes[0].id), { x: cx, y: cy }); return pos; }
  const area = (w - 80) * (ht - 80);
  const k = Math.sqrt(area / n) * 0.9;
  let temp = Math.min(w, ht) / 8;
  const iters = 300;
  const list = [...pos.values()];
  const pairs = [];
  const seen = new Set();
  for (const l of links) {
    const key = l.from < l.to ? l.from + '\u0000' + l.to : l.to + '\u0000' + l.from;
    if (l.from === l.to || seen.has(key) || !pos.has(l.from) || !pos.has(l.to)) continue;
    seen.add(key);
    pairs.push([pos.get(l.from), pos.get(l.to)]);
  }
  for (let it = 0; it < iters; it++) {
    for (const p of list) { p.dx = 0; p.dy = 0; }
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        const a = list[i], b = list[j];
        let dx = a.x - b.x, dy = a.y - b.y;
        let d2 = dx * dx + dy * dy;
        if (d2 < 0.01) { dx = rand() - 0.5; dy = rand() - 0.5; d2 = 0.01; }
        const d = Math.sqrt(d2);
        const force = (k * k) / d;
        a.dx += (dx / d) * force; a.dy += (dy / d) * force;
        b.dx -= (dx / d) * force; b.dy -= (dy / d) * force;
      }
    }
    for (const [a, b] of pairs) {
      const dx = a.x - b.x, dy = a.y - b.y;
      const d = Math.max(0.1, Math.sqrt(dx * dx + dy * dy));
      const force = (d * d) / k;
      a.dx -= (dx / d) * force; a.dy -= (dy / d) * force;
      b.dx += (dx / d) * force; b.dy += (dy / d) * force;
    }
    for (const p of list) {
      // a weak pull to the centre keeps separate components on screen
      p.dx += (cx - p.x) * 0.02 * k / 10; p.dy += (cy - p.y) * 0.02 * k / 10;
      const d = Math.sqrt(p.dx * p.dx + p.dy * p.dy) || 1;
      const step = Math.min(d, temp);
      p.x += (p.dx / d) * step; p.y += (p.dy / d) * step;
      p.x = Math.max(50, Math.min(w - 50, p.x));
      p.y = Math.max(36, Math.min(ht - 36, p.y));
    }
    temp = Math.max(1, temp * 0.985);
  }
  return pos;
}

function shortId(id) {
  const str = String(id);
  return str.length > 14 ? str.slice(0, 6) + '…' + str.slice(-6) : str;
}

// data: {nodes, edges}; focus: account ids of the case; onNode(id) on a click.
export function flowGraph(data, focusIds, opts = {}) {
  const w = opts.width || 960, ht = opts.height || 560;
  const edges = (data.edges || []).filter(e => e.from && e.to);
  const ids = new Map();
  for (const nd of data.nodes || []) ids.set(String(nd.id), nd);
  for (const e of edges) {
    if (!ids.has(String(e.from))) ids.set(String(e.from), { id: String(e.from) });
    if (!ids.has(String(e.to))) ids.set(String(e.to), { id: String(e.to) });
  }
  const nodes = [...ids.values()].map(nd => ({ ...nd, id: String(nd.id) })).sort((a, b) => (a.id < b.id ? -1 : 1));
  const focus = new Set([...focusIds].map(String));
  const svg = s('svg', { viewBox: `0 0 ${w} ${ht}`, class: 'flow-graph', role: 'img', 'aria-label': t('flows') },
    s('title', null, t('flows')),
    s('defs', null,
      s('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' },
        s('path', { d: 'M0 0 L10 5 L0 10 z', class: 'arrow-head' })),
      s('marker', { id: 'arrow-hot', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' },
        s('path', { d: 'M0 0 L10 5 L0 10 z', class: 'arrow-head hot' }))));
  if (!nodes.length) {
    svg.appendChild(s('text', { x: w / 2, y: ht / 2, 'text-anchor': 'middle', class: 'empty-label' }, t('flows_none')));
    return svg;
  }
  // group parallel payments by direction
  const groups = new Map();
  for (const e of edges) {
    const key = e.from + '\u0000' + e.to;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(e);
  }
  const links = [...groups.entries()].map(([key, list]) => {
    const [from, to] = key.split('\u0000');
    list.sort((a, b) => (toMs(a.time_ms ?? a.time) ?? 0) - (toMs(b.time_ms ?? b.time) ?? 0));
    return { from, to, list };
  });
  const pos = layout(nodes, links, w, ht, focus);
  const radius = id => (focus.has(id) ? 15 : 9);
  const gEdges = s('g', { class: 'edges' });
  const gLabels = s('g', { class: 'edge-labels' });
  for (const l of links) {
    const a = pos.get(l.from), b = pos.get(l.to);
    if (!a || !b) continue;
    const reverse = groups.has(l.to + '\u0000' + l.from);
    const shown = l.list.length > MAX_PARALLEL ? [{ agg: true, list: l.list }] : l.list.map(e => ({ agg: false, e }));
    shown.forEach((item, i) => {
      const hot = focus.has(l.from) && focus.has(l.to);
      // curve: offset perpendicular to the line, parallel ones spread out,
      // and a payment back the other way bends to its own side
      const dx = b.x - a.x, dy = b.y - a.y;
      const d = Math.max(1, Math.hypot(dx, dy));
      const nx = -dy / d, ny = dx / d;
      const off = (reverse ? 18 : 0) + 24 * (i - (shown.length - 1) / 2);
      const mx = (a.x + b.x) / 2 + nx * off, my = (a.y + b.y) / 2 + ny * off;
      // end points on the circles' rims, aimed at the control point
      const ra = radius(l.from), rb = radius(l.to) + 2;
      const ua = Math.hypot(mx - a.x, my - a.y) || 1, ub = Math.hypot(mx - b.x, my - b.y) || 1;
      const sx = a.x + ((mx - a.x) / ua) * ra, sy = a.y + ((my - a.y) / ua) * ra;
      const ex = b.x + ((mx - b.x) / ub) * rb, ey = b.y + ((my - b.y) / ub) * rb;
      const path = `M${sx.toFixed(1)} ${sy.toFixed(1)} Q${mx.toFixed(1)} ${my.toFixed(1)} ${ex.toFixed(1)} ${ey.toFixed(1)}`;
      let text, tip;
      if (item.agg) {
        const cur = item.list[0].currency;
        const sum = item.list.reduce((acc, e) => acc + BigInt(fenOf(e.amount)), 0n);
        text = `${t('edges_n', { n: item.list.length })} · ${moneyShort(sum.toString(), cur)}`;
        tip = item.list.map(e => `${time(e.time_ms ?? e.time)}  ${money(e.amount, e.currency)} ${e.currency || ''}  ${e.txn_id || ''}`).join('\n');
      } else {
        const e = item.e;
        text = `${moneyShort(e.amount, e.currency)}${e.currency && e.currency !== 'CNY' ? ' ' + e.currency : ''} · ${timeShort(e.time_ms ?? e.time)}`;
        tip = `${l.from} → ${l.to}\n${money(e.amount, e.currency)} ${e.currency || ''}\n${time(e.time_ms ?? e.time)}\n${e.txn_id || ''}`;
      }
      gEdges.appendChild(s('path', { d: path, class: 'edge' + (hot ? ' hot' : ''), 'marker-end': hot ? 'url(#arrow-hot)' : 'url(#arrow)', 'data-from': l.from, 'data-to': l.to },
        s('title', null, tip)));
      // label at the curve's midpoint (t = 0.5 of the quadratic)
      const lx = 0.25 * sx + 0.5 * mx + 0.25 * ex, ly = 0.25 * sy + 0.5 * my + 0.25 * ey;
      gLabels.appendChild(s('text', { x: lx.toFixed(1), y: (ly - 3).toFixed(1), class: 'edge-label', 'text-anchor': 'middle' }, text, s('title', null, tip)));
    });
  }
  const gNodes = s('g', { class: 'nodes' });
  for (const nd of nodes) {
    const p = pos.get(nd.id);
    const isFocus = focus.has(nd.id);
    const g = s('g', { class: 'node' + (isFocus ? ' focus' : ''), transform: `translate(${p.x.toFixed(1)} ${p.y.toFixed(1)})`, tabindex: opts.onNode ? 0 : null, role: opts.onNode ? 'button' : null, 'data-id': nd.id,
      'aria-label': t('account') + ' ' + nd.id },
    s('title', null, [t('account') + ' ' + nd.id, nd.name, nd.cust ? 'cust ' + nd.cust : '', nd.grade !== undefined ? 'grade ' + nd.grade : ''].filter(Boolean).join('\n')),
    s('circle', { r: radius(nd.id) }),
    s('text', { y: radius(nd.id) + 13, 'text-anchor': 'middle', class: 'node-label' }, shortId(nd.id)));
    if (opts.onNode) {
      g.addEventListener('click', () => opts.onNode(nd.id));
      g.addEventListener('keydown', e => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); opts.onNode(nd.id); } });
    }
    gNodes.appendChild(g);
  }
  svg.append(gEdges, gLabels, gNodes);
  return svg;
}

// An amount in fen as a decimal string of an integer, from fen or "12.34".
function fenOf(amount) {
  if (typeof amount === 'string' && amount.includes('.')) {
    const neg = amount.startsWith('-');
    const [i, fr = ''] = amount.replace('-', '').split('.');
    return (neg ? '-' : '') + i + (fr + '00').slice(0, 2);
  }
  return String(amount ?? 0);
}

export function legend() {
  return h('p', { class: 'muted small' }, t('flows_hint'));
}
