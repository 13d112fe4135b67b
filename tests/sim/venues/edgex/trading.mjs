// Executes authenticated edgeX write requests against the engine (specs/edgex.md §4.4-4.7,
// V.8): createOrder (after order_check.mjs), the three cancels with their per-order
// cancelResultMap, leverage, v2 setMarginMode (EIP-712 checked here) and getMaxCreateOrderSize.
// Every function answers { ok: true, data, order? } or { ok: false, kind, msg, errorParam?, reason? }.
import { EngineError, feeRate } from '../../engine/engine.mjs';
import { summarize } from '../../engine/account.mjs';
import { mulDec, divDec, roundToStep, absDec, fmtDec, ONE, ZERO, DecimalError } from '../../lib/decimal.mjs';
import { checkCreateOrder } from './order_check.mjs';
import { marginStructHash, digestOf, recoverSigner, EncodeError } from './eip712.mjs';
import { wireOrderId, engineOrderId } from './shapes.mjs';
import { priceText, sizeText, reqDec } from './meta.mjs';

const fail = (kind, msg, extra = {}) => ({ ok: false, kind, msg, ...extra });
const KIND_OF_ENGINE = {
  insufficient_funds: 'insufficient_funds', invalid_order: 'invalid_order', bad_symbol: 'bad_symbol', order_not_found: 'order_not_found',
  invalid_leverage: 'invalid_leverage', account_not_found: 'account_not_found', margin_mode: 'margin_mode', no_liquidity: 'invalid_order',
  duplicate_client_id: 'duplicate_client_id', reduce_only: 'invalid_order',
};

function engineFailure(e) {
  if (e instanceof EngineError) return fail(KIND_OF_ENGINE[e.kind] ?? 'invalid_parameter', e.message, { reason: e.kind });
  if (e instanceof DecimalError) return fail('invalid_parameter', e.message, { reason: 'decimal' });
  throw e;
}

const isList = (v) => Array.isArray(v) && v.every((x) => typeof x === 'string');

// partialFill: a "partial_fill" fault ({fraction} or {size}) capping what the order may fill.
export function createOrder(v, body, account, { nowMs, partialFill }) {
  const c = v.contracts().byId.get(body.contractId);
  if (typeof body.contractId !== 'string' || !c) return fail('bad_symbol', `contract ${body.contractId} not found`, { errorParam: { field: 'contractId' } });
  const market = v.engine.markets.get(c.symbol);
  const r = checkCreateOrder(body, { version: v.version, engine: v.engine, market, contract: c, collateral: v.collateral, account, domain: v.domain(), nowMs });
  if (!r.ok) return r;
  // The client order id is the idempotency key: the same order again answers the same id.
  const prev = v.engine.orderByClientId(account.id, body.clientOrderId);
  if (prev) {
    if (prev.meta && prev.meta.fingerprint === r.req.meta.fingerprint) return { ok: true, data: { orderId: wireOrderId(prev.id) }, order: prev, duplicate: true };
    return fail('duplicate_client_id', `clientOrderId ${body.clientOrderId} was already used for a different order`, { errorParam: { field: 'clientOrderId' } });
  }
  const pos = account.positions.get(market.symbol);
  const signed = r.req.side === 'buy' ? r.req.amount : -r.req.amount;
  const after = absDec((pos ? pos.size : ZERO) + signed);
  if (!r.req.reduceOnly && after > c.maxPositionSize && after > absDec(pos ? pos.size : ZERO)) {
    return fail('invalid_parameter', `position would exceed maxPositionSize ${fmtDec(c.maxPositionSize)}`, { errorParam: { field: 'size' } });
  }
  if (partialFill) {
    const cap = partialFill.size !== undefined ? reqDec(String(partialFill.size)) : roundToStep(mulDec(r.req.amount, reqDec(String(partialFill.fraction ?? '0.5'))), market.step, 'floor');
    r.req.maxFill = cap;
  }
  try {
    const { order } = v.engine.placeOrder(r.req, { reduceOnlyAsOrder: true });
    return { ok: true, data: { orderId: wireOrderId(order.id) }, order, signer: r.signer };
  } catch (e) { return engineFailure(e); }
}

// Cancels one order for cancelOrderById / ByClientOrderId and says what happened to it.
function cancelOne(v, o) {
  if (o.status === 'filled') return 'FAILED_ORDER_FILLED';
  if (o.status === 'cancelled' || o.status === 'rejected') return 'SUCCESS_ORDER_CANCELED';
  v.engine.cancelOrder({ account: o.account, orderId: o.id });
  return 'SUCCESS';
}

export function cancelById(v, body, account) {
  if (!isList(body.orderIdList) || body.orderIdList.length === 0) return fail('invalid_parameter', 'orderIdList must be a non-empty list of id strings');
  const map = {};
  for (const id of body.orderIdList) {
    const o = v.engine.orders.get(engineOrderId(id));
    map[id] = o && o.account === account.id ? cancelOne(v, o) : 'FAILED_ORDER_NOT_FOUND';
  }
  return { ok: true, data: { cancelResultMap: map } };
}

// Results are keyed by the order id; a client id that matches no order is reported under itself.
export function cancelByClientId(v, body, account) {
  if (!isList(body.clientOrderIdList) || body.clientOrderIdList.length === 0) return fail('invalid_parameter', 'clientOrderIdList must be a non-empty list of strings');
  const map = {};
  for (const cid of body.clientOrderIdList) {
    const o = v.engine.orderByClientId(account.id, cid);
    if (o) map[wireOrderId(o.id)] = cancelOne(v, o); else map[cid] = 'FAILED_ORDER_NOT_FOUND';
  }
  return { ok: true, data: { cancelResultMap: map } };
}

