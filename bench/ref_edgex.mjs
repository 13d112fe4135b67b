// Reference run for bench/bench_edgex.c: the same edgeX signing steps in Node with the libraries
// JavaScript clients use: @scure/starknet (Pedersen, Stark ECDSA with RFC 6979) for v1, and
// @noble/curves secp256k1 + @noble/hashes keccak_256 (EIP-712 words encoded by hand, as a
// noble-based client does) and node:crypto HMAC for v2. Each step does what the C step does
// (quantities, hashes, signature, body); the first result of each is checked against the
// shared vectors so both sides provably compute the same bytes. Same line format as the C bench.
// Run: node bench/ref_edgex.mjs
import { createRequire } from 'node:module';
import { createHash, createHmac } from 'node:crypto';

const require = createRequire(new URL('../tests/sim/package.json', import.meta.url));
const starknet = require('@scure/starknet');
const { secp256k1 } = require('@noble/curves/secp256k1.js');
const { keccak_256 } = require('@noble/hashes/sha3.js');

const MIN_SECONDS = 0.5;
const STARK_KEY = '04a787a45c81df4d32a612cbed36d7d809bce582380b77819fdf3f4b830e8159';
const SIGNER_KEY = '1b1abd2526be3aaaea2ed0f74d9a99b68bb4876788e003b8284d5550cd7a6711';
const API_SECRET = 'Xq3cV8tPz2LmN9wRbK4yH7sD1fG6jA0e';
const NOW_MS = 1763700000000;
const N = 0x0800000000000010ffffffffffffffffb781126dcae7b2321e66a241adc64d2fn;
const encoder = new TextEncoder();

const hex64 = (v) => v.toString(16).padStart(64, '0');
const bytesToHex = (b) => Buffer.from(b).toString('hex');

// "97444.5" -> [974445n, 1]
function decimal(text) {
  const [i, f = ''] = text.split('.');
  return [BigInt(i + f), f.length];
}
// value * 10^scale as an exact integer, throwing if it is not one
function scaled(text, resolution) {
  const [v, s] = decimal(text);
  const num = v * resolution, den = 10n ** BigInt(s);
  if (num % den !== 0n) throw new Error(`${text} is not a whole number of units`);
  return num / den;
}
function multiply(a, b) {
  const [x, s1] = decimal(a), [y, s2] = decimal(b);
  let digits = (x * y).toString().padStart(s1 + s2 + 1, '0');
  let text = s1 + s2 ? digits.slice(0, digits.length - s1 - s2) + '.' + digits.slice(digits.length - s1 - s2) : digits;
  if (text.includes('.')) text = text.replace(/0+$/, '').replace(/\.$/, '');
  return text;
}
function ceilInteger(text) {
  const [v, s] = decimal(text);
  const den = 10n ** BigInt(s);
  return ((v + den - 1n) / den).toString();
}
function nonceOf(clientId) {
  return createHash('sha256').update(clientId).digest().readUInt32BE(0);
}

// ---- v1 ------------------------------------------------------------------------------------------
const BTC = { contractId: '10000001', synthetic: 0x425443322d31300000000000000000n, rs: 10000000000n,
              collateral: 0x33bda5c923bae4e84825b74762d5482889b9512465fbffc50d1ae4b82e345c3n, rc: 1000000n };

function v1Order(i, clientId = `bench-${i}`, now = NOW_MS + i, side = i % 2 ? 'SELL' : 'BUY') {
  const price = '97444.5', size = '0.001';
  const value = multiply(price, size);
  const fee = ceilInteger(multiply(value, '0.00055'));
  const amountSynthetic = scaled(size, BTC.rs), amountCollateral = scaled(value, BTC.rc), amountFee = scaled(fee, BTC.rc);
  const nonce = nonceOf(clientId);
  const l2Expire = now + 14 * 86400000, expire = l2Expire - 10 * 86400000;
  const hours = BigInt(Math.floor(l2Expire / 3600000));
  const buy = side === 'BUY';
  const [sellAsset, buyAsset] = buy ? [BTC.collateral, BTC.synthetic] : [BTC.synthetic, BTC.collateral];
  const [amountSell, amountBuy] = buy ? [amountCollateral, amountSynthetic] : [amountSynthetic, amountCollateral];
  const position = 700000000000000001n;
  const packed0 = (((amountSell << 64n) + amountBuy) << 64n) + amountFee << 32n | BigInt(nonce);
  const packed1 = ((((((3n << 64n) + position) << 64n) + position) << 64n) + position << 32n | hours) << 17n;
  const h1 = starknet.pedersen(sellAsset, buyAsset);
  const h2 = starknet.pedersen(h1, BTC.collateral);
  const h3 = starknet.pedersen(h2, packed0);
  const msgHash = starknet.pedersen(h3, packed1);
  const sig = starknet.sign(msgHash, STARK_KEY);
  const signature = hex64(sig.r) + hex64(sig.s);
  return JSON.stringify({ accountId: '700000000000000001', contractId: BTC.contractId, price, size, type: 'LIMIT',
    side, timeInForce: 'GOOD_TIL_CANCEL', clientOrderId: clientId, expireTime: String(expire),
    l2Nonce: String(nonce), l2Signature: signature, l2ExpireTime: String(l2Expire), l2Value: value, l2Size: size,
    l2LimitFee: fee, reduceOnly: false });
}

