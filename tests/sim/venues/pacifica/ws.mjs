// Pacifica WebSocket dialect (specs/pacifica.md §6): JSON ping/pong, subscribe/unsubscribe with the
// documented acknowledgement (and silence for an invalid subscription), the public and account
// channels in their short-key forms, signed trading requests with {id, params}, and the 60 s idle
// timeout. Outgoing channel messages pass through the fault table (ws_drop, ws_gap, stale, delay),
// incoming messages are recorded with µs receive times.
import http from 'node:http';
import { WebSocketServer } from 'ws';
import { parseExact } from '../../lib/json_exact.mjs';
import { nowUs } from '../../engine/recorder.mjs';
import { corruptPayload } from '../../lib/corrupt.mjs';
import { WS_OPERATIONS } from './schema.mjs';
import { verifySignedBody } from './verify.mjs';
import { executeOperation } from './trading.mjs';
import { restError, REJECT_KINDS, wsCode, messageOf } from './errors.mjs';
import * as shape from './shapes.mjs';
import { refuseUpgradeWhileDown } from '../../lib/venue_ws.mjs';

const SYMBOL_CHANNELS = new Set(['book', 'bbo', 'trades', 'candle', 'mark_price_candle']);
const ACCOUNT_CHANNELS = new Set(['account_info', 'account_positions', 'account_orders', 'account_order_updates', 'account_trades', 'account_margin', 'account_leverage']);

function keyOf(p) {
  if (p.source === 'prices') return 'prices';
  if (p.source === 'book') return `book:${p.symbol}:${p.agg_level ?? 1}`;
  if (SYMBOL_CHANNELS.has(p.source)) return `${p.source}:${p.symbol}`;
  return `${p.source}:${p.account}`;
}

