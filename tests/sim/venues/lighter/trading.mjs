// Executes verified Lighter txs against the engine (specs/lighter.md §6, §8): the nonce rule
// (one counter per account and API key; a tx must carry exactly the next nonce; only an accepted
// tx consumes it), the order-combination rules of §6.6, and the mapping of engine outcomes to
// Lighter codes and order statuses. Shared by REST sendTx/sendTxBatch and WebSocket jsonapi/sendtx.
import { ZERO, fmtDec, mulDec, roundToStep, parseDec, DecimalError } from '../../lib/decimal.mjs';
import { EngineError } from '../../engine/engine.mjs';
import { verifyTx } from './verify.mjs';
import { CODES, codeError, kindError } from './errors.mjs';
import { fromUnits, priceDecimals, sizeDecimals, marketId, marketFacts } from './shapes.mjs';

const MAX_ORDER_EXPIRY_AHEAD_MS = 30 * 24 * 3600 * 1000;
const MIN_SCHEDULED_CANCEL_AHEAD_MS = 5 * 60 * 1000;
const MAX_SCHEDULED_CANCEL_AHEAD_MS = 15 * 24 * 3600 * 1000;
const TWO_48 = 2n ** 48n;

class TxError extends Error {
  constructor(code, detail) { super(detail ?? String(code)); this.code = code; this.detail = detail; }
}

export function marketById(engine, id) {
  for (const m of engine.markets.values()) if (Number.isSafeInteger(m.id) && BigInt(m.id) === BigInt(id)) return m;
  throw new TxError(CODES.INVALID_MARKET, `market ${id}`);
}

const nonceKey = (account, apiKey) => `${account}:${apiKey}`;
export const nextNonce = (venue, account, apiKey) => venue.state.nonces.get(nonceKey(account, apiKey)) ?? BigInt(venue.options.initial_nonce);

// A partial_fill fault caps the fill of the order it is taken for: `size` (decimal string) or `fraction` (0.5).
function partialCap(fault, amount, market) {
  if (!fault) return undefined;
  if (fault.size !== undefined) return parseDec(String(fault.size), { what: 'partial_fill.size' });
  const frac = parseDec(String(fault.fraction ?? '0.5'), { what: 'partial_fill.fraction' });
  return roundToStep(mulDec(amount, frac), market.step, 'floor');
}

function liveByClientIndex(engine, account, clientIndex) {
  return engine.openOrders(account).find((o) => o.lx && BigInt(o.lx.clientIndex) === clientIndex) ?? null;
}

function findLiveOrder(engine, account, m, index) {
  for (const o of engine.openOrders(account, m.symbol)) {
    if (index >= TWO_48 ? BigInt(o.id) === index : (o.lx && BigInt(o.lx.clientIndex) === index)) return o;
  }
  return null;
}

function engineCall(fn) {
  try { return fn(); } catch (e) {
    if (e instanceof EngineError) {
      if (e.kind === 'invalid_order' && /^Price/.test(e.message)) throw new TxError(CODES.INVALID_PRICE, e.message);
      const err = kindError(e.kind, e.message);
      throw new TxError(err.json.code, e.message);
    }
    if (e instanceof DecimalError) throw new TxError(CODES.INVALID_PARAM, e.message);
    throw e;
  }
}

