// Shapes of Pacifica's signed POST bodies (specs/pacifica.md §3.4, §3.7): which operation type each
// path signs, and which payload fields it takes. A body is checked the way the venue's typed
// deserialiser would: a missing required field, an unknown field or a wrong JSON type is a 400
// with a serde-style text, before any signature is looked at.
import { JsonNumber } from '../../lib/json_exact.mjs';

// Field kinds. A trailing '?' on a field name in the tables below means optional.
const DECIMAL_RE = /^[0-9]+(\.[0-9]+)?$/;
const UUID_RE = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

const TPSL = { stop_price: 'decimal', 'limit_price?': 'decimal', 'amount?': 'decimal', 'client_order_id?': 'uuid', 'trigger_price_type?': 'trigger' };
const STOP_ORDER = { stop_price: 'decimal', 'limit_price?': 'decimal', 'amount?': 'decimal', 'client_order_id?': 'uuid', 'trigger_price_type?': 'trigger' };

const ENUMS = {
  side: ['bid', 'ask'],
  tif: ['GTC', 'IOC', 'ALO', 'TOB', 'RFQ'],
  trigger: ['mark_price', 'last_trade_price', 'mid_price'],
};

// path -> { type, fields, payloadAgent }. payloadAgent: `agent_wallet` is signed payload, not
// the header (bind/revoke/whitelist admin calls); the main key then always signs.
export const OPERATIONS = {
  '/api/v1/orders/create_market': { type: 'create_market_order', fields: { symbol: 'string', amount: 'decimal', side: 'side', slippage_percent: 'decimal', reduce_only: 'bool', 'client_order_id?': 'uuid', 'take_profit?': TPSL, 'stop_loss?': TPSL, 'builder_code?': 'string' } },
  '/api/v1/orders/create': { type: 'create_order', fields: { symbol: 'string', price: 'decimal', amount: 'decimal', side: 'side', tif: 'tif', reduce_only: 'bool', 'client_order_id?': 'uuid', 'take_profit?': TPSL, 'stop_loss?': TPSL, 'builder_code?': 'string' } },
  '/api/v1/orders/cancel': { type: 'cancel_order', fields: { symbol: 'string', 'order_id?': 'u64', 'client_order_id?': 'uuid' }, oneOf: ['order_id', 'client_order_id'] },
  '/api/v1/orders/cancel_all': { type: 'cancel_all_orders', fields: { all_symbols: 'bool', exclude_reduce_only: 'bool', 'symbol?': 'string' } },
  '/api/v1/orders/edit': { type: 'edit_order', fields: { symbol: 'string', price: 'decimal', amount: 'decimal', 'order_id?': 'u64', 'client_order_id?': 'uuid' }, oneOf: ['order_id', 'client_order_id'] },
  '/api/v1/orders/stop/create': { type: 'create_stop_order', fields: { symbol: 'string', side: 'side', reduce_only: 'bool', stop_order: STOP_ORDER } },
  '/api/v1/orders/stop/cancel': { type: 'cancel_stop_order', fields: { symbol: 'string', 'order_id?': 'u64', 'client_order_id?': 'uuid' }, oneOf: ['order_id', 'client_order_id'] },
  '/api/v1/positions/tpsl': { type: 'set_position_tpsl', fields: { symbol: 'string', side: 'side', 'take_profit?': TPSL, 'stop_loss?': TPSL } },
  '/api/v1/account/leverage': { type: 'update_leverage', fields: { symbol: 'string', leverage: 'u64' } },
  '/api/v1/account/margin': { type: 'update_margin_mode', fields: { symbol: 'string', is_isolated: 'bool' } },
  '/api/v1/positions/add_isolated_margin': { type: 'add_isolated_margin', fields: { symbol: 'string', amount: 'decimal' } },
  '/api/v1/orders/twap/create': { type: 'create_twap_order', fields: { symbol: 'string', reduce_only: 'bool', amount: 'decimal', side: 'side', slippage_percent: 'decimal', duration_in_seconds: 'u64', 'client_order_id?': 'uuid' } },
  '/api/v1/orders/twap/cancel': { type: 'cancel_twap_order', fields: { symbol: 'string', 'order_id?': 'u64', 'client_order_id?': 'uuid' }, oneOf: ['order_id', 'client_order_id'] },
  '/api/v1/account/withdraw': { type: 'withdraw', fields: { amount: 'decimal' } },
  '/api/v1/account/subaccount/transfer': { type: 'transfer_funds', fields: { to_account: 'string', amount: 'decimal' } },
  '/api/v1/agent/bind': { type: 'bind_agent_wallet', fields: { agent_wallet: 'string' }, payloadAgent: true },
  '/api/v1/agent/list': { type: 'list_agent_wallets', fields: {} },
  '/api/v1/agent/revoke': { type: 'revoke_agent_wallet', fields: { agent_wallet: 'string' }, payloadAgent: true },
  '/api/v1/agent/revoke_all': { type: 'revoke_all_agent_wallets', fields: {} },
  '/api/v1/agent/ip_whitelist/list': { type: 'list_agent_ip_whitelist', fields: { api_agent_key: 'string' } },
  '/api/v1/agent/ip_whitelist/add': { type: 'add_agent_whitelisted_ip', fields: { agent_wallet: 'string', ip_address: 'string' }, payloadAgent: true },
  '/api/v1/agent/ip_whitelist/remove': { type: 'remove_agent_whitelisted_ip', fields: { agent_wallet: 'string', ip_address: 'string' }, payloadAgent: true },
  '/api/v1/agent/ip_whitelist/toggle': { type: 'set_agent_ip_whitelist_enabled', fields: { agent_wallet: 'string', enabled: 'bool' }, payloadAgent: true },
  '/api/v1/account/api_keys/create': { type: 'create_api_key', fields: {} },
  '/api/v1/account/api_keys': { type: 'list_api_keys', fields: {} },
  '/api/v1/account/api_keys/revoke': { type: 'revoke_api_key', fields: { api_key: 'string' } },
};

