// Minimal TAP producer for the simulator's own tests (run by prove through tests/run).
// The plan is printed at the end (like done_testing), so tests need not count their assertions.
import { isDeepStrictEqual, inspect } from 'node:util';

let n = 0;
let failed = 0;

function emit(pass, name, detail) {
  n++;
  if (!pass) failed++;
  process.stdout.write(`${pass ? 'ok' : 'not ok'} ${n} - ${name}\n`);
  if (!pass && detail) for (const line of detail.split('\n')) process.stdout.write(`#   ${line}\n`);
  return pass;
}

export const ok = (cond, name) => emit(Boolean(cond), name, cond ? '' : `got: ${inspect(cond)}`);
export const is = (got, want, name) =>
  emit(Object.is(got, want), name, `got:  ${inspect(got)}\nwant: ${inspect(want)}`);
export const isDeep = (got, want, name) =>
  emit(isDeepStrictEqual(got, want), name, `got:  ${inspect(got, { depth: 6 })}\nwant: ${inspect(want, { depth: 6 })}`);
export const skip = (name, why) => { n++; process.stdout.write(`ok ${n} - ${name} # skip ${why}\n`); };
export const diag = (msg) => { for (const l of String(msg).split('\n')) process.stderr.write(`# ${l}\n`); };

// Runs the async body, reports an unexpected exception as a failure, prints the plan and exits
// with a status prove understands (non-zero when anything failed).
export async function run(body, { timeoutMs = 60_000 } = {}) {
  const guard = setTimeout(() => { emit(false, `test file finished within ${timeoutMs} ms`); finish(); }, timeoutMs);
  try {
    await body();
  } catch (e) {
    emit(false, 'no unexpected exception', e && e.stack ? e.stack : String(e));
  }
  clearTimeout(guard);
  finish();
}

function finish() {
  process.stdout.write(`1..${n}\n`);
  process.exit(failed ? 1 : 0);
}