export function cancelAll(v, body, account) {
  for (const k of ['filterContractIdList', 'filterCoinIdList', 'filterOrderTypeList', 'filterOrderStatusList']) {
    if (body[k] !== undefined && !isList(body[k])) return fail('invalid_parameter', `${k} must be a list of strings`);
  }
  const only = body.filterContractIdList?.length ? new Set(body.filterContractIdList.map((id) => v.contracts().byId.get(id)?.symbol)) : null;
  const types = body.filterOrderTypeList?.length ? new Set(body.filterOrderTypeList) : null;
  const map = {};
  for (const o of v.engine.openOrders(account.id)) {
    if (only && !only.has(o.symbol)) continue;
    if (types && !types.has(o.meta?.type ?? 'LIMIT')) continue;
    map[wireOrderId(o.id)] = cancelOne(v, o);
  }
  return { ok: true, data: { cancelResultMap: map } };
}

export function updateLeverage(v, body, account) {
  if (typeof body.contractId !== 'string' || typeof body.leverage !== 'string') return fail('invalid_parameter', 'contractId and leverage are required (strings)');
  if (body.contractId === '0') return fail('not_simulated', 'the account-wide default leverage (contractId "0") is not simulated');
  const c = v.contracts().byId.get(body.contractId);
  if (!c) return fail('bad_symbol', `contract ${body.contractId} not found`);
  if (!/^[1-9][0-9]{0,5}$/.test(body.leverage)) return fail('invalid_leverage', `leverage must be a positive integer string, got ${body.leverage}`);
  if (v.engine.openOrders(account.id, c.symbol).length) return fail('leverage_open_orders');
  try {
    v.engine.setLeverage(account.id, c.symbol, Number(body.leverage));
    return { ok: true, data: null };
  } catch (e) { return engineFailure(e); }
}

// v2 only. marginMode "0" = cross, "1" = isolated (the venue does not document which is which;
// this is the simulator's choice, see README).
export function setMarginMode(v, body, account, { nowMs }) {
  for (const k of ['accountId', 'contractId', 'marginMode', 'l2Nonce', 'l2ExpireTime', 'signer', 'l2Signature']) {
    if (typeof body[k] !== 'string') return fail('invalid_parameter', `${k} is required (a string)`);
  }
  const c = v.contracts().byId.get(body.contractId);
  if (!c) return fail('bad_symbol', `contract ${body.contractId} not found`);
  if (!['0', '1'].includes(body.marginMode)) return fail('invalid_parameter', 'marginMode must be "0" or "1"');
  if (!/^[0-9]{1,20}$/.test(body.l2Nonce) || !/^[0-9]{1,16}$/.test(body.l2ExpireTime)) return fail('invalid_parameter', 'l2Nonce and l2ExpireTime must be decimal integers');
  if (Number(body.l2ExpireTime) <= nowMs) return fail('invalid_parameter', `l2ExpireTime ${body.l2ExpireTime} has passed`, { reason: 'order_expired' });
  const signers = (account.dialect?.signers ?? []).map((s) => s.toLowerCase());
  if (!signers.includes(body.signer.toLowerCase())) return fail('l2_signature', `signer ${body.signer} is not registered for account ${account.id}`, { reason: 'bad_l2_signature' });
  let rec;
  try {
    rec = recoverSigner(body.l2Signature, digestOf(v.domain(), marginStructHash({
      accountId: BigInt(body.accountId), assetId: BigInt(body.contractId), marginMode: BigInt(body.marginMode), nonce: BigInt(body.l2Nonce), signer: body.signer,
    })));
  } catch (e) {
    if (e instanceof EncodeError) return fail('invalid_parameter', e.message);
    throw e;
  }
  if (rec.error || rec.address !== body.signer.toLowerCase()) return fail('l2_signature', rec.error ?? 'l2Signature is not from the signer named in the body', { reason: 'bad_l2_signature' });
  try {
    v.engine.setMarginMode(account.id, c.symbol, body.marginMode === '1');
    return { ok: true, data: null };
  } catch (e) { return engineFailure(e); }
}

export function maxCreateOrderSize(v, body, account) {
  const c = v.contracts().byId.get(body.contractId);
  if (!c) return fail('bad_symbol', `contract ${body.contractId} not found`);
  const m = v.engine.markets.get(c.symbol);
  const price = reqDec(body.price);
  if (price === null || price <= 0n) return fail('invalid_parameter', 'price must be a positive decimal string');
  const s = summarize(account, v.engine.markets, v.engine.openOrders(account.id));
  const perUnit = divDec(price, BigInt(account.leverageFor(m)) * ONE) + mulDec(price, feeRate(account, m, 'taker'));
  const fresh = s.available > 0n ? roundToStep(divDec(s.available, perUnit, 'floor'), m.step, 'floor') : ZERO;
  const pos = account.positions.get(c.symbol)?.size ?? ZERO;
  const book = v.engine.books.get(c.symbol);
  return {
    ok: true,
    data: {
      maxBuySize: sizeText(m, fresh + (pos < 0n ? -pos : ZERO)), maxSellSize: sizeText(m, fresh + (pos > 0n ? pos : ZERO)),
      ask1Price: book.best('sell') ? priceText(c, m, book.best('sell').price) : '0', bid1Price: book.best('buy') ? priceText(c, m, book.best('buy').price) : '0',
    },
  };
}