export function createPacificaWs(venue, log = () => {}) {
  const { engine, sim } = venue;
  const server = http.createServer((req, res) => { res.writeHead(426, { 'content-type': 'text/plain' }); res.end('Upgrade Required'); });
  const wss = new WebSocketServer({ noServer: true });
  const conns = new Set();
  let nextConn = 1;

  server.on('upgrade', (req, socket, head) => {
    if (refuseUpgradeWhileDown(sim, venue.name, socket)) return;
    const path = new URL(req.url, 'http://127.0.0.1').pathname;
    if (path !== '/ws' && path !== '/') {
      socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      return;
    }
    socket.on('error', () => {});
    wss.handleUpgrade(req, socket, head, (ws) => open(ws, req));
  });

  function open(ws, req) {
    const conn = { id: nextConn++, ws, subs: new Map(), lastMsgMs: Date.now(), prev: new Map(), pending: new Set(), flushQueued: false };
    conns.add(conn);
    sim.recorder.add({ venue: venue.name, kind: 'ws_open', conn: conn.id, path: req.url, headers: req.headers, recv_us: nowUs(), wall_ms: Date.now(), sim_ms: sim.clock.now() });
    ws.on('message', (data, isBinary) => onMessage(conn, data, isBinary, nowUs()));
    ws.on('close', (code) => {
      conns.delete(conn);
      sim.recorder.add({ venue: venue.name, kind: 'ws_close', conn: conn.id, code, recv_us: nowUs(), wall_ms: Date.now(), sim_ms: sim.clock.now() });
    });
    ws.on('error', (e) => log(`pacifica ws: ${e.message}`));
  }

  function rawSend(conn, obj, bad = null) {
    if (conn.ws.readyState !== conn.ws.OPEN) return;
    let text = JSON.stringify(obj);
    if (bad) text = corruptPayload(bad, obj, text).text;
    conn.ws.send(text);
    if (venue.options.record_ws_out) sim.recorder.add({ venue: venue.name, kind: 'ws_out', conn: conn.id, text, recv_us: nowUs(), wall_ms: Date.now() });
  }

  // Channel message through the fault table.
  function sendChannel(conn, key, channel, data, ctx = {}) {
    const msg = { channel, data };
    const f = sim.faults.take({ venue: venue.name, kind: 'ws_out', channel, ...ctx }, ['ws_drop', 'ws_gap', 'stale', 'delay', 'bad_payload']);
    if (f) sim.recorder.add({ venue: venue.name, kind: 'fault', conn: conn.id, channel, fault: f, recv_us: nowUs(), wall_ms: Date.now() });
    if (f?.type === 'ws_drop') { conn.ws.terminate(); return; }
    if (f?.type === 'ws_gap') return;
    if (f?.type === 'stale') {
      rawSend(conn, conn.prev.get(key) ?? msg);
      return;
    }
    conn.prev.set(key, msg);
    if (f?.type === 'delay') setTimeout(() => rawSend(conn, msg), f.ms);
    else rawSend(conn, msg, f?.type === 'bad_payload' ? f : null);
  }

  // Current payload of a subscription (null: nothing to send for this channel right now).
  function snapshot(p) {
    const now = engine.now();
    switch (p.source) {
      case 'prices': return [...engine.markets.values()].map((m) => shape.priceRow(engine, m, now));
      case 'book': return shape.bookPayload(engine, engine.markets.get(p.symbol), now, p.agg_level ?? 1);
      case 'bbo': return shape.bboPayload(engine, engine.markets.get(p.symbol), now);
      case 'account_info': return shape.accountWs(engine, p.account, now);
      case 'account_positions': return shape.positionsWs(engine, p.account, now);
      case 'account_orders': return engine.openOrders(p.account).map(shape.openOrderWs);
      default: return null;
    }
  }

  function push(conn, key) {
    const p = conn.subs.get(key);
    if (!p) return;
    const data = snapshot(p);
    if (data !== null) sendChannel(conn, key, p.source, data, { symbol: p.symbol, account: p.account });
  }

  // Coalesces bursts of engine events into one message per subscription per turn of the loop.
  function schedule(pred) {
    for (const conn of conns) {
      for (const [key, p] of conn.subs) if (pred(p)) conn.pending.add(key);
      if (conn.pending.size && !conn.flushQueued) {
        conn.flushQueued = true;
        setImmediate(() => {
          conn.flushQueued = false;
          const keys = [...conn.pending];
          conn.pending.clear();
          for (const k of keys) push(conn, k);
        });
      }
    }
  }

  function direct(pred, channel, dataFn, ctx) {
    for (const conn of conns) {
      for (const [key, p] of conn.subs) if (pred(p)) sendChannel(conn, key, channel, dataFn(), ctx);
    }
  }

  const listeners = {
    book: ({ symbol }) => schedule((p) => (p.source === 'book' || p.source === 'bbo') && p.symbol === symbol),
    prices: () => schedule((p) => p.source === 'prices'),
    account: ({ account }) => schedule((p) => p.source === 'account_info' && p.account === account),
    position: ({ account }) => schedule((p) => p.source === 'account_positions' && p.account === account),
    order: ({ account, order, event }) => {
      direct((p) => p.source === 'account_order_updates' && p.account === account, 'account_order_updates', () => [shape.orderUpdateWs(order, event)], { account, symbol: order.symbol });
      schedule((p) => p.source === 'account_orders' && p.account === account);
    },
    trade: ({ account, trade }) => direct((p) => p.source === 'account_trades' && p.account === account, 'account_trades', () => shape.tradeWs(trade), { account, symbol: trade.symbol }),
    public_trade: ({ symbol, trade }) => direct((p) => p.source === 'trades' && p.symbol === symbol, 'trades', () => [shape.publicTradeWs(trade)], { symbol }),
    leverage: ({ account, symbol, leverage }) => direct((p) => p.source === 'account_leverage' && p.account === account, 'account_leverage', () => ({ u: account, s: symbol, l: String(leverage), t: engine.now() }), { account, symbol }),
    margin: ({ account, symbol, isolated }) => direct((p) => p.source === 'account_margin' && p.account === account, 'account_margin', () => ({ u: account, s: symbol, i: isolated, t: engine.now() }), { account, symbol }),
  };
  for (const [ev, fn] of Object.entries(listeners)) engine.on(ev, fn);

  // Periodic snapshots: books (~100 ms on the venue) and prices, plus the idle-timeout sweep.
  // Rebuilt whenever a scenario changes the intervals.
  let timers = [];
  function startTimers() {
    timers.forEach(clearInterval);
    const o = venue.options;
    timers = [
      setInterval(() => schedule((p) => p.source === 'book' || p.source === 'bbo'), o.ws_book_interval_ms),
      setInterval(() => schedule((p) => p.source === 'prices'), o.ws_prices_interval_ms),
      setInterval(() => {
        for (const conn of conns) if (Date.now() - conn.lastMsgMs > venue.options.idle_timeout_ms) conn.ws.close(1000, 'idle timeout');
      }, 1000),
    ];
  }
  startTimers();

  function validSubscription(p) {
    if (!p || typeof p.source !== 'string') return false;
    if (p.source === 'prices') return true;
    if (SYMBOL_CHANNELS.has(p.source)) {
      if (!engine.markets.has(p.symbol)) return false;
      if (p.source === 'book' && p.agg_level !== undefined && ![1, 2, 5, 10, 100, 1000].includes(p.agg_level)) return false;
      return p.source !== 'candle' && p.source !== 'mark_price_candle'; // candles are not simulated: no ack, as for any invalid one
    }
    return ACCOUNT_CHANNELS.has(p.source) && engine.accounts.has(p.account);
  }

  function onMessage(conn, data, isBinary, recvUs) {
    conn.lastMsgMs = Date.now();
    const text = data.toString('utf8');
    const entry = sim.recorder.add({ venue: venue.name, kind: 'ws_in', conn: conn.id, text, recv_us: recvUs, wall_ms: Date.now(), sim_ms: sim.clock.now() });
    let msg;
    try { msg = parseExact(text); } catch (e) { entry.error = `not JSON: ${e.message}`; return; }
    const plain = JSON.parse(text);
    const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
    if (!isObject(plain)) { entry.error = 'not a JSON object'; return; }
    let op = typeof plain.method === 'string' ? plain.method : null;
    let body = null;
    if (!op && isObject(plain.params)) {
      op = Object.keys(plain.params)[0] ?? null;
      body = op === null ? null : msg.params[op];
    }
    entry.op = op;
    const ctx = { venue: venue.name, kind: 'ws_in', op, channel: plain?.params?.source, symbol: body?.symbol ?? plain?.params?.symbol, account: body?.account ?? plain?.params?.account };
    const take = (types) => {
      const f = sim.faults.take(ctx, types);
      if (f) (entry.faults ??= []).push(f);
      return f;
    };
    const drop = take(['ws_drop']);
    if (drop) { conn.ws.terminate(); return; }
    const delay = take(['delay']);
    const go = () => {
      try { dispatch(conn, plain, op, body, entry, take); } catch (e) {
        entry.error = `internal error: ${e.message}`;
        log(`pacifica ws: ${e.stack}`);
      }
    };
    if (delay) setTimeout(go, delay.ms); else go();
  }

  function dispatch(conn, plain, op, body, entry, take) {
    if (op === 'ping') { rawSend(conn, { channel: 'pong' }); return; }
    if (op === 'subscribe' || op === 'unsubscribe') {
      const p = plain.params && typeof plain.params === 'object' && !Array.isArray(plain.params) ? plain.params : null;
      if (!validSubscription(p)) { entry.error = 'invalid subscription (no acknowledgement, as on the venue)'; return; }
      const key = keyOf(p);
      if (op === 'subscribe') {
        conn.subs.set(key, p);
        rawSend(conn, { channel: 'subscribe', data: p });
        push(conn, key);
      } else {
        conn.subs.delete(key);
        rawSend(conn, { channel: 'unsubscribe', data: p });
      }
      return;
    }
    const id = typeof plain.id === 'string' ? plain.id : null;
    const answer = (code, fields) => rawSend(conn, { code, ...fields, id, t: engine.now(), type: op });
    const path = WS_OPERATIONS[op];
    if (!path) {
      entry.error = `unknown message ${op}`;
      if (id !== null) answer(400, { error: op === 'batch_orders' ? 'batch_orders over WebSocket is not simulated' : `unknown operation ${op}` });
      return;
    }
    const forced = take(['http_status']);
    if (forced) { answer(wsCode(forced.status), { error: forced.status === 429 ? 'Rate limit exceeded' : `HTTP ${forced.status}` }); return; }
    const nowMs = venue.options.signature_clock === 'sim' ? sim.clock.now() : Date.now();
    const v = verifySignedBody(path, body, { nowMs, isAgentBound: (a, g) => engine.accounts.get(a)?.agents.has(g) ?? false });
    entry.verified = v.ok ? { ok: true, type: v.type } : { ok: false, reason: v.reason, detail: v.detail };
    if (!v.ok) { answer(wsCode(v.status, v.reason), { error: v.text ?? v.json?.error }); return; }
    const rej = take(['reject']);
    if (rej) {
      const kind = REJECT_KINDS.includes(rej.error) ? rej.error : 'insufficient_funds';
      const r = restError(kind, rej.message);
      answer(wsCode(r.status), { error: messageOf(r) });
      return;
    }
    const r = executeOperation(venue, v, { partialFill: take(['partial_fill']) });
    if (take(['timeout_after_accept'])) return; // accepted, never answered
    if (!r.ok) { answer(wsCode(r.error.status), { error: messageOf(r.error) }); return; }
    if (op === 'cancel_all_orders') answer(200, { data: r.data });
    else answer(200, { data: { I: r.order?.clientId ?? v.data.client_order_id ?? null, i: op === 'cancel_order' && v.data.order_id === undefined ? null : (r.order?.id ?? null), s: v.data.symbol } });
  }

  return {
    server,
    listen() {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => resolve(server.address().port));
      });
    },
    dropAll() {
      const n = conns.size;
      for (const c of conns) c.ws.terminate();
      return n;
    },
    connections: () => conns.size,
    restartTimers: startTimers,
    close() {
      timers.forEach(clearInterval);
      for (const [ev, fn] of Object.entries(listeners)) engine.off(ev, fn);
      for (const c of conns) c.ws.terminate();
      server.close();
      server.closeAllConnections?.();
    },
  };
}
