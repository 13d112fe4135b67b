// Engine state -> edgeX payloads (specs/edgex.md §3-§4; shapes as in shared/fixtures/edgex/).
// Every number is a string: prices padded to the tick's decimals, sizes to the step's, money to 6
// decimals, rates to 8 (never rounded away: exact values keep all their digits, as the venue's
// long oracle prices do). Ids are 18-digit strings above 2^53, so a client that reads them
// through a double fails here.
import { fmtDec, mulDec, divDec, absDec, roundToDecimals, ZERO, ONE } from '../../lib/decimal.mjs';
import { accruingRate } from '../../engine/market.mjs';
import { unrealizedPnl, initialMargin, liquidationPrice, summarize } from '../../engine/account.mjs';
import { pad, priceText, sizeText, moneyText, rateText, hexText } from './meta.mjs';

export const ORDER_ID_BASE = 564_000_000_000_000_000n;
export const TX_ID_BASE = 565_000_000_000_000_000n;
export const wireOrderId = (id) => String(ORDER_ID_BASE + BigInt(id));
export const wireTxId = (id) => String(TX_ID_BASE + BigInt(id));
// Engine order id of a wire id, or null when it cannot be one of ours.
export function engineOrderId(text) {
  if (typeof text !== 'string' || !/^[0-9]{1,19}$/.test(text)) return null;
  const n = BigInt(text) - ORDER_ID_BASE;
  return n > 0n && n < BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : null;
}

const ms = (n) => String(n);
const S = (v) => fmtDec(v);

// ---- market data ------------------------------------------------------------------------------
export function lastPrice(engine, m) {
  const trades = engine.publicTrades.get(m.symbol);
  if (trades.length) return trades[trades.length - 1].price;
  const book = engine.books.get(m.symbol);
  const b = book.best('buy');
  const a = book.best('sell');
  return b && a ? (b.price + a.price) / 2n : (m.mid ?? m.mark);
}

export function ticker(v, m, c, now) {
  const { engine } = v;
  const last = lastPrice(engine, m);
  const open = m.yesterdayPrice;
  const change = last - open;
  const interval = m.funding.intervalMs;
  const base = last > 0n ? divDec(m.volume24h, last, 'floor') : ZERO;
  return {
    contractId: c.contractId, contractName: c.contractName,
    priceChange: priceText(c, m, change), priceChangePercent: pad(open > 0n ? roundToDecimals(divDec(change, open), 6) : ZERO, 6),
    trades: String(engine.publicTrades.get(m.symbol).length), size: sizeText(m, roundToDecimals(base, 4)), value: pad(m.volume24h, 4),
    high: priceText(c, m, last > open ? last : open), low: priceText(c, m, last < open ? last : open), open: priceText(c, m, open),
    close: priceText(c, m, last), highTime: ms(now), lowTime: ms(now - 3_600_000), startTime: ms(now - 86_400_000), endTime: ms(now),
    lastPrice: priceText(c, m, last), indexPrice: pad(m.index, 9), oraclePrice: S(m.mark), openInterest: sizeText(m, m.openInterest),
    fundingRate: rateText(m.funding.lastRate), fundingTime: ms(m.nextFundingMs - interval), nextFundingTime: ms(m.nextFundingMs),
  };
}

// The v2 ticker.all.1s records add these fields (V.9).
export function tickerV2Extras(v, m, now) {
  return { price: S(lastPrice(v.engine, m)), markPrice: S(m.mark), predictedFundingRate: rateText(accruingRate(m, now)), marketOpen: true };
}

export function depth(v, m, c, level, version) {
  const lv = v.engine.books.get(m.symbol).levels(level);
  const row = (l) => ({ price: priceText(c, m, l.price), size: sizeText(m, l.size) });
  return {
    startVersion: String(version.start), endVersion: String(version.end), level, contractId: c.contractId, contractName: c.contractName,
    asks: lv.asks.map(row), bids: lv.bids.map(row), depthType: 'SNAPSHOT',
  };
}

function fundingCommon(m, c) {
  return {
    interestRate: pad(c.interestRate, 4), impactMarginNotional: '100',
    fundingRateIntervalMin: String(m.funding.intervalMs / 60_000),
  };
}

