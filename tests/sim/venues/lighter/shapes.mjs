// Engine state -> Lighter payloads (specs/lighter.md §3, §4.3): REST bodies and WebSocket frames.
// Decimal strings carry exactly the market's decimals (prices price_decimals, sizes
// size_decimals, USDC 6); the 24 h statistics are JSON numbers as on the venue. Funding rates are
// rendered in the venue's units: `fundings` and market_stats in percent per hour, the
// /funding-rates table as configured (fraction per 8 hours by default, §3.5 / §15).
import { fmtDec, roundToDecimals, absDec, mulDec, divDec, stepDecimals, ZERO, ONE, DecimalError } from '../../lib/decimal.mjs';
import { accruingRate } from '../../engine/market.mjs';
import { unrealizedPnl, initialMargin, liquidationPrice } from '../../engine/account.mjs';

export const USDC_DECIMALS = 6;
export const MARKET_MAKER_ACCOUNT = 281474976710654;   // the other side of simulator liquidity
export const INSURANCE_FUND_ACCOUNT = 281474976710655;

// Lighter markets are defined by decimals: tick = 10^-price_decimals, step = 10^-size_decimals.
export function decimalsOf(step, what) {
  const d = stepDecimals(step);
  if (step !== 10n ** BigInt(18 - d)) throw new DecimalError(`${what} ${fmtDec(step)} is not a power of ten (Lighter markets are defined by decimals)`);
  return d;
}
export const priceDecimals = (m) => decimalsOf(m.tick, `${m.symbol} tick`);
export const sizeDecimals = (m) => decimalsOf(m.step, `${m.symbol} step`);

// Integer units <-> engine decimals.
export const fromUnits = (units, decimals) => BigInt(units) * 10n ** BigInt(18 - decimals);
export const toUnits = (value, decimals) => value / 10n ** BigInt(18 - decimals);

const fixed = (x, d) => fmtDec(x, { decimals: d });
export const px = (m, x) => fixed(x, priceDecimals(m));
export const sz = (m, x) => fixed(x, sizeDecimals(m));
export const usdc = (x) => fixed(x, USDC_DECIMALS);
const num = (x) => Number(fmtDec(x));            // 24 h statistics: JSON numbers, like the venue
const pct = (fraction, d = 4) => fixed(fraction * 100n, d);

export function marketId(m) {
  if (!Number.isSafeInteger(m.id)) throw new DecimalError(`market ${m.symbol} needs an integer "id" (its Lighter market_id)`);
  return m.id;
}

// Lighter-only market facts (venues.lighter.options.markets[symbol]) with their defaults:
// the minimum size is one step, the minimum IMF matches the engine's maximum leverage.
export function marketFacts(venue, m) {
  const extra = venue.options.markets?.[m.symbol] ?? {};
  const minImf = Math.ceil(10000 / m.maxLeverage);
  const mmf = Number(fmtDec(roundToDecimals(mulDec(BigInt(minImf) * ONE, m.maintenanceFraction), 0)));
  return {
    minBase: extra.min_base_amount !== undefined ? extra.min_base_amount : m.step,
    minImf,
    defaultImf: extra.default_initial_margin_fraction ?? minImf,
    maintenanceMf: mmf,
    closeoutMf: Math.floor((mmf * 2) / 3),
  };
}

export function orderBookRow(venue, m) {
  const f = marketFacts(venue, m);
  return {
    symbol: m.symbol, market_id: marketId(m), market_type: 'perp', base_asset_id: marketId(m) + 1, quote_asset_id: 3,
    status: 'active', taker_fee: '0.0000', is_taker_fee_enabled: true, maker_fee: '0.0000', is_maker_fee_enabled: true,
    liquidation_fee: '1.0000', min_base_amount: sz(m, f.minBase), min_quote_amount: usdc(m.minNotional),
    order_quote_limit: usdc(m.maxNotional), supported_size_decimals: sizeDecimals(m), supported_price_decimals: priceDecimals(m),
    supported_quote_decimals: USDC_DECIMALS,
  };
}

