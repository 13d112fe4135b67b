// Test-side edgeX signing, deliberately independent of the simulator's verifier: v2 orders are
// typed data signed with ethers (its own EIP-712 encoder and secp256k1), v2 requests are HMACs
// from node:crypto (OpenSSL), v1 requests and orders are Stark signatures from @scure/starknet
// over a packing and a Keccak (ethers) written here. Decimal quantities use a tiny exact helper
// of this file, not the simulator's decimal library. t/edgex_verify.mjs first checks every
// function here against shared/vectors/edgex, so a passing simulator test means two
// implementations agree.
import { createHash, createHmac } from 'node:crypto';
import { Wallet, TypedDataEncoder, Signature, keccak256, toUtf8Bytes } from 'ethers';
import { pedersen, sign as starkSign } from '@scure/starknet';

const STARK_N = 0x0800000000000010ffffffffffffffffb781126dcae7b2321e66a241adc64d2fn;
const DAY = 86_400_000n;

// ---- exact decimals as { n: BigInt, s: scale } ----------------------------------------------------
const D = (text) => {
  const m = /^(-?)([0-9]+)(?:\.([0-9]+))?$/.exec(text);
  if (!m) throw new Error(`not a decimal: ${text}`);
  const f = m[3] ?? '';
  return { n: BigInt(m[1] + m[2] + f), s: f.length };
};
const mul = (a, b) => ({ n: a.n * b.n, s: a.s + b.s });
const cmpScale = (a, s) => (s >= a.s ? a.n * 10n ** BigInt(s - a.s) : null);
const toText = ({ n, s }) => {
  const neg = n < 0n;
  let t = (neg ? -n : n).toString().padStart(s + 1, '0');
  if (s > 0) t = `${t.slice(0, -s)}.${t.slice(-s)}`.replace(/\.?0+$/, '');
  return (neg ? '-' : '') + t;
};
const ceilInt = ({ n, s }) => { const q = 10n ** BigInt(s); return n % q === 0n ? n / q : n / q + 1n; };
const floorInt = ({ n, s }) => n / 10n ** BigInt(s);
const timesInt = (a, k) => ({ n: a.n * k, s: a.s });
const maxD = (a, b) => { const s = Math.max(a.s, b.s); return cmpScale(a, s) >= cmpScale(b, s) ? a : b; };

export const clientNonce = (cid) => BigInt('0x' + createHash('sha256').update(cid, 'utf8').digest('hex').slice(0, 8));

