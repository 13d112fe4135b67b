// One market's order book: resting orders in price-time priority, and the matching of an incoming
// order against it. Orders with owner === null are the simulator's own (synthetic or scripted)
// liquidity; everything else belongs to an account. Prices and sizes are 10^-18 BigInt units.

let nextSeq = 1;

export class Book {
  constructor(symbol) {
    this.symbol = symbol;
    this.bids = []; // best (highest) first, then oldest first
    this.asks = []; // best (lowest) first, then oldest first
  }

  sideList(side) { return side === 'buy' ? this.bids : this.asks; }

  // Inserts a resting order {id, owner, side, price, remaining, ...}; keeps priority order.
  add(order) {
    order.seq = nextSeq++;
    const list = this.sideList(order.side);
    const better = order.side === 'buy' ? (a, b) => a > b : (a, b) => a < b;
    let i = 0;
    while (i < list.length && (list[i].price === order.price || better(list[i].price, order.price))) i++;
    list.splice(i, 0, order);
  }

  remove(order) {
    const list = this.sideList(order.side);
    const i = list.indexOf(order);
    if (i >= 0) list.splice(i, 1);
    return i >= 0;
  }

  removeWhere(pred) {
    const removed = [];
    for (const list of [this.bids, this.asks]) {
      for (let i = list.length - 1; i >= 0; i--) if (pred(list[i])) removed.push(...list.splice(i, 1));
    }
    return removed;
  }

  best(side) { return this.sideList(side)[0] ?? null; }

  // Would an order on `side` at `price` trade immediately? (price null = market: always)
  crosses(side, price) {
    const top = this.best(side === 'buy' ? 'sell' : 'buy');
    if (!top) return false;
    if (price === null) return true;
    return side === 'buy' ? top.price <= price : top.price >= price;
  }

  // Matches an incoming order. side: 'buy'|'sell'; limit: worst acceptable price or null;
  // qty: size to fill; owner: the taker's account id (null for synthetic flow).
  // Resting orders of the same owner are removed instead of matched (self-trade prevention).
  // Returns { fills: [{maker, price, qty}], selfTradeCancelled: [orders] }.
  match(side, limit, qty, owner) {
    const opposite = this.sideList(side === 'buy' ? 'sell' : 'buy');
    const fills = [];
    const selfTradeCancelled = [];
    let left = qty;
    while (left > 0n && opposite.length > 0) {
      const maker = opposite[0];
      if (limit !== null && (side === 'buy' ? maker.price > limit : maker.price < limit)) break;
      if (owner !== null && maker.owner === owner) {
        opposite.shift();
        selfTradeCancelled.push(maker);
        continue;
      }
      const q = maker.remaining < left ? maker.remaining : left;
      maker.remaining -= q;
      left -= q;
      fills.push({ maker, price: maker.price, qty: q });
      if (maker.remaining === 0n) opposite.shift();
    }
    return { fills, selfTradeCancelled };
  }

  // Aggregated levels, best first: [{price, size, count}] per side.
  levels(depth = 10) {
    const agg = (list) => {
      const out = [];
      for (const o of list) {
        const last = out[out.length - 1];
        if (last && last.price === o.price) { last.size += o.remaining; last.count++; }
        else if (out.length < depth) out.push({ price: o.price, size: o.remaining, count: 1 });
        else break;
      }
      return out;
    };
    return { bids: agg(this.bids), asks: agg(this.asks) };
  }

  // Sum of size available on the opposite side up to a price (for "would fill" checks); orders of
  // `exceptOwner` do not count (self-trade prevention would remove them, not fill them).
  depthUpTo(side, limit, exceptOwner) {
    let total = 0n;
    for (const o of this.sideList(side === 'buy' ? 'sell' : 'buy')) {
      if (limit !== null && (side === 'buy' ? o.price > limit : o.price < limit)) break;
      if (exceptOwner !== undefined && o.owner === exceptOwner) continue;
      total += o.remaining;
    }
    return total;
  }
}
