// Private request authentication (specs/edgex.md §6 for v1, V.5 for v2), checked in this order:
//   v2: the four X-edgeX-* headers present -> API key known (INVALID_API_KEY, before anything
//       else, as seen live) -> passphrase -> timestamp within the window -> HMAC-SHA256 keyed with
//       the ASCII of base64(secret) over timestamp||METHOD||path||rendered params -> accountId
//       of the request is the key's account.
//   v1: X-edgeX-Api-Timestamp / -Signature present -> timestamp window -> account exists ->
//       Stark ECDSA of Keccak-256(sign string) mod N under the account's l2Key (r||s, or the web
//       client's r||s||y).
// HMAC and Keccak come from @noble/hashes; the rendering is render.mjs. Returns { ok: true,
// account } or { ok: false, kind, msg, reason }.
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { requestMessage, parseStarkSignature, publicKeys, verifyStark } from './stark.mjs';

const enc = new TextEncoder();
const no = (kind, msg, reason) => ({ ok: false, kind, msg, reason });

export const V2_HEADERS = ['x-edgex-api-key', 'x-edgex-passphrase', 'x-edgex-timestamp', 'x-edgex-signature'];
export const V1_HEADERS = ['x-edgex-api-timestamp', 'x-edgex-api-signature'];

export function hmacHex(secret, signString) {
  const key = enc.encode(Buffer.from(secret, 'utf8').toString('base64'));
  return Buffer.from(hmac(sha256, key, enc.encode(signString))).toString('hex');
}

function checkTimestamp(text, nowMs, windowMs) {
  if (!/^[0-9]{1,16}$/.test(text)) return no('expired', `timestamp header ${JSON.stringify(text)} is not milliseconds`, 'bad_timestamp');
  const skew = Number(text) - nowMs;
  if (Math.abs(skew) > windowMs) return no('expired', `request timestamp ${text} is ${skew} ms away from server time ${nowMs} (allowed ${windowMs})`, 'expired');
  return null;
}

// req: { version, method, path, headers (lower-case names), rendered, accountId (from the query or
// body, may be undefined) }; env: { nowMs, windowMs, accountByApiKey(key), account(id) }.
export function authenticate(req, env) {
  return req.version === 'v2' ? authV2(req, env) : authV1(req, env);
}

function authV2(req, env) {
  const h = req.headers;
  for (const name of V2_HEADERS) {
    if (typeof h[name] !== 'string' || h[name] === '') return no('header_required', `header ${name.replace('x-edgex', 'X-edgeX').replace(/-([a-z])/g, (m, c) => `-${c.toUpperCase()}`)} is required`, 'missing_header');
  }
  const acct = env.accountByApiKey(h['x-edgex-api-key']);
  if (!acct) return no('unauthorized', 'invalid api key', 'unknown_api_key');
  if (h['x-edgex-passphrase'] !== acct.dialect.api_passphrase) return no('unauthorized', 'invalid passphrase', 'bad_passphrase');
  const t = checkTimestamp(h['x-edgex-timestamp'], env.nowMs, env.windowMs);
  if (t) return t;
  const signString = `${h['x-edgex-timestamp']}${req.method}${req.path}${req.rendered}`;
  if (h['x-edgex-signature'] !== hmacHex(acct.dialect.api_secret, signString)) {
    return no('verification_failed', 'signature verification failed', 'bad_hmac', signString);
  }
  if (req.accountId !== undefined && req.accountId !== acct.id) {
    return no('unauthorized', `api key does not belong to account ${req.accountId}`, 'wrong_account');
  }
  return { ok: true, account: acct, signString };
}

function authV1(req, env) {
  const h = req.headers;
  for (const name of V1_HEADERS) {
    if (typeof h[name] !== 'string' || h[name] === '') return no('header_required', `header ${name === V1_HEADERS[0] ? 'X-edgeX-Api-Timestamp' : 'X-edgeX-Api-Signature'} is required`, 'missing_header');
  }
  const t = checkTimestamp(h['x-edgex-api-timestamp'], env.nowMs, env.windowMs);
  if (t) return t;
  if (req.accountId === undefined) return no('invalid_parameter', 'accountId is required', 'no_account');
  const acct = env.account(req.accountId);
  if (!acct) return no('account_not_found', `account ${req.accountId} not found`, 'unknown_account');
  const sig = parseStarkSignature(h['x-edgex-api-signature']);
  if (!sig) return no('verification_failed', 'X-edgeX-Api-Signature must be r||s (128 lower-case hex digits)', 'bad_signature_encoding');
  const signString = `${h['x-edgex-api-timestamp']}${req.method}${req.path}${req.rendered}`;
  const msg = requestMessage(signString);
  if (!verifyStark(sig, msg, publicKeys(acct.dialect.l2_key, acct.dialect.l2_key_y))) {
    return no('verification_failed', 'signature verification failed', 'bad_signature', signString);
  }
  return { ok: true, account: acct, signString };
}
