// Executes a verified Pacifica operation against the engine. Shared by REST, WebSocket trading
// and batch actions. Returns { ok: true, data } or { ok: false, error: {status, json|text} }.
import { parseDec, ONE, divDec, mulDec, roundToStep, DecimalError } from '../../lib/decimal.mjs';
import { EngineError } from '../../engine/engine.mjs';
import { restError } from './errors.mjs';
import { engineSide } from './shapes.mjs';

const bigOrNull = (v) => (v === undefined ? undefined : v.toBigInt());

// A partial_fill fault: `size` (decimal string) or `fraction` (default 0.5) of the order amount,
// rounded down to the lot.
function partialCap(fault, amount, market) {
  if (!fault) return undefined;
  if (fault.size !== undefined) return parseDec(String(fault.size), { what: 'partial_fill.size' });
  const frac = parseDec(String(fault.fraction ?? '0.5'), { what: 'partial_fill.fraction' });
  return roundToStep(mulDec(amount, frac), market.step, 'floor');
}

export function executeOperation(venue, v, { partialFill } = {}) {
  const { engine } = venue;
  const d = v.data;
  const account = v.account;
  try {
    switch (v.type) {
      case 'create_market_order':
      case 'create_order': {
        if (d.take_profit || d.stop_loss) return { ok: false, error: restError('not_simulated', 'take_profit / stop_loss on orders are not simulated') };
        const market = engine.market(d.symbol);
        const amount = parseDec(d.amount, { what: 'amount' });
        const req = {
          account, symbol: d.symbol, side: engineSide(d.side), amount, reduceOnly: d.reduce_only, clientId: d.client_order_id,
          maxFill: partialCap(partialFill, amount, market),
        };
        if (v.type === 'create_market_order') {
          req.type = 'market';
          req.slippage = divDec(parseDec(d.slippage_percent, { what: 'slippage_percent' }), 100n * ONE);
        } else {
          if (d.tif === 'RFQ') return { ok: false, error: restError('not_simulated', 'RFQ orders are not simulated') };
          req.type = 'limit';
          req.price = parseDec(d.price, { what: 'price' });
          req.tif = d.tif;
        }
        const { order } = engine.placeOrder(req);
        return { ok: true, data: { order_id: order.id }, order };
      }
      case 'cancel_order': {
        const o = engine.cancelOrder({ account, symbol: d.symbol, orderId: bigOrNull(d.order_id), clientId: d.client_order_id });
        return { ok: true, data: null, order: o };
      }
      case 'cancel_all_orders': {
        if (!d.all_symbols && !d.symbol) return { ok: false, error: restError('invalid_order', 'symbol is required when all_symbols is false') };
        const n = engine.cancelAll({ account, symbol: d.all_symbols ? undefined : d.symbol, excludeReduceOnly: d.exclude_reduce_only });
        return { ok: true, data: { cancelled_count: n } };
      }
      case 'edit_order': {
        const { order } = engine.editOrder({
          account, symbol: d.symbol, orderId: bigOrNull(d.order_id), clientId: d.client_order_id,
          price: parseDec(d.price, { what: 'price' }), amount: parseDec(d.amount, { what: 'amount' }),
        });
        return { ok: true, data: { order_id: order.id }, order };
      }
      case 'update_leverage': {
        const lev = d.leverage.toBigInt();
        if (lev > 1000000n) throw new EngineError('invalid_leverage', 'Invalid leverage');
        engine.setLeverage(account, d.symbol, Number(lev));
        return { ok: true, data: null };
      }
      case 'update_margin_mode':
        engine.setMarginMode(account, d.symbol, d.is_isolated);
        return { ok: true, data: null };
      case 'bind_agent_wallet':
        engine.account(account).agents.add(d.agent_wallet);
        return { ok: true, data: null };
      case 'revoke_agent_wallet':
        engine.account(account).agents.delete(d.agent_wallet);
        return { ok: true, data: null };
      case 'revoke_all_agent_wallets':
        engine.account(account).agents.clear();
        return { ok: true, data: null };
      case 'list_agent_wallets':
        return { ok: true, data: [...engine.account(account).agents] };
      default:
        return { ok: false, error: restError('not_simulated', `operation ${v.type} is not simulated`) };
    }
  } catch (e) {
    if (e instanceof EngineError) return { ok: false, error: restError(e.kind, e.message), kind: e.kind };
    if (e instanceof DecimalError) return { ok: false, error: restError('invalid_order', e.message) };
    throw e;
  }
}

