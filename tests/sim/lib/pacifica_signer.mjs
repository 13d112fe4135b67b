// Test-side Pacifica request signing, deliberately independent of the simulator: the messages are
// written out by hand with their keys already in sorted order (specs/pacifica.md §3.2), and signed
// with tweetnacl (not @noble, which the simulator uses to verify). t/sim_orders.mjs first checks
// this signer against a shared vector, so a passing simulator test means two independent
// implementations agree.
import nacl from 'tweetnacl';
import bs58 from 'bs58';

const q = (s) => `"${s}"`; // every value used in tests is plain ASCII without quotes or backslashes

// payload builders: return the "data" object text with keys in code-point order
export const messages = {
  create_market_order: (p) => `{"amount":${q(p.amount)},${p.client_order_id ? `"client_order_id":${q(p.client_order_id)},` : ''}"reduce_only":${p.reduce_only},"side":${q(p.side)},"slippage_percent":${q(p.slippage_percent)},"symbol":${q(p.symbol)}}`,
  create_order: (p) => `{"amount":${q(p.amount)},${p.client_order_id ? `"client_order_id":${q(p.client_order_id)},` : ''}"price":${q(p.price)},"reduce_only":${p.reduce_only},"side":${q(p.side)},"symbol":${q(p.symbol)},"tif":${q(p.tif)}}`,
  cancel_order: (p) => `{${p.client_order_id ? `"client_order_id":${q(p.client_order_id)}` : `"order_id":${p.order_id}`},"symbol":${q(p.symbol)}}`,
  cancel_all_orders: (p) => `{"all_symbols":${p.all_symbols},"exclude_reduce_only":${p.exclude_reduce_only}${p.symbol ? `,"symbol":${q(p.symbol)}` : ''}}`,
  edit_order: (p) => `{"amount":${q(p.amount)},${p.client_order_id ? `"client_order_id":${q(p.client_order_id)}` : `"order_id":${p.order_id}`},"price":${q(p.price)},"symbol":${q(p.symbol)}}`,
  update_leverage: (p) => `{"leverage":${p.leverage},"symbol":${q(p.symbol)}}`,
  update_margin_mode: (p) => `{"is_isolated":${p.is_isolated},"symbol":${q(p.symbol)}}`,
};

export const PATHS = {
  create_market_order: '/api/v1/orders/create_market',
  create_order: '/api/v1/orders/create',
  cancel_order: '/api/v1/orders/cancel',
  cancel_all_orders: '/api/v1/orders/cancel_all',
  edit_order: '/api/v1/orders/edit',
  update_leverage: '/api/v1/account/leverage',
  update_margin_mode: '/api/v1/account/margin',
};

export function signedMessageText(type, payload, timestamp, expiryWindow) {
  return `{"data":${messages[type](payload)},"expiry_window":${expiryWindow},"timestamp":${timestamp},"type":${q(type)}}`;
}

// secretB58: base58 of 64 bytes (seed || public key). account: main address; agentPub: the
// agent's public key when the agent signs.
export function signRequest(type, payload, { secretB58, account, agentPub = null, timestamp = Date.now(), expiryWindow = 5000 }) {
  const message = signedMessageText(type, payload, timestamp, expiryWindow);
  const sig = nacl.sign.detached(new TextEncoder().encode(message), bs58.decode(secretB58));
  const body = { account, signature: bs58.encode(sig), timestamp, expiry_window: expiryWindow, ...payload };
  if (agentPub) body.agent_wallet = agentPub;
  return { message, body };
}

export function corruptSignature(body) {
  const bytes = bs58.decode(body.signature);
  bytes[5] ^= 0x80;
  return { ...body, signature: bs58.encode(bytes) };
}
