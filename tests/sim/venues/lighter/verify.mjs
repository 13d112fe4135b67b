// Independent checks of what a Lighter client sends (specs/lighter.md §5-§8): signed txs and auth
// tokens are verified with this folder's own BigInt model (field, poseidon2, curve, txhash), never
// with the code under test or the official signer. The order of the checks is the venue's as far
// as the spec tells: the tx must parse and fit its types, the account and API key must exist, the
// tx must not be expired, the signature must verify against the registered key for the
// SIMULATOR's chain id; the nonce is checked by the caller (trading.mjs), which owns the counters.
import { parseExact, JsonSyntaxError, JsonNumber } from '../../lib/json_exact.mjs';
import { readTx, txMessage, authMessageHash, TxFormatError } from './txhash.mjs';
import { schnorrVerify } from './curve.mjs';
import { fp5ToBytes, bytesToHex, hexToBytes } from './field.mjs';
import { CODES } from './errors.mjs';

const fail = (code, reason, detail) => ({ ok: false, code, reason, detail });

// A scenario registers API keys as account "agents" written "<api_key_index>:<public key hex>".
export function registeredKey(engine, accountId, apiKeyIndex) {
  const acct = engine.accounts.get(accountId);
  if (!acct) return null;
  for (const a of acct.agents) {
    const m = /^([0-9]{1,3}):([0-9a-f]{80})$/.exec(a);
    if (m && Number(m[1]) === apiKeyIndex) return m[2];
  }
  return null;
}

export function apiKeysOf(engine, accountId) {
  const acct = engine.accounts.get(accountId);
  if (!acct) return [];
  const out = [];
  for (const a of acct.agents) {
    const m = /^([0-9]{1,3}):([0-9a-f]{80})$/.exec(a);
    if (m) out.push({ index: Number(m[1]), publicKey: m[2] });
  }
  return out.sort((x, y) => x.index - y.index);
}

function base64Bytes(text) {
  if (typeof text !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) return null;
  return Buffer.from(text, 'base64');
}

// txType: integer; info: tx_info as JSON text (REST form) or an already parsed object (WS).
// nowMs: the clock ExpiredAt is checked against. Returns { ok: true, tx, hash, account, apiKey }
// or { ok: false, code, reason, detail }.
export function verifyTx(venue, txType, info, nowMs) {
  let parsed = info;
  if (typeof info === 'string') {
    try { parsed = parseExact(info); } catch (e) {
      if (e instanceof JsonSyntaxError) return fail(CODES.INVALID_PARAM, 'schema', `tx_info is not JSON: ${e.message}`);
      throw e;
    }
  }
  let tx;
  try { tx = readTx(txType, parsed); } catch (e) {
    if (e instanceof TxFormatError) return fail(CODES.INVALID_PARAM, 'schema', e.message);
    throw e;
  }
  const f = tx.fields;
  const account = String(f.AccountIndex);
  if (!venue.engine.accounts.has(account)) return fail(CODES.ACCOUNT_NOT_FOUND, 'bad_account', `account ${account}`);
  const apiKey = Number(f.ApiKeyIndex);
  if (apiKey > 254) return fail(CODES.INVALID_API_KEY_INDEX, 'bad_api_key', `api key index ${apiKey}`);
  const pub = registeredKey(venue.engine, account, apiKey);
  if (!pub) return fail(CODES.API_KEY_NOT_FOUND, 'bad_api_key', `api key ${apiKey} of account ${account}`);
  const maxAhead = BigInt(venue.options.expired_at_max_ahead_ms);
  if (f.ExpiredAt <= BigInt(nowMs)) return fail(CODES.INVALID_EXPIRY, 'expired', `ExpiredAt ${f.ExpiredAt} is not after now ${nowMs}`);
  if (f.ExpiredAt > BigInt(nowMs) + maxAhead) return fail(CODES.INVALID_EXPIRY, 'expiry_too_far', `ExpiredAt ${f.ExpiredAt} is more than ${maxAhead} ms ahead`);
  const sig = base64Bytes(tx.sig);
  if (!sig || sig.length !== 80) return fail(CODES.INVALID_SIGNATURE, 'bad_signature_encoding', 'Sig must be base64 of 80 bytes');
  let pubKeyLimbs = null;
  if (txType === 8) {
    const pk = base64Bytes(tx.pubKey);
    if (!pk || pk.length !== 40) return fail(CODES.INVALID_PUBLIC_KEY, 'schema', 'PubKey must be base64 of 40 bytes');
    pubKeyLimbs = [0, 1, 2, 3, 4].map((i) => pk.readBigUInt64LE(8 * i));
  }
  const message = fp5ToBytes(txMessage(venue.options.chain_id, tx, pubKeyLimbs));
  const signer = txType === 8 ? Buffer.from(tx.pubKey, 'base64') : hexToBytes(pub);
  const v = schnorrVerify(signer, message, sig, { mode: venue.options.signature_mode });
  if (!v.ok) return fail(CODES.INVALID_SIGNATURE, 'bad_signature', v.reason);
  return { ok: true, tx, hash: bytesToHex(message), account, apiKey };
}

// Auth token "<deadline_s>:<account>:<api_key>:<160 hex>" (§5) for `account` (string id):
// deadline in the future and at most auth_max_ahead_s ahead, key registered, signature valid.
export function verifyAuthToken(venue, token, account, nowMs) {
  if (typeof token !== 'string' || token === '') return fail(CODES.INVALID_AUTH, 'missing', 'auth token missing');
  const m = /^([0-9]{1,12}):([0-9]{1,16}):([0-9]{1,3}):([0-9a-f]{160})$/.exec(token);
  if (!m) return fail(CODES.INVALID_AUTH, 'malformed', 'auth token malformed');
  const [, deadline, acct, key, sigHex] = m;
  if (account !== undefined && acct !== String(account)) return fail(CODES.INVALID_AUTH, 'other_account', `auth token is for account ${acct}`);
  const nowS = Math.floor(nowMs / 1000);
  if (Number(deadline) <= nowS) return fail(CODES.INVALID_AUTH, 'expired', 'auth token expired');
  if (Number(deadline) > nowS + venue.options.auth_max_ahead_s) return fail(CODES.INVALID_AUTH, 'too_far', 'auth token deadline is too far ahead');
  const pub = registeredKey(venue.engine, acct, Number(key));
  if (!pub) return fail(CODES.INVALID_AUTH, 'bad_api_key', `api key ${key} of account ${acct} is not registered`);
  const hash = fp5ToBytes(authMessageHash(`${deadline}:${acct}:${key}`));
  const v = schnorrVerify(hexToBytes(pub), hash, hexToBytes(sigHex), { mode: venue.options.signature_mode });
  if (!v.ok) return fail(CODES.INVALID_AUTH, 'bad_signature', 'auth token signature invalid');
  return { ok: true, account: acct, apiKey: Number(key) };
}

export { JsonNumber };
