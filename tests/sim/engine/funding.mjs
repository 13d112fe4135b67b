// Funding settlement at one interval boundary of one market. Payment per position:
//   payment = -(signed size) * price * rate, rounded half-even to the collateral decimals,
// so with a positive rate longs pay and shorts receive. `price` is the index (oracle) price unless
// the market says "mark". The payment moves the balance (and an isolated position's margin), and
// is recorded per account and per market.
import { ZERO, mulDec, roundToDecimals, absDec } from '../lib/decimal.mjs';

export function settleFunding(engine, market, atMs, rate) {
  const price = market.funding.price === 'mark' ? market.mark : market.index;
  const payments = [];
  for (const acct of engine.accounts.values()) {
    const pos = acct.positions.get(market.symbol);
    if (!pos || pos.size === ZERO) continue;
    const payment = roundToDecimals(-mulDec(mulDec(pos.size, price), rate), engine.collateralDecimals);
    acct.balance += payment;
    acct.updatedAt = atMs;
    pos.funding += payment;
    if (pos.isolated) pos.margin += payment;
    const rec = {
      historyId: engine.nextHistoryId++, account: acct.id, symbol: market.symbol, side: pos.size > 0n ? 'buy' : 'sell',
      size: absDec(pos.size), payout: payment, rate, price, at: atMs,
    };
    engine.fundingPayments.push(rec);
    payments.push(rec);
    engine.emit('funding', { account: acct.id, payment: rec });
    engine.emit('account', { account: acct.id });
    engine.emit('position', { account: acct.id, symbol: market.symbol });
  }
  market.funding.lastRate = rate;
  const rates = engine.fundingRates.get(market.symbol);
  rates.push({ at: atMs, rate, nextRate: null, price });
  if (rates.length > 10000) rates.shift();
  engine.emit('prices', { symbol: market.symbol });
  return { symbol: market.symbol, at_ms: atMs, rate, price, payments };
}
