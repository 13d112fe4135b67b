// Poseidon2 over Goldilocks, width 12 (specs/lighter.md §7.3), and the sponge of §7.4
// (rate 8, overwrite mode, no padding): HashNoPad and HashToQuinticExtension. Constants are a
// copy of shared/specs/lighter-poseidon2-constants.json (t/lighter_verify.mjs checks the copy).
import fs from 'node:fs';
import { P } from './field.mjs';

// Several constants exceed 2^53, so every long number is quoted before JSON.parse sees it and
// read back as a BigInt.
function loadConstants() {
  const text = fs.readFileSync(new URL('./poseidon2_constants.json', import.meta.url), 'utf8');
  const raw = JSON.parse(text.replace(/(?<=[\[,:\s])(\d{10,})(?=[\],\s])/g, '"$1"'));
  const big = (v) => (Array.isArray(v) ? v.map(big) : BigInt(v));
  return {
    external: big(raw.external_round_constants),
    internal: big(raw.internal_round_constants),
    diag: big(raw.internal_matrix_diagonal),
  };
}
const { external: EXTERNAL, internal: INTERNAL, diag: DIAG } = loadConstants();

const sbox = (x) => {
  const x2 = (x * x) % P;
  const x4 = (x2 * x2) % P;
  return (((x4 * x2) % P) * x) % P;
};

// External layer: M4 = [[2,3,1,1],[1,2,3,1],[1,1,2,3],[3,1,1,2]] on each 4-lane block, then every
// lane gets the sum of the lanes with the same index mod 4.
function externalLayer(s) {
  const y = new Array(12);
  for (let b = 0; b < 12; b += 4) {
    const [a0, a1, a2, a3] = [s[b], s[b + 1], s[b + 2], s[b + 3]];
    y[b] = 2n * a0 + 3n * a1 + a2 + a3;
    y[b + 1] = a0 + 2n * a1 + 3n * a2 + a3;
    y[b + 2] = a0 + a1 + 2n * a2 + 3n * a3;
    y[b + 3] = 3n * a0 + a1 + a2 + 2n * a3;
  }
  const sums = [0, 1, 2, 3].map((i) => y[i] + y[4 + i] + y[8 + i]);
  return y.map((v, i) => (v + sums[i % 4]) % P);
}

// Internal layer: out[i] = sum(s) + diag[i] * s[i].
function internalLayer(s) {
  let sum = 0n;
  for (const v of s) sum += v;
  return s.map((v, i) => (sum + DIAG[i] * v) % P);
}

export function permute(input) {
  if (input.length !== 12) throw new Error('Poseidon2 works on 12 lanes');
  let s = externalLayer(input.map((v) => BigInt(v) % P));
  for (let r = 0; r < 4; r++) s = externalLayer(s.map((v, i) => sbox((v + EXTERNAL[r][i]) % P)));
  for (let r = 0; r < 22; r++) {
    s[0] = sbox((s[0] + INTERNAL[r]) % P);
    s = internalLayer(s);
  }
  for (let r = 4; r < 8; r++) s = externalLayer(s.map((v, i) => sbox((v + EXTERNAL[r][i]) % P)));
  return s;
}

// hash_n_to_m_no_pad: absorb chunks of 8 by overwriting lanes 0..7 (a short last chunk leaves the
// remaining lanes as they were), permuting after each; squeeze lanes 0..7, permuting between.
export function hashNoPad(inputs, outputs) {
  let st = new Array(12).fill(0n);
  for (let i = 0; i < inputs.length; i += 8) {
    const chunk = inputs.slice(i, i + 8);
    chunk.forEach((v, j) => { st[j] = BigInt(v) % P; });
    st = permute(st);
  }
  const out = [];
  for (;;) {
    for (let j = 0; j < 8 && out.length < outputs; j++) out.push(st[j]);
    if (out.length >= outputs) return out;
    st = permute(st);
  }
}

export const hashToQuintic = (inputs) => hashNoPad(inputs, 5);
