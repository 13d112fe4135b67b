// The WebSocket side a venue dialect can share: one HTTP server per venue WS endpoint that routes
// upgrades by path (each path may authorize the upgrade request first), keeps the connections,
// records every incoming message (µs receive time) and connection open/close, passes outgoing
// channel messages through the fault table (ws_drop, ws_gap, stale, delay, bad_payload), and
// coalesces bursts of engine events into one message per subscription per turn of the loop.
// The dialect supplies: paths { '/x': { authorize?(req, url) -> {ok, info} | {ok:false, status, body} } },
// onOpen(conn), onMessage(conn, text, entry, take), and uses send/sendChannel/schedule.
import http from 'node:http';
import { WebSocketServer } from 'ws';
import { nowUs } from '../engine/recorder.mjs';
import { corruptPayload } from './corrupt.mjs';

// A venue that is down (fault `down`) takes no new WebSocket either: the upgrade is answered 503.
// Every dialect's upgrade handler asks this first. -> true when refused.
export function refuseUpgradeWhileDown(sim, venue, socket) {
  if (!sim.faults.outage(venue)) return false;
  socket.end('HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
  return true;
}

export function createVenueWs({ venue, sim, paths, onOpen, onMessage, onClose = () => {}, recordOut = () => false, log = () => {} }) {
  const server = http.createServer((req, res) => { res.writeHead(426, { 'content-type': 'text/plain' }); res.end('Upgrade Required'); });
  // A client that authenticates through Sec-WebSocket-Protocol gets that protocol echoed back.
  const wss = new WebSocketServer({ noServer: true, handleProtocols: (protocols) => (protocols.size ? [...protocols][0] : false) });
  const conns = new Set();
  let nextConn = 1;

  server.on('upgrade', (req, socket, head) => {
    socket.on('error', () => {});
    const url = new URL(req.url, 'http://127.0.0.1');
    const route = paths[url.pathname];
    const entry = sim.recorder.add({ venue, kind: 'ws_open', path: req.url, headers: req.headers, recv_us: nowUs(), wall_ms: Date.now(), sim_ms: sim.clock.now() });
    if (refuseUpgradeWhileDown(sim, venue, socket)) { entry.status = 503; return; }
    if (!route) {
      entry.status = 404;
      socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      return;
    }
    const auth = route.authorize ? route.authorize(req, url) : { ok: true, info: {} };
    entry.verified = auth.ok ? { ok: true, ...(auth.record ?? {}) } : { ok: false, reason: auth.reason, detail: auth.detail };
    if (!auth.ok) {
      const body = JSON.stringify(auth.body);
      entry.status = auth.status;
      socket.end(`HTTP/1.1 ${auth.status} ${http.STATUS_CODES[auth.status]}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const conn = { id: nextConn++, ws, path: url.pathname, query: url.searchParams, info: auth.info, subs: new Map(), prev: new Map(), pending: new Set(), flushQueued: false };
      entry.conn = conn.id;
      conns.add(conn);
      ws.on('message', (data) => receive(conn, data, nowUs()));
      ws.on('close', (code) => {
        conns.delete(conn);
        onClose(conn);
        sim.recorder.add({ venue, kind: 'ws_close', conn: conn.id, code, recv_us: nowUs(), wall_ms: Date.now(), sim_ms: sim.clock.now() });
      });
      ws.on('error', (e) => log(`${venue} ws: ${e.message}`));
      try { onOpen(conn); } catch (e) { log(`${venue} ws open: ${e.stack}`); }
    });
  });

  function receive(conn, data, recvUs) {
    const text = data.toString('utf8');
    const entry = sim.recorder.add({ venue, kind: 'ws_in', conn: conn.id, text, recv_us: recvUs, wall_ms: Date.now(), sim_ms: sim.clock.now() });
    const take = (ctx, types) => {
      const f = sim.faults.take({ venue, kind: 'ws_in', ...ctx }, types);
      if (f) (entry.faults ??= []).push(f);
      return f;
    };
    // Funding boundaries due by now are settled before the message acts (see venue_http.mjs).
    try { sim.tick(); onMessage(conn, text, entry, take); } catch (e) {
      entry.error = `internal error: ${e.message}`;
      log(`${venue} ws: ${e.stack}`);
    }
  }

  function send(conn, obj, bad = null) {
    if (conn.ws.readyState !== conn.ws.OPEN) return;
    let text = JSON.stringify(obj);
    if (bad) text = corruptPayload(bad, obj, text).text;
    conn.ws.send(text);
    if (recordOut()) sim.recorder.add({ venue, kind: 'ws_out', conn: conn.id, text, recv_us: nowUs(), wall_ms: Date.now() });
  }

  // A channel message through the fault table. key identifies the stream for "stale" (the
  // previous message of the same key is sent again). Returns false when nothing was sent.
  function sendChannel(conn, key, msg, ctx) {
    const f = sim.faults.take({ venue, kind: 'ws_out', ...ctx }, ['ws_drop', 'ws_gap', 'stale', 'delay', 'bad_payload']);
    if (f) sim.recorder.add({ venue, kind: 'fault', conn: conn.id, channel: ctx.channel, fault: f, recv_us: nowUs(), wall_ms: Date.now() });
    if (f?.type === 'ws_drop') { conn.ws.terminate(); return false; }
    if (f?.type === 'ws_gap') return false;
    if (f?.type === 'stale') { send(conn, conn.prev.get(key) ?? msg); return true; }
    conn.prev.set(key, msg);
    if (f?.type === 'delay') setTimeout(() => send(conn, msg), f.ms);
    else send(conn, msg, f?.type === 'bad_payload' ? f : null);
    return true;
  }

  // Marks the keys each connection wants refreshed (pred(conn, key, sub)) and flushes them once
  // the current burst of engine events is over, calling flush(conn, key, sub).
  function schedule(pred, flush) {
    for (const conn of conns) {
      for (const [key, sub] of conn.subs) if (pred(conn, key, sub)) conn.pending.add(key);
      if (conn.pending.size && !conn.flushQueued) {
        conn.flushQueued = true;
        setImmediate(() => {
          conn.flushQueued = false;
          const keys = [...conn.pending];
          conn.pending.clear();
          for (const k of keys) {
            const sub = conn.subs.get(k);
            if (sub) {
              try { flush(conn, k, sub); } catch (e) { log(`${venue} ws flush: ${e.stack}`); }
            }
          }
        });
      }
    }
  }

  return {
    server,
    conns,
    send,
    sendChannel,
    schedule,
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
    close() {
      for (const c of conns) c.ws.terminate();
      server.close();
      server.closeAllConnections?.();
    },
  };
}
