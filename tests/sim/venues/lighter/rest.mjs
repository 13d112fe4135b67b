// Lighter REST dialect (specs/lighter.md §3): public market data, account reads (private ones
// behind an auth token), nonce and API-key lookups, and the two POST endpoints sendTx and
// sendTxBatch with their form fields. Every answer carries "code" (200 = OK); failures are HTTP
// 400 with a business code (errors.mjs).
import { createHash } from 'node:crypto';
import { parseExact, JsonSyntaxError, JsonNumber } from '../../lib/json_exact.mjs';
import { CODES, codeError } from './errors.mjs';
import { verifyAuthToken, apiKeysOf, verifyTx } from './verify.mjs';
import { processTx, nextNonce, marketById } from './trading.mjs';
import * as shape from './shapes.mjs';

const OK = (body) => ({ status: 200, json: { code: 200, ...body } });
const badParam = (what) => codeError(CODES.INVALID_PARAM, what);
const RATELIMIT_MESSAGE = '{"ratelimit": "didn\'t use volume quota"}';

export const TX_OPS = { 8: 'change_pub_key', 14: 'create_order', 15: 'cancel_order', 16: 'cancel_all_orders', 17: 'modify_order', 20: 'update_leverage' };

export function l1Address(id) {
  return `0x${createHash('sha256').update(`hedge-sim/lighter/${id}`).digest('hex').slice(0, 40)}`;
}

// Query integers: decimal digits only (the venue rejects anything else as an invalid param).
function intParam(q, name, { required = false, min = -Infinity, max = Infinity, dflt } = {}) {
  const raw = q.get(name);
  if (raw === null || raw === '') {
    if (required) return { error: badParam(name) };
    return { value: dflt };
  }
  if (!/^-?[0-9]{1,19}$/.test(raw)) return { error: badParam(name) };
  const v = Number(raw);
  if (!Number.isSafeInteger(v) || v < min || v > max) return { error: badParam(name) };
  return { value: v };
}

// Parses an application/x-www-form-urlencoded body; duplicate fields are refused.
export function parseForm(text) {
  const out = Object.create(null);
  for (const part of text.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const k = decodeURIComponent((eq < 0 ? part : part.slice(0, eq)).replace(/\+/g, ' '));
    const v = eq < 0 ? '' : decodeURIComponent(part.slice(eq + 1).replace(/\+/g, ' '));
    if (k in out) throw new Error(`duplicate form field ${k}`);
    out[k] = v;
  }
  return out;
}

const encodeCursor = (n) => Buffer.from(JSON.stringify({ index: n })).toString('base64');
function decodeCursor(text) {
  try {
    const v = JSON.parse(Buffer.from(text, 'base64').toString('utf8'));
    return Number.isSafeInteger(v.index) && v.index >= 0 ? v.index : null;
  } catch { return null; }
}

