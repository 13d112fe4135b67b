// Pacifica's error answers (specs/pacifica.md §8, fixtures error__*): which HTTP status and body
// each failure gets over REST, and which `code` over WebSocket trading (§6.3). Engine error kinds
// and fault "reject" names map to the same table, so an injected rejection looks exactly like a
// real one.

// Business error codes of 422 bodies (§8).
export const BUSINESS = {
  UNKNOWN: 0, ACCOUNT_NOT_FOUND: 1, BOOK_NOT_FOUND: 2, INVALID_TICK_LEVEL: 3, INSUFFICIENT_BALANCE: 4,
  ORDER_NOT_FOUND: 5, OVER_WITHDRAWAL: 6, INVALID_LEVERAGE: 7, CANNOT_UPDATE_MARGIN: 8, POSITION_NOT_FOUND: 9,
};

const envelope = (error, code) => ({ success: false, data: null, error, code });

// kind -> (message) => { status, json | text }
const TABLE = {
  bad_symbol: (msg) => ({ status: 422, json: envelope(msg || 'Market not found', BUSINESS.BOOK_NOT_FOUND) }),
  account_not_found: (msg) => ({ status: 422, json: envelope(msg || 'Account not found', BUSINESS.ACCOUNT_NOT_FOUND) }),
  insufficient_funds: () => ({ status: 422, json: envelope('Insufficient balance', BUSINESS.INSUFFICIENT_BALANCE) }),
  order_not_found: () => ({ status: 422, json: envelope('Order not found', BUSINESS.ORDER_NOT_FOUND) }),
  no_liquidity: () => ({ status: 422, json: envelope('No reasonable price found', BUSINESS.UNKNOWN) }),
  margin_mode: (msg) => ({ status: 422, json: envelope(msg || 'Cannot update margin', BUSINESS.CANNOT_UPDATE_MARGIN) }),
  invalid_leverage: () => ({ status: 400, json: { error: 'Invalid leverage', code: 400 } }),
  invalid_order: (msg) => ({ status: 400, json: envelope(msg || 'Invalid order parameters', 400) }),
  reduce_only: (msg) => ({ status: 400, json: envelope(msg || 'Invalid reduce only order', 400) }),
  duplicate_client_id: (msg) => ({ status: 400, json: envelope(msg || 'Duplicate client order id', 400) }),
  rate_limited: () => ({ status: 429, json: envelope('Rate limit exceeded', 429) }),
  unauthorized: () => ({ status: 401, text: 'Unauthorized' }),
  verification_failed: () => ({ status: 400, text: 'Verification failed' }),
  internal: () => ({ status: 500, text: 'Internal server error' }),
  not_simulated: (msg) => ({ status: 501, json: envelope(msg || 'not simulated', 501) }),
};

export const REJECT_KINDS = Object.keys(TABLE);

export function restError(kind, message) {
  const f = TABLE[kind] ?? TABLE.internal;
  return f(message);
}

// Body for an HTTP status forced by a fault (429, 5xx, ...), as the venue would send it.
export function statusBody(status) {
  if (status === 429) return TABLE.rate_limited();
  if (status === 503) return { status, text: 'Service Unavailable' };
  if (status === 504) return { status, text: 'Gateway Timeout' };
  if (status >= 500) return { status, text: 'Internal server error' };
  return { status, json: envelope(`HTTP ${status}`, status) };
}

// WebSocket trading error `code` for a REST-shaped failure.
export function wsCode(status, reason) {
  if (reason === 'bad_signature' || reason === 'expired' || reason === 'bad_signature_encoding' || reason === 'non_ascii') return 401;
  if (reason === 'bad_account' || reason === 'bad_agent_wallet') return 402;
  if (reason === 'agent_not_bound' || status === 401 || status === 403) return 403;
  if (status === 429) return 429;
  if (status === 422) return 420;
  if (status >= 500) return 500;
  return 400;
}

export const messageOf = (r) => (r.text ?? r.json?.error ?? `HTTP ${r.status}`);
