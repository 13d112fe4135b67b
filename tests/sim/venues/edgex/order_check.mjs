// Server-side checks of a createOrder body (specs/edgex.md §4.4, §7, §10; V.7-V.8.1), for v1 and v2:
// field set and enums, contract rules (grid, size limits, price band, trading enabled), the L2
// quantities (l2Size, l2Value against price x size, exact resolution amounts, fee cap at least the
// taker fee, nonce = SHA-256 of the client id, expiry), then the signature over the message the
// simulator rebuilds itself: EIP-712 recovered to a signer registered for the account (v2), or
// Stark ECDSA under the account's l2Key (v1). Returns { ok: true, req } with the engine order
// request, or { ok: false, kind, msg, errorParam, reason } (reason goes to the request log).
import { sha256 } from '@noble/hashes/sha2.js';
import { mulDec, divDec, roundToStep, isMultiple, fmtDec, ONE, ZERO } from '../../lib/decimal.mjs';
import { feeRate } from '../../engine/engine.mjs';
import { reqDec } from './meta.mjs';
import { limitOrderStructHash, digestOf, recoverSigner, EncodeError } from './eip712.mjs';
import { orderMessage, parseStarkSignature, publicKeys, verifyStark } from './stark.mjs';

const DAY_MS = 86_400_000n;
const UNIT = ONE / 1_000_000n; // one collateral unit (10^-6) in 10^-18 units

const REQUIRED = ['accountId', 'contractId', 'price', 'size', 'type', 'side', 'timeInForce', 'clientOrderId', 'expireTime',
  'l2Nonce', 'l2Signature', 'l2ExpireTime', 'l2Value', 'l2Size', 'l2LimitFee'];
// Optional fields the SDKs / the web client send, with the value that means "feature not used".
const OPTIONAL_OFF = {
  triggerPrice: ['', '0'], triggerPriceType: ['', 'UNKNOWN_PRICE_TYPE'], sourceKey: null, isPositionTpsl: [false],
  openTpslParentOrderId: ['', '0'], isSetOpenTp: [false], openTp: [null], isSetOpenSl: [false], openSl: [null],
  extraType: [''], extraDataJson: [''],
};
export const TIME_IN_FORCE = { GOOD_TIL_CANCEL: 'GTC', IMMEDIATE_OR_CANCEL: 'IOC', FILL_OR_KILL: 'FOK', POST_ONLY: 'ALO' };

const fail = (kind, msg, reason, errorParam = null) => ({ ok: false, kind, msg, reason, errorParam });
const bad = (field, msg, reason = 'params') => fail('invalid_parameter', msg, reason, { field });

// The 32-bit l2Nonce every SDK derives from the client order id.
export function nonceOf(clientOrderId) {
  const d = sha256(new TextEncoder().encode(clientOrderId));
  return BigInt('0x' + Buffer.from(d.subarray(0, 4)).toString('hex'));
}

function checkFields(b) {
  for (const k of REQUIRED) if (typeof b[k] !== 'string') return bad(k, `${k} is required (a string)`);
  if (typeof b.reduceOnly !== 'boolean') return bad('reduceOnly', 'reduceOnly is required (a boolean)');
  for (const k of Object.keys(b)) {
    if (REQUIRED.includes(k) || k === 'reduceOnly') continue;
    if (!(k in OPTIONAL_OFF)) return bad(k, `unknown field ${k}`);
    const off = OPTIONAL_OFF[k];
    if (off && !off.includes(b[k])) return fail('not_simulated', `${k}=${JSON.stringify(b[k])}: TP/SL, trigger and extra order features are not simulated`, 'not_simulated');
  }
  if (!['LIMIT', 'MARKET'].includes(b.type)) {
    return /^(STOP|TAKE_PROFIT)_(LIMIT|MARKET)$/.test(b.type) ? fail('not_simulated', `order type ${b.type} is not simulated`, 'not_simulated') : bad('type', `unknown order type ${b.type}`);
  }
  if (!['BUY', 'SELL'].includes(b.side)) return bad('side', `side must be BUY or SELL, got ${b.side}`);
  if (!TIME_IN_FORCE[b.timeInForce]) return bad('timeInForce', `unknown timeInForce ${b.timeInForce}`);
  if (b.type === 'MARKET' && b.timeInForce !== 'IMMEDIATE_OR_CANCEL') return bad('timeInForce', 'MARKET orders must use IMMEDIATE_OR_CANCEL');
  if (!/^[\x21-\x7e]{1,64}$/.test(b.clientOrderId) || /[&=]/.test(b.clientOrderId)) return bad('clientOrderId', 'clientOrderId must be 1-64 printable ASCII characters without "&" or "="');
  for (const k of ['accountId', 'contractId', 'expireTime', 'l2ExpireTime', 'l2Nonce']) {
    if (!/^(0|[1-9][0-9]{0,19})$/.test(b[k])) return bad(k, `${k} must be a decimal integer string`);
  }
  return null;
}

