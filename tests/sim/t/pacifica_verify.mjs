// The simulator's Pacifica signature checker against the shared ground-truth vectors: its own
// canonicaliser must reproduce every canonical_json case and every signed message byte for byte,
// every vector request must verify, and the same request must be refused once a signature byte is
// changed or the clock is past timestamp + expiry_window.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import bs58 from 'bs58';
import { ok, is, skip, run } from '../lib/tap.mjs';
import { parseExact } from '../lib/json_exact.mjs';
import { canonicalize } from '../venues/pacifica/canonical.mjs';
import { verifySignedBody } from '../venues/pacifica/verify.mjs';
import { WS_OPERATIONS, BATCH_ACTIONS } from '../venues/pacifica/schema.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const SHARED = process.env.SHARED ?? path.resolve(here, '../../../../shared');
const VEC = path.join(SHARED, 'vectors', 'pacifica');
const load = (f) => parseExact(fs.readFileSync(path.join(VEC, f), 'utf8'));
const num = (v) => Number(v.raw ?? v);

function corrupt(sigB58) {
  const bytes = bs58.decode(sigB58);
  bytes[17] ^= 0x01;
  return bs58.encode(bytes);
}

function checkSigned(name, restPath, bodyText, expectMessage) {
  const nowMs = (b) => num(b.timestamp);
  const body = parseExact(bodyText);
  const r = verifySignedBody(restPath, body, { nowMs: nowMs(body), isAgentBound: () => true });
  ok(r.ok, `${name}: vector request verifies${r.ok ? '' : ` (${r.reason}: ${r.detail})`}`);
  if (expectMessage !== undefined && r.ok) is(r.message, expectMessage, `${name}: rebuilt message is byte-identical`);

  const bad = parseExact(bodyText);
  bad.signature = corrupt(bad.signature);
  const rb = verifySignedBody(restPath, bad, { nowMs: nowMs(bad), isAgentBound: () => true });
  ok(!rb.ok && rb.status === 400 && rb.text === 'Verification failed' && rb.reason === 'bad_signature', `${name}: one flipped signature bit is rejected`);

  const late = parseExact(bodyText);
  const deadline = num(late.timestamp) + ('expiry_window' in late ? num(late.expiry_window) : 30000);
  const re = verifySignedBody(restPath, late, { nowMs: deadline + 1, isAgentBound: () => true });
  ok(!re.ok && re.status === 400 && re.reason === 'expired', `${name}: refused 1 ms after timestamp + expiry_window`);
  const edge = verifySignedBody(restPath, parseExact(bodyText), { nowMs: deadline, isAgentBound: () => true });
  ok(edge.ok, `${name}: still valid exactly at timestamp + expiry_window`);
}

await run(async () => {
  const canon = load('canonical_json.json');
  for (const c of canon.cases) is(canonicalize(c.input), c.canonical, `canonical_json ${c.name}`);

  const files = fs.readdirSync(VEC).filter((f) => f.startsWith('sign_') && f.endsWith('.json')).sort();
  for (const f of files) {
    for (const c of load(f).cases) {
      const name = `${f.replace('.json', '')} ${c.name}`;
      if (c.actions) {
        // Batch: every action carries its own complete signed body.
        c.actions.forEach((a, i) => {
          const restPath = BATCH_ACTIONS[a.batch_action_type];
          checkSigned(`${name} action ${i}`, restPath, JSON.stringify(a.data), a.message);
        });
        continue;
      }
      if (c.ws_request_json) {
        const req = parseExact(c.ws_request_json);
        const [key] = Object.keys(req.params);
        is(WS_OPERATIONS[key], c.http.path, `${name}: WS params key maps to the REST operation`);
        checkSigned(name, WS_OPERATIONS[key], JSON.stringify(req.params[key]), c.message);
        continue;
      }
      if (!c.request_body_json || c.operation_type.startsWith('subaccount_')) {
        skip(name, 'two-signature subaccount creation is not simulated');
        continue;
      }
      checkSigned(name, c.http.path, c.request_body_json, c.message);
    }
  }

  // Shapes the venue refuses before looking at the signature.
  const base = JSON.parse(load('sign_cancel_all_orders.json').cases[0].request_body_json);
  const withoutField = { ...base };
  delete withoutField.exclude_reduce_only;
  let r = verifySignedBody('/api/v1/orders/cancel_all', parseExact(JSON.stringify(withoutField)), { nowMs: base.timestamp });
  ok(!r.ok && r.status === 400 && /missing field `exclude_reduce_only`/.test(r.text), 'missing required field: 400 deserialisation text');
  r = verifySignedBody('/api/v1/orders/cancel_all', parseExact(JSON.stringify({ ...base, extra: 1 })), { nowMs: base.timestamp });
  ok(!r.ok && r.status === 400 && /unknown field `extra`/.test(r.text), 'unknown field: 400 deserialisation text');
  r = verifySignedBody('/api/v1/orders/cancel_all', parseExact(JSON.stringify({ ...base, signature: 'not-base58!' })), { nowMs: base.timestamp });
  ok(!r.ok && r.status === 400 && r.text === 'Invalid signature', 'signature that is not base58: "Invalid signature"');
  r = verifySignedBody('/api/v1/orders/cancel_all', parseExact(JSON.stringify({ ...base, account: '1111' })), { nowMs: base.timestamp });
  ok(!r.ok && r.status === 400 && r.text === 'Invalid public key', 'account that is no public key: "Invalid public key"');
  const lev = load('sign_update_leverage.json').cases[0];
  const floatLev = lev.request_body_json.replace(/"leverage":\s*10/, '"leverage":10.0');
  r = verifySignedBody('/api/v1/account/leverage', parseExact(floatLev), { nowMs: num(lev.header.timestamp) });
  ok(!r.ok && r.status === 400 && /floating point `10.0`/.test(r.text), 'float where an integer is signed: 400');
  const agentCase = load('sign_cancel_order.json').cases[1];
  r = verifySignedBody('/api/v1/orders/cancel', parseExact(agentCase.request_body_json), { nowMs: num(agentCase.header.timestamp), isAgentBound: () => false });
  ok(!r.ok && r.status === 401 && r.reason === 'agent_not_bound', 'valid agent signature but agent not bound: 401 Unauthorized');
  const upper = agentCase.request_body_json.replace(/40dd401f-09e3-46ce-a4bb-b28c11960345/, '40DD401F-09E3-46CE-A4BB-B28C11960345');
  r = verifySignedBody('/api/v1/orders/cancel', parseExact(upper), { nowMs: num(agentCase.header.timestamp), isAgentBound: () => true });
  ok(r.ok, 'client_order_id is compared as a UUID (upper-case body, lower-case signature still verifies)');
});
