// The simulator core: one shared clock, request recorder and fault table, and the venues (each an
// engine plus its dialect's endpoints). Scenarios are loaded here; the control API and the CLI
// (sim.mjs) are thin layers on top.
import fs from 'node:fs';
import { SimClock } from './engine/clock.mjs';
import { Recorder } from './engine/recorder.mjs';
import { Faults } from './engine/faults.mjs';
import { VenueEngine } from './engine/engine.mjs';
import { ScenarioError } from './engine/market.mjs';
import { describeMarket } from './engine/market.mjs';
import { summarize, describePosition } from './engine/account.mjs';
import { fmtDec } from './lib/decimal.mjs';
import { createPacifica } from './venues/pacifica/index.mjs';
// edgeX: one dialect, two API generations on separate ports (v2 "edgex", legacy v1 "edgex_v1").
import { createEdgex } from './venues/edgex/index.mjs';
import { createLighter } from './venues/lighter/index.mjs'; // Lighter dialect (tests/sim/venues/lighter)

// Venue name -> factory. Lighter and edgeX dialects register here when they exist.
const VENUE_FACTORIES = { pacifica: createPacifica, lighter: createLighter };
VENUE_FACTORIES.edgex = (sim, log) => createEdgex(sim, log, 'v2'); // edgeX hook
VENUE_FACTORIES.edgex_v1 = (sim, log) => createEdgex(sim, log, 'v1'); // edgeX hook

const SCENARIO_KEYS = new Set(['description', 'clock', 'venues']);
const VENUE_KEYS = new Set(['options', 'markets', 'accounts']);

export class Simulator {
  constructor({ log = () => {} } = {}) {
    this.log = log;
    this.clock = new SimClock({ mode: 'real' });
    this.recorder = new Recorder();
    this.faults = new Faults(() => this.clock.now());
    this.venues = new Map(Object.entries(VENUE_FACTORIES).map(([name, make]) => [name, make(this, log)]));
    this.scenario = { venues: {} };
    this.timer = null;
  }

  async start() {
    const addresses = {};
    for (const [name, v] of this.venues) addresses[name] = await v.start();
    // Funding settlement and synthetic refills follow the clock; in stepped mode nothing moves
    // until the control API advances it (and then settles synchronously).
    this.timer = setInterval(() => {
      try { this.tick(); } catch (e) { this.log(`tick failed: ${e.stack}`); }
    }, 20);
    return addresses;
  }

  venue(name) {
    if (name === undefined) {
      if (this.venues.size === 1) return [...this.venues.values()][0];
      // Lighter hook: with several dialects registered, the one venue a scenario configures is the default.
      const configured = Object.keys(this.scenario.venues ?? {});
      if (configured.length === 1) return this.venues.get(configured[0]);
      throw new ScenarioError(`say which venue: ${[...this.venues.keys()].join(', ')}`);
    }
    const v = this.venues.get(name);
    if (!v) throw new ScenarioError(`unknown venue "${name}"; known: ${[...this.venues.keys()].join(', ')}`);
    return v;
  }

  loadScenarioFile(path) {
    let text;
    try { text = fs.readFileSync(path, 'utf8'); } catch (e) { throw new ScenarioError(`cannot read scenario ${path}: ${e.code || e.message}`); }
    let obj;
    try { obj = JSON.parse(text); } catch (e) { throw new ScenarioError(`scenario ${path} is not valid JSON: ${e.message}`); }
    this.loadScenario(obj);
  }

  // Replaces the whole world: clock, markets, books, accounts, and clears the faults. The load is
  // checked first against a scratch copy so a bad scenario leaves the running one untouched.
  loadScenario(obj) {
    if (!obj || typeof obj !== 'object' || Array.isArray(obj)) throw new ScenarioError('a scenario is a JSON object');
    for (const k of Object.keys(obj)) if (!SCENARIO_KEYS.has(k)) throw new ScenarioError(`scenario: unknown key "${k}"`);
    for (const [name, spec] of Object.entries(obj.venues ?? {})) {
      this.venue(name);
      for (const k of Object.keys(spec)) if (!VENUE_KEYS.has(k)) throw new ScenarioError(`scenario.venues.${name}: unknown key "${k}"`);
    }
    const c = obj.clock ?? {};
    for (const k of Object.keys(c)) if (!['mode', 'scale', 'start_ms'].includes(k)) throw new ScenarioError(`scenario.clock: unknown key "${k}"`);
    // Dry run on scratch engines and a scratch clock first: a bad scenario throws here and the
    // running world stays exactly as it was.
    const scratchClock = new SimClock({ mode: c.mode ?? 'real', scale: c.scale ?? 1, startMs: c.start_ms ?? Date.now() });
    try {
      for (const [name, v] of this.venues) {
        const spec = obj.venues?.[name] ?? {};
        v.checkOptions(spec.options ?? {});
        new VenueEngine(name, scratchClock, v.engine.defaults).load(spec);
      }
    } catch (e) {
      throw e instanceof ScenarioError ? e : new ScenarioError(e.message);
    }
    this.clock.set({ mode: scratchClock.mode, scale: scratchClock.scale, startMs: c.start_ms ?? Date.now() });
    for (const [name, v] of this.venues) {
      const spec = obj.venues?.[name] ?? {};
      v.configure(spec.options ?? {});
      v.engine.load(spec);
    }
    this.scenario = obj;
    this.faults.clear();
  }

  tick() {
    const out = [];
    for (const [name, v] of this.venues) {
      for (const s of v.engine.tick()) {
        out.push({
          venue: name, symbol: s.symbol, at_ms: s.at_ms, rate: fmtDec(s.rate), price: fmtDec(s.price),
          payments: s.payments.map((p) => ({ account: p.account, side: p.side, size: fmtDec(p.size), payout: fmtDec(p.payout) })),
        });
      }
    }
    return out;
  }

  state(venueName) {
    const out = { clock: this.clock.describe(), venues: {} };
    for (const [name, v] of this.venues) {
      if (venueName && name !== venueName) continue;
      const e = v.engine;
      const dec = e.collateralDecimals;
      out.venues[name] = {
        last_order_id: e.nextOrderId - 1,
        ws_connections: v.wsConnections(),
        markets: [...e.markets.values()].map((m) => {
          const lv = e.books.get(m.symbol).levels(5);
          const row = (l) => [fmtDec(l.price), fmtDec(l.size)];
          return { ...describeMarket(m, e.now()), next_funding_ms: m.nextFundingMs, bids: lv.bids.map(row), asks: lv.asks.map(row) };
        }),
        accounts: [...e.accounts.values()].map((a) => {
          const s = summarize(a, e.markets, e.openOrders(a.id));
          return {
            id: a.id, balance: fmtDec(s.balance), equity: fmtDec(s.equity), available: fmtDec(s.available),
            margin_used: fmtDec(s.marginUsed), unrealized_pnl: fmtDec(s.upnl), agents: [...a.agents],
            positions: [...a.positions.values()].map((p) => describePosition(p, e.markets.get(p.symbol), a, e.markets, dec)),
            open_orders: e.openOrders(a.id).map((o) => ({
              id: o.id, client_id: o.clientId, symbol: o.symbol, side: o.side, price: fmtDec(o.price), amount: fmtDec(o.amount),
              filled: fmtDec(o.filled), tif: o.tif, reduce_only: o.reduceOnly, status: o.status,
            })),
          };
        }),
      };
    }
    return out;
  }

  close() {
    clearInterval(this.timer);
    for (const v of this.venues.values()) v.close();
  }
}