// ctx: { version, engine, market, contract, collateral, account, domain (v2), nowMs }
export function checkCreateOrder(b, ctx) {
  const f = checkFields(b);
  if (f) return f;
  const { version, market, contract: c, collateral, account } = ctx;
  if (!c.enableTrade) return bad('contractId', `trading is disabled on contract ${c.contractId}`);
  if (!c.enableOpenPosition && !b.reduceOnly) return bad('reduceOnly', `contract ${c.contractId} is close-only: orders must be reduceOnly`);
  const isBuy = b.side === 'BUY';

  const size = reqDec(b.size);
  if (size === null || size <= 0n) return bad('size', `size must be a positive decimal, got ${b.size}`);
  if (!isMultiple(size, market.step)) return bad('size', `size ${b.size} is not a multiple of stepSize ${fmtDec(market.step)}`);
  if (size < c.minOrderSize || size > c.maxOrderSize) return bad('size', `size ${b.size} is outside [${fmtDec(c.minOrderSize)}, ${fmtDec(c.maxOrderSize)}]`);
  const l2Size = reqDec(b.l2Size);
  if (l2Size !== size) return bad('l2Size', `l2Size ${b.l2Size} must equal size ${b.size}`);

  let price = null;
  if (b.type === 'LIMIT') {
    price = reqDec(b.price);
    if (price === null || price <= 0n) return bad('price', `price must be a positive decimal, got ${b.price}`);
    if (!isMultiple(price, market.tick)) return bad('price', `price ${b.price} is not a multiple of tickSize ${fmtDec(market.tick)}`);
    // Limit-price band around the oracle price (inclusive; the exact formula is unpublished).
    if (isBuy && price > mulDec(market.mark, ONE + c.buyPriceRatio, 'floor')) return bad('price', `BUY price ${b.price} is above oracle x (1 + ${fmtDec(c.buyPriceRatio)})`);
    if (!isBuy && price < mulDec(market.mark, ONE - c.sellPriceRatio, 'ceil')) return bad('price', `SELL price ${b.price} is below oracle x (1 - ${fmtDec(c.sellPriceRatio)})`);
  } else if (b.price !== '0') return bad('price', 'MARKET orders carry price "0"');

  const l2Value = reqDec(b.l2Value);
  if (l2Value === null || l2Value <= 0n) return bad('l2Value', `l2Value must be a positive decimal, got ${b.l2Value}`);
  if (price !== null) {
    // l2Value is price x size, or that rounded to the collateral's 6 decimals in the
    // trader's favour-free direction (BUY up, SELL down) when the product has more.
    const exact = mulDec(price, size);
    const okValue = isBuy ? l2Value >= exact && l2Value < exact + UNIT : l2Value <= exact && l2Value > exact - UNIT;
    if (!okValue) return bad('l2Value', `l2Value ${b.l2Value} does not match price x size = ${fmtDec(exact)}`);
  }
  const l2Price = divDec(l2Value, size); // the worst price the signature allows

  const amountSynthetic = (size * c.resolution) / ONE;
  const collRaw = l2Value * collateral.resolution;
  if (version === 'v1' && collRaw % ONE !== 0n) return bad('l2Value', `l2Value ${b.l2Value} x collateral resolution is not an integer`);
  const amountCollateral = collRaw / ONE; // v2: truncated, as both v2 SDKs sign it
  const limitFee = reqDec(b.l2LimitFee);
  if (limitFee === null) return bad('l2LimitFee', `l2LimitFee must be a decimal, got ${b.l2LimitFee}`);
  if ((limitFee * collateral.resolution) % ONE !== 0n) return bad('l2LimitFee', `l2LimitFee ${b.l2LimitFee} x collateral resolution is not an integer`);
  const amountFee = (limitFee * collateral.resolution) / ONE;
  const rate = feeRate(account, market, 'taker');
  const minFee = mulDec(l2Value, rate, 'ceil');
  if (limitFee < minFee) {
    return fail('invalid_parameter', `l2LimitFee ${b.l2LimitFee} is below l2Value x taker fee rate ${fmtDec(rate)} = ${fmtDec(mulDec(l2Value, rate))}`, 'fee_cap', { field: 'l2LimitFee' });
  }

  if (BigInt(b.l2Nonce) !== nonceOf(b.clientOrderId)) return bad('l2Nonce', `l2Nonce ${b.l2Nonce} is not the first 4 bytes of SHA-256(clientOrderId)`);
  const expireTime = BigInt(b.expireTime);
  const l2ExpireTime = BigInt(b.l2ExpireTime);
  if (expireTime <= BigInt(ctx.nowMs)) return fail('invalid_parameter', `order expired: expireTime ${b.expireTime} is not after server time ${ctx.nowMs}`, 'order_expired', { field: 'expireTime' });
  if (l2ExpireTime < expireTime + 8n * DAY_MS) return bad('l2ExpireTime', 'l2ExpireTime must be at least expireTime + 8 days');

  const sig = version === 'v2'
    ? checkEip712(b, ctx, { amountSynthetic, amountCollateral, amountFee, isBuy, expireTime })
    : checkStark(b, ctx, { amountSynthetic, amountCollateral, amountFee, isBuy, l2ExpireTime });
  if (!sig.ok) return sig;

  // MARKET: an IOC limited by the signed worst price (that is what the signature allows).
  const limit = price ?? roundToStep(l2Price, market.tick, isBuy ? 'floor' : 'ceil');
  return {
    ok: true,
    signer: sig.signer,
    req: {
      account: account.id, symbol: market.symbol, side: isBuy ? 'buy' : 'sell', type: 'limit',
      price: limit > 0n ? limit : market.tick, amount: size, tif: TIME_IN_FORCE[b.timeInForce],
      reduceOnly: b.reduceOnly, clientId: b.clientOrderId, refPrice: price === null ? market.mark : undefined,
      meta: {
        type: b.type, timeInForce: b.timeInForce, price: price === null ? ZERO : price, expireTime: b.expireTime,
        l2Nonce: b.l2Nonce, l2Value: b.l2Value, l2Size: b.l2Size, l2LimitFee: b.l2LimitFee, l2ExpireTime: b.l2ExpireTime,
        l2Signature: b.l2Signature, takerFeeRate: rate, makerFeeRate: feeRate(account, market, 'maker'),
        fingerprint: [b.contractId, b.side, b.type, b.timeInForce, b.price, b.size, b.l2Value, b.l2LimitFee, b.expireTime, b.l2ExpireTime, b.reduceOnly].join('|'),
      },
    },
  };
}