function createOrder(venue, v, ctx) {
  const { engine } = venue;
  const f = v.tx.fields;
  const m = marketById(engine, f.MarketIndex);
  const now = ctx.simNowMs;
  if (f.BaseAmount < 1n || f.BaseAmount >= TWO_48) throw new TxError(CODES.INVALID_BASE_AMOUNT, `BaseAmount ${f.BaseAmount}`);
  if (f.Price < 1n) throw new TxError(CODES.INVALID_PRICE, `Price ${f.Price}`);
  if (f.IsAsk > 1n) throw new TxError(CODES.INVALID_IS_ASK, `IsAsk ${f.IsAsk}`);
  if (f.ReduceOnly > 1n) throw new TxError(CODES.INVALID_PARAM, `ReduceOnly ${f.ReduceOnly}`);
  if (f.ClientOrderIndex < 0n || f.ClientOrderIndex >= TWO_48) throw new TxError(CODES.INVALID_CLIENT_ORDER_INDEX, `ClientOrderIndex ${f.ClientOrderIndex}`);
  if (f.Type > 6n) throw new TxError(CODES.INVALID_ORDER_TYPE, `Type ${f.Type}`);
  if (f.Type >= 2n) return { notSimulated: 'stop-loss, take-profit and TWAP orders are not simulated' };
  if (f.TimeInForce > 2n) throw new TxError(CODES.INVALID_TIF, `TimeInForce ${f.TimeInForce}`);
  if (f.TriggerPrice !== 0n) throw new TxError(CODES.INVALID_ORDER_TYPE, 'TriggerPrice must be 0 for limit and market orders');
  const isMarket = f.Type === 1n;
  if (isMarket && f.TimeInForce !== 0n) throw new TxError(CODES.INVALID_TIF, 'market orders are immediate-or-cancel');
  if (f.TimeInForce === 0n) {
    if (f.OrderExpiry !== 0n) throw new TxError(CODES.INVALID_EXPIRY, 'OrderExpiry must be 0 for immediate-or-cancel orders');
  } else if (f.OrderExpiry <= BigInt(now) || f.OrderExpiry > BigInt(now + MAX_ORDER_EXPIRY_AHEAD_MS)) {
    throw new TxError(CODES.INVALID_EXPIRY, `OrderExpiry ${f.OrderExpiry} must be in (now, now + 30 days]`);
  }
  const clientIndex = f.ClientOrderIndex;
  if (clientIndex !== 0n && liveByClientIndex(engine, v.account, clientIndex)) throw new TxError(CODES.CLIENT_ORDER_INDEX_EXISTS, `ClientOrderIndex ${clientIndex}`);
  const amount = fromUnits(f.BaseAmount, sizeDecimals(m));
  const price = fromUnits(f.Price, priceDecimals(m));
  if (amount < marketFacts(venue, m).minBase && f.ReduceOnly === 0n) throw new TxError(CODES.INVALID_AMOUNT, `size ${fmtDec(amount)} is below min_base_amount`);
  const side = f.IsAsk === 1n ? 'sell' : 'buy';
  const book = engine.books.get(m.symbol);
  const oppositeHadLiquidity = book.best(side === 'buy' ? 'sell' : 'buy') !== null;
  const tif = f.TimeInForce === 0n ? 'IOC' : f.TimeInForce === 2n ? 'ALO' : 'GTC';
  const { order } = engineCall(() => engine.placeOrder({
    account: v.account, symbol: m.symbol, side, type: 'limit', price, amount, tif, reduceOnly: f.ReduceOnly === 1n,
    refPrice: isMarket ? m.mark : undefined,
    clientId: clientIndex === 0n ? null : Number(clientIndex), maxFill: partialCap(ctx.take(['partial_fill']), amount, m),
  }, { allowClientIdReuse: true }));
  order.lx = {
    clientIndex: Number(clientIndex), nonce: Number(f.Nonce), expiry: Number(f.OrderExpiry), type: isMarket ? 'market' : 'limit',
    txHash: v.hash, blockHeight: venue.state.blockHeight,
  };
  if (order.status === 'cancelled' && isMarket) {
    order.lx.terminal = oppositeHadLiquidity ? 'canceled-too-much-slippage' : 'canceled-not-enough-liquidity';
  }
  for (const t of engine.trades) if (t.orderId === order.id && t.txHash === undefined) { t.txHash = v.hash; t.blockHeight = venue.state.blockHeight; }
  return { order };
}

function cancelOrder(venue, v) {
  const f = v.tx.fields;
  const m = marketById(venue.engine, f.MarketIndex);
  if (f.Index < 1n) throw new TxError(CODES.INVALID_ORDER_INDEX, `Index ${f.Index}`);
  const o = findLiveOrder(venue.engine, v.account, m, f.Index);
  if (!o) throw new TxError(CODES.INVALID_ORDER_INDEX, `no open order ${f.Index} in market ${marketId(m)}`);
  engineCall(() => venue.engine.cancelOrder({ account: v.account, symbol: m.symbol, orderId: o.id }));
  return { order: o };
}