// WebSocket trading: params key -> REST path of the same operation (§6.3).
export const WS_OPERATIONS = {
  create_market_order: '/api/v1/orders/create_market',
  create_order: '/api/v1/orders/create',
  cancel_order: '/api/v1/orders/cancel',
  cancel_all_orders: '/api/v1/orders/cancel_all',
  edit_order: '/api/v1/orders/edit',
};

// Batch action type -> REST path whose schema and signing type the action uses (§4.3).
export const BATCH_ACTIONS = {
  Create: '/api/v1/orders/create',
  CreateMarket: '/api/v1/orders/create_market',
  Cancel: '/api/v1/orders/cancel',
  Edit: '/api/v1/orders/edit',
  SetPositionTpsl: '/api/v1/positions/tpsl',
  CancelStopOrder: '/api/v1/orders/stop/cancel',
};

export class SchemaError extends Error {}

const describe = (v) => {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (v instanceof JsonNumber) return v.isInteger ? `integer \`${v.raw}\`` : `floating point \`${v.raw}\``;
  if (typeof v === 'string') return `string ${JSON.stringify(v)}`;
  if (typeof v === 'boolean') return `boolean \`${v}\``;
  if (Array.isArray(v)) return 'sequence';
  return 'map';
};

function checkValue(kind, v, name) {
  const bad = (expected) => { throw new SchemaError(`invalid type: ${describe(v)}, expected ${expected} for field \`${name}\``); };
  if (typeof kind === 'object') {
    if (v === null || typeof v !== 'object' || Array.isArray(v) || v instanceof JsonNumber) bad('a map');
    checkFields(kind, v, name + '.');
    return;
  }
  switch (kind) {
    case 'string': if (typeof v !== 'string') bad('a string'); return;
    case 'bool': if (typeof v !== 'boolean') bad('a boolean'); return;
    case 'u64':
      if (!(v instanceof JsonNumber) || !v.isInteger || v.raw.startsWith('-') || v.toBigInt() > 18446744073709551615n) bad('u64');
      return;
    case 'decimal':
      if (typeof v !== 'string') bad('a decimal string');
      if (!DECIMAL_RE.test(v)) throw new SchemaError(`invalid value: string ${JSON.stringify(v)}, expected a decimal for field \`${name}\``);
      return;
    case 'uuid':
      if (typeof v !== 'string') bad('a UUID string');
      if (!UUID_RE.test(v)) throw new SchemaError(`invalid value: string ${JSON.stringify(v)}, expected a UUID for field \`${name}\``);
      return;
    default: {
      const allowed = ENUMS[kind];
      if (typeof v !== 'string') bad(`one of ${allowed.join(', ')}`);
      if (!allowed.includes(v)) throw new SchemaError(`unknown variant \`${v}\`, expected one of ${allowed.map((a) => `\`${a}\``).join(', ')} for field \`${name}\``);
    }
  }
}

