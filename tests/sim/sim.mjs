#!/usr/bin/env node
// The venue simulator.
//
//   node tests/sim/sim.mjs [--scenario FILE] [--clock real|stepped|scaled:FACTOR] [--verbose] [--ignore-stdin]
//
// Binds 127.0.0.1 on ephemeral ports (each venue's REST and WS endpoint, plus the control API)
// and prints ONE JSON line on stdout:
//   {"control":"http://127.0.0.1:C","pacifica":{"host":"http://127.0.0.1:P","rest":"http://127.0.0.1:P/api/v1","ws":"ws://127.0.0.1:Q/ws"}}
// Exits 0 on SIGTERM / SIGINT and when stdin reaches EOF (so it never outlives its parent; pass
// --ignore-stdin when starting it by hand in the background). Logs go to stderr, only with --verbose
// (errors always). See tests/sim/README.md for the control API and the scenario format.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Simulator } from './simulator.mjs';
import { createControl } from './control.mjs';

const DEFAULT_SCENARIO = path.join(path.dirname(fileURLToPath(import.meta.url)), 'scenarios', 'default.json');

function fail(msg) {
  process.stderr.write(`sim: ${msg}\n`);
  process.exit(2);
}

function parseArgs(argv) {
  const o = { scenario: DEFAULT_SCENARIO, clock: null, verbose: false, ignoreStdin: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--verbose') o.verbose = true;
    else if (a === '--ignore-stdin') o.ignoreStdin = true;
    else if (a === '--scenario' || a === '--clock') {
      const v = argv[++i];
      if (v === undefined) fail(`${a} needs a value`);
      o[a.slice(2)] = v;
    } else fail(`unknown argument: ${a} (usage: sim.mjs [--scenario FILE] [--clock real|stepped|scaled:FACTOR] [--verbose] [--ignore-stdin])`);
  }
  if (o.clock !== null) {
    const m = /^(real|stepped)$|^scaled:([0-9]+(?:\.[0-9]+)?)$/.exec(o.clock);
    if (!m) fail(`--clock must be real, stepped or scaled:FACTOR, got ${o.clock}`);
    o.clock = m[1] ? { mode: m[1] } : { mode: 'scaled', scale: Number(m[2]) };
    if (o.clock.mode === 'scaled' && !(o.clock.scale > 0)) fail('--clock scaled:FACTOR needs a positive factor');
  }
  return o;
}

const opts = parseArgs(process.argv.slice(2));
const log = (msg) => { if (opts.verbose) process.stderr.write(`sim: ${msg}\n`); };
const sim = new Simulator({ log: (m) => process.stderr.write(`sim: ${m}\n`) });
let control = null;

function shutdown(why) {
  log(`exiting (${why})`);
  try { sim.close(); control?.close(); } catch (e) { process.stderr.write(`sim: error while closing: ${e.message}\n`); }
  process.exit(0);
}

async function main() {
  try { sim.loadScenarioFile(opts.scenario); } catch (e) { fail(e.message); }
  if (opts.clock) sim.clock.set(opts.clock);
  const addresses = await sim.start();
  control = createControl(sim, (m) => process.stderr.write(`sim: ${m}\n`));
  const controlPort = await control.listen();
  process.stdout.write(JSON.stringify({ control: `http://127.0.0.1:${controlPort}`, ...addresses }) + '\n');
  log(`scenario ${opts.scenario}, clock ${JSON.stringify(sim.clock.describe())}`);
}

process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
if (!opts.ignoreStdin) {
  process.stdin.on('end', () => shutdown('stdin EOF'));
  process.stdin.on('error', () => shutdown('stdin error'));
  process.stdin.resume();
}
process.stdout.on('error', () => {});
main().catch((e) => fail(`cannot start: ${e.stack || e.message}`));
