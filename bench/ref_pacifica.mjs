// Reference run for bench/bench_pacifica.c: the same Pacifica signing steps in Node with the
// libraries JavaScript clients use (@noble/curves for Ed25519, the reference issue 10 names;
// bs58 for base58) and the SDK's canonicalisation (recursive key sort, compact JSON). Same line
// format as the C bench.
// Run: node bench/ref_pacifica.mjs
import { createRequire } from 'node:module';
import { ed25519 } from '../tests/sim/node_modules/@noble/curves/ed25519.js';

const require = createRequire(new URL('../tests/sim/package.json', import.meta.url));
const bs58 = require('bs58').default;

// Made-up test key (shared/vectors/pacifica/keypairs.json, agent_wallet_1) acting for main_account_1.
const AGENT_SECRET = '3MYmr2skPYRXK2eaidvsexLEZTkSFwaZCJtAf67KwGrJLiuvQPnk7UAftijUcHGsMYgSY2VE9DeyohxwQ8K3NbRo';
const MAIN_ADDRESS = 'CgyGKJ8fU5ehxBFEd2XA6U8ZJirUCRDZh7oWyBjrferh';
const CLIENT_ORDER_ID = '449a6996-8290-4da4-aee9-85c25998f0af';
const BASE_TIMESTAMP = 1765000002000;
const MIN_SECONDS = 0.5;

const secretKey = bs58.decode(AGENT_SECRET);
const seed = secretKey.subarray(0, 32);   // noble signs with the 32-byte seed
const agentAddress = bs58.encode(secretKey.subarray(32));
const encoder = new TextEncoder();

function sortKeys(value) {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const sorted = {};
    for (const key of Object.keys(value).sort()) sorted[key] = sortKeys(value[key]);
    return sorted;
  }
  return value;
}

function marketPayload() {
  return { symbol: 'ETH', amount: '0.0125', side: 'ask', slippage_percent: '1', reduce_only: true,
           client_order_id: CLIENT_ORDER_ID };
}

function canonicalMessage(type, timestamp, payload) {
  return JSON.stringify(sortKeys({ type, timestamp, expiry_window: 5000, data: payload }));
}

function signMarketOrder(i) {
  const payload = marketPayload();
  const timestamp = BASE_TIMESTAMP + i;
  const message = canonicalMessage('create_market_order', timestamp, payload);
  const signature = bs58.encode(ed25519.sign(encoder.encode(message), seed));
  return JSON.stringify({ account: MAIN_ADDRESS, agent_wallet: agentAddress, signature, timestamp,
                          expiry_window: 5000, ...payload });
}

function run(name, step) {
  for (let i = 0; i < 50; i++) step(i);
  let done = 0;
  let round = 64;
  const start = process.hrtime.bigint();
  let elapsed = 0;
  while (elapsed < MIN_SECONDS) {
    for (let i = 0; i < round; i++) step(done + i);
    done += round;
    elapsed = Number(process.hrtime.bigint() - start) / 1e9;
    if (round < 1 << 20) round *= 2;
  }
  const perSecond = done / elapsed;
  console.log(`${name}: ${perSecond.toFixed(0)} ops/s (${(1e6 / perSecond).toFixed(2)} us/op)`);
}

// Sanity check: the reference must produce the spec's worked example before it is timed.
const example = canonicalMessage('create_market_order', BASE_TIMESTAMP, marketPayload());
const exampleSignature = bs58.encode(ed25519.sign(encoder.encode(example), seed));
if (exampleSignature !== '2creixeABGsXBDuiQmQBWGbxQjGEBhfnY6W9ewyYf9TBvZD1xWdUgiAvjkNzhLTgXPtNJGqzstwBuYp8HdbqTAR1') {
  console.error('ref_pacifica: reference signature does not match the shared vector');
  process.exit(1);
}

const fixedPayload = marketPayload();
const messageBytes = encoder.encode(example);
const signature = ed25519.sign(messageBytes, seed);

run('pacifica_sign_market_order', signMarketOrder);
run('pacifica_canonical_message', (i) => canonicalMessage('create_market_order', BASE_TIMESTAMP + i, fixedPayload));
run('pacifica_ed25519_sign', () => ed25519.sign(messageBytes, seed));
run('pacifica_base58_signature', (i) => { signature[0] = (i & 0xff) | 1; return bs58.encode(signature); });