export function createLighterRouter(venue) {
  const { engine, sim } = venue;
  const staleCache = new Map();
  const signatureNow = () => (venue.options.signature_clock === 'sim' ? sim.clock.now() : Date.now());

  function marketParam(q, { required = false } = {}) {
    const id = intParam(q, 'market_id', { required, min: 0, max: 65535 });
    if (id.error) return id;
    if (id.value === undefined || id.value === 255) return { markets: [...engine.markets.values()] };
    try { return { markets: [marketById(engine, id.value)] }; } catch { return { error: codeError(CODES.INVALID_MARKET, `market ${id.value}`) }; }
  }

  function accountParam(q, name = 'account_index') {
    const a = intParam(q, name, { required: true, min: 0 });
    if (a.error) return a;
    const id = String(a.value);
    if (!engine.accounts.has(id)) return { error: codeError(CODES.ACCOUNT_NOT_FOUND, `account ${id}`) };
    return { id };
  }

  // Private reads: the auth token (Authorization header, or the auth query parameter) must be
  // valid and for the account asked about.
  function privateAccount(request) {
    const a = accountParam(request.query);
    if (a.error) return a;
    const token = request.headers.authorization ?? request.query.get('auth') ?? '';
    const v = verifyAuthToken(venue, token, a.id, signatureNow());
    request.entry.verified = v.ok ? { ok: true, type: 'auth_token', api_key: v.apiKey } : { ok: false, reason: v.reason, detail: v.detail };
    if (!v.ok) return { error: codeError(v.code, v.detail) };
    return a;
  }

  const GET = {
    '/': () => OK({ status: 200, network_id: venue.options.chain_id, timestamp: Math.floor(engine.now() / 1000) }),
    '/info': () => OK({ contract_address: '0x3b4d794a66304f130a4db8f2551b0070dfcf5ca7' }),
    '/api/v1/orderBooks': (r) => {
      const m = marketParam(r.query);
      return m.error ?? OK({ order_books: m.markets.map((x) => shape.orderBookRow(venue, x)) });
    },
    '/api/v1/orderBookDetails': (r) => {
      const m = marketParam(r.query);
      return m.error ?? OK({ order_book_details: m.markets.map((x) => shape.orderBookDetails(venue, x)), spot_order_book_details: [] });
    },
    '/api/v1/orderBookOrders': (r) => {
      const m = marketParam(r.query, { required: true });
      if (m.error) return m.error;
      const limit = intParam(r.query, 'limit', { required: true, min: 1, max: 250 });
      if (limit.error) return limit.error;
      const { asks, bids } = shape.bookOrders(venue, m.markets[0], limit.value);
      return OK({ total_asks: asks.length, asks, total_bids: bids.length, bids });
    },
    '/api/v1/recentTrades': (r) => {
      const m = marketParam(r.query, { required: true });
      if (m.error) return m.error;
      const limit = intParam(r.query, 'limit', { required: true, min: 1, max: 100 });
      if (limit.error) return limit.error;
      const rows = [...engine.publicTrades.get(m.markets[0].symbol)].reverse().slice(0, limit.value).map((t) => shape.publicTradeRow(venue, t));
      return OK({ trades: rows });
    },
    '/api/v1/exchangeStats': () => {
      const rows = [...engine.markets.values()].map((m) => {
        const d = shape.orderBookDetails(venue, m);
        return { symbol: m.symbol, last_trade_price: d.last_trade_price, daily_trades_count: d.daily_trades_count, daily_base_token_volume: d.daily_base_token_volume, daily_quote_token_volume: d.daily_quote_token_volume, daily_price_change: d.daily_price_change };
      });
      const total = rows.reduce((s, x) => s + x.daily_quote_token_volume, 0);
      return OK({ total: rows.length, order_book_stats: rows, daily_usd_volume: total, daily_trades_count: rows.reduce((s, x) => s + x.daily_trades_count, 0) });
    },
    '/api/v1/funding-rates': () => OK({ funding_rates: shape.fundingRatesTable(venue, engine.now()) }),
    '/api/v1/fundings': (r) => {
      const q = r.query;
      const m = marketParam(q, { required: true });
      if (m.error) return m.error;
      const res = q.get('resolution');
      if (res !== '1h' && res !== '1d') return badParam('resolution');
      const params = {};
      for (const name of ['start_timestamp', 'end_timestamp', 'count_back']) {
        const p = intParam(q, name, { required: true, min: 0, max: 5e12 });
        if (p.error) return p.error;
        params[name] = p.value;
      }
      // Seconds, or milliseconds when the value is that large (§3.5: both are seen).
      const toMs = (t) => (t > 1e11 ? t : t * 1000);
      const from = toMs(params.start_timestamp);
      const to = toMs(params.end_timestamp);
      const market = m.markets[0];
      let rows = engine.fundingRates.get(market.symbol).filter((x) => x.at >= from && x.at <= to);
      if (res === '1d') rows = rows.filter((x) => x.at % 86_400_000 === 0);
      rows = rows.slice(-Math.min(params.count_back, 750));
      return OK({ resolution: res, fundings: rows.map((x) => shape.fundingRow(market, x)) });
    },
    '/api/v1/account': (r) => {
      const by = r.query.get('by');
      const value = r.query.get('value');
      if (by !== 'index' && by !== 'l1_address') return badParam('by');
      if (!value) return badParam('value');
      const ids = by === 'index' ? (engine.accounts.has(value) ? [value] : [])
        : [...engine.accounts.keys()].filter((id) => l1Address(id) === value.toLowerCase());
      if (!ids.length) return codeError(CODES.ACCOUNT_NOT_FOUND, `account ${value}`);
      const accounts = ids.map((id) => shape.accountPayload(venue, id));
      if (r.query.get('active_only') === 'true') for (const a of accounts) a.positions = a.positions.filter((p) => p.position !== shape.sz(engine.markets.get(p.symbol), 0n));
      return OK({ total: accounts.length, accounts });
    },
    '/api/v1/accountsByL1Address': (r) => {
      const addr = (r.query.get('l1_address') ?? '').toLowerCase();
      const subs = [...engine.accounts.keys()].filter((id) => l1Address(id) === addr).map((id) => ({ code: 0, account_type: 0, index: Number(id), l1_address: addr }));
      if (!subs.length) return codeError(CODES.ACCOUNT_NOT_FOUND, addr);
      return OK({ l1_address: addr, sub_accounts: subs });
    },
    '/api/v1/accountActiveOrders': (r) => {
      const a = privateAccount(r);
      if (a.error) return a.error;
      const m = marketParam(r.query);
      if (m.error) return m.error;
      const symbols = new Set(m.markets.map((x) => x.symbol));
      return OK({ orders: engine.openOrders(a.id).filter((o) => symbols.has(o.symbol)).map((o) => shape.orderRow(venue, o)) });
    },
    '/api/v1/accountInactiveOrders': (r) => {
      const a = privateAccount(r);
      if (a.error) return a.error;
      const m = marketParam(r.query);
      if (m.error) return m.error;
      const limit = intParam(r.query, 'limit', { required: true, min: 1, max: 100 });
      if (limit.error) return limit.error;
      let offset = 0;
      if (r.query.get('cursor')) {
        offset = decodeCursor(r.query.get('cursor'));
        if (offset === null) return badParam('cursor');
      }
      const symbols = new Set(m.markets.map((x) => x.symbol));
      const rows = [...engine.orders.values()]
        .filter((o) => o.account === a.id && symbols.has(o.symbol) && !engine.openOrderIds.has(o.id))
        .sort((x, y) => y.updatedAt - x.updatedAt || y.id - x.id);
      const page = rows.slice(offset, offset + limit.value).map((o) => shape.orderRow(venue, o));
      return OK({ next_cursor: offset + limit.value < rows.length ? encodeCursor(offset + limit.value) : '', orders: page });
    },
    '/api/v1/accountOrders': (r) => {
      const a = privateAccount(r);
      if (a.error) return a.error;
      const raw = r.query.get('client_order_indexes') ?? '';
      const ids = raw.split(',').filter(Boolean);
      if (!ids.length || ids.length > 20 || !ids.every((x) => /^[0-9]{1,15}$/.test(x))) return badParam('client_order_indexes');
      const wanted = new Set(ids.map(Number));
      // The newest order per client order index (an index may be reused once its order is gone).
      const latest = new Map();
      for (const o of engine.orders.values()) {
        if (o.account === a.id && o.lx && wanted.has(o.lx.clientIndex)) latest.set(o.lx.clientIndex, o);
      }
      return OK({ orders: [...latest.values()].map((o) => shape.orderRow(venue, o)) });
    },
    '/api/v1/trades': (r) => {
      const a = privateAccount(r);
      if (a.error) return a.error;
      const m = marketParam(r.query);
      if (m.error) return m.error;
      const limit = intParam(r.query, 'limit', { required: true, min: 1, max: 100 });
      if (limit.error) return limit.error;
      const symbols = new Set(m.markets.map((x) => x.symbol));
      const rows = engine.trades.filter((t) => t.account === a.id && symbols.has(t.symbol)).reverse();
      return OK({ next_cursor: '', trades: rows.slice(0, limit.value).map((t) => shape.tradeRow(venue, t)) });
    },
    '/api/v1/positionFunding': (r) => {
      const a = privateAccount(r);
      if (a.error) return a.error;
      const limit = intParam(r.query, 'limit', { required: true, min: 1, max: 100 });
      if (limit.error) return limit.error;
      const rows = engine.fundingPayments.filter((p) => p.account === a.id).reverse().slice(0, limit.value).map((p) => {
        const m = engine.markets.get(p.symbol);
        return {
          timestamp: Math.floor(p.at / 1000), market_id: shape.marketId(m), funding_id: p.historyId, change: shape.usdc(p.payout),
          rate: shape.renderRate(p.rate < 0n ? -p.rate : p.rate, 'percent_per_hour'), position_size: shape.sz(m, p.size),
          position_side: p.side === 'buy' ? 'long' : 'short', discount: '0.000000',
        };
      });
      return OK({ position_fundings: rows, next_cursor: '' });
    },
    '/api/v1/nextNonce': (r) => {
      const a = accountParam(r.query);
      if (a.error) return a.error;
      const k = intParam(r.query, 'api_key_index', { required: true, min: 0, max: 254 });
      if (k.error) return k.error;
      return OK({ nonce: Number(nextNonce(venue, a.id, k.value)) });
    },
    '/api/v1/apikeys': (r) => {
      const a = accountParam(r.query);
      if (a.error) return a.error;
      const k = intParam(r.query, 'api_key_index', { min: 0, max: 255, dflt: 255 });
      if (k.error) return k.error;
      const keys = apiKeysOf(engine, a.id).filter((x) => k.value === 255 || x.index === k.value).map((x) => ({
        account_index: Number(a.id), api_key_index: x.index, nonce: Number(nextNonce(venue, a.id, x.index)), public_key: x.publicKey, transaction_time: 0,
      }));
      return OK({ api_keys: keys });
    },
    '/api/v1/tx': (r) => {
      if (r.query.get('by') !== 'hash') return badParam('by');
      const rec = venue.state.txs.get(r.query.get('value') ?? '');
      if (!rec) return codeError(CODES.INVALID_PARAM, 'tx not found');
      return OK(rec);
    },
  };

  function afterAccept(request, answer) {
    const f = request.takeFault(['timeout_after_accept']);
    return f ? { hang: true, hangMs: f.hang_ms } : answer;
  }

  function txContext(request) {
    return {
      signatureNowMs: signatureNow(), simNowMs: engine.now(),
      take: (types) => request.takeFault(types),
    };
  }

  // The request log's `verified`: ok means the signature checked out (the tx may still have been
  // refused for its nonce or a business rule, given in reason/code).
  function recordVerification(request, r) {
    if (r.ok) request.entry.verified = { ok: true, type: TX_OPS[r.v.tx.type], hash: r.hash, nonce: Number(r.v.tx.fields.Nonce) };
    else request.entry.verified = { ok: Boolean(r.v), reason: r.reason, detail: r.detail, code: r.error.json?.code, nonce: r.v ? Number(r.v.tx.fields.Nonce) : undefined };
  }

  function sendTx(request, form) {
    const t = /^[0-9]{1,3}$/.test(form.tx_type ?? '') ? Number(form.tx_type) : null;
    if (t === null || typeof form.tx_info !== 'string') return badParam(t === null ? 'tx_type' : 'tx_info');
    if (form.price_protection !== undefined && !['true', 'false'].includes(form.price_protection)) return badParam('price_protection');
    const r = processTx(venue, t, form.tx_info, txContext(request));
    recordVerification(request, r);
    if (r.ok && r.result.order) request.entry.order_id = r.result.order.id;
    if (!r.ok) return r.error;
    return afterAccept(request, OK({ message: RATELIMIT_MESSAGE, tx_hash: r.hash, predicted_execution_time_ms: engine.now() + 1, volume_quota_remaining: 0 }));
  }

  // A batch (§3.11): up to 50 txs of one account and API key with strictly increasing nonces.
  // Every signature is checked before anything executes; the txs then run in order, and the first
  // failure stops the batch (the txs before it stay executed, as their nonces are consumed).
  function sendTxBatch(request, form) {
    let types;
    let infos;
    try {
      types = parseExact(form.tx_types ?? '');
      infos = parseExact(form.tx_infos ?? '');
    } catch (e) {
      if (e instanceof JsonSyntaxError) return badParam(`tx_types / tx_infos: ${e.message}`);
      throw e;
    }
    if (!Array.isArray(types) || !Array.isArray(infos) || types.length !== infos.length || types.length === 0) return badParam('tx_types / tx_infos');
    if (types.length > 50) return codeError(CODES.BATCH_TOO_LARGE);
    if (!types.every((x) => x instanceof JsonNumber && x.isInteger) || !infos.every((x) => typeof x === 'string')) return badParam('tx_types / tx_infos');
    const hashes = [];
    let owner = null;
    let last = null;
    const ctx = txContext(request);
    // Pre-check: parse, signatures, one account/key, increasing nonces.
    for (let i = 0; i < types.length; i++) {
      const v = verifyTx(venue, Number(types[i].raw), infos[i], ctx.signatureNowMs);
      if (!v.ok) { request.entry.verified = { ok: false, reason: v.reason, detail: `tx ${i}: ${v.detail}` }; return codeError(v.code, `tx ${i}: ${v.detail}`); }
      const who = `${v.account}:${v.apiKey}`;
      if (owner !== null && who !== owner) return codeError(CODES.BATCH_MIXED_ACCOUNTS);
      owner = who;
      if (last !== null && v.tx.fields.Nonce <= last) return codeError(CODES.BATCH_NONCE_NOT_INCREASING);
      last = v.tx.fields.Nonce;
    }
    for (let i = 0; i < types.length; i++) {
      const r = processTx(venue, Number(types[i].raw), infos[i], ctx);
      if (!r.ok) {
        request.entry.verified = { ok: r.reason !== 'bad_signature', reason: r.reason, detail: `tx ${i}: ${r.detail ?? ''}`, executed: i };
        return { ...r.error, json: { ...r.error.json, message: `${r.error.json.message} (tx ${i} of the batch; ${i} executed)` } };
      }
      hashes.push(r.hash);
    }
    request.entry.verified = { ok: true, type: 'send_tx_batch', count: hashes.length };
    return afterAccept(request, OK({ message: RATELIMIT_MESSAGE, tx_hash: hashes, predicted_execution_time_ms: engine.now() + 1, volume_quota_remaining: 0 }));
  }

  function post(request) {
    let form;
    try { form = parseForm(request.bodyText); } catch (e) { return badParam(e.message); }
    if (request.path === '/api/v1/sendTx') return sendTx(request, form);
    if (request.path === '/api/v1/sendTxBatch') return sendTxBatch(request, form);
    return { status: 404, json: { code: 404, message: 'not found' } };
  }

  return {
    classify(request) {
      const q = request.query;
      if (request.method !== 'POST') return { op: null, account: q.get('account_index') ?? q.get('value') ?? undefined };
      let op = request.path === '/api/v1/sendTxBatch' ? 'send_tx_batch' : 'send_tx';
      let account;
      let symbol;
      try {
        const form = parseForm(request.bodyText);
        if (form.tx_type && TX_OPS[form.tx_type]) op = TX_OPS[form.tx_type];
        const info = JSON.parse(form.tx_info ?? 'null');
        if (info && typeof info === 'object') {
          if (info.AccountIndex !== undefined) account = String(info.AccountIndex);
          if (Number.isInteger(info.MarketIndex)) { try { symbol = marketById(engine, info.MarketIndex).symbol; } catch { /* unknown market */ } }
        }
      } catch { /* malformed bodies are answered by the router */ }
      return { op, account, symbol, record: { op } };
    },
    async route(request) {
      request.headers = request.entry.headers ?? {};
      if (request.method === 'POST') return post(request);
      if (request.method !== 'GET') return { status: 405, json: { code: 405, message: 'method not allowed' } };
      const handler = GET[request.path];
      if (!handler) return { status: 404, json: { code: 404, message: 'not found' } };
      const key = `${request.path}?${request.query}`;
      const stale = request.takeFault(['stale']);
      if (stale && staleCache.has(key)) return staleCache.get(key);
      const answer = handler(request);
      if (answer.status === 200) staleCache.set(key, answer);
      return answer;
    },
  };
}
