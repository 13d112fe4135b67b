// ECgFp5 for verification only (specs/lighter.md §7.5-7.8), in the short Weierstrass model
// Y^2 = X^3 + A X + B over Fp5: the prime-order group of order n is the group of points of order
// dividing n, the neutral element is the point at infinity, and each element has a unique
// encoding as one Fp5 element w. Points are kept in Jacobian coordinates (x = X/Z^2, y = Y/Z^3)
// so a scalar multiplication needs a single inversion at the end. Nothing here is secret (the
// simulator only verifies), so plain double-and-add is fine.
import {
  P, fp5, fp5Add, fp5Sub, fp5Mul, fp5Square, fp5Neg, fp5Inv, fp5IsZero, fp5Eq, fp5Sqrt, fp5Legendre,
  fp5Scale, FP5_ZERO, FP5_ONE, fp5FromBytes, fp5ToBytes,
} from './field.mjs';
import { hashToQuintic } from './poseidon2.mjs';

export const N = 1067993516717146951041484916571792702745057740581727230159139685185762082554198619328292418486241n;

const CURVE_A = fp5(2n);                      // a of the double-odd form y^2 = x (x^2 + a x + b)
const CURVE_B = fp5(0n, 263n);                // b = 263 X
const A_OVER_3 = 6148914689804861441n;        // 2/3 in Fp
const W_A = fp5(6148914689804861439n, 263n);  // Weierstrass A = b - a^2/3
const INFINITY = { x: FP5_ONE, y: FP5_ONE, z: FP5_ZERO };

export const isInfinity = (pt) => fp5IsZero(pt.z);

// The generator, encoding w = 4 (checked against §7.5's coordinates by t/lighter_verify.mjs).
export const GENERATOR = {
  x: fp5(11712523173042564207n, 14090224426659529053n, 13197813503519687414n, 16280770174934269299n, 15998333998318935536n),
  y: fp5(14639054205878357578n, 17426078571020221072n, 2548978194165003307n, 8663895577921260088n, 9793640284382595140n),
  z: FP5_ONE,
};

// decode(w): w = 0 is the neutral element; otherwise e = w^2 - a, delta = e^2 - 4b must be a
// square, x is whichever of (e +- sqrt(delta))/2 is a square, y = -w x, and the Weierstrass point
// is (x + a/3, y). Returns null for an invalid encoding.
export function decode(w) {
  if (fp5IsZero(w)) return INFINITY;
  const e = fp5Sub(fp5Square(w), CURVE_A);
  const delta = fp5Sub(fp5Square(e), fp5Scale(CURVE_B, 4n));
  const r = fp5Sqrt(delta);
  if (r === null) return null;
  const half = (P + 1n) / 2n;
  const x1 = fp5Scale(fp5Add(e, r), half);
  const x2 = fp5Scale(fp5Sub(e, r), half);
  const x = fp5Legendre(x1) === 1n ? x1 : x2;
  const y = fp5Neg(fp5Mul(w, x));
  return { x: fp5Add(x, fp5(A_OVER_3)), y, z: FP5_ONE };
}

export function toAffine(pt) {
  if (isInfinity(pt)) return null;
  const zInv = fp5Inv(pt.z);
  const zInv2 = fp5Square(zInv);
  return { x: fp5Mul(pt.x, zInv2), y: fp5Mul(pt.y, fp5Mul(zInv2, zInv)) };
}

// encode: neutral -> 0, else w = y / (a/3 - x).
export function encode(pt) {
  const aff = toAffine(pt);
  if (aff === null) return FP5_ZERO;
  return fp5Mul(aff.y, fp5Inv(fp5Sub(fp5(A_OVER_3), aff.x)));
}

// Doubling in Jacobian coordinates for a general A ("dbl-2007-bl").
export function double(pt) {
  if (isInfinity(pt) || fp5IsZero(pt.y)) return INFINITY;
  const xx = fp5Square(pt.x);
  const yy = fp5Square(pt.y);
  const yyyy = fp5Square(yy);
  const zz = fp5Square(pt.z);
  const s = fp5Scale(fp5Sub(fp5Sub(fp5Square(fp5Add(pt.x, yy)), xx), yyyy), 2n);
  const m = fp5Add(fp5Scale(xx, 3n), fp5Mul(W_A, fp5Square(zz)));
  const x3 = fp5Sub(fp5Square(m), fp5Scale(s, 2n));
  const y3 = fp5Sub(fp5Mul(m, fp5Sub(s, x3)), fp5Scale(yyyy, 8n));
  const z3 = fp5Sub(fp5Sub(fp5Square(fp5Add(pt.y, pt.z)), yy), zz);
  return { x: x3, y: y3, z: z3 };
}