function cancelAll(venue, v, ctx) {
  const f = v.tx.fields;
  const { engine, state } = venue;
  if (f.TimeInForce === 0n) {
    if (f.Time !== 0n) throw new TxError(CODES.INVALID_EXPIRY, 'Time must be 0 for an immediate cancel-all');
    const restrict = v.tx.attributes.find(([t]) => t === 5n);
    const symbol = restrict && restrict[1] !== 255n ? marketById(engine, restrict[1]).symbol : undefined;
    return { cancelled: engineCall(() => engine.cancelAll({ account: v.account, symbol })) };
  }
  if (f.TimeInForce === 1n) {
    const now = BigInt(ctx.simNowMs);
    if (f.Time < now + BigInt(MIN_SCHEDULED_CANCEL_AHEAD_MS) || f.Time > now + BigInt(MAX_SCHEDULED_CANCEL_AHEAD_MS)) {
      throw new TxError(CODES.INVALID_EXPIRY, 'scheduled cancel-all Time must be 5 minutes to 15 days ahead');
    }
    state.scheduledCancelAll.set(v.account, Number(f.Time));
    return {};
  }
  if (f.TimeInForce === 2n) {
    if (f.Time !== 0n) throw new TxError(CODES.INVALID_EXPIRY, 'Time must be 0 when aborting a scheduled cancel-all');
    state.scheduledCancelAll.delete(v.account);
    return {};
  }
  throw new TxError(CODES.INVALID_TIF, `TimeInForce ${f.TimeInForce}`);
}

function modifyOrder(venue, v, ctx) {
  const { engine } = venue;
  const f = v.tx.fields;
  const m = marketById(engine, f.MarketIndex);
  const old = findLiveOrder(engine, v.account, m, f.Index);
  if (!old) throw new TxError(CODES.INVALID_ORDER_INDEX, `no open order ${f.Index} in market ${marketId(m)}`);
  if (f.BaseAmount < 1n || f.BaseAmount >= TWO_48) throw new TxError(CODES.INVALID_BASE_AMOUNT, `BaseAmount ${f.BaseAmount}`);
  if (f.Price < 1n) throw new TxError(CODES.INVALID_PRICE, `Price ${f.Price}`);
  if (f.TriggerPrice !== 0n) throw new TxError(CODES.INVALID_ORDER_TYPE, 'TriggerPrice must be 0 for limit orders');
  engineCall(() => engine.cancelOrder({ account: v.account, symbol: m.symbol, orderId: old.id }));
  const { order } = engineCall(() => engine.placeOrder({
    account: v.account, symbol: m.symbol, side: old.side, type: 'limit', price: fromUnits(f.Price, priceDecimals(m)),
    amount: fromUnits(f.BaseAmount, sizeDecimals(m)), tif: old.tif, reduceOnly: old.reduceOnly, clientId: old.clientId,
    maxFill: partialCap(ctx.take(['partial_fill']), fromUnits(f.BaseAmount, sizeDecimals(m)), m),
  }, { allowClientIdReuse: true }));
  order.lx = { ...old.lx, nonce: Number(f.Nonce), txHash: v.hash, blockHeight: venue.state.blockHeight };
  return { order };
}

function updateLeverage(venue, v) {
  const { engine, state } = venue;
  const f = v.tx.fields;
  const m = marketById(engine, f.MarketIndex);
  const facts = marketFacts(venue, m);
  const imf = Number(f.InitialMarginFraction);
  if (imf < facts.minImf || imf > 10000) throw new TxError(CODES.INVALID_IMF, `InitialMarginFraction ${imf} must be in [${facts.minImf}, 10000]`);
  if (f.MarginMode > 1n) throw new TxError(CODES.INVALID_PARAM, `MarginMode ${f.MarginMode}`);
  const acct = engine.account(v.account);
  const isolated = f.MarginMode === 1n;
  if (isolated !== acct.isIsolated(m)) {
    if (acct.positions.has(m.symbol) || engine.openOrders(v.account, m.symbol).length) throw new TxError(CODES.MARGIN_MODE_CHANGE, m.symbol);
    engineCall(() => engine.setMarginMode(v.account, m.symbol, isolated));
  }
  const leverage = Math.max(1, Math.min(m.maxLeverage, Math.floor(10000 / imf)));
  if (acct.positions.has(m.symbol) && leverage < acct.leverageFor(m)) {
    // Lowering leverage with a position open is allowed on Lighter as long as the account still
    // covers its margin (the engine's own rule would refuse it outright).
    const before = acct.settings.get(m.symbol);
    acct.settings.set(m.symbol, { ...(before ?? { isolated: acct.isIsolated(m), createdAt: engine.now() }), leverage, updatedAt: engine.now() });
    if (engine.summary(v.account).availableRaw < ZERO) {
      if (before) acct.settings.set(m.symbol, before); else acct.settings.delete(m.symbol);
      throw new TxError(CODES.NOT_ENOUGH_COLLATERAL, 'the position would not be covered at that leverage');
    }
    engine.emit('leverage', { account: v.account, symbol: m.symbol, leverage });
  } else {
    engineCall(() => engine.setLeverage(v.account, m.symbol, leverage));
  }
  state.imf.set(`${v.account}:${m.symbol}`, imf);
  engine.emit('position', { account: v.account, symbol: m.symbol });
  return {};
}

