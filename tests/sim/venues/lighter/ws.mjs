// Lighter WebSocket dialect (specs/lighter.md §4): {"type":"connected"} on open, JSON ping/pong,
// subscribe/unsubscribe with channels written "kind/args" and answered as "kind:args", a first
// "subscribed/<kind>" frame with the full state and "update/<kind>" frames after it. The order
// book sends only changed levels with absolute sizes (size 0 removes a level) and the sequence
// fields begin_nonce/nonce: in a gap-free stream an update's begin_nonce is the previous frame's
// nonce. Private channels need a valid auth token. Txs can be sent with jsonapi/sendtx(batch).
// Outgoing channel frames pass through the fault table (ws_drop, ws_gap, stale, delay,
// bad_payload); a swallowed book frame is a real sequence gap for the client.
import http from 'node:http';
import { WebSocketServer } from 'ws';
import { parseExact, JsonNumber } from '../../lib/json_exact.mjs';
import { nowUs } from '../../engine/recorder.mjs';
import { corruptPayload } from '../../lib/corrupt.mjs';
import { CODES, kindError } from './errors.mjs';
import { verifyAuthToken } from './verify.mjs';
import { processTx, marketById } from './trading.mjs';
import { parseExact as parseJson } from '../../lib/json_exact.mjs';
import * as shape from './shapes.mjs';
import { refuseUpgradeWhileDown } from '../../lib/venue_ws.mjs';

const PUBLIC_MARKET = new Set(['order_book', 'ticker', 'market_stats', 'trade']);
const PRIVATE_ACCOUNT = new Set(['account_all_orders', 'account_all_trades', 'account_all_positions', 'account_tx']);

// "order_book/0" -> { kind, market?, account?, key }, or an error text.
function parseChannel(engine, name) {
  if (typeof name !== 'string') return { error: 'channel must be a string' };
  const parts = name.split('/');
  const kind = parts[0];
  const marketOf = (text) => {
    if (!/^[0-9]{1,5}$/.test(text)) return null;
    try { return marketById(engine, Number(text)); } catch { return null; }
  };
  const accountOf = (text) => (/^[0-9]{1,16}$/.test(text) && engine.accounts.has(text) ? text : null);
  if (PUBLIC_MARKET.has(kind) && parts.length === 2) {
    if (kind === 'market_stats' && parts[1] === 'all') return { kind, all: true, out: 'market_stats:all' };
    const m = marketOf(parts[1]);
    return m ? { kind, market: m, out: `${kind}:${parts[1]}` } : { error: `unknown market ${parts[1]}` };
  }
  if ((kind === 'user_stats' || PRIVATE_ACCOUNT.has(kind)) && parts.length === 2) {
    const a = accountOf(parts[1]);
    return a ? { kind, account: a, out: `${kind}:${a}`, private: kind !== 'user_stats' } : { error: `unknown account ${parts[1]}` };
  }
  if (kind === 'account_orders' && parts.length === 3) {
    const m = marketOf(parts[1]);
    const a = accountOf(parts[2]);
    if (!m || !a) return { error: 'unknown market or account' };
    return { kind, market: m, account: a, out: `account_orders:${parts[1]}:${a}`, private: true };
  }
  return { error: `invalid channel ${name}` };
}

