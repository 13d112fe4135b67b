// Two independent edgeX implementations against ground truth (shared/vectors/edgex):
//  1. the test-side signer (lib/edgex_signer.mjs: ethers, node:crypto, @scure/starknet) reproduces
//     the vectors' bodies, HMACs and signatures, and the made-up keys in test_keys.json follow
//     from their labels;
//  2. the simulator's own verifier (venues/edgex: render, auth, eip712, stark, order_check)
//     rebuilds the same sign strings, hashes and digests, accepts every vector signature
//     (including the two real orders published by the exchange) and refuses altered ones.
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Wallet } from 'ethers';
import { getPublicKey } from '@scure/starknet';
import { ok, is, isDeep, run } from '../lib/tap.mjs';
import { TEST_KEYS } from '../lib/harness.mjs';
import { v2OrderBody, v2Headers, v2MarginBody, v1OrderBody, v1Headers, corruptHex } from '../lib/edgex_signer.mjs';
import { parseExact } from '../lib/json_exact.mjs';
import { parseDec } from '../lib/decimal.mjs';
import { renderValue, renderQuery } from '../venues/edgex/render.mjs';
import { hmacHex } from '../venues/edgex/auth.mjs';
import { TYPES, typeHash, domainSeparator } from '../venues/edgex/eip712.mjs';
import { requestMessage, parseStarkSignature, publicKeys, verifyStark } from '../venues/edgex/stark.mjs';
import { checkCreateOrder } from '../venues/edgex/order_check.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const SHARED = process.env.SHARED ?? path.resolve(here, '../../../../shared');
const vec = (f) => JSON.parse(fs.readFileSync(path.join(SHARED, 'vectors/edgex', f), 'utf8')).cases;
const hex = (b) => '0x' + Buffer.from(b).toString('hex');

// Minimal engine-side objects for order_check from a vector's metadata.
function orderCtx(version, inputs, { signers = [], l2Key, l2KeyY, nowMs, takerFee }) {
  const c = inputs.contract;
  const tick = parseDec(c.tickSize ?? '0.0000001');
  const step = parseDec(c.stepSize ?? inputs.size);
  const mark = parseDec(inputs.price && inputs.price !== '0' ? inputs.price : '1');
  const market = { symbol: 'X', tick, step, mark, makerFee: null, takerFee: null };
  const rate = parseDec(takerFee);
  const account = { id: inputs.account_id, feesExplicit: true, takerFee: rate, makerFee: rate, dialect: { signers, l2_key: l2Key, l2_key_y: l2KeyY } };
  const contract = {
    contractId: c.contractId, resolution: BigInt(version === 'v2' ? c.resolution : c.starkExResolution), minOrderSize: step,
    maxOrderSize: parseDec('100000000'), buyPriceRatio: parseDec('100'), sellPriceRatio: parseDec('1'), enableTrade: true, enableOpenPosition: true,
    syntheticAssetId: c.starkExSyntheticAssetId,
  };
  const collateral = version === 'v2'
    ? { coinId: inputs.quote_coin.coinId, resolution: BigInt(inputs.quote_coin.resolution) }
    : { coinId: '1000', resolution: BigInt(inputs.collateral.starkExResolution), assetId: inputs.collateral.starkExAssetId };
  const d = inputs.domain;
  return { version, market, contract, collateral, account, nowMs, domain: d && { chainId: BigInt(d.chainId), verifyingContract: d.verifyingContract } };
}

