// The edgeX WebSocket dialect: public subscriptions (ack, Snapshot then Changed, v2 "quote-event" vs
// v1 "payload"), depth increments with chained versions (and the gap a swallowed message leaves),
// trades, errors, edgeX's JSON ping/pong both ways and the close after unanswered pings; the
// private stream's authenticated upgrade (v2 headers or Sec-WebSocket-Protocol, v1 Stark
// headers), refused upgrades, the trade-event Snapshot, ORDER_UPDATE and FUNDING_SETTLEMENT.
import WebSocket from 'ws';
import { ok, is, isDeep, run } from '../lib/tap.mjs';
import { startSim, wsClient, waitFor } from '../lib/harness.mjs';
import { v2Headers, v1Headers, corruptHex } from '../lib/edgex_signer.mjs';
import { edgexWorld, edgexClient, K } from '../lib/edgex_world.mjs';

const isType = (type, channel) => (m) => m.type === type && (channel === undefined || m.channel === channel);

// Tries an upgrade that the server may refuse: { status, body } of the refusal, or { open: true }.
function tryUpgrade(url, headers) {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers });
    ws.on('unexpected-response', (req, res) => {
      let body = '';
      res.on('data', (d) => { body += d; });
      res.on('end', () => resolve({ status: res.statusCode, body: JSON.parse(body) }));
    });
    ws.on('open', () => { ws.close(); resolve({ open: true }); });
    ws.on('error', () => {});
  });
}

function privateUrl(addr, version, key) {
  const ts = String(Date.now());
  if (version === 'v2') {
    const query = { accountId: key.account_id, timestamp: ts };
    return { url: `${addr.private_ws}?accountId=${key.account_id}&timestamp=${ts}`, headers: v2Headers({ key, method: 'GET', path: '/api/v1/private/ws', query, timestamp: ts }) };
  }
  return { url: `${addr.private_ws}?accountId=${key.account_id}`, headers: v1Headers({ key, method: 'GET', path: '/api/v1/private/ws', query: { accountId: key.account_id }, timestamp: ts }) };
}

