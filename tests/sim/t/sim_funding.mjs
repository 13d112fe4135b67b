// Funding on a stepped clock: nothing is paid until the hour boundary, then each open position pays
// or receives size * index * rate exactly once per interval (positive rate: longs pay), visible in
// the balance, the position's funding, /funding/history and the market's settled rate. Also:
// rate changes through the control API, a scenario funding path, and a scaled real-time clock.
import { ok, is, isDeep, run } from '../lib/tap.mjs';
import { startSim, waitFor } from '../lib/harness.mjs';
import { signRequest, PATHS } from '../lib/pacifica_signer.mjs';
import { pacificaWorld, restClient, MAIN, HOUR, START_MS } from '../lib/pacifica_world.mjs';

const asMain = { secretB58: MAIN.secret_key_base58, account: MAIN.public_key };

await run(async () => {
  const sim = await startSim({ scenario: pacificaWorld() });
  const api = restClient(sim.addr.pacifica.rest);
  const send = (type, payload) => api.post(PATHS[type], signRequest(type, payload, asMain).body);
  const balance = async () => (await api.get('/api/v1/account', { account: MAIN.public_key })).json.data.balance;
  const history = async () => (await api.get('/api/v1/funding/history', { account: MAIN.public_key })).json.data;

  is((await sim.control('GET', '/clock')).now_ms, START_MS, 'stepped clock starts at the scenario time');
  await send('create_market_order', { symbol: 'BTC', amount: '0.08', side: 'bid', slippage_percent: '1', reduce_only: false });
  await send('create_market_order', { symbol: 'ETH', amount: '1', side: 'ask', slippage_percent: '1', reduce_only: false });
  // BTC fee 3.20044 (see sim_orders), ETH short 1 @ 3499.6 fee 1.39984
  is(await balance(), '9995.39972', 'balance after opening BTC long and ETH short');
  const prices = (await api.get('/api/v1/info/prices')).json.data;
  isDeep(prices.map((p) => [p.symbol, p.funding, p.next_funding]), [['BTC', '0.0000125', '0.0001'], ['ETH', '0.00002', '-0.00005']], 'prices show settled and accruing rates');
  const stateRates = async () => (await sim.control('GET', '/state?venue=pacifica')).venues.pacifica.markets
    .map((m) => [m.symbol, m.funding_rate, m.accruing_funding_rate]);
  isDeep((await stateRates()).slice(0, 2), [['BTC', '0.0000125', '0.0001'], ['ETH', '0.00002', '-0.00005']],
    '/state shows the settled (funding_rate) and the accruing rate (accruing_funding_rate)');

  let adv = await sim.control('POST', '/clock/advance', { ms: 50 * 60_000 - 1 });
  is(adv.now_ms, START_MS + 50 * 60_000 - 1, 'clock advanced to 1 ms before the hour');
  isDeep(adv.settlements, [], 'no settlement before the boundary');
  is(await balance(), '9995.39972', 'balance untouched before the boundary');

  adv = await sim.control('POST', '/clock/advance', { ms: 1 });
  isDeep(adv.settlements.map((s) => [s.symbol, s.at_ms, s.rate, s.payments.map((p) => p.payout)]),
    [['BTC', START_MS + 50 * 60_000, '0.0001', ['-0.8']], ['ETH', START_MS + 50 * 60_000, '-0.00005', ['-0.175']]],
    'at the boundary: long BTC pays 0.08*100000*0.0001, short ETH pays 1*3500*0.00005 (negative rate)');
  is(await balance(), '9994.42472', 'balance moved by exactly -0.975');
  isDeep((await history()).map((h) => [h.symbol, h.side, h.amount, h.payout, h.rate, h.created_at]).sort(),
    [['BTC', 'bid', '0.08', '-0.8', '0.0001', START_MS + 50 * 60_000], ['ETH', 'ask', '1', '-0.175', '-0.00005', START_MS + 50 * 60_000]],
    '/funding/history lists both payments');
  const pos = (await api.get('/api/v1/positions', { account: MAIN.public_key })).json.data;
  isDeep(pos.map((p) => [p.symbol, p.funding]), [['BTC', '-0.8'], ['ETH', '-0.175']], 'positions carry their cumulative funding');
  const info = (await api.get('/api/v1/info')).json.data.find((m) => m.symbol === 'BTC');
  is(info.funding_rate, '0.0001', '/info funding_rate is now the settled rate');
  const rh = (await api.get('/api/v1/funding_rate/history', { symbol: 'BTC' })).json;
  isDeep([rh.data.length, rh.data[0].funding_rate, rh.data[0].created_at, rh.has_more], [1, '0.0001', START_MS + 50 * 60_000, false], 'funding rate history records the settlement');

  adv = await sim.control('POST', '/clock/advance', { ms: 1 });
  isDeep(adv.settlements, [], 'the same boundary never pays twice');

  await sim.control('POST', '/funding', { symbol: 'BTC', next_rate: '-0.0002' });
  isDeep((await stateRates())[0], ['BTC', '0.0001', '-0.0002'], '/state: a new accruing rate, the settled one unchanged');
  await sim.control('POST', '/prices', { symbol: 'BTC', index: '101000' });
  adv = await sim.control('POST', '/clock/advance', { ms: HOUR });
  isDeep(adv.settlements.map((s) => [s.symbol, s.price, s.payments.map((p) => p.payout)]), [['BTC', '101000', ['1.616']], ['ETH', '3500', ['-0.175']]],
    'next hour: new rate and index apply (long receives 0.08*101000*0.0002 = 1.616)');
  is(await balance(), '9995.86572', 'balance after the second settlement');

  // A funding path from the scenario, and two boundaries in one advance.
  const world = pacificaWorld();
  world.venues.pacifica.markets[0].funding = { rate: '0.0000125', next_rate: '0.0001', path: [{ after_ms: HOUR, rate: '0.0002' }] };
  await sim.control('POST', '/scenario', world);
  is(await balance(), '10000', 'loading a scenario resets the world');
  await send('create_market_order', { symbol: 'BTC', amount: '0.1', side: 'bid', slippage_percent: '1', reduce_only: false });
  adv = await sim.control('POST', '/clock/advance', { ms: HOUR + 50 * 60_000 });
  isDeep(adv.settlements.filter((s) => s.symbol === 'BTC').map((s) => [s.rate, s.payments.map((p) => p.payout)]), [['0.0001', ['-1']], ['0.0002', ['-2']]],
    'path: 0.0001 accrues until 12:10, 0.0002 after it; one advance settles both hours');

  // Scaled clock: an hour of simulated time per real second, settled by the simulator's own timer.
  const before = (await history()).length;
  await sim.control('POST', '/clock', { mode: 'scaled', scale: 3600 });
  await waitFor(async () => (await history()).length > before, { timeoutMs: 5000, what: 'a settlement on the scaled clock' });
  ok((await history()).length > before, 'scaled clock: funding settles in real time without any advance call');
  await sim.control('POST', '/clock', { mode: 'stepped' });

  let err = null;
  try { await sim.control('POST', '/clock/advance', { ms: -5 }); } catch (e) { err = e; }
  ok(err && err.status === 400 && /non-negative/.test(err.body.error), 'negative advance refused with a message');
  err = null;
  try { await sim.control('POST', '/scenario', { venues: { pacifica: { markets: [{ symbol: 'X', tick: 'abc', step: '1', mark: '1' }] } } }); } catch (e) { err = e; }
  ok(err && err.status === 400 && /X.tick is not a plain decimal/.test(err.body.error), 'bad scenario refused, naming the field');
  is((await api.get('/api/v1/info')).json.data.length, 2, 'a refused scenario leaves the running world untouched');
  await sim.stop();
});
