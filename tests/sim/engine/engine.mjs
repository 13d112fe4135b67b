// The venue-neutral exchange engine: one instance per simulated venue. It owns markets, books,
// accounts and orders, matches orders for real (limit GTC/IOC, post-only ALO, re-pricing
// post-only TOB, market with a slippage cap, reduce-only, partial fills), charges fees, and settles
// funding at each market's interval on the shared SimClock. Dialects (venues/<name>/) translate
// wire requests into these calls and engine events into wire messages.
import { EventEmitter } from 'node:events';
import {
  ZERO, ONE, parseDec, mulDec, divDec, roundToDecimals, roundToStep, absDec, isMultiple, fmtDec, minDec,
} from '../lib/decimal.mjs';
import { Book } from './book.mjs';
import { parseMarket, syntheticLevels, accruingRate, ScenarioError } from './market.mjs';
import { Account, applyFill, summarize } from './account.mjs';
import { settleFunding } from './funding.mjs';

// Fee rate of one fill: the account's own rate when the scenario set one for it, else the
// market's default when the venue has per-market defaults, else the venue-wide account default.
export function feeRate(acct, market, role) {
  if (role === 'maker') return acct.feesExplicit || market.makerFee === null ? acct.makerFee : market.makerFee;
  return acct.feesExplicit || market.takerFee === null ? acct.takerFee : market.takerFee;
}

export class EngineError extends Error {
  // kind: bad_symbol | invalid_order | insufficient_funds | order_not_found | no_liquidity |
  //       invalid_leverage | account_not_found | margin_mode | duplicate_client_id | reduce_only
  constructor(kind, message) { super(message); this.kind = kind; }
}

const ACCOUNT_KEYS = ['id', 'balance', 'maker_fee', 'taker_fee', 'fee_level', 'agents', 'leverage', 'dialect'];

export class VenueEngine extends EventEmitter {
  constructor(name, clock, defaults) {
    super();
    this.setMaxListeners(0);
    this.name = name;
    this.clock = clock;
    this.defaults = defaults; // { fundingIntervalMs, makerFee, takerFee, collateralDecimals, firstOrderId }
    this.reset();
  }

  reset() {
    this.markets = new Map();
    this.books = new Map();
    this.accounts = new Map();
    this.orders = new Map();      // every order ever placed, by id
    this.openOrderIds = new Set();
    this.trades = [];             // account fills
    this.publicTrades = new Map(); // symbol -> recent trades
    this.fundingPayments = [];
    this.fundingRates = new Map(); // symbol -> settled rate records
    this.nextOrderId = this.defaults.firstOrderId ?? 1000;
    this.nextHistoryId = 1;
  }

  now() { return this.clock.now(); }
  get collateralDecimals() { return this.defaults.collateralDecimals ?? 6; }

  // ---- scenario ------------------------------------------------------------------------------
  load(spec = {}) {
    this.reset();
    const now = this.now();
    for (const m of spec.markets ?? []) {
      const market = parseMarket(m, now, this.defaults);
      if (this.markets.has(market.symbol)) throw new ScenarioError(`market ${market.symbol} defined twice`);
      market.nextFundingMs = Math.floor(now / market.funding.intervalMs) * market.funding.intervalMs + market.funding.intervalMs;
      this.markets.set(market.symbol, market);
      this.books.set(market.symbol, new Book(market.symbol));
      this.fundingRates.set(market.symbol, []);
      this.publicTrades.set(market.symbol, []);
      this.refreshBook(market);
    }
    for (const a of spec.accounts ?? []) this.upsertAccount(a);
    // A dialect may check the loaded world as a whole (e.g. unique contract ids).
    this.defaults.checkLoaded?.(this);
  }