// sign string of a createOrder body: sorted key=value
function rendered(bodyText) {
  const body = JSON.parse(bodyText);
  return Object.keys(body).sort().map((k) => `${k}=${body[k]}`).join('&');
}

let v1Body = v1Order(0);
function v1Request(i) {
  const signString = `${NOW_MS + i}POST/api/v1/private/order/createOrder${rendered(v1Body)}`;
  const m = BigInt('0x' + bytesToHex(keccak_256(encoder.encode(signString)))) % N;
  const sig = starknet.sign(m.toString(16), STARK_KEY);
  return hex64(sig.r) + hex64(sig.s);
}

// ---- v2 ------------------------------------------------------------------------------------------
const word = (v) => { const b = new Uint8Array(32); let x = BigInt(v); for (let i = 31; i >= 0; i--) { b[i] = Number(x & 255n); x >>= 8n; } return b; };
const concat = (...parts) => { const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0)); let o = 0; for (const p of parts) { out.set(p, o); o += p.length; } return out; };
const TYPE_BASE = keccak_256(encoder.encode('OrderBase(uint256 nonce,address signer,uint64 accountId,uint256 expirationTimestamp)'));
const TYPE_ORDER = keccak_256(encoder.encode('LimitOrderParams(OrderBase base,int256 amountSynthetic,int256 amountCollateral,uint256 amountFee,uint64 assetIdSynthetic,uint64 assetIdCollateral,bool isBuyingSynthetic,bytes32 parentOrderHash,uint256 subOrderIndex)OrderBase(uint256 nonce,address signer,uint64 accountId,uint256 expirationTimestamp)'));
const TYPE_DOMAIN = keccak_256(encoder.encode('EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)'));

function domainSeparator(chainId, contract) {
  return keccak_256(concat(TYPE_DOMAIN, keccak_256(encoder.encode('EdgeX')), keccak_256(encoder.encode('1')),
    word(chainId), word(BigInt(contract))));
}
const signerKey = Buffer.from(SIGNER_KEY, 'hex');
const signerAddress = '0x' + bytesToHex(keccak_256(secp256k1.getPublicKey(signerKey, false).subarray(1)).subarray(12));

function v2Order(i, domain, opts = {}) {
  const clientId = opts.clientId ?? `bench-${i}`, now = opts.now ?? NOW_MS + i, side = opts.side ?? (i % 2 ? 'SELL' : 'BUY');
  const price = '97444.5', size = '0.001';
  const value = multiply(price, size);
  const fee = ceilInteger(multiply(value, '0.00038'));
  const nonce = nonceOf(clientId);
  const l2Expire = now + 30 * 86400000, expire = l2Expire - 8 * 86400000;
  const base = keccak_256(concat(TYPE_BASE, word(nonce), word(BigInt(signerAddress)), word(opts.account ?? 700000000000000001n),
    word(Math.floor(expire / 1000))));
  const struct = keccak_256(concat(TYPE_ORDER, base, word(scaled(size, 10000000000n)), word(scaled(value, 1000000n)),
    word(scaled(fee, 1000000n)), word(30000001), word(1000), word(side === 'BUY' ? 1 : 0), new Uint8Array(32), word(0)));
  const digest = keccak_256(concat(Uint8Array.of(0x19, 0x01), domain, struct));
  const rec = secp256k1.sign(digest, signerKey, { prehash: false, format: 'recovered' });   // recid || r || s
  const signature = bytesToHex(rec.subarray(1)) + (27 + rec[0]).toString(16);
  return JSON.stringify({ accountId: String(opts.account ?? '700000000000000001'), contractId: '30000001', price, size,
    type: 'LIMIT', side, timeInForce: 'GOOD_TIL_CANCEL', clientOrderId: clientId, expireTime: String(expire),
    l2Nonce: String(nonce), l2Signature: signature, l2ExpireTime: String(l2Expire), l2Value: value, l2Size: size,
    l2LimitFee: fee, reduceOnly: false });
}

