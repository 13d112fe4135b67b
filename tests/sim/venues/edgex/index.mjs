// The edgeX venue, one instance per API generation: "edgex" speaks v2 (HMAC requests, EIP-712
// orders, /api/v2) and "edgex_v1" speaks v1 (Stark-signed requests and orders, /api/v1). They are
// separate worlds, as on the venue (separate hosts, accounts, ids and keys). Each is an engine
// with edgeX defaults (4-hour funding, per-contract fee rates, 6-decimal collateral) plus a REST
// port (the API host) and a WS port (the quote host, paths /api/v1/public/ws and /api/v1/private/ws).
import { VenueEngine } from '../../engine/engine.mjs';
import { ScenarioError } from '../../engine/market.mjs';
import { parseDec } from '../../lib/decimal.mjs';
import { createVenueHttp } from '../../lib/venue_http.mjs';
import { buildContracts, COLLATERAL } from './meta.mjs';
import { statusBody } from './errors.mjs';
import { createEdgexRouter } from './rest.mjs';
import { createEdgexWs } from './ws.mjs';
import { checkPublicKey } from './stark.mjs';

const DEFAULTS = {
  v2: { makerFee: '0.00015', takerFee: '0.00038' },
  v1: { makerFee: '0.0002', takerFee: '0.00055' },
};

// Options a scenario may set under venues.edgex.options / venues.edgex_v1.options.
const COMMON_OPTIONS = {
  signature_clock: 'wall',      // "wall": auth timestamps and order expiry against Date.now(); "sim": the simulated clock
  auth_window_ms: 60_000,       // allowed |request timestamp - server time| (V.5: +-60 s)
  order_lookup: 'active_only',  // getOrderById/ByClientOrderId: "active_only" (finished orders only via getHistory*) or "all"
  ws_ticker_interval_ms: 1000,  // periodic ticker / fundingRate pushes
  ws_ping_interval_ms: 20_000,  // server heartbeat
  ws_ping_max_missed: 5,        // unanswered pings before the server closes the socket
  record_ws_out: false,         // also record outgoing WS messages
};
export const EDGEX_OPTIONS = {
  v2: { ...COMMON_OPTIONS, chain_id: '33431', contract_address: '0x1ae109ea449cfe0bed08bfe8911e968a49a919b1' },
  v1: { ...COMMON_OPTIONS, serve_market_data: true }, // false: the host lists markets but serves no prices or funding (V.0)
};

const V2_ACCOUNT_KEYS = ['api_key', 'api_passphrase', 'api_secret', 'signers', 'eth_address', 'client_account_id'];
const V1_ACCOUNT_KEYS = ['l2_key', 'l2_key_y', 'eth_address', 'client_account_id'];

function checkAccount(version, a) {
  const where = `account ${a.id}`;
  if (!/^[1-9][0-9]{0,18}$/.test(a.id) || BigInt(a.id) >= 1n << 63n) throw new ScenarioError(`${where}: edgeX account ids are decimal int64 strings`);
  if (a.dialect === undefined) return;
  const d = a.dialect;
  const keys = version === 'v2' ? V2_ACCOUNT_KEYS : V1_ACCOUNT_KEYS;
  for (const k of Object.keys(d)) if (!keys.includes(k)) throw new ScenarioError(`${where}.dialect: unknown key "${k}"; known: ${keys.join(', ')}`);
  const str = (k) => { if (d[k] !== undefined && (typeof d[k] !== 'string' || d[k] === '')) throw new ScenarioError(`${where}.dialect.${k} must be a non-empty string`); };
  keys.filter((k) => k !== 'signers').forEach(str);
  if (version === 'v2') {
    for (const k of ['api_key', 'api_passphrase', 'api_secret']) if (d[k] === undefined) throw new ScenarioError(`${where}.dialect.${k} is required`);
    if (!Array.isArray(d.signers) || !d.signers.every((s) => typeof s === 'string' && /^0x[0-9a-fA-F]{40}$/.test(s))) {
      throw new ScenarioError(`${where}.dialect.signers must be a list of 0x addresses (the registered order signers)`);
    }
  } else {
    const hex = /^0x[0-9a-f]{1,64}$/;
    if (!hex.test(d.l2_key ?? '') || (d.l2_key_y !== undefined && !hex.test(d.l2_key_y))) throw new ScenarioError(`${where}.dialect.l2_key (and l2_key_y) must be 0x lower-case hex`);
    if (!checkPublicKey(d.l2_key, d.l2_key_y)) throw new ScenarioError(`${where}.dialect: l2_key/l2_key_y is not a point of the Stark curve`);
  }
}