function checkEip712(b, ctx, q) {
  const signers = ctx.account.dialect?.signers ?? [];
  const base = {
    nonce: BigInt(b.l2Nonce), accountId: BigInt(b.accountId), expirationTimestamp: q.expireTime / 1000n,
    amountSynthetic: q.amountSynthetic, amountCollateral: q.amountCollateral, amountFee: q.amountFee,
    assetIdSynthetic: BigInt(ctx.contract.contractId), assetIdCollateral: BigInt(ctx.collateral.coinId), isBuyingSynthetic: q.isBuy,
  };
  const tried = [];
  try {
    // The signer is part of the signed message, so each registered signer is tried in turn.
    for (const signer of signers) {
      const r = recoverSigner(b.l2Signature, digestOf(ctx.domain, limitOrderStructHash({ ...base, signer })));
      if (r.error) return fail('l2_signature', r.error, 'bad_l2_signature', { field: 'l2Signature' });
      if (r.address === signer.toLowerCase()) return { ok: true, signer };
      tried.push(`${signer} -> ${r.address}`);
    }
  } catch (e) {
    if (e instanceof EncodeError) return bad('l2Signature', e.message);
    throw e;
  }
  return fail('l2_signature', `l2Signature is not from a signer registered for account ${b.accountId}`, 'bad_l2_signature', { field: 'l2Signature', tried });
}

function checkStark(b, ctx, q) {
  const sig = parseStarkSignature(b.l2Signature);
  if (!sig) return fail('l2_signature', 'l2Signature must be r||s as 128 lower-case hex digits', 'bad_l2_signature', { field: 'l2Signature' });
  const coll = BigInt(ctx.collateral.assetId);
  const synth = BigInt(ctx.contract.syntheticAssetId);
  let msg;
  try {
    msg = orderMessage({
      assetIdSell: q.isBuy ? coll : synth, assetIdBuy: q.isBuy ? synth : coll, assetIdFee: coll,
      amountSell: q.isBuy ? q.amountCollateral : q.amountSynthetic, amountBuy: q.isBuy ? q.amountSynthetic : q.amountCollateral,
      amountFee: q.amountFee, nonce: BigInt(b.l2Nonce), positionId: BigInt(b.accountId), expirationHours: q.l2ExpireTime / 3_600_000n,
    });
  } catch (e) {
    if (e instanceof RangeError) return bad('l2Value', e.message);
    throw e;
  }
  const d = ctx.account.dialect;
  if (!verifyStark(sig, msg, publicKeys(d.l2_key, d.l2_key_y))) {
    return fail('l2_signature', `l2Signature does not verify under the l2Key of account ${b.accountId}`, 'bad_l2_signature', { field: 'l2Signature' });
  }
  return { ok: true, signer: d.l2_key };
}
