// Engine state -> Pacifica payloads (specs/pacifica.md §4 REST, §6.2 WebSocket short forms).
// Decimals are strings, ids and timestamps are JSON numbers, as on the real venue.
import { fmtDec, roundToDecimals, absDec, ZERO, mulDec } from '../../lib/decimal.mjs';
import { accruingRate } from '../../engine/market.mjs';
import { unrealizedPnl, initialMargin, liquidationPrice } from '../../engine/account.mjs';

const S = (x) => fmtDec(x);
const money = (x, d = 6) => fmtDec(roundToDecimals(x, d));
export const wireSide = (side) => (side === 'buy' ? 'bid' : 'ask');
export const engineSide = (side) => (side === 'bid' ? 'buy' : 'sell');

export function marketInfo(m, now) {
  return {
    symbol: m.symbol, tick_size: S(m.tick), min_tick: S(m.minPrice), max_tick: S(m.maxPrice), lot_size: S(m.step),
    max_leverage: m.maxLeverage, isolated_only: m.isolatedOnly, min_order_size: S(m.minNotional), max_order_size: S(m.maxNotional),
    funding_rate: S(m.funding.lastRate), next_funding_rate: S(accruingRate(m, now)),
    created_at: m.createdAt, instrument_type: 'perpetual', base_asset: m.symbol,
  };
}

// Mid from the book when both sides exist (as the venue computes it), else the explicit/mark price.
export function midPrice(engine, m) {
  const book = engine.books.get(m.symbol);
  const b = book.best('buy');
  const a = book.best('sell');
  if (b && a) return (b.price + a.price) / 2n;
  return m.mid ?? m.mark;
}

export function priceRow(engine, m, now) {
  return {
    funding: S(m.funding.lastRate), mark: S(m.mark), mid: S(midPrice(engine, m)), next_funding: S(accruingRate(m, now)),
    open_interest: S(m.openInterest), oracle: S(m.index), symbol: m.symbol, timestamp: now,
    volume_24h: S(m.volume24h), yesterday_price: S(m.yesterdayPrice),
  };
}

export function bookPayload(engine, m, now, aggLevel = 1) {
  const { bids, asks } = engine.books.get(m.symbol).levels(10 * aggLevel);
  const agg = (levels, side) => {
    if (aggLevel === 1) return levels.slice(0, 10);
    const step = m.tick * BigInt(aggLevel);
    const out = [];
    for (const l of levels) {
      const p = side === 'bid' ? (l.price / step) * step : ((l.price + step - 1n) / step) * step;
      const last = out[out.length - 1];
      if (last && last.price === p) { last.size += l.size; last.count += l.count; } else out.push({ price: p, size: l.size, count: l.count });
    }
    return out.slice(0, 10);
  };
  const row = (l) => ({ p: S(l.price), a: S(l.size), n: l.count });
  return { s: m.symbol, t: now, l: [agg(bids, 'bid').map(row), agg(asks, 'ask').map(row)] };
}

export function bboPayload(engine, m, now) {
  const { bids, asks } = engine.books.get(m.symbol).levels(1);
  return {
    s: m.symbol, i: engine.nextOrderId - 1, t: now,
    b: bids[0] ? S(bids[0].price) : null, B: bids[0] ? S(bids[0].size) : null,
    a: asks[0] ? S(asks[0].price) : null, A: asks[0] ? S(asks[0].size) : null,
  };
}

export function accountPayload(engine, id) {
  const acct = engine.accounts.get(id);
  const s = engine.summary(id);
  const withdrawable = s.availableRaw < s.balance ? s.availableRaw : s.balance;
  return {
    balance: money(s.balance), fee_level: acct.feeLevel, maker_fee: S(acct.makerFee), taker_fee: S(acct.takerFee),
    account_equity: money(s.equity), available_to_spend: money(s.available), available_to_withdraw: money(withdrawable > 0n ? withdrawable : ZERO),
    pending_balance: '0', total_margin_used: money(s.marginUsed), cross_mmr: money(s.mmr),
    positions_count: acct.positions.size, orders_count: engine.openOrders(id).length, stop_orders_count: 0, updated_at: acct.updatedAt,
  };
}

export function accountWs(engine, id, now) {
  const a = accountPayload(engine, id);
  return {
    ae: a.account_equity, as: a.available_to_spend, aw: a.available_to_withdraw, b: a.balance, f: a.fee_level,
    mu: a.total_margin_used, cm: a.cross_mmr, oc: a.orders_count, pb: a.pending_balance, pc: a.positions_count,
    sc: a.stop_orders_count, t: now,
  };
}

function positionFacts(engine, acct, pos) {
  const m = engine.markets.get(pos.symbol);
  const liq = liquidationPrice(acct, m, pos, engine.markets);
  return {
    m, liq,
    margin: pos.isolated ? money(initialMargin(pos, m, acct)) : '0',
    upnl: unrealizedPnl(pos, m.mark),
  };
}

export function positionsPayload(engine, id) {
  const acct = engine.accounts.get(id);
  return [...acct.positions.values()].sort((a, b) => a.createdAt - b.createdAt).map((pos) => {
    const f = positionFacts(engine, acct, pos);
    return {
      symbol: pos.symbol, side: pos.size > 0n ? 'bid' : 'ask', amount: S(absDec(pos.size)), entry_price: money(pos.entry),
      margin: f.margin, funding: S(pos.funding), isolated: pos.isolated, liquidation_price: f.liq === null ? null : S(f.liq),
      created_at: pos.createdAt, updated_at: pos.updatedAt,
    };
  });
}

