// scenarios/bot_default.json (the world `make demo` runs the bot against) keeps the properties
// tests/sim/README.md promises: the same eight symbols on Pacifica, Lighter and edgeX v2; a best
// pair that exists and changes over time; candidates that the usual filters must drop (24 h volume,
// book spread, cross-venue price gap); a gross-APR winner whose thin book makes it lose after
// costs; an inversion; and funded accounts for the made-up keys. The simulator loads it.
import fs from 'node:fs';
import path from 'node:path';
import { ok, is, isDeep, run } from '../lib/tap.mjs';
import { startSim, SCENARIOS, TEST_KEYS } from '../lib/harness.mjs';

const FILE = path.join(SCENARIOS, 'bot_default.json');
const HOUR = 3_600_000;
const VENUES = ['pacifica', 'lighter', 'edgex'];
const MIN_VOLUME = 1_000_000;   // a typical min_volume_usd
const MAX_SPREAD_BPS = 20;      // a typical bid/ask spread limit
const MAX_GAP = 0.005;          // a typical cross-venue price gap limit (0.5 %)

// Exact enough for ranking designed rates (all have few digits); never used for money.
const num = Number;

await run(async () => {
  const sc = JSON.parse(fs.readFileSync(FILE, 'utf8'));
  const markets = Object.fromEntries(VENUES.map((v) => [v, Object.fromEntries(sc.venues[v].markets.map((m) => [m.symbol, m]))]));
  const symbols = Object.keys(markets.pacifica);
  isDeep(symbols, ['BTC', 'ETH', 'SOL', 'DOGE', 'XRP', 'SUI', 'AVAX', 'HYPE'], 'eight symbols');
  ok(VENUES.every((v) => Object.keys(markets[v]).join() === symbols.join()), 'the same symbols on all three venues');
  ok(markets.edgex.SOL.funding.interval_ms === HOUR && markets.edgex.BTC.funding.interval_ms === 4 * HOUR, 'edgeX intervals differ per contract (SOL, HYPE 60 min; others 240 min)');

  // Hourly funding of a market at t (ms after load), following its path.
  const hourly = (m, t) => {
    let r = m.funding.next_rate;
    for (const p of m.funding.path ?? []) if (p.after_ms <= t) r = p.rate;
    return num(r) / ((m.funding.interval_ms ?? HOUR) / HOUR);
  };
  const passes = (sym, a, b) => {
    const [ma, mb] = [markets[a][sym], markets[b][sym]];
    const gap = Math.abs(num(ma.mark) - num(mb.mark)) / num(ma.mark);
    return num(ma.volume_24h) >= MIN_VOLUME && num(mb.volume_24h) >= MIN_VOLUME
      && num(ma.book.synthetic.spread_bps) <= MAX_SPREAD_BPS && num(mb.book.synthetic.spread_bps) <= MAX_SPREAD_BPS && gap <= MAX_GAP;
  };
  const pairs = (t, filtered) => {
    const out = [];
    for (const sym of symbols) {
      for (let i = 0; i < 3; i++) {
        for (let j = i + 1; j < 3; j++) {
          const [a, b] = [VENUES[i], VENUES[j]];
          if (filtered && !passes(sym, a, b)) continue;
          out.push({ sym, a, b, spread: Math.abs(hourly(markets[a][sym], t) - hourly(markets[b][sym], t)) });
        }
      }
    }
    return out.sort((x, y) => y.spread - x.spread);
  };
  const thin = (sym) => ['SUI'].includes(sym);
  const best = (t) => pairs(t, true).filter((p) => !thin(p.sym))[0];

  is(pairs(0, false)[0].sym, 'SUI', 'gross: SUI has the widest funding spread of all');
  ok(VENUES.every((v) => num(markets[v].SUI.book.synthetic.size) * 10 * num(markets[v].SUI.mark) < 15_000 && num(markets[v].SUI.book.synthetic.step_bps) >= 15),
    'but its books are thin (< $15k per side, 15 bps between levels): walking them for a real size costs more than the carry');
  ok(!pairs(0, true).some((p) => p.sym === 'DOGE'), 'DOGE: every pair touches a venue with 24 h volume below $1M');
  ok(!pairs(0, true).some((p) => p.sym === 'XRP' && (p.a === 'edgex' || p.b === 'edgex')) && num(markets.edgex.XRP.book.synthetic.spread_bps) > MAX_SPREAD_BPS,
    'XRP: the edgeX book spread is too wide, so its big edgeX spread is unusable');
  ok(!pairs(0, true).some((p) => p.sym === 'HYPE' && (p.a === 'lighter' || p.b === 'lighter')), 'HYPE: Lighter trades 1 % away from the others (price gap filter)');
  isDeep([best(0).sym, best(0).a, best(0).b], ['ETH', 'pacifica', 'lighter'], 'at the start the best usable pair is ETH Pacifica/Lighter');
  isDeep([best(2 * HOUR).sym, best(2 * HOUR).a, best(2 * HOUR).b], ['SOL', 'pacifica', 'lighter'], 'after 2 h SOL Pacifica/Lighter is best');
  ok(pairs(3 * HOUR, true).find((p) => p.sym === 'ETH').spread < pairs(0, true).find((p) => p.sym === 'ETH').spread / 5, 'after 3 h the ETH spread has collapsed');
  ok(hourly(markets.edgex.AVAX, 0) > hourly(markets.pacifica.AVAX, 0) && hourly(markets.edgex.AVAX, 4 * HOUR) < hourly(markets.pacifica.AVAX, 4 * HOUR),
    'AVAX Pacifica/edgeX inverts after 4 h (funding-inversion exit)');
  ok(best(6 * HOUR) && best(6 * HOUR).sym !== 'SOL', `after 6 h SOL is no longer best (${best(6 * HOUR).sym})`);

  const fees = VENUES.map((v) => [v, sc.venues[v].markets[0].taker_fee ?? null]);
  isDeep(fees, [['pacifica', null], ['lighter', null], ['edgex', '0.00038']], 'fees: venue defaults on Pacifica (0.04 %) and Lighter (0), per-contract on edgeX');
  const keys = TEST_KEYS;
  ok(sc.venues.pacifica.accounts[0].id === keys.pacifica.account.public_key && sc.venues.pacifica.accounts[0].agents[0] === keys.pacifica.agent.public_key, 'Pacifica: the test account with its agent');
  ok(sc.venues.edgex.accounts[0].id === keys.edgex.v2.account.account_id && sc.venues.edgex.accounts[0].dialect.signers[0] === keys.edgex.v2.account.signer_address, 'edgeX: the test account with its API key and signer');

  const sim = await startSim({ scenario: FILE });
  const st = await sim.control('GET', '/state');
  isDeep(VENUES.map((v) => [v, st.venues[v].markets.length, st.venues[v].accounts.map((a) => a.balance)]),
    [['pacifica', 8, ['25000', '25000']], ['lighter', 8, ['25000', '25000']], ['edgex', 8, ['25000', '25000']]], 'the simulator loads it: 8 markets and two funded accounts per venue');
  isDeep([st.clock.mode, st.clock.scale], ['scaled', 120], 'scaled clock, 120 simulated seconds per second');
  ok(VENUES.every((v) => st.venues[v].markets.every((m) => m.bids.length === 5 && m.asks.length === 5)), 'every book has liquidity on both sides');
  await sim.stop();
});
