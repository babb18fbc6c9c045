// fmt.js — money, time and number formatting. Money is integer minor units
// (fen): yuan are formed by integer division and remainder, never by a float.

const DECIMALS = { JPY: 2, XBT: 8 }; // every fiat currency has 2 (docs/formats.md)

function groupDigits(str) {
  return str.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

// fen (integer, or a string of digits) -> "1,234.56". A string that already
// holds a decimal point is taken as major units and only grouped.
export function money(amount, currency) {
  if (amount === null || amount === undefined || amount === '') return '';
  const dec = DECIMALS[currency] ?? 2;
  if (typeof amount === 'string' && amount.includes('.')) {
    const neg = amount.startsWith('-');
    const [i, f] = amount.replace('-', '').split('.');
    return (neg ? '-' : '') + groupDigits(i) + '.' + f;
  }
  let n;
  try { n = BigInt(amount); } catch { return String(amount); }
  const neg = n < 0n;
  if (neg) n = -n;
  const unit = 10n ** BigInt(dec);
  const whole = n / unit;
  const frac = (n % unit).toString().padStart(dec, '0');
  return (neg ? '-' : '') + groupDigits(whole.toString()) + '.' + frac;
}

export function moneyCur(amount, currency) {
  const m = money(amount, currency);
  return m === '' ? '' : m + ' ' + (currency || 'CNY');
}

// Compact form for chart labels: 1.2万 / 12k style is locale-dependent; keep
// it simple and exact to the yuan: "120,000".
export function moneyShort(amount, currency) {
  const m = money(amount, currency);
  return m.endsWith('.00') ? m.slice(0, -3) : m;
}

// ms UTC, from an integer of ms or an ISO 8601 text; null if neither.
export function toMs(v) {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'string' && /^-?\d+$/.test(v)) return Number(v);
  const p = Date.parse(v);
  return Number.isFinite(p) ? p : null;
}

const pad = (n, w = 2) => String(n).padStart(w, '0');

// ms UTC -> "2026-11-27 10:00:00" in Beijing time (UTC+8, no DST), the
// bank's reporting time zone.
export function time(ms, withSeconds = true) {
  if (ms === null || ms === undefined || ms === '') return '';
  const n = toMs(ms);
  if (n === null) return String(ms);
  const d = new Date(n + 8 * 3600 * 1000);
  const base = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
  return withSeconds ? base + ':' + pad(d.getUTCSeconds()) : base;
}

export function timeShort(ms) {
  const t = time(ms, false);
  return t.slice(5); // "11-27 10:00"
}

// "2026-11-27T10:00" (a datetime-local value, Beijing time) -> ms UTC.
export function parseLocal(value) {
  const m = /^(\d{4})-(\d\d)-(\d\d)(?:[T ](\d\d):(\d\d))?$/.exec(value || '');
  if (!m) return null;
  return Date.UTC(+m[1], +m[2] - 1, +m[3], +(m[4] || 0), +(m[5] || 0)) - 8 * 3600 * 1000;
}

export function duration(ms) {
  let s = Math.floor(Number(ms) / 1000);
  if (!Number.isFinite(s) || s < 0) return '';
  const d = Math.floor(s / 86400); s -= d * 86400;
  const hh = Math.floor(s / 3600); s -= hh * 3600;
  const mm = Math.floor(s / 60); s -= mm * 60;
  return (d ? d + 'd ' : '') + `${pad(hh)}:${pad(mm)}:${pad(s)}`;
}

export function int(n) {
  if (n === null || n === undefined) return '';
  return groupDigits(String(n));
}

export function num(n, digits = 3) {
  if (n === null || n === undefined || n === '') return '';
  const v = Number(n);
  return Number.isFinite(v) ? String(Math.round(v * 10 ** digits) / 10 ** digits) : String(n);
}