  // Creates or updates an account; every field is checked before anything changes.
  upsertAccount(a) {
    if (!a || typeof a.id !== 'string' || !a.id) throw new ScenarioError('every account needs an "id" string');
    for (const k of Object.keys(a)) if (!ACCOUNT_KEYS.includes(k)) throw new ScenarioError(`account ${a.id}: unknown key "${k}"; known: ${ACCOUNT_KEYS.join(', ')}`);
    // A dialect may check its own account fields (id format, credentials under "dialect").
    this.defaults.checkAccount?.(a, this.accounts.get(a.id));
    const dec = (v, what, opts) => { try { return parseDec(v, { what, ...opts }); } catch (e) { throw new ScenarioError(e.message); } };
    const balance = a.balance === undefined ? undefined : dec(a.balance, `${a.id}.balance`, { allowNegative: true });
    const makerFee = a.maker_fee === undefined ? undefined : dec(a.maker_fee, `${a.id}.maker_fee`);
    const takerFee = a.taker_fee === undefined ? undefined : dec(a.taker_fee, `${a.id}.taker_fee`);
    if (a.fee_level !== undefined && !Number.isSafeInteger(a.fee_level)) throw new ScenarioError(`${a.id}.fee_level must be an integer`);
    if (a.agents !== undefined && !(Array.isArray(a.agents) && a.agents.every((g) => typeof g === 'string'))) throw new ScenarioError(`${a.id}.agents must be a list of public keys`);
    const leverage = Object.entries(a.leverage ?? {});
    for (const [sym, lev] of leverage) {
      const m = this.markets.get(sym);
      if (!m) throw new ScenarioError(`${a.id}.leverage: unknown market ${sym}`);
      if (!Number.isInteger(lev) || lev < 1 || lev > m.maxLeverage) throw new ScenarioError(`${a.id}.leverage.${sym} must be an integer from 1 to ${m.maxLeverage}`);
    }
    let acct = this.accounts.get(a.id);
    if (!acct) {
      acct = new Account(a.id, { makerFee: this.defaults.makerFee, takerFee: this.defaults.takerFee });
      this.accounts.set(a.id, acct);
    }
    if (balance !== undefined) acct.balance = balance;
    if (makerFee !== undefined) acct.makerFee = makerFee;
    if (takerFee !== undefined) acct.takerFee = takerFee;
    if (makerFee !== undefined || takerFee !== undefined) acct.feesExplicit = true;
    if (a.dialect !== undefined) {
      if (!a.dialect || typeof a.dialect !== 'object' || Array.isArray(a.dialect)) throw new ScenarioError(`${a.id}.dialect must be an object`);
      acct.dialect = a.dialect;
    }
    if (a.fee_level !== undefined) acct.feeLevel = a.fee_level;
    for (const ag of a.agents ?? []) acct.agents.add(ag);
    for (const [sym, lev] of leverage) this.setLeverage(a.id, sym, lev);
    acct.updatedAt = this.now();
    this.emit('account', { account: a.id });
    return acct;
  }

  market(symbol) {
    const m = this.markets.get(symbol);
    if (!m) throw new EngineError('bad_symbol', `Market not found: ${symbol}`);
    return m;
  }

  account(id) {
    const a = this.accounts.get(id);
    if (!a) throw new EngineError('account_not_found', `Account not found: ${id}`);
    return a;
  }

  openOrders(accountId, symbol) {
    const out = [];
    for (const id of this.openOrderIds) {
      const o = this.orders.get(id);
      if ((accountId === undefined || o.account === accountId) && (!symbol || o.symbol === symbol)) out.push(o);
    }
    return out.sort((a, b) => a.id - b.id);
  }

  summary(accountId) {
    return summarize(this.account(accountId), this.markets, this.openOrders(accountId));
  }

  findOrder(accountId, symbol, { orderId, clientId }) {
    for (const id of this.openOrderIds) {
      const o = this.orders.get(id);
      if (o.account !== accountId || (symbol && o.symbol !== symbol)) continue;
      if (orderId !== undefined && orderId !== null && BigInt(o.id) === BigInt(orderId)) return o;
      if (clientId && o.clientId === clientId) return o;
    }
    return null;
  }

