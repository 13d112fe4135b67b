#!/usr/bin/env node
// Test server for the runtime's own HTTP / WebSocket / timeout tests.
//
//   node tests/sim/test_server.mjs [--tls-cert FILE --tls-key FILE] [--verbose]
//
// Binds 127.0.0.1 on ephemeral ports and prints exactly ONE JSON line on stdout:
//   {"http":"http://127.0.0.1:P","ws":"ws://127.0.0.1:P","stall":"http://127.0.0.1:S"[,"https":..,"wss":..,"h2":..]}
//   (h2: an HTTP/2-only TLS port with the same HTTP endpoints, no WebSocket)
// Exits 0 on SIGTERM / SIGINT and when stdin reaches EOF, so a parent that dies (and thereby closes
// our stdin pipe) never leaves the server behind. Give it a pipe on stdin: with </dev/null it exits at once.
// Endpoints are listed in tests/sim/README.md and in the handlers below.
import http from 'node:http';
import https from 'node:https';
import http2 from 'node:http2';
import net from 'node:net';
import fs from 'node:fs';
import { WebSocketServer } from 'ws';

const HOST = '127.0.0.1';
const MAX_ECHO_BODY = 16 * 1024 * 1024;
const MAX_BIG_BYTES = 256 * 1024 * 1024;
const MAX_DELAY_MS = 10 * 60 * 1000;

// ---- command line ----------------------------------------------------------------------------
function parseArgs(argv) {
  const opts = { tlsCert: null, tlsKey: null, verbose: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--verbose') opts.verbose = true;
    else if (a === '--tls-cert' || a === '--tls-key') {
      const v = argv[++i];
      if (v === undefined) fail(`${a} needs a file argument`);
      if (a === '--tls-cert') opts.tlsCert = v; else opts.tlsKey = v;
    } else fail(`unknown argument: ${a}`);
  }
  if ((opts.tlsCert === null) !== (opts.tlsKey === null)) fail('--tls-cert and --tls-key must be given together');
  return opts;
}

function fail(msg) {
  process.stderr.write(`test_server: ${msg}\n`);
  process.exit(2);
}

const opts = parseArgs(process.argv.slice(2));
const log = opts.verbose ? (...a) => process.stderr.write(`test_server: ${a.join(' ')}\n`) : () => {};

// ---- statistics --------------------------------------------------------------------------------
// Every accepted TCP (or TLS) connection gets a permanent number. The counters below cover the
// requests since the last POST /stats/reset; /stats and /stats/reset themselves are not counted so
// that polling the statistics does not change them. "connections" is the number of distinct
// connections that carried a counted request, which is what proves keep-alive reuse.
let nextConnId = 1;
const connIds = new WeakMap();
const stats = { requests: 0, connSeen: new Set(), inFlight: 0, inFlightMax: 0, wsConnections: 0 };

function tagConnection(sock) {
  connIds.set(sock, nextConnId++);
  log(`connection #${connIds.get(sock)}`);
}

// ---- helpers -----------------------------------------------------------------------------------
class BadRequest extends Error {}

function intParam(query, name, dflt, min, max) {
  const raw = query.get(name);
  if (raw === null || raw === '') {
    if (dflt === undefined) throw new BadRequest(`missing query parameter ${name}`);
    return dflt;
  }
  if (!/^-?[0-9]+$/.test(raw)) throw new BadRequest(`query parameter ${name} is not an integer: ${raw}`);
  const v = Number(raw);
  if (v < min || v > max) throw new BadRequest(`query parameter ${name} out of range [${min}, ${max}]: ${raw}`);
  return v;
}

function sendJson(res, status, obj, extraHeaders = {}) {
  const body = JSON.stringify(obj);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    ...extraHeaders,
  });
  res.end(body);
}

// Deterministic content so a client can verify every byte of /big: byte i is 'a' + (i mod 26).
const BIG_CHUNK = Buffer.from('abcdefghijklmnopqrstuvwxyz'.repeat(2521)); // 65546 bytes, multiple of 26

function streamBig(res, total) {
  res.writeHead(200, { 'content-type': 'text/plain', 'content-length': total });
  let left = total;
  const pump = () => {
    while (left > 0) {
      const n = Math.min(left, BIG_CHUNK.length);
      left -= n;
      const more = res.write(n === BIG_CHUNK.length ? BIG_CHUNK : BIG_CHUNK.subarray(0, n));
      if (!more && left > 0) { res.once('drain', pump); return; }
    }
    res.end();
  };
  pump();
}