function checkFields(fields, obj, prefix = '') {
  const known = new Map(Object.entries(fields).map(([k, kind]) => [k.replace(/\?$/, ''), { kind, optional: k.endsWith('?') }]));
  for (const k of Object.keys(obj)) {
    if (!known.has(k)) throw new SchemaError(`unknown field \`${prefix}${k}\`, expected one of ${[...known.keys()].map((x) => `\`${x}\``).join(', ')}`);
  }
  for (const [k, { kind, optional }] of known) {
    if (!(k in obj)) {
      if (optional) continue;
      throw new SchemaError(`missing field \`${prefix}${k}\``);
    }
    checkValue(kind, obj[k], prefix + k);
  }
}

const HEADER_FIELDS = ['account', 'agent_wallet', 'signature', 'timestamp', 'expiry_window'];

// Splits a parsed body into header and signed payload and checks both. Returns
// { op, header: {account, agent_wallet, signature, timestamp, expiry_window}, data }.
export function splitBody(path, body) {
  const op = OPERATIONS[path];
  if (!op) return null;
  if (body === null || typeof body !== 'object' || Array.isArray(body) || body instanceof JsonNumber) {
    throw new SchemaError(`invalid type: ${describe(body)}, expected a map`);
  }
  const header = {};
  const data = Object.create(null);
  for (const k of Object.keys(body)) {
    if (HEADER_FIELDS.includes(k) && !(k === 'agent_wallet' && op.payloadAgent)) header[k] = body[k];
    else data[k] = body[k];
  }
  if (!('account' in header)) throw new SchemaError('missing field `account`');
  if (typeof header.account !== 'string') throw new SchemaError(`invalid type: ${describe(header.account)}, expected a string for field \`account\``);
  if (!('signature' in header)) throw new SchemaError('missing field `signature`');
  if (typeof header.signature !== 'string') throw new SchemaError(`invalid type: ${describe(header.signature)}, expected a string for field \`signature\``);
  if (!('timestamp' in header)) throw new SchemaError('missing field `timestamp`');
  checkValue('u64', header.timestamp, 'timestamp');
  if ('expiry_window' in header) checkValue('u64', header.expiry_window, 'expiry_window');
  if ('agent_wallet' in header && header.agent_wallet !== null && typeof header.agent_wallet !== 'string') {
    throw new SchemaError(`invalid type: ${describe(header.agent_wallet)}, expected a string or null for field \`agent_wallet\``);
  }
  checkFields(op.fields, data);
  if (op.oneOf) {
    const present = op.oneOf.filter((k) => k in data);
    if (present.length !== 1) throw new SchemaError(`exactly one of ${op.oneOf.map((k) => `\`${k}\``).join(' or ')} must be given`);
  }
  return { op, header, data };
}
