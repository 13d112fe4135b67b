// edgeX funding on a stepped clock, v2 and v1: each contract settles at its own
// fundingRateIntervalMin (BTC every 240 min, SOL every 60 min), paying size x index x rate
// (positive rate: longs pay, shorts receive) exactly once per boundary, visible as
// SETTLE_FUNDING_FEE position transactions, in the position's fundingFee, in the collateral, in
// the settled-rate history and in the latest-rate record.
import { ok, is, isDeep, run } from '../lib/tap.mjs';
import { startSim } from '../lib/harness.mjs';
import { edgexWorld, edgexClient, K, START_MS, HOUR } from '../lib/edgex_world.mjs';

const MIN = 60_000;

await run(async () => {
  const sim = await startSim({ scenario: edgexWorld() });
  const clients = {
    v2: { venue: 'edgex', api: edgexClient(sim.addr.edgex, 'v2', K.v2.account) },
    v1: { venue: 'edgex_v1', api: edgexClient(sim.addr.edgex_v1, 'v1', K.v1.account) },
  };
  for (const { api } of Object.values(clients)) {
    await api.loadMeta();
    // BTC long 0.08 at 100013.75 (fee 3.040418); SOL short 10 at 149.97 (fee 10 x 149.97 x 0.0005 = 0.74985).
    await api.post('private/order/createOrder', api.order('BTC', { side: 'BUY', price: '100020', size: '0.08', tif: 'IMMEDIATE_OR_CANCEL', clientOrderId: 'f-btc' }));
    await api.post('private/order/createOrder', api.order('SOL', { side: 'SELL', price: '149.9', size: '10', tif: 'IMMEDIATE_OR_CANCEL', clientOrderId: 'f-sol' }));
  }
  const funding = async (api) => (await api.get('private/account/getPositionTransactionPage', { accountId: api.key.account_id, filterTypeList: 'SETTLE_FUNDING_FEE' })).json.data.dataList;
  const asset = async (api) => (await api.get('private/account/getAccountAsset', { accountId: api.key.account_id })).json.data;

  for (const [ver, { api }] of Object.entries(clients)) {
    const a = await asset(api);
    isDeep(a.positionList.map((p) => [p.openSize, p.openValue]), [['0.080', '8001.100000'], ['-10.0', '-1499.700000']], `${ver}: BTC long and SOL short open`);
    is(a.collateralList[0].amount, '3494.809732', `${ver}: collateral 10000 - 3.040418 - 0.74985 - 8001.1 + 1499.7`);
  }

  let adv = await sim.control('POST', '/clock/advance', { ms: 50 * MIN - 1 });
  isDeep(adv.settlements, [], 'nothing settles 1 ms before 09:00');
  adv = await sim.control('POST', '/clock/advance', { ms: 1 });
  const at9 = START_MS + 50 * MIN;
  isDeep(adv.settlements.map((s) => [s.venue, s.symbol, s.at_ms, s.rate, s.payments.map((p) => p.payout)]),
    [['edgex', 'SOL', at9, '0.00002', ['0.03']], ['edgex_v1', 'SOL', at9, '0.00002', ['0.03']]],
    'at 09:00 only SOL (60-minute interval) settles: the short receives 10 x 150 x 0.00002 = 0.03, on both API generations');

  for (const [ver, { api }] of Object.entries(clients)) {
    const sol = api.contract('SOL').contractId;
    const recs = await funding(api);
    isDeep(recs.map((r) => [r.type, r.contractId, r.deltaFundingFee, r.fundingRate, r.fundingPositionSize, r.fundingTime]),
      [['SETTLE_FUNDING_FEE', sol, '0.030000', '0.00002000', '-10.0', String(at9)]], `${ver}: one SETTLE_FUNDING_FEE record for SOL`);
    const hist = (await api.get('public/funding/getFundingRatePage', { contractId: sol, filterSettlementFundingRate: 'true', size: '10' })).json.data;
    isDeep(hist.dataList.map((r) => [r.fundingTime, r.fundingRate, r.isSettlement, r.fundingRateIntervalMin, r.forecastFundingRate]),
      [[String(at9), '0.00002000', true, '60', '']], `${ver}: settled-rate history for SOL`);
    const latest = (await api.get('public/funding/getLatestFundingRate', { contractId: sol })).json.data[0];
    isDeep([latest.fundingTime, latest.previousFundingRate, latest.fundingRate], [String(at9), '0.00002000', '0.00002000'], `${ver}: latest SOL record: interval started 09:00, previous rate the settled one`);
    const btcLatest = (await api.get('public/funding/getLatestFundingRate', { contractId: api.contract('BTC').contractId })).json.data[0];
    is(btcLatest.fundingTime, String(START_MS - 10 * MIN), `${ver}: BTC's interval still started at 08:00`);
    const ticker = (await api.get('public/quote/getTicker', { contractId: api.contract('BTC').contractId })).json.data[0];
    is(ticker.nextFundingTime, String(START_MS - 10 * MIN + 4 * HOUR), `${ver}: BTC ticker nextFundingTime is 12:00`);
  }

  // BTC's accruing rate turns negative; at 12:00 the long receives 0.08 x 100000 x 0.0002 = 1.6,
  // and SOL settled three more times (10:00, 11:00, 12:00).
  for (const venue of ['edgex', 'edgex_v1']) await sim.control('POST', '/funding', { venue, symbol: 'BTC', next_rate: '-0.0002' });
  adv = await sim.control('POST', '/clock/advance', { ms: 3 * HOUR });
  isDeep(adv.settlements.filter((s) => s.venue === 'edgex' && s.symbol !== 'ETH').map((s) => [s.symbol, s.rate, s.payments.map((p) => p.payout)]).sort(),
    [['BTC', '-0.0002', ['1.6']], ['SOL', '0.00002', ['0.03']], ['SOL', '0.00002', ['0.03']], ['SOL', '0.00002', ['0.03']]],
    'by 12:00: BTC once (long receives 1.6 at -0.0002), SOL three times');
  for (const [ver, { api }] of Object.entries(clients)) {
    const recs = await funding(api);
    is(recs.length, 5, `${ver}: five funding records in all`);
    is(recs[0].fundingTime, String(START_MS + 230 * MIN), `${ver}: newest first, the 12:00 settlements on top`);
    const a = await asset(api);
    isDeep(a.positionList.map((p) => [p.contractId, p.fundingFee]), [[api.contract('BTC').contractId, '1.600000'], [api.contract('SOL').contractId, '0.120000']], `${ver}: fundingFee per position`);
    // 10000 - 3.040418 - 0.74985 + 0.12 + 1.6 = 9997.929732; minus openValue 8001.1, plus 1499.7
    is(a.collateralList[0].amount, '3496.529732', `${ver}: collateral moved by exactly the funding`);
    is(a.collateralList[0].cumFundingFeeAmount, '1.720000', `${ver}: cumFundingFeeAmount 1.72`);
    const hist = (await api.get('public/funding/getFundingRatePage', { contractId: api.contract('BTC').contractId, filterSettlementFundingRate: 'true' })).json.data.dataList;
    isDeep(hist.map((r) => [r.fundingRate, r.fundingRateIntervalMin]), [['-0.00020000', '240']], `${ver}: BTC history: one settlement at its 240-minute interval`);
  }
  ok((await sim.control('GET', '/state?venue=edgex')).venues.edgex.markets.find((m) => m.symbol === 'SOL').next_funding_ms === START_MS + 230 * MIN + HOUR, 'SOL next settles at 13:00');
  await sim.stop();
});