const EXECUTORS = { 14: createOrder, 15: cancelOrder, 16: cancelAll, 17: modifyOrder, 20: updateLeverage };

// One tx end to end. ctx: { wallNowMs, simNowMs, take(types) -> fault|null }.
// Returns { ok: true, hash, result } or { ok: false, error: {status, json}, reason }.
export function processTx(venue, txType, info, ctx, { expectNonce } = {}) {
  const v = verifyTx(venue, txType, info, ctx.signatureNowMs);
  if (!v.ok) return { ok: false, error: codeError(v.code, v.detail), reason: v.reason, detail: v.detail };
  const want = expectNonce ?? nextNonce(venue, v.account, v.apiKey);
  if (v.tx.fields.Nonce !== want) {
    return { ok: false, error: codeError(CODES.INVALID_NONCE), reason: 'nonce', detail: `nonce ${v.tx.fields.Nonce}, expected ${want}`, v };
  }
  const forced = ctx.take(['reject']);
  if (forced) return { ok: false, error: kindError(forced.error ?? 'insufficient_funds', forced.message), reason: 'injected', v };
  const exec = EXECUTORS[txType];
  if (!exec) return { ok: false, error: { status: 501, json: { code: 501, message: `tx type ${txType} is not simulated` } }, reason: 'not_simulated', v };
  let result;
  venue.state.blockHeight++;
  try {
    result = exec(venue, v, { simNowMs: ctx.simNowMs, take: ctx.take });
  } catch (e) {
    if (e instanceof TxError) return { ok: false, error: codeError(e.code, e.detail), reason: 'business', detail: e.detail, v };
    throw e;
  }
  if (result.notSimulated) return { ok: false, error: { status: 501, json: { code: 501, message: result.notSimulated } }, reason: 'not_simulated', v };
  venue.state.nonces.set(nonceKey(v.account, v.apiKey), v.tx.fields.Nonce + 1n);
  recordTx(venue, v, typeof info === 'string' ? info : JSON.stringify(info), ctx.simNowMs, result);
  return { ok: true, hash: v.hash, result, v };
}

function recordTx(venue, v, infoText, now, result) {
  const rec = {
    hash: v.hash, type: v.tx.type, info: infoText, event_info: JSON.stringify(result.order ? { order_index: result.order.id } : {}),
    status: 2, transaction_index: venue.state.blockHeight, l1_address: venue.l1Address(v.account), account_index: Number(v.account),
    nonce: Number(v.tx.fields.Nonce), expire_at: Number(v.tx.fields.ExpiredAt), block_height: venue.state.blockHeight,
    queued_at: now, executed_at: now, sequence_index: venue.state.blockHeight, parent_hash: '', api_key_index: v.apiKey,
  };
  venue.state.txs.set(v.hash, rec);
  venue.engine.emit('lighter_tx', { account: v.account, tx: rec });
}

// Orders past their OrderExpiry and scheduled cancel-alls whose time came (sim clock).
export function expireOrders(venue) {
  const { engine, state } = venue;
  const now = engine.now();
  for (const o of engine.openOrders()) {
    if (o.lx && o.lx.expiry > 0 && o.lx.expiry <= now) {
      o.lx.terminal = 'canceled-expired';
      engine.cancelOrder({ account: o.account, symbol: o.symbol, orderId: o.id });
    }
  }
  for (const [account, at] of state.scheduledCancelAll) {
    if (at <= now) {
      state.scheduledCancelAll.delete(account);
      engine.cancelAll({ account });
    }
  }
}

export { ZERO };
