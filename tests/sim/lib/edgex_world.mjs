// A small, fully deterministic edgeX world for the simulator tests, for v2 ("edgex") and v1
// ("edgex_v1"): a stepped clock 10 minutes after a 4-hour funding boundary, BTC with a scripted
// book (every fill price known in advance), ETH with a synthetic book, SOL with hourly funding,
// and the test keys' accounts (scenarios/test_keys.json). Plus a REST client that signs like a
// real edgeX client would (lib/edgex_signer.mjs) and builds order bodies from the served metadata.
import { TEST_KEYS } from './harness.mjs';
import { v2Headers, v1Headers, v2OrderBody, v1OrderBody } from './edgex_signer.mjs';

export const K = TEST_KEYS.edgex;
export const HOUR = 3_600_000;
export const START_MS = 124_652 * 4 * HOUR + 600_000; // 2026-11-18 08:10:00 UTC, 10 min after a 4 h boundary

const market = (o) => o;
function markets(btcBook) {
  return [
    market({
      symbol: 'BTC', tick: '0.1', step: '0.001', max_leverage: 50, mark: '100000', index: '100000', taker_fee: '0.00038', maker_fee: '0.00015',
      funding: { rate: '0.00005', next_rate: '0.0001' }, volume_24h: '250000000',
      book: btcBook ?? { bids: [['99990', '0.05'], ['99980', '0.1'], ['99900', '1']], asks: [['100010', '0.05'], ['100020', '0.1'], ['100100', '1']] },
    }),
    market({
      symbol: 'ETH', tick: '0.01', step: '0.01', max_leverage: 50, mark: '3500', index: '3500', taker_fee: '0.00038', maker_fee: '0.00015',
      funding: { rate: '0.00002', next_rate: '-0.00005' }, book: { synthetic: { levels: 5, spread_bps: '2', step_bps: '1', size: '10', refill_ms: 3_600_000 } },
    }),
    market({
      symbol: 'SOL', tick: '0.001', step: '0.1', max_leverage: 20, mark: '150', index: '150', taker_fee: '0.0005', maker_fee: '0.0002',
      funding: { rate: '0.00001', next_rate: '0.00002', interval_ms: HOUR }, book: { synthetic: { levels: 5, spread_bps: '4', step_bps: '2', size: '500', refill_ms: 3_600_000 } },
    }),
  ];
}

const v2Account = (k, balance) => ({ id: k.account_id, balance, dialect: { api_key: k.api_key, api_passphrase: k.api_passphrase, api_secret: k.api_secret, signers: [k.signer_address] } });
const v1Account = (k, balance) => ({ id: k.account_id, balance, dialect: { l2_key: k.l2_key, l2_key_y: k.l2_key_y } });

export function edgexWorld({ clock = { mode: 'stepped', start_ms: START_MS }, v2Options = {}, v1Options = {}, btcBook } = {}) {
  const quiet = { ws_ticker_interval_ms: 60_000, signature_clock: 'wall' };
  return {
    description: 'edgeX simulator test world',
    clock,
    venues: {
      edgex: { options: { ...quiet, ...v2Options }, markets: markets(btcBook), accounts: [v2Account(K.v2.account, '10000'), v2Account(K.v2.other, '5000')] },
      edgex_v1: { options: { ...quiet, ...v1Options }, markets: markets(btcBook), accounts: [v1Account(K.v1.account, '10000'), v1Account(K.v1.other, '5000')] },
    },
  };
}

// A signed REST client for one account: get(name, query) / post(name, body) take the endpoint name
// after /api/<version>/ ("private/account/getAccountAsset"); raw() sends exactly what it is given.
export function edgexClient(addr, version, key) {
  const prefix = `/api/${version}/`;
  const sign = version === 'v2' ? v2Headers : v1Headers;
  const send = async (method, path, { query, body, headers = {} } = {}) => {
    const qs = query ? Object.keys(query).sort().map((k) => `${k}=${query[k]}`).join('&') : '';
    const res = await fetch(`${addr.host}${path}${qs ? `?${qs}` : ''}`, {
      method, headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    let json = null;
    try { json = JSON.parse(text); } catch { /* not JSON */ }
    return { status: res.status, headers: res.headers, text, json };
  };
  const client = {
    key,
    raw: send,
    headersFor: (method, path, { query, body, timestamp } = {}) => sign({ key, method, path, query, body, timestamp }),
    get: (name, query = {}) => send('GET', prefix + name, { query, headers: name.startsWith('private/') ? sign({ key, method: 'GET', path: prefix + name, query }) : {} }),
    post: (name, body) => send('POST', prefix + name, { body, headers: sign({ key, method: 'POST', path: prefix + name, body }) }),
    meta: null,
    async loadMeta() { client.meta = (await client.get('public/meta/getMetaData')).json.data; return client.meta; },
    contract: (sym) => client.meta.contractList.find((c) => c.contractName.startsWith(sym)),
    // An order body for symbol built from the served metadata. o: side, type, price, size, tif?, ...
    order(sym, o) {
      const c = client.contract(sym);
      const base = { key, side: o.side, type: o.type ?? 'LIMIT', tif: o.tif, price: o.price, size: o.size, clientOrderId: o.clientOrderId, nowMs: o.nowMs ?? Date.now(), reduceOnly: o.reduceOnly, oraclePrice: o.oraclePrice, expireTime: o.expireTime, signWith: o.signWith, accountId: o.accountId, feeRate: o.feeRate };
      if (version === 'v2') {
        const g = client.meta.global;
        return v2OrderBody({ ...base, contract: c, coin: client.meta.coinList.find((x) => x.coinId === c.quoteCoinId), domain: { chainId: g.nativeChainId || g.chainId, verifyingContract: g.contractAddress } }).body;
      }
      return v1OrderBody({ ...base, contract: c, collateral: client.meta.global.starkExCollateralCoin, l2ExpireTime: o.l2ExpireTime }).body;
    },
  };
  return client;
}
