// The simulator's clock, shared by every venue: real time, real time scaled by a factor, or
// stepped (time moves only when the control API advances it). Integer milliseconds since the Unix
// epoch. Funding settlement and payload timestamps read this clock.

export class SimClock {
  constructor({ mode = 'real', scale = 1, startMs } = {}) {
    this.set({ mode, scale, startMs });
  }

  set({ mode = this.mode, scale = this.scale ?? 1, startMs } = {}) {
    if (!['real', 'scaled', 'stepped'].includes(mode)) throw new Error(`clock mode must be real, scaled or stepped, got ${mode}`);
    if (!(typeof scale === 'number' && scale > 0 && Number.isFinite(scale))) throw new Error(`clock scale must be a positive number, got ${scale}`);
    if (startMs !== undefined && !Number.isSafeInteger(startMs)) throw new Error(`clock start_ms must be an integer, got ${startMs}`);
    const current = this.mode ? this.now() : Date.now();
    this.mode = mode;
    this.scale = mode === 'scaled' ? scale : 1;
    this.anchorSim = startMs ?? current;
    this.anchorReal = Date.now();
  }

  now() {
    if (this.mode === 'stepped') return this.anchorSim;
    return this.anchorSim + Math.floor((Date.now() - this.anchorReal) * this.scale);
  }

  // Moves simulated time forward by ms in any mode (in real/scaled mode it shifts the offset).
  advance(ms) {
    if (!Number.isSafeInteger(ms) || ms < 0) throw new Error(`advance needs a non-negative integer ms, got ${ms}`);
    this.anchorSim += ms;
    return this.now();
  }

  describe() { return { mode: this.mode, scale: this.scale, now_ms: this.now() }; }
}