export function positionsWs(engine, id, now) {
  return positionsPayload(engine, id).map((p) => ({
    s: p.symbol, d: p.side, a: p.amount, p: p.entry_price, m: p.margin, f: p.funding, i: p.isolated, l: p.liquidation_price, t: now,
  }));
}

const orderType = (o) => (o.type === 'market' ? 'market' : 'limit');

export function openOrderRow(o) {
  return {
    order_id: o.id, client_order_id: o.clientId, symbol: o.symbol, side: wireSide(o.side), price: S(o.price),
    initial_amount: S(o.amount), filled_amount: S(o.filled), cancelled_amount: S(o.cancelled), stop_price: null,
    order_type: orderType(o), stop_parent_order_id: null, trigger_price_type: null, reduce_only: o.reduceOnly,
    created_at: o.createdAt, updated_at: o.updatedAt,
  };
}

export function openOrderWs(o) {
  return {
    i: o.id, I: o.clientId, s: o.symbol, d: wireSide(o.side), p: S(o.price), a: S(o.amount), f: S(o.filled),
    c: S(o.cancelled), ot: orderType(o), ro: o.reduceOnly, sp: null, st: null, t: o.updatedAt,
  };
}

const avgFill = (o) => (o.filled > 0n ? S(roundToDecimals((o.notionalFilled * 10n ** 18n) / o.filled, 6)) : '0');

export function orderHistoryRow(o) {
  return {
    order_id: o.id, client_order_id: o.clientId, symbol: o.symbol, side: wireSide(o.side),
    initial_price: o.initialPrice === null ? S(o.price) : S(o.initialPrice), average_filled_price: avgFill(o),
    amount: S(o.amount), filled_amount: S(o.filled), order_status: o.status, order_type: orderType(o),
    stop_price: null, stop_parent_order_id: null, reduce_only: o.reduceOnly, reason: o.reason,
    created_at: o.createdAt, updated_at: o.updatedAt,
  };
}

export function orderEventRows(o, firstHistoryId) {
  return o.events.map((e, i) => ({
    history_id: firstHistoryId + i, order_id: o.id, client_order_id: o.clientId, symbol: o.symbol, side: wireSide(o.side),
    price: S(o.price), initial_amount: S(o.amount), filled_amount: S(e.filled), cancelled_amount: S(o.cancelled),
    event_type: e.event, order_type: orderType(o), order_status: e.status, stop_price: null, stop_parent_order_id: null,
    reduce_only: o.reduceOnly, created_at: e.at,
  }));
}

export function orderUpdateWs(o, event) {
  return {
    i: o.id, I: o.clientId, u: o.account, s: o.symbol, d: wireSide(o.side), p: avgFill(o), ip: S(o.initialPrice ?? o.price),
    a: S(o.amount), f: S(o.filled), oe: event, os: o.status, ot: orderType(o), sp: null, si: null, r: o.reduceOnly,
    ct: o.createdAt, ut: o.updatedAt,
  };
}

// One engine fill can close a position and open the other way; Pacifica lists those as two
// trade records (close_* then open_*). Fee and PnL belong to the first record.
export function tradeRecords(t) {
  const parts = [];
  const long = t.side === 'buy';
  if (t.closedQty > 0n) parts.push({ qty: t.closedQty, side: long ? 'close_short' : 'close_long' });
  if (t.openedQty > 0n) parts.push({ qty: t.openedQty, side: long ? 'open_long' : 'open_short' });
  return parts.map((p, i) => ({
    history_id: t.historyId, order_id: t.orderId, client_order_id: t.clientId, symbol: t.symbol, amount: S(p.qty),
    price: S(t.price), entry_price: S(roundToDecimals(p.side.startsWith('close') ? t.entryBefore : t.price, 6)),
    fee: i === 0 ? money(t.fee) : '0', pnl: i === 0 ? money(t.realized) : '0',
    event_type: t.role === 'maker' ? 'fulfill_maker' : 'fulfill_taker', side: p.side, cause: 'normal', created_at: t.at,
  }));
}

export function tradeWs(t) {
  return tradeRecords(t).map((r) => ({
    h: r.history_id, i: r.order_id, I: r.client_order_id, s: r.symbol, ts: r.side, p: r.price, a: r.amount, o: r.entry_price,
    te: r.event_type, tc: r.cause, n: r.pnl, f: r.fee, u: t.account, t: r.created_at,
  }));
}

export function publicTradeRow(tr) {
  return {
    event_type: 'fulfill_taker', price: S(tr.price), amount: S(tr.qty), side: tr.takerSide === 'buy' ? 'open_long' : 'open_short',
    cause: 'normal', created_at: tr.at,
  };
}

export function publicTradeWs(tr) {
  return { h: tr.id, s: tr.symbol, p: S(tr.price), a: S(tr.qty), d: tr.takerSide === 'buy' ? 'open_long' : 'open_short', tc: 'normal', t: tr.at, u: tr.taker ?? '' };
}

export function fundingPaymentRow(p) {
  return { history_id: p.historyId, symbol: p.symbol, side: wireSide(p.side), amount: S(p.size), payout: S(p.payout), rate: S(p.rate), created_at: p.at };
}

export function fundingRateRow(engine, m, r) {
  return {
    oracle_price: S(r.price), bid_impact_price: S(r.price), ask_impact_price: S(r.price),
    funding_rate: S(r.rate), next_funding_rate: S(accruingRate(m, r.at)), created_at: r.at,
  };
}

export const notional = (qty, price) => mulDec(qty, price);