export function createLighterWs(venue, log = () => {}) {
  const { engine, sim } = venue;
  const server = http.createServer((req, res) => { res.writeHead(426, { 'content-type': 'text/plain' }); res.end('Upgrade Required'); });
  const wss = new WebSocketServer({ noServer: true });
  const conns = new Set();
  let nextConn = 1;
  const bookSeq = new Map();   // symbol -> engine sequence of the book (nonce)
  const seqOf = (m) => bookSeq.get(m.symbol) ?? 1;

  server.on('upgrade', (req, socket, head) => {
    if (refuseUpgradeWhileDown(sim, venue.name, socket)) return;
    const path = new URL(req.url, 'http://127.0.0.1').pathname;
    if (path !== '/stream') {
      socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      return;
    }
    socket.on('error', () => {});
    wss.handleUpgrade(req, socket, head, (ws) => open(ws, req));
  });

  function open(ws, req) {
    const readonly = new URL(req.url, 'http://127.0.0.1').searchParams.get('readonly') === 'true';
    const conn = { id: nextConn++, ws, subs: new Map(), lastMsgMs: Date.now(), prev: new Map(), readonly, dirty: new Map() };
    conns.add(conn);
    sim.recorder.add({ venue: venue.name, kind: 'ws_open', conn: conn.id, path: req.url, headers: req.headers, recv_us: nowUs(), wall_ms: Date.now(), sim_ms: sim.clock.now() });
    ws.on('message', (data) => onMessage(conn, data, nowUs()));
    ws.on('close', (code) => {
      conns.delete(conn);
      sim.recorder.add({ venue: venue.name, kind: 'ws_close', conn: conn.id, code, recv_us: nowUs(), wall_ms: Date.now(), sim_ms: sim.clock.now() });
    });
    ws.on('error', (e) => log(`lighter ws: ${e.message}`));
    rawSend(conn, { session_id: `sim-${conn.id}`, type: 'connected' });
  }

  function rawSend(conn, obj, bad = null) {
    if (conn.ws.readyState !== conn.ws.OPEN) return;
    let text = JSON.stringify(obj);
    if (bad) text = corruptPayload(bad, obj, text).text;
    conn.ws.send(text);
    if (venue.options.record_ws_out) sim.recorder.add({ venue: venue.name, kind: 'ws_out', conn: conn.id, text, recv_us: nowUs(), wall_ms: Date.now() });
  }

  // A channel frame through the fault table. A keep-alive (an empty book update that changes
  // nothing) cannot carry a ws_gap: losing it loses nothing, so the gap would be invisible and
  // the fault spent — it stays armed for the next frame that matters.
  const FRAME_FAULTS = ['ws_drop', 'ws_gap', 'stale', 'delay', 'bad_payload'];
  const KEEPALIVE_FAULTS = FRAME_FAULTS.filter((t) => t !== 'ws_gap');
  function sendChannel(conn, sub, frame, keepalive = false) {
    const f = sim.faults.take({ venue: venue.name, kind: 'ws_out', channel: sub.kind, symbol: sub.market?.symbol, account: sub.account }, keepalive ? KEEPALIVE_FAULTS : FRAME_FAULTS);
    if (f) sim.recorder.add({ venue: venue.name, kind: 'fault', conn: conn.id, channel: sub.out, fault: f, recv_us: nowUs(), wall_ms: Date.now() });
    if (f?.type === 'ws_drop') { conn.ws.terminate(); return; }
    if (f?.type === 'ws_gap') return;
    if (f?.type === 'stale') { rawSend(conn, conn.prev.get(sub.out) ?? frame); return; }
    conn.prev.set(sub.out, frame);
    if (f?.type === 'delay') setTimeout(() => rawSend(conn, frame), f.ms);
    else rawSend(conn, frame, f?.type === 'bad_payload' ? f : null);
  }

  const frame = (sub, first, body) => ({ channel: sub.out, ...body, timestamp: engine.now(), type: `${first ? 'subscribed' : 'update'}/${sub.kind}` });

  // ---- per-channel payloads ----------------------------------------------------------------
  function bookFrame(sub, first) {
    const m = sub.market;
    const now = shape.bookLevels(engine, m, venue.options.ws_book_depth);
    const seq = seqOf(m);
    const map = (rows) => new Map(rows.map((r) => [r.price, r.size]));
    const cur = { asks: map(now.asks), bids: map(now.bids) };
    let asks = now.asks;
    let bids = now.bids;
    if (!first) {
      const diff = (side) => {
        const out = [];
        for (const [p, s] of cur[side]) if (sub.levels[side].get(p) !== s) out.push({ price: p, size: s });
        for (const p of sub.levels[side].keys()) if (!cur[side].has(p)) out.push({ price: p, size: shape.sz(m, 0n) });
        return out;
      };
      asks = diff('asks');
      bids = diff('bids');
      if (!asks.length && !bids.length) return null;
    }
    const begin = first ? 0 : sub.nonce;
    sub.levels = cur;
    sub.nonce = seq;
    const usNow = engine.now() * 1000;
    return frame(sub, first, {
      offset: seq, last_updated_at: usNow,
      order_book: { code: 0, asks, bids, offset: seq, nonce: seq, begin_nonce: begin, last_updated_at: usNow },
    });
  }

  function tickerFrame(sub, first) {
    const m = sub.market;
    const lv = engine.books.get(m.symbol).levels(1);
    const side = (l) => (l ? { price: shape.px(m, l.price), size: shape.sz(m, l.size) } : { price: '', size: '' });
    const t = { s: m.symbol, a: side(lv.asks[0]), b: side(lv.bids[0]) };
    const text = JSON.stringify(t);
    if (!first && text === sub.last) return null;
    sub.last = text;
    return frame(sub, first, { nonce: seqOf(m), ticker: { ...t, last_updated_at: engine.now() * 1000 } });
  }

  function statsFrame(sub, first) {
    const now = engine.now();
    if (sub.all) {
      const all = {};
      for (const m of engine.markets.values()) all[String(shape.marketId(m))] = shape.marketStats(venue, m, now);
      return frame(sub, first, { market_stats: all });
    }
    return frame(sub, first, { market_stats: shape.marketStats(venue, sub.market, now) });
  }

  const byMarket = (items, rowFn, keyFn) => {
    const out = {};
    for (const it of items) {
      const k = String(keyFn(it));
      (out[k] ??= []).push(rowFn(it));
    }
    return out;
  };

  function ordersFrame(sub, first, changed) {
    const pick = (o) => o.account === sub.account && (!sub.market || o.symbol === sub.market.symbol);
    const orders = first ? engine.openOrders(sub.account).filter(pick) : changed.filter(pick);
    if (!first && !orders.length) return null;
    const rows = byMarket(orders, (o) => shape.orderRow(venue, o), (o) => shape.marketId(engine.markets.get(o.symbol)));
    return frame(sub, first, sub.kind === 'account_orders' ? { account: Number(sub.account), nonce: seqOf(sub.market), orders: rows } : { orders: rows });
  }

  function positionsFrame(sub, first, symbols) {
    const acct = engine.accounts.get(sub.account);
    const markets = first ? shape.positionMarkets(venue, acct) : [...symbols].map((s) => engine.markets.get(s)).filter(Boolean);
    if (!first && !markets.length) return null;
    const positions = {};
    for (const m of markets) positions[String(shape.marketId(m))] = shape.positionRow(venue, acct, m);
    return frame(sub, first, { positions, shares: [] });
  }

  function tradesFrame(sub, first, trades) {
    const list = first ? engine.trades.filter((t) => t.account === sub.account).slice(-20) : trades;
    if (!first && !list.length) return null;
    return frame(sub, first, { trades: byMarket(list, (t) => shape.tradeRow(venue, t), (t) => shape.marketId(engine.markets.get(t.symbol))) });
  }

  function render(sub, first, pending) {
    switch (sub.kind) {
      case 'order_book': return bookFrame(sub, first);
      case 'ticker': return tickerFrame(sub, first);
      case 'market_stats': return statsFrame(sub, first);
      case 'trade': {
        const list = first ? engine.publicTrades.get(sub.market.symbol).slice(-10) : pending;
        if (!first && !list.length) return null;
        return frame(sub, first, { trades: list.map((t) => shape.publicTradeRow(venue, t)) });
      }
      case 'user_stats': return frame(sub, first, { stats: shape.userStats(venue, sub.account) });
      case 'account_all_orders':
      case 'account_orders': return ordersFrame(sub, first, pending);
      case 'account_all_positions': return positionsFrame(sub, first, new Set(pending));
      case 'account_all_trades': return tradesFrame(sub, first, pending);
      case 'account_tx': return frame(sub, first, { txs: first ? [] : pending });
      default: return null;
    }
  }

  // ---- event routing: engine events mark subscriptions dirty; a flush sends them -------------
  function mark(pred, item) {
    for (const conn of conns) {
      for (const sub of conn.subs.values()) {
        if (!pred(sub)) continue;
        const list = conn.dirty.get(sub.out) ?? [];
        if (item !== undefined) list.push(item);
        conn.dirty.set(sub.out, list);
      }
    }
    scheduleFlush();
  }

  let flushQueued = false;
  function scheduleFlush() {
    if (flushQueued) return;
    flushQueued = true;
    setImmediate(() => { flushQueued = false; flush(false); });
  }

  // Sends every dirty subscription; books only on the book timer (the venue batches ~50 ms). A book
  // that has not changed for ws_book_keepalive_ms gets an empty delta (same nonce), so a quiet
  // market still shows a live stream.
  function flush(bookTick) {
    const now = Date.now();
    for (const conn of conns) {
      if (bookTick) {
        for (const sub of conn.subs.values()) {
          if (sub.kind !== 'order_book' || conn.dirty.has(sub.out) || now - (sub.lastSentMs ?? now) < venue.options.ws_book_keepalive_ms) continue;
          sub.lastSentMs = now;
          const usNow = engine.now() * 1000;
          sendChannel(conn, sub, frame(sub, false, {
            offset: sub.nonce, last_updated_at: usNow,
            order_book: { code: 0, asks: [], bids: [], offset: sub.nonce, nonce: sub.nonce, begin_nonce: sub.nonce, last_updated_at: usNow },
          }), true);
        }
      }
      for (const [out, pending] of [...conn.dirty]) {
        const sub = conn.subs.get(out);
        if (!sub) { conn.dirty.delete(out); continue; }
        if ((sub.kind === 'order_book' || sub.kind === 'ticker') && !bookTick) continue;
        conn.dirty.delete(out);
        let uniq = pending;
        if (sub.kind === 'account_all_orders' || sub.kind === 'account_orders') uniq = [...new Set(pending)];
        const f = render(sub, false, uniq);
        if (f) { sub.lastSentMs = now; sendChannel(conn, sub, f); }
      }
    }
  }

  const listeners = {
    book: ({ symbol }) => {
      bookSeq.set(symbol, (bookSeq.get(symbol) ?? 1) + 1);
      mark((s) => (s.kind === 'order_book' || s.kind === 'ticker') && s.market.symbol === symbol);
    },
    prices: ({ symbol }) => mark((s) => s.kind === 'market_stats' && (s.all || s.market.symbol === symbol)),
    account: ({ account }) => mark((s) => s.kind === 'user_stats' && s.account === account),
    position: ({ account, symbol }) => { if (symbol) mark((s) => s.kind === 'account_all_positions' && s.account === account, symbol); },
    order: ({ account, order }) => mark((s) => (s.kind === 'account_all_orders' || s.kind === 'account_orders') && s.account === account, order),
    trade: ({ account, trade }) => mark((s) => s.kind === 'account_all_trades' && s.account === account, trade),
    public_trade: ({ symbol, trade }) => mark((s) => s.kind === 'trade' && s.market.symbol === symbol, trade),
    lighter_tx: ({ account, tx }) => mark((s) => s.kind === 'account_tx' && s.account === account, tx),
  };
  for (const [ev, fn] of Object.entries(listeners)) engine.on(ev, fn);

  let timers = [];
  function startTimers() {
    timers.forEach(clearInterval);
    const o = venue.options;
    timers = [
      setInterval(() => flush(true), o.ws_book_interval_ms),
      setInterval(() => mark((s) => s.kind === 'market_stats'), o.ws_stats_interval_ms),
      ...(o.ws_server_ping_ms > 0 ? [setInterval(() => { for (const conn of conns) rawSend(conn, { type: 'ping' }); }, o.ws_server_ping_ms)] : []),
      setInterval(() => {
        for (const conn of conns) if (Date.now() - conn.lastMsgMs > venue.options.idle_timeout_ms) conn.ws.close(1000, 'idle timeout');
      }, 1000),
    ];
  }
  startTimers();

  // ---- incoming ------------------------------------------------------------------------------
  function wsError(conn, code, message, extra = {}) { rawSend(conn, { type: 'error', code, message, ...extra }); }

  function onMessage(conn, data, recvUs) {
    conn.lastMsgMs = Date.now();
    const text = data.toString('utf8');
    const entry = sim.recorder.add({ venue: venue.name, kind: 'ws_in', conn: conn.id, text, recv_us: recvUs, wall_ms: Date.now(), sim_ms: sim.clock.now() });
    let msg;
    try { msg = parseExact(text); } catch (e) { entry.error = `not JSON: ${e.message}`; wsError(conn, CODES.WS_INVALID_JSON, 'Invalid JSON'); return; }
    if (!msg || typeof msg !== 'object' || Array.isArray(msg) || msg instanceof JsonNumber) { entry.error = 'not a JSON object'; wsError(conn, CODES.WS_INVALID_JSON, 'Invalid JSON'); return; }
    const op = typeof msg.type === 'string' ? msg.type : null;
    entry.op = op;
    const parsedChannel = typeof msg.channel === 'string' ? parseChannel(engine, msg.channel) : {};
    const ctx = { venue: venue.name, kind: 'ws_in', op, channel: parsedChannel.kind, symbol: parsedChannel.market?.symbol, account: parsedChannel.account };
    const take = (types) => {
      const f = sim.faults.take(ctx, types);
      if (f) (entry.faults ??= []).push(f);
      return f;
    };
    if (take(['ws_drop'])) { conn.ws.terminate(); return; }
    const delay = take(['delay']);
    const go = () => {
      try { dispatch(conn, msg, op, entry, take); } catch (e) {
        entry.error = `internal error: ${e.message}`;
        log(`lighter ws: ${e.stack}`);
      }
    };
    if (delay) setTimeout(go, delay.ms); else go();
  }

  function dispatch(conn, msg, op, entry, take) {
    if (op === 'ping') { rawSend(conn, { type: 'pong' }); return; }
    if (op === 'pong') return;
    if (op === 'subscribe' || op === 'unsubscribe') {
      const c = parseChannel(engine, msg.channel);
      if (c.error) { entry.error = c.error; wsError(conn, CODES.WS_INVALID_CHANNEL, `Invalid Channel: ${msg.channel}`); return; }
      if (op === 'unsubscribe') {
        if (!conn.subs.delete(c.out)) { wsError(conn, CODES.WS_NOT_SUBSCRIBED, 'Not Subscribed'); return; }
        conn.dirty.delete(c.out);
        rawSend(conn, { channel: c.out, type: 'unsubscribed' });
        return;
      }
      if (conn.subs.has(c.out)) { wsError(conn, CODES.WS_ALREADY_SUBSCRIBED, 'Already Subscribed'); return; }
      if (c.private) {
        if (conn.readonly) { wsError(conn, CODES.WS_FAILED_TO_SUBSCRIBE, 'read-only connection'); return; }
        if (typeof msg.auth !== 'string') { entry.error = 'auth missing'; wsError(conn, CODES.WS_FAILED_TO_SUBSCRIBE, 'auth field is required'); return; }
        const v = verifyAuthToken(venue, msg.auth, c.account, venue.options.signature_clock === 'sim' ? sim.clock.now() : Date.now());
        entry.verified = v.ok ? { ok: true, type: 'auth_token' } : { ok: false, reason: v.reason, detail: v.detail };
        if (!v.ok) { wsError(conn, CODES.WS_FAILED_TO_SUBSCRIBE, `invalid auth: ${v.detail}`); return; }
      }
      const sub = { ...c, levels: { asks: new Map(), bids: new Map() }, nonce: 0 };
      conn.subs.set(c.out, sub);
      const first = render(sub, true, []);
      sub.lastSentMs = Date.now();
      if (first) sendChannel(conn, sub, first);
      return;
    }
    if (op === 'jsonapi/sendtx' || op === 'jsonapi/sendtxbatch') { sendTx(conn, msg, op, entry, take); return; }
    entry.error = `unknown type ${op}`;
    wsError(conn, CODES.WS_INVALID_TYPE, 'Invalid Type');
  }

  // Answers: success {"type","id","code":200,"tx_hash",...}; failure {"error":{"code","message"},"id"}
  // (the exact venue envelope is not captured, spec §14.5).
  function sendTx(conn, msg, op, entry, take) {
    const data = msg.data && typeof msg.data === 'object' && !Array.isArray(msg.data) ? msg.data : {};
    const id = typeof data.id === 'string' ? data.id : undefined;
    const reply = (body) => rawSend(conn, { ...body, id, type: op });
    const error = (r) => rawSend(conn, { error: { code: r.json?.code ?? r.status, message: r.json?.message ?? r.text }, id });
    const forced = take(['http_status']);
    if (forced) { error(forced.status === 429 ? kindError('rate_limited') : kindError('internal')); return; }
    const ctx = {
      signatureNowMs: venue.options.signature_clock === 'sim' ? sim.clock.now() : Date.now(), simNowMs: engine.now(), take,
    };
    const hashes = [];
    const items = [];
    if (op === 'jsonapi/sendtx') {
      if (!(data.tx_type instanceof JsonNumber) || !data.tx_type.isInteger) { error(kindError('internal', 'tx_type')); return; }
      items.push([Number(data.tx_type.raw), data.tx_info]);
    } else {
      let types;
      let infos;
      try { types = parseJson(String(data.tx_types)); infos = parseJson(String(data.tx_infos)); } catch { error({ status: 400, json: { code: CODES.INVALID_PARAM, message: 'invalid param: tx_types / tx_infos' } }); return; }
      if (!Array.isArray(types) || !Array.isArray(infos) || types.length !== infos.length) { error({ status: 400, json: { code: CODES.INVALID_PARAM, message: 'invalid param: tx_types / tx_infos' } }); return; }
      for (let i = 0; i < types.length; i++) items.push([Number(types[i]?.raw), infos[i]]);
    }
    for (const [t, info] of items) {
      const r = processTx(venue, t, info, ctx);
      entry.verified = r.ok ? { ok: true, hash: r.hash } : { ok: Boolean(r.v), reason: r.reason, detail: r.detail };
      if (!r.ok) { error(r.error); return; }
      hashes.push(r.hash);
    }
    if (take(['timeout_after_accept'])) return;
    reply({ code: 200, message: '{"ratelimit": "didn\'t use volume quota"}', tx_hash: op === 'jsonapi/sendtx' ? hashes[0] : hashes, predicted_execution_time_ms: engine.now() + 1 });
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