export function latestFunding(v, m, c, now) {
  const rate = accruingRate(m, now);
  const interval = m.funding.intervalMs;
  const computed = Math.floor(now / 60_000) * 60_000;
  const bid = v.engine.books.get(m.symbol).best('buy');
  const ask = v.engine.books.get(m.symbol).best('sell');
  return {
    contractId: c.contractId, fundingTime: ms(m.nextFundingMs - interval), fundingTimestamp: ms(computed),
    oraclePrice: S(m.mark), indexPrice: pad(m.index, 9), fundingRate: rateText(rate), isSettlement: false,
    forecastFundingRate: rateText(accruingRate(m, m.nextFundingMs - 1)), previousFundingRate: rateText(m.funding.lastRate),
    previousFundingTimestamp: ms(m.nextFundingMs - interval), premiumIndex: rateText(rate), avgPremiumIndex: rateText(rate),
    premiumIndexTimestamp: ms(computed), impactAskPrice: ask ? priceText(c, m, ask.price) : '0', impactBidPrice: bid ? priceText(c, m, bid.price) : '0',
    predictedFundingRate: rateText(accruingRate(m, m.nextFundingMs - 1)), ...fundingCommon(m, c), starkExFundingIndex: S(m.mark),
  };
}

export function settledFunding(m, c, rec) {
  return {
    contractId: c.contractId, fundingTime: ms(rec.at), fundingTimestamp: ms(rec.at), oraclePrice: S(rec.price), indexPrice: pad(rec.price, 9),
    fundingRate: rateText(rec.rate), isSettlement: true, forecastFundingRate: '', previousFundingRate: rateText(rec.rate),
    previousFundingTimestamp: ms(rec.at - 60_000), premiumIndex: rateText(rec.rate), avgPremiumIndex: rateText(rec.rate), premiumIndexTimestamp: ms(rec.at),
    impactAskPrice: S(rec.price), impactBidPrice: S(rec.price), predictedFundingRate: rateText(rec.rate), ...fundingCommon(m, c),
    starkExFundingIndex: S(rec.price),
  };
}

export function publicTrade(m, c, t) {
  return {
    ticketId: wireTxId(t.id), time: ms(t.at), price: priceText(c, m, t.price), size: sizeText(m, t.qty), value: moneyText(mulDec(t.price, t.qty)),
    takerOrderId: '0', makerOrderId: '0', takerAccountId: t.taker ?? '0', makerAccountId: '0', contractId: c.contractId,
    isBestMatch: true, isBuyerMaker: t.takerSide === 'sell',
  };
}

// ---- account ----------------------------------------------------------------------------------
const emptyTpsl = () => ({
  side: 'UNKNOWN_ORDER_SIDE', price: '', size: '', clientOrderId: '', triggerPrice: '', triggerPriceType: 'UNKNOWN_PRICE_TYPE',
  expireTime: '0', l2Nonce: '0', l2Value: '', l2Size: '', l2LimitFee: '', l2ExpireTime: '0', l2Signature: { r: '', s: '', v: '' },
});

function cancelReason(o) {
  if (o.status !== 'cancelled' && o.status !== 'rejected') return 'UNKNOWN_ORDER_CANCEL_REASON';
  switch (o.reason) {
    case 'cancel': return o.tif === 'IOC' || o.tif === 'FOK' ? 'COULD_NOT_FILL' : 'USER_CANCELED';
    case 'fok_unfilled': return 'COULD_NOT_FILL';
    case 'reduce_only_rejected': return 'REDUCE_ONLY_CANCELED';
    case 'post_only_rejected': return 'POST_ONLY_WOULD_TRADE';
    case 'self_trade_prevented': return 'SELF_TRADE_CANCELED';
    default: return 'UNKNOWN_ORDER_CANCEL_REASON';
  }
}

const STATUS = { open: 'OPEN', partially_filled: 'OPEN', filled: 'FILLED', cancelled: 'CANCELED', rejected: 'CANCELED' };

function l2SignatureObject(text) {
  const hex = text.startsWith('0x') ? text.slice(2) : text;
  return { r: `0x${hex.slice(0, 64)}`, s: `0x${hex.slice(64, 128)}`, v: hex.length > 128 ? String(parseInt(hex.slice(128), 16)) : '' };
}

