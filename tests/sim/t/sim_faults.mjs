// Fault injection over REST: each fault hits exactly the next N matching calls and then stops, and
// the request log records every call with microsecond receive times.
import { ok, is, isDeep, run } from '../lib/tap.mjs';
import { startSim } from '../lib/harness.mjs';
import { signRequest, PATHS } from '../lib/pacifica_signer.mjs';
import { pacificaWorld, restClient, MAIN } from '../lib/pacifica_world.mjs';

const asMain = { secretB58: MAIN.secret_key_base58, account: MAIN.public_key };
let n = 0;
const cloid = () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`;

await run(async () => {
  const sim = await startSim({ scenario: pacificaWorld({ btcBook: { bids: [['99990', '5']], asks: [['100010', '5']] } }) });
  const api = restClient(sim.addr.pacifica.rest);
  const fault = (match, action, count = 1) => sim.control('POST', '/faults', { venue: 'pacifica', match, action, count });
  const market = (amount, id = cloid()) => api.post(PATHS.create_market_order, signRequest('create_market_order', { symbol: 'BTC', amount, side: 'bid', slippage_percent: '1', reduce_only: false, client_order_id: id }, asMain).body);
  const btcSize = async () => ((await api.get('/api/v1/positions', { account: MAIN.public_key })).json.data.find((p) => p.symbol === 'BTC') ?? { amount: '0' }).amount;

  // 429 with Retry-After, once.
  await fault({ kind: 'http', path: '/api/v1/info' }, { type: 'http_status', status: 429, retry_after: 2 });
  let r = await api.get('/api/v1/info');
  isDeep([r.status, r.headers.get('retry-after'), r.json], [429, '2', { success: false, data: null, error: 'Rate limit exceeded', code: 429 }], '429 with Retry-After: 2 and the envelope');
  r = await api.get('/api/v1/info');
  is(r.status, 200, 'the next call is normal again');
  isDeep((await sim.control('GET', '/faults')).active, [], 'a used-up fault is gone');

  // 503 on the next two order calls; the order is not placed by them.
  await fault({ op: 'create_market_order' }, { type: 'http_status', status: 503 }, 2);
  const s1 = (await market('0.01')).status;
  const s2 = (await market('0.01')).status;
  isDeep([s1, s2], [503, 503], 'two 503s');
  is(await btcSize(), '0', 'a 503 from the fault placed nothing');
  is((await market('0.01')).status, 200, 'third order call goes through');
  is(await btcSize(), '0.01', 'exactly one order executed');

  // Delay.
  await fault({ path: '/api/v1/book' }, { type: 'delay', ms: 300 });
  let t0 = Date.now();
  r = await api.get('/api/v1/book', { symbol: 'BTC' });
  const slow = Date.now() - t0;
  t0 = Date.now();
  await api.get('/api/v1/book', { symbol: 'BTC' });
  const fast = Date.now() - t0;
  ok(r.status === 200 && slow >= 300, `delayed answer took ${slow} ms (>= 300)`);
  ok(fast < 250, `next answer undelayed (${fast} ms)`);

  // Timeout after accept: the client gives up, but the order went through.
  await fault({ op: 'create_market_order' }, { type: 'timeout_after_accept' });
  const lost = cloid();
  let aborted = null;
  try {
    await fetch(`${sim.addr.pacifica.host}${PATHS.create_market_order}`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, signal: AbortSignal.timeout(500),
      body: JSON.stringify(signRequest('create_market_order', { symbol: 'BTC', amount: '0.02', side: 'bid', slippage_percent: '1', reduce_only: false, client_order_id: lost }, asMain).body),
    });
  } catch (e) { aborted = e; }
  ok(aborted && /TimeoutError|aborted/i.test(`${aborted.name} ${aborted.message}`), 'timeout after accept: no answer within 500 ms');
  const found = (await api.get('/api/v1/orders/history', { account: MAIN.public_key })).json.data.find((o) => o.client_order_id === lost);
  isDeep(found && [found.order_status, found.filled_amount], ['filled', '0.02'], 'the unanswered order is found by client id, filled');
  is(await btcSize(), '0.03', 'and it moved the position');
  const hungEntry = (await sim.control('GET', '/requests?op=create_market_order')).entries.pop();
  isDeep([hungEntry.status, hungEntry.faults.map((f) => f.type)], ['hung', ['timeout_after_accept']], 'request log marks it hung, with the fault');
  is((await market('0.01')).status, 200, 'the next order is answered');

  // Rejection in the venue's shape; nothing placed; then normal.
  await fault({ op: 'create_order' }, { type: 'reject', error: 'insufficient_funds' });
  const limit = () => api.post(PATHS.create_order, signRequest('create_order', { symbol: 'BTC', price: '99000', amount: '0.001', side: 'bid', tif: 'ALO', reduce_only: false, client_order_id: cloid() }, asMain).body);
  r = await limit();
  isDeep([r.status, r.json], [422, { success: false, data: null, error: 'Insufficient balance', code: 4 }], 'injected rejection looks like the real one');
  is((await api.get('/api/v1/orders', { account: MAIN.public_key })).json.data.length, 0, 'the rejected order does not exist');
  is((await limit()).status, 200, 'next limit order accepted');
  is((await api.get('/api/v1/orders', { account: MAIN.public_key })).json.data.length, 1, 'and rests');

  // Partial fill: half of 0.02, the rest cancelled; once.
  await fault({ op: 'create_market_order' }, { type: 'partial_fill', fraction: '0.5' });
  const partialId = cloid();
  r = await market('0.02', partialId);
  const partial = (await api.get('/api/v1/orders/history', { account: MAIN.public_key })).json.data.find((o) => o.client_order_id === partialId);
  isDeep([r.status, partial.order_status, partial.filled_amount, partial.amount], [200, 'cancelled', '0.01', '0.02'], 'partial fill: 0.01 of 0.02 filled, rest cancelled');
  is(await btcSize(), '0.05', 'position grew by the partial 0.01');
  await market('0.02');
  is(await btcSize(), '0.07', 'the next order fills fully');

  // Disconnect without an answer.
  await fault({ path: '/api/v1/account' }, { type: 'disconnect' });
  let netErr = null;
  try { await api.get('/api/v1/account', { account: MAIN.public_key }); } catch (e) { netErr = e; }
  ok(netErr !== null, `disconnect: the client sees a network error (${netErr && (netErr.cause?.code ?? netErr.message)})`);
  is((await api.get('/api/v1/account', { account: MAIN.public_key })).status, 200, 'then the endpoint answers again');

  // Stale data: the previous payload again although the mark moved.
  const fresh = (await api.get('/api/v1/info/prices')).text;
  await sim.control('POST', '/prices', { symbol: 'BTC', mark: '100500' });
  await fault({ path: '/api/v1/info/prices' }, { type: 'stale' });
  is((await api.get('/api/v1/info/prices')).text, fresh, 'stale: the earlier payload is served again');
  is((await api.get('/api/v1/info/prices')).json.data[0].mark, '100500', 'then the current mark');

  // Bad payloads, each once: truncated JSON, a missing field, a null, a wrong type, raw text.
  const pricesAfter = async (action) => { await fault({ path: '/api/v1/info/prices' }, { type: 'bad_payload', ...action }); return api.get('/api/v1/info/prices'); };
  r = await pricesAfter({ mode: 'truncate' });
  ok(r.status === 200 && r.json === null && r.text.length > 0 && fresh.startsWith(r.text.slice(0, 20)), 'bad_payload truncate: 200 with cut-off JSON');
  r = await pricesAfter({ mode: 'missing', field: 'data.0.mark' });
  ok(r.json && !('mark' in r.json.data[0]) && 'mark' in r.json.data[1], 'bad_payload missing: data[0].mark is gone, data[1].mark is not');
  r = await pricesAfter({ mode: 'null', field: 'data.*.funding' });
  isDeep(r.json.data.map((p) => p.funding), [null, null], 'bad_payload null: every funding is null');
  r = await pricesAfter({ mode: 'wrong_type', field: 'data.1.next_funding' });
  is(r.json.data[1].next_funding, 12345, 'bad_payload wrong_type: a decimal string became a number');
  r = await pricesAfter({ mode: 'raw', body: '<html>502 Bad Gateway</html>' });
  is(r.text, '<html>502 Bad Gateway</html>', 'bad_payload raw: arbitrary text');
  is((await api.get('/api/v1/info/prices')).json.data[0].mark, '100500', 'and then intact again');

  // Bad fault requests are refused.
  let err = null;
  try { await fault({}, { type: 'explode' }); } catch (e) { err = e; }
  ok(err && err.status === 400 && /unknown fault type "explode"/.test(err.body.error), 'unknown fault type: 400 naming it');
  err = null;
  try { await fault({ colour: 'red' }, { type: 'delay', ms: 1 }); } catch (e) { err = e; }
  ok(err && err.status === 400 && /unknown match key "colour"/.test(err.body.error), 'unknown match key: 400 naming it');
  const applied = (await sim.control('GET', '/faults/log')).applied.map((a) => a.action.type);
  isDeep(applied, ['http_status', 'http_status', 'http_status', 'delay', 'timeout_after_accept', 'reject', 'partial_fill', 'disconnect', 'stale',
    'bad_payload', 'bad_payload', 'bad_payload', 'bad_payload', 'bad_payload'], 'fault log: every application, in order');
  err = null;
  try { await fault({}, { type: 'bad_payload', mode: 'null' }); } catch (e) { err = e; }
  ok(err && err.status === 400 && /needs "field"/.test(err.body.error), 'bad_payload without a field: 400');

  // Request log: µs receive times, ordering, and the skew of two concurrent requests.
  const mark = (await sim.control('GET', '/requests?limit=1')).last_seq;
  await Promise.all([market('0.01'), api.post(PATHS.create_order, signRequest('create_order', { symbol: 'ETH', price: '3000', amount: '0.01', side: 'bid', tif: 'GTC', reduce_only: false }, asMain).body)]);
  const legs = (await sim.control('GET', `/requests?since=${mark}&kind=http`)).entries;
  is(legs.length, 2, 'since= returns only the two new requests');
  ok(legs.every((e) => Number.isInteger(e.recv_us) && e.recv_us <= e.body_us && e.body_us <= e.respond_us), 'each has integer µs receive <= body <= respond times');
  const skew = Math.abs(legs[0].recv_us - legs[1].recv_us);
  ok(skew < 200_000, `concurrent legs arrived ${skew} µs apart`);
  isDeep(legs.map((e) => e.verified.ok).sort(), [true, true], 'both legs verified');
  ok(legs.every((e) => e.body.includes('"signature"') && e.headers['content-type'] === 'application/json'), 'bodies and headers recorded as received');
  const all = (await sim.control('GET', '/requests')).entries;
  ok(all.every((e, i) => i === 0 || (e.seq > all[i - 1].seq && e.recv_us >= all[i - 1].recv_us)), 'sequence numbers and receive times increase together');
  await sim.control('DELETE', '/requests');
  is((await sim.control('GET', '/requests')).entries.length, 0, 'the log can be cleared');
  await sim.stop();
});
