// Log of everything the venues received: HTTP requests and incoming WebSocket messages (and, on
// request, outgoing ones), each with a monotonic receive time in microseconds
// (process.hrtime.bigint), the wall-clock and simulated time, and what the simulator did with it
// (status, verification result, fault applied). Tests read it through the control API, e.g. to
// measure the skew between the two legs of a hedge.

export const nowUs = () => Number(process.hrtime.bigint() / 1000n);

export class Recorder {
  constructor({ limit = 200_000 } = {}) {
    this.limit = limit;
    this.entries = [];
    this.nextSeq = 1;
  }

  // Adds an entry and returns it; the caller may fill in outcome fields later (status, ...).
  add(entry) {
    const e = { seq: this.nextSeq++, ...entry };
    this.entries.push(e);
    if (this.entries.length > this.limit) this.entries.splice(0, this.entries.length - this.limit);
    return e;
  }

  // filters: venue, kind, since (seq, exclusive), path, op, channel, limit
  list(f = {}) {
    let out = this.entries;
    if (f.since !== undefined) out = out.filter((e) => e.seq > f.since);
    for (const key of ['venue', 'kind', 'path', 'op', 'method']) {
      if (f[key] !== undefined) out = out.filter((e) => e[key] === f[key]);
    }
    if (f.limit !== undefined) out = out.slice(-f.limit);
    return out;
  }

  clear() { this.entries = []; }
  get lastSeq() { return this.nextSeq - 1; }
}