export function order(v, o) {
  const { engine } = v;
  const m = engine.markets.get(o.symbol);
  const c = v.contracts().bySymbol.get(o.symbol);
  const acct = engine.accounts.get(o.account);
  const meta = o.meta;
  const fills = engine.trades.filter((t) => t.orderId === o.id && t.account === o.account);
  const fee = fills.reduce((s, t) => s + t.fee, ZERO);
  const pnl = fills.reduce((s, t) => s + t.realized - t.fee, ZERO);
  const prices = fills.map((t) => t.price);
  return {
    id: wireOrderId(o.id), userId: o.account, accountId: o.account, coinId: v.collateral.coinId, contractId: c.contractId,
    side: o.side === 'buy' ? 'BUY' : 'SELL', price: meta.type === 'MARKET' ? '0' : priceText(c, m, meta.price), size: sizeText(m, o.amount),
    clientOrderId: o.clientId, type: meta.type, timeInForce: meta.timeInForce, reduceOnly: o.reduceOnly,
    triggerPrice: '0', triggerPriceType: 'UNKNOWN_PRICE_TYPE', expireTime: meta.expireTime, sourceKey: '', isPositionTpsl: false,
    isLiquidate: false, isDeleverage: false, openTpslParentOrderId: '0', isSetOpenTp: false, openTp: emptyTpsl(), isSetOpenSl: false, openSl: emptyTpsl(),
    isWithoutMatch: false, withoutMatchFillSize: '0', withoutMatchFillValue: '0', withoutMatchPeerAccountId: '0', withoutMatchPeerOrderId: '0',
    maxLeverage: String(acct.leverageFor(m)), takerFeeRate: pad(meta.takerFeeRate, 6), makerFeeRate: pad(meta.makerFeeRate, 6), liquidateFeeRate: '0.01',
    marketLimitPrice: meta.type === 'MARKET' ? priceText(c, m, o.price) : '0', marketLimitValue: meta.type === 'MARKET' ? meta.l2Value : '0',
    l2Nonce: meta.l2Nonce, l2Value: meta.l2Value, l2Size: meta.l2Size, l2LimitFee: meta.l2LimitFee, l2ExpireTime: meta.l2ExpireTime,
    l2Signature: l2SignatureObject(meta.l2Signature), extraType: '', extraDataJson: '',
    status: STATUS[o.status], matchSequenceId: String(o.id), triggerTime: '0', triggerPriceTime: '0', triggerPriceValue: '0',
    cancelReason: cancelReason(o), cumFillSize: sizeText(m, o.filled), cumFillValue: moneyText(o.notionalFilled), cumFillFee: moneyText(fee),
    maxFillPrice: prices.length ? priceText(c, m, prices.reduce((a, b) => (a > b ? a : b))) : '0',
    minFillPrice: prices.length ? priceText(c, m, prices.reduce((a, b) => (a < b ? a : b))) : '0',
    cumLiquidateFee: '0', cumRealizePnl: moneyText(pnl), cumMatchSize: sizeText(m, o.filled), cumMatchValue: moneyText(o.notionalFilled),
    cumMatchFee: moneyText(fee), cumFailSize: '0', cumFailValue: '0', cumFailFee: '0', cumApprovedSize: sizeText(m, o.filled),
    cumApprovedValue: moneyText(o.notionalFilled), cumApprovedFee: moneyText(fee), createdTime: ms(o.createdAt), updatedTime: ms(o.updatedAt),
  };
}

export function fill(v, t) {
  const m = v.engine.markets.get(t.symbol);
  const c = v.contracts().bySymbol.get(t.symbol);
  const value = mulDec(t.qty, t.price);
  return {
    id: wireTxId(t.historyId), userId: t.account, accountId: t.account, coinId: v.collateral.coinId, contractId: c.contractId,
    orderId: wireOrderId(t.orderId), orderSide: t.side === 'buy' ? 'BUY' : 'SELL', fillSize: sizeText(m, t.qty), fillValue: moneyText(value),
    fillFee: moneyText(t.fee), fillPrice: priceText(c, m, t.price), liquidateFee: '0', realizePnl: moneyText(t.realized - t.fee),
    direction: t.role === 'maker' ? 'MAKER' : 'TAKER', isPositionTpsl: false, isLiquidate: false, isDeleverage: false, isWithoutMatch: false,
    matchSequenceId: String(t.historyId), matchIndex: 0, matchTime: ms(t.at), matchAccountId: '0', matchOrderId: '0', matchFillId: `sim-fill-${t.historyId}`,
    positionTransactionId: wireTxId(t.historyId), collateralTransactionId: wireTxId(t.historyId), extraType: '', extraDataJson: '',
    censorStatus: 'CENSOR_SUCCESS', censorTxId: String(t.historyId), censorTime: ms(t.at), censorFailCode: '', censorFailReason: '',
    l2TxId: String(t.historyId), l2RejectTime: '0', l2RejectCode: '', l2RejectReason: '', l2ApprovedTime: '0', createdTime: ms(t.at), updatedTime: ms(t.at),
  };
}

