// edgeX contract metadata (specs/edgex.md §3.2, V.3): each engine market becomes a contract with a
// numeric contractId, a name, resolutions and asset ids, fee rates, limits and the funding
// interval. Scenario markets may set these under "dialect"; everything else gets a documented
// default. The same table serves getMetaData, the order checks (grid, limits, L2 amounts) and the
// contractId <-> symbol mapping of every endpoint.
import { parseDec, fmtDec, stepDecimals, mulDec, ONE, DecimalError } from '../../lib/decimal.mjs';
import { ScenarioError } from '../../engine/market.mjs';

const MARKET_KEYS = {
  v2: ['contract_id', 'contract_name', 'resolution', 'min_order_size', 'max_order_size', 'max_position_size', 'buy_price_ratio',
    'sell_price_ratio', 'funding_max_rate', 'funding_min_rate', 'interest_rate', 'enable_trade', 'enable_open_position', 'default_leverage'],
};
MARKET_KEYS.v1 = [...MARKET_KEYS.v2, 'synthetic_asset_id'];

// Collateral coin per API generation: v2 quotes everything in USDC, v1 (testnet docs) in USDT.
export const COLLATERAL = {
  v2: { coinId: '1000', coinName: 'USDC', resolution: 1_000_000n },
  v1: {
    coinId: '1000', coinName: 'USDT', resolution: 1_000_000n,
    assetId: '0x33bda5c923bae4e84825b74762d5482889b9512465fbffc50d1ae4b82e345c3',
  },
};

const FIRST_CONTRACT_ID = { v2: 30000001, v1: 10000001 };
const NAME_SUFFIX = { v2: 'USDC', v1: 'USD' };

function dec(v, what, opts) {
  try { return parseDec(v, { what, ...opts }); } catch (e) { throw new ScenarioError(e.message); }
}

const isHex = (s) => typeof s === 'string' && /^0x[0-9a-f]+$/.test(s) && !/^0x0[0-9a-f]/.test(s);

// StarkEx synthetic asset ids look like the ASCII of "<SYMBOL>-<resolution exponent>" padded to
// 15 bytes (BTC: "BTC2-10" -> 0x425443322d3130...); a made-up one of the same form for defaults.
function defaultSyntheticAssetId(symbol, resolution) {
  const exp = resolution.toString().length - 1;
  const bytes = Buffer.alloc(15);
  Buffer.from(`${symbol}-${exp}`.slice(0, 15), 'ascii').copy(bytes);
  return '0x' + bytes.toString('hex').replace(/^0+/, '');
}

