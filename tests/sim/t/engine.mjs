// The venue-neutral engine and its exact decimals, driven directly (no sockets): parsing and
// rounding, price-time priority, self-trade prevention, post-only variants, partial rests,
// reduce-only clipping, position flips, isolated margin, the liquidation price, and the clock.
import { ok, is, isDeep, run } from '../lib/tap.mjs';
import { parseDec as D, fmtDec as F, divRound, mulDec, roundToStep, DecimalError } from '../lib/decimal.mjs';
import { SimClock } from '../engine/clock.mjs';
import { VenueEngine, EngineError } from '../engine/engine.mjs';
import { liquidationPrice, unrealizedPnl, maintenanceMargin } from '../engine/account.mjs';

const throwsKind = (fn, kind) => { try { fn(); return false; } catch (e) { return e instanceof EngineError && e.kind === kind; } };

function world(book) {
  const clock = new SimClock({ mode: 'stepped', startMs: 1_000_000 });
  const e = new VenueEngine('test', clock, { fundingIntervalMs: 3_600_000, makerFee: D('0.0002'), takerFee: D('0.0005'), collateralDecimals: 6 });
  e.load({
    markets: [{ symbol: 'X', tick: '0.5', step: '0.1', mark: '100', max_leverage: 10, min_notional: '1', book }],
    accounts: [{ id: 'A', balance: '1000' }, { id: 'B', balance: '1000' }, { id: 'C', balance: '1000' }],
  });
  return { e, clock };
}
const empty = { bids: [], asks: [] };