function lastTradePrice(engine, m) {
  const recent = engine.publicTrades.get(m.symbol);
  return recent.length ? recent[recent.length - 1].price : m.mark;
}

export function orderBookDetails(venue, m) {
  const f = marketFacts(venue, m);
  const { engine } = venue;
  const last = lastTradePrice(engine, m);
  return {
    ...orderBookRow(venue, m),
    size_decimals: sizeDecimals(m), price_decimals: priceDecimals(m), quote_multiplier: 1,
    default_initial_margin_fraction: f.defaultImf, min_initial_margin_fraction: f.minImf,
    maintenance_margin_fraction: f.maintenanceMf, closeout_margin_fraction: f.closeoutMf,
    last_trade_price: num(last), daily_trades_count: engine.publicTrades.get(m.symbol).length,
    daily_base_token_volume: num(m.mark > 0n ? roundToDecimals(divDec(m.volume24h, m.mark), sizeDecimals(m)) : ZERO),
    daily_quote_token_volume: num(m.volume24h), daily_price_low: num(m.mark < m.yesterdayPrice ? m.mark : m.yesterdayPrice),
    daily_price_high: num(m.mark > m.yesterdayPrice ? m.mark : m.yesterdayPrice),
    daily_price_change: num(roundToDecimals(divDec((m.mark - m.yesterdayPrice) * 100n, m.yesterdayPrice), 10)),
    open_interest: num(m.openInterest), daily_chart: {},
    market_config: { market_margin_mode: 0, insurance_fund_account_index: INSURANCE_FUND_ACCOUNT, liquidation_mode: 0, force_reduce_only: false, trading_hours: '' },
  };
}

// Mid from the book when both sides exist, else the explicit mid or the mark.
export function midPrice(engine, m) {
  const book = engine.books.get(m.symbol);
  const b = book.best('buy');
  const a = book.best('sell');
  if (b && a) return roundToDecimals((b.price + a.price) / 2n, priceDecimals(m));
  return m.mid ?? m.mark;
}

// market_stats (§4.3): funding_rate = last settled, current_funding_rate = accruing now, both in
// percent per hour (unit as configured for the mismatch scenarios).
export function marketStats(venue, m, now) {
  const { engine } = venue;
  const unit = venue.options.market_stats_unit;
  return {
    symbol: m.symbol, market_id: marketId(m), index_price: px(m, m.index), mark_price: px(m, m.mark),
    mid_price: px(m, midPrice(engine, m)), open_interest: fmtDec(m.openInterest), open_interest_limit: '72057594037927936.000000',
    funding_clamp_small: '0.0500', funding_clamp_big: '4.0000', last_trade_price: px(m, lastTradePrice(engine, m)),
    current_funding_rate: renderRate(accruingRate(m, now), unit), funding_rate: renderRate(m.funding.lastRate, unit),
    funding_timestamp: m.nextFundingMs - m.funding.intervalMs,
    daily_base_token_volume: num(m.mark > 0n ? roundToDecimals(divDec(m.volume24h, m.mark), sizeDecimals(m)) : ZERO),
    daily_quote_token_volume: num(m.volume24h), daily_price_low: num(m.mark < m.yesterdayPrice ? m.mark : m.yesterdayPrice),
    daily_price_high: num(m.mark > m.yesterdayPrice ? m.mark : m.yesterdayPrice),
    daily_price_change: num(roundToDecimals(divDec((m.mark - m.yesterdayPrice) * 100n, m.yesterdayPrice), 10)),
  };
}

// An hourly fraction in one of the conventions the seeds disagree about (§3.5): the venue's is
// percent per hour for market_stats and `fundings`, fraction per 8 hours for /funding-rates.
export function renderRate(hourlyFraction, unit) {
  switch (unit) {
    case 'percent_per_hour': return pct(hourlyFraction);
    case 'fraction_per_8h': return fmtDec(roundToDecimals(hourlyFraction * 8n, 12));
    case 'fraction_per_hour': return fmtDec(roundToDecimals(hourlyFraction, 12));
    default: throw new Error(`unknown funding unit ${unit}`);
  }
}