  orderByClientId(accountId, clientId) {
    let found = null;
    for (const o of this.orders.values()) if (o.account === accountId && o.clientId === clientId) found = o;
    return found;
  }

  // ---- orders --------------------------------------------------------------------------------
  // req: { account, symbol, side: buy|sell, type: limit|market, price?, amount, tif?, reduceOnly,
  //        clientId?, slippage? (fraction, market only), maxFill? (fault: cap on filled size),
  //        refPrice? (price for the notional and margin checks instead of the limit price),
  //        meta? (the dialect's own record of the wire order, kept on the order) }
  // tif: GTC | IOC | FOK (all or nothing, else cancelled unfilled) | ALO (post-only, rejected if
  // it would cross) | TOB (post-only, re-priced inside the spread).
  // opts.reduceOnlyAsOrder: a reduce-only order with nothing to reduce becomes a recorded
  // 'rejected' order (venues that report it as an order fate) instead of an EngineError.
  placeOrder(req, { allowClientIdReuse = false, reduceOnlyAsOrder = false } = {}) {
    // Funding due by now is settled first: on a fast clock the time spent verifying the request
    // can span a boundary, and a position opened after it must not be paid for it.
    this.tick();
    const market = this.market(req.symbol);
    const acct = this.account(req.account);
    const book = this.books.get(market.symbol);
    const now = this.now();
    const { side, type } = req;
    let amount = req.amount;
    if (amount <= 0n) throw new EngineError('invalid_order', 'Amount must be positive');
    if (!isMultiple(amount, market.step)) throw new EngineError('invalid_order', `Amount ${fmtDec(amount)} is not a multiple of lot size ${fmtDec(market.step)}`);
    let price = null;
    if (type === 'limit') {
      price = req.price;
      if (price <= 0n || !isMultiple(price, market.tick)) throw new EngineError('invalid_order', `Price ${fmtDec(price)} is not a multiple of tick size ${fmtDec(market.tick)}`);
      if (price < market.minPrice || price > market.maxPrice) throw new EngineError('invalid_order', `Price ${fmtDec(price)} is outside [${fmtDec(market.minPrice)}, ${fmtDec(market.maxPrice)}]`);
    }
    if (req.clientId && !allowClientIdReuse && this.orderByClientId(acct.id, req.clientId)) {
      throw new EngineError('duplicate_client_id', `Duplicate client order id ${req.clientId}`);
    }
    const pos = acct.positions.get(market.symbol);
    const dir = side === 'buy' ? 1n : -1n;
    const reducible = pos && pos.size !== ZERO && (pos.size > 0n ? -1n : 1n) === dir ? absDec(pos.size) : ZERO;
    if (req.reduceOnly) {
      if (reducible === ZERO && reduceOnlyAsOrder) {
        const order = this.newOrder(req, acct, market, price, ZERO, now);
        return this.finishRejected(order, 'reduce_only_rejected');
      }
      if (reducible === ZERO) throw new EngineError('reduce_only', 'Reduce-only order would increase the position');
      amount = minDec(amount, reducible);
    }
    // refPrice: the price notional limits and margin are judged at. A dialect may fix it (e.g. a
    // market order sent as an IOC limited by a far-away signed worst price is judged at the mark).
    const refPrice = req.refPrice ?? price ?? market.mark;
    const notional = mulDec(amount, refPrice);
    if (!req.reduceOnly && notional < market.minNotional) throw new EngineError('invalid_order', `Order notional ${fmtDec(notional)} is below the minimum ${fmtDec(market.minNotional)}`);
    if (notional > market.maxNotional) throw new EngineError('invalid_order', `Order notional ${fmtDec(notional)} is above the maximum ${fmtDec(market.maxNotional)}`);

    let limit = price;
    if (type === 'market') {
      const s = req.slippage ?? ZERO;
      limit = side === 'buy'
        ? roundToStep(mulDec(market.mark, ONE + s, 'floor'), market.tick, 'floor')
        : roundToStep(mulDec(market.mark, ONE - s, 'ceil'), market.tick, 'ceil');
      if (book.depthUpTo(side, limit) === ZERO) throw new EngineError('no_liquidity', 'No reasonable price found');
    }
    if (!req.reduceOnly) {
      const increasing = amount > reducible ? amount - reducible : ZERO;
      const at = req.refPrice ?? limit ?? refPrice;
      const need = divDec(mulDec(increasing, at), BigInt(acct.leverageFor(market)) * ONE) + mulDec(mulDec(amount, at), feeRate(acct, market, 'taker'));
      if (increasing > 0n && this.summary(acct.id).availableRaw < need) throw new EngineError('insufficient_funds', 'Insufficient balance');
    }

    const order = this.newOrder(req, acct, market, limit, amount, now);
    order.initialPrice = price;

    if (order.tif === 'ALO' || order.tif === 'TOB') {
      if (book.crosses(side, order.price)) {
        if (order.tif === 'ALO') return this.finishRejected(order, 'post_only_rejected');
        const top = book.best(side === 'buy' ? 'sell' : 'buy').price;
        order.price = side === 'buy' ? top - market.tick : top + market.tick;
        if (order.price <= 0n) return this.finishRejected(order, 'post_only_rejected');
      }
      return this.rest(order, book, 'make');
    }

    if (order.tif === 'FOK' && book.depthUpTo(side, order.price, acct.id) < order.remaining) {
      order.cancelled += order.remaining;
      order.remaining = ZERO;
      order.status = 'cancelled';
      order.reason = 'fok_unfilled';
      this.orderEvent(order, 'cancel');
      this.afterChange(market, [acct.id]);
      return { order, fills: [] };
    }

    let toMatch = order.remaining;
    if (req.maxFill !== undefined && req.maxFill !== null && req.maxFill < toMatch) toMatch = req.maxFill;
    const { fills, selfTradeCancelled } = book.match(side, order.price, toMatch, acct.id);
    order.remaining -= fills.reduce((s, f) => s + f.qty, ZERO);
    for (const victim of selfTradeCancelled) this.cancelResting(victim, 'self_trade_prevented');
    this.settleFills(market, order, fills);
    const fillEvent = type === 'market' ? 'fulfill_market' : 'fulfill_limit';
    if (order.remaining > 0n && (order.tif === 'IOC' || order.tif === 'FOK')) {
      order.cancelled += order.remaining;
      order.remaining = ZERO;
      order.status = order.filled === order.amount ? 'filled' : 'cancelled';
      order.reason = order.status === 'cancelled' ? 'cancel' : null;
      this.orderEvent(order, order.filled > 0n ? fillEvent : 'cancel');
    } else if (order.remaining > 0n) {
      this.rest(order, book, order.filled > 0n ? fillEvent : 'make');
    } else {
      order.status = 'filled';
      this.orderEvent(order, fillEvent);
    }
    this.afterChange(market, [acct.id, ...fills.map((f) => f.maker.owner).filter(Boolean)]);
    return { order, fills };
  }

