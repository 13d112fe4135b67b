// A Lighter book keep-alive (an empty update that changes nothing) never spends a ws_gap fault:
// losing it would lose nothing, so the gap would be invisible. The fault stays armed through the
// keep-alives and breaks the chain at the next frame that carries a change. (A client test armed
// a gap on a loaded machine, a keep-alive took it, and no gap was ever seen.)
import { ok, is, run } from '../lib/tap.mjs';
import { startSim, wsClient } from '../lib/harness.mjs';
import { lighterWorld } from '../venues/lighter/test_support.mjs';

await run(async () => {
  const sim = await startSim({ scenario: lighterWorld({ options: { ws_book_keepalive_ms: 40 } }) });
  const c = await wsClient(sim.addr.lighter.ws);
  const next = (pred, what) => c.next(pred, { what, timeoutMs: 3000 });
  await next((m) => m.type === 'connected', 'connected');
  c.send({ type: 'subscribe', channel: 'order_book/0' });
  const snap = await next((m) => m.type === 'subscribed/order_book', 'book snapshot');
  const keepalive = await next((m) => m.type === 'update/order_book' && m.order_book.asks.length === 0 && m.order_book.bids.length === 0, 'a keep-alive');
  is(keepalive.order_book.begin_nonce, snap.order_book.nonce, 'keep-alives arrive (empty, chained to the snapshot)');

  await sim.control('POST', '/faults', { venue: 'lighter', match: { kind: 'ws_out', channel: 'order_book' }, action: { type: 'ws_gap' } });
  // Several keep-alives go by while the gap is armed.
  let seen = 0;
  while (seen < 3) {
    await next((m) => m.type === 'update/order_book' && m.order_book.asks.length === 0 && m.order_book.bids.length === 0, 'keep-alives while armed');
    seen++;
  }
  is((await sim.control('GET', '/faults')).active.length, 1, 'the ws_gap is still armed after 3 keep-alives went out');
  await sim.control('POST', '/trade', { venue: 'lighter', symbol: 'ETH', side: 'buy', size: '0.4' });
  await new Promise((r) => setTimeout(r, 100));
  is((await sim.control('GET', '/faults')).active.length, 0, 'the change spent it');
  await sim.control('POST', '/trade', { venue: 'lighter', symbol: 'ETH', side: 'buy', size: '0.1' });
  const after = await next((m) => m.type === 'update/order_book' && (m.order_book.asks.length > 0 || m.order_book.bids.length > 0), 'the next change');
  ok(after.order_book.begin_nonce !== snap.order_book.nonce, `the lost change shows as a gap: begin_nonce ${after.order_book.begin_nonce} != ${snap.order_book.nonce}`);
  c.close();
  await sim.stop();
});