export function fundingRatesTable(venue, now) {
  const rows = [];
  for (const m of venue.engine.markets.values()) {
    const rate = accruingRate(m, now);
    rows.push({ market_id: marketId(m), exchange: 'lighter', symbol: m.symbol, rate: Number(renderRate(rate, venue.options.funding_rates_unit)) });
    // A reference venue's row shares the table (§3.5): clients must filter on exchange.
    rows.push({ market_id: marketId(m), exchange: 'binance', symbol: m.symbol, rate: Number(renderRate(rate * 3n, 'fraction_per_8h')) });
  }
  return rows;
}

// One settled hour of `fundings`: unsigned percent rate, the paying side, and what one unit of
// base paid (rate x price) — the relation that pins the percent unit down (§3.5).
export function fundingRow(m, r) {
  return {
    timestamp: Math.floor(r.at / 1000), value: fixed(absDec(mulDec(r.rate, r.price)), 8), rate: pct(absDec(r.rate)),
    direction: r.rate < 0n ? 'short' : 'long',
  };
}

// ---- book ------------------------------------------------------------------------------------

// Aggregated levels as {price text -> size text} (for the order_book channel and its diffs).
export function bookLevels(engine, m, depth = 50) {
  const lv = engine.books.get(m.symbol).levels(depth);
  const row = (l) => ({ price: px(m, l.price), size: sz(m, l.size) });
  return { asks: lv.asks.map(row), bids: lv.bids.map(row) };
}

// Individual resting orders (orderBookOrders, §3.4); simulator liquidity gets stable made-up ids.
export function bookOrders(venue, m, limit) {
  const book = venue.engine.books.get(m.symbol);
  const row = (o) => {
    const index = o.id ?? 2 ** 48 + (o.seq ?? 0);
    return {
      order_index: index, order_id: String(index), owner_account_index: o.owner === null ? MARKET_MAKER_ACCOUNT : Number(o.owner),
      initial_base_amount: sz(m, o.amount ?? o.remaining), remaining_base_amount: sz(m, o.remaining), price: px(m, o.price),
      order_expiry: o.lx?.expiry ?? 0, transaction_time: 0,
    };
  };
  return { asks: book.asks.slice(0, limit).map(row), bids: book.bids.slice(0, limit).map(row) };
}

// ---- account ---------------------------------------------------------------------------------

function imfPercent(venue, acct, m) {
  const imf = venue.state.imf.get(`${acct.id}:${m.symbol}`) ?? marketFacts(venue, m).defaultImf;
  return fixed(BigInt(imf) * 10n ** 16n, 2);   // 10000 = 100 % -> "100.00"
}

export function positionRow(venue, acct, m) {
  const { engine } = venue;
  const pos = acct.positions.get(m.symbol);
  const size = pos ? pos.size : ZERO;
  const liq = pos ? liquidationPrice(acct, m, pos, engine.markets) : null;
  const open = engine.openOrders(acct.id, m.symbol);
  return {
    market_id: marketId(m), symbol: m.symbol, initial_margin_fraction: imfPercent(venue, acct, m),
    open_order_count: open.length, pending_order_count: 0, position_tied_order_count: open.filter((o) => o.reduceOnly).length,
    sign: size < 0n ? -1 : 1, position: sz(m, absDec(size)), avg_entry_price: px(m, pos ? roundToDecimals(pos.entry, priceDecimals(m)) : ZERO),
    position_value: usdc(roundToDecimals(mulDec(absDec(size), m.mark), USDC_DECIMALS)),
    unrealized_pnl: usdc(pos ? roundToDecimals(unrealizedPnl(pos, m.mark), USDC_DECIMALS) : ZERO),
    realized_pnl: usdc(pos ? pos.realizedPnl : ZERO), liquidation_price: liq === null ? '0' : px(m, liq),
    total_funding_paid_out: usdc(pos ? -pos.funding : ZERO), margin_mode: acct.isIsolated(m) ? 1 : 0,
    allocated_margin: usdc(pos && pos.isolated ? roundToDecimals(initialMargin(pos, m, acct), USDC_DECIMALS) : ZERO),
  };
}

