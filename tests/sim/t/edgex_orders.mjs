// The edgeX dialect end to end over REST, for v2 (HMAC + EIP-712) and v1 (Stark): orders signed by
// the test's own signer fill against a scripted book and move position, fees and collateral by
// exactly the amounts worked out below by hand; corrupted order signatures, wrong HMACs / Stark
// request signatures, expired requests and orders, low fee caps, foreign keys and accounts are
// refused in edgeX's error shape and change nothing; order fates, idempotent resends, cancels,
// leverage and the v1 "no market data" condition.
import { ok, is, isDeep, run } from '../lib/tap.mjs';
import { startSim } from '../lib/harness.mjs';
import { corruptHex } from '../lib/edgex_signer.mjs';
import { edgexWorld, edgexClient, K } from '../lib/edgex_world.mjs';

const V = {
  v2: { venue: 'edgex', main: K.v2.account, other: K.v2.other },
  v1: { venue: 'edgex_v1', main: K.v1.account, other: K.v1.other },
};

async function flow(sim, version) {
  const { venue, main, other } = V[version];
  const t = (name) => `${version}: ${name}`;
  const api = edgexClient(sim.addr[venue], version, main);
  const them = edgexClient(sim.addr[venue], version, other);
  const meta = await api.loadMeta();
  await them.loadMeta();
  const acctId = main.account_id;
  const btc = api.contract('BTC');
  let n = 0;
  const cid = () => `${version}-ord-${++n}`;
  const asset = async (who = api) => (await who.get('private/account/getAccountAsset', { accountId: who.key.account_id })).json.data;
  const lastLog = async () => (await sim.control('GET', `/requests?venue=${venue}&kind=http`)).entries.pop();
  const history = async (clientOrderId) => (await api.get('private/order/getHistoryOrderByClientOrderId', { accountId: acctId, clientOrderIdList: clientOrderId })).json.data[0];
  const refused = (r, status, code) => r.status === status && r.json && r.json.code === code && r.json.data === null && typeof r.json.msg === 'string' && typeof r.json.traceId === 'string';

  // ---- metadata and market data ----
  isDeep([btc.contractName, btc.tickSize, btc.stepSize, btc.defaultTakerFeeRate, btc.defaultMakerFeeRate, btc.fundingRateIntervalMin, btc.quoteCoinId],
    [version === 'v2' ? 'BTCUSDC' : 'BTCUSD', '0.1', '0.001', '0.00038', '0.00015', '240', '1000'], t('metadata: BTC contract grid, fee rates, 4 h funding'));
  is(api.contract('SOL').fundingRateIntervalMin, '60', t('metadata: SOL has its own 60-minute interval'));
  if (version === 'v2') ok(meta.global.nativeChainId === '33431' && /^0x[0-9a-f]{40}$/.test(meta.global.contractAddress) && btc.resolution === '10000000000', t('metadata: EIP-712 domain and resolutions'));
  else ok(meta.global.starkExCollateralCoin.starkExResolution === '0xf4240' && /^0x[0-9a-f]+$/.test(btc.starkExSyntheticAssetId) && btc.starkExResolution === '0x2540be400', t('metadata: StarkEx asset ids and hex resolutions'));
  let r = await api.get('public/quote/getDepth', { contractId: btc.contractId, level: '15' });
  isDeep([r.json.code, r.json.data[0].bids[0], r.json.data[0].asks[0], r.json.data[0].depthType], ['SUCCESS', { price: '99990.0', size: '0.050' }, { price: '100010.0', size: '0.050' }, 'SNAPSHOT'], t('depth: levels as {price,size} strings on the tick/step grid'));
  r = await api.get('public/funding/getLatestFundingRate', { contractId: btc.contractId });
  isDeep([r.json.data[0].fundingRate, r.json.data[0].previousFundingRate, r.json.data[0].isSettlement, r.json.data[0].fundingRateIntervalMin], ['0.00010000', '0.00005000', false, '240'], t('latest funding: accruing rate, last settled rate, interval'));
  r = await api.get('public/quote/getTicker', { contractId: btc.contractId });
  isDeep([r.json.data[0].oraclePrice, r.json.data[0].indexPrice, r.json.data[0].fundingRate, r.json.data[0].value], ['100000', '100000.000000000', '0.00005000', '250000000.0000'], t('ticker: oracle, index, settled rate, 24 h quote volume'));

  // ---- a taker buy: 0.05 @ 100010 + 0.03 @ 100020; fee 0.00038 x 8001.1 = 3.040418 ----
  const buyId = cid();
  const buy = api.order('BTC', { side: 'BUY', price: '100020', size: '0.08', tif: 'IMMEDIATE_OR_CANCEL', clientOrderId: buyId });
  r = await api.post('private/order/createOrder', buy);
  ok(r.status === 200 && r.json.code === 'SUCCESS' && /^[0-9]{18}$/.test(r.json.data.orderId) && BigInt(r.json.data.orderId) > 2n ** 53n, t('signed order accepted: {"code":"SUCCESS","data":{"orderId":<18-digit string above 2^53>}}'));
  const buyOrderId = r.json.data.orderId;
  let a = await asset();
  isDeep(a.positionList.map((p) => [p.contractId, p.openSize, p.openValue, p.openFee, p.fundingFee]), [[btc.contractId, '0.080', '8001.100000', '-3.040418', '0.000000']], t('position: long 0.080, openValue 8001.1, openFee -3.040418 (negative = paid)'));
  isDeep([a.collateralList[0].amount, a.collateralAssetModelList[0].totalEquity, a.positionAssetList[0].avgEntryPrice, a.positionAssetList[0].unrealizePnl],
    ['1995.859582', '9995.859582', '100013.75', '-1.1'], t('collateral 10000 - 3.040418 - 8001.1; equity adds 0.08 x 100000; entry is the VWAP'));
  r = await api.get('private/order/getHistoryOrderFillTransactionPage', { accountId: acctId });
  isDeep(r.json.data.dataList.map((f) => [f.orderId, f.fillSize, f.fillPrice, f.fillValue, f.fillFee, f.direction]).reverse(),
    [[buyOrderId, '0.050', '100010.0', '5000.500000', '1.900190', 'TAKER'], [buyOrderId, '0.030', '100020.0', '3000.600000', '1.140228', 'TAKER']], t('fills: two taker fills, fee positive = paid'));
  let h = await history(buyId);
  isDeep([h.status, h.cumFillSize, h.cumFillValue, h.cumFillFee, h.type, h.timeInForce], ['FILLED', '0.080', '8001.100000', '3.040418', 'LIMIT', 'IMMEDIATE_OR_CANCEL'], t('order history: FILLED with cumulative fill figures'));
  r = await api.post('private/order/createOrder', buy);
  ok(r.json.code === 'SUCCESS' && r.json.data.orderId === buyOrderId, t('the same order sent again answers the same orderId (client id is the idempotency key)'));
  is((await asset()).positionList[0].openSize, '0.080', t('and fills nothing twice'));
  r = await api.post('private/order/createOrder', api.order('BTC', { side: 'BUY', price: '100020', size: '0.01', tif: 'IMMEDIATE_OR_CANCEL', clientOrderId: buyId }));
  ok(refused(r, 400, 'INVALID_PARAMETER') && /already used/.test(r.json.msg), t('a different order under a used clientOrderId: INVALID_PARAMETER'));

  // ---- refusals (nothing may change) ----
  const fresh = (o = {}) => api.order('BTC', { side: 'BUY', price: '100020', size: '0.01', tif: 'IMMEDIATE_OR_CANCEL', clientOrderId: cid(), ...o });
  r = await api.post('private/order/createOrder', (() => { const b = fresh(); return { ...b, l2Signature: corruptHex(b.l2Signature, 20) }; })());
  ok(refused(r, 400, 'INVALID_L2_SIGNATURE'), t('corrupted l2Signature: 400 INVALID_L2_SIGNATURE'));
  is((await lastLog()).refused.reason, 'bad_l2_signature', t('request log: refused as bad_l2_signature'));
  const body = fresh();
  const path = `/api/${version}/private/order/createOrder`;
  const headers = api.headersFor('POST', path, { body });
  const sigHeader = version === 'v2' ? 'X-edgeX-Signature' : 'X-edgeX-Api-Signature';
  r = await api.raw('POST', path, { body, headers: { ...headers, [sigHeader]: corruptHex(headers[sigHeader], 5) } });
  ok(refused(r, 401, 'SIGNATURE_ERROR'), t(`corrupted ${version === 'v2' ? 'HMAC' : 'Stark request signature'}: 401 SIGNATURE_ERROR`));
  is((await lastLog()).verified.reason, version === 'v2' ? 'bad_hmac' : 'bad_signature', t('request log: the auth failure reason'));
  r = await api.raw('POST', path, { body: { ...body, size: '0.02' }, headers });
  ok(refused(r, 401, 'SIGNATURE_ERROR'), t('body changed after signing: 401 SIGNATURE_ERROR'));
  r = await api.raw('POST', path, { body, headers: api.headersFor('POST', path, { body, timestamp: String(Date.now() - 120_000) }) });
  ok(refused(r, 401, 'REQUEST_EXPIRED'), t('request timestamp 120 s old: 401 REQUEST_EXPIRED'));
  is((await lastLog()).verified.reason, 'expired', t('request log: expired'));
  r = await api.post('private/order/createOrder', fresh({ expireTime: String(Date.now() - 1000), l2ExpireTime: String(Date.now() + 9 * 86_400_000) }));
  ok(refused(r, 400, 'INVALID_PARAMETER') && /expired/.test(r.json.msg), t('order whose expireTime has passed: INVALID_PARAMETER "order expired"'));
  r = await api.post('private/order/createOrder', fresh({ size: '0.05', feeRate: '0.00001' }));
  ok(refused(r, 400, 'INVALID_PARAMETER') && /l2LimitFee 1 is below/.test(r.json.msg), t('fee cap below the contract taker rate (1 < 5001 x 0.00038 = 1.90038): refused naming l2LimitFee'));
  r = await api.post('private/order/createOrder', fresh({ signWith: version === 'v2' ? K.v2_stranger_signer.signer_private_key : other.stark_private_key }));
  ok(refused(r, 400, 'INVALID_L2_SIGNATURE'), t('order signed with a key that is not the account\'s: INVALID_L2_SIGNATURE'));
  const otherAcct = { ...body, accountId: other.account_id };
  r = await api.raw('POST', path, { body: otherAcct, headers: api.headersFor('POST', path, { body: otherAcct }) });
  ok(refused(r, 401, version === 'v2' ? 'INVALID_API_KEY' : 'SIGNATURE_ERROR'), t('request for another account with this account\'s credentials: refused'));
  if (version === 'v2') {
    r = await api.raw('POST', path, { body, headers: { ...headers, 'X-edgeX-Api-Key': 'no-such-key' } });
    ok(refused(r, 401, 'INVALID_API_KEY'), t('unknown API key: 401 INVALID_API_KEY'));
    r = await api.raw('POST', path, { body, headers: { ...headers, 'X-edgeX-Passphrase': 'wrong' } });
    ok(refused(r, 401, 'INVALID_API_KEY') && /passphrase/.test(r.json.msg), t('wrong passphrase: 401'));
  }
  const { [sigHeader]: _drop, ...noSig } = headers;
  r = await api.raw('POST', path, { body, headers: noSig });
  ok(refused(r, 400, 'GATEWAY_HEADER_REQUIRED'), t('missing signature header: 400 GATEWAY_HEADER_REQUIRED'));
  const getPath = `/api/${version}/private/order/getActiveOrderPage`;
  const q = { accountId: acctId, offsetData: '' };
  r = await api.raw('GET', getPath, { query: q, headers: api.headersFor('GET', getPath, { query: q }) });
  ok(refused(r, 400, 'GATEWAY_PARAM_INVALID') && /offsetData/.test(r.json.msg), t('empty query parameter: 400 GATEWAY_PARAM_INVALID naming it'));
  r = await api.get('private/account/getPositionTransactionPage', { accountId: acctId, filterStartCreatedTimeInclusive: 'yesterday' });
  ok(refused(r, 400, 'INVALID_PARAMETER') && /filterStartCreatedTimeInclusive/.test(r.json.msg), t('a time filter that is not milliseconds: INVALID_PARAMETER naming it'));
  r = await api.post('private/order/createOrder', fresh({ price: '106000' }));
  ok(refused(r, 400, 'INVALID_PARAMETER') && /above oracle/.test(r.json.msg), t('BUY price above the oracle band (+5 %): refused'));
  r = await api.post('private/order/createOrder', fresh({ price: '100020.05' }));
  ok(refused(r, 400, 'INVALID_PARAMETER') && /tickSize 0.1/.test(r.json.msg), t('price off the tick: refused naming tickSize'));
  r = await api.post('private/order/createOrder', fresh({ size: '10', price: '100100' }));
  ok(r.status === 200 && r.json.code === 'INSUFFICIENT_BALANCE', t('order beyond the margin: HTTP 200 with code INSUFFICIENT_BALANCE'));
  a = await asset();
  isDeep([a.positionList[0].openSize, a.collateralList[0].amount], ['0.080', '1995.859582'], t('no refusal changed position or collateral'));

  // ---- resting orders, order fates, cancels ----
  const restId = cid();
  r = await api.post('private/order/createOrder', api.order('BTC', { side: 'BUY', price: '99000', size: '0.001', tif: 'POST_ONLY', clientOrderId: restId }));
  const restOrderId = r.json.data.orderId;
  r = await api.get('private/order/getActiveOrderPage', { accountId: acctId });
  isDeep(r.json.data.dataList.map((o) => [o.id, o.clientOrderId, o.side, o.price, o.size, o.status, o.timeInForce]), [[restOrderId, restId, 'BUY', '99000.0', '0.001', 'OPEN', 'POST_ONLY']], t('active orders: the resting POST_ONLY bid'));
  r = await api.get('private/order/getOrderByClientOrderId', { accountId: acctId, clientOrderIdList: restId });
  is(r.json.data[0].id, restOrderId, t('getOrderByClientOrderId finds it'));
  r = await api.post('private/account/updateLeverageSetting', { accountId: acctId, contractId: btc.contractId, leverage: '10' });
  is(r.json.code, 'ACCOUNT_UPDATE_LEVERAGE_FAILED_ORDER', t('leverage change with an open order: ACCOUNT_UPDATE_LEVERAGE_FAILED_ORDER'));
  const crossId = cid();
  r = await api.post('private/order/createOrder', api.order('BTC', { side: 'BUY', price: '100100', size: '0.001', tif: 'POST_ONLY', clientOrderId: crossId }));
  h = await history(crossId);
  isDeep([r.json.code, h.status, h.cancelReason, h.cumFillSize], ['SUCCESS', 'CANCELED', 'POST_ONLY_WOULD_TRADE', '0.000'], t('crossing POST_ONLY: accepted, then CANCELED without a fill'));
  r = await api.post('private/order/cancelOrderByClientOrderId', { accountId: acctId, clientOrderIdList: [restId, 'no-such-id'] });
  isDeep(r.json.data.cancelResultMap, { [restOrderId]: 'SUCCESS', 'no-such-id': 'FAILED_ORDER_NOT_FOUND' }, t('cancel by client id: per-order results'));
  r = await api.get('private/order/getOrderByClientOrderId', { accountId: acctId, clientOrderIdList: restId });
  isDeep(r.json.data, [], t('a cancelled order is gone from the active lookup'));
  h = await history(restId);
  isDeep([h.status, h.cancelReason], ['CANCELED', 'USER_CANCELED'], t('and in history as CANCELED / USER_CANCELED'));
  r = await api.post('private/order/cancelOrderById', { accountId: acctId, orderIdList: [restOrderId, buyOrderId, '564000000000999999'] });
  isDeep(r.json.data.cancelResultMap, { [restOrderId]: 'SUCCESS_ORDER_CANCELED', [buyOrderId]: 'FAILED_ORDER_FILLED', '564000000000999999': 'FAILED_ORDER_NOT_FOUND' }, t('cancel by id: already cancelled, filled, unknown'));
  const fokId = cid();
  await api.post('private/order/createOrder', api.order('BTC', { side: 'BUY', price: '100020', size: '0.5', tif: 'FILL_OR_KILL', clientOrderId: fokId }));
  h = await history(fokId);
  isDeep([h.status, h.cancelReason, h.cumFillSize], ['CANCELED', 'COULD_NOT_FILL', '0.000'], t('FILL_OR_KILL larger than the book: CANCELED / COULD_NOT_FILL, nothing filled'));
  r = await api.post('private/account/updateLeverageSetting', { accountId: acctId, contractId: btc.contractId, leverage: '60' });
  is(r.json.code, 'INVALID_PARAMETER', t('leverage above the maximum: INVALID_PARAMETER'));
  r = await api.post('private/account/updateLeverageSetting', { accountId: acctId, contractId: api.contract('ETH').contractId, leverage: '5' });
  isDeep([r.json.code, r.json.data], ['SUCCESS', null], t('leverage 5 on ETH: SUCCESS, data null'));
  a = await asset();
  is(a.account.contractIdToTradeSetting[api.contract('ETH').contractId].maxLeverage, '5', t('read back in contractIdToTradeSetting'));
  ok(a.positionAssetList.some((p) => p.contractId === api.contract('ETH').contractId && p.positionValue === '0'), t('positionAssetList also lists a flat row for ETH (as the live venue does)'));

  // ---- maker fill: the other account buys into our resting ask ----
  // maker fee 0.002 x 100015 x 0.00015 = 0.0300045 -> 0.030004; PnL (100015 - 100013.75) x 0.002 = 0.0025
  await api.post('private/order/createOrder', api.order('BTC', { side: 'SELL', price: '100015', size: '0.002', tif: 'POST_ONLY', clientOrderId: cid() }));
  r = await them.post('private/order/createOrder', them.order('BTC', { side: 'BUY', type: 'MARKET', size: '0.002', oraclePrice: '100000', clientOrderId: `${version}-them-1` }));
  is(r.json.code, 'SUCCESS', t('the other account\'s MARKET buy (price "0", signed worst price oracle x 10)'));
  isDeep((await asset(them)).positionList.map((p) => [p.openSize, p.openValue]), [['0.002', '200.030000']], t('it filled at our resting ask 100015'));
  r = await api.get('private/order/getHistoryOrderFillTransactionPage', { accountId: acctId, size: '1' });
  isDeep([r.json.data.dataList[0].direction, r.json.data.dataList[0].fillFee, r.json.data.dataList[0].realizePnl, r.json.data.nextPageOffsetData !== ''],
    ['MAKER', '0.030004', '-0.027504', true], t('our maker fill: fee 0.030004, realizePnl 0.0025 - fee; more pages'));

  // ---- close reduce-only: 0.078 into 99990 x 0.05 and 99980 x 0.028 ----
  // PnL -1.1875 - 0.945 = -2.1325; fee (4999.5 + 2799.44) x 0.00038 = 2.9635972 -> 2.963597
  r = await api.post('private/order/createOrder', api.order('BTC', { side: 'SELL', type: 'MARKET', size: '0.078', reduceOnly: true, clientOrderId: cid() }));
  is(r.json.code, 'SUCCESS', t('reduce-only MARKET close accepted'));
  a = await asset();
  isDeep([a.positionList, a.collateralList[0].amount, a.collateralAssetModelList[0].totalEquity], [[], '9991.835981', '9991.835981'],
    t('flat; collateral = 10000 - 3.040418 + 0.0025 - 0.030004 - 2.1325 - 2.963597'));
  const roId = cid();
  r = await api.post('private/order/createOrder', api.order('BTC', { side: 'SELL', type: 'MARKET', size: '0.01', reduceOnly: true, clientOrderId: roId }));
  h = await history(roId);
  isDeep([r.json.code, h.status, h.cancelReason], ['SUCCESS', 'CANCELED', 'REDUCE_ONLY_CANCELED'], t('reduce-only with nothing to reduce: accepted, then REDUCE_ONLY_CANCELED'));
  r = await api.get('private/account/getPositionTransactionPage', { accountId: acctId, filterTypeList: 'SELL_POSITION' });
  ok(r.json.data.dataList.length === 3 && r.json.data.dataList.every((x) => x.type === 'SELL_POSITION'), t('position transactions filtered by type'));
  r = await api.post('private/order/getMaxCreateOrderSize', { accountId: acctId, contractId: btc.contractId, price: '100000' });
  isDeep([r.json.code, r.json.data.ask1Price, r.json.data.bid1Price], ['SUCCESS', '100020.0', '99980.0'], t('getMaxCreateOrderSize answers sizes and the best prices left in the book'));
  if (version === 'v2') {
    const { v2MarginBody } = await import('../lib/edgex_signer.mjs');
    const dom = { chainId: meta.global.nativeChainId, verifyingContract: meta.global.contractAddress };
    r = await api.post('private/account/setMarginMode', v2MarginBody({ key: main, contractId: api.contract('ETH').contractId, marginMode: '1', clientId: 'mm-1', nowMs: Date.now(), domain: dom }));
    isDeep([r.json.code, r.json.data], ['SUCCESS', null], t('setMarginMode (EIP-712 SetMarginPreferenceParams) accepted'));
    const bad = v2MarginBody({ key: main, contractId: api.contract('ETH').contractId, marginMode: '0', clientId: 'mm-2', nowMs: Date.now(), domain: dom });
    r = await api.post('private/account/setMarginMode', { ...bad, l2Signature: corruptHex(bad.l2Signature, 3) });
    is(r.json.code, 'INVALID_L2_SIGNATURE', t('setMarginMode with a corrupted signature: INVALID_L2_SIGNATURE'));
  }
}

