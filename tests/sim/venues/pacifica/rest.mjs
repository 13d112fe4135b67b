// Pacifica REST dialect (specs/pacifica.md §4): public market data, account reads by address,
// and signed POST operations that are verified independently (verify.mjs) before they reach the
// engine. Every answer uses the venue's envelope {"success","data","error","code"} or its bare-text
// and error shapes (errors.mjs).
import { parseExact, JsonSyntaxError } from '../../lib/json_exact.mjs';
import { OPERATIONS, BATCH_ACTIONS } from './schema.mjs';
import { verifySignedBody } from './verify.mjs';
import { executeOperation } from './trading.mjs';
import { restError, REJECT_KINDS } from './errors.mjs';
import * as shape from './shapes.mjs';

const RATE_HEADERS = { ratelimit: '"credits";r=1240;t=55', 'ratelimit-policy': '"credits";q=1250;w=60' };
const ok = (data, extra = {}) => ({ status: 200, json: { success: true, data, error: null, code: null, ...extra }, headers: RATE_HEADERS });
const fail = (r) => ({ ...r, headers: { ...RATE_HEADERS, ...(r.headers ?? {}) } });
const badParam = (msg) => fail({ status: 400, text: `Failed to deserialize query string: ${msg}` });

function page(rows, query) {
  const limit = query.has('limit') ? Number(query.get('limit')) : 100;
  if (!Number.isInteger(limit) || limit < 1 || limit > 4000) return { error: badParam('limit must be an integer between 1 and 4000') };
  let offset = 0;
  if (query.has('cursor')) {
    const raw = Buffer.from(query.get('cursor'), 'base64url').toString('utf8');
    if (!/^o[0-9]+$/.test(raw)) return { error: badParam('invalid cursor') };
    offset = Number(raw.slice(1));
  }
  const slice = rows.slice(offset, offset + limit);
  const more = offset + limit < rows.length;
  return { rows: slice, extra: { next_cursor: more ? Buffer.from(`o${offset + limit}`).toString('base64url') : '', has_more: more } };
}