// Markets listed in an account: every open position plus every market the account configured
// (a flat market stays listed with size 0, as on the venue).
export function positionMarkets(venue, acct) {
  const { engine } = venue;
  return [...engine.markets.values()].filter((m) => acct.positions.has(m.symbol) || acct.settings.has(m.symbol) || venue.state.imf.has(`${acct.id}:${m.symbol}`));
}

export function accountPayload(venue, id) {
  const { engine } = venue;
  const acct = engine.accounts.get(id);
  const s = engine.summary(id);
  return {
    code: 0, account_type: Number(id) >= 2 ** 47 ? 1 : 0, index: Number(id), l1_address: venue.l1Address(id),
    cancel_all_time: venue.state.scheduledCancelAll.get(id) ?? 0, total_order_count: engine.openOrders(id).length,
    total_isolated_order_count: 0, pending_order_count: 0, available_balance: usdc(roundToDecimals(s.available, USDC_DECIMALS, 'floor')),
    status: 1, collateral: usdc(s.balance), account_index: Number(id), name: '', description: '', can_invite: true,
    referral_points_percentage: '', account_trading_mode: 0,
    positions: positionMarkets(venue, acct).map((m) => positionRow(venue, acct, m)),
    assets: [{ symbol: 'USDC', asset_id: 3, balance: usdc(s.balance), locked_balance: '0.000000', margin_mode: 'enabled', margin_balance: usdc(s.balance) }],
    total_asset_value: usdc(roundToDecimals(s.equity, USDC_DECIMALS)), cross_asset_value: usdc(roundToDecimals(s.equity, USDC_DECIMALS)),
    cross_initial_margin_requirement: usdc(roundToDecimals(s.marginUsed, USDC_DECIMALS, 'ceil')),
    cross_maintenance_margin_requirement: usdc(roundToDecimals(s.mmr, USDC_DECIMALS, 'ceil')),
    shares: [], pending_unlocks: [], approved_integrators: [],
  };
}

export function userStats(venue, id) {
  const s = venue.engine.summary(id);
  const equity = roundToDecimals(s.equity, USDC_DECIMALS);
  const used = s.equity > 0n ? roundToDecimals(divDec(s.marginUsed * 100n, s.equity), 2) : ZERO;
  const lev = s.equity > 0n ? roundToDecimals(divDec([...venue.engine.accounts.get(id).positions.values()]
    .reduce((acc, p) => acc + mulDec(absDec(p.size), venue.engine.markets.get(p.symbol).mark), ZERO), s.equity), 2) : ZERO;
  const stats = {
    collateral: usdc(s.balance), portfolio_value: usdc(equity), leverage: fixed(lev, 2),
    available_balance: usdc(roundToDecimals(s.available, USDC_DECIMALS, 'floor')), margin_usage: fixed(used, 2), buying_power: '0',
  };
  return { account_trading_mode: 0, ...stats, cross_stats: { ...stats }, total_stats: { ...stats } };
}

// ---- orders and trades -----------------------------------------------------------------------

const TIF_NAMES = { IOC: 'immediate-or-cancel', GTC: 'good-till-time', ALO: 'post-only' };

// Lighter order status: resting orders are "open" even when partly filled; terminal states carry
// the venue's reason.
export function orderStatus(o) {
  if (o.status === 'open' || o.status === 'partially_filled') return 'open';
  if (o.status === 'filled') return 'filled';
  if (o.lx?.terminal) return o.lx.terminal;
  if (o.reason === 'post_only_rejected') return 'canceled-post-only';
  if (o.reason === 'self_trade_prevented') return 'canceled-self-trade';
  return 'canceled';
}