  // Records a new order (amount: what is left to trade after reduce-only clipping).
  newOrder(req, acct, market, price, amount, now) {
    const order = {
      id: this.nextOrderId++, clientId: req.clientId ?? null, account: acct.id, owner: acct.id, symbol: market.symbol,
      side: req.side, type: req.type, tif: req.type === 'market' ? 'IOC' : (req.tif ?? 'GTC'), price, initialPrice: price, amount: req.amount,
      filled: ZERO, cancelled: req.amount - amount, notionalFilled: ZERO, remaining: amount, reduceOnly: Boolean(req.reduceOnly),
      status: 'open', reason: null, createdAt: now, updatedAt: now, events: [], meta: req.meta ?? null,
    };
    this.orders.set(order.id, order);
    return order;
  }

  finishRejected(order, reason) {
    order.status = 'rejected';
    order.reason = reason;
    order.cancelled = order.amount;
    order.remaining = ZERO;
    this.orderEvent(order, reason);
    return { order, fills: [] };
  }

  rest(order, book, event) {
    order.status = order.filled > 0n ? 'partially_filled' : 'open';
    book.add(order);
    this.openOrderIds.add(order.id);
    this.orderEvent(order, event);
    this.afterChange(this.markets.get(order.symbol), [order.account]);
    return { order, fills: [] };
  }