export function createPacificaRouter(venue) {
  const { engine, sim } = venue;
  const staleCache = new Map();

  function needAccount(query) {
    const id = query.get('account');
    if (!id) return { error: badParam('missing field `account`') };
    if (!engine.accounts.has(id)) return { error: fail({ status: 404, json: { success: false, data: null, error: 'Account not found', code: 1 } }) };
    return { id };
  }
  function needSymbol(query) {
    const sym = query.get('symbol');
    if (!sym) return { error: badParam('missing field `symbol`') };
    if (!engine.markets.has(sym)) return { error: fail({ status: 404, json: { success: false, data: null, error: `Book not found: ${sym}`, code: 2 } }) };
    return { market: engine.markets.get(sym) };
  }
  const newestFirst = (arr) => [...arr].reverse();

  const GET = {
    '/api/v1/info': () => ok([...engine.markets.values()].map((m) => shape.marketInfo(m, engine.now()))),
    '/api/v1/info/prices': () => ok([...engine.markets.values()].map((m) => shape.priceRow(engine, m, engine.now()))),
    '/api/v1/info/fees': () => ok([{ level: 0, maker_fee_rate: '0.00015', taker_fee_rate: '0.0004' }]),
    '/api/v1/book': (q) => {
      const s = needSymbol(q);
      if (s.error) return s.error;
      const agg = q.has('agg_level') ? Number(q.get('agg_level')) : 1;
      if (![1, 2, 5, 10, 100, 1000].includes(agg)) return badParam('agg_level must be one of 1, 2, 5, 10, 100, 1000');
      return ok(shape.bookPayload(engine, s.market, engine.now(), agg));
    },
    '/api/v1/trades': (q) => {
      const s = needSymbol(q);
      if (s.error) return s.error;
      const rows = newestFirst(engine.publicTrades.get(s.market.symbol)).slice(0, 100).map(shape.publicTradeRow);
      return ok(rows, { last_order_id: engine.nextOrderId - 1 });
    },
    '/api/v1/funding_rate/history': (q) => {
      const s = needSymbol(q);
      if (s.error) return s.error;
      const p = page(newestFirst(engine.fundingRates.get(s.market.symbol)).map((r) => shape.fundingRateRow(engine, s.market, r)), q);
      return p.error ?? ok(p.rows, p.extra);
    },
    '/api/v1/account': (q) => {
      const a = needAccount(q);
      return a.error ?? ok(shape.accountPayload(engine, a.id));
    },
    '/api/v1/account/settings': (q) => {
      const a = needAccount(q);
      if (a.error) return a.error;
      const rows = [...engine.accounts.get(a.id).settings.entries()].map(([symbol, s]) => ({
        symbol, isolated: Boolean(s.isolated), leverage: s.leverage, created_at: s.createdAt, updated_at: s.updatedAt,
      }));
      return ok({ auto_lend_disabled: null, margin_settings: rows, spot_settings: [] });
    },
    '/api/v1/positions': (q) => {
      const a = needAccount(q);
      return a.error ?? ok(shape.positionsPayload(engine, a.id), { last_order_id: engine.nextOrderId - 1 });
    },
    '/api/v1/orders': (q) => {
      const a = needAccount(q);
      return a.error ?? ok(engine.openOrders(a.id).map(shape.openOrderRow), { last_order_id: engine.nextOrderId - 1 });
    },
    '/api/v1/orders/history': (q) => {
      const a = needAccount(q);
      if (a.error) return a.error;
      const rows = [...engine.orders.values()].filter((o) => o.account === a.id).sort((x, y) => y.id - x.id).map(shape.orderHistoryRow);
      const p = page(rows, q);
      return p.error ?? ok(p.rows, p.extra);
    },
    '/api/v1/orders/history_by_id': (q) => {
      const raw = q.get('order_id');
      if (!raw || !/^[0-9]+$/.test(raw)) return badParam('order_id must be an integer');
      const o = engine.orders.get(Number(raw));
      if (!o) return fail({ status: 404, json: { success: false, data: null, error: 'Order not found', code: 5 } });
      return ok(shape.orderEventRows(o, o.id * 100));
    },
    '/api/v1/trades/history': (q) => {
      const a = needAccount(q);
      if (a.error) return a.error;
      const sym = q.get('symbol');
      const rows = newestFirst(engine.trades.filter((t) => t.account === a.id && (!sym || t.symbol === sym))).flatMap(shape.tradeRecords);
      const p = page(rows, q);
      return p.error ?? ok(p.rows, p.extra);
    },
    '/api/v1/funding/history': (q) => {
      const a = needAccount(q);
      if (a.error) return a.error;
      const p = page(newestFirst(engine.fundingPayments.filter((f) => f.account === a.id)).map(shape.fundingPaymentRow), q);
      return p.error ?? ok(p.rows, p.extra);
    },
  };

  const verifyNow = () => (venue.options.signature_clock === 'sim' ? sim.clock.now() : Date.now());
  const isAgentBound = (account, agent) => engine.accounts.get(account)?.agents.has(agent) ?? false;

  // Takes a "reject" fault and answers like the venue does for that business error.
  function injectedReject(request) {
    const f = request.takeFault(['reject']);
    if (!f) return null;
    const kind = f.error ?? 'insufficient_funds';
    if (!REJECT_KINDS.includes(kind)) return fail({ status: 500, text: `unknown reject kind ${kind}` });
    return fail(restError(kind, f.message));
  }

  function runSigned(request, path, body) {
    const v = verifySignedBody(path, body, { nowMs: verifyNow(), isAgentBound });
    request.entry.verified = v.ok ? { ok: true, type: v.type, signer: v.agentWallet ? 'agent' : 'account' } : { ok: false, reason: v.reason, detail: v.detail };
    if (!v.ok) return { error: fail(v.text !== undefined ? { status: v.status, text: v.text } : { status: v.status, json: v.json }) };
    return { v };
  }

  function postBatch(request, body) {
    const actions = body && body.actions;
    if (!Array.isArray(actions)) return fail({ status: 400, text: 'Failed to deserialize the JSON body into the target type: missing field `actions`' });
    if (actions.length > 10) return fail({ status: 400, text: 'Failed to deserialize the JSON body into the target type: at most 10 actions' });
    const verified = [];
    for (const [i, a] of actions.entries()) {
      const path = a && BATCH_ACTIONS[a.type];
      if (!path) return fail({ status: 400, text: `Failed to deserialize the JSON body into the target type: unknown variant \`${a && a.type}\` in actions[${i}]` });
      const r = runSigned(request, path, a.data);
      if (r.error) return r.error; // one bad signature rejects the whole batch
      verified.push(r.v);
    }
    request.entry.verified = { ok: true, type: 'batch_orders', actions: verified.length };
    const rejected = injectedReject(request);
    if (rejected) return rejected;
    const results = verified.map((v) => {
      const r = executeOperation(venue, v, { partialFill: request.takeFault(['partial_fill']) });
      if (r.ok) return r.data && r.data.order_id !== undefined ? { success: true, order_id: r.data.order_id, error: null } : { success: true };
      return { success: false, order_id: null, error: r.error.json?.error ?? r.error.text };
    });
    return ok({ results });
  }

  function post(request) {
    if (request.parseError) return fail({ status: 400, text: `Failed to parse the request body as JSON: ${request.parseError}` });
    if (request.path === '/api/v1/orders/batch') return afterAccept(request, postBatch(request, request.parsed));
    if (!OPERATIONS[request.path]) return fail({ status: 404, text: 'Not Found' });
    const r = runSigned(request, request.path, request.parsed);
    if (r.error) return r.error;
    const rejected = injectedReject(request);
    if (rejected) return rejected;
    const res = executeOperation(venue, r.v, { partialFill: request.takeFault(['partial_fill']) });
    if (res.order) request.entry.order_id = res.order.id;
    return afterAccept(request, res.ok ? ok(res.data) : fail(res.error));
  }

  function afterAccept(request, answer) {
    const f = request.takeFault(['timeout_after_accept']);
    return f ? { hang: true, hangMs: f.hang_ms } : answer;
  }

  return {
    classify(request) {
      if (request.method !== 'POST') {
        return { op: null, account: request.query.get('account') ?? undefined, symbol: request.query.get('symbol') ?? undefined };
      }
      try { request.parsed = parseExact(request.bodyText); } catch (e) {
        if (!(e instanceof JsonSyntaxError)) throw e;
        request.parseError = e.message;
      }
      const p = request.parsed;
      const op = request.path === '/api/v1/orders/batch' ? 'batch_orders' : OPERATIONS[request.path]?.type;
      const str = (v) => (typeof v === 'string' ? v : undefined);
      return { op, symbol: p ? str(p.symbol) : undefined, account: p ? str(p.account) : undefined, record: { op } };
    },
    async route(request) {
      if (request.method === 'POST') return post(request);
      if (request.method !== 'GET') return fail({ status: 405, text: 'Method Not Allowed' });
      const handler = GET[request.path];
      if (!handler) return fail({ status: 404, text: 'Not Found' });
      const key = `${request.path}?${request.query}`;
      const stale = request.takeFault(['stale']);
      if (stale && staleCache.has(key)) return staleCache.get(key);
      const answer = handler(request.query);
      if (stale) return shiftTimestamps(answer, stale.age_ms ?? 60_000);
      if (answer.status === 200) staleCache.set(key, answer);
      return answer;
    },
  };
}

// Stale data with nothing cached yet: the current payload with its timestamps moved back.
function shiftTimestamps(answer, ageMs) {
  const walk = (v) => {
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') {
      const o = {};
      for (const [k, x] of Object.entries(v)) o[k] = (k === 'timestamp' || k === 't' || k === 'updated_at') && typeof x === 'number' ? x - ageMs : walk(x);
      return o;
    }
    return v;
  };
  return { ...answer, json: walk(answer.json) };
}
