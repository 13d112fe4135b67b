// The Pacifica dialect end to end over REST: orders signed by the test's own signer (tweetnacl over
// hand-written messages) fill against a scripted book and change position and balance by exactly
// the amounts worked out below by hand; bad, expired and unbound-agent signatures are refused
// with Pacifica's shapes; business errors come back as the venue sends them.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ok, is, isDeep, run } from '../lib/tap.mjs';
import { startSim } from '../lib/harness.mjs';
import { signRequest, corruptSignature, PATHS } from '../lib/pacifica_signer.mjs';
import { pacificaWorld, restClient, MAIN, AGENT, OTHER } from '../lib/pacifica_world.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const SHARED = process.env.SHARED ?? path.resolve(here, '../../../../shared');

const asMain = { secretB58: MAIN.secret_key_base58, account: MAIN.public_key };
const asAgent = { secretB58: AGENT.secret_key_base58, account: MAIN.public_key, agentPub: AGENT.public_key };
const asOther = { secretB58: OTHER.secret_key_base58, account: OTHER.public_key };

await run(async () => {
  // The test signer against ground truth first, so the rest of this file tests the simulator.
  const vec = JSON.parse(fs.readFileSync(path.join(SHARED, 'vectors/pacifica/sign_create_market_order.json'), 'utf8')).cases[0];
  const mine = signRequest('create_market_order', vec.payload, { secretB58: vec.signer_secret_key_base58, account: vec.account, timestamp: vec.header.timestamp, expiryWindow: vec.header.expiry_window });
  is(mine.message, vec.message, 'test signer: message equals the shared vector');
  is(mine.body.signature, vec.signature_base58, 'test signer: signature equals the shared vector');

  const sim = await startSim({ scenario: pacificaWorld() });
  const api = restClient(sim.addr.pacifica.rest);
  const send = (type, payload, who, extra = {}) => api.post(PATHS[type], signRequest(type, payload, { ...who, ...extra }).body);
  const lastEntry = async (p) => (await sim.control('GET', `/requests?path=${encodeURIComponent(p)}`)).entries.pop();
  const account = async (id = MAIN.public_key) => (await api.get('/api/v1/account', { account: id })).json.data;
  const positions = async (id = MAIN.public_key) => (await api.get('/api/v1/positions', { account: id })).json.data;

  // Market buy 0.08 BTC: 0.05 @ 100010 + 0.03 @ 100020. Fee 0.04 % of 8001.1 = 3.20044.
  let r = await send('create_market_order', { symbol: 'BTC', amount: '0.08', side: 'bid', slippage_percent: '1', reduce_only: false, client_order_id: '11111111-2222-4333-8444-555555555555' }, asMain);
  is(r.status, 200, 'signed market order accepted (200)');
  ok(r.json && r.json.success === true && Number.isInteger(r.json.data.order_id) && r.json.error === null && r.json.code === null, 'envelope {"success":true,"data":{"order_id":N},"error":null,"code":null}');
  const firstOrderId = r.json.data.order_id;
  let pos = await positions();
  is(pos.length, 1, 'one position');
  isDeep([pos[0].symbol, pos[0].side, pos[0].amount, pos[0].entry_price, pos[0].margin, pos[0].funding, pos[0].isolated],
    ['BTC', 'bid', '0.08', '100013.75', '0', '0', false], 'position: BTC long 0.08 at VWAP 100013.75');
  let acct = await account();
  is(acct.balance, '9996.79956', 'balance 10000 - fee 3.20044');
  is(acct.account_equity, '9995.69956', 'equity = balance + uPnL (100000 - 100013.75) * 0.08 = -1.1');
  is(acct.positions_count, 1, 'positions_count 1');
  const trades = (await api.get('/api/v1/trades/history', { account: MAIN.public_key })).json.data;
  isDeep(trades.map((t) => [t.amount, t.price, t.fee, t.side, t.event_type, t.order_id]).reverse(),
    [['0.05', '100010', '2.0002', 'open_long', 'fulfill_taker', firstOrderId], ['0.03', '100020', '1.20024', 'open_long', 'fulfill_taker', firstOrderId]],
    'trade history: two taker fills with their fees');
  const book = (await api.get('/api/v1/book', { symbol: 'BTC' })).json.data;
  isDeep(book.l[1].map((l) => [l.p, l.a]), [['100020', '0.07'], ['100100', '1']], 'the fills consumed the book');

  // Refusals: nothing may change.
  r = await api.post(PATHS.create_market_order, corruptSignature(signRequest('create_market_order', { symbol: 'BTC', amount: '0.01', side: 'bid', slippage_percent: '1', reduce_only: false }, asMain).body));
  is(r.status, 400, 'corrupted signature: HTTP 400');
  is(r.text, 'Verification failed', 'corrupted signature: bare text "Verification failed"');
  ok(/^text\/plain/.test(r.headers.get('content-type')), 'corrupted signature: not JSON');
  is((await lastEntry(PATHS.create_market_order)).verified.reason, 'bad_signature', 'request log: rejected as bad_signature');
  r = await send('create_market_order', { symbol: 'BTC', amount: '0.01', side: 'bid', slippage_percent: '1', reduce_only: false }, asMain, { timestamp: Date.now() - 10_000, expiryWindow: 5000 });
  ok(r.status === 400 && r.text === 'Verification failed', 'expired request: 400 "Verification failed"');
  is((await lastEntry(PATHS.create_market_order)).verified.reason, 'expired', 'request log: rejected as expired');
  r = await send('create_market_order', { symbol: 'BTC', amount: '0.01', side: 'bid', slippage_percent: '1', reduce_only: false }, { ...asMain, agentPub: OTHER.public_key, secretB58: OTHER.secret_key_base58 });
  ok(r.status === 401 && /Unauthorized/.test(r.text), 'valid signature by an agent not bound to the account: 401 Unauthorized');
  const tampered = signRequest('create_market_order', { symbol: 'BTC', amount: '0.01', side: 'bid', slippage_percent: '1', reduce_only: false }, asMain).body;
  tampered.amount = '0.02';
  r = await api.post(PATHS.create_market_order, tampered);
  ok(r.status === 400 && r.text === 'Verification failed', 'body changed after signing: refused');
  r = await api.post(PATHS.create_market_order, { ...signRequest('create_market_order', { symbol: 'BTC', amount: '0.01', side: 'bid', slippage_percent: '1', reduce_only: false }, asMain).body, extra: true });
  ok(r.status === 400 && /unknown field `extra`/.test(r.text), 'unsigned extra field: 400 deserialisation error');
  acct = await account();
  is(acct.balance, '9996.79956', 'refused requests changed nothing');
  is((await positions())[0].amount, '0.08', 'position unchanged by refused requests');

  // Agent key: post-only bid rests on the book.
  const cloid = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';
  r = await send('create_order', { symbol: 'BTC', price: '99000', amount: '0.001', side: 'bid', tif: 'ALO', reduce_only: false, client_order_id: cloid }, asAgent);
  is(r.status, 200, 'agent-signed ALO order accepted');
  let orders = (await api.get('/api/v1/orders', { account: MAIN.public_key })).json;
  isDeep(orders.data.map((o) => [o.client_order_id, o.side, o.price, o.initial_amount, o.filled_amount, o.order_type, o.reduce_only]),
    [[cloid, 'bid', '99000', '0.001', '0', 'limit', false]], 'open orders: the resting ALO bid');
  ok(Number.isInteger(orders.last_order_id) && orders.last_order_id >= r.json.data.order_id, 'open orders carry last_order_id');
  r = await send('create_order', { symbol: 'BTC', price: '100100', amount: '0.001', side: 'bid', tif: 'ALO', reduce_only: false }, asAgent);
  const rejectedAlo = r.json.data.order_id;
  const hist = (await api.get('/api/v1/orders/history', { account: MAIN.public_key })).json.data.find((o) => o.order_id === rejectedAlo);
  isDeep([hist.order_status, hist.reason], ['rejected', 'post_only_rejected'], 'crossing ALO: rejected as post_only_rejected');
  r = await send('edit_order', { symbol: 'BTC', price: '99100', amount: '0.001', client_order_id: cloid }, asAgent);
  is(r.status, 200, 'edit by client id accepted');
  orders = (await api.get('/api/v1/orders', { account: MAIN.public_key })).json.data;
  isDeep(orders.map((o) => [o.client_order_id, o.price]), [[cloid, '99100']], 'edit replaced the order (new price, same client id)');
  r = await send('cancel_order', { symbol: 'BTC', client_order_id: cloid }, asAgent);
  ok(r.status === 200 && r.json.success === true, 'cancel by client id');
  is((await api.get('/api/v1/orders', { account: MAIN.public_key })).json.data.length, 0, 'no open orders left');
  r = await send('cancel_order', { symbol: 'BTC', client_order_id: cloid }, asAgent);
  is(r.status, 422, 'cancel of an unknown order: 422');
  isDeep(r.json, { success: false, data: null, error: 'Order not found', code: 5 }, 'order_not_found body');

  // IOC that cannot fill: accepted, then cancelled with nothing filled.
  r = await send('create_order', { symbol: 'BTC', price: '99000', amount: '0.001', side: 'bid', tif: 'IOC', reduce_only: false }, asMain);
  const ioc = (await api.get('/api/v1/orders/history', { account: MAIN.public_key })).json.data.find((o) => o.order_id === r.json.data.order_id);
  isDeep([r.status, ioc.order_status, ioc.filled_amount], [200, 'cancelled', '0'], 'IOC below the book: cancelled unfilled');

  // Venue errors.
  r = await send('update_leverage', { symbol: 'BTC', leverage: 0 }, asMain);
  ok(r.status === 400 && JSON.stringify(r.json) === '{"error":"Invalid leverage","code":400}', 'leverage 0: {"error":"Invalid leverage","code":400}');
  r = await send('update_leverage', { symbol: 'BTC', leverage: 60 }, asMain);
  is(r.status, 400, 'leverage above max_leverage: 400');
  r = await send('update_leverage', { symbol: 'BTC', leverage: 10 }, asAgent);
  is(r.status, 400, 'lowering leverage below the current 50 with an open position: refused');
  r = await send('update_leverage', { symbol: 'ETH', leverage: 10 }, asAgent);
  is(r.status, 200, 'leverage 10 on ETH (no position) accepted');
  const settings = (await api.get('/api/v1/account/settings', { account: MAIN.public_key })).json.data.margin_settings;
  isDeep(settings.map((s) => [s.symbol, s.leverage, s.isolated]), [['ETH', 10, false]], 'account settings show ETH leverage 10');
  r = await send('update_margin_mode', { symbol: 'BTC', is_isolated: true }, asMain);
  ok(r.status === 422 && r.json.code === 8, 'margin mode change with an open position: 422 code 8');
  r = await send('create_order', { symbol: 'BTC', price: '99000.5', amount: '0.001', side: 'bid', tif: 'GTC', reduce_only: false }, asMain);
  ok(r.status === 400 && /tick size 1/.test(r.json.error), 'price off the tick: 400 naming the tick size');
  r = await send('create_order', { symbol: 'BTC', price: '99000', amount: '0.000015', side: 'bid', tif: 'GTC', reduce_only: false }, asMain);
  ok(r.status === 400 && /lot size 0.00001/.test(r.json.error), 'amount off the lot: 400 naming the lot size');
  r = await send('create_order', { symbol: 'BTC', price: '99000', amount: '0.0001', side: 'bid', tif: 'GTC', reduce_only: false }, asMain);
  ok(r.status === 400 && /below the minimum 10/.test(r.json.error), 'notional 9.9 < 10: 400');
  r = await send('create_market_order', { symbol: 'BTC', amount: '0.01', side: 'bid', slippage_percent: '0.001', reduce_only: false }, asMain);
  isDeep([r.status, r.json.error], [422, 'No reasonable price found'], 'no liquidity inside the slippage band: 422');
  r = await send('create_market_order', { symbol: 'BTC', amount: '10', side: 'bid', slippage_percent: '1', reduce_only: false }, asMain);
  isDeep([r.status, r.json], [422, { success: false, data: null, error: 'Insufficient balance', code: 4 }], 'order beyond the margin: 422 Insufficient balance code 4');
  r = await send('create_market_order', { symbol: 'DOGE', amount: '1', side: 'bid', slippage_percent: '1', reduce_only: false }, asMain);
  ok(r.status === 422 && r.json.code === 2, 'unknown symbol: 422 code 2');
  r = await api.get('/api/v1/book', { symbol: 'DOGE' });
  is(r.status, 404, 'book of an unknown symbol: 404');

  // Maker fill against another account; maker fee 0.015 % of 200.03 = 0.0300045 -> half-even 0.030004.
  r = await send('create_order', { symbol: 'BTC', price: '100015', amount: '0.002', side: 'ask', tif: 'ALO', reduce_only: false }, asMain);
  is(r.status, 200, 'ALO ask inside the spread rests');
  r = await send('create_market_order', { symbol: 'BTC', amount: '0.002', side: 'bid', slippage_percent: '1', reduce_only: false }, asOther);
  is(r.status, 200, "the other account's market buy");
  isDeep((await positions(OTHER.public_key)).map((p) => [p.side, p.amount, p.entry_price]), [['bid', '0.002', '100015']], 'taker filled at the resting ask 100015');
  pos = await positions();
  is(pos[0].amount, '0.078', 'maker position reduced by the 0.002 it sold');
  const makerFill = (await api.get('/api/v1/trades/history', { account: MAIN.public_key })).json.data[0];
  isDeep([makerFill.event_type, makerFill.side, makerFill.amount, makerFill.price, makerFill.pnl, makerFill.fee],
    ['fulfill_maker', 'close_long', '0.002', '100015', '0.0025', '0.030004'], 'maker fill: PnL (100015 - 100013.75) * 0.002 = 0.0025, fee 0.030004');
  acct = await account();
  is(acct.balance, '9996.772056', 'maker balance: 9996.79956 + 0.0025 - 0.030004');

  // Close the rest reduce-only with the agent: 0.078 sold into 99990 x 0.05, 99980 x 0.028.
  // PnL (99990 - 100013.75) * 0.05 + (99980 - 100013.75) * 0.028 = -1.1875 - 0.945 = -2.1325
  // fee (4999.5 + 2799.44) * 0.0004 = 3.119576
  r = await send('create_market_order', { symbol: 'BTC', amount: '0.078', side: 'ask', slippage_percent: '1', reduce_only: true }, asAgent);
  is(r.status, 200, 'reduce-only close accepted');
  isDeep(await positions(), [], 'position closed');
  acct = await account();
  is(acct.balance, '9991.51998', 'balance after close: 9996.772056 - 2.1325 - 3.119576');
  r = await send('create_market_order', { symbol: 'BTC', amount: '0.01', side: 'ask', slippage_percent: '1', reduce_only: true }, asAgent);
  is(r.status, 400, 'reduce-only with no position: refused');

  // Batch: each action signed on its own; a bad signature on any action refuses the whole batch.
  const c1 = 'cccccccc-0000-4000-8000-000000000001';
  const act = (type, batchType, payload) => ({ type: batchType, data: signRequest(type, payload, asAgent).body });
  const create = act('create_order', 'Create', { symbol: 'BTC', price: '99500', amount: '0.001', side: 'bid', tif: 'ALO', reduce_only: false, client_order_id: c1 });
  const cancel = act('cancel_order', 'Cancel', { symbol: 'BTC', client_order_id: c1 });
  const cancelMissing = act('cancel_order', 'Cancel', { symbol: 'BTC', order_id: 42 });
  r = await api.post('/api/v1/orders/batch', { actions: [create, { ...cancel, data: corruptSignature(cancel.data) }] });
  ok(r.status === 400 && r.text === 'Verification failed', 'batch with one corrupted action: whole batch refused');
  is((await api.get('/api/v1/orders', { account: MAIN.public_key })).json.data.length, 0, 'and nothing of it executed');
  r = await api.post('/api/v1/orders/batch', { actions: [create, cancel, cancelMissing] });
  ok(r.status === 200 && r.json.success === true, 'batch accepted');
  const res = r.json.data.results;
  ok(res.length === 3 && res[0].success === true && Number.isInteger(res[0].order_id) && res[1].success === true
    && res[2].success === false && res[2].order_id === null && res[2].error === 'Order not found', 'per-action results, a failing action does not stop the others');
  is((await api.get('/api/v1/orders', { account: MAIN.public_key })).json.data.length, 0, 'created then cancelled within the batch');

  // cancel_all counts what it cancelled and honours exclude_reduce_only.
  for (const price of ['99400', '99300']) await send('create_order', { symbol: 'BTC', price, amount: '0.001', side: 'bid', tif: 'GTC', reduce_only: false }, asAgent);
  await send('create_order', { symbol: 'ETH', price: '3400', amount: '0.01', side: 'bid', tif: 'GTC', reduce_only: false }, asAgent);
  r = await send('cancel_all_orders', { all_symbols: false, exclude_reduce_only: false, symbol: 'BTC' }, asAgent);
  isDeep([r.status, r.json.data], [200, { cancelled_count: 2 }], 'cancel_all for BTC: cancelled_count 2');
  r = await send('cancel_all_orders', { all_symbols: true, exclude_reduce_only: false }, asMain);
  isDeep(r.json.data, { cancelled_count: 1 }, 'cancel_all for all symbols: the ETH order');

  const st = await sim.stop();
  is(st.code, 0, 'simulator exits 0 when its stdin closes');
  const lines = sim.proc.stdout.split('\n').filter(Boolean);
  ok(lines.length === 1 && JSON.parse(lines[0]).pacifica.ws.startsWith('ws://127.0.0.1:'), 'stdout held exactly the one address line');
});
