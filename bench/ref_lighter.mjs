// Reference run for bench/bench_lighter.c: the official Lighter signer (elliottech/lighter-go
// compiled to WebAssembly, the wasm/lighter-signer.wasm that lighter-ts-sdk ships) under
// Node, loaded the way the SDK's node-wasm-signer does it: Go's wasm_exec.js runtime, then
// the functions the Go program registers on globalThis. Same labels and line format as the
// C bench; the WASM build has no verify or hash-only entry, so those lines have no reference.
// Run: node bench/ref_lighter.mjs
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';

const require = createRequire(new URL('../tests/sim/package.json', import.meta.url));
const sdkDir = require.resolve('lighter-ts-sdk/package.json').replace(/package\.json$/, '');

// Test key of shared/vectors/lighter (not a real account).
const TEST_KEY = '76cc88d990d78188882f4fa274441c06cd610781c47fe4648c9df72603e27922551591f7f79acf1d';
const BASE_TIME_MS = 1767225601000;
// Two seconds per line: at a few hundred calls per second a shorter run is mostly noise.
const MIN_SECONDS = 2;

require(sdkDir + 'wasm/wasm_exec.js');   // defines globalThis.Go
const go = new globalThis.Go();
const { instance } = await WebAssembly.instantiate(readFileSync(sdkDir + 'wasm/lighter-signer.wasm'), go.importObject);
go.run(instance);   // the Go main registers its functions, then blocks on a channel
for (let i = 0; i < 500 && typeof globalThis.SignCreateOrder !== 'function'; i++) {
  await new Promise((resolve) => setTimeout(resolve, 10));
}
if (typeof globalThis.SignCreateOrder !== 'function') throw new Error('WASM signer did not register its functions');

const created = globalThis.CreateClient(TEST_KEY, 281, 3, 304);
if (created && created.error) throw new Error(`CreateClient: ${created.error}`);

function check(result, what) {
  if (!result || result.error) throw new Error(`${what}: ${result ? result.error : 'no result'}`);
}

function stepCreateOrderSign(i) {
  // marketIndex, clientOrderIndex, baseAmount, price, isAsk, orderType, timeInForce,
  // reduceOnly, triggerPrice, orderExpiry, nonce: the same limit GTT order as the C bench.
  check(globalThis.SignCreateOrder(0, 1 + i, 1000, 350000, 0, 0, 1, 0, 0, BASE_TIME_MS + 2419200000, i), 'SignCreateOrder');
}

function stepCancelOrderSign(i) {
  check(globalThis.SignCancelOrder(0, 1 + i, i), 'SignCancelOrder');
}

function stepAuthToken(i) {
  check(globalThis.CreateAuthToken(Math.floor(BASE_TIME_MS / 1000) + 3600 + i), 'CreateAuthToken');
}

function run(name, step) {
  for (let i = 0; i < 20; i++) step(i);
  let done = 0;
  let round = 16;
  const start = process.hrtime.bigint();
  let elapsed = 0;
  while (elapsed < MIN_SECONDS) {
    for (let i = 0; i < round; i++) step(done + i);
    done += round;
    elapsed = Number(process.hrtime.bigint() - start) / 1e9;
    if (round < 1 << 14) round *= 2;
  }
  const perSecond = done / elapsed;
  console.log(`${name}: ${perSecond.toFixed(0)} ops/s (${(1e6 / perSecond).toFixed(2)} us/op)`);
}

run('lighter_create_order_sign', stepCreateOrderSign);
run('lighter_cancel_order_sign', stepCancelOrderSign);
run('lighter_auth_token', stepAuthToken);
process.exit(0);   // the Go runtime keeps the event loop alive
