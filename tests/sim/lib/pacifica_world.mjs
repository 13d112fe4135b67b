// A small, fully deterministic Pacifica world for the simulator tests: a stepped clock ten minutes
// after an hour boundary, BTC with a scripted book (so every fill price is known in advance), ETH
// with a synthetic book, and the test keys' accounts (tests/sim/scenarios/test_keys.json).
import { TEST_KEYS } from './harness.mjs';

export const MAIN = TEST_KEYS.pacifica.account;
export const AGENT = TEST_KEYS.pacifica.agent;
export const OTHER = TEST_KEYS.pacifica.other;

export const HOUR = 3_600_000;
export const START_MS = 498_611 * HOUR + 600_000; // 2026-11-19 11:10:00 UTC

export function pacificaWorld({ clock = { mode: 'stepped', start_ms: START_MS }, options = {}, btcBook } = {}) {
  return {
    description: 'simulator test world',
    clock,
    venues: {
      pacifica: {
        options: { ws_book_interval_ms: 60_000, ws_prices_interval_ms: 60_000, ...options },
        markets: [
          {
            symbol: 'BTC', tick: '1', step: '0.00001', max_leverage: 50, mark: '100000', index: '100000',
            funding: { rate: '0.0000125', next_rate: '0.0001' },
            book: btcBook ?? { bids: [['99990', '0.05'], ['99980', '0.1'], ['99900', '1']], asks: [['100010', '0.05'], ['100020', '0.1'], ['100100', '1']] },
          },
          {
            symbol: 'ETH', tick: '0.1', step: '0.0001', max_leverage: 50, mark: '3500', index: '3500',
            funding: { rate: '0.00002', next_rate: '-0.00005' },
            book: { synthetic: { levels: 5, spread_bps: '2', step_bps: '1', size: '10', refill_ms: 3_600_000 } },
          },
        ],
        accounts: [
          { id: MAIN.public_key, balance: '10000', agents: [AGENT.public_key] },
          { id: OTHER.public_key, balance: '5000' },
        ],
      },
    },
  };
}

// REST helper bound to one simulator: GET with a query, POST a body; answers {status, headers, text, json}.
export function restClient(base) {
  const call = async (method, path, { query, body } = {}) => {
    const url = new URL(base.replace(/\/api\/v1$/, '') + path);
    for (const [k, v] of Object.entries(query ?? {})) url.searchParams.set(k, v);
    const res = await fetch(url, {
      method, headers: body !== undefined ? { 'content-type': 'application/json' } : {},
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    let json = null;
    try { json = JSON.parse(text); } catch { /* bare-text answers */ }
    return { status: res.status, headers: res.headers, text, json };
  };
  return {
    get: (path, query) => call('GET', path, { query }),
    post: (path, body) => call('POST', path, { body }),
  };
}
