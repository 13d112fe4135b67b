// The Pacifica venue: an engine with Pacifica's defaults (hourly funding, tier-1 fees, USDC with
// 6 decimals) plus its REST and WebSocket endpoints, each on its own 127.0.0.1 port like the real
// api.pacifica.fi and ws.pacifica.fi.
import { VenueEngine } from '../../engine/engine.mjs';
import { parseDec } from '../../lib/decimal.mjs';
import { createVenueHttp } from '../../lib/venue_http.mjs';
import { createPacificaRouter } from './rest.mjs';
import { createPacificaWs } from './ws.mjs';
import { statusBody } from './errors.mjs';

export const PACIFICA_DEFAULTS = {
  fundingIntervalMs: 3_600_000,
  makerFee: parseDec('0.00015'),
  takerFee: parseDec('0.0004'),
  collateralDecimals: 6,
  firstOrderId: 1_000_000,
};

// Options a scenario may set under venues.pacifica.options.
export const PACIFICA_OPTIONS = {
  signature_clock: 'wall',      // "wall": expiry checked against Date.now(); "sim": against the simulated clock
  ws_book_interval_ms: 100,     // periodic book/bbo snapshots
  ws_prices_interval_ms: 1000,  // periodic prices messages
  idle_timeout_ms: 60_000,      // the venue closes a WS on which the client sent nothing for this long
  record_ws_out: false,         // also record outgoing WS messages
};

export function createPacifica(sim, log) {
  const venue = { name: 'pacifica', sim, engine: new VenueEngine('pacifica', sim.clock, PACIFICA_DEFAULTS), options: { ...PACIFICA_OPTIONS } };
  const rest = createVenueHttp({ venue: 'pacifica', sim, router: createPacificaRouter(venue), statusBody, log });
  const ws = createPacificaWs(venue, log);
  venue.checkOptions = (options) => {
    for (const [k, v] of Object.entries(options)) {
      if (!(k in PACIFICA_OPTIONS)) throw new Error(`pacifica: unknown option "${k}"; known: ${Object.keys(PACIFICA_OPTIONS).join(', ')}`);
      if (typeof v !== typeof PACIFICA_OPTIONS[k]) throw new Error(`pacifica: option "${k}" must be a ${typeof PACIFICA_OPTIONS[k]}`);
      if (typeof v === 'number' && !(Number.isSafeInteger(v) && v > 0)) throw new Error(`pacifica: option "${k}" must be a positive integer (ms)`);
    }
    if (options.signature_clock !== undefined && !['wall', 'sim'].includes(options.signature_clock)) throw new Error('pacifica: signature_clock must be "wall" or "sim"');
  };
  venue.configure = (options = {}) => {
    venue.checkOptions(options);
    venue.options = { ...PACIFICA_OPTIONS, ...options };
    ws.restartTimers();
  };
  venue.start = async () => {
    const restPort = await rest.listen();
    const wsPort = await ws.listen();
    return { host: `http://127.0.0.1:${restPort}`, rest: `http://127.0.0.1:${restPort}/api/v1`, ws: `ws://127.0.0.1:${wsPort}/ws` };
  };
  venue.dropWs = () => ws.dropAll();
  venue.wsConnections = () => ws.connections();
  venue.close = () => { rest.close(); ws.close(); };
  return venue;
}
