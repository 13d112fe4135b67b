// edgeX GET endpoints (specs/edgex.md §3 public, §4.1-4.3 private reads, V.4 differences):
// handlers take (query Map, context) and answer { data } or { error: {kind, msg, errorParam} }.
// The router (rest.mjs) has already authenticated private calls and wraps data in the envelope.
import * as shape from './shapes.mjs';

const err = (kind, msg, field) => ({ error: { kind, msg, errorParam: field ? { field } : null } });
const list = (text) => (text === undefined ? null : text.split(',').filter(Boolean));

// Paging by offsetData (an opaque upper-case hex cursor) and size; nextPageOffsetData is "" at the end.
function page(rows, q, maxSize = 100, defaultSize = 20) {
  const size = q.has('size') ? Number(q.get('size')) : defaultSize;
  if (!Number.isInteger(size) || size < 1 || size > maxSize) return err('invalid_parameter', `size must be an integer from 1 to ${maxSize}`, 'size');
  let start = 0;
  if (q.has('offsetData')) {
    const raw = q.get('offsetData');
    if (!/^[0-9A-F]{2,16}$/.test(raw)) return err('invalid_parameter', `offsetData ${raw} is not a cursor this endpoint gave out`, 'offsetData');
    start = parseInt(raw, 16) - 0x0880;
    if (start < 0 || start > rows.length) return err('invalid_parameter', `offsetData ${raw} is out of range`, 'offsetData');
  }
  const end = start + size;
  return { data: { dataList: rows.slice(start, end), nextPageOffsetData: end < rows.length ? (0x0880 + end).toString(16).toUpperCase().padStart(4, '0') : '' } };
}

// Time-window filter on millisecond bounds; a bound that is not an integer throws BadFilter.
class BadFilter extends Error {}
function timeFilter(rows, q, at, begin = 'filterStartCreatedTimeInclusive', endKey = 'filterEndCreatedTimeExclusive') {
  const bound = (k, dflt) => {
    if (!q.has(k)) return dflt;
    if (!/^[0-9]{1,16}$/.test(q.get(k))) throw new BadFilter(k);
    return Number(q.get(k));
  };
  const from = bound(begin, -Infinity);
  const to = bound(endKey, Infinity);
  return rows.filter((r) => at(r) >= from && at(r) < to);
}

// Wraps route handlers so a bad time bound answers INVALID_PARAMETER naming it.
function guarded(routes) {
  const out = {};
  for (const [name, fn] of Object.entries(routes)) {
    out[name] = (...args) => {
      try { return fn(...args); } catch (e) {
        if (e instanceof BadFilter) return err('invalid_parameter', `${e.message} must be a millisecond timestamp`, e.message);
        throw e;
      }
    };
  }
  return out;
}

export function publicRoutes(v) {
  const { engine } = v;
  const contract = (id) => v.contracts().byId.get(id);
  const marketOf = (c) => engine.markets.get(c.symbol);
  const dataOff = () => v.version === 'v1' && !v.options.serve_market_data;
  return guarded({
    'meta/getServerTime': () => ({ data: { timeMillis: String(v.serverTimeMs()) } }),
    'meta/getMetaData': () => ({ data: shape.metadata(v) }),
    'quote/getTicker': (q) => {
      if (dataOff()) return { data: [] };
      const id = q.get('contractId');
      // v2 answers one contract per call (a list or no id gave [] live); v1 lists all without an id.
      if (id === undefined) return { data: v.version === 'v2' ? [] : [...v.contracts().bySymbol.values()].map((c) => shape.ticker(v, marketOf(c), c, engine.now())) };
      const c = contract(id);
      return { data: c ? [shape.ticker(v, marketOf(c), c, engine.now())] : [] };
    },
    'quote/getDepth': (q) => {
      const level = Number(q.get('level'));
      if (level !== 15 && level !== 200) return err('invalid_parameter', 'level must be 15 or 200', 'level');
      if (!q.has('contractId')) return err('invalid_parameter', 'contractId is required', 'contractId');
      if (dataOff()) return { data: [] };
      const c = contract(q.get('contractId'));
      return { data: c ? [shape.depth(v, marketOf(c), c, level, v.bookVersion(c.symbol))] : [] };
    },
    'funding/getLatestFundingRate': (q) => {
      if (dataOff()) return { data: [] };
      const ids = list(q.get('contractId'));
      if (ids && ids.length > 1 && v.version === 'v1') return { data: [] };
      const cs = ids ? ids.map(contract).filter(Boolean) : [...v.contracts().bySymbol.values()];
      return { data: cs.map((c) => shape.latestFunding(v, marketOf(c), c, engine.now())) };
    },
    'funding/getFundingRatePage': (q) => {
      if (!q.has('contractId')) return err('invalid_parameter', 'contractId is required', 'contractId');
      const c = contract(q.get('contractId'));
      if (!c || dataOff()) return { data: { dataList: [], nextPageOffsetData: '' } };
      const recs = timeFilter([...engine.fundingRates.get(c.symbol)].reverse(), q, (r) => r.at, 'filterBeginTimeInclusive', 'filterEndTimeExclusive');
      return page(recs.map((r) => shape.settledFunding(marketOf(c), c, r)), q, 100, 10);
    },
    ...(v.version === 'v2' ? {
      'quote/getMarketStatus': (q) => {
        const cs = q.has('contractId') ? [contract(q.get('contractId'))].filter(Boolean) : [...v.contracts().bySymbol.values()];
        return { data: cs.map((c) => ({ contractId: c.contractId, marketOpen: true })) };
      },
    } : {}),
  });
}

