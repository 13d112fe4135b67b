// A market as the engine knows it, built from a scenario entry: grid (tick, step), limits, fees,
// prices (mark, index, optional explicit mid), the funding schedule, and how its book's opposing
// liquidity is produced (synthetic around the mid, or scripted levels).
import {
  parseDec, fmtDec, mulDec, divDec, roundToStep, ONE, ZERO,
} from '../lib/decimal.mjs';

export class ScenarioError extends Error {}

const dec = (v, what, opts) => {
  try { return parseDec(v, { what, ...opts }); } catch (e) { throw new ScenarioError(e.message); }
};
const optDec = (v, what, dflt, opts) => (v === undefined || v === null ? dflt : dec(v, what, opts));

function intField(v, what, dflt) {
  if (v === undefined) {
    if (dflt === undefined) throw new ScenarioError(`${what} is required`);
    return dflt;
  }
  if (!Number.isSafeInteger(v) || v < 0) throw new ScenarioError(`${what} must be a non-negative integer, got ${JSON.stringify(v)}`);
  return v;
}

const KNOWN_MARKET_KEYS = new Set(['symbol', 'id', 'tick', 'step', 'min_price', 'max_price', 'min_notional', 'max_notional',
  'max_leverage', 'isolated_only', 'mark', 'index', 'mid', 'funding', 'book', 'volume_24h', 'open_interest',
  'yesterday_price', 'created_at', 'maintenance_fraction', 'maker_fee', 'taker_fee', 'dialect']);

// Funding schedule: `rate` is the last settled rate, `next_rate` the one accruing now, and `path`
// a list of future changes {at_ms (absolute) | after_ms (from load time), rate}.
function parseFunding(f = {}, nowMs, defaults, sym) {
  const out = {
    intervalMs: intField(f.interval_ms, `${sym}.funding.interval_ms`, defaults.fundingIntervalMs),
    lastRate: optDec(f.rate, `${sym}.funding.rate`, ZERO, { allowNegative: true }),
    price: f.price ?? 'index',
    path: [],
  };
  if (out.intervalMs <= 0) throw new ScenarioError(`${sym}.funding.interval_ms must be positive`);
  if (!['index', 'mark'].includes(out.price)) throw new ScenarioError(`${sym}.funding.price must be "index" or "mark"`);
  const accruing = optDec(f.next_rate, `${sym}.funding.next_rate`, out.lastRate, { allowNegative: true });
  out.path.push({ fromMs: -Infinity, rate: accruing });
  for (const [i, p] of (f.path ?? []).entries()) {
    const at = p.at_ms !== undefined ? intField(p.at_ms, `${sym}.funding.path[${i}].at_ms`) : nowMs + intField(p.after_ms, `${sym}.funding.path[${i}].after_ms`);
    out.path.push({ fromMs: at, rate: dec(p.rate, `${sym}.funding.path[${i}].rate`, { allowNegative: true }) });
  }
  out.path.sort((a, b) => a.fromMs - b.fromMs);
  return out;
}

function parseBookSpec(b, sym) {
  if (!b) return { mode: 'synthetic', levels: 10, spreadBps: dec('2', 'spread'), stepBps: dec('1', 'step'), size: null, refillMs: 1000 };
  if (b.synthetic) {
    const s = b.synthetic;
    return {
      mode: 'synthetic',
      levels: intField(s.levels, `${sym}.book.synthetic.levels`, 10),
      spreadBps: optDec(s.spread_bps, `${sym}.book.synthetic.spread_bps`, dec('2', 'spread')),
      stepBps: optDec(s.step_bps, `${sym}.book.synthetic.step_bps`, dec('1', 'step')),
      size: optDec(s.size, `${sym}.book.synthetic.size`, null),
      refillMs: intField(s.refill_ms, `${sym}.book.synthetic.refill_ms`, 1000),
    };
  }
  const lvl = (list, side) => (list ?? []).map((l, i) => {
    if (!Array.isArray(l) || l.length !== 2) throw new ScenarioError(`${sym}.book.${side}[${i}] must be [price, size]`);
    return { price: dec(l[0], `${sym}.book.${side}[${i}] price`), size: dec(l[1], `${sym}.book.${side}[${i}] size`) };
  });
  return { mode: 'scripted', bids: lvl(b.bids, 'bids'), asks: lvl(b.asks, 'asks') };
}