// Position transactions: fills (BUY_POSITION / SELL_POSITION) and funding (SETTLE_FUNDING_FEE).
export function positionTransaction(v, rec) {
  const m = v.engine.markets.get(rec.symbol);
  const c = v.contracts().bySymbol.get(rec.symbol);
  const common = { id: wireTxId(rec.historyId), userId: rec.account, accountId: rec.account, coinId: v.collateral.coinId, contractId: c.contractId };
  if (rec.payout !== undefined) {
    const signed = rec.side === 'buy' ? rec.size : -rec.size;
    return {
      ...common, type: 'SETTLE_FUNDING_FEE', deltaOpenSize: '0', deltaOpenValue: '0', deltaOpenFee: '0', deltaFundingFee: moneyText(rec.payout),
      fillCloseSize: '0', fillCloseValue: '0', fillCloseFee: '0', fillOpenSize: '0', fillOpenValue: '0', fillOpenFee: '0', fillPrice: '0',
      realizePnl: moneyText(rec.payout), fundingTime: ms(rec.at), fundingRate: rateText(rec.rate), fundingIndexPrice: S(rec.price),
      fundingOraclePrice: S(rec.price), fundingPositionSize: sizeText(m, signed), orderId: '0', orderFillTransactionId: '0',
      createdTime: ms(rec.at), updatedTime: ms(rec.at),
    };
  }
  const sign = rec.side === 'buy' ? 1n : -1n;
  return {
    ...common, type: rec.side === 'buy' ? 'BUY_POSITION' : 'SELL_POSITION', deltaOpenSize: sizeText(m, sign * rec.qty),
    deltaOpenValue: moneyText(sign * mulDec(rec.openedQty, rec.price) - sign * mulDec(rec.closedQty, rec.entryBefore)), deltaOpenFee: moneyText(-rec.fee),
    deltaFundingFee: '0', fillCloseSize: sizeText(m, sign * rec.closedQty), fillCloseValue: moneyText(sign * mulDec(rec.closedQty, rec.price)),
    fillCloseFee: moneyText(rec.closedQty > 0n ? -rec.fee : ZERO), fillOpenSize: sizeText(m, sign * rec.openedQty),
    fillOpenValue: moneyText(sign * mulDec(rec.openedQty, rec.price)), fillOpenFee: moneyText(rec.closedQty > 0n ? ZERO : -rec.fee),
    fillPrice: priceText(c, m, rec.price), realizePnl: moneyText(rec.realized - rec.fee), fundingTime: '0', fundingRate: '0',
    fundingIndexPrice: '0', fundingOraclePrice: '0', fundingPositionSize: '0', orderId: wireOrderId(rec.orderId),
    orderFillTransactionId: wireTxId(rec.historyId), createdTime: ms(rec.at), updatedTime: ms(rec.at),
  };
}

function tradeSetting(rateTaker, rateMaker, isSetFee, lev) {
  return {
    isSetFeeRate: isSetFee, takerFeeRate: isSetFee ? pad(rateTaker, 6) : '0', makerFeeRate: isSetFee ? pad(rateMaker, 6) : '0',
    isSetFeeDiscount: false, takerFeeDiscount: '0', makerFeeDiscount: '0', isSetMaxLeverage: lev !== null, maxLeverage: lev === null ? '0' : String(lev),
  };
}

export function accountObject(v, acct) {
  const d = acct.dialect ?? {};
  const perContract = {};
  for (const [sym, s] of acct.settings) perContract[v.contracts().bySymbol.get(sym).contractId] = tradeSetting(ZERO, ZERO, false, s.leverage);
  return {
    id: acct.id, userId: acct.id, ethAddress: d.eth_address ?? '', l2Key: d.l2_key ?? '', l2KeyYCoordinate: d.l2_key_y ?? '',
    clientAccountId: d.client_account_id ?? 'main', isSystemAccount: false,
    defaultTradeSetting: tradeSetting(acct.takerFee, acct.makerFee, Boolean(acct.feesExplicit), null),
    contractIdToTradeSetting: perContract, maxLeverageLimit: '0', createOrderPerMinuteLimit: 0, createOrderDelayMillis: 0,
    extraType: '', extraDataJson: '', status: 'NORMAL', isLiquidating: false, createdTime: ms(v.createdMs), updatedTime: ms(acct.updatedAt),
  };
}

function openValue(pos) { return mulDec(pos.size, pos.entry); }

