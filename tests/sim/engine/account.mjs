// Accounts and positions: collateral, per-market leverage and margin mode, position size, entry,
// realised PnL, cumulative funding, margin and the liquidation price. Balance changes (realised
// PnL, fees, funding) are computed exactly and then rounded to the venue's collateral decimals
// with half-even rounding, one rounding per change, so a test can recompute them.
import {
  ZERO, ONE, mulDec, divDec, roundToDecimals, roundToStep, absDec, signOf, fmtDec,
} from '../lib/decimal.mjs';

export class Account {
  constructor(id, { balance = ZERO, makerFee, takerFee, feeLevel = 0 }) {
    this.id = id;
    this.balance = balance;
    this.makerFee = makerFee;
    this.takerFee = takerFee;
    this.feeLevel = feeLevel;
    this.positions = new Map(); // symbol -> Position
    this.settings = new Map();  // symbol -> { leverage, isolated, createdAt, updatedAt }
    this.agents = new Set();    // bound agent public keys (venue dialects that have them)
    this.updatedAt = 0;
  }

  leverageFor(market) { return this.settings.get(market.symbol)?.leverage ?? market.maxLeverage; }
  isIsolated(market) { return this.settings.get(market.symbol)?.isolated ?? market.isolatedOnly; }
}

export function newPosition(symbol, nowMs) {
  return { symbol, size: ZERO, entry: ZERO, realizedPnl: ZERO, funding: ZERO, fees: ZERO, margin: ZERO, isolated: false, createdAt: nowMs, updatedAt: nowMs };
}

// Applies one fill to an account. side: 'buy'|'sell', qty > 0, price; fee already computed.
// Returns { realized, closedQty, openedQty }.
export function applyFill(account, market, side, qty, price, fee, nowMs, collateralDecimals) {
  let pos = account.positions.get(market.symbol);
  if (!pos) {
    pos = newPosition(market.symbol, nowMs);
    pos.isolated = account.isIsolated(market);
    account.positions.set(market.symbol, pos);
  }
  const dir = side === 'buy' ? 1n : -1n;
  const delta = dir * qty;
  let realized = ZERO;
  let closedQty = ZERO;
  if (pos.size === ZERO || signOf(pos.size) === dir) {
    const newAbs = absDec(pos.size) + qty;
    // Entry is the size-weighted average price, kept to 18 decimals (half-even).
    pos.entry = divDec(mulDec(absDec(pos.size), pos.entry) + mulDec(qty, price), newAbs);
    if (pos.size === ZERO) { pos.createdAt = nowMs; pos.funding = ZERO; }
    pos.size += delta;
  } else {
    closedQty = qty < absDec(pos.size) ? qty : absDec(pos.size);
    realized = roundToDecimals(mulDec(mulDec(price - pos.entry, closedQty), signOf(pos.size) * ONE), collateralDecimals);
    const wasIsolatedMargin = pos.margin;
    const before = absDec(pos.size);
    pos.size += delta;
    if (pos.isolated && before > 0n) {
      // Release the closed share of isolated margin back to the free balance.
      pos.margin = wasIsolatedMargin - roundToDecimals(divDec(mulDec(wasIsolatedMargin, closedQty), before), collateralDecimals);
    }
    if (pos.size !== ZERO && signOf(pos.size) === dir) {
      pos.entry = price; // flipped through zero: the remainder opened at this fill's price
      pos.createdAt = nowMs;
      pos.funding = ZERO;
      pos.margin = ZERO;
    }
  }
  pos.realizedPnl += realized;
  pos.fees += fee;
  pos.updatedAt = nowMs;
  account.balance += realized - fee;
  account.updatedAt = nowMs;
  if (pos.isolated && pos.size !== ZERO) {
    const want = roundToDecimals(divDec(mulDec(absDec(pos.size), pos.entry), BigInt(account.leverageFor(market)) * ONE), collateralDecimals, 'ceil');
    if (want > pos.margin) pos.margin = want;
  }
  if (pos.size === ZERO) { pos.margin = ZERO; account.positions.delete(market.symbol); }
  return { realized, closedQty, openedQty: qty - closedQty };
}

