// edgeX v2 EIP-712 for verification only (specs/edgex.md V.6): the EdgeX domain, the OrderBase /
// LimitOrderParams and SetMarginPreferenceParams structs, and secp256k1 public-key recovery to the
// signer address. An encoder of its own over @noble/hashes (Keccak-256) and @noble/curves
// (secp256k1); type strings are written out from the spec and their hashes checked against
// shared/vectors/edgex/v2_eip712_types.json by t/edgex_verify.mjs.
import { keccak_256 } from '@noble/hashes/sha3.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';

const enc = new TextEncoder();
const keccak = (bytes) => keccak_256(bytes);
const concat = (...parts) => Buffer.concat(parts.map((p) => Buffer.from(p)));

export const TYPES = {
  EIP712Domain: 'EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)',
  OrderBase: 'OrderBase(uint256 nonce,address signer,uint64 accountId,uint256 expirationTimestamp)',
  LimitOrderParams: 'LimitOrderParams(OrderBase base,int256 amountSynthetic,int256 amountCollateral,uint256 amountFee,uint64 assetIdSynthetic,uint64 assetIdCollateral,bool isBuyingSynthetic,bytes32 parentOrderHash,uint256 subOrderIndex)'
    + 'OrderBase(uint256 nonce,address signer,uint64 accountId,uint256 expirationTimestamp)',
  SetMarginPreferenceParams: 'SetMarginPreferenceParams(uint64 accountId,uint64 assetId,uint8 marginMode,uint256 nonce,address signer)',
};
export const typeHash = (name) => keccak(enc.encode(TYPES[name]));

export class EncodeError extends Error {}

// One 32-byte word per field, after the range check of its Solidity type.
function uint(v, bits, name) {
  if (typeof v !== 'bigint' || v < 0n || v >= (1n << BigInt(bits))) throw new EncodeError(`${name} does not fit uint${bits}`);
  return Buffer.from(v.toString(16).padStart(64, '0'), 'hex');
}
function int256(v, name) {
  if (typeof v !== 'bigint' || v < -(1n << 255n) || v >= (1n << 255n)) throw new EncodeError(`${name} does not fit int256`);
  return Buffer.from(BigInt.asUintN(256, v).toString(16).padStart(64, '0'), 'hex');
}
function address(text, name) {
  if (typeof text !== 'string' || !/^0x[0-9a-fA-F]{40}$/.test(text)) throw new EncodeError(`${name} is not a 20-byte 0x address`);
  return Buffer.concat([Buffer.alloc(12), Buffer.from(text.slice(2), 'hex')]);
}
const bool = (b) => uint(b ? 1n : 0n, 8, 'bool');

// domain: { chainId (BigInt), verifyingContract (0x address) }
export function domainSeparator(domain) {
  return keccak(concat(typeHash('EIP712Domain'), keccak(enc.encode('EdgeX')), keccak(enc.encode('1')),
    uint(domain.chainId, 256, 'chainId'), address(domain.verifyingContract, 'verifyingContract')));
}

// m: { nonce, signer, accountId, expirationTimestamp, amountSynthetic, amountCollateral, amountFee,
//      assetIdSynthetic, assetIdCollateral, isBuyingSynthetic }
export function limitOrderStructHash(m) {
  const base = keccak(concat(typeHash('OrderBase'), uint(m.nonce, 256, 'nonce'), address(m.signer, 'signer'),
    uint(m.accountId, 64, 'accountId'), uint(m.expirationTimestamp, 256, 'expirationTimestamp')));
  return keccak(concat(typeHash('LimitOrderParams'), base, int256(m.amountSynthetic, 'amountSynthetic'),
    int256(m.amountCollateral, 'amountCollateral'), uint(m.amountFee, 256, 'amountFee'),
    uint(m.assetIdSynthetic, 64, 'assetIdSynthetic'), uint(m.assetIdCollateral, 64, 'assetIdCollateral'),
    bool(m.isBuyingSynthetic), Buffer.alloc(32), uint(0n, 256, 'subOrderIndex')));
}

// m: { accountId, assetId, marginMode, nonce, signer }
export function marginStructHash(m) {
  return keccak(concat(typeHash('SetMarginPreferenceParams'), uint(m.accountId, 64, 'accountId'), uint(m.assetId, 64, 'assetId'),
    uint(m.marginMode, 8, 'marginMode'), uint(m.nonce, 256, 'nonce'), address(m.signer, 'signer')));
}

export const digestOf = (domain, structHash) => keccak(concat([0x19, 0x01], domainSeparator(domain), structHash));

// Lower-case 0x address of an uncompressed public key (04 || X || Y).
export function addressOfPublicKey(uncompressed) {
  return '0x' + Buffer.from(keccak(uncompressed.slice(1))).subarray(12).toString('hex');
}

const HALF_N = secp256k1.Point.Fn.ORDER >> 1n;

// l2Signature "r||s||v" as 130 hex digits (the Go SDK's "0x" prefix accepted too), v = 27 or 28,
// low S required (both SDKs produce it). Returns { address } of the recovered signer, or
// { error } saying what is wrong with the signature itself.
export function recoverSigner(sigText, digest) {
  if (typeof sigText !== 'string') return { error: 'l2Signature must be a string' };
  const hex = sigText.startsWith('0x') ? sigText.slice(2) : sigText;
  if (!/^[0-9a-fA-F]{130}$/.test(hex)) return { error: 'l2Signature must be 130 hex digits (r||s||v)' };
  const r = BigInt('0x' + hex.slice(0, 64));
  const s = BigInt('0x' + hex.slice(64, 128));
  const v = parseInt(hex.slice(128), 16);
  if (v !== 27 && v !== 28) return { error: `l2Signature v must be 27 or 28, got ${v}` };
  if (s > HALF_N) return { error: 'l2Signature s is not in the lower half of the curve order' };
  try {
    const point = new secp256k1.Signature(r, s, v - 27).recoverPublicKey(digest);
    return { address: addressOfPublicKey(point.toBytes(false)) };
  } catch (e) {
    return { error: `l2Signature does not recover a public key (${e.message})` };
  }
}

// EIP-55 form of an address (for payloads; comparisons use lower case).
export function checksumAddress(addr) {
  const lower = addr.toLowerCase().replace(/^0x/, '');
  const h = Buffer.from(keccak(enc.encode(lower))).toString('hex');
  return '0x' + [...lower].map((ch, i) => (parseInt(h[i], 16) >= 8 ? ch.toUpperCase() : ch)).join('');
}