// Addition in Jacobian coordinates ("add-2007-bl"), with the doubling and inverse cases.
export function add(p1, p2) {
  if (isInfinity(p1)) return p2;
  if (isInfinity(p2)) return p1;
  const z1z1 = fp5Square(p1.z);
  const z2z2 = fp5Square(p2.z);
  const u1 = fp5Mul(p1.x, z2z2);
  const u2 = fp5Mul(p2.x, z1z1);
  const s1 = fp5Mul(p1.y, fp5Mul(p2.z, z2z2));
  const s2 = fp5Mul(p2.y, fp5Mul(p1.z, z1z1));
  const h = fp5Sub(u2, u1);
  const r = fp5Scale(fp5Sub(s2, s1), 2n);
  if (fp5IsZero(h)) return fp5IsZero(r) ? double(p1) : INFINITY;
  const i = fp5Square(fp5Scale(h, 2n));
  const j = fp5Mul(h, i);
  const v = fp5Mul(u1, i);
  const x3 = fp5Sub(fp5Sub(fp5Square(r), j), fp5Scale(v, 2n));
  const y3 = fp5Sub(fp5Mul(r, fp5Sub(v, x3)), fp5Scale(fp5Mul(s1, j), 2n));
  const z3 = fp5Mul(fp5Sub(fp5Sub(fp5Square(fp5Add(p1.z, p2.z)), z1z1), z2z2), h);
  return { x: x3, y: y3, z: z3 };
}

// a*P1 + b*P2 with one shared doubling chain (Shamir's trick).
export function doubleMul(a, p1, b, p2) {
  const both = add(p1, p2);
  let acc = INFINITY;
  const bits = Math.max(a.toString(2).length, b.toString(2).length);
  for (let i = bits - 1; i >= 0; i--) {
    acc = double(acc);
    const ba = (a >> BigInt(i)) & 1n;
    const bb = (b >> BigInt(i)) & 1n;
    if (ba && bb) acc = add(acc, both);
    else if (ba) acc = add(acc, p1);
    else if (bb) acc = add(acc, p2);
  }
  return acc;
}

export const mul = (k, pt) => doubleMul(k, pt, 0n, INFINITY);

export const pointsEqual = (p1, p2) => fp5Eq(encode(p1), encode(p2));

// ---- scalars and Schnorr --------------------------------------------------------------------

// 40 bytes little-endian -> BigInt (not reduced).
export function scalarFromBytes(bytes) {
  let v = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[i]);
  return v;
}

// e = (h0 + h1 2^64 + ... + h4 2^256) mod n for an Fp5 hash output.
export const scalarFromFp5 = (h) => h.reduceRight((acc, limb) => (acc << 64n) | limb, 0n) % N;

// Verify(pk, m, sig = s || e): 'strict' refuses s or e >= n (a client must emit canonical
// scalars); 'official' reduces them mod n as the reference verifier (poseidon_crypto v0.0.15)
// does. Returns { ok, reason }.
export function schnorrVerify(publicKeyBytes, messageBytes, signatureBytes, { mode = 'strict' } = {}) {
  if (signatureBytes.length !== 80) return { ok: false, reason: 'signature must be 80 bytes' };
  const pkW = fp5FromBytes(publicKeyBytes);
  if (pkW === null) return { ok: false, reason: 'public key limb not canonical' };
  const m = fp5FromBytes(messageBytes);
  if (m === null) return { ok: false, reason: 'message limb not canonical' };
  let s = scalarFromBytes(signatureBytes.subarray(0, 40));
  let e = scalarFromBytes(signatureBytes.subarray(40, 80));
  if (mode === 'strict' && (s >= N || e >= N)) return { ok: false, reason: 'scalar not reduced' };
  s %= N;
  e %= N;
  const pk = decode(pkW);
  if (pk === null) return { ok: false, reason: 'public key is not a valid encoding' };
  const r = doubleMul(s, GENERATOR, e, pk);
  const check = scalarFromFp5(hashToQuintic([...encode(r), ...m]));
  return check === e ? { ok: true } : { ok: false, reason: 'signature does not match' };
}

export { fp5ToBytes };
