// edgeX REST dialect router, v1 (/api/v1) or v2 (/api/v2): public GETs, authenticated private GETs
// and POSTs (auth.mjs), the envelope on every answer, and the processing-level faults (reject,
// partial_fill, stale, timeout_after_accept); transport faults are applied by lib/venue_http.mjs.
import { parseExact, JsonSyntaxError } from '../../lib/json_exact.mjs';
import { envelope, errorAnswer, REJECT_KINDS } from './errors.mjs';
import { renderQuery, renderValue, RenderError } from './render.mjs';
import { authenticate } from './auth.mjs';
import { publicRoutes, accountRoutes } from './rest_reads.mjs';
import * as trading from './trading.mjs';

const WRITES = {
  'order/createOrder': (v, b, a, o) => trading.createOrder(v, b, a, o),
  'order/cancelOrderById': (v, b, a) => trading.cancelById(v, b, a),
  'order/cancelOrderByClientOrderId': (v, b, a) => trading.cancelByClientId(v, b, a),
  'order/cancelAllOrder': (v, b, a) => trading.cancelAll(v, b, a),
  'account/updateLeverageSetting': (v, b, a) => trading.updateLeverage(v, b, a),
  'order/getMaxCreateOrderSize': (v, b, a) => trading.maxCreateOrderSize(v, b, a),
};
const V2_WRITES = { 'account/setMarginMode': (v, b, a, o) => trading.setMarginMode(v, b, a, o) };
// POSTs that only read: no timeout_after_accept (nothing was accepted).
const READ_ONLY_POSTS = new Set(['order/getMaxCreateOrderSize']);

