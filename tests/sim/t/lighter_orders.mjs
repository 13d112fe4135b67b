// The Lighter dialect end to end over REST, with transactions signed by the official signer (the
// lighter-ts-sdk WASM build), so neither the C client nor the dialect's own code produces them:
// market data shapes, nonces (only an accepted tx consumes one; a replay, a corrupted signature,
// another chain id and an unknown key are refused without consuming it), order fates, batches,
// auth tokens on private reads, funding in the venue's units, and the injected faults.
import { ok, is, isDeep, run } from '../lib/tap.mjs';
import { startSim } from '../lib/harness.mjs';
import { officialSigner, jsSignTx, jsAuthToken, lighterWorld, lighterApi, KEYS, START_MS, HOUR } from '../venues/lighter/test_support.mjs';

const A = KEYS.account;
const K3 = KEYS.api_key_3;
const DAY = 24 * HOUR;

await run(async () => {
  const sim = await startSim({ scenario: lighterWorld() });
  const api = lighterApi(sim.addr.lighter.rest);
  const s = await officialSigner();
  const nonce = async (key = 3, acct = A) => (await api.get(`/nextNonce?account_index=${acct}&api_key_index=${key}`)).json.nonce;
  const lastTx = async () => (await sim.control('GET', '/requests?venue=lighter&path=/api/v1/sendTx')).entries.pop();
  const token = (deadline = Math.floor(Date.now() / 1000) + 3600, key = K3, acct = A) => s.authToken(key, acct, deadline);
  const auth = { authorization: token() };
  const inactive = async () => (await api.get(`/accountInactiveOrders?account_index=${A}&limit=50`, auth)).json.orders;
  const active = async () => (await api.get(`/accountActiveOrders?account_index=${A}&market_id=0`, auth)).json.orders;
  const account = async () => (await api.get(`/account?by=index&value=${A}`)).json.accounts[0];
  const order = (o) => s.createOrder(K3, A, { market: 0, type: 0, tif: 1, expiry: START_MS + DAY, ...o });

  // ---- market data ----
  let r = await api.get('/orderBooks');
  const eth = r.json.order_books.find((m) => m.symbol === 'ETH');
  isDeep([r.json.code, eth.market_id, eth.supported_price_decimals, eth.supported_size_decimals, eth.min_base_amount, eth.min_quote_amount],
    [200, 0, 2, 4, '0.0050', '10.000000'], 'orderBooks: ETH market 0, 2 price / 4 size decimals, minimums as decimal strings');
  r = await api.get('/orderBookDetails?market_id=0');
  isDeep([r.json.order_book_details.length, r.json.order_book_details[0].min_initial_margin_fraction, typeof r.json.order_book_details[0].daily_quote_token_volume],
    [1, 200, 'number'], 'orderBookDetails: one market, min IMF 200 (50x), 24 h volume a JSON number');
  r = await api.get('/orderBookOrders?market_id=0&limit=2');
  isDeep([r.json.asks.map((o) => [o.price, o.remaining_base_amount]), r.json.bids[0].price], [[['3501.00', '1.0000'], ['3502.00', '2.0000']], '3499.00'], 'orderBookOrders: resting orders best first');
  is((await api.get('/orderBookOrders?market_id=0')).json.code, 20001, 'orderBookOrders without limit: invalid param');
  is((await api.get('/orderBooks?market_id=77')).json.code, 21602, 'unknown market: 21602');
  r = await api.get('/funding-rates');
  const rows = r.json.funding_rates.filter((x) => x.symbol === 'ETH');
  isDeep(rows.map((x) => [x.exchange, typeof x.rate]), [['lighter', 'number'], ['binance', 'number']], 'funding-rates: a bare number per (market, exchange), other venues in the same table');
  is(rows[0].rate, 0.000088, 'funding-rates: ETH rate = hourly 0.000011 as a fraction over 8 hours');
  is(await nonce(), 0, 'nextNonce starts at 0');
  r = await api.get(`/apikeys?account_index=${A}`);
  isDeep(r.json.api_keys.map((k) => [k.api_key_index, k.public_key]), [[3, K3.public_key], [4, KEYS.api_key_4.public_key]], 'apikeys: both registered keys, 80 hex each');

  // ---- a market order fills and consumes the nonce ----
  const buy = s.createOrder(K3, A, { market: 0, clientIndex: 1001, base: 1500, price: 351000, isAsk: false, type: 1, tif: 0, nonce: 0 });
  r = await api.sendTx(14, buy);
  is(r.status, 200, 'market buy 0.15 ETH accepted');
  ok(/^[0-9a-f]{80}$/.test(r.json.tx_hash) && r.json.message.includes('ratelimit'), 'answer: 80-hex tx_hash and the venue message');
  is(await nonce(), 1, 'accepted tx consumed nonce 0');
  let acct = await account();
  isDeep([acct.positions[0].sign, acct.positions[0].position, acct.positions[0].avg_entry_price, acct.collateral],
    [1, '0.1500', '3501.00', '100000.000000'], 'position long 0.15 at 3501.00; standard account: no fee');
  let done = (await inactive()).find((o) => o.client_order_index === 1001);
  isDeep([done.status, done.type, done.filled_base_amount, done.filled_quote_amount, done.side], ['filled', 'market', '0.1500', '525.150000', 'buy'], 'the market order is filled in accountInactiveOrders');

  // ---- refusals that must not consume the nonce ----
  r = await api.sendTx(14, buy);
  isDeep([r.status, r.json], [400, { code: 21104, message: 'invalid nonce' }], 'replaying the same tx: 400 {"code":21104,"message":"invalid nonce"}');
  const gtt = order({ clientIndex: 42, base: 100, price: 340000, isAsk: false, nonce: 1 });
  const info = JSON.parse(gtt);
  const flipped = JSON.stringify({ ...info, Sig: (info.Sig[0] === 'A' ? 'B' : 'A') + info.Sig.slice(1) });
  r = await api.sendTx(14, flipped);
  isDeep([r.status, r.json.code], [400, 21120], 'corrupted signature: 21120 invalid signature');
  is((await lastTx()).verified.reason, 'bad_signature', 'request log: bad_signature');
  r = await api.sendTx(14, s.createOrder(K3, A, { market: 0, clientIndex: 43, base: 100, price: 340000, type: 0, tif: 1, expiry: START_MS + DAY, nonce: 1 }, 300));
  is(r.json.code, 21120, 'signed for chain 300 on a chain-304 venue: 21120');
  r = await api.sendTx(14, s.createOrder({ ...K3, api_key_index: 9 }, A, { market: 0, clientIndex: 44, base: 100, price: 340000, type: 0, tif: 1, expiry: START_MS + DAY, nonce: 1 }));
  is(r.json.code, 21109, 'unregistered API key index: 21109');
  r = await api.sendTx(14, gtt.replace('"Nonce":1', '"Nonce":1.0'));
  is(r.json.code, 20001, 'a float where the tx has an integer: invalid param');
  is(await nonce(), 1, 'none of the refusals consumed nonce 1');

  // ---- resting, duplicate, cancel ----
  r = await api.sendTx(14, gtt);
  is(r.status, 200, 'GTT buy 0.01 @ 3400 accepted with nonce 1');
  isDeep((await active()).map((o) => [o.client_order_index, o.status, o.price, o.remaining_base_amount, o.time_in_force]), [[42, 'open', '3400.00', '0.0100', 'good-till-time']], 'it rests (accountActiveOrders)');
  r = await api.sendTx(14, order({ clientIndex: 42, base: 100, price: 339000, isAsk: false, nonce: 2 }));
  is(r.json.code, 21728, 'a second live order with client index 42: 21728');
  r = await api.sendTx(14, order({ clientIndex: 45, base: 10, price: 340000, isAsk: false, nonce: 2 }));
  is(r.json.code, 21706, '0.001 ETH is below min_base_amount: 21706');
  r = await api.sendTx(15, s.cancelOrder(K3, A, { market: 0, index: 42, nonce: 2 }));
  is(r.status, 200, 'cancel by client order index');
  is((await active()).length, 0, 'no open order left');
  r = await api.sendTx(15, s.cancelOrder(K3, A, { market: 0, index: 42, nonce: 3 }));
  is(r.json.code, 21700, 'cancelling it again: 21700 invalid order index');
  is((await inactive()).find((o) => o.client_order_index === 42).status, 'canceled', 'the cancelled order is listed as canceled');

  // ---- post-only, reduce-only ----
  r = await api.sendTx(14, order({ clientIndex: 50, base: 100, price: 350200, isAsk: false, tif: 2, nonce: 3 }));
  is(r.status, 200, 'crossing post-only buy: the tx is accepted');
  is((await inactive()).find((o) => o.client_order_index === 50).status, 'canceled-post-only', '... and the order ends canceled-post-only');
  r = await api.sendTx(14, s.createOrder(K3, A, { market: 0, clientIndex: 51, base: 100, price: 351000, isAsk: false, type: 1, tif: 0, reduceOnly: true, nonce: 4 }));
  is(r.json.code, 21732, 'reduce-only buy on a long: 21732');
  r = await api.sendTx(14, s.createOrder(K3, A, { market: 0, clientIndex: 52, base: 500, price: 349000, isAsk: true, type: 1, tif: 0, reduceOnly: true, nonce: 4 }));
  is(r.status, 200, 'reduce-only market sell 0.05');
  is((await account()).positions[0].position, '0.1000', 'position reduced to 0.1');

  // ---- leverage and margin mode ----
  r = await api.sendTx(20, s.updateLeverage(K3, A, { market: 0, imf: 1000, mode: 0, nonce: 5 }));
  is(r.status, 200, 'UpdateLeverage 10x cross');
  is((await account()).positions[0].initial_margin_fraction, '10.00', 'position IMF "10.00" (percent)');
  // The WASM build always signs MarginMode 0, so the isolated request comes from the test's own signer.
  const isolated = await jsSignTx(K3, 304, 20, { AccountIndex: A, ApiKeyIndex: 3, MarketIndex: 0, InitialMarginFraction: 1000, MarginMode: 1, ExpiredAt: Date.now() + 599_000, Nonce: 6 });
  r = await api.sendTx(20, isolated);
  is(r.json.code, 21132, 'switching to isolated with a position open: 21132');
  r = await api.sendTx(20, s.updateLeverage(K3, A, { market: 0, imf: 100, mode: 0, nonce: 6 }));
  is(r.json.code, 21113, 'IMF below the market minimum: 21113');

  // ---- cancel-all and batches ----
  const b1 = order({ clientIndex: 60, base: 100, price: 340000, isAsk: false, nonce: 6 });
  const b2 = order({ clientIndex: 61, base: 100, price: 360000, isAsk: true, nonce: 7 });
  r = await api.sendTxBatch([14, 14], [b1, b2]);
  isDeep([r.status, r.json.tx_hash.length], [200, 2], 'sendTxBatch: two creates, two tx hashes');
  is((await active()).length, 2, 'both rest');
  r = await api.sendTxBatch([14, 14], [order({ clientIndex: 62, base: 100, price: 340000, nonce: 9 }), order({ clientIndex: 63, base: 100, price: 340000, nonce: 8 })]);
  is(r.json.code, 21105, 'batch nonces not increasing: 21105');
  r = await api.sendTxBatch([14, 14], [order({ clientIndex: 62, base: 100, price: 340000, nonce: 8 }),
    s.createOrder(KEYS.other_api_key_3, KEYS.other_account, { market: 0, clientIndex: 1, base: 100, price: 340000, type: 0, tif: 1, expiry: START_MS + DAY, nonce: 0 })]);
  is(r.json.code, 21121, 'batch mixing accounts: 21121');
  r = await api.sendTx(16, s.cancelAll(K3, A, { tif: 0, time: 0, nonce: 8 }));
  is(r.status, 200, 'CancelAllOrders now');
  is((await active()).length, 0, 'every order cancelled');

  // ---- auth tokens on private reads ----
  const priv = `/accountActiveOrders?account_index=${A}&market_id=0`;
  r = await api.get(priv);
  isDeep([r.status, r.json.code], [401, 20013], 'private read without a token refused');
  r = await api.get(priv, { authorization: token(Math.floor(Date.now() / 1000) - 5) });
  is(r.status, 401, 'expired token refused');
  r = await api.get(priv, { authorization: await jsAuthToken(K3, A, Math.floor(Date.now() / 1000) + 9 * 3600) });
  is(r.status, 401, 'deadline more than 8 h ahead refused (token from the test signer: the WASM one refuses to make it)');
  r = await api.get(priv, { authorization: await jsAuthToken(K3, A, Math.floor(Date.now() / 1000) + 7.5 * 3600) });
  is(r.status, 200, 'deadline 7.5 h ahead accepted');
  r = await api.get(priv, { authorization: token(undefined, KEYS.other_api_key_3, KEYS.other_account) });
  is(r.status, 401, "another account's token refused");
  const t = token();
  r = await api.get(priv, { authorization: `${t.slice(0, -1)}${t.endsWith('0') ? '1' : '0'}` });
  is(r.status, 401, 'forged token signature refused');
  is((await api.get(`${priv}&auth=${encodeURIComponent(t)}`)).status, 200, 'the auth query parameter works too');

  // ---- funding in the venue's units ----
  await sim.control('POST', '/clock/advance', { ms: HOUR });
  r = await api.get(`/fundings?market_id=0&resolution=1h&start_timestamp=${START_MS / 1000 - 10}&end_timestamp=${START_MS / 1000 + 7200}&count_back=10`);
  isDeep(r.json.fundings, [{ timestamp: (START_MS - 600_000 + HOUR) / 1000, value: '0.03850000', rate: '0.0011', direction: 'long' }],
    'fundings: one hourly row, rate in percent (0.0011 % = 0.000011), paying side long, value = rate x mark');
  acct = await account();
  is(acct.positions[0].total_funding_paid_out, '0.003850', 'the long paid 0.1 x 3500 x 0.000011 = 0.00385');
  is(acct.collateral, '99999.896150', 'collateral = 100000 - 0.1 realised (0.05 bought at 3501, sold at 3499) - 0.00385 funding');

  // ---- faults ----
  await sim.control('POST', '/faults', { venue: 'lighter', match: { path: '/api/v1/sendTx' }, action: { type: 'reject', error: 'invalid_nonce' } });
  const n9 = await nonce();
  r = await api.sendTx(14, order({ clientIndex: 70, base: 100, price: 340000, nonce: n9 }));
  isDeep([r.status, r.json.code], [400, 21104], 'injected invalid-nonce rejection after a good signature');
  is(await nonce(), n9, '... and the nonce was not consumed');
  r = await api.sendTx(14, order({ clientIndex: 70, base: 100, price: 340000, nonce: n9 }));
  is(r.status, 200, 'the same tx again is accepted');
  await sim.control('POST', '/faults', { venue: 'lighter', match: { path: '/api/v1/sendTx' }, action: { type: 'http_status', status: 429 } });
  r = await api.sendTx(14, order({ clientIndex: 71, base: 100, price: 340000, nonce: n9 + 1 }));
  isDeep([r.status, r.json.code], [429, 23000], '429 with the venue body code 23000');
  await sim.control('POST', '/faults', { venue: 'lighter', match: { path: '/api/v1/sendTx' }, action: { type: 'timeout_after_accept', hang_ms: 300 } });
  r = await api.sendTx(14, order({ clientIndex: 71, base: 100, price: 340000, nonce: n9 + 1 })).catch((e) => ({ error: e }));
  ok(r.error, 'timeout after accept: no answer');
  ok((await active()).some((o) => o.client_order_index === 71), '... but the order is live');
  await sim.stop();

  // ---- expiry of txs against the configured clock ----
  const later = await startSim({ scenario: lighterWorld({ clock: { mode: 'stepped', start_ms: Date.now() + 3 * HOUR }, options: { signature_clock: 'sim' } }) });
  const api2 = lighterApi(later.addr.lighter.rest);
  r = await api2.sendTx(14, s.createOrder(K3, A, { market: 0, clientIndex: 1, base: 100, price: 340000, type: 0, tif: 0, nonce: 0 }));
  isDeep([r.status, r.json.code], [400, 21711], 'a tx whose ExpiredAt has passed: 21711 invalid expiry');
  await later.stop();
}, { timeoutMs: 120_000 });