export function parseMarket(m, nowMs, defaults) {
  if (!m || typeof m.symbol !== 'string' || !m.symbol) throw new ScenarioError('every market needs a "symbol"');
  const sym = m.symbol;
  for (const k of Object.keys(m)) if (!KNOWN_MARKET_KEYS.has(k)) throw new ScenarioError(`market ${sym}: unknown key "${k}"`);
  const mark = dec(m.mark, `${sym}.mark`);
  const market = {
    symbol: sym,
    id: m.id ?? sym,
    tick: dec(m.tick, `${sym}.tick`),
    step: dec(m.step, `${sym}.step`),
    minPrice: optDec(m.min_price, `${sym}.min_price`, ZERO),
    maxPrice: optDec(m.max_price, `${sym}.max_price`, defaults.maxPrice ?? dec('1000000', 'max')),
    minNotional: optDec(m.min_notional, `${sym}.min_notional`, defaults.minNotional ?? dec('10', 'min')),
    maxNotional: optDec(m.max_notional, `${sym}.max_notional`, defaults.maxNotional ?? dec('5000000', 'max')),
    maxLeverage: intField(m.max_leverage, `${sym}.max_leverage`, 20),
    isolatedOnly: Boolean(m.isolated_only),
    maintenanceFraction: optDec(m.maintenance_fraction, `${sym}.maintenance_fraction`, dec('0.5', 'mm')),
    mark,
    index: optDec(m.index, `${sym}.index`, mark),
    mid: optDec(m.mid, `${sym}.mid`, null),
    volume24h: optDec(m.volume_24h, `${sym}.volume_24h`, ZERO),
    openInterest: optDec(m.open_interest, `${sym}.open_interest`, ZERO),
    yesterdayPrice: optDec(m.yesterday_price, `${sym}.yesterday_price`, mark),
    createdAt: m.created_at ?? nowMs,
    // Per-market fee rates (venues whose contracts carry their own defaults); an account's own
    // rates, when the scenario gives them, take precedence (see feeRate in engine.mjs).
    makerFee: optDec(m.maker_fee, `${sym}.maker_fee`, null),
    takerFee: optDec(m.taker_fee, `${sym}.taker_fee`, null),
    // Venue-specific metadata (contract ids, asset ids, ...): checked and read by the dialect only.
    dialect: m.dialect ?? {},
    funding: parseFunding(m.funding, nowMs, defaults, sym),
    bookSpec: parseBookSpec(m.book, sym),
    lastRefillMs: nowMs,
    pricesUpdatedMs: nowMs,
  };
  if (market.tick <= 0n || market.step <= 0n) throw new ScenarioError(`${sym}: tick and step must be positive`);
  if (market.maxLeverage < 1) throw new ScenarioError(`${sym}: max_leverage must be at least 1`);
  if (!market.dialect || typeof market.dialect !== 'object' || Array.isArray(market.dialect)) throw new ScenarioError(`${sym}.dialect must be an object`);
  for (const [name, v] of [['mark', market.mark], ['index', market.index], ['mid', market.mid]]) {
    if (v !== null && v <= 0n) throw new ScenarioError(`${sym}.${name} must be positive`);
  }
  return market;
}

// The rate accruing at time t (the one that will be paid at the end of t's interval).
export function accruingRate(market, t) {
  let rate = market.funding.path[0].rate;
  for (const p of market.funding.path) if (p.fromMs <= t) rate = p.rate;
  return rate;
}

// Synthetic liquidity: `levels` price levels per side around the mid, the first at half the
// spread, each further one `step_bps` away; size per level from the spec, else enough for
// 20 times the minimum notional. Prices snap outward to the tick so the spread never closes.
export function syntheticLevels(market) {
  const spec = market.bookSpec;
  const mid = market.mid ?? market.mark;
  const bps = (x) => divDec(x, 10000n * ONE);
  // Without a minimum notional (venues with a minimum size instead) the default is 1000 lots.
  const size = spec.size ?? (market.minNotional > 0n
    ? roundToStep(divDec(market.minNotional * 20n, mid, 'ceil'), market.step, 'ceil')
    : market.step * 1000n);
  const bids = [];
  const asks = [];
  for (let i = 0; i < spec.levels; i++) {
    const off = bps(spec.spreadBps / 2n + BigInt(i) * spec.stepBps);
    let bid = roundToStep(mulDec(mid, ONE - off, 'floor'), market.tick, 'floor');
    let ask = roundToStep(mulDec(mid, ONE + off, 'ceil'), market.tick, 'ceil');
    if (bids.length && bid >= bids[bids.length - 1].price) bid = bids[bids.length - 1].price - market.tick;
    if (asks.length && ask <= asks[asks.length - 1].price) ask = asks[asks.length - 1].price + market.tick;
    if (ask <= bid) ask = bid + market.tick;
    if (bid > 0n) bids.push({ price: bid, size });
    asks.push({ price: ask, size });
  }
  return { bids, asks };
}

// funding_rate is the last settled rate; accruing_funding_rate the one accruing at nowMs (what the
// next boundary will pay, and what venues show as the current or predicted rate).
export function describeMarket(market, nowMs) {
  return {
    symbol: market.symbol, tick: fmtDec(market.tick), step: fmtDec(market.step),
    mark: fmtDec(market.mark), index: fmtDec(market.index), mid: market.mid === null ? null : fmtDec(market.mid),
    max_leverage: market.maxLeverage, funding_rate: fmtDec(market.funding.lastRate),
    accruing_funding_rate: fmtDec(accruingRate(market, nowMs)),
    funding_interval_ms: market.funding.intervalMs, book: market.bookSpec.mode,
  };
}
