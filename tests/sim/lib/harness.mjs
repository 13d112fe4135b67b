// Test harness for the simulator: start sim.mjs with a scenario (object or file), talk to its
// control API, wait on conditions with a deadline (never a fixed sleep), and stop it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { startServer } from './spawn.mjs';

export const SIM = fileURLToPath(new URL('../sim.mjs', import.meta.url));
export const SCENARIOS = fileURLToPath(new URL('../scenarios/', import.meta.url));
export const TEST_KEYS = JSON.parse(fs.readFileSync(path.join(SCENARIOS, 'test_keys.json'), 'utf8'));

// Polls fn() until it returns a truthy value; throws with `what` when the deadline passes.
export async function waitFor(fn, { timeoutMs = 5000, intervalMs = 10, what = 'condition' } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

export async function startSim({ scenario, args = [] } = {}) {
  let file = null;
  let dir = null;
  if (scenario && typeof scenario === 'object') {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hedge-sim-'));
    file = path.join(dir, 'scenario.json');
    fs.writeFileSync(file, JSON.stringify(scenario));
  } else if (typeof scenario === 'string') file = scenario;
  const proc = startServer(SIM, [...(file ? ['--scenario', file] : []), ...args]);
  let addr;
  try { addr = await proc.ready; } finally { if (dir) fs.rmSync(dir, { recursive: true, force: true }); }
  const control = async (method, p, body) => {
    const res = await fetch(addr.control + p, {
      method, headers: body ? { 'content-type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined,
    });
    const json = await res.json();
    if (res.status !== 200) {
      const e = new Error(`control ${method} ${p}: ${res.status} ${JSON.stringify(json)}`);
      e.status = res.status;
      e.body = json;
      throw e;
    }
    return json;
  };
  return { addr, proc, control, stop: () => proc.stop() };
}

// A WebSocket client that queues every message so tests can wait for one that matches.
// opts: { headers (on the upgrade request), protocols }.
export async function wsClient(url, opts = {}) {
  const ws = new WebSocket(url, opts.protocols, { headers: opts.headers });
  const messages = [];
  let closed = null;
  ws.on('message', (d) => {
    const text = d.toString();
    try { messages.push(JSON.parse(text)); } catch { messages.push({ unparsed: text }); }
  });
  ws.on('close', (code) => { closed = { code }; });
  await new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject); });
  return {
    ws,
    messages,
    get closed() { return closed; },
    send: (obj) => ws.send(JSON.stringify(obj)),
    // Waits for the first queued message matching pred and removes it from the queue.
    async next(pred, opts = {}) {
      let idx = -1;
      await waitFor(() => { idx = messages.findIndex(pred); return idx >= 0; }, { what: 'a matching WebSocket message', ...opts });
      return messages.splice(idx, 1)[0];
    },
    waitClosed: (opts = {}) => waitFor(() => closed, { what: 'the WebSocket to close', ...opts }),
    close: () => ws.close(),
  };
}