await run(async () => {
  // ---- the made-up keys follow from their labels ----
  const K = TEST_KEYS.edgex;
  const sha = (t) => createHash('sha256').update(t).digest();
  const SECP_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
  const STARK_N = 0x0800000000000010ffffffffffffffffb781126dcae7b2321e66a241adc64d2fn;
  for (const k of [K.v2.account, K.v2.other]) {
    const pk = (BigInt(hex(sha(`${k.label}/signer`))) % SECP_N).toString(16).padStart(64, '0');
    ok(pk === k.signer_private_key && new Wallet('0x' + pk).address === k.signer_address
      && k.api_secret === sha(`${k.label}/api-secret`).toString('base64').replace(/=+$/, ''), `test key ${k.label}: signer and secret derive from the label`);
  }
  for (const k of [K.v1.account, K.v1.other]) {
    const pk = (BigInt(hex(sha(k.label))) % STARK_N).toString(16).padStart(64, '0');
    const pub = Buffer.from(getPublicKey(pk, false));
    ok(pk === k.stark_private_key && hex(pub.subarray(1, 33)).replace(/^0x0+/, '0x') === k.l2_key && hex(pub.subarray(33)).replace(/^0x0+/, '0x') === k.l2_key_y,
      `test key ${k.label}: Stark key and l2Key/l2KeyYCoordinate derive from the label`);
  }

  // ---- v2: EIP-712 types and domains (simulator encoder) ----
  for (const c of vec('v2_eip712_types.json')) {
    if (!TYPES[c.primary_type]) continue;
    ok(TYPES[c.primary_type] === c.encode_type && hex(typeHash(c.primary_type)) === c.type_hash, `sim eip712 ${c.id}: encodeType and typeHash of ${c.primary_type}`);
  }
  for (const c of vec('v2_domain_separator.json')) {
    is(hex(domainSeparator({ chainId: BigInt(c.domain.chainId), verifyingContract: c.domain.verifyingContract })), c.domain_separator, `sim eip712 ${c.id}: domain separator`);
  }

  // ---- v2 orders: test signer reproduces, simulator accepts, alterations refused ----
  for (const c of vec('v2_order_hash.json')) {
    const i = c.inputs;
    const key = { signer_private_key: i.private_key, account_id: i.account_id };
    const mine = v2OrderBody({
      key, contract: i.contract, coin: i.quote_coin, domain: i.domain, side: i.side, type: i.type, tif: i.time_in_force, price: i.price,
      size: i.size, clientOrderId: i.client_order_id, nowMs: i.now_ms, expireTime: i.expire_time_ms_override, oraclePrice: i.oracle_price, reduceOnly: i.reduce_only,
    });
    is(JSON.stringify(mine.body), JSON.stringify(c.create_order_body), `test signer ${c.id}: createOrder body (incl. l2Signature) equals the vector`);
    const ctx = orderCtx('v2', i, { signers: [c.derived.signer_address], nowMs: Number(i.now_ms), takerFee: c.derived.fee_rate_used });
    if (i.type === 'MARKET') ctx.market.mark = parseDec(i.oracle_price);
    const body = parseExact(JSON.stringify(c.create_order_body));
    const r = checkCreateOrder(body, ctx);
    ok(r.ok, `sim ${c.id}: accepts the vector order${r.ok ? '' : ` (${r.msg})`}`);
    const bad = checkCreateOrder({ ...body, l2Signature: corruptHex(body.l2Signature, 70) }, ctx);
    ok(!bad.ok && bad.kind === 'l2_signature', `sim ${c.id}: a corrupted l2Signature is refused (${bad.msg})`);
    const other = checkCreateOrder(body, { ...ctx, account: { ...ctx.account, dialect: { signers: [K.v2_stranger_signer.signer_address] } } });
    ok(!other.ok && other.kind === 'l2_signature', `sim ${c.id}: refused when the signer is not registered for the account`);
    const low = checkCreateOrder(body, { ...ctx, account: { ...ctx.account, takerFee: parseDec('100000') } });
    ok(!low.ok && low.reason === 'fee_cap', `sim ${c.id}: refused when l2LimitFee is below l2Value x the taker rate in force`);
    const late = checkCreateOrder(body, { ...ctx, nowMs: Number(body.expireTime) + 1 });
    ok(!late.ok && late.reason === 'order_expired', `sim ${c.id}: refused once expireTime has passed`);
  }
  for (const c of vec('v2_set_margin_mode.json')) {
    const i = c.inputs;
    const body = v2MarginBody({ key: { signer_private_key: i.private_key, account_id: i.account_id }, contractId: i.contract_id, marginMode: i.margin_mode, clientId: i.client_order_id, nowMs: Number(i.now_ms), domain: i.domain });
    is(JSON.stringify(body), JSON.stringify(c.set_margin_mode_body), `test signer ${c.id}: setMarginMode body equals the vector`);
  }

  // ---- v2 request auth ----
  for (const c of vec('v2_request_auth.json')) {
    const i = c.inputs;
    const sim = i.body !== undefined ? renderValue(parseExact(JSON.stringify(i.body))) : renderQuery(new URLSearchParams(i.query_params_in_caller_order).toString(), { strict: false }).rendered;
    is(sim, c.rendered_params, `sim render ${c.id}: rendered parameters`);
    is(hmacHex(i.api_secret, c.sign_string), c.signature, `sim hmac ${c.id}: signature`);
    const h = v2Headers({ key: { api_key: i.api_key, api_passphrase: i.api_passphrase, api_secret: i.api_secret }, method: i.method, path: i.path, query: i.query_params_in_caller_order, body: i.body, timestamp: i.timestamp_ms });
    isDeep(h, c.headers, `test signer ${c.id}: the four headers`);
  }

  // ---- v1 orders ----
  for (const c of vec('order_hash.json')) {
    const i = c.inputs;
    const expiry = i.expiration_rule === 'py_sdk_0.4'
      ? { expireTime: String(BigInt(i.now_ms) + 86_400_000n), l2ExpireTime: String(BigInt(i.now_ms) + 10n * 86_400_000n) } : {};
    if (!c.verify_only) {
      const mine = v1OrderBody({
        key: { stark_private_key: i.private_key, account_id: i.account_id }, contract: { ...i.contract, defaultTakerFeeRate: i.fee_rate }, collateral: i.collateral,
        side: i.side, type: i.type, tif: i.time_in_force, price: i.price, size: i.size, clientOrderId: i.client_order_id, nowMs: i.now_ms,
        oraclePrice: i.oracle_price, reduceOnly: i.reduce_only, feeRounding: i.fee_rounding === 'ceil_collateral_decimals' ? 'ceil6' : undefined, ...expiry,
      });
      is(JSON.stringify(mine.body), JSON.stringify(c.request_body), `test signer ${c.id}: v1 createOrder body (incl. Stark l2Signature) equals the vector`);
    }
    const body = c.request_body ?? {
      accountId: i.account_id, contractId: i.contract.contractId, price: i.price, size: i.size, type: i.type, side: i.side, timeInForce: 'GOOD_TIL_CANCEL',
      clientOrderId: i.client_order_id, expireTime: i.expire_time, l2Nonce: i.l2_nonce, l2Signature: c.signature.signature_hex, l2ExpireTime: i.l2_expire_time,
      l2Value: i.l2_value, l2Size: i.l2_size, l2LimitFee: i.l2_limit_fee, reduceOnly: false,
    };
    const ctx = orderCtx('v1', { ...i, contract: { ...i.contract, tickSize: i.contract.tickSize ?? '0.1', stepSize: i.contract.stepSize ?? '0.001' } },
      { l2Key: c.public_key_x, l2KeyY: c.public_key_y, nowMs: Number(body.expireTime) - 1, takerFee: i.fee_rate ?? '0.0005' });
    if (i.type === 'MARKET') ctx.market.mark = parseDec(i.oracle_price ? i.oracle_price.slice(0, 20) : '100');
    const r = checkCreateOrder(parseExact(JSON.stringify(body)), ctx);
    ok(r.ok, `sim ${c.id}: accepts the ${c.verify_only ? 'exchange-signed ' : ''}v1 order${r.ok ? '' : ` (${r.msg})`}`);
    const bad = checkCreateOrder(parseExact(JSON.stringify({ ...body, l2Signature: corruptHex(body.l2Signature, 100) })), ctx);
    ok(!bad.ok && bad.kind === 'l2_signature', `sim ${c.id}: a corrupted Stark l2Signature is refused`);
  }

  // ---- v1 request auth ----
  for (const c of vec('request_auth.json')) {
    const i = c.inputs;
    const query = Object.assign({}, ...(i.query_params_in_caller_order ?? []));
    const sim = i.body !== undefined ? renderValue(parseExact(JSON.stringify(i.body))) : renderQuery(new URLSearchParams(query).toString(), { strict: false }).rendered;
    is(`${i.timestamp_ms}${i.method}${i.path}${sim}`, c.sign_string, `sim render ${c.id}: v1 sign string`);
    const msg = requestMessage(c.sign_string);
    is('0x' + msg.toString(16), c.msg_hash_mod_n, `sim ${c.id}: Keccak-256 mod N`);
    const sig = parseStarkSignature(c.signature.signature_hex);
    ok(verifyStark(sig, msg, publicKeys(c.public_key_x)) && !verifyStark(parseStarkSignature(corruptHex(c.signature.signature_hex, 90)), msg, publicKeys(c.public_key_x)),
      `sim ${c.id}: the signature verifies, a corrupted one does not`);
    const h = v1Headers({ key: { stark_private_key: i.private_key }, method: i.method, path: i.path, query, body: i.body, timestamp: i.timestamp_ms });
    isDeep(h, c.headers, `test signer ${c.id}: v1 headers`);
  }
});