// Builds the contract description of one engine market. index: its position in the scenario
// (for default ids). Throws ScenarioError naming the bad key.
export function contractOf(market, index, version, defaults) {
  const d = market.dialect;
  const sym = market.symbol;
  for (const k of Object.keys(d)) {
    if (!MARKET_KEYS[version].includes(k)) throw new ScenarioError(`${sym}.dialect: unknown key "${k}" for edgeX ${version}; known: ${MARKET_KEYS[version].join(', ')}`);
  }
  const str = (k, dflt) => {
    const v = d[k] ?? dflt;
    if (typeof v !== 'string') throw new ScenarioError(`${sym}.dialect.${k} must be a string`);
    return v;
  };
  const bool = (k, dflt) => {
    const v = d[k] ?? dflt;
    if (typeof v !== 'boolean') throw new ScenarioError(`${sym}.dialect.${k} must be true or false`);
    return v;
  };
  const contractId = str('contract_id', String(FIRST_CONTRACT_ID[version] + index));
  if (!/^[1-9][0-9]{0,17}$/.test(contractId)) throw new ScenarioError(`${sym}.dialect.contract_id must be a decimal id string`);
  const resolutionText = str('resolution', `1${'0'.repeat(Math.max(10, stepDecimals(market.step)))}`);
  if (!/^[1-9][0-9]*$/.test(resolutionText)) throw new ScenarioError(`${sym}.dialect.resolution must be a positive decimal integer string`);
  const resolution = BigInt(resolutionText);
  const coll = COLLATERAL[version];
  // The same refusal a client makes at start-up (V.3): every on-grid size and value must be a
  // whole number of resolution units.
  if ((market.step * resolution) % ONE !== 0n) throw new ScenarioError(`${sym}: step ${fmtDec(market.step)} x resolution ${resolution} is not an integer`);
  if ((mulDec(market.tick, market.step) * coll.resolution) % ONE !== 0n) {
    throw new ScenarioError(`${sym}: tick x step x collateral resolution is not an integer (choose a coarser grid)`);
  }
  const c = {
    symbol: sym,
    contractId,
    contractName: str('contract_name', `${sym}${NAME_SUFFIX[version]}`),
    resolution,
    minOrderSize: dec(str('min_order_size', fmtDec(market.step)), `${sym}.dialect.min_order_size`),
    maxOrderSize: dec(str('max_order_size', '1000000'), `${sym}.dialect.max_order_size`),
    maxPositionSize: dec(str('max_position_size', '10000000'), `${sym}.dialect.max_position_size`),
    buyPriceRatio: dec(str('buy_price_ratio', '0.05'), `${sym}.dialect.buy_price_ratio`),
    sellPriceRatio: dec(str('sell_price_ratio', '0.05'), `${sym}.dialect.sell_price_ratio`),
    fundingMaxRate: dec(str('funding_max_rate', '0.001'), `${sym}.dialect.funding_max_rate`, { allowNegative: true }),
    fundingMinRate: dec(str('funding_min_rate', '-0.001'), `${sym}.dialect.funding_min_rate`, { allowNegative: true }),
    interestRate: dec(str('interest_rate', '0.0003'), `${sym}.dialect.interest_rate`, { allowNegative: true }),
    enableTrade: bool('enable_trade', true),
    enableOpenPosition: bool('enable_open_position', true),
    defaultLeverage: Number(str('default_leverage', String(market.maxLeverage))),
    makerFee: market.makerFee ?? defaults.makerFee,
    takerFee: market.takerFee ?? defaults.takerFee,
  };
  if (!Number.isInteger(c.defaultLeverage) || c.defaultLeverage < 1 || c.defaultLeverage > market.maxLeverage) {
    throw new ScenarioError(`${sym}.dialect.default_leverage must be an integer from 1 to max_leverage`);
  }
  if (c.minOrderSize <= 0n || c.minOrderSize % market.step !== 0n) throw new ScenarioError(`${sym}.dialect.min_order_size must be a positive multiple of the step`);
  if (version === 'v1') {
    c.syntheticAssetId = str('synthetic_asset_id', defaultSyntheticAssetId(sym, resolution));
    if (!isHex(c.syntheticAssetId)) throw new ScenarioError(`${sym}.dialect.synthetic_asset_id must be 0x-prefixed lower-case hex without leading zeros`);
  }
  // The funding interval is counted in whole minutes on the wire (fundingRateIntervalMin).
  if (market.funding.intervalMs % 60_000 !== 0) throw new ScenarioError(`${sym}.funding.interval_ms must be whole minutes for edgeX`);
  return c;
}

// Index of all contracts of an engine: by symbol and by contractId.
export function buildContracts(engine, version, defaults) {
  const bySymbol = new Map();
  const byId = new Map();
  [...engine.markets.values()].forEach((m, i) => {
    const c = contractOf(m, i, version, defaults);
    if (byId.has(c.contractId)) throw new ScenarioError(`contract id ${c.contractId} is used twice`);
    bySymbol.set(m.symbol, c);
    byId.set(c.contractId, c);
  });
  return { bySymbol, byId };
}

// Fixed-decimal rendering as edgeX prints numbers: at least `places` decimals (padding with
// zeros, never rounding away digits), so "98755.0" on a 0.1 tick and "0.00005000" for rates.
export function pad(units, places) {
  const s = fmtDec(units);
  const dot = s.indexOf('.');
  const have = dot < 0 ? 0 : s.length - dot - 1;
  if (have >= places) return s;
  return (dot < 0 ? `${s}.` : s) + '0'.repeat(places - have);
}

export const priceText = (c, market, v) => pad(v, stepDecimals(market.tick));
export const sizeText = (market, v) => pad(v, stepDecimals(market.step));
export const moneyText = (v) => pad(v, 6);
export const rateText = (v) => pad(v, 8);
export const hexText = (n) => `0x${n.toString(16)}`;

// Parses a decimal string from a request; null when it is not a plain decimal.
export function reqDec(text, { allowNegative = false } = {}) {
  try { return parseDec(text, { allowNegative }); } catch (e) {
    if (e instanceof DecimalError) return null;
    throw e;
  }
}