export function createEdgexRouter(v) {
  const prefix = v.version === 'v2' ? '/api/v2' : '/api/v1';
  const pub = publicRoutes(v);
  const priv = accountRoutes(v);
  const writes = { ...WRITES, ...(v.version === 'v2' ? V2_WRITES : {}) };
  const staleCache = new Map();

  const answer = (request, data) => ({ status: 200, json: envelope('SUCCESS', data, null, null, request.simMs, v.engine.now()) });
  const refuse = (request, e) => errorAnswer(e.kind, { msg: e.msg, errorParam: e.errorParam ?? null, requestMs: request.simMs, responseMs: v.engine.now() });

  function endpointOf(path) {
    if (!path.startsWith(`${prefix}/`)) return null;
    const rest = path.slice(prefix.length + 1);
    const m = /^(public|private)\/(.+)$/.exec(rest);
    return m ? { scope: m[1], name: m[2] } : null;
  }

  // Authenticates a private call and records the outcome on the request log entry.
  function auth(request, rendered, accountId) {
    const r = authenticate(
      { version: v.version, method: request.method, path: request.path, headers: request.headers, rendered, accountId },
      { nowMs: v.signatureNowMs(), windowMs: v.options.auth_window_ms, accountByApiKey: v.accountByApiKey, account: v.accountOf },
    );
    request.entry.verified = r.ok ? { ok: true, auth: v.version === 'v2' ? 'hmac' : 'stark', account: r.account.id } : { ok: false, reason: r.reason, detail: r.msg };
    return r;
  }

  function injectedReject(request) {
    const f = request.takeFault(['reject']);
    if (!f) return null;
    const kind = f.error ?? 'insufficient_funds';
    if (!REJECT_KINDS.includes(kind)) return { status: 500, text: `unknown reject kind ${kind}; known: ${REJECT_KINDS.join(', ')}` };
    return refuse(request, { kind, msg: f.message });
  }

  function get(request, ep) {
    const table = ep.scope === 'public' ? pub : priv;
    const handler = table[ep.name];
    if (!handler) return refuse(request, { kind: 'not_found', msg: `no such endpoint ${request.path}` });
    let q;
    try {
      q = renderQuery(request.rawQuery, { strict: ep.scope === 'private' });
    } catch (e) {
      if (e instanceof RenderError) return refuse(request, { kind: e.kind, msg: e.message });
      throw e;
    }
    let acct = null;
    if (ep.scope === 'private') {
      const a = auth(request, q.rendered, q.params.get('accountId'));
      if (!a.ok) return refuse(request, a);
      if (!q.params.has('accountId')) return refuse(request, { kind: 'invalid_parameter', msg: 'accountId is required', errorParam: { field: 'accountId' } });
      acct = a.account;
      const rej = injectedReject(request);
      if (rej) return rej;
    }
    const key = `${request.path}?${request.rawQuery}`;
    const stale = request.takeFault(['stale']);
    if (stale && staleCache.has(key)) return staleCache.get(key);
    const r = handler(q.params, acct);
    if (r.error) return refuse(request, r.error);
    let out = answer(request, r.data);
    if (stale) out = shiftTimes(out, stale.age_ms ?? 60_000);
    else staleCache.set(key, out);
    return out;
  }

  function post(request, ep) {
    const handler = ep.scope === 'private' ? writes[ep.name] : null;
    if (!handler) return refuse(request, { kind: 'not_found', msg: `no such endpoint POST ${request.path}` });
    if (request.parseError) return refuse(request, { kind: 'invalid_parameter', msg: `body is not valid JSON: ${request.parseError}` });
    const body = request.parsed;
    if (!body || typeof body !== 'object' || Array.isArray(body)) return refuse(request, { kind: 'invalid_parameter', msg: 'body must be a JSON object' });
    let rendered;
    try { rendered = renderValue(body); } catch (e) {
      if (e instanceof RenderError) return refuse(request, { kind: e.kind, msg: e.message });
      throw e;
    }
    const a = auth(request, rendered, typeof body.accountId === 'string' ? body.accountId : undefined);
    if (!a.ok) return refuse(request, a);
    if (typeof body.accountId !== 'string') return refuse(request, { kind: 'invalid_parameter', msg: 'accountId is required (a string)', errorParam: { field: 'accountId' } });
    const rej = injectedReject(request);
    if (rej) return rej;
    const res = handler(v, body, a.account, { nowMs: v.signatureNowMs(), partialFill: request.takeFault(['partial_fill']) });
    if (res.order) request.entry.order_id = Number(res.order.id);
    if (!res.ok) request.entry.refused = { kind: res.kind, reason: res.reason ?? null, msg: res.msg };
    const out = res.ok ? answer(request, res.data) : refuse(request, res);
    if (READ_ONLY_POSTS.has(ep.name)) return out;
    const f = request.takeFault(['timeout_after_accept']);
    return f ? { hang: true, hangMs: f.hang_ms } : out;
  }

  return {
    classify(request) {
      request.simMs = v.engine.now();
      const ep = endpointOf(request.path);
      let account;
      let contractId;
      if (request.method === 'POST') {
        try { request.parsed = parseExact(request.bodyText); } catch (e) {
          if (!(e instanceof JsonSyntaxError)) throw e;
          request.parseError = e.message;
        }
        const p = request.parsed;
        if (p && typeof p === 'object') {
          if (typeof p.accountId === 'string') account = p.accountId;
          if (typeof p.contractId === 'string') contractId = p.contractId;
        }
      } else {
        account = request.query.get('accountId') ?? undefined;
        contractId = request.query.get('contractId') ?? undefined;
      }
      const op = ep ? ep.name.split('/').pop() : undefined;
      const symbol = contractId ? v.contracts().byId.get(contractId)?.symbol : undefined;
      return { op, account, symbol, record: { op } };
    },
    async route(request) {
      const ep = endpointOf(request.path);
      if (!ep) return refuse(request, { kind: 'not_found', msg: `no such endpoint ${request.path}` });
      if (request.method === 'GET') return get(request, ep);
      if (request.method === 'POST') {
        // v2 also takes getHistoryOrderPage as POST with the filters in a JSON body.
        if (ep.name === 'order/getHistoryOrderPage' && v.version === 'v2') return refuse(request, { kind: 'not_simulated', msg: 'POST getHistoryOrderPage is not simulated; use GET' });
        return post(request, ep);
      }
      return { status: 405, text: 'Method Not Allowed' };
    },
  };
}

// Stale data with nothing cached yet: the current answer with every millisecond timestamp moved back.
function shiftTimes(answer, ageMs) {
  const walk = (x, key) => {
    if (Array.isArray(x)) return x.map((e) => walk(e, key));
    if (x && typeof x === 'object') {
      const o = {};
      for (const [k, e] of Object.entries(x)) o[k] = walk(e, k);
      return o;
    }
    if (typeof x === 'string' && /(Time|Timestamp|timeMillis)$/.test(key ?? '') && /^[1-9][0-9]{11,}$/.test(x)) return String(Number(x) - ageMs);
    return x;
  };
  return { ...answer, json: walk(answer.json) };
}
