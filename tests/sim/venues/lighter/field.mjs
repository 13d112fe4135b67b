// Goldilocks field Fp (p = 2^64 - 2^32 + 1) and its quintic extension Fp5 = Fp[X]/(X^5 - 3), in
// BigInt, written from specs/lighter.md §7.1-7.2 for the simulator's own signature checks. It is
// deliberately simple (one BigInt reduction per product): the simulator verifies a few hundred
// signatures per second at most, and an independent, obviously-correct model matters more here
// than speed. Elements are canonical BigInts in [0, p); Fp5 elements are arrays of 5 of them.

export const P = 0xFFFFFFFF00000001n;

export const fpAdd = (a, b) => { const s = a + b; return s >= P ? s - P : s; };
export const fpSub = (a, b) => (a >= b ? a - b : a + P - b);
export const fpNeg = (a) => (a === 0n ? 0n : P - a);
export const fpMul = (a, b) => (a * b) % P;

export function fpPow(base, exp) {
  let result = 1n;
  let b = base % P;
  let e = exp;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % P;
    b = (b * b) % P;
    e >>= 1n;
  }
  return result;
}

// Inverse by Fermat (a^(p-2)); the inverse of 0 is defined as 0, as in the reference.
export const fpInv = (a) => (a === 0n ? 0n : fpPow(a, P - 2n));

// Square root in Fp by Tonelli-Shanks: p - 1 = 2^32 * q with q odd, and 7277203076849721926
// generates the 2^32-torsion (§7.1). Returns null when a is not a square.
const TWO_ADICITY = 32n;
const ODD_FACTOR = (P - 1n) >> TWO_ADICITY;
const TORSION_GENERATOR = 7277203076849721926n;

export function fpSqrt(a) {
  if (a === 0n) return 0n;
  if (fpPow(a, (P - 1n) / 2n) !== 1n) return null;
  let m = TWO_ADICITY;
  let c = TORSION_GENERATOR;
  let t = fpPow(a, ODD_FACTOR);
  let r = fpPow(a, (ODD_FACTOR + 1n) / 2n);
  while (t !== 1n) {
    let i = 0n;
    let t2 = t;
    while (t2 !== 1n) { t2 = fpMul(t2, t2); i++; }
    let b = c;
    for (let j = 0n; j < m - i - 1n; j++) b = fpMul(b, b);
    m = i;
    c = fpMul(b, b);
    t = fpMul(t, c);
    r = fpMul(r, b);
  }
  return r;
}

// ---- Fp5 ------------------------------------------------------------------------------------

export const FP5_ZERO = [0n, 0n, 0n, 0n, 0n];
export const FP5_ONE = [1n, 0n, 0n, 0n, 0n];
export const fp5 = (c0, c1 = 0n, c2 = 0n, c3 = 0n, c4 = 0n) => [BigInt(c0), BigInt(c1), BigInt(c2), BigInt(c3), BigInt(c4)];

export const fp5Add = (a, b) => a.map((x, i) => fpAdd(x, b[i]));
export const fp5Sub = (a, b) => a.map((x, i) => fpSub(x, b[i]));
export const fp5Neg = (a) => a.map(fpNeg);
export const fp5IsZero = (a) => a.every((x) => x === 0n);
export const fp5Eq = (a, b) => a.every((x, i) => x === b[i]);
export const fp5Scale = (a, k) => a.map((x) => fpMul(x, k));

// Schoolbook product folded with X^5 = 3: d_k = sum_{i+j=k} a_i b_j + 3 sum_{i+j=k+5} a_i b_j.
export function fp5Mul(a, b) {
  const d = [0n, 0n, 0n, 0n, 0n];
  for (let i = 0; i < 5; i++) {
    for (let j = 0; j < 5; j++) {
      const prod = a[i] * b[j];
      if (i + j < 5) d[i + j] += prod; else d[i + j - 5] += 3n * prod;
    }
  }
  return d.map((x) => x % P);
}

export const fp5Square = (a) => fp5Mul(a, a);