export function createEdgex(sim, log, version) {
  const name = version === 'v2' ? 'edgex' : 'edgex_v1';
  const d = DEFAULTS[version];
  const defaults = {
    fundingIntervalMs: 14_400_000, makerFee: parseDec(d.makerFee), takerFee: parseDec(d.takerFee), collateralDecimals: 6,
    firstOrderId: 1, minNotional: 0n, maxPrice: parseDec('1000000000'), maxNotional: parseDec('100000000000'),
    checkAccount: (a) => checkAccount(version, a),
    checkLoaded: (engine) => {
      buildContracts(engine, version, defaults);
      const keys = new Set();
      for (const acct of engine.accounts.values()) {
        const k = acct.dialect?.api_key;
        if (k && keys.has(k)) throw new ScenarioError(`api_key ${k} is used by two accounts`);
        if (k) keys.add(k);
      }
    },
  };
  const engine = new VenueEngine(name, sim.clock, defaults);
  const v = {
    name, version, sim, engine, options: { ...EDGEX_OPTIONS[version] }, collateral: COLLATERAL[version], createdMs: sim.clock.now(),
  };

  let cache = { markets: null, contracts: null };
  v.contracts = () => {
    if (cache.markets !== engine.markets) cache = { markets: engine.markets, contracts: buildContracts(engine, version, defaults) };
    return cache.contracts;
  };
  v.domain = () => (version === 'v2' ? { chainId: BigInt(v.options.chain_id), verifyingContract: v.options.contract_address } : null);
  v.signatureNowMs = () => (v.options.signature_clock === 'sim' ? sim.clock.now() : Date.now());
  // getServerTime answers the clock signatures are checked against, so a client that corrects
  // its clock offset with it signs timestamps the checks accept.
  v.serverTimeMs = v.signatureNowMs;
  v.accountOf = (id) => engine.accounts.get(id) ?? null;
  v.accountByApiKey = (key) => [...engine.accounts.values()].find((a) => a.dialect?.api_key === key) ?? null;

  // Version counters: per account (trade-event content.version) and per market book (depth).
  const accountVersions = new Map();
  const bookVersions = new Map();
  engine.on('account', ({ account }) => accountVersions.set(account, (accountVersions.get(account) ?? 1000) + 1));
  engine.on('book', ({ symbol }) => bookVersions.set(symbol, (bookVersions.get(symbol) ?? 1_000_000) + 1));
  v.accountVersion = (id) => accountVersions.get(id) ?? 1000;
  v.bookVersion = (sym) => { const n = bookVersions.get(sym) ?? 1_000_000; return { start: n, end: n }; };

  const rest = createVenueHttp({ venue: name, sim, router: createEdgexRouter(v), statusBody, log });
  const ws = createEdgexWs(v, log);

  v.checkOptions = (options) => {
    const known = EDGEX_OPTIONS[version];
    for (const [k, val] of Object.entries(options)) {
      if (!(k in known)) throw new Error(`${name}: unknown option "${k}"; known: ${Object.keys(known).join(', ')}`);
      if (typeof val !== typeof known[k]) throw new Error(`${name}: option "${k}" must be a ${typeof known[k]}`);
      if (typeof val === 'number' && !(Number.isSafeInteger(val) && val > 0)) throw new Error(`${name}: option "${k}" must be a positive integer`);
    }
    if (options.signature_clock !== undefined && !['wall', 'sim'].includes(options.signature_clock)) throw new Error(`${name}: signature_clock must be "wall" or "sim"`);
    if (options.order_lookup !== undefined && !['active_only', 'all'].includes(options.order_lookup)) throw new Error(`${name}: order_lookup must be "active_only" or "all"`);
    if (options.chain_id !== undefined && !/^([1-9][0-9]{0,18}|0x[0-9a-fA-F]{1,16})$/.test(options.chain_id)) throw new Error(`${name}: chain_id must be a decimal or 0x-hex integer string`);
    if (options.contract_address !== undefined && !/^0x[0-9a-fA-F]{40}$/.test(options.contract_address)) throw new Error(`${name}: contract_address must be a 0x address`);
  };
  v.configure = (options = {}) => {
    v.checkOptions(options);
    v.options = { ...EDGEX_OPTIONS[version], ...options };
    ws.restartTimers();
  };
  v.start = async () => {
    const restPort = await rest.listen();
    const wsPort = await ws.listen();
    const host = `http://127.0.0.1:${restPort}`;
    const wsBase = `ws://127.0.0.1:${wsPort}`;
    return {
      host, rest: `${host}/api/${version}`, ws: wsBase,
      public_ws: `${wsBase}/api/v1/public/ws`, private_ws: `${wsBase}/api/v1/private/ws`,
    };
  };
  v.dropWs = () => ws.dropAll();
  v.wsConnections = () => ws.connections();
  v.close = () => { rest.close(); ws.close(); };
  return v;
}
