// The HTTP side every venue dialect shares: one server per venue REST endpoint that stamps each
// request with its receive time (µs), records it, applies the transport-level faults (forced
// status, disconnect, delay) and hands the request to the dialect's router. The router may take
// the processing-level faults itself (reject, partial_fill, stale, timeout_after_accept) and
// answers { status, json | text, headers } or { hang: true } (accepted, never answered).
import http from 'node:http';
import { nowUs } from '../engine/recorder.mjs';
import { corruptPayload } from './corrupt.mjs';

const MAX_BODY = 4 * 1024 * 1024;
const MAX_RECORDED_RESPONSE = 64 * 1024;
const ARRIVAL_WINDOW_MS = 2;

export function createVenueHttp({ venue, sim, router, statusBody, log = () => {} }) {
  let nextConn = 1;
  const hung = new Set();
  const server = http.createServer();
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 70_000;
  server.requestTimeout = 0;
  server.on('connection', (sock) => { sock.simConn = nextConn++; });
  server.on('clientError', (err, sock) => { log(`${venue}: client error ${err.message}`); sock.destroy(); });

  server.on('request', (req, res) => {
    const recvUs = nowUs();
    const chunks = [];
    let size = 0;
    req.on('data', (c) => {
      size += c.length;
      if (size > MAX_BODY) { req.destroy(); return; }
      chunks.push(c);
    });
    req.on('end', () => {
      // Processing waits a moment (POSTs: ARRIVAL_WINDOW_MS, reads: the loop's next check phase),
      // so requests sent together (two order legs to two venues) are all stamped before any of
      // them is verified: a receive time never includes another request's signature check,
      // which can take tens of ms here (Lighter's is BigInt arithmetic).
      const later = (fn) => (req.method === 'POST' ? setTimeout(fn, ARRIVAL_WINDOW_MS) : setImmediate(fn));
      later(() => handle(req, res, recvUs, Buffer.concat(chunks).toString('utf8')).catch((e) => {
        log(`${venue}: handler crashed: ${e.stack}`);
        if (!res.headersSent) { res.writeHead(500, { 'content-type': 'text/plain' }); res.end('Internal server error'); }
      }));
    });
  });

  function send(res, entry, r, bad = null) {
    const headers = { ...(r.headers ?? {}) };
    let body;
    if (r.json !== undefined) { body = JSON.stringify(r.json); headers['content-type'] = 'application/json'; }
    else { body = r.text ?? ''; headers['content-type'] ??= 'text/plain; charset=utf-8'; }
    if (bad) {
      const c = corruptPayload(bad, r.json, body);
      body = c.text;
      entry.corrupted = c.changed;
    }
    headers['content-length'] = Buffer.byteLength(body);
    res.writeHead(r.status, headers);
    res.end(body);
    entry.status = r.status;
    entry.respond_us = nowUs();
    entry.response = body.length > MAX_RECORDED_RESPONSE ? body.slice(0, MAX_RECORDED_RESPONSE) + '…' : body;
  }

  async function handle(req, res, recvUs, bodyText) {
    const url = new URL(req.url, 'http://127.0.0.1');
    const entry = sim.recorder.add({
      venue, kind: 'http', method: req.method, path: url.pathname, query: Object.fromEntries(url.searchParams),
      headers: req.headers, body: bodyText, recv_us: recvUs, body_us: nowUs(), wall_ms: Date.now(), sim_ms: sim.clock.now(),
      conn: req.socket.simConn, status: null,
    });
    const request = { method: req.method, path: url.pathname, query: url.searchParams, rawQuery: url.search.slice(1), headers: req.headers, bodyText, entry };
    const info = router.classify ? router.classify(request) : {};
    Object.assign(entry, info.record ?? {});
    const ctx = { venue, kind: 'http', method: req.method, path: url.pathname, op: info.op, symbol: info.symbol, account: info.account };
    request.takeFault = (types) => {
      const f = sim.faults.take(ctx, types);
      if (f) (entry.faults ??= []).push(f);
      return f;
    };

    const pre = request.takeFault(['down', 'disconnect', 'http_status']);
    if (pre && pre.type === 'down' && pre.mode === 'refuse') {
      // As close to a refused connection as an open listener gets: closed before any answer.
      entry.status = 'refused';
      req.socket.destroy();
      return;
    }
    if (pre && pre.type === 'down') {
      send(res, entry, statusBody(503));
      return;
    }
    if (pre && pre.type === 'disconnect') {
      entry.status = 'disconnected';
      req.socket.destroy();
      return;
    }
    if (pre && pre.type === 'http_status') {
      const r = pre.body !== undefined ? { status: pre.status, json: pre.body } : statusBody(pre.status);
      r.headers = { ...(r.headers ?? {}) };
      if (pre.retry_after !== undefined) r.headers['retry-after'] = String(pre.retry_after);
      send(res, entry, { ...r, status: pre.status });
      return;
    }
    const delay = request.takeFault(['delay']);
    if (delay) await new Promise((r) => setTimeout(r, delay.ms));

    // Every funding boundary due by now is settled before the request acts, as on a venue: the
    // periodic tick may lag by a few ms, and a fill must never come before a settlement that is
    // already due (a position opened after a boundary is not paid for it).
    sim.tick();
    const r = await router.route(request);
    if (r.hang) {
      // Accepted but never answered: the client's timeout fires with the order live on the venue.
      entry.status = 'hung';
      hung.add(res);
      const t = setTimeout(() => { hung.delete(res); req.socket.destroy(); }, r.hangMs ?? 600_000);
      res.on('close', () => { clearTimeout(t); hung.delete(res); });
      return;
    }
    if (res.destroyed) { entry.status = 'client_gone'; return; }
    send(res, entry, r, request.takeFault(['bad_payload']));
  }

  return {
    server,
    listen() {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => resolve(server.address().port));
      });
    },
    close() {
      for (const res of hung) res.socket?.destroy();
      server.close();
      server.closeAllConnections?.();
    },
  };
}