// ---- HTTP routes -------------------------------------------------------------------------------
function handleRequest(req, res) {
  const url = new URL(req.url, `http://${HOST}`);
  const path = url.pathname;
  const conn = connIds.get(req.socket) ?? 0;
  const counted = path !== '/stats' && path !== '/stats/reset';
  log(`#${conn} ${req.method} ${req.url}`);
  if (counted) {
    stats.requests++;
    stats.connSeen.add(conn);
    stats.inFlight++;
    if (stats.inFlight > stats.inFlightMax) stats.inFlightMax = stats.inFlight;
    let done = false;
    const finish = () => { if (!done) { done = true; stats.inFlight--; } };
    res.on('finish', finish);
    res.on('close', finish);
  }
  try {
    route(req, res, url, conn);
  } catch (e) {
    if (e instanceof BadRequest) sendJson(res, 400, { error: e.message });
    else { log(`error: ${e.stack}`); sendJson(res, 500, { error: String(e.message) }); }
  }
}

function route(req, res, url, conn) {
  const q = url.searchParams;
  const method = req.method;
  const needMethod = (...allowed) => {
    if (allowed.includes(method)) return true;
    sendJson(res, 405, { error: `method ${method} not allowed on ${url.pathname}` }, { allow: allowed.join(', ') });
    return false;
  };
  switch (url.pathname) {
    case '/delay': {
      if (!needMethod('GET')) return;
      const ms = intParam(q, 'ms', 0, 0, MAX_DELAY_MS);
      const id = q.get('id');
      const timer = setTimeout(() => sendJson(res, 200, { id, delay_ms: ms, conn }), ms);
      res.on('close', () => clearTimeout(timer)); // client gave up: do not write to a dead socket
      return;
    }
    case '/echo': {
      if (!needMethod('GET', 'POST', 'PUT', 'DELETE', 'PATCH')) return;
      const chunks = [];
      let size = 0;
      req.on('data', (c) => {
        size += c.length;
        if (size > MAX_ECHO_BODY) { sendJson(res, 413, { error: 'body too large' }); req.destroy(); return; }
        chunks.push(c);
      });
      req.on('end', () => {
        if (size > MAX_ECHO_BODY) return;
        sendJson(res, 200, {
          method,
          path: url.pathname,
          query: Object.fromEntries(q.entries()),
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        });
      });
      return;
    }
    case '/status': {
      if (!needMethod('GET', 'POST')) return;
      const code = intParam(q, 'code', undefined, 200, 599);
      const extra = {};
      const ra = q.get('retry_after');
      if (ra !== null) extra['retry-after'] = ra;
      sendJson(res, code, { code }, extra);
      return;
    }
    case '/big': {
      if (!needMethod('GET')) return;
      streamBig(res, intParam(q, 'bytes', undefined, 0, MAX_BIG_BYTES));
      return;
    }
    case '/stats': {
      if (!needMethod('GET')) return;
      sendJson(res, 200, {
        requests: stats.requests,
        connections: stats.connSeen.size,
        in_flight_max: stats.inFlightMax,
        ws_connections: stats.wsConnections,
      });
      return;
    }
    case '/stats/reset': {
      if (!needMethod('POST')) return;
      stats.requests = 0;
      stats.connSeen.clear();
      stats.inFlightMax = stats.inFlight;
      stats.wsConnections = 0;
      sendJson(res, 200, { reset: true });
      return;
    }
    case '/drop': {
      req.socket.destroy();
      return;
    }
    default:
      sendJson(res, 404, { error: `no such path: ${url.pathname}` });
  }
}

// ---- WebSocket routes --------------------------------------------------------------------------
const WS_PATHS = new Set(['/echo', '/stream', '/drop', '/close', '/ping']);

function handleWs(ws, req) {
  const url = new URL(req.url, `http://${HOST}`);
  const q = url.searchParams;
  const timers = [];
  ws.on('close', () => timers.forEach((t) => clearTimeout(t))); // clearTimeout also clears intervals in Node
  ws.on('error', (e) => log(`ws error: ${e.message}`));
  stats.wsConnections++;
  log(`ws open ${req.url}`);
  switch (url.pathname) {
    case '/echo':
      ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
      return;
    case '/stream': {
      const interval = intParam(q, 'interval_ms', 5, 0, MAX_DELAY_MS);
      const count = intParam(q, 'count', 10, 0, 10_000_000);
      let sent = 0;
      const tick = () => {
        if (sent >= count || ws.readyState !== ws.OPEN) return;
        ws.send(String(++sent));
        if (sent < count) timers.push(setTimeout(tick, interval));
      };
      timers.push(setTimeout(tick, interval));
      return;
    }
    case '/drop': {
      const after = intParam(q, 'after_ms', 0, 0, MAX_DELAY_MS);
      ws.send('hello');
      // terminate() destroys the TCP socket: the client sees the stream end with no close frame.
      timers.push(setTimeout(() => ws.terminate(), after));
      return;
    }
    case '/close': {
      const after = intParam(q, 'after_ms', 0, 0, MAX_DELAY_MS);
      const code = intParam(q, 'code', 1000, 1000, 4999);
      const reason = q.get('reason') ?? '';
      timers.push(setTimeout(() => {
        try { ws.close(code, reason); } catch (e) { log(`bad close: ${e.message}`); ws.close(1011, 'invalid close code requested'); }
      }, after));
      return;
    }
    case '/ping': {
      const interval = intParam(q, 'interval_ms', 1000, 1, MAX_DELAY_MS);
      let pongs = 0;
      ws.on('pong', () => { pongs++; });
      const t = setInterval(() => { if (ws.readyState === ws.OPEN) ws.ping(); }, interval);
      timers.push(t);
      ws.on('message', (data, isBinary) => {
        if (!isBinary && data.toString() === 'pongs?') ws.send(`pongs:${pongs}`);
        else ws.send(data, { binary: isBinary });
      });
      return;
    }
  }
}