await run(async () => {
  const sim = await startSim({ scenario: edgexWorld() });
  const addr = sim.addr.edgex;
  const api = edgexClient(addr, 'v2', K.v2.account);
  await api.loadMeta();
  const btc = api.contract('BTC').contractId;
  const fault = (match, action, count = 1) => sim.control('POST', '/faults', { venue: 'edgex', match, action, count });
  let n = 0;
  const buy = (size, price = '100100') => api.post('private/order/createOrder', api.order('BTC', { side: 'BUY', price, size, tif: 'IMMEDIATE_OR_CANCEL', clientOrderId: `ws-${++n}` }));

  // ---- public stream ----
  const c = await wsClient(addr.public_ws);
  ok((await c.next(isType('connected'))).sid, 'v2 public: {"type":"connected","sid"} on connect');
  c.send({ type: 'ping', time: '1234567' });
  isDeep(await c.next(isType('pong')), { type: 'pong', time: '1234567' }, 'client ping answered with a pong echoing its time');
  c.send({ type: 'subscribe', channel: `depth.${btc}.15` });
  isDeep(await c.next(isType('subscribed')), { type: 'subscribed', channel: `depth.${btc}.15` }, 'subscribe acknowledged');
  let d = await c.next(isType('quote-event', `depth.${btc}.15`));
  const snap = d.content.data[0];
  isDeep([d.content.dataType, snap.depthType, snap.bids[0], snap.asks[0], snap.asks.length, snap.startVersion === snap.endVersion],
    ['Snapshot', 'SNAPSHOT', ['99990.0', '0.050'], ['100010.0', '0.050'], 3, true], 'depth snapshot: [price, size] arrays, best first');
  c.send({ type: 'subscribe', channel: `trades.${btc}` });
  await c.next(isType('subscribed', `trades.${btc}`));
  c.send({ type: 'subscribe', channel: `ticker.${btc}` });
  await c.next(isType('subscribed', `ticker.${btc}`));
  const tick = (await c.next(isType('quote-event', `ticker.${btc}`))).content.data[0];
  isDeep([tick.contractId, tick.oraclePrice, tick.markPrice, tick.fundingRate, tick.predictedFundingRate, tick.marketOpen], [btc, '100000', '100000', '0.00005000', '0.00010000', true], 'v2 ticker record with markPrice, predictedFundingRate, marketOpen');
  c.send({ type: 'subscribe', channel: 'depth.99999999.15' });
  isDeep((await c.next(isType('error'))).content.code, 'INVALID_CONTRACT_ID', 'unknown contract: {"type":"error","content":{"code":"INVALID_CONTRACT_ID"}}');
  c.ws.send('not json');
  is((await c.next(isType('error'))).content.code, 'INVALID_MESSAGE', 'a message that is not a JSON object: INVALID_MESSAGE');
  c.send({ type: 'subscribe' });
  is((await c.next(isType('error'))).content.code, 'INVALID_CHANNEL', 'subscribe without a channel: INVALID_CHANNEL, no ack');

  // 0.06 sweeps 100010 (0.05) and takes 0.01 of 100020.
  await buy('0.06');
  d = await c.next(isType('quote-event', `depth.${btc}.15`));
  let ch = d.content.data[0];
  isDeep([d.content.dataType, ch.depthType, ch.asks.sort(), ch.bids, Number(ch.startVersion)], ['Changed', 'CHANGED', [['100010.0', '0'], ['100020.0', '0.090']], [], Number(snap.endVersion) + 1],
    'depth CHANGED: absolute new sizes, "0" removes a level, startVersion = previous endVersion + 1');
  const trades = await c.next(isType('quote-event', `trades.${btc}`));
  isDeep(trades.content.data.map((x) => [x.price, x.size, x.isBuyerMaker]), [['100010.0', '0.050', false]], 'trades: the taker buy (isBuyerMaker false)');
  let lastEnd = Number(ch.endVersion);
  await fault({ kind: 'ws_out', channel: `depth.${btc}.15` }, { type: 'ws_gap' });
  await buy('0.01');
  await buy('0.01');
  d = await c.next(isType('quote-event', `depth.${btc}.15`));
  ch = d.content.data[0];
  ok(Number(ch.startVersion) > lastEnd + 1, `ws_gap: the next depth message starts at ${ch.startVersion}, past ${lastEnd} + 1 (a visible gap)`);
  lastEnd = Number(ch.endVersion);
  await fault({ kind: 'ws_out', channel: `ticker.${btc}` }, { type: 'ws_drop' });
  await sim.control('POST', '/prices', { venue: 'edgex', symbol: 'BTC', mark: '100050' });
  const closed = await c.waitClosed();
  is(closed.code, 1006, 'ws_drop on the ticker push: connection ends without a close frame');

  // v1 pushes "payload" and says nothing on connect.
  const v1pub = await wsClient(sim.addr.edgex_v1.public_ws);
  const v1btc = edgexClient(sim.addr.edgex_v1, 'v1', K.v1.account);
  await v1btc.loadMeta();
  v1pub.send({ type: 'subscribe', channel: `depth.${v1btc.contract('BTC').contractId}.15` });
  const first = await v1pub.next(() => true);
  is(first.type, 'subscribed', 'v1 public: no "connected" message, the ack comes first');
  is((await v1pub.next(() => true)).type, 'payload', 'v1 public pushes are {"type":"payload",...}');
  v1pub.close();

  // ---- private stream, v2 ----
  let p = privateUrl(addr, 'v2', K.v2.account);
  const priv = await wsClient(p.url, { headers: p.headers });
  await priv.next(isType('connected'));
  let ev = await priv.next(isType('trade-event'));
  isDeep([ev.content.event, ev.content.data.account[0].id, ev.content.data.position.map((x) => x.openSize), ev.content.accountId],
    ['Snapshot', K.v2.account.account_id, ['0.080'], 0], 'private v2: trade-event Snapshot (account, positions; content.accountId 0)');
  await buy('0.01');
  ev = await priv.next((m) => m.type === 'trade-event' && m.content.event === 'ORDER_UPDATE');
  const o = ev.content.data.order[0];
  isDeep([o.status, o.cumFillSize, ev.content.data.orderFillTransaction.length, ev.content.data.position[0].openSize, ev.content.data.positionTransaction[0].type],
    ['FILLED', '0.010', 1, '0.090', 'BUY_POSITION'], 'ORDER_UPDATE: the filled order with its fill, position and position transaction');
  ok(Number(ev.content.version) > 0, 'content.version is a number string');
  await sim.control('POST', '/clock/advance', { ms: 4 * 3_600_000 });
  ev = await priv.next((m) => m.type === 'trade-event' && m.content.event === 'FUNDING_SETTLEMENT');
  isDeep(ev.content.data.positionTransaction.map((x) => [x.type, x.fundingRate]), [['SETTLE_FUNDING_FEE', '0.00010000']], 'FUNDING_SETTLEMENT with the SETTLE_FUNDING_FEE record');
  priv.close();

  // Auth through Sec-WebSocket-Protocol (base64 JSON of the headers, no padding), echoed back.
  p = privateUrl(addr, 'v2', K.v2.account);
  const proto = Buffer.from(JSON.stringify(p.headers)).toString('base64').replace(/=+$/, '');
  const viaProto = await wsClient(p.url, { protocols: [proto] });
  is(viaProto.ws.protocol, proto, 'private v2 via Sec-WebSocket-Protocol: accepted and the protocol echoed');
  await viaProto.next((m) => m.type === 'trade-event' && m.content.event === 'Snapshot');
  viaProto.close();

  p = privateUrl(addr, 'v2', K.v2.account);
  let refusal = await tryUpgrade(p.url, { ...p.headers, 'X-edgeX-Signature': corruptHex(p.headers['X-edgeX-Signature'], 3) });
  isDeep([refusal.status, refusal.body.code], [401, 'SIGNATURE_ERROR'], 'private v2 with a wrong HMAC: upgrade refused 401 SIGNATURE_ERROR');
  refusal = await tryUpgrade(p.url.replace(/timestamp=[0-9]+/, 'timestamp=1'), p.headers);
  is(refusal.status, 400, 'private v2 whose query timestamp differs from the header: refused 400');
  p = privateUrl(addr, 'v2', K.v2.other);
  refusal = await tryUpgrade(p.url.replace(K.v2.other.account_id, K.v2.account.account_id), p.headers);
  is(refusal.status, 401, 'private v2 for another account\'s id: refused');

  // ---- private stream, v1 ----
  p = privateUrl(sim.addr.edgex_v1, 'v1', K.v1.account);
  const v1priv = await wsClient(p.url, { headers: p.headers });
  ev = await v1priv.next(isType('trade-event'));
  isDeep([ev.content.event, ev.content.data.account[0].l2Key], ['Snapshot', K.v1.account.l2_key], 'private v1 (Stark headers over "accountId=<id>"): Snapshot with the account\'s l2Key');
  v1priv.close();
  p = privateUrl(sim.addr.edgex_v1, 'v1', K.v1.account);
  refusal = await tryUpgrade(p.url, { ...p.headers, 'X-edgeX-Api-Signature': corruptHex(p.headers['X-edgeX-Api-Signature'], 100) });
  isDeep([refusal.status, refusal.body.code], [401, 'SIGNATURE_ERROR'], 'private v1 with a corrupted Stark signature: refused 401');

  // ---- heartbeat: server pings every 100 ms, closes after 2 unanswered ----
  await sim.control('POST', '/scenario', edgexWorld({ v2Options: { ws_ping_interval_ms: 100, ws_ping_max_missed: 2 } }));
  const polite = await wsClient(addr.public_ws);
  const silent = await wsClient(addr.public_ws);
  polite.ws.on('message', (m) => { const x = JSON.parse(m); if (x.type === 'ping') polite.send({ type: 'pong', time: x.time }); });
  const ping = await silent.next(isType('ping'));
  ok(/^[0-9]{13}$/.test(ping.time), 'server ping {"type":"ping","time":"<ms>"}');
  const gone = await silent.waitClosed({ timeoutMs: 2000 });
  is(gone.code, 1000, 'a client that never answers is closed after the unanswered pings');
  await new Promise((r) => setTimeout(r, 400));
  ok(polite.closed === null, 'a client answering with pongs stays connected');
  polite.close();
  const entries = (await sim.control('GET', '/requests?venue=edgex&kind=ws_in')).entries;
  ok(entries.some((e) => e.op === 'pong') && entries.every((e) => Number.isInteger(e.recv_us)), 'incoming WS messages recorded with op and µs receive time');
  await waitFor(async () => (await sim.control('GET', '/ws?venue=edgex')).connections === 0, { what: 'all edgeX sockets closed' });
  await sim.stop();
});