// Private reads; `acct` is the authenticated account.
export function accountRoutes(v) {
  const { engine } = v;
  const symbolsOf = (q, key) => {
    const ids = list(q.get(key));
    return ids ? new Set(ids.map((id) => v.contracts().byId.get(id)?.symbol ?? `?${id}`)) : null;
  };
  const lookupActiveOnly = () => v.options.order_lookup === 'active_only';
  const isActive = (o) => o.status === 'open' || o.status === 'partially_filled';
  const mine = (acct) => [...engine.orders.values()].filter((o) => o.account === acct.id && o.meta).sort((a, b) => b.id - a.id);
  const ordersFilter = (rows, q) => {
    const syms = symbolsOf(q, 'filterContractIdList');
    const types = list(q.get('filterTypeList'));
    const statuses = list(q.get('filterStatusList'));
    return timeFilter(rows, q, (o) => o.createdAt)
      .filter((o) => !syms || syms.has(o.symbol))
      .filter((o) => !types || types.includes(o.meta.type))
      .filter((o) => !statuses || statuses.includes(shape.order(v, o).status));
  };
  const byIds = (acct, q, key, pick, want) => {
    const ids = list(q.get(key));
    if (!ids || ids.length === 0) return err('invalid_parameter', `${key} is required`, key);
    const out = [];
    for (const id of ids) {
      const o = pick(acct, id);
      if (o && o.meta && want(o)) out.push(shape.order(v, o));
    }
    return { data: out };
  };
  const byOrderId = (acct, id) => { const o = engine.orders.get(shape.engineOrderId(id)); return o && o.account === acct.id ? o : null; };
  const byClientId = (acct, id) => engine.orderByClientId(acct.id, id);
  return guarded({
    'account/getAccountAsset': (q, acct) => ({ data: shape.accountAsset(v, acct) }),
    'account/getAccountById': (q, acct) => ({ data: shape.accountObject(v, acct) }),
    'account/getPositionByContractId': (q, acct) => {
      const syms = symbolsOf(q, 'contractIdList');
      if (!syms) return err('invalid_parameter', 'contractIdList is required', 'contractIdList');
      return { data: [...acct.positions.keys()].filter((s) => syms.has(s)).map((s) => shape.position(v, acct, s)) };
    },
    'account/getPositionTransactionPage': (q, acct) => {
      const types = list(q.get('filterTypeList'));
      const syms = symbolsOf(q, 'filterContractIdList');
      let recs = [...engine.trades.filter((t) => t.account === acct.id), ...engine.fundingPayments.filter((f) => f.account === acct.id)]
        .sort((a, b) => b.historyId - a.historyId);
      recs = timeFilter(recs, q, (r) => r.at).filter((r) => !syms || syms.has(r.symbol));
      if (q.get('filterCloseOnly') === 'true') recs = recs.filter((r) => r.closedQty > 0n);
      if (q.get('filterOpenOnly') === 'true') recs = recs.filter((r) => r.openedQty > 0n);
      const rows = recs.map((r) => shape.positionTransaction(v, r)).filter((r) => !types || types.includes(r.type));
      return page(rows, q);
    },
    'order/getActiveOrderPage': (q, acct) => page(ordersFilter(mine(acct).filter(isActive), q).map((o) => shape.order(v, o)), q, 200, 100),
    'order/getHistoryOrderPage': (q, acct) => page(ordersFilter(mine(acct).filter((o) => !isActive(o)), q).map((o) => shape.order(v, o)), q, 100, 20),
    'order/getOrderById': (q, acct) => byIds(acct, q, 'orderIdList', byOrderId, (o) => !lookupActiveOnly() || isActive(o)),
    'order/getOrderByClientOrderId': (q, acct) => byIds(acct, q, 'clientOrderIdList', byClientId, (o) => !lookupActiveOnly() || isActive(o)),
    'order/getHistoryOrderById': (q, acct) => byIds(acct, q, 'orderIdList', byOrderId, (o) => !isActive(o)),
    'order/getHistoryOrderByClientOrderId': (q, acct) => byIds(acct, q, 'clientOrderIdList', byClientId, (o) => !isActive(o)),
    'order/getHistoryOrderFillTransactionPage': (q, acct) => {
      const syms = symbolsOf(q, 'filterContractIdList');
      const ids = list(q.get('filterOrderIdList'));
      const rows = timeFilter(engine.trades.filter((t) => t.account === acct.id), q, (t) => t.at)
        .filter((t) => !syms || syms.has(t.symbol)).filter((t) => !ids || ids.includes(shape.wireOrderId(t.orderId)))
        .sort((a, b) => b.historyId - a.historyId);
      return page(rows.map((t) => shape.fill(v, t)), q);
    },
  });
}
