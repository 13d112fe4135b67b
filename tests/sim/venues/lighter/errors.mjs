// Lighter's error answers (specs/lighter.md §3.1, §9; fixtures error__*): business failures are
// HTTP 400 with {"code": <business code>, "message": "..."}, rate limits HTTP 429 with code 23000.
// Engine error kinds and fault "reject" names map to the same table, so an injected rejection
// looks exactly like a real one. Codes the spec does not give (a malformed request, a bad auth
// token) use the simulator's own choices, marked below; a client should key on the HTTP status
// and the documented codes only.

export const CODES = {
  OK: 200,
  INVALID_PARAM: 20001,          // simulator's choice: malformed request / parameter (20xxx = request validation)
  INVALID_AUTH: 20013,           // simulator's choice: missing, malformed, expired or forged auth token
  INVALID_NONCE: 21104,
  BATCH_NONCE_NOT_INCREASING: 21105,
  INVALID_PUBLIC_KEY: 21108,
  API_KEY_NOT_FOUND: 21109,
  INVALID_API_KEY_INDEX: 21110,
  INVALID_IMF: 21113,
  INVALID_SIGNATURE: 21120,
  BATCH_MIXED_ACCOUNTS: 21121,
  MARGIN_MODE_CHANGE: 21132,
  ACCOUNT_NOT_FOUND: 21100,      // simulator's choice (21xxx tx processing)
  NOT_ENOUGH_COLLATERAL: 21301,
  TOO_MANY_PENDING: 21506,
  BATCH_TOO_LARGE: 21514,
  INVALID_MARKET: 21602,
  INVALID_ORDER_INDEX: 21700,
  INVALID_BASE_AMOUNT: 21701,
  INVALID_PRICE: 21702,
  INVALID_IS_ASK: 21703,
  INVALID_ORDER_TYPE: 21704,
  INVALID_TIF: 21705,
  INVALID_AMOUNT: 21706,
  INVALID_EXPIRY: 21711,
  INVALID_CLIENT_ORDER_INDEX: 21727,
  CLIENT_ORDER_INDEX_EXISTS: 21728,
  REDUCE_ONLY_INCREASES: 21732,
  NOT_ENOUGH_MARGIN: 21739,
  RATE_LIMITED: 23000,
  INTERNAL: 29500,
  TIMEOUT: 29501,
  WS_INVALID_JSON: 30000,
  WS_INVALID_TYPE: 30001,
  WS_NOT_SUBSCRIBED: 30002,
  WS_ALREADY_SUBSCRIBED: 30003,
  WS_INVALID_CHANNEL: 30005,
  WS_FAILED_TO_SUBSCRIBE: 30012,
};

const MESSAGES = {
  20001: 'invalid param', 20013: 'invalid auth', 21100: 'account not found', 21104: 'invalid nonce',
  21105: 'batch transaction nonce is not increasing', 21108: 'invalid PublicKey, update the sdk to the latest version',
  21109: 'api key not found', 21110: 'invalid api key index', 21113: 'invalid initial margin fraction',
  21120: 'invalid signature', 21121: 'all transactions in the batch must use the same account and api key',
  21132: 'margin mode change is not allowed with an open position or order', 21301: 'not enough collateral',
  21506: 'too many pending txs, try again later', 21514: 'max 50 transactions per batch', 21602: 'invalid market index',
  21700: 'invalid order index', 21701: 'invalid order base amount', 21702: 'invalid order price', 21703: 'invalid order isAsk',
  21704: 'invalid order type', 21705: 'invalid order time in force', 21706: 'invalid order base or quote amount',
  21711: 'invalid expiry', 21727: 'invalid client order index', 21728: 'client order index already exists',
  21732: 'reduce only increases position', 21739: 'not enough margin to create the order',
  23000: 'Too Many Requests!', 29500: 'internal server error', 29501: 'timeout',
};

// HTTP answer for a business code; `detail` is appended the way the venue words some messages
// ("invalid param: market_id"). Auth failures answer 401 so that no client can mistake them for
// an order rejection.
export function codeError(code, detail) {
  const base = MESSAGES[code] ?? 'error';
  const message = detail ? `${base}: ${detail}` : base;
  const status = code === CODES.RATE_LIMITED ? 429 : code === CODES.INVALID_AUTH ? 401 : code >= 29500 && code < 29600 ? 500 : 400;
  return { status, json: { code, message } };
}

// Engine error kinds (engine.mjs) and fault "reject" names -> business code.
const KIND_CODES = {
  bad_symbol: CODES.INVALID_MARKET,
  invalid_order: CODES.INVALID_AMOUNT,
  insufficient_funds: CODES.NOT_ENOUGH_MARGIN,
  order_not_found: CODES.INVALID_ORDER_INDEX,
  no_liquidity: CODES.INVALID_AMOUNT,
  invalid_leverage: CODES.INVALID_IMF,
  account_not_found: CODES.ACCOUNT_NOT_FOUND,
  margin_mode: CODES.MARGIN_MODE_CHANGE,
  duplicate_client_id: CODES.CLIENT_ORDER_INDEX_EXISTS,
  reduce_only: CODES.REDUCE_ONLY_INCREASES,
  invalid_nonce: CODES.INVALID_NONCE,
  invalid_signature: CODES.INVALID_SIGNATURE,
  invalid_expiry: CODES.INVALID_EXPIRY,
  rate_limited: CODES.RATE_LIMITED,
  too_many_pending: CODES.TOO_MANY_PENDING,
  unauthorized: CODES.INVALID_AUTH,
  internal: CODES.INTERNAL,
};

export const REJECT_KINDS = Object.keys(KIND_CODES);
export const codeOfKind = (kind) => KIND_CODES[kind] ?? CODES.INTERNAL;
export const kindError = (kind, detail) => codeError(codeOfKind(kind), detail);

// Body for an HTTP status forced by a fault (429, 5xx, ...), as the venue would send it.
export function statusBody(status) {
  if (status === 429) return { status, json: { code: CODES.RATE_LIMITED, message: 'Too Many Requests!: IP ratelimit reached. 60 requests per 60 seconds is allowed' } };
  if (status === 502) return { status, text: '<html><body><h1>502 Bad Gateway</h1></body></html>', headers: { 'content-type': 'text/html' } };
  if (status === 503) return { status, text: 'Service Unavailable' };
  if (status === 504) return { status, text: 'Gateway Timeout' };
  if (status >= 500) return { status, json: { code: CODES.INTERNAL, message: 'internal server error' } };
  return { status, json: { code: CODES.INVALID_PARAM, message: `HTTP ${status}` } };
}
