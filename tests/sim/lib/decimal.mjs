// Exact decimal arithmetic for the simulator: every price, size and balance is a BigInt counting
// units of 10^-18 ("fixed point with 18 decimals"). Addition and subtraction are plain BigInt
// operations; multiplication and division take an explicit rounding mode because their exact
// result may need more than 18 decimals. JS numbers never touch a price, size or balance.

export const DECIMALS = 18;
export const ONE = 10n ** 18n;
export const ZERO = 0n;

export class DecimalError extends Error {}

const DECIMAL_RE = /^(-)?([0-9]+)(?:\.([0-9]+))?$/;

// Parses a plain decimal string ("0.1", "100000", "-2.5"). No exponent, no '+', no leading '.',
// no trailing '.', no whitespace. More than 18 fractional digits is an error rather than a silent
// rounding, so that a test can never be fooled by the simulator changing an input.
export function parseDec(text, { allowNegative = false, what = 'decimal' } = {}) {
  if (typeof text !== 'string') throw new DecimalError(`${what} must be a decimal string, got ${typeof text}`);
  const m = DECIMAL_RE.exec(text);
  if (!m) throw new DecimalError(`${what} is not a plain decimal: ${JSON.stringify(text)}`);
  if (m[1] && !allowNegative) throw new DecimalError(`${what} must not be negative: ${text}`);
  const frac = m[3] ?? '';
  if (frac.length > DECIMALS) throw new DecimalError(`${what} has more than ${DECIMALS} decimals: ${text}`);
  const units = BigInt(m[2]) * ONE + BigInt(frac.padEnd(DECIMALS, '0') || '0');
  return m[1] ? -units : units;
}

// Formats with no exponent. By default trailing zeros are dropped ("0.1", "100000"); with
// `decimals` exactly that many fractional digits are printed, rounding with `mode` if needed.
export function fmtDec(units, { decimals, mode = 'half_even' } = {}) {
  let v = units;
  let places = DECIMALS;
  if (decimals !== undefined) {
    v = roundToDecimals(v, decimals, mode) / 10n ** BigInt(DECIMALS - decimals);
    places = decimals;
  }
  const neg = v < 0n;
  if (neg) v = -v;
  const scale = 10n ** BigInt(places);
  const int = (v / scale).toString();
  let frac = places > 0 ? (v % scale).toString().padStart(places, '0') : '';
  if (decimals === undefined) frac = frac.replace(/0+$/, '');
  const body = frac ? `${int}.${frac}` : int;
  return neg && v !== 0n ? `-${body}` : body;
}

// Integer division n/d rounded with an explicit mode.
export function divRound(n, d, mode) {
  if (d === 0n) throw new DecimalError('division by zero');
  let q = n / d; // truncates toward zero
  const r = n - q * d;
  if (r === 0n) return q;
  const positive = (n < 0n) === (d < 0n);
  const away = positive ? 1n : -1n;
  const twice = (r < 0n ? -r : r) * 2n;
  const absD = d < 0n ? -d : d;
  switch (mode) {
    case 'down': return q;
    case 'up': return q + away;
    case 'floor': return positive ? q : q - 1n;
    case 'ceil': return positive ? q + 1n : q;
    case 'half_up': return twice >= absD ? q + away : q;
    case 'half_even':
      if (twice > absD) return q + away;
      if (twice < absD) return q;
      return (q % 2n === 0n) ? q : q + away;
    default: throw new DecimalError(`unknown rounding mode ${mode}`);
  }
}

export function mulDec(a, b, mode = 'half_even') { return divRound(a * b, ONE, mode); }
export function divDec(a, b, mode = 'half_even') { return divRound(a * ONE, b, mode); }

// Rounds to a number of fractional digits (e.g. 6 for USDC balances); result still in 10^-18 units.
export function roundToDecimals(units, decimals, mode = 'half_even') {
  if (decimals >= DECIMALS) return units;
  const f = 10n ** BigInt(DECIMALS - decimals);
  return divRound(units, f, mode) * f;
}

// Rounds to a multiple of `step` (tick or lot size).
export function roundToStep(units, step, mode) {
  if (step <= 0n) throw new DecimalError('step must be positive');
  return divRound(units, step, mode) * step;
}

export const isMultiple = (units, step) => step > 0n && units % step === 0n;
export const absDec = (x) => (x < 0n ? -x : x);
export const minDec = (a, b) => (a < b ? a : b);
export const maxDec = (a, b) => (a > b ? a : b);
export const signOf = (x) => (x > 0n ? 1n : x < 0n ? -1n : 0n);

// Number of fractional digits a step needs ("0.001" -> 3), for display of prices on that grid.
export function stepDecimals(step) {
  const s = fmtDec(step);
  const dot = s.indexOf('.');
  return dot < 0 ? 0 : s.length - dot - 1;
}

// Integer from a decimal, only when exact (used for counts such as leverage).
export function intFromDec(units) {
  if (units % ONE !== 0n) throw new DecimalError(`not an integer: ${fmtDec(units)}`);
  return units / ONE;
}

export const decFromInt = (n) => BigInt(n) * ONE;