// ---- request rendering (§6.1 / V.5) ----------------------------------------------------------------
function render(v) {
  if (v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (Array.isArray(v)) return v.map(render).join('&');
  return Object.keys(v).sort().map((k) => `${k}=${render(v[k])}`).join('&');
}
export const renderQueryObject = (q) => Object.keys(q).sort().filter((k) => q[k] !== '').map((k) => `${k}=${q[k]}`).join('&');

// ---- v2 -----------------------------------------------------------------------------------------------
export function v2SignString({ method, path, query, body, timestamp }) {
  return `${timestamp}${method}${path}${body !== undefined ? render(body) : renderQueryObject(query ?? {})}`;
}

export function v2Headers({ key, method, path, query, body, timestamp = String(Date.now()) }) {
  const hmacKey = Buffer.from(key.api_secret, 'utf8').toString('base64');
  const signature = createHmac('sha256', hmacKey).update(v2SignString({ method, path, query, body, timestamp }), 'utf8').digest('hex');
  return { 'X-edgeX-Api-Key': key.api_key, 'X-edgeX-Passphrase': key.api_passphrase, 'X-edgeX-Timestamp': timestamp, 'X-edgeX-Signature': signature };
}

const ORDER_TYPES = {
  OrderBase: [{ name: 'nonce', type: 'uint256' }, { name: 'signer', type: 'address' }, { name: 'accountId', type: 'uint64' }, { name: 'expirationTimestamp', type: 'uint256' }],
  LimitOrderParams: [{ name: 'base', type: 'OrderBase' }, { name: 'amountSynthetic', type: 'int256' }, { name: 'amountCollateral', type: 'int256' },
    { name: 'amountFee', type: 'uint256' }, { name: 'assetIdSynthetic', type: 'uint64' }, { name: 'assetIdCollateral', type: 'uint64' },
    { name: 'isBuyingSynthetic', type: 'bool' }, { name: 'parentOrderHash', type: 'bytes32' }, { name: 'subOrderIndex', type: 'uint256' }],
};
const MARGIN_TYPES = {
  SetMarginPreferenceParams: [{ name: 'accountId', type: 'uint64' }, { name: 'assetId', type: 'uint64' }, { name: 'marginMode', type: 'uint8' },
    { name: 'nonce', type: 'uint256' }, { name: 'signer', type: 'address' }],
};
const domainOf = (d) => ({ name: 'EdgeX', version: '1', chainId: BigInt(d.chainId), verifyingContract: d.verifyingContract });

function signTyped(privateKey, domain, types, message) {
  const wallet = new Wallet('0x' + privateKey);
  const digest = TypedDataEncoder.hash(domainOf(domain), types, message);
  const sig = Signature.from(wallet.signingKey.sign(digest));
  return { digest, rsv: sig.r.slice(2) + sig.s.slice(2) + sig.v.toString(16), signer: wallet.address };
}

// The v2 createOrder body (the Go SDK's field set). o: { key (signer_private_key, account_id),
// contract { contractId, resolution, tickSize, defaultTakerFeeRate, defaultMakerFeeRate },
// coin { coinId, resolution }, domain { chainId, verifyingContract }, side, type, tif?, price,
// size, clientOrderId, nowMs, expireTime?, oraclePrice? (MARKET BUY), feeRate? (cap rate), reduceOnly }
export function v2OrderBody(o) {
  const isBuy = o.side === 'BUY';
  const size = D(o.size);
  let l2Price;
  if (o.type === 'MARKET') {
    const places = D(o.contract.tickSize).s;
    l2Price = isBuy ? roundHalfEven(timesInt(D(o.oraclePrice), 10n), places) : D(o.contract.tickSize);
  } else l2Price = D(o.price);
  const value = mul(l2Price, size);
  const rate = o.feeRate ? D(o.feeRate) : maxD(D(o.contract.defaultTakerFeeRate), D(o.contract.defaultMakerFeeRate));
  const fee = ceilInt(mul(value, rate));
  const expireTime = o.expireTime !== undefined ? BigInt(o.expireTime) : BigInt(o.nowMs) + 30n * DAY - 8n * DAY;
  const l2ExpireTime = expireTime + 8n * DAY;
  const nonce = clientNonce(o.clientOrderId);
  const signerAddress = new Wallet('0x' + o.key.signer_private_key).address;
  const message = {
    base: { nonce, signer: signerAddress, accountId: BigInt(o.accountId ?? o.key.account_id), expirationTimestamp: expireTime / 1000n },
    // Resolutions are decimal or 0x-hex integers in v2 metadata (V.3).
    amountSynthetic: floorInt(mul(size, { n: BigInt(o.contract.resolution), s: 0 })), amountCollateral: floorInt(mul(value, { n: BigInt(o.coin.resolution), s: 0 })),
    amountFee: fee * BigInt(o.coin.resolution), assetIdSynthetic: BigInt(o.contract.contractId), assetIdCollateral: BigInt(o.coin.coinId),
    isBuyingSynthetic: isBuy, parentOrderHash: '0x' + '00'.repeat(32), subOrderIndex: 0n,
  };
  const sig = signTyped(o.signWith ?? o.key.signer_private_key, o.domain, ORDER_TYPES, message);
  return {
    body: {
      accountId: o.accountId ?? o.key.account_id, contractId: o.contract.contractId, price: o.type === 'MARKET' ? '0' : o.price, size: o.size,
      type: o.type, side: o.side, timeInForce: o.tif ?? (o.type === 'MARKET' ? 'IMMEDIATE_OR_CANCEL' : 'GOOD_TIL_CANCEL'),
      clientOrderId: o.clientOrderId, expireTime: String(expireTime), l2Nonce: String(nonce), l2Signature: sig.rsv,
      l2ExpireTime: String(l2ExpireTime), l2Value: toText(value), l2Size: o.size, l2LimitFee: String(fee), reduceOnly: Boolean(o.reduceOnly),
    },
    digest: sig.digest,
  };
}

function roundDir(d, places, up) {
  if (d.s <= places) return d;
  const q = 10n ** BigInt(d.s - places);
  const r = d.n / q;
  return { n: up && d.n % q !== 0n ? r + 1n : r, s: places };
}

function roundHalfEven(d, places) {
  if (d.s <= places) return d;
  const q = 10n ** BigInt(d.s - places);
  let r = d.n / q;
  const rem = d.n % q;
  if (rem * 2n > q || (rem * 2n === q && r % 2n === 1n)) r += 1n;
  return { n: r, s: places };
}

export function v2MarginBody({ key, accountId, contractId, marginMode, clientId, nowMs, domain }) {
  const nonce = clientNonce(clientId);
  const hour = 3_600_000n;
  const l2ExpireTime = ((BigInt(nowMs) + hour - 1n) / hour) * hour + 14n * DAY;
  const wallet = new Wallet('0x' + key.signer_private_key);
  const message = { accountId: BigInt(accountId ?? key.account_id), assetId: BigInt(contractId), marginMode: BigInt(marginMode), nonce, signer: wallet.address };
  const sig = signTyped(key.signer_private_key, domain, MARGIN_TYPES, message);
  return {
    accountId: accountId ?? key.account_id, contractId, marginMode: String(marginMode), l2Nonce: String(nonce),
    l2ExpireTime: String(l2ExpireTime), signer: wallet.address, l2Signature: sig.rsv,
  };
}

// ---- v1 -----------------------------------------------------------------------------------------------
const hex64 = (n) => n.toString(16).padStart(64, '0');
function starkSignature(msg, privateKey) {
  const sig = starkSign('0x' + msg.toString(16), privateKey);
  return hex64(sig.r) + hex64(sig.s);
}

export function v1Headers({ key, method, path, query, body, timestamp = String(Date.now()) }) {
  const signString = v2SignString({ method, path, query, body, timestamp });
  const msg = BigInt(keccak256(toUtf8Bytes(signString))) % STARK_N;
  return { 'X-edgeX-Api-Timestamp': timestamp, 'X-edgeX-Api-Signature': starkSignature(msg, key.stark_private_key) };
}

// The v1 createOrder body (§7, Go-SDK expiry rule, whole-unit fee cap). o: { key (stark_private_key,
// account_id), contract { contractId, starkExSyntheticAssetId, starkExResolution, tickSize,
// defaultTakerFeeRate }, collateral { starkExAssetId, starkExResolution }, side, type, tif?,
// price, size, clientOrderId, nowMs, oraclePrice? (MARKET BUY), feeRate?, reduceOnly }
export function v1OrderBody(o) {
  const isBuy = o.side === 'BUY';
  const size = D(o.size);
  let l2Price;
  if (o.type === 'MARKET') {
    l2Price = isBuy ? roundHalfEven(timesInt(D(o.oraclePrice), 10n), D(o.contract.tickSize).s) : D(o.contract.tickSize);
  } else l2Price = D(o.price);
  const rc = BigInt(o.collateral.starkExResolution);
  const dc = rc.toString().length - 1; // collateral decimals (resolution 10^dc)
  // More decimals than the collateral has: round by side (BUY up, SELL down), spec §7.1 item 3.
  let value = mul(l2Price, size);
  if (value.s > dc) value = roundDir(value, dc, isBuy);
  const feeExact = mul(value, D(o.feeRate ?? o.contract.defaultTakerFeeRate));
  // Fee cap: whole units (SDK rule) or, with feeRounding "ceil6", up to the collateral decimals.
  const fee = o.feeRounding === 'ceil6' ? roundDir(feeExact, dc, true) : { n: ceilInt(feeExact), s: 0 };
  const l2ExpireTime = o.l2ExpireTime !== undefined ? BigInt(o.l2ExpireTime) : BigInt(o.nowMs) + 14n * DAY;
  const expireTime = o.expireTime !== undefined ? BigInt(o.expireTime) : l2ExpireTime - 10n * DAY;
  const amountSynthetic = floorInt(mul(size, { n: BigInt(o.contract.starkExResolution), s: 0 }));
  const amountCollateral = floorInt(mul(value, { n: rc, s: 0 }));
  const coll = BigInt(o.collateral.starkExAssetId);
  const synth = BigInt(o.contract.starkExSyntheticAssetId);
  const nonce = clientNonce(o.clientOrderId);
  const positionId = BigInt(o.accountId ?? o.key.account_id);
  let w = isBuy ? amountCollateral : amountSynthetic;
  w = (w << 64n) + (isBuy ? amountSynthetic : amountCollateral);
  w = (w << 64n) + floorInt(mul(fee, { n: rc, s: 0 }));
  w = (w << 32n) + nonce;
  let p = 3n;
  for (let i = 0; i < 3; i++) p = (p << 64n) + positionId;
  p = ((p << 32n) + l2ExpireTime / 3_600_000n) << 17n;
  const h = (a, b) => BigInt(pedersen(a, b));
  const msgHash = h(h(h(h(isBuy ? coll : synth, isBuy ? synth : coll), coll), w), p);
  return {
    body: {
      accountId: o.accountId ?? o.key.account_id, contractId: o.contract.contractId, price: o.type === 'MARKET' ? '0' : o.price, size: o.size,
      type: o.type, side: o.side, timeInForce: o.tif ?? (o.type === 'MARKET' ? 'IMMEDIATE_OR_CANCEL' : 'GOOD_TIL_CANCEL'),
      clientOrderId: o.clientOrderId, expireTime: String(expireTime), l2Nonce: String(nonce),
      l2Signature: starkSignature(msgHash, o.signWith ?? o.key.stark_private_key), l2ExpireTime: String(l2ExpireTime),
      l2Value: toText(value), l2Size: o.size, l2LimitFee: toText(fee), reduceOnly: Boolean(o.reduceOnly),
    },
    msgHash,
  };
}

// Flips one hex digit of a signature (a corrupted but well-formed signature).
export function corruptHex(text, at = 10) {
  const c = text[at];
  return text.slice(0, at) + (c === '0' ? '1' : '0') + text.slice(at + 1);
}
