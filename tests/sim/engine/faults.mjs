// Fault injection: "on the next N calls matching M, do A". A call is described by a context
// { venue, kind: http | ws_in | ws_out, method, path, op, channel, symbol, account }; a fault
// matches when every field of its `match` equals the context's (path may end in '*' for a
// prefix). The first matching fault with calls left is consumed; when its count reaches zero it
// is gone, so each fault works exactly N times and then stops.
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
};

const MATCH_KEYS = ['venue', 'kind', 'method', 'path', 'op', 'channel', 'symbol', 'account'];

export class FaultError extends Error {}

export class Faults {
  constructor() {
    this.list = [];
    this.nextId = 1;
    this.log = []; // every application: {id, action, at_us, ctx}
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
    const i = this.list.findIndex((f) => (!types || types.includes(f.action.type)) && Faults.matches(f.match, ctx));
    if (i < 0) return null;
    const f = this.list[i];
    f.remaining--;
    f.applied++;
    if (f.remaining === 0) this.list.splice(i, 1);
    this.log.push({ id: f.id, action: f.action, ctx });
    return { id: f.id, ...f.action };
  }

  remove(id) {
    const before = this.list.length;
    this.list = this.list.filter((f) => f.id !== id);
    return before !== this.list.length;
  }

  clear() { this.list = []; }
}