function rejectUpgrade(socket, status, msg) {
  const body = JSON.stringify({ error: msg });
  socket.end(`HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nContent-Type: application/json\r\n` +
             `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}

const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 * 1024 });
function handleUpgrade(req, socket, head) {
  const url = new URL(req.url, `http://${HOST}`);
  if (!WS_PATHS.has(url.pathname)) { rejectUpgrade(socket, 404, `no WebSocket path ${url.pathname}`); return; }
  socket.on('error', () => {});
  wss.handleUpgrade(req, socket, head, (ws) => {
    try { handleWs(ws, req); } catch (e) {
      ws.close(1008, e instanceof BadRequest ? e.message.slice(0, 120) : 'internal error');
    }
  });
}

// ---- servers -----------------------------------------------------------------------------------
function setupHttp(server, connectionEvent) {
  server.keepAliveTimeout = 60_000;   // long enough that a test's pooled connection stays reusable
  server.headersTimeout = 65_000;
  server.requestTimeout = 0;          // /delay may legitimately take long
  server.on(connectionEvent, tagConnection);
  server.on('request', handleRequest);
  server.on('upgrade', handleUpgrade);
  server.on('clientError', (err, socket) => { log(`client error: ${err.message}`); socket.destroy(); });
  return server;
}

function listen(server) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, HOST, () => resolve(server.address().port));
  });
}

// The stall port accepts connections and then never reads or writes: connect succeeds, nothing
// ever comes back, which is what a client's connect-ok-but-no-answer timeout must handle.
const stallSockets = new Set();
const stallServer = net.createServer((sock) => {
  stallSockets.add(sock);
  sock.pause();
  sock.on('error', () => {});
  sock.on('close', () => stallSockets.delete(sock));
});

const servers = [];
async function main() {
  const plain = setupHttp(http.createServer(), 'connection');
  servers.push(plain, stallServer);
  const port = await listen(plain);
  const stallPort = await listen(stallServer);
  const addrs = { http: `http://${HOST}:${port}`, ws: `ws://${HOST}:${port}`, stall: `http://${HOST}:${stallPort}` };
  if (opts.tlsCert) {
    let cert, key;
    try { cert = fs.readFileSync(opts.tlsCert); } catch (e) { fail(`cannot read --tls-cert ${opts.tlsCert}: ${e.code || e.message}`); }
    try { key = fs.readFileSync(opts.tlsKey); } catch (e) { fail(`cannot read --tls-key ${opts.tlsKey}: ${e.code || e.message}`); }
    let secure;
    try { secure = https.createServer({ cert, key }); } catch (e) { fail(`bad TLS certificate or key: ${e.message}`); }
    setupHttp(secure, 'secureConnection');
    servers.push(secure);
    const sport = await listen(secure);
    addrs.https = `https://${HOST}:${sport}`;
    addrs.wss = `wss://${HOST}:${sport}`;
    // HTTP/2 only (ALPN h2), same request handlers: proves the client multiplexes over TLS.
    const h2 = http2.createSecureServer({ cert, key });
    h2.on('secureConnection', tagConnection);
    h2.on('request', handleRequest);
    servers.push(h2);
    addrs.h2 = `https://${HOST}:${await listen(h2)}`;
  }
  // Writes to a pipe are synchronous on Linux, so the line is out before anything else happens.
  process.stdout.write(JSON.stringify(addrs) + '\n');
}

function shutdown(why) {
  log(`exiting (${why})`);
  for (const c of wss.clients) c.terminate();
  for (const s of stallSockets) s.destroy();
  for (const s of servers) { s.close(); if (s.closeAllConnections) s.closeAllConnections(); }
  process.exit(0);
}

process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
process.stdin.on('end', () => shutdown('stdin EOF'));
process.stdin.on('error', () => shutdown('stdin error'));
process.stdin.resume();
process.stdout.on('error', () => {}); // a parent that stopped reading must not crash us

main().catch((e) => fail(`cannot start: ${e.message}`));