  orderEvent(order, event) {
    order.updatedAt = this.now();
    order.events.push({ event, at: order.updatedAt, filled: order.filled, status: order.status });
    this.emit('order', { account: order.account, order, event });
  }

  // Books the fills of one incoming order: fees, positions, trade records, maker order state.
  settleFills(market, taker, fills) {
    const now = this.now();
    for (const f of fills) {
      const notional = mulDec(f.qty, f.price);
      if (taker) {
        taker.filled += f.qty;
        taker.notionalFilled += notional;
        this.bookFill(market, taker.account, taker, taker.side, f.qty, f.price, 'taker', now);
      }
      const maker = f.maker;
      if (maker.owner) {
        maker.filled += f.qty;
        maker.notionalFilled += notional;
        this.bookFill(market, maker.owner, maker, maker.side, f.qty, f.price, 'maker', now);
        if (maker.remaining === 0n) {
          maker.status = 'filled';
          this.openOrderIds.delete(maker.id);
        } else maker.status = 'partially_filled';
        this.orderEvent(maker, 'fulfill_limit');
      }
      const recent = this.publicTrades.get(market.symbol);
      const pub = { id: this.nextHistoryId++, symbol: market.symbol, price: f.price, qty: f.qty, takerSide: taker ? taker.side : (maker.side === 'buy' ? 'sell' : 'buy'), taker: taker ? taker.account : null, at: now };
      recent.push(pub);
      if (recent.length > 1000) recent.shift();
      this.emit('public_trade', { symbol: market.symbol, trade: pub });
      market.volume24h += notional;
    }
  }

  bookFill(market, accountId, order, side, qty, price, role, now) {
    const acct = this.accounts.get(accountId);
    const rate = feeRate(acct, market, role);
    const fee = roundToDecimals(mulDec(mulDec(qty, price), rate), this.collateralDecimals);
    const before = acct.positions.get(market.symbol);
    const entryBefore = before ? before.entry : price;
    const sizeBefore = before ? before.size : ZERO;
    const r = applyFill(acct, market, side, qty, price, fee, now, this.collateralDecimals);
    const rec = {
      historyId: this.nextHistoryId++, orderId: order.id, clientId: order.clientId, account: accountId, symbol: market.symbol,
      side, qty, price, fee, realized: r.realized, closedQty: r.closedQty, openedQty: r.openedQty, role,
      entryBefore, sizeBefore, at: now,
    };
    this.trades.push(rec);
    this.emit('trade', { account: accountId, trade: rec });
  }

  cancelResting(order, reason) {
    this.books.get(order.symbol).remove(order);
    this.openOrderIds.delete(order.id);
    order.cancelled += order.remaining;
    order.remaining = ZERO;
    order.status = 'cancelled';
    order.reason = reason;
    this.orderEvent(order, reason === 'cancel' ? 'cancel' : reason);
  }

  cancelOrder({ account, symbol, orderId, clientId }) {
    this.account(account);
    if (symbol) this.market(symbol);
    const o = this.findOrder(account, symbol, { orderId, clientId });
    if (!o) throw new EngineError('order_not_found', 'Order not found');
    this.cancelResting(o, 'cancel');
    this.afterChange(this.markets.get(o.symbol), [account]);
    return o;
  }

  cancelAll({ account, symbol, excludeReduceOnly = false }) {
    this.account(account);
    if (symbol) this.market(symbol);
    const victims = this.openOrders(account, symbol).filter((o) => !(excludeReduceOnly && o.reduceOnly));
    for (const o of victims) this.cancelResting(o, 'cancel');
    for (const sym of new Set(victims.map((o) => o.symbol))) this.afterChange(this.markets.get(sym), [account]);
    return victims.length;
  }

