// Fault injection on the edgeX dialect: every fault type hits exactly the next N matching calls in
// edgeX's own shapes and then stops (HTTP 429/5xx, disconnect, delay, timeout after accept,
// rejection, partial fill, stale data, bad payloads; WebSocket drop, gap, stale, delay, bad
// payload, refused subscription), on v2 and v1, and the request log records it all.
import { ok, is, isDeep, run } from '../lib/tap.mjs';
import { startSim, wsClient } from '../lib/harness.mjs';
import { edgexWorld, edgexClient, K } from '../lib/edgex_world.mjs';

await run(async () => {
  const sim = await startSim({ scenario: edgexWorld({ btcBook: { bids: [['99990', '5']], asks: [['100010', '5']] } }) });
  const api = edgexClient(sim.addr.edgex, 'v2', K.v2.account);
  const v1 = edgexClient(sim.addr.edgex_v1, 'v1', K.v1.account);
  await api.loadMeta();
  await v1.loadMeta();
  const btc = api.contract('BTC').contractId;
  const acct = K.v2.account.account_id;
  const fault = (match, action, count = 1, venue = 'edgex') => sim.control('POST', '/faults', { venue, match, action, count });
  let n = 0;
  const cid = () => `flt-${++n}`;
  const buy = (who, size, id = cid(), tif = 'IMMEDIATE_OR_CANCEL') => who.post('private/order/createOrder', who.order('BTC', { side: 'BUY', price: '100010', size, tif, clientOrderId: id }));
  const size = async (who = api) => ((await who.get('private/account/getAccountAsset', { accountId: who.key.account_id })).json.data.positionList[0] ?? { openSize: '0' }).openSize;
  const hist = async (id, who = api) => (await who.get('private/order/getHistoryOrderByClientOrderId', { accountId: who.key.account_id, clientOrderIdList: id })).json.data[0];

  // 429 with Retry-After, once.
  await fault({ kind: 'http', op: 'getTicker' }, { type: 'http_status', status: 429, retry_after: 3 });
  let r = await api.get('public/quote/getTicker', { contractId: btc });
  isDeep([r.status, r.headers.get('retry-after'), r.json.code, r.json.data], [429, '3', 'RATE_LIMIT_EXCEEDED', null], '429: Retry-After 3 and the edgeX envelope with RATE_LIMIT_EXCEEDED');
  is((await api.get('public/quote/getTicker', { contractId: btc })).json.code, 'SUCCESS', 'the next call is normal');

  // 503 on the next two orders (v2), one on v1: a gateway page, nothing placed.
  await fault({ op: 'createOrder' }, { type: 'http_status', status: 503 }, 2);
  const s1 = await buy(api, '0.01');
  const s2 = await buy(api, '0.01');
  ok(s1.status === 503 && s2.status === 503 && /503 Service Temporarily Unavailable/.test(s1.text) && s1.json === null, 'two 503s with the gateway HTML page');
  is(await size(), '0', 'the 503s placed nothing');
  is((await buy(api, '0.01')).json.code, 'SUCCESS', 'the third order goes through');
  is(await size(), '0.010', 'exactly one order executed');
  await fault({ op: 'createOrder' }, { type: 'http_status', status: 500 }, 1, 'edgex_v1');
  r = await buy(v1, '0.01');
  isDeep([r.status, r.json.code], [500, 'INTERNAL_ERROR'], 'v1: a 500 with the envelope');
  is(await size(v1), '0', 'v1: nothing placed');

  // Disconnect and delay.
  await fault({ op: 'getAccountAsset' }, { type: 'disconnect' });
  let err = null;
  try { await api.get('private/account/getAccountAsset', { accountId: acct }); } catch (e) { err = e; }
  ok(err !== null, `disconnect: the client sees a network error (${err && (err.cause?.code ?? err.message)})`);
  is((await api.get('private/account/getAccountAsset', { accountId: acct })).json.code, 'SUCCESS', 'then the endpoint answers');
  await fault({ op: 'getDepth' }, { type: 'delay', ms: 300 });
  let t0 = Date.now();
  await api.get('public/quote/getDepth', { contractId: btc, level: '15' });
  const slow = Date.now() - t0;
  t0 = Date.now();
  await api.get('public/quote/getDepth', { contractId: btc, level: '15' });
  ok(slow >= 300 && Date.now() - t0 < 250, `delay: ${slow} ms once, then fast`);

  // Timeout after accept: no answer, but the order was executed and is found by client id.
  await fault({ op: 'createOrder' }, { type: 'timeout_after_accept' });
  const lost = cid();
  const body = api.order('BTC', { side: 'BUY', price: '100010', size: '0.02', tif: 'IMMEDIATE_OR_CANCEL', clientOrderId: lost });
  const path = '/api/v2/private/order/createOrder';
  let aborted = null;
  try {
    await fetch(`${sim.addr.edgex.host}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...api.headersFor('POST', path, { body }) }, body: JSON.stringify(body), signal: AbortSignal.timeout(500) });
  } catch (e) { aborted = e; }
  ok(aborted && /TimeoutError|aborted/i.test(`${aborted.name} ${aborted.message}`), 'timeout after accept: no answer within 500 ms');
  const found = await hist(lost);
  isDeep([found.status, found.cumFillSize], ['FILLED', '0.020'], 'the unanswered order is found by clientOrderId in history, filled');
  is(await size(), '0.030', 'and it moved the position');
  r = await api.post('private/order/createOrder', body);
  ok(r.json.code === 'SUCCESS' && r.json.data.orderId === found.id, 'resending it answers the same orderId, no duplicate');
  is(await size(), '0.030', 'no second fill');

  // Rejections in edgeX's shapes, nothing placed.
  await fault({ op: 'createOrder' }, { type: 'reject' });
  r = await buy(api, '0.01');
  isDeep([r.status, r.json.code, r.json.data], [200, 'INSUFFICIENT_BALANCE', null], 'reject (default insufficient_funds): HTTP 200 code INSUFFICIENT_BALANCE');
  await fault({ op: 'createOrder' }, { type: 'reject', error: 'l2_signature' });
  r = await buy(api, '0.01');
  isDeep([r.status, r.json.code], [400, 'INVALID_L2_SIGNATURE'], 'reject l2_signature: 400 INVALID_L2_SIGNATURE');
  await fault({ op: 'updateLeverageSetting' }, { type: 'reject', error: 'leverage_open_orders' });
  r = await api.post('private/account/updateLeverageSetting', { accountId: acct, contractId: btc, leverage: '10' });
  is(r.json.code, 'ACCOUNT_UPDATE_LEVERAGE_FAILED_ORDER', 'reject leverage_open_orders');
  is(await size(), '0.030', 'rejected orders placed nothing');

  // Partial fill: half of 0.04, the IOC rest cancelled.
  await fault({ op: 'createOrder' }, { type: 'partial_fill', fraction: '0.5' });
  const part = cid();
  await buy(api, '0.04', part);
  const ph = await hist(part);
  isDeep([ph.status, ph.cumFillSize, ph.size, ph.cancelReason], ['CANCELED', '0.020', '0.040', 'COULD_NOT_FILL'], 'partial fill: 0.02 of 0.04, the rest cancelled');
  await buy(api, '0.04');
  is(await size(), '0.090', 'the next order fills fully');

  // Stale: the previous ticker again although the mark moved; then fresh.
  const before = (await api.get('public/quote/getTicker', { contractId: btc })).text;
  await sim.control('POST', '/prices', { venue: 'edgex', symbol: 'BTC', mark: '100500' });
  await fault({ op: 'getTicker' }, { type: 'stale' });
  is((await api.get('public/quote/getTicker', { contractId: btc })).text, before, 'stale: the earlier ticker payload again');
  is((await api.get('public/quote/getTicker', { contractId: btc })).json.data[0].oraclePrice, '100500', 'then the current oracle price');
  await fault({ op: 'getLatestFundingRate' }, { type: 'stale', age_ms: 600_000 });
  r = await api.get('public/funding/getLatestFundingRate', { contractId: btc });
  const current = (await api.get('public/funding/getLatestFundingRate', { contractId: btc })).json.data[0];
  is(Number(current.fundingTimestamp) - Number(r.json.data[0].fundingTimestamp), 600_000, 'stale with nothing cached: timestamps moved back by age_ms');

  // Bad payloads.
  const tick = async (action) => { await fault({ op: 'getTicker' }, { type: 'bad_payload', ...action }); return api.get('public/quote/getTicker', { contractId: btc }); };
  r = await tick({ mode: 'truncate' });
  ok(r.status === 200 && r.json === null && r.text.startsWith('{"code":"SUCCESS"'), 'bad_payload truncate: cut-off JSON');
  r = await tick({ mode: 'missing', field: 'data.0.oraclePrice' });
  ok(r.json && !('oraclePrice' in r.json.data[0]), 'bad_payload missing: oraclePrice gone');
  r = await tick({ mode: 'null', field: 'data.0.fundingRate' });
  is(r.json.data[0].fundingRate, null, 'bad_payload null');
  r = await tick({ mode: 'wrong_type', field: 'data.0.lastPrice' });
  is(r.json.data[0].lastPrice, 12345, 'bad_payload wrong_type: a decimal string became a number');
  r = await tick({ mode: 'raw', body: '<html>oops</html>' });
  is(r.text, '<html>oops</html>', 'bad_payload raw');
  is((await api.get('public/quote/getTicker', { contractId: btc })).json.code, 'SUCCESS', 'and intact again');

  // WebSocket faults.
  let c = await wsClient(sim.addr.edgex.public_ws);
  await fault({ kind: 'ws_in', op: 'subscribe' }, { type: 'http_status', status: 429 });
  c.send({ type: 'subscribe', channel: `ticker.${btc}` });
  isDeep((await c.next((m) => m.type === 'error')).content.code, 'RATE_LIMIT_EXCEEDED', 'ws_in http_status 429: an error message, no subscription');
  await fault({ kind: 'ws_out', channel: `depth.${btc}.15` }, { type: 'bad_payload', mode: 'truncate' });
  c.send({ type: 'subscribe', channel: `depth.${btc}.15` });
  await c.next((m) => m.type === 'subscribed');
  const cut = await c.next((m) => m.unparsed !== undefined);
  ok(cut.unparsed.startsWith('{"type":"quote-event"'), 'ws_out bad_payload: a cut-off depth frame');
  await fault({ kind: 'ws_out', channel: `depth.${btc}.15` }, { type: 'delay', ms: 300 });
  t0 = Date.now();
  await buy(api, '0.01');
  await c.next((m) => m.type === 'quote-event' && m.channel === `depth.${btc}.15`);
  ok(Date.now() - t0 >= 280, `ws_out delay: the depth update arrived after ${Date.now() - t0} ms`);
  c.send({ type: 'subscribe', channel: `ticker.${btc}` });
  await c.next((m) => m.type === 'subscribed' && m.channel === `ticker.${btc}`);
  const t1 = await c.next((m) => m.channel === `ticker.${btc}`);
  await sim.control('POST', '/prices', { venue: 'edgex', symbol: 'BTC', mark: '100600' });
  const t2 = await c.next((m) => m.channel === `ticker.${btc}`);
  await fault({ kind: 'ws_out', channel: `ticker.${btc}` }, { type: 'stale' });
  await sim.control('POST', '/prices', { venue: 'edgex', symbol: 'BTC', mark: '100700' });
  const t3 = await c.next((m) => m.channel === `ticker.${btc}`);
  ok(t1.content.data[0].oraclePrice === '100500' && t2.content.data[0].oraclePrice === '100600' && t3.content.data[0].oraclePrice === '100600', 'ws_out stale: the previous ticker again instead of 100700');
  await fault({ kind: 'ws_in', op: 'ping' }, { type: 'ws_drop' });
  c.send({ type: 'ping', time: '1' });
  is((await c.waitClosed()).code, 1006, 'ws_in ws_drop: dropped on the incoming ping');
  c = await wsClient(sim.addr.edgex.public_ws);
  c.send({ type: 'ping', time: '2' });
  is((await c.next((m) => m.type === 'pong')).time, '2', 'a new connection works (the fault was used up)');
  c.close();

  const applied = (await sim.control('GET', '/faults/log')).applied.map((a) => a.action.type);
  isDeep(applied, ['http_status', 'http_status', 'http_status', 'http_status', 'disconnect', 'delay', 'timeout_after_accept', 'reject', 'reject', 'reject',
    'partial_fill', 'stale', 'stale', 'bad_payload', 'bad_payload', 'bad_payload', 'bad_payload', 'bad_payload', 'http_status', 'bad_payload', 'delay', 'stale', 'ws_drop'],
  'fault log: every application in order, each exactly once');
  isDeep((await sim.control('GET', '/faults')).active, [], 'no fault left armed');
  const hung = (await sim.control('GET', '/requests?venue=edgex&op=createOrder')).entries.find((e) => e.status === 'hung');
  ok(hung && hung.verified.ok && Number.isInteger(hung.recv_us) && hung.faults[0].type === 'timeout_after_accept', 'request log: the hung order, verified, with its µs receive time and the fault');
  await sim.stop();
});
