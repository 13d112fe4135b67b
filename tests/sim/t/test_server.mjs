// Self-test of tests/sim/test_server.mjs: starts it, exercises every HTTP and WebSocket endpoint
// with Node's own clients, and checks that it stops on stdin EOF and on SIGTERM.
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { ok, is, isDeep, skip, diag, run } from '../lib/tap.mjs';
import { startServer } from '../lib/spawn.mjs';

const SERVER = fileURLToPath(new URL('../test_server.mjs', import.meta.url));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// http.request wrapper so a test can choose the agent (and thereby connection reuse) and the CA.
function request(url, { method = 'GET', agent, body, headers = {}, ca } = {}) {
  return new Promise((resolve, reject) => {
    const mod = url.startsWith('https:') ? https : http;
    const req = mod.request(url, { method, agent, headers, ca }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}
const json = (r) => JSON.parse(r.body.toString('utf8'));

// Opens a WebSocket and collects everything that happens on it.
function wsOpen(url, options = {}) {
  const ws = new WebSocket(url, options);
  const log = { messages: [], close: null, error: null, status: null };
  const opened = new Promise((resolve, reject) => {
    ws.on('open', resolve);
    ws.on('unexpected-response', (_req, res) => { log.status = res.statusCode; reject(new Error(`status ${res.statusCode}`)); });
    ws.on('error', (e) => { log.error = e; reject(e); });
  });
  ws.on('message', (data, isBinary) => log.messages.push(isBinary ? Buffer.from(data) : data.toString()));
  const closed = new Promise((resolve) => ws.on('close', (code, reason) => { log.close = { code, reason: reason.toString() }; resolve(log.close); }));
  opened.catch(() => {});
  return { ws, log, opened, closed };
}
const nextMessage = (ws) => new Promise((resolve) => ws.once('message', (d, bin) => resolve(bin ? Buffer.from(d) : d.toString())));

async function httpTests(a) {
  const t0 = process.hrtime.bigint();
  let r = await request(`${a.http}/delay?ms=80&id=abc`);
  const elapsedMs = Number(process.hrtime.bigint() - t0) / 1e6;
  is(r.status, 200, '/delay answers 200');
  const d = json(r);
  is(d.id, 'abc', '/delay echoes id');
  is(d.delay_ms, 80, '/delay reports delay_ms');
  ok(Number.isInteger(d.conn) && d.conn > 0, '/delay reports a connection number');
  ok(elapsedMs >= 79, `/delay waited at least 80 ms (${elapsedMs.toFixed(1)} ms)`);

  r = await request(`${a.http}/echo?x=1&y=two`, { headers: { 'X-Test': 'hello' } });
  let e = json(r);
  is(e.method, 'GET', '/echo GET method');
  is(e.path, '/echo', '/echo path');
  isDeep(e.query, { x: '1', y: 'two' }, '/echo query');
  is(e.headers['x-test'], 'hello', '/echo headers (lower-cased names)');
  is(e.body, '', '/echo GET has empty body');
  const payload = '{"a":1,"ü":"∑"}';
  r = await request(`${a.http}/echo`, { method: 'POST', body: payload, headers: { 'content-type': 'application/json' } });
  e = json(r);
  is(e.method, 'POST', '/echo POST method');
  is(e.body, payload, '/echo POST body returned as received text');

  r = await request(`${a.http}/status?code=429&retry_after=3`);
  is(r.status, 429, '/status 429');
  is(r.headers['retry-after'], '3', '/status sets Retry-After');
  isDeep(json(r), { code: 429 }, '/status body');
  r = await request(`${a.http}/status?code=503`);
  is(r.status, 503, '/status 503');
  is(r.headers['retry-after'], undefined, 'no Retry-After unless asked');
  r = await request(`${a.http}/status?code=abc`);
  is(r.status, 400, 'bad parameter gives 400');
  ok(/code/.test(json(r).error), 'the 400 names the bad parameter');
  r = await request(`${a.http}/nowhere`);
  is(r.status, 404, 'unknown path gives 404');

  r = await request(`${a.http}/big?bytes=200003`);
  is(r.body.length, 200003, '/big returns exactly N bytes');
  let pattern = true;
  for (let i = 0; i < r.body.length; i++) if (r.body[i] !== 97 + (i % 26)) { pattern = false; break; }
  ok(pattern, "/big byte i is 'a' + i mod 26");
  r = await request(`${a.http}/big?bytes=0`);
  is(r.body.length, 0, '/big?bytes=0 is empty');

  // Keep-alive: one pooled socket for five sequential requests, so exactly one connection.
  await request(`${a.http}/stats/reset`, { method: 'POST' });
  const one = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const conns = new Set();
  for (let i = 0; i < 5; i++) conns.add(json(await request(`${a.http}/delay?ms=0&id=${i}`, { agent: one })).conn);
  one.destroy();
  let s = json(await request(`${a.http}/stats`));
  is(s.requests, 5, '/stats counts requests since reset');
  is(s.connections, 1, '/stats shows keep-alive reuse (1 connection)');
  is(conns.size, 1, 'the same conn number was reported each time');

  // Parallel requests on separate sockets: in_flight_max and connections go up.
  await request(`${a.http}/stats/reset`, { method: 'POST' });
  const four = new http.Agent({ keepAlive: true, maxSockets: 4 });
  const par = await Promise.all([0, 1, 2, 3].map((i) => request(`${a.http}/delay?ms=150&id=p${i}`, { agent: four })));
  four.destroy();
  s = json(await request(`${a.http}/stats`));
  is(s.in_flight_max, 4, '/stats in_flight_max sees 4 parallel requests');
  is(s.connections, 4, '/stats sees 4 connections');
  is(new Set(par.map((p) => json(p).conn)).size, 4, 'parallel requests got distinct conn numbers');

  let dropErr = null;
  try { await request(`${a.http}/drop`); } catch (err) { dropErr = err; }
  ok(dropErr && /hang up|ECONNRESET/.test(dropErr.message), `/drop closes without an answer (${dropErr && dropErr.message})`);

  // fetch (undici) also works, as the runtime's peers would use it.
  const f = await fetch(`${a.http}/echo?via=fetch`);
  is((await f.json()).query.via, 'fetch', 'fetch works against /echo');

  // Stall port: TCP connect succeeds, then nothing ever comes back.
  const u = new URL(a.stall);
  const sock = net.connect(Number(u.port), u.hostname);
  await new Promise((resolve, reject) => { sock.once('connect', resolve); sock.once('error', reject); });
  let got = 0;
  sock.on('data', (c) => { got += c.length; });
  sock.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
  await sleep(300);
  is(got, 0, 'stall port accepts but never answers');
  sock.destroy();
}

async function wsTests(a, prefix = a.ws, options = {}, label = 'ws') {
  let c = wsOpen(`${prefix}/echo`, options);
  await c.opened;
  c.ws.send('text one');
  is(await nextMessage(c.ws), 'text one', `${label} /echo echoes text`);
  c.ws.send(Buffer.from([0, 1, 2, 255]));
  const bin = await nextMessage(c.ws);
  ok(Buffer.isBuffer(bin) && bin.equals(Buffer.from([0, 1, 2, 255])), `${label} /echo echoes binary as binary`);
  const pong = new Promise((resolve) => c.ws.once('pong', (d) => resolve(d.toString())));
  c.ws.ping('pp');
  is(await pong, 'pp', `${label} server answers client pings`);
  c.ws.close(1000);
  is((await c.closed).code, 1000, `${label} /echo clean close`);
  if (label !== 'ws') return;

  c = wsOpen(`${prefix}/stream?interval_ms=5&count=6`);
  await c.opened;
  await sleep(200);
  isDeep(c.log.messages, ['1', '2', '3', '4', '5', '6'], 'ws /stream sends 1..N');
  is(c.log.close, null, 'ws /stream stays open afterwards');
  c.ws.close();
  await c.closed;

  c = wsOpen(`${prefix}/drop?after_ms=50`);
  await c.opened;
  const dropped = await c.closed;
  is(c.log.messages[0], 'hello', 'ws /drop sends hello');
  is(dropped.code, 1006, 'ws /drop ends without a close frame (1006)');

  c = wsOpen(`${prefix}/close?after_ms=20&code=1001`);
  await c.opened;
  is((await c.closed).code, 1001, 'ws /close sends a close frame with the requested code');

  c = wsOpen(`${prefix}/ping?interval_ms=20`);
  await c.opened;
  await sleep(170);
  c.ws.send('pongs?');
  const reply = await nextMessage(c.ws);
  const m = /^pongs:(\d+)$/.exec(reply);
  ok(m && Number(m[1]) >= 4, `ws /ping counts the client's pongs (${reply})`);
  c.ws.close();
  await c.closed;

  c = wsOpen(`${prefix}/nowhere`);
  let err = null;
  try { await c.opened; } catch (e) { err = e; }
  is(c.log.status, 404, `ws unknown path is refused with 404 (${err && err.message})`);
}

function makeCert(dir) {
  const cert = path.join(dir, 'cert.pem');
  const key = path.join(dir, 'key.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', key, '-out', cert, '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'],
  { stdio: 'ignore' });
  return { cert, key };
}

await run(async () => {
  const srv = startServer(SERVER);
  const a = await srv.ready;
  isDeep(Object.keys(a).sort(), ['http', 'stall', 'ws'], 'address line has http, ws, stall');
  ok(/^http:\/\/127\.0\.0\.1:\d+$/.test(a.http) && a.ws === a.http.replace('http:', 'ws:'), 'HTTP and WS share one 127.0.0.1 port');
  await httpTests(a);
  await wsTests(a);
  const st = await srv.stop();
  is(st.code, 0, 'exits 0 when stdin reaches EOF');
  is(srv.stdout.split('\n').filter(Boolean).length, 1, 'printed exactly one line on stdout');

  let tmp = null;
  try { tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hedge-ts-')); } catch (e) { diag(e.message); }
  let files = null;
  try { files = makeCert(tmp); } catch (e) { diag(`openssl failed: ${e.message}`); }
  if (files) {
    const tls = startServer(SERVER, ['--tls-cert', files.cert, '--tls-key', files.key]);
    const ta = await tls.ready;
    ok(/^https:\/\/127\.0\.0\.1:\d+$/.test(ta.https) && ta.wss === ta.https.replace('https:', 'wss:'), 'TLS mode adds https and wss');
    const ca = fs.readFileSync(files.cert);
    const r = await request(`${ta.https}/echo?tls=1`, { ca });
    is(json(r).query.tls, '1', 'https /echo works with the given certificate');
    await wsTests(ta, ta.wss, { ca }, 'wss');
    const ks = await tls.kill('SIGTERM');
    is(ks.code, 0, 'exits 0 on SIGTERM');
  } else {
    skip('TLS endpoints', 'openssl not available');
  }
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });

  const bad = startServer(SERVER, ['--tls-cert', '/nonexistent/cert.pem', '--tls-key', '/nonexistent/key.pem']);
  let badErr = null;
  try { await bad.ready; } catch (e) { badErr = e; }
  const bs = await bad.exited;
  ok(badErr && bs.code === 2 && /cannot read --tls-cert/.test(bad.stderr), 'unreadable certificate: exit 2 with a message naming it');

  const sigint = startServer(SERVER);
  await sigint.ready;
  is((await sigint.kill('SIGINT')).code, 0, 'exits 0 on SIGINT');
});
