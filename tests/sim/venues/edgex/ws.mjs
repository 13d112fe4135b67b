// edgeX WebSocket dialect (specs/edgex.md §5, V.9) on one port, like the venue's quote host:
//   /api/v1/public/ws   subscribe/unsubscribe {"type":"subscribe","channel":...} -> "subscribed";
//                       pushes {"type":"quote-event" (v2) | "payload" (v1),"channel",
//                       "content":{"dataType":"Snapshot"|"Changed","channel","data":[...]}};
//                       channels ticker.<id>, ticker.all, ticker.all.1s, depth.<id>.<15|200>,
//                       trades.<id>, metadata, and on v2 fundingRate.<id>, fundingRate.all.
//   /api/v1/private/ws  the upgrade is authenticated like a private GET (v2: accountId and
//                       timestamp in the query, the four headers or their base64 JSON in
//                       Sec-WebSocket-Protocol; v1: the two Stark headers); then "connected", a
//                       trade-event Snapshot and trade-event updates (ws_account.mjs).
// Heartbeat: JSON {"type":"ping","time"} from the server every ws_ping_interval_ms, answered by
// {"type":"pong","time"}; after ws_ping_max_missed unanswered pings the server closes. A client
// ping is answered with a pong echoing its time.
// Depth: first a SNAPSHOT of the level count, then CHANGED messages carrying only the levels
// whose size changed, with the new ABSOLUTE size ("0" = level removed). Each message covers
// versions startVersion..endVersion of the market's book, and startVersion is always the previous
// message's endVersion + 1 on that connection, so a swallowed message (ws_gap) shows as a gap.
import { randomBytes } from 'node:crypto';
import { createVenueWs } from '../../lib/venue_ws.mjs';
import { renderQuery, RenderError } from './render.mjs';
import { authenticate } from './auth.mjs';
import { errorAnswer } from './errors.mjs';
import * as shape from './shapes.mjs';
import { priceText, sizeText } from './meta.mjs';
import { createAccountStream } from './ws_account.mjs';

const PUBLIC = '/api/v1/public/ws';
const PRIVATE = '/api/v1/private/ws';

