// edgeX answers (specs/edgex.md §2, §11, V.4): every body is the envelope
// {"code","data","msg","errorParam","requestTime","responseTime","traceId"}; success is exactly
// code "SUCCESS". Failures use the documented codes where one exists (INVALID_PARAMETER,
// ACCOUNT_NOT_FOUND, INSUFFICIENT_BALANCE, ORDER_NOT_FOUND, SIGNATURE_ERROR, RATE_LIMIT_EXCEEDED,
// INVALID_API_KEY, GATEWAY_HEADER_REQUIRED, GATEWAY_PARAM_INVALID,
// ACCOUNT_UPDATE_LEVERAGE_FAILED_ORDER). The venue publishes no complete list, so the few
// remaining names (REQUEST_EXPIRED, INVALID_L2_SIGNATURE, NOT_SIMULATED) are the simulator's; a
// client must treat any code other than SUCCESS as an error anyway. Business refusals come back
// with HTTP 200 (the client has to read `code`), request problems with 400, auth with 401.
import { randomBytes } from 'node:crypto';

export function envelope(code, data, msg, errorParam, requestMs, responseMs) {
  return {
    code, data, msg, errorParam,
    requestTime: String(requestMs), responseTime: String(responseMs), traceId: randomBytes(16).toString('hex'),
  };
}

// kind -> { status, code, msg }. `kind` names are shared with the other dialects' fault
// "reject" kinds where the meaning is the same, so one fault spec works on every venue.
const TABLE = {
  invalid_parameter: { status: 400, code: 'INVALID_PARAMETER', msg: 'invalid parameter' },
  invalid_order: { status: 400, code: 'INVALID_PARAMETER', msg: 'invalid order parameter' },
  bad_symbol: { status: 400, code: 'INVALID_PARAMETER', msg: 'contract not found' },
  account_not_found: { status: 200, code: 'ACCOUNT_NOT_FOUND', msg: 'account not found' },
  insufficient_funds: { status: 200, code: 'INSUFFICIENT_BALANCE', msg: 'insufficient balance' },
  order_not_found: { status: 200, code: 'ORDER_NOT_FOUND', msg: 'order not found' },
  invalid_leverage: { status: 400, code: 'INVALID_PARAMETER', msg: 'invalid leverage' },
  margin_mode: { status: 400, code: 'INVALID_PARAMETER', msg: 'margin mode cannot change with an open position' },
  leverage_open_orders: { status: 200, code: 'ACCOUNT_UPDATE_LEVERAGE_FAILED_ORDER', msg: 'cannot update leverage while the contract has open orders' },
  duplicate_client_id: { status: 400, code: 'INVALID_PARAMETER', msg: 'clientOrderId already used for a different order' },
  rate_limited: { status: 429, code: 'RATE_LIMIT_EXCEEDED', msg: 'rate limit exceeded' },
  unauthorized: { status: 401, code: 'INVALID_API_KEY', msg: 'invalid api key' },
  verification_failed: { status: 401, code: 'SIGNATURE_ERROR', msg: 'signature verification failed' },
  expired: { status: 401, code: 'REQUEST_EXPIRED', msg: 'request timestamp outside the allowed window' },
  header_required: { status: 400, code: 'GATEWAY_HEADER_REQUIRED', msg: 'required header missing' },
  param_invalid: { status: 400, code: 'GATEWAY_PARAM_INVALID', msg: 'invalid request parameter' },
  l2_signature: { status: 400, code: 'INVALID_L2_SIGNATURE', msg: 'L2 signature verification failed' },
  not_found: { status: 404, code: 'NOT_FOUND', msg: 'no such endpoint' },
  internal: { status: 500, code: 'INTERNAL_ERROR', msg: 'internal error' },
  not_simulated: { status: 501, code: 'NOT_SIMULATED', msg: 'not simulated' },
};

export const REJECT_KINDS = Object.keys(TABLE);

// An error answer { status, json } for kind; msg and errorParam override the defaults.
export function errorAnswer(kind, { msg, errorParam = null, requestMs, responseMs } = {}) {
  const t = TABLE[kind] ?? TABLE.internal;
  return { status: t.status, json: envelope(t.code, null, msg ?? t.msg, errorParam, requestMs, responseMs) };
}

// Body for an HTTP status forced by a fault: 429 and 500 as the API answers them; the gateway
// statuses (502/503/504) as the HTML page a load balancer sends in front of the API.
export function statusBody(status) {
  const now = Date.now();
  if (status === 429) return errorAnswer('rate_limited', { requestMs: now, responseMs: now });
  if (status === 502 || status === 503 || status === 504) {
    const title = { 502: 'Bad Gateway', 503: 'Service Temporarily Unavailable', 504: 'Gateway Time-out' }[status];
    return { status, text: `<html>\r\n<head><title>${status} ${title}</title></head>\r\n<body>\r\n<center><h1>${status} ${title}</h1></center>\r\n</body>\r\n</html>\r\n`, headers: { 'content-type': 'text/html' } };
  }
  if (status >= 500) return errorAnswer('internal', { requestMs: now, responseMs: now });
  return { status, json: envelope('INVALID_PARAMETER', null, `HTTP ${status}`, null, now, now) };
}