const hmacKey = Buffer.from(API_SECRET).toString('base64');
let v2Body;
function v2Request(i) {
  const signString = `${NOW_MS + i}POST/api/v2/private/order/createOrder${rendered(v2Body)}`;
  return createHmac('sha256', hmacKey).update(signString).digest('hex');
}

// ---- the reference computes the vectors' bytes --------------------------------------------------------
function check(what, found, expected) {
  if (found !== expected) { console.error(`ref_edgex: ${what} differs from the shared vector`); process.exit(1); }
}
check('order-01 body', v1Order(0, 'edgex-vec-0001', 1763700000000, 'BUY'),
  '{"accountId":"700000000000000001","contractId":"10000001","price":"97444.5","size":"0.001","type":"LIMIT","side":"BUY","timeInForce":"GOOD_TIL_CANCEL","clientOrderId":"edgex-vec-0001","expireTime":"1764045600000","l2Nonce":"2759940139","l2Signature":"0517f61acb0947090a0162d743dbde10c45199c400ad0817085411e2ca42ca3e06ae8a3ebaefa250ee2bb0d88077669204eb65fbc3cee28ef241284dcdf13619","l2ExpireTime":"1764909600000","l2Value":"97.4445","l2Size":"0.001","l2LimitFee":"1","reduceOnly":false}');
const testDomain = domainSeparator(33431, '0x1ae109ea449cfe0bed08bfe8911e968a49a919b1');
check('v2-order-01 body', v2Order(0, testDomain, { clientId: 'edgex-v2-vec-0001', now: 1795000000000, side: 'BUY' }),
  '{"accountId":"700000000000000001","contractId":"30000001","price":"97444.5","size":"0.001","type":"LIMIT","side":"BUY","timeInForce":"GOOD_TIL_CANCEL","clientOrderId":"edgex-v2-vec-0001","expireTime":"1796900800000","l2Nonce":"2476043343","l2Signature":"07d4072fb2517992e89d7ff9cb7d4b41ebd46169ae75c420986491bfc12db90265e0b3c4b5424c0176149eff94e982b04b193f5e7e2e960583b8c99a4543cef61c","l2ExpireTime":"1797592000000","l2Value":"97.4445","l2Size":"0.001","l2LimitFee":"1","reduceOnly":false}');
check('keccak mod N', (BigInt('0x' + bytesToHex(keccak_256(encoder.encode('1763700001137GET/api/v1/private/account/getAccountAssetaccountId=700000000000000001')))) % N).toString(16),
  '496349513a32aa8e9708dfa7a6f682421fc77f8cd4ae8a07082a62e9f5b19f5');

// ---- timing -------------------------------------------------------------------------------------------
function run(name, step) {
  for (let i = 0; i < 20; i++) step(i);
  let n = 0, batch = 10;
  const t0 = process.hrtime.bigint();
  let t;
  do {
    for (let i = 0; i < batch; i++) step(n + i);
    n += batch;
    t = process.hrtime.bigint();
  } while (Number(t - t0) / 1e9 < MIN_SECONDS);
  const seconds = Number(t - t0) / 1e9, perSecond = n / seconds;
  console.log(`${name}: ${perSecond.toFixed(0)} ops/s (${(1e6 / perSecond).toFixed(2)} us/op)`);
}

const mainnetDomain = domainSeparator(3343, '0xeeb3fb05cca17745cbdf193a9b16537efb68fac8');
const pedA = 0x72985a3e4ba141129b5010daa49ec89a404e976bb54d3037185af0e5b58ddd5n;
const pedB = 0xeab997fc32d5532f452926c19156f265de559d504c6b33194233b3d1f78318n;
run('edgex_v1_order_sign', (i) => { v1Body = v1Order(i); });
run('edgex_pedersen_hash', (i) => starknet.pedersen(pedA + BigInt(i), pedB));
run('edgex_stark_sign', (i) => starknet.sign((0x5075e7ddb6dbbcb71a699d0ace10ebf22f0a43aecbfd13d3e1cb56d8b065146n + BigInt(i)).toString(16), STARK_KEY));
run('edgex_v1_request_sign', v1Request);
run('edgex_v2_order_sign', (i) => { v2Body = v2Order(i, mainnetDomain); });
run('edgex_v2_request_sign', v2Request);
