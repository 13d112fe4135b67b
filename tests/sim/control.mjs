// The control API (JSON over HTTP on its own port): load scenarios, move prices, funding and the
// clock, shape books, read the request log, inject faults. Documented in tests/sim/README.md.
import http from 'node:http';
import { parseDec, fmtDec, DecimalError } from './lib/decimal.mjs';
import { ScenarioError } from './engine/market.mjs';
import { FaultError, ACTIONS } from './engine/faults.mjs';
import { EngineError } from './engine/engine.mjs';

class BadRequest extends Error {}

const dec = (v, what, opts) => {
  try { return parseDec(v, { what, ...opts }); } catch (e) { throw new BadRequest(e.message); }
};
const optDec = (v, what, opts) => (v === undefined ? undefined : v === null ? null : dec(v, what, opts));

function only(body, keys, what) {
  for (const k of Object.keys(body)) if (!keys.includes(k)) throw new BadRequest(`${what}: unknown key "${k}"; known: ${keys.join(', ')}`);
}

export function createControl(sim, log = () => {}) {
  const routes = {
    'GET /health': () => ({ ok: true, venues: [...sim.venues.keys()], clock: sim.clock.describe() }),
    'GET /scenario': () => sim.scenario,
    'POST /scenario': (b) => { sim.loadScenario(b); return sim.state(); },
    'POST /reset': () => { sim.loadScenario(sim.scenario); return sim.state(); },
    'GET /state': (_b, q) => sim.state(q.get('venue') ?? undefined),
    'GET /clock': () => sim.clock.describe(),
    'POST /clock': (b) => {
      only(b, ['mode', 'scale', 'now_ms'], 'clock');
      try { sim.clock.set({ mode: b.mode, scale: b.scale, startMs: b.now_ms }); } catch (e) { throw new BadRequest(e.message); }
      return { ...sim.clock.describe(), settlements: sim.tick() };
    },
    'POST /clock/advance': (b) => {
      only(b, ['ms'], 'clock/advance');
      if (!Number.isSafeInteger(b.ms) || b.ms < 0) throw new BadRequest('ms must be a non-negative integer');
      sim.clock.advance(b.ms);
      return { ...sim.clock.describe(), settlements: sim.tick() };
    },
    'POST /prices': (b) => {
      only(b, ['venue', 'symbol', 'mark', 'index', 'mid'], 'prices');
      const v = sim.venue(b.venue);
      v.engine.setPrices(b.symbol, { mark: optDec(b.mark, 'mark'), index: optDec(b.index, 'index'), mid: optDec(b.mid, 'mid') });
      return sim.state(v.name).venues[v.name].markets.find((m) => m.symbol === b.symbol);
    },
    'POST /funding': (b) => {
      only(b, ['venue', 'symbol', 'next_rate', 'rate'], 'funding');
      const v = sim.venue(b.venue);
      v.engine.setFunding(b.symbol, { nextRate: optDec(b.next_rate, 'next_rate', { allowNegative: true }), lastRate: optDec(b.rate, 'rate', { allowNegative: true }) });
      return { ok: true };
    },
    'POST /book': (b) => {
      only(b, ['venue', 'symbol', 'synthetic', 'bids', 'asks'], 'book');
      const v = sim.venue(b.venue);
      const { venue: _v, symbol, ...spec } = b;
      v.engine.setBook(symbol, spec);
      return sim.state(v.name).venues[v.name].markets.find((m) => m.symbol === symbol);
    },
    'POST /accounts': (b) => {
      const v = sim.venue(b.venue);
      const { venue: _v, ...spec } = b;
      only(spec, ['id', 'balance', 'maker_fee', 'taker_fee', 'fee_level', 'agents', 'leverage', 'dialect'], 'accounts');
      v.engine.upsertAccount(spec);
      return sim.state(v.name).venues[v.name].accounts.find((a) => a.id === b.id);
    },
    'POST /trade': (b) => {
      only(b, ['venue', 'symbol', 'side', 'size', 'limit'], 'trade');
      if (!['buy', 'sell'].includes(b.side)) throw new BadRequest('side must be buy or sell');
      const v = sim.venue(b.venue);
      const fills = v.engine.syntheticTrade(b.symbol, b.side, dec(b.size, 'size'), optDec(b.limit, 'limit') ?? null);
      return { fills: fills.map((f) => ({ price: fmtDec(f.price), size: fmtDec(f.qty), maker_account: f.maker.owner })) };
    },
    // Bot tests (tests/lua/bot_*.lua): a liquidation that removes a leg, and the ledger of what
    // the venue booked for an account (fills with fees and realised PnL, funding payments).
    'POST /liquidate': (b) => {
      only(b, ['venue', 'account', 'symbol'], 'liquidate');
      const v = sim.venue(b.venue);
      const t = v.engine.liquidate(String(b.account), b.symbol);
      return { symbol: t.symbol, side: t.side, size: fmtDec(t.qty), price: fmtDec(t.price), realized_pnl: fmtDec(t.realized) };
    },
    'GET /ledger': (_b, q) => {
      const v = sim.venue(q.get('venue') ?? undefined);
      const account = q.get('account');
      if (!account) throw new BadRequest('account is required');
      const e = v.engine;
      if (!e.accounts.has(account)) throw new BadRequest(`no account ${account} on ${v.name}`);
      return {
        balance: fmtDec(e.accounts.get(account).balance),
        trades: e.trades.filter((t) => t.account === account).map((t) => ({
          history_id: t.historyId, order_id: t.orderId, client_id: t.clientId, symbol: t.symbol, side: t.side, size: fmtDec(t.qty),
          price: fmtDec(t.price), fee: fmtDec(t.fee), realized_pnl: fmtDec(t.realized), role: t.role, at_ms: t.at,
        })),
        funding: e.fundingPayments.filter((f) => f.account === account).map((f) => ({
          history_id: f.historyId, symbol: f.symbol, side: f.side, size: fmtDec(f.size), payout: fmtDec(f.payout),
          rate: fmtDec(f.rate), price: fmtDec(f.price), at_ms: f.at,
        })),
      };
    },
    'GET /requests': (_b, q) => {
      const f = {};
      for (const k of ['venue', 'kind', 'path', 'op', 'method']) if (q.has(k)) f[k] = q.get(k);
      for (const k of ['since', 'limit']) {
        if (!q.has(k)) continue;
        const n = Number(q.get(k));
        if (!Number.isSafeInteger(n) || n < 0) throw new BadRequest(`${k} must be a non-negative integer`);
        f[k] = n;
      }
      return { last_seq: sim.recorder.lastSeq, entries: sim.recorder.list(f) };
    },
    'DELETE /requests': () => { sim.recorder.clear(); return { ok: true, last_seq: sim.recorder.lastSeq }; },
    'POST /faults': (b) => {
      only(b, ['venue', 'match', 'action', 'count'], 'faults');
      const match = { ...(b.match ?? {}) };
      if (b.venue !== undefined) { sim.venue(b.venue); match.venue = b.venue; }
      return sim.faults.add({ match, action: b.action, count: b.count ?? 1 });
    },
    'GET /faults': () => ({ active: sim.faults.list, types: ACTIONS }),
    'GET /faults/log': () => ({ applied: sim.faults.log }),
    'DELETE /faults': () => { sim.faults.clear(); return { ok: true }; },
    'POST /ws/drop': (b) => {
      only(b, ['venue'], 'ws/drop');
      const v = sim.venue(b.venue);
      return { dropped: v.dropWs() };
    },
    'GET /ws': (_b, q) => {
      const v = sim.venue(q.get('venue') ?? undefined);
      return { connections: v.wsConnections() };
    },
  };

  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url, 'http://127.0.0.1');
      let status = 200;
      let out;
      try {
        let route = routes[`${req.method} ${url.pathname}`];
        let body = {};
        const m = /^\/faults\/([0-9]+)$/.exec(url.pathname);
        if (!route && req.method === 'DELETE' && m) {
          route = () => ({ removed: sim.faults.remove(Number(m[1])) });
        }
        if (!route) { status = 404; out = { error: `no control route ${req.method} ${url.pathname}` }; } else {
          const text = Buffer.concat(chunks).toString('utf8');
          if (text.trim()) {
            try { body = JSON.parse(text); } catch (e) { throw new BadRequest(`body is not JSON: ${e.message}`); }
            if (!body || typeof body !== 'object' || Array.isArray(body)) throw new BadRequest('body must be a JSON object');
          }
          out = route(body, url.searchParams);
        }
      } catch (e) {
        if (e instanceof BadRequest || e instanceof ScenarioError || e instanceof FaultError || e instanceof EngineError || e instanceof DecimalError) {
          status = 400;
          out = { error: e.message, kind: e.kind };
        } else {
          log(`control: ${e.stack}`);
          status = 500;
          out = { error: String(e.message) };
        }
      }
      // A BigInt here would be raw 10^-18 units: every value must have been formatted already.
      let text;
      try {
        text = JSON.stringify(out, (k, v) => {
          if (typeof v === 'bigint') throw new Error(`internal: unformatted amount in control output (${k})`);
          return v;
        });
      } catch (e) {
        log(`control: ${e.message}`);
        status = 500;
        text = JSON.stringify({ error: e.message });
      }
      res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
      res.end(text);
    });
  });

  return {
    server,
    listen() {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => resolve(server.address().port));
      });
    },
    close() { server.close(); server.closeAllConnections?.(); },
  };
}