export function orderRow(venue, o) {
  const m = venue.engine.markets.get(o.symbol);
  const remaining = o.status === 'open' || o.status === 'partially_filled' ? o.amount - o.filled - o.cancelled : ZERO;
  const lx = o.lx ?? {};
  return {
    order_index: o.id, client_order_index: lx.clientIndex ?? 0, order_id: String(o.id), client_order_id: String(lx.clientIndex ?? 0),
    market_index: marketId(m), owner_account_index: Number(o.account), initial_base_amount: sz(m, o.amount),
    price: px(m, o.price), nonce: lx.nonce ?? 0, remaining_base_amount: sz(m, remaining), is_ask: o.side === 'sell',
    base_size: Number(toUnits(remaining, sizeDecimals(m))), base_price: Number(toUnits(o.price, priceDecimals(m))),
    filled_base_amount: sz(m, o.filled), filled_quote_amount: usdc(roundToDecimals(o.notionalFilled, USDC_DECIMALS)),
    side: o.side, type: lx.type ?? (o.type === 'market' ? 'market' : 'limit'), time_in_force: TIF_NAMES[o.tif] ?? 'good-till-time',
    reduce_only: o.reduceOnly, trigger_price: px(m, ZERO), order_expiry: lx.expiry ?? 0, status: orderStatus(o),
    trigger_status: 'na', trigger_time: 0, parent_order_index: 0, parent_order_id: '0',
    block_height: lx.blockHeight ?? 0, timestamp: o.updatedAt, created_at: o.createdAt, updated_at: o.updatedAt,
    transaction_time: o.updatedAt * 1000,
  };
}

// An engine fill record (one account's side of one match) as a Lighter trade.
export function tradeRow(venue, t) {
  const m = venue.engine.markets.get(t.symbol);
  const mine = Number(t.account);
  const other = MARKET_MAKER_ACCOUNT;
  const weBuy = t.side === 'buy';
  const makerIsAsk = (t.role === 'maker') !== weBuy;
  const feeUnits = Number(fmtDec(roundToDecimals(mulDec(venue.engine.accounts.get(t.account)[t.role === 'maker' ? 'makerFee' : 'takerFee'], 1000000n * ONE), 0)));
  const row = {
    trade_id: t.historyId, tx_hash: t.txHash ?? '', type: 'trade', market_id: marketId(m), size: sz(m, t.qty), price: px(m, t.price),
    usd_amount: usdc(roundToDecimals(mulDec(t.qty, t.price), USDC_DECIMALS)),
    ask_id: weBuy ? 0 : t.orderId, bid_id: weBuy ? t.orderId : 0,
    ask_client_id: weBuy ? 0 : (t.clientId ?? 0), bid_client_id: weBuy ? (t.clientId ?? 0) : 0,
    ask_account_id: weBuy ? other : mine, bid_account_id: weBuy ? mine : other, is_maker_ask: makerIsAsk,
    block_height: t.blockHeight ?? 0, timestamp: t.at, transaction_time: t.at * 1000,
  };
  if (feeUnits !== 0) row[t.role === 'maker' ? 'maker_fee' : 'taker_fee'] = feeUnits;
  return row;
}

export function publicTradeRow(venue, tr) {
  const m = venue.engine.markets.get(tr.symbol);
  return {
    trade_id: tr.id, tx_hash: '', type: 'trade', market_id: marketId(m), size: sz(m, tr.qty), price: px(m, tr.price),
    usd_amount: usdc(roundToDecimals(mulDec(tr.qty, tr.price), USDC_DECIMALS)), ask_id: 0, bid_id: 0,
    ask_account_id: tr.takerSide === 'sell' && tr.taker ? Number(tr.taker) : MARKET_MAKER_ACCOUNT,
    bid_account_id: tr.takerSide === 'buy' && tr.taker ? Number(tr.taker) : MARKET_MAKER_ACCOUNT,
    is_maker_ask: tr.takerSide === 'buy', block_height: 0, timestamp: tr.at,
  };
}