export const unrealizedPnl = (pos, mark) => mulDec(mark - pos.entry, pos.size);

// Initial margin of a position at the mark: |size| * mark / leverage.
export function initialMargin(pos, market, account) {
  if (pos.isolated) return pos.margin;
  return divDec(mulDec(absDec(pos.size), market.mark), BigInt(account.leverageFor(market)) * ONE);
}

export function maintenanceMargin(pos, market, account) {
  const notional = mulDec(absDec(pos.size), market.mark);
  return mulDec(divDec(notional, BigInt(account.leverageFor(market)) * ONE), market.maintenanceFraction);
}

// Margin held by open orders: the part of each order that would increase exposure, at its price.
export function orderMargin(order, market, account) {
  if (order.reduceOnly) return ZERO;
  const left = order.amount - order.filled - order.cancelled;
  return divDec(mulDec(left, order.price), BigInt(account.leverageFor(market)) * ONE);
}

// Account summary at current marks: the figures venues report (balance, equity, margin, free).
export function summarize(account, markets, openOrders) {
  let upnl = ZERO;
  let marginUsed = ZERO;
  let mmr = ZERO;
  for (const pos of account.positions.values()) {
    const m = markets.get(pos.symbol);
    upnl += unrealizedPnl(pos, m.mark);
    marginUsed += initialMargin(pos, m, account);
    if (!pos.isolated) mmr += maintenanceMargin(pos, m, account);
  }
  let ordersMargin = ZERO;
  for (const o of openOrders) ordersMargin += orderMargin(o, markets.get(o.symbol), account);
  const equity = account.balance + upnl;
  const available = equity - marginUsed - ordersMargin;
  return { balance: account.balance, upnl, equity, marginUsed, ordersMargin, mmr, available: available > 0n ? available : ZERO, availableRaw: available };
}

// Liquidation price: the mark at which this position's equity share meets maintenance margin,
// other positions held at their current marks. Cross: the account's whole free equity backs the
// position; isolated: only its margin. null when no positive price liquidates it.
export function liquidationPrice(account, market, pos, markets) {
  if (!pos || pos.size === ZERO) return null;
  const mmFrac = divDec(market.maintenanceFraction, BigInt(account.leverageFor(market)) * ONE);
  let backing;
  if (pos.isolated) backing = pos.margin;
  else {
    backing = account.balance;
    for (const other of account.positions.values()) {
      if (other === pos) continue;
      const m = markets.get(other.symbol);
      backing += unrealizedPnl(other, m.mark) - (other.isolated ? other.margin : maintenanceMargin(other, m, account));
    }
  }
  // backing + size*(P - entry) = |size| * P * mmFrac  =>  P = (size*entry - backing) / (size - |size|*mmFrac)
  const num = mulDec(pos.size, pos.entry) - backing;
  const den = pos.size - mulDec(absDec(pos.size), mmFrac);
  if (den === ZERO) return null;
  const p = divDec(num, den);
  if (p <= 0n) return null;
  return roundToStep(p, market.tick, pos.size > 0n ? 'ceil' : 'floor');
}

export function describePosition(pos, market, account, markets, collateralDecimals) {
  return {
    symbol: pos.symbol,
    side: pos.size > 0n ? 'long' : 'short',
    size: fmtDec(absDec(pos.size)),
    entry_price: fmtDec(pos.entry, {}),
    mark: fmtDec(market.mark),
    unrealized_pnl: fmtDec(roundToDecimals(unrealizedPnl(pos, market.mark), collateralDecimals)),
    realized_pnl: fmtDec(pos.realizedPnl),
    funding: fmtDec(pos.funding),
    margin: fmtDec(initialMargin(pos, market, account)),
    isolated: pos.isolated,
    leverage: account.leverageFor(market),
    liquidation_price: (() => { const l = liquidationPrice(account, market, pos, markets); return l === null ? null : fmtDec(l); })(),
  };
}
