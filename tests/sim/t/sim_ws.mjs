// The Pacifica WebSocket dialect: ping/pong, subscription acks (and silence for an invalid one),
// public and account channels in their short-key shapes, signed trading with {id, params}, and the
// WebSocket faults (drop, gap, injected rejection), control-side drops and the idle timeout.
import { randomUUID } from 'node:crypto';
import { ok, is, isDeep, run } from '../lib/tap.mjs';
import { startSim, wsClient } from '../lib/harness.mjs';
import { signRequest, corruptSignature } from '../lib/pacifica_signer.mjs';
import { pacificaWorld, MAIN, AGENT } from '../lib/pacifica_world.mjs';

const asAgent = { secretB58: AGENT.secret_key_base58, account: MAIN.public_key, agentPub: AGENT.public_key };
const acct = MAIN.public_key;
const isChannel = (ch) => (m) => m.channel === ch;

await run(async () => {
  const sim = await startSim({ scenario: pacificaWorld() });
  const url = sim.addr.pacifica.ws;
  const fault = (match, action, count = 1) => sim.control('POST', '/faults', { venue: 'pacifica', match, action, count });
  let c = await wsClient(url);

  c.send({ method: 'ping' });
  isDeep(await c.next(() => true), { channel: 'pong' }, 'JSON ping answered with {"channel":"pong"}');

  c.send({ method: 'subscribe', params: { source: 'prices' } });
  isDeep(await c.next(() => true), { channel: 'subscribe', data: { source: 'prices' } }, 'subscribe acknowledged with the params sent');
  const prices = await c.next(isChannel('prices'));
  isDeep(prices.data.map((p) => [p.symbol, p.mark, p.oracle, p.next_funding]), [['BTC', '100000', '100000', '0.0001'], ['ETH', '3500', '3500', '-0.00005']], 'prices snapshot');

  c.send({ method: 'subscribe', params: { source: 'book', symbol: 'BTC', agg_level: 1 } });
  await c.next(isChannel('subscribe'));
  let book = await c.next(isChannel('book'));
  isDeep([book.data.s, book.data.l[0][0], book.data.l[1][0]], ['BTC', { p: '99990', a: '0.05', n: 1 }, { p: '100010', a: '0.05', n: 1 }], 'book snapshot {s,t,l:[bids,asks]}');

  c.send({ method: 'subscribe', params: { source: 'book', symbol: 'DOGE', agg_level: 1 } });
  c.send({ method: 'ping' });
  const afterBad = await c.next(isChannel('pong'));
  ok(afterBad && !c.messages.some(isChannel('subscribe')), 'subscription to an unknown symbol: no acknowledgement at all');

  for (const source of ['account_info', 'account_positions', 'account_order_updates', 'account_trades']) {
    c.send({ method: 'subscribe', params: { source, account: acct } });
    await c.next((m) => m.channel === 'subscribe' && m.data.source === source);
  }
  const info = await c.next(isChannel('account_info'));
  isDeep([info.data.b, info.data.ae, info.data.pc], ['10000', '10000', 0], 'account_info snapshot');
  isDeep((await c.next(isChannel('account_positions'))).data, [], 'account_positions snapshot: no positions');

  // Trading over the socket.
  const cl = randomUUID();
  const reqId = randomUUID();
  const body = signRequest('create_market_order', { symbol: 'BTC', amount: '0.01', side: 'bid', slippage_percent: '1', reduce_only: false, client_order_id: cl }, asAgent).body;
  c.send({ id: reqId, params: { create_market_order: body } });
  const ack = await c.next((m) => m.id === reqId);
  ok(ack.code === 200 && ack.type === 'create_market_order' && ack.data.I === cl && Number.isInteger(ack.data.i) && ack.data.s === 'BTC' && Number.isInteger(ack.t),
    'WS order answered {"code":200,"data":{"I","i","s"},"id","t","type"}');
  const upd = await c.next(isChannel('account_order_updates'));
  isDeep([upd.data[0].I, upd.data[0].i, upd.data[0].oe, upd.data[0].os, upd.data[0].f, upd.data[0].d], [cl, ack.data.i, 'fulfill_market', 'filled', '0.01', 'bid'], 'account_order_updates: filled');
  const fill = await c.next(isChannel('account_trades'));
  isDeep([fill.data[0].ts, fill.data[0].p, fill.data[0].a, fill.data[0].te, fill.data[0].f], ['open_long', '100010', '0.01', 'fulfill_taker', '0.40004'], 'account_trades: the taker fill with fee');
  const posMsg = await c.next((m) => m.channel === 'account_positions' && m.data.length === 1);
  isDeep([posMsg.data[0].s, posMsg.data[0].d, posMsg.data[0].a, posMsg.data[0].p], ['BTC', 'bid', '0.01', '100010'], 'account_positions: the new long');
  book = await c.next((m) => m.channel === 'book' && m.data.l[1][0].a !== '0.05');
  isDeep(book.data.l[1][0], { p: '100010', a: '0.04', n: 1 }, 'book update shows the consumed ask');

  const badId = randomUUID();
  c.send({ id: badId, params: { create_market_order: corruptSignature(signRequest('create_market_order', { symbol: 'BTC', amount: '0.01', side: 'bid', slippage_percent: '1', reduce_only: false }, asAgent).body) } });
  const bad = await c.next((m) => m.id === badId);
  isDeep([bad.code, bad.error, bad.type], [401, 'Verification failed', 'create_market_order'], 'WS order with a corrupted signature: code 401');

  await fault({ kind: 'ws_in', op: 'create_order' }, { type: 'reject', error: 'insufficient_funds' });
  const rejId = randomUUID();
  c.send({ id: rejId, params: { create_order: signRequest('create_order', { symbol: 'BTC', price: '99000', amount: '0.001', side: 'bid', tif: 'ALO', reduce_only: false }, asAgent).body } });
  const rej = await c.next((m) => m.id === rejId);
  isDeep([rej.code, rej.error], [420, 'Insufficient balance'], 'injected WS rejection: engine-error code 420');

  // A gap: the next account_order_updates message is swallowed, the one after arrives.
  await fault({ kind: 'ws_out', channel: 'account_order_updates' }, { type: 'ws_gap' });
  const alo = (id) => ({ id: randomUUID(), params: { create_order: signRequest('create_order', { symbol: 'BTC', price: '99000', amount: '0.001', side: 'bid', tif: 'ALO', reduce_only: false, client_order_id: id }, asAgent).body } });
  const first = randomUUID();
  const second = randomUUID();
  c.send(alo(first));
  c.send(alo(second));
  const seen = await c.next((m) => m.channel === 'account_order_updates' && m.data[0].I === second);
  ok(seen && !c.messages.concat([seen]).some((m) => m.channel === 'account_order_updates' && m.data[0].I === first), 'ws_gap: the first order update never arrived, the second did');

  // A truncated frame on the next positions message, then intact ones again.
  await fault({ kind: 'ws_out', channel: 'account_positions' }, { type: 'bad_payload', mode: 'truncate' });
  const closeOne = randomUUID();
  c.send({ id: closeOne, params: { create_market_order: signRequest('create_market_order', { symbol: 'BTC', amount: '0.001', side: 'bid', slippage_percent: '1', reduce_only: false }, asAgent).body } });
  await c.next((m) => m.id === closeOne);
  const cut = await c.next((m) => m.unparsed !== undefined);
  ok(cut.unparsed.startsWith('{"channel":"account_positions"'), 'bad_payload on a WS channel: a cut-off account_positions frame arrives');

  // Drop on the next book message; a reconnect resubscribes and gets a fresh snapshot.
  await fault({ kind: 'ws_out', channel: 'book' }, { type: 'ws_drop' });
  await sim.control('POST', '/prices', { symbol: 'BTC', mark: '100001' });
  is((await c.waitClosed()).code, 1006, 'ws_drop: connection ends without a close frame (1006)');
  c = await wsClient(url);
  c.send({ method: 'subscribe', params: { source: 'book', symbol: 'BTC' } });
  book = await c.next(isChannel('book'));
  is(book.data.s, 'BTC', 'after reconnecting the book is resnapshotted (the drop fired once)');

  is((await sim.control('POST', '/ws/drop', {})).dropped, 1, 'control /ws/drop drops every connection');
  is((await c.waitClosed()).code, 1006, 'dropped abruptly');

  const log = (await sim.control('GET', '/requests?kind=ws_in')).entries;
  ok(log.length >= 10 && log.every((e) => Number.isInteger(e.recv_us) && typeof e.text === 'string'), 'incoming WS messages recorded with µs times');
  isDeep([...new Set(log.map((e) => e.op))].sort(), ['create_market_order', 'create_order', 'ping', 'subscribe'], 'recorded WS ops');

  // Idle timeout: a client that sends nothing is closed by the venue.
  const world = pacificaWorld({ options: { idle_timeout_ms: 300 } });
  await sim.control('POST', '/scenario', world);
  c = await wsClient(url);
  const t0 = Date.now();
  const closed = await c.waitClosed({ timeoutMs: 3000 });
  ok(closed.code === 1000 && Date.now() - t0 >= 300, `idle connection closed by the venue after ${Date.now() - t0} ms`);
  is((await sim.proc.kill('SIGTERM')).code, 0, 'simulator exits 0 on SIGTERM');
});
