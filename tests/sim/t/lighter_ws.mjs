// The Lighter WebSocket dialect: connected/ping/pong, channel naming (subscribe "kind/arg", frames
// "kind:arg"), the order book snapshot and absolute-size deltas chained by begin_nonce/nonce (and a
// ws_gap fault breaking that chain), ticker and market_stats in the venue's units, private account
// channels behind auth tokens, jsonapi/sendtx answers, and the error codes of §9.
import { ok, is, isDeep, run } from '../lib/tap.mjs';
import { startSim, wsClient } from '../lib/harness.mjs';
import { officialSigner, lighterWorld, lighterApi, KEYS, START_MS, HOUR } from '../venues/lighter/test_support.mjs';

const A = KEYS.account;
const K3 = KEYS.api_key_3;

await run(async () => {
  const sim = await startSim({ scenario: lighterWorld() });
  const api = lighterApi(sim.addr.lighter.rest);
  const s = await officialSigner();
  const c = await wsClient(sim.addr.lighter.ws);
  const next = (pred, what) => c.next(pred, { what, timeoutMs: 3000 });

  is((await next((m) => m.type === 'connected', 'connected')).type, 'connected', 'the server greets with {"type":"connected"}');
  c.send({ type: 'ping' });
  is((await next((m) => m.type === 'pong', 'pong')).type, 'pong', 'ping -> pong');

  // ---- order book ----
  c.send({ type: 'subscribe', channel: 'order_book/0' });
  const snap = await next((m) => m.type === 'subscribed/order_book', 'book snapshot');
  is(snap.channel, 'order_book:0', 'frames name the channel with ":"');
  isDeep([snap.order_book.asks.map((l) => l.price), snap.order_book.bids.map((l) => l.price), snap.order_book.begin_nonce],
    [['3501.00', '3502.00', '3510.00'], ['3499.00', '3498.00', '3490.00'], 0], 'snapshot: asks ascending, bids descending, begin_nonce 0');
  await sim.control('POST', '/trade', { venue: 'lighter', symbol: 'ETH', side: 'buy', size: '0.4' });
  const up = await next((m) => m.type === 'update/order_book', 'book update');
  isDeep([up.order_book.asks, up.order_book.bids], [[{ price: '3501.00', size: '0.6000' }], []], 'update: only the changed level, with its new absolute size');
  is(up.order_book.begin_nonce, snap.order_book.nonce, "update's begin_nonce = the snapshot's nonce");
  await sim.control('POST', '/trade', { venue: 'lighter', symbol: 'ETH', side: 'buy', size: '0.6' });
  const gone = await next((m) => m.type === 'update/order_book', 'removal');
  isDeep(gone.order_book.asks, [{ price: '3501.00', size: '0.0000' }], 'a consumed level is sent with size 0');
  is(gone.order_book.begin_nonce, up.order_book.nonce, 'the chain continues');
  await sim.control('POST', '/faults', { venue: 'lighter', match: { kind: 'ws_out', channel: 'order_book' }, action: { type: 'ws_gap' } });
  await sim.control('POST', '/trade', { venue: 'lighter', symbol: 'ETH', side: 'sell', size: '0.5' });
  await new Promise((r) => setTimeout(r, 100));
  await sim.control('POST', '/trade', { venue: 'lighter', symbol: 'ETH', side: 'sell', size: '0.2' });
  const after = await next((m) => m.type === 'update/order_book', 'update after the gap');
  ok(after.order_book.begin_nonce !== gone.order_book.nonce, `a swallowed frame shows as a gap: begin_nonce ${after.order_book.begin_nonce} != last nonce ${gone.order_book.nonce}`);
  isDeep(after.order_book.bids, [{ price: '3499.00', size: '0.3000' }], 'and the frame after the gap carries only its own change');

  // ---- ticker and market stats ----
  c.send({ type: 'subscribe', channel: 'ticker/0' });
  const tk = await next((m) => m.type === 'subscribed/ticker', 'ticker');
  isDeep([tk.ticker.s, tk.ticker.a, tk.ticker.b], ['ETH', { price: '3502.00', size: '2.0000' }, { price: '3499.00', size: '0.3000' }], 'ticker: symbol, best ask and bid');
  c.send({ type: 'subscribe', channel: 'market_stats/0' });
  const st = await next((m) => m.type === 'subscribed/market_stats', 'market_stats');
  isDeep([st.market_stats.market_id, st.market_stats.mark_price, st.market_stats.funding_rate, st.market_stats.current_funding_rate, st.market_stats.funding_timestamp],
    [0, '3500.00', '0.0012', '0.0011', START_MS - 600_000], 'market_stats: mark, last and current funding in percent per hour, last settlement time');
  c.send({ type: 'subscribe', channel: 'market_stats/all' });
  const all = await next((m) => m.channel === 'market_stats:all', 'market_stats/all');
  isDeep(Object.keys(all.market_stats).sort(), ['0', '1'], 'market_stats/all: keyed by market id');

  // ---- private channels ----
  c.send({ type: 'subscribe', channel: `account_all_orders/${A}` });
  let e = await next((m) => m.type === 'error', 'auth error');
  isDeep([e.code, e.message], [30012, 'auth field is required'], 'private channel without auth refused (30012)');
  const tok = s.authToken(K3, A, Math.floor(Date.now() / 1000) + 3600);
  c.send({ type: 'subscribe', channel: `account_all_orders/${A}`, auth: `${tok.slice(0, -1)}${tok.endsWith('0') ? '1' : '0'}` });
  e = await next((m) => m.type === 'error', 'bad auth');
  is(e.code, 30012, 'forged token refused');
  c.send({ type: 'subscribe', channel: `account_all_orders/${A}`, auth: tok });
  isDeep((await next((m) => m.type === 'subscribed/account_all_orders', 'orders snapshot')).orders, {}, 'subscribed with no open order');
  c.send({ type: 'subscribe', channel: `account_all_positions/${A}`, auth: tok });
  await next((m) => m.type === 'subscribed/account_all_positions', 'positions snapshot');
  c.send({ type: 'subscribe', channel: `user_stats/${A}` });
  is((await next((m) => m.type === 'subscribed/user_stats', 'user_stats')).stats.collateral, '100000.000000', 'user_stats: collateral');
  c.send({ type: 'subscribe', channel: `account_tx/${A}`, auth: tok });
  await next((m) => m.type === 'subscribed/account_tx', 'account_tx');

  const gtt = s.createOrder(K3, A, { market: 0, clientIndex: 9, base: 100, price: 340000, isAsk: false, type: 0, tif: 1, expiry: START_MS + HOUR, nonce: 0 });
  is((await api.sendTx(14, gtt)).status, 200, 'a resting order sent over REST');
  const ou = await next((m) => m.type === 'update/account_all_orders', 'order update');
  isDeep(ou.orders['0'].map((o) => [o.client_order_index, o.status, o.price, o.is_ask]), [[9, 'open', '3400.00', false]], 'account_all_orders update: the new order under its market id');
  const tx = await next((m) => m.type === 'update/account_tx', 'tx update');
  isDeep([tx.txs[0].type, tx.txs[0].status, tx.txs[0].nonce], [14, 2, 0], 'account_tx: the executed CreateOrder');

  // ---- sending over the socket ----
  const mkt = s.createOrder(K3, A, { market: 0, clientIndex: 10, base: 1000, price: 351000, isAsk: false, type: 1, tif: 0, nonce: 1 });
  c.send({ type: 'jsonapi/sendtx', data: { id: 'req-1', tx_type: 14, tx_info: JSON.parse(mkt) } });
  const ans = await next((m) => m.id === 'req-1', 'sendtx answer');
  ok(ans.code === 200 && /^[0-9a-f]{80}$/.test(ans.tx_hash), 'jsonapi/sendtx: code 200 and the tx hash, echoing the id');
  const pos = await next((m) => m.type === 'update/account_all_positions' && m.positions['0']?.position !== '0.0000', 'position update');
  isDeep([pos.positions['0'].sign, pos.positions['0'].position], [1, '0.1000'], 'account_all_positions: long 0.1 after the fill');
  c.send({ type: 'jsonapi/sendtx', data: { id: 'req-2', tx_type: 14, tx_info: JSON.parse(mkt) } });
  isDeep((await next((m) => m.id === 'req-2', 'replay answer')).error, { code: 21104, message: 'invalid nonce' }, 'a replay over WS: {"error":{"code":21104,...},"id"}');

  // ---- channel errors, unsubscribe, drop ----
  c.send({ type: 'subscribe', channel: 'order_book/0' });
  is((await next((m) => m.type === 'error', 'already')).code, 30003, 'subscribing twice: 30003');
  c.send({ type: 'subscribe', channel: 'order_book/99' });
  is((await next((m) => m.type === 'error', 'invalid')).code, 30005, 'unknown market: 30005 invalid channel');
  c.send({ type: 'unsubscribe', channel: 'order_book/0' });
  is((await next((m) => m.type === 'unsubscribed', 'unsubscribed')).channel, 'order_book:0', 'unsubscribe acknowledged');
  c.send({ type: 'nonsense' });
  is((await next((m) => m.type === 'error', 'type')).code, 30001, 'unknown message type: 30001');
  is((await sim.control('POST', '/ws/drop', { venue: 'lighter' })).dropped, 1, 'control /ws/drop');
  await c.waitClosed();
  ok(true, 'the client saw the connection go');
  await sim.stop();
});