await run(async () => {
  // decimals
  for (const bad of ['1e5', '+1', '.5', '1.', ' 1', '1,5', '', '0x10', '1.0000000000000000001', '--1']) {
    let threw = false;
    try { D(bad, { allowNegative: true }); } catch (e) { threw = e instanceof DecimalError; }
    ok(threw, `parseDec refuses ${JSON.stringify(bad)}`);
  }
  is(F(D('-0.000000000000000001', { allowNegative: true })), '-0.000000000000000001', '18 decimals round-trip');
  is(F(D('123456789012345678901234567890.5')), '123456789012345678901234567890.5', 'beyond 2^64 stays exact');
  is(F(D('1.2300')), '1.23', 'trailing zeros dropped on output');
  is(F(D('2.5'), { decimals: 3 }), '2.500', 'fixed decimals on request');
  const table = { down: [2, -2, 1, -1], up: [3, -3, 2, -2], floor: [2, -3, 1, -2], ceil: [3, -2, 2, -1], half_up: [3, -3, 2, -2], half_even: [2, -2, 2, -2] };
  for (const [mode, want] of Object.entries(table)) {
    isDeep([5n, -5n, 3n, -3n].map((n) => Number(divRound(n, 2n, mode))), want, `divRound ${mode} on 2.5, -2.5, 1.5, -1.5`);
  }
  is(F(mulDec(D('0.0000001'), D('0.00000000001'), 'up')), '0.000000000000000001', 'mulDec rounds up below 10^-18 when asked');
  is(F(roundToStep(D('100.26'), D('0.5'), 'floor')), '100', 'roundToStep floor to 0.5');

  // price-time priority and self-trade prevention
  let { e } = world(empty);
  e.placeOrder({ account: 'A', symbol: 'X', side: 'sell', type: 'limit', price: D('101'), amount: D('1'), tif: 'GTC' });
  e.placeOrder({ account: 'B', symbol: 'X', side: 'sell', type: 'limit', price: D('101'), amount: D('1'), tif: 'GTC' });
  e.placeOrder({ account: 'B', symbol: 'X', side: 'sell', type: 'limit', price: D('100.5'), amount: D('0.5'), tif: 'GTC' });
  let r = e.placeOrder({ account: 'C', symbol: 'X', side: 'buy', type: 'limit', price: D('101'), amount: D('1'), tif: 'IOC' });
  isDeep(r.fills.map((f) => [f.maker.owner, F(f.price), F(f.qty)]), [['B', '100.5', '0.5'], ['A', '101', '0.5']], 'better price first, then the older order at the same price');
  r = e.placeOrder({ account: 'A', symbol: 'X', side: 'buy', type: 'limit', price: D('101'), amount: D('1'), tif: 'IOC' });
  isDeep(r.fills.map((f) => [f.maker.owner, F(f.qty)]), [['B', '1']], "A's own resting ask is skipped, B's fills");
  const aOrders = [...e.orders.values()].filter((o) => o.account === 'A' && o.side === 'sell');
  isDeep(aOrders.map((o) => [o.status, o.reason]), [['cancelled', 'self_trade_prevented']], "A's resting ask was cancelled as self_trade_prevented");

  // post-only variants and a GTC that rests its remainder
  ({ e } = world({ bids: [['99', '1']], asks: [['101', '1']] }));
  r = e.placeOrder({ account: 'A', symbol: 'X', side: 'buy', type: 'limit', price: D('102'), amount: D('0.5'), tif: 'ALO' });
  isDeep([r.order.status, r.order.reason], ['rejected', 'post_only_rejected'], 'ALO that would cross: rejected');
  r = e.placeOrder({ account: 'A', symbol: 'X', side: 'buy', type: 'limit', price: D('102'), amount: D('0.5'), tif: 'TOB' });
  isDeep([r.order.status, F(r.order.price), r.fills.length], ['open', '100.5', 0], 'TOB that would cross: re-priced one tick below the best ask');
  r = e.placeOrder({ account: 'B', symbol: 'X', side: 'buy', type: 'limit', price: D('101'), amount: D('1.5'), tif: 'GTC' });
  isDeep([r.order.status, F(r.order.filled), F(r.order.remaining)], ['partially_filled', '1', '0.5'], 'GTC fills 1 and rests 0.5');
  isDeep(e.books.get('X').levels(2).bids.map((l) => [F(l.price), F(l.size), l.count]), [['101', '0.5', 1], ['100.5', '0.5', 1]], 'the remainder rests at 101 above the TOB bid');

  // reduce-only clipping, flip through zero, realised PnL
  ({ e } = world({ bids: [['99', '10']], asks: [['101', '10']] }));
  e.placeOrder({ account: 'A', symbol: 'X', side: 'buy', type: 'market', amount: D('1'), slippage: D('0.05') });
  r = e.placeOrder({ account: 'A', symbol: 'X', side: 'sell', type: 'market', amount: D('3'), slippage: D('0.05'), reduceOnly: true });
  isDeep([F(r.order.filled), F(r.order.cancelled), e.accounts.get('A').positions.size], ['1', '2', 0], 'reduce-only sell of 3 against a long of 1: fills 1, cancels 2');
  ok(throwsKind(() => e.placeOrder({ account: 'A', symbol: 'X', side: 'sell', type: 'market', amount: D('1'), slippage: D('0.05'), reduceOnly: true }), 'reduce_only'), 'reduce-only without a position: refused');
  e.placeOrder({ account: 'B', symbol: 'X', side: 'buy', type: 'market', amount: D('1'), slippage: D('0.05') });
  const balBefore = e.accounts.get('B').balance;
  e.placeOrder({ account: 'B', symbol: 'X', side: 'sell', type: 'market', amount: D('3'), slippage: D('0.05') });
  const pb = e.accounts.get('B').positions.get('X');
  isDeep([F(pb.size), F(pb.entry), F(pb.realizedPnl)], ['-2', '99', '-2'], 'selling 3 against a long 1 @101: realised -2 on 1, short 2 @99');
  is(F(balBefore - e.accounts.get('B').balance), '2.1485', 'balance: -2 PnL - fee 3*99*0.0005 = 0.1485');

  // isolated margin
  ({ e } = world({ bids: [['99', '10']], asks: [['101', '10']] }));
  e.setMarginMode('C', 'X', true);
  e.setLeverage('C', 'X', 4);
  e.placeOrder({ account: 'C', symbol: 'X', side: 'buy', type: 'market', amount: D('2.2'), slippage: D('0.05') });
  const pc = e.accounts.get('C').positions.get('X');
  isDeep([pc.isolated, F(pc.margin)], [true, '55.55'], 'isolated: margin = 2.2 * 101 / 4 = 55.55');
  ok(throwsKind(() => e.setMarginMode('C', 'X', false), 'margin_mode'), 'margin mode cannot change with a position');

  // liquidation price: equity meets maintenance margin there, not one tick before
  ({ e } = world({ bids: [['99', '100']], asks: [['101', '100']] }));
  e.upsertAccount({ id: 'A', balance: '150' });
  e.placeOrder({ account: 'A', symbol: 'X', side: 'buy', type: 'market', amount: D('10'), slippage: D('0.05') });
  const acct = e.accounts.get('A');
  const market = e.markets.get('X');
  const pos = acct.positions.get('X');
  const liq = liquidationPrice(acct, market, pos, e.markets);
  const health = (p) => { const m = { ...market, mark: p }; return acct.balance + unrealizedPnl(pos, p) - maintenanceMargin(pos, m, acct); };
  ok(liq !== null && health(liq) >= 0n && health(liq - market.tick) < 0n, `long 10 @101 on 150 collateral: liquidation at ${liq === null ? null : F(liq)} (healthy there, not a tick lower)`);
  e.upsertAccount({ id: 'B', balance: '150' });
  e.placeOrder({ account: 'B', symbol: 'X', side: 'sell', type: 'market', amount: D('10'), slippage: D('0.05') });
  const bs = e.accounts.get('B');
  const ps = bs.positions.get('X');
  const liqS = liquidationPrice(bs, market, ps, e.markets);
  const healthS = (p) => { const m = { ...market, mark: p }; return bs.balance + unrealizedPnl(ps, p) - maintenanceMargin(ps, m, bs); };
  ok(liqS !== null && healthS(liqS) >= 0n && healthS(liqS + market.tick) < 0n, `short 10 @99: liquidation at ${liqS === null ? null : F(liqS)} (healthy there, not a tick higher)`);
  ok(liquidationPrice(acct, market, { ...pos, size: D('0.1') }, e.markets) === null, 'a small position on ample collateral has no liquidation price');

  // market order validation
  ok(throwsKind(() => e.placeOrder({ account: 'A', symbol: 'X', side: 'buy', type: 'limit', price: D('100.2'), amount: D('1'), tif: 'GTC' }), 'invalid_order'), 'price off the tick refused');
  ok(throwsKind(() => e.placeOrder({ account: 'A', symbol: 'Y', side: 'buy', type: 'market', amount: D('1') }), 'bad_symbol'), 'unknown market refused');
  ok(throwsKind(() => e.placeOrder({ account: 'Z', symbol: 'X', side: 'buy', type: 'market', amount: D('1') }), 'account_not_found'), 'unknown account refused');
  ok(throwsKind(() => e.setLeverage('C', 'X', 11), 'invalid_leverage'), 'leverage above max refused');

  // clock
  const c = new SimClock({ mode: 'stepped', startMs: 5000 });
  is(c.now(), 5000, 'stepped clock stands still');
  is(c.advance(250), 5250, 'and moves by advance()');
  c.set({ mode: 'scaled', scale: 1000 });
  await new Promise((res) => setTimeout(res, 30));
  ok(c.now() - 5250 >= 20_000, `scaled x1000: 30 ms real moved ${c.now() - 5250} ms simulated`);
  let threw = false;
  try { c.set({ mode: 'warp' }); } catch { threw = true; }
  ok(threw, 'unknown clock mode refused');
});