await run(async () => {
  const sim = await startSim({ scenario: edgexWorld() });
  await flow(sim, 'v2');
  await flow(sim, 'v1');

  // v1's host listing markets without prices (V.0): metadata yes, market data no.
  await sim.control('POST', '/scenario', edgexWorld({ v1Options: { serve_market_data: false } }));
  const v1 = edgexClient(sim.addr.edgex_v1, 'v1', K.v1.account);
  await v1.loadMeta();
  const id = v1.contract('BTC').contractId;
  ok(v1.meta.contractList.length === 3, 'v1 without market data: getMetaData still lists the contracts');
  const ticker = await v1.get('public/quote/getTicker', { contractId: id });
  const funding = await v1.get('public/funding/getLatestFundingRate', { contractId: id });
  const page = await v1.get('public/funding/getFundingRatePage', { contractId: id, filterSettlementFundingRate: 'true' });
  const depth = await v1.get('public/quote/getDepth', { contractId: id, level: '15' });
  isDeep([ticker.json.code, ticker.json.data, funding.json.data, page.json.data.dataList, depth.json.data], ['SUCCESS', [], [], [], []],
    'v1 without market data: ticker, latest funding, funding history and depth answer SUCCESS with nothing in them');
  const v2 = edgexClient(sim.addr.edgex, 'v2', K.v2.account);
  await v2.loadMeta();
  is((await v2.get('public/quote/getTicker', { contractId: v2.contract('BTC').contractId })).json.data.length, 1, 'v2 is unaffected by the v1 option');
  isDeep((await v2.get('public/quote/getTicker')).json.data, [], 'v2 getTicker without a contractId: [] (one contract per call)');
  const st = await sim.stop();
  is(st.code, 0, 'simulator exits 0');
});
