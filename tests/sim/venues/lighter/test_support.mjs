// Helpers for the simulator's own Lighter tests (t/lighter_*.mjs): the official signer (the
// lighter-ts-sdk WASM build of elliottech/lighter-go, loaded the way its Node signer does) so that
// test transactions come from code independent of both the C client and this dialect's verifier,
// a small deterministic world, and form/HTTP helpers.
import fs from 'node:fs';
import { createRequire } from 'node:module';

export const KEYS = JSON.parse(fs.readFileSync(new URL('./test_keys.json', import.meta.url), 'utf8'));
export const HOUR = 3_600_000;
export const START_MS = 498_611 * HOUR + 600_000; // 2026-11-19 11:10:00 UTC

let wasmReady = null;

// Loads the WASM signer once; returns an object whose functions sign with a given key.
export async function officialSigner() {
  if (!wasmReady) {
    wasmReady = (async () => {
      const require = createRequire(new URL('../../package.json', import.meta.url));
      const dir = require.resolve('lighter-ts-sdk/package.json').replace(/package\.json$/, '');
      require(`${dir}wasm/wasm_exec.js`);
      const go = new globalThis.Go();
      const { instance } = await WebAssembly.instantiate(fs.readFileSync(`${dir}wasm/lighter-signer.wasm`), go.importObject);
      go.run(instance);
      for (let i = 0; i < 500 && typeof globalThis.SignCreateOrder !== 'function'; i++) await new Promise((r) => setTimeout(r, 10));
      if (typeof globalThis.SignCreateOrder !== 'function') throw new Error('the WASM signer did not register its functions');
    })();
  }
  await wasmReady;
  const use = (key, account, chainId = 304) => {
    const r = globalThis.CreateClient(key.private_key, account, key.api_key_index, chainId);
    if (r && r.error) throw new Error(`CreateClient: ${r.error}`);
  };
  const out = (r, what) => {
    if (!r || r.error) throw new Error(`${what}: ${r ? r.error : 'no result'}`);
    return r.txInfo ?? r.authToken;
  };
  return {
    // Each returns the tx_info JSON text (or the auth token).
    createOrder: (key, account, o, chainId) => {
      use(key, account, chainId);
      return out(globalThis.SignCreateOrder(o.market, o.clientIndex, o.base, o.price, o.isAsk ? 1 : 0, o.type ?? 0, o.tif ?? 1,
        o.reduceOnly ? 1 : 0, o.trigger ?? 0, o.expiry ?? 0, o.nonce), 'SignCreateOrder');
    },
    cancelOrder: (key, account, { market, index, nonce }, chainId) => { use(key, account, chainId); return out(globalThis.SignCancelOrder(market, index, nonce), 'SignCancelOrder'); },
    cancelAll: (key, account, { tif = 0, time = 0, nonce }, chainId) => { use(key, account, chainId); return out(globalThis.SignCancelAllOrders(tif, time, nonce), 'SignCancelAllOrders'); },
    updateLeverage: (key, account, { market, imf, mode = 0, nonce }, chainId) => { use(key, account, chainId); return out(globalThis.SignUpdateLeverage(market, imf, mode, nonce), 'SignUpdateLeverage'); },
    authToken: (key, account, deadlineS, chainId) => { use(key, account, chainId); return out(globalThis.CreateAuthToken(deadlineS), 'CreateAuthToken'); },
  };
}