  // Edit = cancel + new post-only order with the same side, reduce-only flag and client id.
  editOrder({ account, symbol, orderId, clientId, price, amount }) {
    const old = this.findOrder(account, symbol, { orderId, clientId });
    if (!old) throw new EngineError('order_not_found', 'Order not found');
    this.cancelResting(old, 'cancel');
    return this.placeOrder({ account, symbol, side: old.side, type: 'limit', price, amount, tif: 'ALO', reduceOnly: old.reduceOnly, clientId: old.clientId }, { allowClientIdReuse: true });
  }

  setLeverage(accountId, symbol, leverage) {
    const acct = this.account(accountId);
    const market = this.market(symbol);
    const lev = Number(leverage);
    if (!Number.isInteger(lev) || lev < 1 || lev > market.maxLeverage) throw new EngineError('invalid_leverage', 'Invalid leverage');
    const pos = acct.positions.get(symbol);
    if (pos && lev < acct.leverageFor(market)) throw new EngineError('invalid_leverage', 'Invalid leverage');
    const s = acct.settings.get(symbol) ?? { isolated: acct.isIsolated(market), createdAt: this.now() };
    acct.settings.set(symbol, { ...s, leverage: lev, updatedAt: this.now() });
    this.emit('leverage', { account: accountId, symbol, leverage: lev });
    this.emit('account', { account: accountId });
  }

  setMarginMode(accountId, symbol, isolated) {
    const acct = this.account(accountId);
    const market = this.market(symbol);
    if (acct.positions.has(symbol)) throw new EngineError('margin_mode', 'Cannot update margin mode with an open position');
    if (market.isolatedOnly && !isolated) throw new EngineError('margin_mode', 'Market is isolated only');
    const s = acct.settings.get(symbol) ?? { leverage: acct.leverageFor(market), createdAt: this.now() };
    acct.settings.set(symbol, { ...s, isolated: Boolean(isolated), updatedAt: this.now() });
    this.emit('margin', { account: accountId, symbol, isolated: Boolean(isolated) });
  }

  // ---- prices, books, funding, time ------------------------------------------------------------
  setPrices(symbol, { mark, index, mid }) {
    const market = this.market(symbol);
    for (const [name, v] of Object.entries({ mark, index, mid })) {
      if (v !== undefined && v !== null && v <= 0n) throw new EngineError('invalid_order', `${name} must be positive`);
    }
    if (mark === null || index === null) throw new EngineError('invalid_order', 'mark and index cannot be null');
    if (mark !== undefined) market.mark = mark;
    if (index !== undefined) market.index = index;
    if (mid !== undefined) market.mid = mid;
    market.pricesUpdatedMs = this.now();
    this.refreshBook(market);
    this.emit('prices', { symbol });
    this.afterChange(market, [...this.accounts.keys()]);
  }

  // Sets the rate accruing from now on (and optionally the last settled one).
  setFunding(symbol, { nextRate, lastRate }) {
    const market = this.market(symbol);
    if (lastRate !== undefined) market.funding.lastRate = lastRate;
    if (nextRate !== undefined) {
      const now = this.now();
      market.funding.path = market.funding.path.filter((p) => p.fromMs < now);
      market.funding.path.push({ fromMs: now, rate: nextRate });
    }
    this.emit('prices', { symbol });
  }

  setBook(symbol, bookSpec) {
    const market = this.market(symbol);
    market.bookSpec = parseMarket({ symbol, tick: fmtDec(market.tick), step: fmtDec(market.step), mark: fmtDec(market.mark), book: bookSpec }, this.now(), this.defaults).bookSpec;
    this.refreshBook(market);
    this.afterChange(market, []);
  }