export function position(v, acct, sym) {
  const m = v.engine.markets.get(sym);
  const c = v.contracts().bySymbol.get(sym);
  const pos = acct.positions.get(sym);
  const size = pos ? pos.size : ZERO;
  const stat = () => ({ cumOpenSize: '0', cumOpenValue: '0', cumOpenFee: '0', cumCloseSize: '0', cumCloseValue: '0', cumCloseFee: '0', cumFundingFee: '0', cumLiquidateFee: '0' });
  return {
    userId: acct.id, accountId: acct.id, coinId: v.collateral.coinId, contractId: c.contractId, openSize: sizeText(m, size),
    openValue: moneyText(pos ? roundToDecimals(openValue(pos), 6) : ZERO), openFee: moneyText(pos ? -pos.fees : ZERO),
    fundingFee: moneyText(pos ? pos.funding : ZERO), longTermCount: size > 0n ? 1 : 0, longTermStat: stat(), longTermCreatedTime: '0',
    longTermUpdatedTime: '0', shortTermCount: size < 0n ? 1 : 0, shortTermStat: stat(), shortTermCreatedTime: '0', shortTermUpdatedTime: '0',
    longTotalStat: stat(), shortTotalStat: stat(), createdTime: ms(pos ? pos.createdAt : 0), updatedTime: ms(pos ? pos.updatedAt : 0),
  };
}

export function positionAsset(v, acct, sym) {
  const { engine } = v;
  const m = engine.markets.get(sym);
  const c = v.contracts().bySymbol.get(sym);
  const pos = acct.positions.get(sym);
  if (!pos) {
    return {
      userId: acct.id, accountId: acct.id, coinId: v.collateral.coinId, contractId: c.contractId, positionValue: '0', maxLeverage: String(acct.leverageFor(m)),
      initialMarginRequirement: '0', starkExRiskRate: '0', starkExRiskValue: '0', avgEntryPrice: '0', liquidatePrice: '0', bankruptPrice: '0',
      worstClosePrice: '0', unrealizePnl: '0', termRealizePnl: '0', totalRealizePnl: '0',
    };
  }
  const liq = liquidationPrice(acct, m, pos, engine.markets);
  return {
    userId: acct.id, accountId: acct.id, coinId: v.collateral.coinId, contractId: c.contractId, positionValue: S(mulDec(pos.size, m.mark)),
    maxLeverage: String(acct.leverageFor(m)), initialMarginRequirement: S(initialMargin(pos, m, acct)),
    starkExRiskRate: S(divDec(m.maintenanceFraction, BigInt(acct.leverageFor(m)) * ONE)), starkExRiskValue: '0',
    avgEntryPrice: S(pos.entry), liquidatePrice: liq === null ? '0' : priceText(c, m, liq), bankruptPrice: '0', worstClosePrice: '0',
    unrealizePnl: S(unrealizedPnl(pos, m.mark)), termRealizePnl: moneyText(pos.realizedPnl), totalRealizePnl: moneyText(pos.realizedPnl),
  };
}

export function collateral(v, acct) {
  let amount = acct.balance;
  for (const pos of acct.positions.values()) amount -= openValue(pos);
  const funding = v.engine.fundingPayments.filter((f) => f.account === acct.id).reduce((s, f) => s + f.payout, ZERO);
  const fees = v.engine.trades.filter((t) => t.account === acct.id).reduce((s, t) => s + t.fee, ZERO);
  return {
    userId: acct.id, accountId: acct.id, coinId: v.collateral.coinId, amount: S(amount), legacyAmount: S(amount), cumDepositAmount: '0',
    cumWithdrawAmount: '0', cumTransferInAmount: '0', cumTransferOutAmount: '0', cumPositionBuyAmount: '0', cumPositionSellAmount: '0',
    cumFillFeeAmount: moneyText(-fees), cumFundingFeeAmount: moneyText(funding), cumFillFeeIncomeAmount: '0',
    createdTime: ms(v.createdMs), updatedTime: ms(acct.updatedAt),
  };
}

export function collateralAsset(v, acct) {
  const { engine } = v;
  const s = summarize(acct, engine.markets, engine.openOrders(acct.id));
  let absValue = ZERO;
  for (const pos of acct.positions.values()) absValue += absDec(mulDec(pos.size, engine.markets.get(pos.symbol).mark));
  return {
    userId: acct.id, accountId: acct.id, coinId: v.collateral.coinId, totalEquity: S(s.equity), totalPositionValueAbs: S(absValue),
    initialMarginRequirement: S(s.marginUsed), starkExRiskValue: S(s.mmr), pendingWithdrawAmount: '0', pendingTransferOutAmount: '0',
    orderFrozenAmount: S(s.ordersMargin), availableAmount: S(s.available),
  };
}

