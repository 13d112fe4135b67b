// Pacifica's canonical JSON (specs/pacifica.md §3.3), written from the spec for the simulator's own
// signature check: keys sorted by Unicode code point at every level, no whitespace, Python
// json.dumps string escaping (ensure_ascii), integers in plain form. Floats are refused: Pacifica
// payloads carry decimals as strings, and a float has no single canonical text.
import { JsonNumber } from '../../lib/json_exact.mjs';

export class CanonicalError extends Error {}

function compareCodePoints(a, b) {
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next();
    const y = ib.next();
    if (x.done || y.done) return x.done === y.done ? 0 : (x.done ? -1 : 1);
    const d = x.value.codePointAt(0) - y.value.codePointAt(0);
    if (d !== 0) return d;
  }
}

const SHORT_ESCAPES = { '"': '\\"', '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f' };

export function canonicalString(s) {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    const code = s.charCodeAt(i); // UTF-16 units: astral characters become surrogate pairs, as in Python
    if (SHORT_ESCAPES[c]) out += SHORT_ESCAPES[c];
    else if (code < 0x20 || code > 0x7e) out += '\\u' + code.toString(16).padStart(4, '0');
    else out += c;
  }
  return out + '"';
}

function canonicalNumber(v) {
  if (v instanceof JsonNumber) {
    if (!v.isInteger) throw new CanonicalError(`non-integer number ${v.raw} cannot be signed`);
    return v.toBigInt().toString();
  }
  if (typeof v === 'bigint') return v.toString();
  if (!Number.isInteger(v)) throw new CanonicalError(`non-integer number ${v} cannot be signed`);
  if (!Number.isSafeInteger(v)) throw new CanonicalError(`integer ${v} is beyond 2^53; pass it as BigInt or JsonNumber`);
  return BigInt(v).toString();
}

export function canonicalize(v) {
  if (v === null) return 'null';
  if (v === true) return 'true';
  if (v === false) return 'false';
  if (typeof v === 'string') return canonicalString(v);
  if (typeof v === 'number' || typeof v === 'bigint' || v instanceof JsonNumber) return canonicalNumber(v);
  if (Array.isArray(v)) return '[' + v.map(canonicalize).join(',') + ']';
  if (typeof v === 'object') {
    const keys = Object.keys(v).sort(compareCodePoints);
    return '{' + keys.map((k) => canonicalString(k) + ':' + canonicalize(v[k])).join(',') + '}';
  }
  throw new CanonicalError(`cannot canonicalise a value of type ${typeof v}`);
}

// The exact text Pacifica signs: header fields plus "data" at one level (§3.2).
export function signedMessage(type, timestamp, expiryWindow, data) {
  return canonicalize({ type, timestamp, expiry_window: expiryWindow, data });
}
