// Fault `down`: a venue down for a stretch of simulated time. Its first match starts the outage;
// until the simulated clock has moved `ms` past that moment every HTTP request to the venue is
// refused (503, or the connection closed unanswered), whatever path it is for, new WebSockets
// are refused, other venues are untouched, and afterwards everything answers again.
import { ok, is, isDeep, run } from '../lib/tap.mjs';
import { startSim } from '../lib/harness.mjs';
import { signRequest, PATHS } from '../lib/pacifica_signer.mjs';
import { pacificaWorld, restClient, MAIN } from '../lib/pacifica_world.mjs';
import WebSocket from 'ws';

const asMain = { secretB58: MAIN.secret_key_base58, account: MAIN.public_key };
const cloid = (n) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

const wsStatus = (url) => new Promise((resolve) => {
  const ws = new WebSocket(url);
  ws.on('open', () => { ws.terminate(); resolve(101); });
  ws.on('unexpected-response', (_req, res) => { resolve(res.statusCode); ws.terminate(); });
  ws.on('error', () => resolve('error'));
});

await run(async () => {
  const sim = await startSim({ scenario: pacificaWorld() });
  const api = restClient(sim.addr.pacifica.rest);
  const fault = (match, action, count = 1) => sim.control('POST', '/faults', { venue: 'pacifica', match, action, count });
  const advance = (ms) => sim.control('POST', '/clock/advance', { ms });
  const market = (n) => api.post(PATHS.create_market_order, signRequest('create_market_order',
    { symbol: 'BTC', amount: '0.01', side: 'bid', slippage_percent: '1', reduce_only: false, client_order_id: cloid(n) }, asMain).body);
  const btcSize = async () => ((await api.get('/api/v1/positions', { account: MAIN.public_key })).json.data.find((p) => p.symbol === 'BTC') ?? { amount: '0' }).amount;

  // Refused definitions name what is wrong.
  let err = null;
  try { await fault({}, { type: 'down' }); } catch (e) { err = e; }
  ok(err && err.status === 400 && /down needs ms/.test(err.body.error), 'down without ms: 400 naming ms');
  err = null;
  try { await fault({}, { type: 'down', ms: 1000, mode: 'sometimes' }); } catch (e) { err = e; }
  ok(err && err.status === 400 && /down mode must be one of refuse, 503/.test(err.body.error), 'an unknown mode: 400 listing the modes');

  // 503 mode, started by an order: the order is not placed, reads on other paths fail too.
  await fault({ op: 'create_market_order' }, { type: 'down', ms: 180_000 });
  is((await api.get('/api/v1/info')).status, 200, 'before the trigger the venue answers');
  let r = await market(1);
  is(r.status, 503, 'the triggering order is answered 503');
  is((await api.get('/api/v1/info')).status, 503, 'then a read of another path: 503 as well');
  is(await wsStatus(sim.addr.pacifica.ws), 503, 'a new WebSocket is refused with 503');
  is((await market(2)).status, 503, 'a second order: 503');
  await advance(179_000);
  is((await api.get('/api/v1/positions', { account: MAIN.public_key })).status, 503, 'still down 1 s (simulated) before the end');
  await advance(1_000);
  is((await api.get('/api/v1/info')).status, 200, 'back once the simulated clock passed the outage');
  is(await btcSize(), '0', 'nothing the venue refused while down was executed');
  is((await market(3)).status, 200, 'an order after the outage goes through');
  is(await btcSize(), '0.01', 'and fills');
  is(await wsStatus(sim.addr.pacifica.ws), 101, 'WebSockets open again');

  // refuse mode: the connection is closed without an answer.
  await fault({ path: '/api/v1/info' }, { type: 'down', ms: 60_000, mode: 'refuse' });
  err = null;
  try { await api.get('/api/v1/info'); } catch (e) { err = e; }
  ok(err !== null, `refuse: the client sees a broken connection (${err && (err.cause?.code || err.message)})`);
  err = null;
  try { await api.get('/api/v1/book', { symbol: 'BTC' }); } catch (e) { err = e; }
  ok(err !== null, 'refuse: every path of the venue while down');
  const log = (await sim.control('GET', '/requests?path=/api/v1/book')).entries;
  is(log[log.length - 1].status, 'refused', 'the request log says refused');
  await advance(60_000);
  is((await api.get('/api/v1/info')).status, 200, 'back after 60 simulated seconds');

  // The fault log stamps every application with wall and simulated time.
  const applied = (await sim.control('GET', '/faults/log')).applied;
  ok(applied.length === 6 && applied.every((a) => a.action.type === 'down' && Number.isInteger(a.wall_ms) && Number.isInteger(a.sim_ms)),
    'the fault log lists the six refused calls as down, with wall_ms and sim_ms');
  isDeep((await sim.control('GET', '/faults')).active, [], 'nothing left armed');
  await sim.stop();
});