export function createEdgexWs(v, log) {
  const { engine, sim } = v;
  const pushType = v.version === 'v2' ? 'quote-event' : 'payload';
  const dataOff = () => v.version === 'v1' && !v.options.serve_market_data;
  let account = null;

  // The private upgrade: the auth headers, or (browsers) their JSON in Sec-WebSocket-Protocol.
  function authorizePrivate(req, url) {
    const headers = { ...req.headers };
    const proto = req.headers['sec-websocket-protocol'];
    if (proto && !headers['x-edgex-signature'] && !headers['x-edgex-api-signature']) {
      try {
        const obj = JSON.parse(Buffer.from(proto.split(',')[0].trim(), 'base64').toString('utf8'));
        for (const [k, val] of Object.entries(obj)) headers[k.toLowerCase()] = String(val);
      } catch { /* not the auth form: the header check below names what is missing */ }
    }
    const refuse = (kind, msg, reason) => {
      const e = errorAnswer(kind, { msg, requestMs: engine.now(), responseMs: engine.now() });
      return { ok: false, status: e.status === 200 ? 400 : e.status, body: e.json, reason, detail: msg };
    };
    let q;
    try { q = renderQuery(url.search.slice(1), { strict: true }); } catch (e) {
      if (e instanceof RenderError) return refuse(e.kind, e.message, 'params');
      throw e;
    }
    const accountId = q.params.get('accountId');
    if (!accountId) return refuse('invalid_parameter', 'accountId is required in the query', 'no_account');
    if (v.version === 'v2' && q.params.get('timestamp') !== headers['x-edgex-timestamp']) {
      return refuse('invalid_parameter', 'the query timestamp must equal X-edgeX-Timestamp', 'timestamp_mismatch');
    }
    const a = authenticate(
      { version: v.version, method: 'GET', path: PRIVATE, headers, rendered: q.rendered, accountId },
      { nowMs: v.signatureNowMs(), windowMs: v.options.auth_window_ms, accountByApiKey: v.accountByApiKey, account: v.accountOf },
    );
    if (!a.ok) return refuse(a.kind, a.msg, a.reason);
    return { ok: true, info: { account: a.account.id }, record: { auth: v.version === 'v2' ? 'hmac' : 'stark', account: a.account.id } };
  }

  const ws = createVenueWs({
    venue: v.name, sim, log, recordOut: () => v.options.record_ws_out,
    paths: { [PUBLIC]: {}, [PRIVATE]: { authorize: authorizePrivate } },
    onOpen(conn) {
      conn.missed = 0;
      conn.lastEnd = new Map(); // depth channel -> { end, levels }
      if (v.version === 'v2') ws.send(conn, { type: 'connected', sid: randomBytes(8).toString('hex') });
      if (conn.path === PRIVATE) account.open(conn);
    },
    onMessage,
    onClose(conn) { if (conn.path === PRIVATE) account.close(conn); },
  });
  account = createAccountStream(v, ws);

  // ---- channels -------------------------------------------------------------------------------
  // Parses a channel name -> { kind, contract?, level? } or { error: {code, msg} }.
  function parseChannel(ch) {
    if (typeof ch !== 'string') return { error: { code: 'INVALID_CHANNEL', msg: 'channel must be a string' } };
    if (ch === 'ticker.all' || ch === 'ticker.all.1s') return { kind: 'ticker_all' };
    if (ch === 'metadata') return { kind: 'metadata' };
    if (ch === 'fundingRate.all' && v.version === 'v2') return { kind: 'funding_all' };
    if (/^kline\./.test(ch)) return { error: { code: 'NOT_SIMULATED', msg: 'kline channels are not simulated' } };
    const m = /^(ticker|trades|fundingRate|depth)\.([0-9]+)(?:\.([0-9]+))?$/.exec(ch);
    if (!m || (m[1] === 'depth') !== (m[3] !== undefined) || (m[1] === 'fundingRate' && v.version !== 'v2')) {
      return { error: { code: 'INVALID_CHANNEL', msg: `unknown channel ${ch}` } };
    }
    const c = v.contracts().byId.get(m[2]);
    if (!c) return { error: { code: 'INVALID_CONTRACT_ID', msg: `contract ${m[2]} does not exist` } };
    if (m[1] === 'depth' && m[3] !== '15' && m[3] !== '200') return { error: { code: 'INVALID_CHANNEL', msg: 'depth level must be 15 or 200' } };
    return { kind: { ticker: 'ticker', trades: 'trades', fundingRate: 'funding', depth: 'depth' }[m[1]], contract: c, level: m[3] ? Number(m[3]) : null };
  }

  const tickerRecord = (c, now) => {
    const m = engine.markets.get(c.symbol);
    const t = shape.ticker(v, m, c, now);
    return v.version === 'v2' ? { ...t, ...shape.tickerV2Extras(v, m, now) } : t;
  };
  const levelsOf = (c, level) => {
    const m = engine.markets.get(c.symbol);
    const lv = engine.books.get(c.symbol).levels(level);
    const row = (l) => [priceText(c, m, l.price), sizeText(m, l.size)];
    return { bids: lv.bids.map(row), asks: lv.asks.map(row) };
  };

  // Data of one push for a subscription, or null when there is nothing to send.
  function payload(conn, ch, sub, snapshot) {
    const now = engine.now();
    const c = sub.contract;
    switch (sub.kind) {
      case 'metadata': return snapshot ? [shape.metadata(v)] : null;
      case 'ticker_all': return dataOff() ? null : [...v.contracts().bySymbol.values()].map((x) => tickerRecord(x, now));
      case 'ticker': return dataOff() ? null : [tickerRecord(c, now)];
      case 'funding_all': return [...v.contracts().bySymbol.values()].map((x) => shape.latestFunding(v, engine.markets.get(x.symbol), x, now));
      case 'funding': return [shape.latestFunding(v, engine.markets.get(c.symbol), c, now)];
      case 'depth': return dataOff() ? null : depthPayload(conn, ch, sub, snapshot);
      default: return null;
    }
  }

  function depthPayload(conn, ch, sub, snapshot) {
    const c = sub.contract;
    const version = v.bookVersion(c.symbol).end;
    const now = levelsOf(c, sub.level);
    const last = conn.lastEnd.get(ch);
    const record = (type, bids, asks, start) => [{ startVersion: String(start), endVersion: String(version), level: sub.level, contractId: c.contractId, contractName: c.contractName, depthType: type, bids, asks }];
    if (snapshot || !last) {
      conn.lastEnd.set(ch, { end: version, levels: now });
      return record('SNAPSHOT', now.bids, now.asks, version);
    }
    const diff = (before, after) => {
      const old = new Map(before);
      const neu = new Map(after);
      const out = [];
      for (const [p, s] of after) if (old.get(p) !== s) out.push([p, s]);
      for (const [p] of before) if (!neu.has(p)) out.push([p, '0']);
      return out;
    };
    const bids = diff(last.levels.bids, now.bids);
    const asks = diff(last.levels.asks, now.asks);
    if (!bids.length && !asks.length) return null;
    const start = last.end + 1;
    conn.lastEnd.set(ch, { end: version, levels: now });
    return record('CHANGED', bids, asks, start);
  }

  function push(conn, ch, sub, snapshot = false) {
    const data = payload(conn, ch, sub, snapshot);
    if (data === null) return;
    const msg = { type: pushType, channel: ch, content: { dataType: snapshot ? 'Snapshot' : 'Changed', channel: ch, data } };
    ws.sendChannel(conn, ch, msg, { channel: ch, symbol: sub.contract?.symbol });
  }

  const listeners = {
    book: ({ symbol }) => ws.schedule((conn, ch, s) => s.kind === 'depth' && s.contract.symbol === symbol, (conn, ch, s) => push(conn, ch, s)),
    prices: ({ symbol }) => ws.schedule((conn, ch, s) => (s.kind === 'ticker' || s.kind === 'funding') && s.contract.symbol === symbol, (conn, ch, s) => push(conn, ch, s)),
    public_trade: ({ symbol, trade }) => {
      if (dataOff()) return;
      for (const conn of ws.conns) {
        for (const [ch, s] of conn.subs) {
          if (s.kind !== 'trades' || s.contract.symbol !== symbol) continue;
          const m = engine.markets.get(symbol);
          ws.sendChannel(conn, ch, { type: pushType, channel: ch, content: { dataType: 'Changed', channel: ch, data: [shape.publicTrade(m, s.contract, trade)] } }, { channel: ch, symbol });
        }
      }
    },
  };
  for (const [ev, fn] of Object.entries(listeners)) engine.on(ev, fn);

  // Periodic pushes (tickers, funding) and the heartbeat; rebuilt when the options change.
  let timers = [];
  function startTimers() {
    timers.forEach(clearInterval);
    const o = v.options;
    timers = [
      setInterval(() => ws.schedule((conn, ch, s) => ['ticker', 'ticker_all', 'funding', 'funding_all'].includes(s.kind), (conn, ch, s) => push(conn, ch, s)), o.ws_ticker_interval_ms),
      setInterval(() => {
        for (const conn of ws.conns) {
          if (conn.missed >= o.ws_ping_max_missed) { conn.ws.close(1000, 'no pong'); continue; }
          conn.missed++;
          ws.send(conn, { type: 'ping', time: String(Date.now()) });
        }
      }, o.ws_ping_interval_ms),
    ];
  }
  startTimers();

  function onMessage(conn, text, entry, take) {
    let msg = null;
    try { msg = JSON.parse(text); } catch { /* answered below */ }
    if (!msg || typeof msg !== 'object' || Array.isArray(msg)) {
      entry.error = 'not a JSON object';
      ws.send(conn, { type: 'error', content: { code: 'INVALID_MESSAGE', msg: 'messages must be JSON objects' } });
      return;
    }
    entry.op = typeof msg.type === 'string' ? msg.type : null;
    const parsed = msg.type === 'subscribe' || msg.type === 'unsubscribe' ? parseChannel(msg.channel) : {};
    const ctx = { op: entry.op, channel: msg.channel, symbol: parsed.contract?.symbol, account: conn.info.account };
    if (take(ctx, ['ws_drop'])) { conn.ws.terminate(); return; }
    const delay = take(ctx, ['delay']);
    const go = () => dispatch(conn, msg, parsed, entry, take, ctx);
    if (delay) setTimeout(go, delay.ms); else go();
  }

  function dispatch(conn, msg, parsed, entry, take, ctx) {
    if (msg.type === 'pong') { conn.missed = 0; return; }
    if (msg.type === 'ping') { ws.send(conn, { type: 'pong', time: typeof msg.time === 'string' ? msg.time : String(Date.now()) }); return; }
    if (msg.type !== 'subscribe' && msg.type !== 'unsubscribe') {
      entry.error = `unknown message type ${msg.type}`;
      ws.send(conn, { type: 'error', content: { code: 'INVALID_MESSAGE', msg: `unknown message type ${JSON.stringify(msg.type)}` } });
      return;
    }
    if (conn.path === PRIVATE) {
      ws.send(conn, { type: 'error', content: { code: 'INVALID_MESSAGE', msg: 'the private stream needs no subscription' } });
      return;
    }
    const forced = take(ctx, ['http_status']);
    if (forced) {
      ws.send(conn, { type: 'error', content: { code: forced.status === 429 ? 'RATE_LIMIT_EXCEEDED' : 'INTERNAL_ERROR', msg: `HTTP ${forced.status}` } });
      return;
    }
    if (parsed.error) {
      entry.error = parsed.error.msg;
      ws.send(conn, { type: 'error', content: parsed.error });
      return;
    }
    if (msg.type === 'unsubscribe') {
      conn.subs.delete(msg.channel);
      conn.lastEnd.delete(msg.channel);
      ws.send(conn, { type: 'unsubscribed', channel: msg.channel });
      return;
    }
    conn.subs.set(msg.channel, parsed);
    ws.send(conn, { type: 'subscribed', channel: msg.channel });
    if (parsed.kind !== 'trades') push(conn, msg.channel, parsed, true);
  }

  return {
    listen: () => ws.listen(),
    dropAll: () => ws.dropAll(),
    connections: () => ws.conns.size,
    restartTimers: startTimers,
    close() {
      timers.forEach(clearInterval);
      for (const [ev, fn] of Object.entries(listeners)) engine.off(ev, fn);
      account.stop();
      ws.close();
    },
  };
}
