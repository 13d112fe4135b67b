// Fault injection: "on the next N calls matching M, do A". A call is described by a context
// { venue, kind: http | ws_in | ws_out, method, path, op, channel, symbol, account }; a fault
// matches when every field of its `match` equals the context's (path may end in '*' for a
// prefix). The first matching fault with calls left is consumed; when its count reaches zero it
// is gone, so each fault works exactly N times and then stops. The one exception is `down`: its
// first match starts an outage of the whole venue for `ms` simulated milliseconds, during which
// every HTTP request to that venue is refused, whatever it matches (a venue down for minutes).
import { checkBadPayload } from '../lib/corrupt.mjs';

export const ACTIONS = {
  http_status: 'answer with this HTTP status (429 with Retry-After, 5xx, ...) without processing',
  disconnect: 'close the TCP connection without answering, before processing',
  delay: 'wait ms before processing',
  timeout_after_accept: 'process the request (the order is accepted), then never answer',
  reject: "answer with the venue's real error for a business error (insufficient_funds, ...)",
  partial_fill: 'fill only part of the next order (fraction or size); the rest is cancelled or rests',
  stale: 'serve the previous payload again (or timestamps moved back by age_ms)',
  ws_drop: 'drop the WebSocket connection abruptly (no close frame)',
  ws_gap: 'swallow the outgoing WebSocket message (a sequence gap)',
  bad_payload: 'corrupt the answer or message: mode truncate | missing | null | wrong_type (with field) | raw (with body)',
  down: 'from the first match on, the whole venue is down for ms simulated ms: every HTTP request is refused (mode "refuse": connection closed unanswered, or "503")',
};

const DOWN_MODES = ['refuse', '503'];

const MATCH_KEYS = ['venue', 'kind', 'method', 'path', 'op', 'channel', 'symbol', 'account'];

export class FaultError extends Error {}

export class Faults {
  // nowMs: the simulated clock (outages of `down` last simulated time, so they scale with it).
  constructor(nowMs = () => Date.now()) {
    this.nowMs = nowMs;
    this.list = [];
    this.outages = []; // {id, venue, mode, until_ms}: venues down right now
    this.nextId = 1;
    this.log = []; // every application: {id, action, wall_ms, sim_ms, ctx}
  }

  add({ match = {}, action, count = 1 }) {
    if (!action || typeof action.type !== 'string') throw new FaultError('a fault needs action.type');
    if (!ACTIONS[action.type]) throw new FaultError(`unknown fault type "${action.type}"; known: ${Object.keys(ACTIONS).join(', ')}`);
    for (const k of Object.keys(match)) if (!MATCH_KEYS.includes(k)) throw new FaultError(`unknown match key "${k}"; known: ${MATCH_KEYS.join(', ')}`);
    if (match.kind && !['http', 'ws_in', 'ws_out'].includes(match.kind)) throw new FaultError('match.kind must be http, ws_in or ws_out');
    if (!Number.isSafeInteger(count) || count < 1) throw new FaultError('count must be a positive integer');
    if (action.type === 'http_status' && !(Number.isInteger(action.status) && action.status >= 400 && action.status <= 599)) {
      throw new FaultError('http_status needs a status between 400 and 599');
    }
    if (action.type === 'delay' && !(Number.isInteger(action.ms) && action.ms >= 0)) throw new FaultError('delay needs ms >= 0');
    if (action.type === 'down') {
      if (!(Number.isInteger(action.ms) && action.ms > 0)) throw new FaultError('down needs ms > 0 (simulated milliseconds)');
      if (action.mode !== undefined && !DOWN_MODES.includes(action.mode)) throw new FaultError(`down mode must be one of ${DOWN_MODES.join(', ')}`);
    }
    if (action.type === 'bad_payload') {
      try { checkBadPayload(action); } catch (e) { throw new FaultError(e.message); }
    }
    const f = { id: this.nextId++, match, action, count, remaining: count, applied: 0 };
    this.list.push(f);
    return f;
  }

  static matches(match, ctx) {
    for (const [k, want] of Object.entries(match)) {
      const got = ctx[k];
      if (k === 'path' && typeof want === 'string' && want.endsWith('*')) {
        if (typeof got !== 'string' || !got.startsWith(want.slice(0, -1))) return false;
      } else if (got !== want) return false;
    }
    return true;
  }

  // Consumes and returns the action of the first fault matching ctx whose type is in `types`
  // (the faults that make sense at this point of the request), or null.
  take(ctx, types) {
    if (!types || types.includes('down')) {
      const out = this.outage(ctx.venue);
      if (out) {
        this.log.push({ id: out.id, action: { type: 'down', mode: out.mode }, wall_ms: Date.now(), sim_ms: this.nowMs(), ctx });
        return { id: out.id, type: 'down', mode: out.mode, until_ms: out.until_ms };
      }
    }
    const i = this.list.findIndex((f) => (!types || types.includes(f.action.type)) && Faults.matches(f.match, ctx));
    if (i < 0) return null;
    const f = this.list[i];
    f.remaining--;
    f.applied++;
    if (f.remaining === 0) this.list.splice(i, 1);
    this.log.push({ id: f.id, action: f.action, wall_ms: Date.now(), sim_ms: this.nowMs(), ctx });
    if (f.action.type === 'down') {
      const out = { id: f.id, venue: ctx.venue, mode: f.action.mode ?? '503', until_ms: this.nowMs() + f.action.ms };
      this.outages.push(out);
      return { id: f.id, type: 'down', mode: out.mode, until_ms: out.until_ms };
    }
    return { id: f.id, ...f.action };
  }

  // The outage the venue is in now (a `down` fault started and not yet over), or null.
  outage(venue) {
    const now = this.nowMs();
    this.outages = this.outages.filter((o) => o.until_ms > now);
    return this.outages.find((o) => o.venue === venue) ?? null;
  }

  remove(id) {
    const before = this.list.length;
    this.list = this.list.filter((f) => f.id !== id);
    return before !== this.list.length;
  }

  clear() { this.list = []; this.outages = []; }
}