export function fp5Pow(a, exp) {
  let result = FP5_ONE;
  let b = a;
  let e = exp;
  while (e > 0n) {
    if (e & 1n) result = fp5Mul(result, b);
    b = fp5Mul(b, b);
    e >>= 1n;
  }
  return result;
}

// Frobenius: phi^k(x)_i = x_i * D^(k*i) with D = 3^((p-1)/5).
const FROBENIUS_D = fpPow(3n, (P - 1n) / 5n);
export function fp5Frobenius(a, k = 1) {
  const dk = fpPow(FROBENIUS_D, BigInt(k));
  let factor = 1n;
  return a.map((x) => { const r = fpMul(x, factor); factor = fpMul(factor, dk); return r; });
}

// Norm N(x) = x * phi(x) * phi^2(x) * phi^3(x) * phi^4(x), an element of Fp.
function frobeniusProduct(a) {
  return fp5Mul(fp5Mul(fp5Frobenius(a, 1), fp5Frobenius(a, 2)), fp5Mul(fp5Frobenius(a, 3), fp5Frobenius(a, 4)));
}
export const fp5Norm = (a) => fp5Mul(a, frobeniusProduct(a))[0];

// Inverse: t = phi(x) phi^2(x) phi^3(x) phi^4(x), x^-1 = t / N(x); the inverse of 0 is 0.
export function fp5Inv(a) {
  const t = frobeniusProduct(a);
  const norm = fp5Mul(a, t)[0];
  return fp5Scale(t, fpInv(norm));
}

// Legendre symbol: 1 for a non-zero square, p-1 for a non-square, 0 for zero.
export const fp5Legendre = (a) => fpPow(fp5Norm(a), (P - 1n) / 2n);
export const fp5IsSquare = (a) => fp5IsZero(a) || fp5Legendre(a) === 1n;

// Square root (any root; null when there is none), reduced to a root in Fp as in §7.2:
// d = x^((p+1)/2), e = phi(d * phi^2(d)) = x^((p+1)(p+p^3)/2), so g = x * e^2 = x^(1+p+p^2+p^3+p^4)
// = N(x) lies in Fp; with s^2 = g, (s/e)^2 = x.
export function fp5Sqrt(a) {
  if (fp5IsZero(a)) return FP5_ZERO;
  const d = fp5Pow(a, (P + 1n) / 2n);                          // x^((p+1)/2)
  const e = fp5Frobenius(fp5Mul(d, fp5Frobenius(d, 2)), 1);  // phi(d * phi^2(d))
  const g = fp5Mul(a, fp5Square(e));
  if (!g.slice(1).every((x) => x === 0n)) return null;        // cannot happen for a square
  const s = fpSqrt(g[0]);
  if (s === null) return null;
  const root = fp5Scale(fp5Inv(e), s);
  return fp5Eq(fp5Square(root), a) ? root : null;
}

// Serialisation: 5 limbs, 8 bytes little-endian each. Parsing refuses limbs >= p (data from
// the network must be canonical; the reference would silently reduce them).
export function fp5FromBytes(bytes) {
  if (bytes.length !== 40) return null;
  const out = [];
  for (let i = 0; i < 5; i++) {
    let v = 0n;
    for (let j = 7; j >= 0; j--) v = (v << 8n) | BigInt(bytes[8 * i + j]);
    if (v >= P) return null;
    out.push(v);
  }
  return out;
}

export function fp5ToBytes(a) {
  const out = new Uint8Array(40);
  for (let i = 0; i < 5; i++) {
    let v = a[i];
    for (let j = 0; j < 8; j++) { out[8 * i + j] = Number(v & 0xffn); v >>= 8n; }
  }
  return out;
}

export const hexToBytes = (hex) => {
  if (!/^([0-9a-fA-F]{2})*$/.test(hex)) return null;
  return Uint8Array.from(hex.match(/../g) ?? [], (h) => parseInt(h, 16));
};
export const bytesToHex = (b) => Buffer.from(b).toString('hex');
