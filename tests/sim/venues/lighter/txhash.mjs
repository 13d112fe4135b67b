// What a Lighter server recomputes from a submitted tx (specs/lighter.md §6): the tx_info JSON is
// checked against the fixed key set of its tx type, every integer is range-checked, and the
// signed message is rebuilt from the server's OWN chain id (a tx signed for the other network then
// fails signature verification, as on the venue). Also the auth-token message hash of §5.
import { JsonNumber } from '../../lib/json_exact.mjs';
import { P } from './field.mjs';
import { hashToQuintic } from './poseidon2.mjs';

export const TX_TYPES = { CHANGE_PUB_KEY: 8, CREATE_ORDER: 14, CANCEL_ORDER: 15, CANCEL_ALL_ORDERS: 16, MODIFY_ORDER: 17, UPDATE_LEVERAGE: 20 };

const U8 = [0n, 255n];
const U16 = [0n, 65535n];
const U32 = [0n, (1n << 32n) - 1n];
const I64 = [-(1n << 63n), (1n << 63n) - 1n];
const I16 = [-(1n << 15n), (1n << 15n) - 1n];

// Field lists in hash order after the common header (chain id, type, Nonce, ExpiredAt,
// AccountIndex, ApiKeyIndex). `wire` bounds are what the field's Go type can hold: a value
// outside them cannot even be decoded by the venue (rejected as an invalid parameter).
export const LAYOUTS = {
  14: { name: 'CreateOrder', fields: [['MarketIndex', I16], ['ClientOrderIndex', I64], ['BaseAmount', I64], ['Price', U32], ['IsAsk', U8], ['Type', U8], ['TimeInForce', U8], ['ReduceOnly', U8], ['TriggerPrice', U32], ['OrderExpiry', I64]] },
  15: { name: 'CancelOrder', fields: [['MarketIndex', I16], ['Index', I64]] },
  16: { name: 'CancelAllOrders', fields: [['TimeInForce', U8], ['Time', I64]] },
  17: { name: 'ModifyOrder', fields: [['MarketIndex', I16], ['Index', I64], ['BaseAmount', I64], ['Price', U32], ['TriggerPrice', U32]] },
  20: { name: 'UpdateLeverage', fields: [['MarketIndex', I16], ['InitialMarginFraction', U16], ['MarginMode', U8]] },
  8: { name: 'ChangePubKey', fields: [['PubKey', null], ['L1Sig', null]] },
};
const HEADER = [['AccountIndex', I64], ['ApiKeyIndex', U8], ['ExpiredAt', I64], ['Nonce', I64]];

export class TxFormatError extends Error {}

// A signed 64-bit value as a field element: two's complement word reduced mod p (§6.2).
export const toElement = (v) => (v < 0n ? (v + (1n << 64n)) % P : v % P);

function int(info, key, [lo, hi]) {
  const v = info[key];
  if (!(v instanceof JsonNumber) || !v.isInteger) throw new TxFormatError(`${key} must be an integer`);
  const b = v.toBigInt();
  if (b < lo || b > hi) throw new TxFormatError(`${key} out of range`);
  return b;
}

// Attributes: null/absent, or an object {"<type>": value} with at most 4 entries of types 1..7.
function attributes(info) {
  const a = info.L2TxAttributes;
  if (a === undefined || a === null) return [];
  if (typeof a !== 'object' || Array.isArray(a) || a instanceof JsonNumber) throw new TxFormatError('L2TxAttributes must be an object or null');
  const out = [];
  for (const [k, v] of Object.entries(a)) {
    if (!/^[1-7]$/.test(k)) throw new TxFormatError(`unknown tx attribute ${k}`);
    if (!(v instanceof JsonNumber) || !v.isInteger) throw new TxFormatError(`tx attribute ${k} must be an integer`);
    out.push([BigInt(k), v.toBigInt()]);
  }
  if (out.length > 4) throw new TxFormatError('at most 4 tx attributes');
  return out;
}

// Attribute elements (§6.4): drop nil values (255 for type 5, else 0), sort by type, pairs
// padded with zeros to 8 elements.
export function attributeElements(attrs) {
  const kept = attrs.filter(([t, v]) => v !== (t === 5n ? 255n : 0n)).sort((x, y) => (x[0] < y[0] ? -1 : 1));
  if (kept.length === 0) return null;
  const els = kept.flatMap(([t, v]) => [t, toElement(v)]);
  while (els.length < 8) els.push(0n);
  return els;
}

// Parses and range-checks a tx_info object (already parsed with parseExact). Returns
// { type, fields: {name: BigInt}, attributes: [[type, value]], sig (base64 text), pubKey? }.
export function readTx(txType, info) {
  const layout = LAYOUTS[txType];
  if (!layout) throw new TxFormatError(`tx type ${txType} is not supported`);
  if (!info || typeof info !== 'object' || Array.isArray(info) || info instanceof JsonNumber) throw new TxFormatError('tx_info must be a JSON object');
  const known = new Set([...HEADER.map(([k]) => k), ...layout.fields.map(([k]) => k), 'Sig', 'L2TxAttributes']);
  for (const k of Object.keys(info)) if (!known.has(k)) throw new TxFormatError(`unknown field ${k}`);
  const fields = {};
  for (const [k, range] of HEADER) fields[k] = int(info, k, range);
  for (const [k, range] of layout.fields) if (range) fields[k] = int(info, k, range);
  if (typeof info.Sig !== 'string') throw new TxFormatError('Sig must be a base64 string');
  const out = { type: txType, name: layout.name, fields, attributes: attributes(info), sig: info.Sig };
  if (txType === 8) {
    if (typeof info.PubKey !== 'string' || typeof info.L1Sig !== 'string') throw new TxFormatError('PubKey and L1Sig must be strings');
    out.pubKey = info.PubKey;
    out.l1Sig = info.L1Sig;
  }
  return out;
}

// The signed message of a tx: HashToQuinticExtension(header ++ body), then, when attributes are
// present, HashToQuinticExtension(body ++ HashToQuinticExtension(attribute elements)).
export function txMessage(chainId, tx, pubKeyLimbs = null) {
  const f = tx.fields;
  const els = [BigInt(chainId), BigInt(tx.type), f.Nonce, f.ExpiredAt, f.AccountIndex, f.ApiKeyIndex];
  if (tx.type === 8) {
    if (!pubKeyLimbs) throw new TxFormatError('ChangePubKey needs the public key limbs');
    els.push(...pubKeyLimbs);
  } else {
    for (const [k] of LAYOUTS[tx.type].fields) els.push(f[k]);
  }
  const body = hashToQuintic(els.map(toElement));
  const attrEls = attributeElements(tx.attributes);
  if (!attrEls) return body;
  return hashToQuintic([...body, ...hashToQuintic(attrEls)]);
}

// Auth token message "<deadline>:<account>:<api key>" as 8-byte little-endian chunks (the last
// one zero-padded), hashed.
export function authMessageHash(message) {
  const bytes = Buffer.from(message, 'ascii');
  const els = [];
  for (let i = 0; i < bytes.length; i += 8) {
    let v = 0n;
    for (let j = Math.min(i + 8, bytes.length) - 1; j >= i; j--) v = (v << 8n) | BigInt(bytes[j]);
    els.push(v);
  }
  return hashToQuintic(els);
}
