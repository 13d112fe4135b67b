// Independent check of a Pacifica signed request (specs/pacifica.md §3): the body is split into
// header and payload, the signed message is rebuilt with the simulator's own canonicaliser, and
// the Ed25519 signature is verified with @noble/curves (never with the code under test).
// Rejections carry the venue's status and bare-text body (§3.8, §8) plus a machine reason that
// the request log records, so a test can tell "expired" from "bad signature".
import { ed25519 } from '@noble/curves/ed25519.js';
import bs58 from 'bs58';
import { splitBody, SchemaError } from './schema.mjs';
import { signedMessage, CanonicalError } from './canonical.mjs';
import { JsonNumber } from '../../lib/json_exact.mjs';

export const DEFAULT_EXPIRY_WINDOW_MS = 30_000;

export function decodeBase58(text, expectLen) {
  if (typeof text !== 'string' || text.length === 0) return null;
  let bytes;
  try { bytes = bs58.decode(text); } catch { return null; }
  return bytes.length === expectLen ? bytes : null;
}

export function isValidPublicKey(text) {
  const bytes = decodeBase58(text, 32);
  if (!bytes) return false;
  try { ed25519.Point.fromBytes(bytes); return true; } catch { return false; }
}

function reject(status, text, reason, detail) {
  return { ok: false, status, text, reason, detail };
}

// Strings inside a signed payload must be printable ASCII: the venue's treatment of anything else
// is unknown (spec §3.3 rule 4), so the simulator refuses it instead of guessing.
function findNonAscii(v, path) {
  if (typeof v === 'string') return /^[\x20-\x7e]*$/.test(v) ? null : path;
  if (v && typeof v === 'object') {
    for (const k of Object.keys(v)) {
      const p = findNonAscii(v[k], `${path}.${k}`);
      if (p) return p;
    }
  }
  return null;
}

// The venue parses client_order_id as a UUID and may render it again (lower case) when it rebuilds
// the message; the simulator does exactly that, so a client signing upper-case ids fails here
// before it fails in production.
function lowerUuids(data) {
  for (const k of Object.keys(data)) {
    const v = data[k];
    if (k === 'client_order_id' && typeof v === 'string') data[k] = v.toLowerCase();
    else if (v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof JsonNumber)) lowerUuids(v);
  }
}

// path: REST path of the operation; body: value from parseExact; nowMs: the server clock;
// isAgentBound(account, agent) -> bool.
export function verifySignedBody(path, body, { nowMs, isAgentBound }) {
  let parts;
  try {
    parts = splitBody(path, body);
  } catch (e) {
    if (e instanceof SchemaError) return reject(400, `Failed to deserialize the JSON body into the target type: ${e.message}`, 'schema', e.message);
    throw e;
  }
  if (!parts) return reject(404, 'Not Found', 'unknown_path');
  const { op, header, data } = parts;

  const sig = decodeBase58(header.signature, 64);
  if (!sig) return reject(400, 'Invalid signature', 'bad_signature_encoding', 'signature is not base58 of 64 bytes');
  if (!isValidPublicKey(header.account)) return reject(400, 'Invalid public key', 'bad_account', 'account is not a base58 Ed25519 public key');
  const agent = header.agent_wallet ?? null;
  if (agent !== null && !isValidPublicKey(agent)) return reject(400, 'Invalid public key', 'bad_agent_wallet', 'agent_wallet is not a base58 Ed25519 public key');

  const nonAscii = findNonAscii(data, 'data');
  if (nonAscii) return reject(400, 'Invalid message', 'non_ascii', `${nonAscii} holds characters outside printable ASCII`);

  const timestamp = header.timestamp.toBigInt();
  const expiryWindow = 'expiry_window' in header ? header.expiry_window.toBigInt() : BigInt(DEFAULT_EXPIRY_WINDOW_MS);
  if (timestamp + expiryWindow < BigInt(nowMs)) {
    return reject(400, 'Verification failed', 'expired', `timestamp ${timestamp} + expiry_window ${expiryWindow} < server time ${nowMs}`);
  }

  lowerUuids(data);
  let message;
  try {
    message = signedMessage(op.type, timestamp, expiryWindow, data);
  } catch (e) {
    if (e instanceof CanonicalError) return reject(400, 'Invalid message', 'not_canonicalisable', e.message);
    throw e;
  }
  const signer = agent ?? header.account;
  let good = false;
  try {
    good = ed25519.verify(sig, new TextEncoder().encode(message), bs58.decode(signer), { zip215: false });
  } catch { good = false; }
  if (!good) return reject(400, 'Verification failed', 'bad_signature', `signature does not verify under ${agent ? 'agent_wallet' : 'account'} over ${message}`);
  if (agent !== null && isAgentBound && !isAgentBound(header.account, agent)) {
    return reject(401, 'Unauthorized', 'agent_not_bound', `agent ${agent} is not bound to account ${header.account}`);
  }
  return { ok: true, type: op.type, account: header.account, agentWallet: agent, timestamp, expiryWindow, data, message };
}
