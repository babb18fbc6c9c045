// charts.js — small SVG charts: line, stacked bars, donut. Each returns an
// <svg> with axes, tick labels, a <title> and an aria-label.

import { s, h } from './dom.js';
import { t } from './i18n.js';
import { int } from './fmt.js';

export const COLORS = {
  allow: '#2e7d4f', verify: '#c9a227', hold: '#d9822b', block: '#c0392b',
  line: '#1f5fa8', bar: '#1f5fa8', muted: '#8a94a6',
  series: ['#1f5fa8', '#d9822b', '#2e7d4f', '#c0392b', '#7b4fa8', '#c9a227', '#3a9fb0'],
};

// A "nice" axis maximum and step for values up to max, about n ticks;
// counts (integer) never get a step below 1.
function niceScale(max, n = 4, integer = false) {
  if (!(max > 0)) return { max: 1, step: 1 };
  const raw = max / n;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const f = raw / mag;
  let step = (f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10) * mag;
  if (integer) step = Math.max(1, Math.round(step));
  return { max: Math.ceil(max / step) * step, step };
}

function fmtTick(v) {
  if (Math.abs(v) >= 1000) return int(Math.round(v));
  return String(Math.round(v * 100) / 100);
}

function frame(w, ht, title) {
  return s('svg', { viewBox: `0 0 ${w} ${ht}`, class: 'chart', role: 'img', 'aria-label': title, preserveAspectRatio: 'xMidYMid meet' },
    s('title', null, title));
}

function yAxis(svg, m, w, ht, scale) {
  const plotH = ht - m.t - m.b;
  for (let v = 0; v <= scale.max + 1e-9; v += scale.step) {
    const y = m.t + plotH - (v / scale.max) * plotH;
    svg.appendChild(s('line', { x1: m.l, x2: w - m.r, y1: y, y2: y, class: v === 0 ? 'axis' : 'grid' }));
    svg.appendChild(s('text', { x: m.l - 6, y: y + 4, class: 'tick', 'text-anchor': 'end' }, fmtTick(v)));
  }
  svg.appendChild(s('line', { x1: m.l, x2: m.l, y1: m.t, y2: ht - m.b, class: 'axis' }));
}

// points: [{x: number, y: number}] in x order. opts: {title, xFormat(x), yLabel}
export function lineChart(points, opts = {}) {
  const w = opts.width || 560, ht = opts.height || 220;
  const m = { l: 48, r: 14, t: 14, b: 30 };
  const svg = frame(w, ht, opts.title || '');
  svg.classList.add('line-chart');
  const plotW = w - m.l - m.r, plotH = ht - m.t - m.b;
  const maxY = Math.max(0, ...points.map(p => p.y));
  const scale = niceScale(maxY || 1);
  yAxis(svg, m, w, ht, scale);
  if (opts.yLabel) svg.appendChild(s('text', { x: 12, y: m.t + plotH / 2, class: 'axis-label', transform: `rotate(-90 12 ${m.t + plotH / 2})`, 'text-anchor': 'middle' }, opts.yLabel));
  if (points.length < 2) {
    svg.appendChild(s('text', { x: m.l + plotW / 2, y: m.t + plotH / 2, class: 'empty-label', 'text-anchor': 'middle' }, t('no_data')));
    return svg;
  }
  const x0 = points[0].x, x1 = points[points.length - 1].x;
  const sx = x => m.l + (x1 === x0 ? 0 : ((x - x0) / (x1 - x0)) * plotW);
  const sy = y => m.t + plotH - (y / scale.max) * plotH;
  // x ticks: 5 evenly spaced
  const fmt = opts.xFormat || (x => String(x));
  for (let i = 0; i <= 4; i++) {
    const x = x0 + ((x1 - x0) * i) / 4;
    svg.appendChild(s('text', { x: sx(x), y: ht - m.b + 16, class: 'tick', 'text-anchor': i === 0 ? 'start' : i === 4 ? 'end' : 'middle' }, fmt(x)));
  }
  const d = points.map((p, i) => (i ? 'L' : 'M') + sx(p.x).toFixed(1) + ' ' + sy(p.y).toFixed(1)).join(' ');
  const area = d + ` L${sx(x1).toFixed(1)} ${sy(0)} L${sx(x0).toFixed(1)} ${sy(0)} Z`;
  svg.appendChild(s('path', { d: area, class: 'line-area' }));
  svg.appendChild(s('path', { d, class: 'line', stroke: opts.color || COLORS.line }));
  const last = points[points.length - 1];
  svg.appendChild(s('circle', { cx: sx(last.x), cy: sy(last.y), r: 3.5, fill: opts.color || COLORS.line }));
  svg.appendChild(s('text', { x: sx(last.x) - 6, y: Math.max(m.t + 10, sy(last.y) - 8), class: 'value-label', 'text-anchor': 'end' }, fmtTick(last.y)));
  return svg;
}

