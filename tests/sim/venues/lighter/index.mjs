// The Lighter venue: an engine with Lighter's defaults (hourly funding, standard-account fees of
// zero, USDC with 6 decimals, exchange order indexes from 2^48) plus its REST endpoint
// (/api/v1/...) and WebSocket endpoint (/stream), each on its own 127.0.0.1 port.
import { VenueEngine } from '../../engine/engine.mjs';
import { parseDec, ZERO } from '../../lib/decimal.mjs';
import { createVenueHttp } from '../../lib/venue_http.mjs';
import { createLighterRouter, l1Address } from './rest.mjs';
import { createLighterWs } from './ws.mjs';
import { statusBody } from './errors.mjs';
import { expireOrders } from './trading.mjs';

export const LIGHTER_DEFAULTS = {
  fundingIntervalMs: 3_600_000,
  makerFee: ZERO,
  takerFee: ZERO,
  collateralDecimals: 6,
  firstOrderId: 2 ** 48 + 1000,
};

const FUNDING_UNITS = ['percent_per_hour', 'fraction_per_8h', 'fraction_per_hour'];

// Options a scenario may set under venues.lighter.options.
export const LIGHTER_OPTIONS = {
  chain_id: 304,                         // the chain id txs must be signed for (304 mainnet, 300 testnet)
  signature_mode: 'strict',              // "strict": s, e < n; "official": reduce them like the reference verifier
  signature_clock: 'wall',               // ExpiredAt and auth deadlines against "wall" (Date.now) or "sim" time
  expired_at_max_ahead_ms: 660_000,      // ExpiredAt further ahead is refused (the official signers use now + 599 s)
  auth_max_ahead_s: 28_800,              // auth-token deadlines further ahead are refused (8 h, §5)
  initial_nonce: 0,                      // nextNonce of every API key after a scenario load
  funding_rates_unit: 'fraction_per_8h', // unit of /funding-rates "rate" (the venue's, §15); others for mismatch scenarios
  market_stats_unit: 'percent_per_hour', // unit of market_stats funding_rate / current_funding_rate
  ws_book_interval_ms: 50,               // order_book / ticker batching
  ws_stats_interval_ms: 1000,            // periodic market_stats frames
  ws_book_depth: 50,                     // levels per side in the order_book channel
  ws_book_keepalive_ms: 1000,            // an unchanged book still gets an empty delta this often
  idle_timeout_ms: 120_000,              // the venue drops a socket that sent nothing for this long
  ws_server_ping_ms: 0,                  // > 0: the venue sends {"type":"ping"} this often (clients answer pong)
  record_ws_out: false,                  // also record outgoing WS messages
  markets: {},                           // per symbol: { min_base_amount: "0.005", default_initial_margin_fraction: 500 }
};

function checkMarketsOption(markets) {
  if (!markets || typeof markets !== 'object' || Array.isArray(markets)) throw new Error('lighter: option "markets" must be an object keyed by symbol');
  const out = {};
  for (const [sym, m] of Object.entries(markets)) {
    if (!m || typeof m !== 'object' || Array.isArray(m)) throw new Error(`lighter: markets.${sym} must be an object`);
    const o = {};
    for (const [k, v] of Object.entries(m)) {
      if (k === 'min_base_amount') {
        try { o[k] = parseDec(v, { what: `markets.${sym}.min_base_amount` }); } catch (e) { throw new Error(`lighter: ${e.message}`); }
      } else if (k === 'default_initial_margin_fraction') {
        if (!Number.isSafeInteger(v) || v < 1 || v > 10000) throw new Error(`lighter: markets.${sym}.${k} must be an integer from 1 to 10000`);
        o[k] = v;
      } else throw new Error(`lighter: markets.${sym}: unknown key "${k}"`);
    }
    out[sym] = o;
  }
  return out;
}

export function createLighter(sim, log) {
  const venue = {
    name: 'lighter', sim, engine: new VenueEngine('lighter', sim.clock, LIGHTER_DEFAULTS), options: { ...LIGHTER_OPTIONS }, l1Address,
  };
  const resetState = () => {
    venue.state = { nonces: new Map(), imf: new Map(), txs: new Map(), scheduledCancelAll: new Map(), blockHeight: 1000 };
  };
  resetState();
  const rest = createVenueHttp({ venue: 'lighter', sim, router: createLighterRouter(venue), statusBody, log });
  const ws = createLighterWs(venue, log);
  venue.checkOptions = (options) => {
    for (const [k, v] of Object.entries(options)) {
      if (!(k in LIGHTER_OPTIONS)) throw new Error(`lighter: unknown option "${k}"; known: ${Object.keys(LIGHTER_OPTIONS).join(', ')}`);
      if (typeof v !== typeof LIGHTER_OPTIONS[k]) throw new Error(`lighter: option "${k}" must be a ${typeof LIGHTER_OPTIONS[k]}`);
      if (typeof v === 'number' && !(Number.isSafeInteger(v) && v >= 0)) throw new Error(`lighter: option "${k}" must be a non-negative integer`);
    }
    if (options.signature_mode !== undefined && !['strict', 'official'].includes(options.signature_mode)) throw new Error('lighter: signature_mode must be "strict" or "official"');
    if (options.signature_clock !== undefined && !['wall', 'sim'].includes(options.signature_clock)) throw new Error('lighter: signature_clock must be "wall" or "sim"');
    for (const k of ['funding_rates_unit', 'market_stats_unit']) {
      if (options[k] !== undefined && !FUNDING_UNITS.includes(options[k])) throw new Error(`lighter: ${k} must be one of ${FUNDING_UNITS.join(', ')}`);
    }
    for (const k of ['ws_book_interval_ms', 'ws_stats_interval_ms', 'idle_timeout_ms', 'ws_book_depth', 'ws_book_keepalive_ms']) {
      if (options[k] !== undefined && options[k] < 1) throw new Error(`lighter: option "${k}" must be positive`);
    }
    if (options.markets !== undefined) checkMarketsOption(options.markets);
  };
  venue.configure = (options = {}) => {
    venue.checkOptions(options);
    venue.options = { ...LIGHTER_OPTIONS, ...options, markets: checkMarketsOption(options.markets ?? {}) };
    resetState();
    ws.restartTimers();
  };
  let expiryTimer = null;
  venue.start = async () => {
    const restPort = await rest.listen();
    const wsPort = await ws.listen();
    expiryTimer = setInterval(() => {
      try { expireOrders(venue); } catch (e) { log(`lighter expiry sweep: ${e.stack}`); }
    }, 100);
    return { host: `http://127.0.0.1:${restPort}`, rest: `http://127.0.0.1:${restPort}/api/v1`, ws: `ws://127.0.0.1:${wsPort}/stream` };
  };
  venue.dropWs = () => ws.dropAll();
  venue.wsConnections = () => ws.connections();
  venue.close = () => { clearInterval(expiryTimer); rest.close(); ws.close(); };
  return venue;
}
