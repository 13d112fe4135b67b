// The private edgeX stream (specs/edgex.md §5.2, V.9): after the authenticated upgrade, a
// trade-event "Snapshot" of the account, then one trade-event per burst of engine changes:
//   ORDER_UPDATE        orders changed (with their fills, positions, collateral, position transactions)
//   FUNDING_SETTLEMENT  a funding payment (position, collateral, SETTLE_FUNDING_FEE transaction)
//   ACCOUNT_UPDATE      anything else (leverage, margin mode, balance set by the control API)
// content = {event, version (increasing per account), accountId: 0 (as live samples show; clients
// must not use it), data: {account, collateral, collateralTransaction, position, positionTransaction,
// deposit, withdraw, transferIn, transferOut, order, orderFillTransaction}} with REST record shapes.
import * as shape from './shapes.mjs';

const EMPTY = () => ({
  account: [], collateral: [], collateralTransaction: [], position: [], positionTransaction: [],
  deposit: [], withdraw: [], transferIn: [], transferOut: [], order: [], orderFillTransaction: [],
});

export function createAccountStream(v, ws) {
  const { engine } = v;
  const pending = new Map(); // account id -> { orders: Map, fills: [], funding: [], symbols: Set, account: bool }

  const streamsOf = (id) => [...ws.conns].filter((c) => c.info.account === id);

  function send(conn, event, data) {
    const msg = { type: 'trade-event', content: { event, version: String(v.accountVersion(conn.info.account)), accountId: 0, data } };
    ws.sendChannel(conn, 'trade-event', msg, { channel: 'trade-event', account: conn.info.account });
  }

  function bucket(id) {
    let b = pending.get(id);
    if (!b) {
      b = { orders: new Map(), fills: [], funding: [], symbols: new Set(), account: false };
      pending.set(id, b);
      setImmediate(() => flush(id));
    }
    return b;
  }

  function flush(id) {
    const b = pending.get(id);
    pending.delete(id);
    const acct = engine.accounts.get(id);
    if (!b || !acct) return;
    const conns = streamsOf(id);
    if (!conns.length) return;
    const data = EMPTY();
    data.collateral = [shape.collateral(v, acct)];
    data.position = [...b.symbols].filter((s) => engine.markets.has(s)).map((s) => shape.position(v, acct, s));
    data.order = [...b.orders.values()].filter((o) => o.meta).map((o) => shape.order(v, o));
    data.orderFillTransaction = b.fills.map((t) => shape.fill(v, t));
    data.positionTransaction = [...b.fills, ...b.funding].map((r) => shape.positionTransaction(v, r));
    if (b.account) data.account = [shape.accountObject(v, acct)];
    const event = b.funding.length ? 'FUNDING_SETTLEMENT' : (data.order.length || b.fills.length) ? 'ORDER_UPDATE' : 'ACCOUNT_UPDATE';
    for (const conn of conns) send(conn, event, data);
  }

  const watched = (id) => streamsOf(id).length > 0;
  const listeners = {
    order: ({ account, order }) => { if (watched(account)) { const b = bucket(account); b.orders.set(order.id, order); b.symbols.add(order.symbol); } },
    trade: ({ account, trade }) => { if (watched(account)) { const b = bucket(account); b.fills.push(trade); b.symbols.add(trade.symbol); } },
    funding: ({ account, payment }) => { if (watched(account)) { const b = bucket(account); b.funding.push(payment); b.symbols.add(payment.symbol); } },
    position: ({ account, symbol }) => { if (watched(account) && symbol) bucket(account).symbols.add(symbol); },
    account: ({ account }) => { if (watched(account)) bucket(account); },
    leverage: ({ account, symbol }) => { if (watched(account)) { const b = bucket(account); b.account = true; b.symbols.add(symbol); } },
    margin: ({ account, symbol }) => { if (watched(account)) { const b = bucket(account); b.account = true; b.symbols.add(symbol); } },
  };
  for (const [ev, fn] of Object.entries(listeners)) engine.on(ev, fn);

  return {
    open(conn) {
      const acct = engine.accounts.get(conn.info.account);
      if (!acct) return;
      const data = EMPTY();
      data.account = [shape.accountObject(v, acct)];
      data.collateral = [shape.collateral(v, acct)];
      data.position = [...acct.positions.keys()].map((s) => shape.position(v, acct, s));
      data.order = engine.openOrders(acct.id).filter((o) => o.meta).map((o) => shape.order(v, o));
      send(conn, 'Snapshot', data);
    },
    close() {},
    stop() { for (const [ev, fn] of Object.entries(listeners)) engine.off(ev, fn); },
  };
}
