// edgeX v1 (StarkEx) cryptography for verification only (specs/edgex.md §6.2, §7.3-7.4, §8):
// request hashes (Keccak-256 mod the curve order), the LIMIT_ORDER_WITH_FEES message hash (Pedersen
// chain over the packed order), and Stark ECDSA verification against an account's public key.
// Pedersen and ECDSA come from @scure/starknet; the packing and the hash chain are written here
// from the spec (the client's C code is never consulted).
import { pedersen, verify, Point, Signature } from '@scure/starknet';
import { keccak_256 } from '@noble/hashes/sha3.js';

export const CURVE_ORDER = 0x0800000000000010ffffffffffffffffb781126dcae7b2321e66a241adc64d2fn;
const MAX_MSG = 1n << 251n;
const U64 = 1n << 64n;
const U32 = 1n << 32n;
const LIMIT_ORDER_WITH_FEES = 3n;

const bytesToBig = (b) => BigInt('0x' + (Buffer.from(b).toString('hex') || '0'));
const hex64 = (n) => n.toString(16).padStart(64, '0');

// The message signed for a v1 private request: Keccak-256 of the sign string, reduced mod N.
export function requestMessage(signString) {
  return bytesToBig(keccak_256(new TextEncoder().encode(signString))) % CURVE_ORDER;
}

// order: { assetIdSell, assetIdBuy, assetIdFee (BigInt), amountSell, amountBuy, amountFee,
// nonce, positionId, expirationHours (BigInt) } -> msg_hash (BigInt). Throws RangeError when a
// field does not fit its width (the caller turns that into a parameter error).
export function orderMessage(o) {
  const fits = (v, lim, name) => { if (v < 0n || v >= lim) throw new RangeError(`${name} does not fit its field`); };
  fits(o.amountSell, U64, 'amount_sell');
  fits(o.amountBuy, U64, 'amount_buy');
  fits(o.amountFee, U64, 'amount_fee');
  fits(o.nonce, U32, 'nonce');
  fits(o.positionId, U64, 'position_id');
  fits(o.expirationHours, U32, 'expiration_hours');
  let packed0 = o.amountSell;
  packed0 = (packed0 << 64n) + o.amountBuy;
  packed0 = (packed0 << 64n) + o.amountFee;
  packed0 = (packed0 << 32n) + o.nonce;
  let packed1 = LIMIT_ORDER_WITH_FEES;
  for (let i = 0; i < 3; i++) packed1 = (packed1 << 64n) + o.positionId;
  packed1 = ((packed1 << 32n) + o.expirationHours) << 17n;
  const h = (a, b) => BigInt(pedersen(a, b));
  return h(h(h(h(o.assetIdSell, o.assetIdBuy), o.assetIdFee), packed0), packed1);
}

// Parses "r||s" (128 hex) or the web client's "r||s||y" (192 hex). Returns { r, s, y|null } or null.
export function parseStarkSignature(text) {
  if (typeof text !== 'string' || !/^([0-9a-f]{128}|[0-9a-f]{192})$/.test(text)) return null;
  return {
    r: BigInt('0x' + text.slice(0, 64)),
    s: BigInt('0x' + text.slice(64, 128)),
    y: text.length === 192 ? BigInt('0x' + text.slice(128)) : null,
  };
}

// Public key candidates of an account: its x (l2Key) and y when known, else both square roots.
export function publicKeys(xHex, yHex) {
  const x = BigInt(xHex);
  if (yHex) return [Point.fromAffine({ x, y: BigInt(yHex) })];
  return ['02', '03'].map((p) => Point.fromHex(p + hex64(x)));
}

// True when (r, s) is a valid Stark ECDSA signature of msg under one of the keys. Every range
// rule of §8.4 is enforced (msg < 2^251, 1 <= r < 2^251, s != 0, w = s^-1 < 2^251).
export function verifyStark(sig, msg, keys) {
  if (msg >= MAX_MSG) return false;
  let signature;
  try { signature = new Signature(sig.r, sig.s); } catch { return false; }
  for (const key of keys) {
    if (sig.y !== null && sig.y !== undefined && key.toAffine().y !== sig.y) continue;
    try {
      if (verify(signature, '0x' + msg.toString(16), key.toBytes(false))) return true;
    } catch { /* out-of-range r, s or w: not a valid signature */ }
  }
  return false;
}

// Checks that a scenario public key is on the curve (and y matches x when given).
export function checkPublicKey(xHex, yHex) {
  try { return publicKeys(xHex, yHex).length > 0; } catch { return false; }
}