// categories: [label]; series: [{name, color, values: [number per category]}]
export function stackedBars(categories, series, opts = {}) {
  const w = opts.width || 560, ht = opts.height || 220;
  const m = { l: 48, r: 14, t: 14, b: series.length > 1 ? 48 : 30 };
  const svg = frame(w, ht, opts.title || '');
  svg.classList.add('bar-chart');
  const plotW = w - m.l - m.r, plotH = ht - m.t - m.b;
  const totals = categories.map((_, i) => series.reduce((a, se) => a + (Number(se.values[i]) || 0), 0));
  const scale = niceScale(Math.max(0, ...totals) || 1, 4, true); /* bars are counts */
  yAxis(svg, m, w, ht, scale);
  if (!categories.length) {
    svg.appendChild(s('text', { x: m.l + plotW / 2, y: m.t + plotH / 2, class: 'empty-label', 'text-anchor': 'middle' }, t('no_data')));
    return svg;
  }
  const slot = plotW / categories.length;
  const bw = Math.max(2, Math.min(48, slot * 0.7));
  const every = Math.ceil(categories.length / Math.max(1, Math.floor(plotW / 56)));
  categories.forEach((c, i) => {
    const cx = m.l + slot * i + slot / 2;
    let acc = 0;
    series.forEach((se, k) => {
      const v = Number(se.values[i]) || 0;
      if (v <= 0) return;
      const y0 = m.t + plotH - (acc / scale.max) * plotH;
      acc += v;
      const y1 = m.t + plotH - (acc / scale.max) * plotH;
      svg.appendChild(s('rect', { x: cx - bw / 2, y: y1, width: bw, height: Math.max(0.5, y0 - y1), fill: se.color || COLORS.series[k % COLORS.series.length], class: 'bar' },
        s('title', null, `${c} · ${se.name}: ${int(v)}`)));
    });
    if (totals[i] > 0 && bw >= 14) svg.appendChild(s('text', { x: cx, y: m.t + plotH - (totals[i] / scale.max) * plotH - 4, class: 'value-label', 'text-anchor': 'middle' }, int(totals[i])));
    if (i % every === 0) svg.appendChild(s('text', { x: cx, y: m.t + plotH + 16, class: 'tick', 'text-anchor': 'middle' }, c));
  });
  if (series.length > 1) {
    let x = m.l;
    series.forEach((se, k) => {
      svg.appendChild(s('rect', { x, y: ht - 14, width: 10, height: 10, fill: se.color || COLORS.series[k % COLORS.series.length] }));
      const label = s('text', { x: x + 14, y: ht - 5, class: 'legend' }, se.name);
      svg.appendChild(label);
      x += 22 + 7.5 * [...se.name].reduce((a, ch) => a + (ch.charCodeAt(0) > 255 ? 2 : 1), 0);
    });
  }
  return svg;
}

// parts: [{name, value, color}]; a donut with the total in the middle and a legend.
export function donut(parts, opts = {}) {
  const w = opts.width || 360, ht = opts.height || 220;
  const svg = frame(w, ht, opts.title || '');
  svg.classList.add('donut-chart');
  const total = parts.reduce((a, p) => a + (Number(p.value) || 0), 0);
  const cx = 105, cy = ht / 2, r = 80, ir = 50;
  if (total <= 0) {
    svg.appendChild(s('circle', { cx, cy, r: (r + ir) / 2, fill: 'none', stroke: '#e3e7ee', 'stroke-width': r - ir }));
  } else {
    let a0 = -Math.PI / 2;
    for (const p of parts) {
      const v = Number(p.value) || 0;
      if (v <= 0) continue;
      const frac = v / total;
      if (frac >= 0.9999) {
        svg.appendChild(s('circle', { cx, cy, r: (r + ir) / 2, fill: 'none', stroke: p.color, 'stroke-width': r - ir, class: 'slice-full' }, s('title', null, `${p.name}: ${int(v)}`)));
        break;
      }
      const a1 = a0 + frac * 2 * Math.PI;
      const large = a1 - a0 > Math.PI ? 1 : 0;
      const pt = (rad, a) => `${(cx + rad * Math.cos(a)).toFixed(2)} ${(cy + rad * Math.sin(a)).toFixed(2)}`;
      const d = `M${pt(r, a0)} A${r} ${r} 0 ${large} 1 ${pt(r, a1)} L${pt(ir, a1)} A${ir} ${ir} 0 ${large} 0 ${pt(ir, a0)} Z`;
      svg.appendChild(s('path', { d, fill: p.color, class: 'slice' }, s('title', null, `${p.name}: ${int(v)}`)));
      a0 = a1;
    }
  }
  svg.appendChild(s('text', { x: cx, y: cy - 2, class: 'donut-total', 'text-anchor': 'middle' }, int(total)));
  svg.appendChild(s('text', { x: cx, y: cy + 16, class: 'tick', 'text-anchor': 'middle' }, opts.totalLabel || ''));
  parts.forEach((p, i) => {
    const y = 40 + i * 30;
    const pct = total > 0 ? Math.round((Number(p.value) || 0) * 1000 / total) / 10 : 0;
    svg.appendChild(s('rect', { x: 210, y: y - 10, width: 12, height: 12, fill: p.color, rx: 2 }));
    svg.appendChild(s('text', { x: 228, y, class: 'legend' }, p.name));
    svg.appendChild(s('text', { x: 228, y: y + 14, class: 'tick' }, `${int(p.value || 0)} · ${pct}%`));
  });
  return svg;
}

// A chart panel: title, optional hint, the chart.
export function chartCard(id, title, chart, hint) {
  return h('figure', { class: 'chart-card', id },
    h('figcaption', null, h('span', { class: 'chart-title' }, title), hint ? h('small', null, hint) : null),
    h('div', { class: 'chart-body' }, chart));
}