// A deterministic Lighter world: stepped clock, ETH (market 0) with a scripted book, BTC (market 1)
// with a synthetic one, the test keys' accounts.
export function lighterWorld({ clock = { mode: 'stepped', start_ms: START_MS }, options = {}, ethBook, accounts } = {}) {
  return {
    description: 'Lighter simulator test world',
    clock,
    venues: {
      lighter: {
        options: { ws_book_interval_ms: 20, ws_stats_interval_ms: 60_000, ws_book_keepalive_ms: 60_000, markets: { ETH: { min_base_amount: '0.005' } }, ...options },
        markets: [
          {
            symbol: 'ETH', id: 0, tick: '0.01', step: '0.0001', max_leverage: 50, min_notional: '10', mark: '3500', index: '3500',
            funding: { rate: '0.000012', next_rate: '0.000011', price: 'mark' },
            book: ethBook ?? { bids: [['3499.00', '1'], ['3498.00', '2'], ['3490.00', '10']], asks: [['3501.00', '1'], ['3502.00', '2'], ['3510.00', '10']] },
          },
          {
            symbol: 'BTC', id: 1, tick: '0.1', step: '0.00001', max_leverage: 50, min_notional: '10', mark: '100000', index: '100000',
            funding: { rate: '0.0000125', next_rate: '0.000013', price: 'mark' },
            book: { synthetic: { levels: 5, spread_bps: '2', step_bps: '1', size: '0.5', refill_ms: 3_600_000 } },
          },
        ],
        accounts: accounts ?? [
          { id: String(KEYS.account), balance: '100000', agents: [`3:${KEYS.api_key_3.public_key}`, `4:${KEYS.api_key_4.public_key}`] },
          { id: String(KEYS.other_account), balance: '50000', agents: [`3:${KEYS.other_api_key_3.public_key}`] },
        ],
      },
    },
  };
}

export const form = (fields) => Object.entries(fields).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');

// REST client for a test: get(path) and sendTx(type, info) answer { status, json, text }.
export function lighterApi(rest) {
  const call = async (path, init = {}) => {
    const res = await fetch(rest + path, init);
    const text = await res.text();
    let json = null;
    try { json = JSON.parse(text); } catch { /* text answers */ }
    return { status: res.status, json, text };
  };
  return {
    get: (path, headers = {}) => call(path, { headers }),
    sendTx: (txType, txInfo, extra = {}) => call('/sendTx', {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form({ tx_type: String(txType), tx_info: txInfo, ...extra }),
    }),
    sendTxBatch: (types, infos) => call('/sendTxBatch', {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form({ tx_types: JSON.stringify(types), tx_infos: JSON.stringify(infos) }),
    }),
  };
}

// A plain BigInt signer over this folder's model, for what the WASM build refuses to make (it
// always signs MarginMode 0 and refuses auth deadlines beyond 7 hours). Tests only.
async function jsSchnorr(key, msg) {
  const { randomBytes } = await import('node:crypto');
  const { mul, encode, GENERATOR, scalarFromBytes, scalarFromFp5, N } = await import('./curve.mjs');
  const { hashToQuintic } = await import('./poseidon2.mjs');
  const { hexToBytes } = await import('./field.mjs');
  const sk = scalarFromBytes(hexToBytes(key.private_key));
  const k = scalarFromBytes(randomBytes(48)) % (N - 1n) + 1n;
  const r = encode(mul(k, GENERATOR));
  const e = scalarFromFp5(hashToQuintic([...r, ...msg]));
  const s = (((k - e * sk) % N) + N) % N;
  const le = (v) => { const b = Buffer.alloc(40); for (let i = 0; i < 40; i++) { b[i] = Number(v & 0xffn); v >>= 8n; } return b; };
  return Buffer.concat([le(s), le(e)]);
}

// fields in tx_info order; returns the tx_info text with Sig and L2TxAttributes appended.
export async function jsSignTx(key, chainId, txType, fields) {
  const { readTx, txMessage } = await import('./txhash.mjs');
  const { parseExact } = await import('../../lib/json_exact.mjs');
  const msg = txMessage(chainId, readTx(txType, parseExact(JSON.stringify({ ...fields, Sig: '' }))));
  const sig = await jsSchnorr(key, msg);
  return JSON.stringify({ ...fields, Sig: sig.toString('base64'), L2TxAttributes: null });
}

export async function jsAuthToken(key, account, deadlineS) {
  const { authMessageHash } = await import('./txhash.mjs');
  const message = `${deadlineS}:${account}:${key.api_key_index}`;
  return `${message}:${(await jsSchnorr(key, authMessageHash(message))).toString('hex')}`;
}