  // Replaces the simulator's own liquidity. New synthetic levels first trade against resting
  // account orders they cross (the market moved through them: the account is the maker).
  refreshBook(market) {
    const book = this.books.get(market.symbol);
    book.removeWhere((o) => o.owner === null);
    const spec = market.bookSpec;
    const lv = spec.mode === 'synthetic' ? syntheticLevels(market) : { bids: spec.bids, asks: spec.asks };
    const touched = new Set();
    for (const [side, levels] of [['buy', lv.bids], ['sell', lv.asks]]) {
      for (const l of levels) {
        const { fills } = book.match(side, l.price, l.size, null);
        let left = l.size;
        for (const f of fills) { left -= f.qty; touched.add(f.maker.owner); }
        this.settleFills(market, null, fills);
        if (left > 0n) book.add({ id: null, owner: null, side, price: l.price, remaining: left, synthetic: true });
      }
    }
    market.lastRefillMs = this.now();
    if (touched.size) this.afterChange(market, [...touched]);
    else this.emit('book', { symbol: market.symbol });
  }

  // A trade by the simulator's own flow (control API): sweeps the book like a taker would.
  syntheticTrade(symbol, side, size, limit = null) {
    const market = this.market(symbol);
    if (size <= 0n) throw new EngineError('invalid_order', 'size must be positive');
    const book = this.books.get(symbol);
    const { fills } = book.match(side, limit, size, null);
    this.settleFills(market, null, fills);
    this.afterChange(market, fills.map((f) => f.maker.owner).filter(Boolean));
    return fills;
  }

  // ---- liquidation (control API, for tests of a vanished leg) ----------------------------------
  // Closes an account's whole position in `symbol` at the mark, as the venue's liquidation engine
  // would, without a fee; the account's open orders in that market are cancelled first. The trade
  // is recorded like any fill (role 'liquidation') so account histories and the ledger show it.
  liquidate(accountId, symbol) {
    this.tick();
    const market = this.market(symbol);
    const acct = this.accounts.get(accountId);
    if (!acct) throw new EngineError('account_not_found', `no account ${accountId}`);
    const pos = acct.positions.get(symbol);
    if (!pos || pos.size === ZERO) throw new EngineError('invalid_order', `account ${accountId} has no ${symbol} position`);
    for (const o of this.openOrders(accountId, symbol)) this.cancelResting(o, 'cancel');
    const side = pos.size > 0n ? 'sell' : 'buy';
    const qty = pos.size > 0n ? pos.size : -pos.size;
    const now = this.now();
    const price = market.mark;
    const before = { entry: pos.entry, size: pos.size };
    const r = applyFill(acct, market, side, qty, price, ZERO, now, this.collateralDecimals);
    const rec = {
      historyId: this.nextHistoryId++, orderId: this.nextOrderId++, clientId: null, account: accountId, symbol,
      side, qty, price, fee: ZERO, realized: r.realized, closedQty: r.closedQty, openedQty: r.openedQty, role: 'liquidation',
      entryBefore: before.entry, sizeBefore: before.size, at: now,
    };
    this.trades.push(rec);
    this.emit('trade', { account: accountId, trade: rec });
    this.afterChange(market, [accountId]);
    return rec;
  }

  // Called periodically and after every clock change: settles funding for every interval
  // boundary passed and refills synthetic books. Returns the settlements made.
  tick() {
    const now = this.now();
    const settled = [];
    for (const market of this.markets.values()) {
      let guard = 0;
      while (now >= market.nextFundingMs) {
        if (++guard > 100000) throw new Error(`funding settlement runaway on ${market.symbol}`);
        settled.push(settleFunding(this, market, market.nextFundingMs, accruingRate(market, market.nextFundingMs - 1)));
        market.nextFundingMs += market.funding.intervalMs;
      }
      if (market.bookSpec.mode === 'synthetic' && now - market.lastRefillMs >= market.bookSpec.refillMs) this.refreshBook(market);
    }
    return settled;
  }

  afterChange(market, accountIds) {
    if (market) this.emit('book', { symbol: market.symbol });
    for (const id of new Set(accountIds)) {
      if (!id) continue;
      this.emit('position', { account: id, symbol: market ? market.symbol : null });
      this.emit('account', { account: id });
    }
  }
}