// Contracts listed in positionAssetList: every open position, plus (like the live venue) a flat
// row for each contract the account has a setting on.
export function positionAssetSymbols(acct) {
  return [...new Set([...acct.positions.keys(), ...acct.settings.keys()])];
}

export function accountAsset(v, acct) {
  return {
    account: accountObject(v, acct),
    collateralList: [collateral(v, acct)],
    positionList: [...acct.positions.keys()].map((sym) => position(v, acct, sym)),
    version: String(v.accountVersion(acct.id)),
    positionAssetList: positionAssetSymbols(acct).map((sym) => positionAsset(v, acct, sym)),
    collateralAssetModelList: [collateralAsset(v, acct)],
  };
}

// ---- metadata -----------------------------------------------------------------------------------
export function metadata(v) {
  const coll = v.collateral;
  const coin = v.version === 'v2'
    ? { coinId: coll.coinId, coinName: coll.coinName, stepSize: '0.000001', showStepSize: '0.0001', iconUrl: '', resolution: String(coll.resolution), starkExAssetId: null, starkExResolution: null }
    : { coinId: coll.coinId, coinName: coll.coinName, stepSize: '0.000001', showStepSize: '0.0001', iconUrl: '', starkExAssetId: coll.assetId, starkExResolution: hexText(coll.resolution) };
  const global = {
    appName: 'edgeX', appEnv: 'simulator', appOnlySignOn: '', feeAccountId: '0', feeAccountL2Key: '0x0', starkExCollateralCoin: coin,
    starkExMaxFundingRate: 1120, starkExOrdersTreeHeight: 64, starkExPositionsTreeHeight: 64, starkExFundingValidityPeriod: 604800,
    starkExPriceValidityPeriod: 31536000, maintenanceReason: '',
  };
  if (v.version === 'v2') Object.assign(global, { nativeChainId: v.options.chain_id, chainId: v.options.chain_id, contractAddress: v.options.contract_address });
  const contracts = [...v.engine.markets.values()].map((m, i) => {
    const c = v.contracts().bySymbol.get(m.symbol);
    const mmr = divDec(m.maintenanceFraction, BigInt(m.maxLeverage) * ONE);
    const row = {
      contractId: c.contractId, contractName: c.contractName, baseCoinId: String(1001 + i), quoteCoinId: coll.coinId,
      tickSize: S(m.tick), stepSize: S(m.step), minOrderSize: S(c.minOrderSize), maxOrderSize: S(c.maxOrderSize),
      maxOrderBuyPriceRatio: S(c.buyPriceRatio), minOrderSellPriceRatio: S(c.sellPriceRatio), maxPositionSize: S(c.maxPositionSize),
      riskTierList: [{ tier: 1, positionValueUpperBound: '79228162514264337593543', maxLeverage: String(m.maxLeverage), maintenanceMarginRate: S(mmr), starkExRisk: '0', starkExUpperBound: '0' }],
      defaultTakerFeeRate: S(c.takerFee), defaultMakerFeeRate: S(c.makerFee), defaultLeverage: String(c.defaultLeverage), liquidateFeeRate: '0.01',
      enableTrade: c.enableTrade, enableDisplay: true, enableOpenPosition: c.enableOpenPosition, fundingInterestRate: S(c.interestRate),
      fundingImpactMarginNotional: '10', fundingMaxRate: S(c.fundingMaxRate), fundingMinRate: S(c.fundingMinRate),
      fundingRateIntervalMin: String(m.funding.intervalMs / 60_000), displayDigitMerge: S(m.tick), displayMaxLeverage: String(m.maxLeverage),
      displayMinLeverage: '1', displayNewIcon: false, displayHotIcon: false, matchServerName: 'edgex-sim',
    };
    if (v.version === 'v2') row.resolution = String(c.resolution);
    else Object.assign(row, { starkExSyntheticAssetId: c.syntheticAssetId, starkExResolution: hexText(c.resolution) });
    return row;
  });
  const coins = [coin, ...[...v.engine.markets.values()].map((m, i) => ({ coinId: String(1001 + i), coinName: m.symbol, stepSize: S(m.step), showStepSize: S(m.step), iconUrl: '', starkExAssetId: null, starkExResolution: null }))];
  return { global, coinList: coins, contractList: contracts };
}

