-- edgex.parse and the unified shapes of venues.edgex, static: real venue payloads
-- (shared/fixtures/edgex) in, Lua tables out; the long decimals of live payloads; error bodies
-- classified; bad payloads give nil and a message naming the member, never an error.
local D = require "hedge.decimal"
local ep = require "edgex.parse"
local E = require "venues.edgex"
local t = require "lib.tap"

local S = E.shapes
local payload_text = require("lib.fixtures").payload_reader("edgex")

-- ---- metadata -> markets -------------------------------------------------------------------------
local r = assert(ep.response("metadata", payload_text("markets__metadata_btc_eth_testnet_docs.json")))
t.ok(r.success and r.code == "SUCCESS", "metadata: a success envelope")
local meta = r.data
t.is(#meta.contracts, 2, "two contracts")
local btc = meta.contracts[1]
t.ok(btc.symbol == "BTC" and btc.contract_id == "10000001" and btc.name == "BTCUSDT", "BTC: symbol from the name, id as text")
t.ok(btc.funding_interval_min == 240 and btc.max_leverage == 100, "funding interval 240 min, leverage of the first risk tier")
t.is(meta.collateral.stark_asset_id, "0x33bda5c923bae4e84825b74762d5482889b9512465fbffc50d1ae4b82e345c3", "collateral asset id")
local m = S.market(btc, meta.collateral)
t.ok(m.tick == D("0.1") and m.step == D("0.001") and m.min_size == D("0.001") and m.max_size == D("50"), "unified market: tick, step, sizes")
t.ok(m.funding_interval_ms == 14400000 and m.taker_fee == D("0.00055") and m.quote == "USDT", "4-hour funding, taker fee, quote coin")
t.ok(m.min_notional == D("0") and m.info.contractName == "BTCUSDT", "no minimum notional on edgeX; raw row under info")
t.is(ep.symbol_of("1000PEPEUSDC"), "1000PEPE", "symbol_of keeps the multiplier, drops the quote")

-- ---- funding, ticker, depth ------------------------------------------------------------------------
r = assert(ep.response("funding", payload_text("funding_rates__latest_btcusdt_testnet_docs.json")))
local f = S.funding(r.data[1], m)
t.ok(f.rate == -0.00005537 and f.last_rate == 0.00000567 and f.predicted_rate == -0.00012293, "funding: live rate, last, forecast")
t.ok(f.next_funding_ms == 1734595200000 + 14400000 and f.interval_ms == 14400000, "next settlement = interval start + 4 h")
t.ok(math.abs(f.apr - (-0.00005537 * 2190)) < 1e-12, "APR = rate x 2190 for a 240-minute interval")
r = assert(ep.response("funding_page", payload_text("funding_history__settled_page_btcusdt_testnet_docs.json")))
t.ok(r.data.next_offset == "0880A08A97B532" and r.data.list[1].forecast_funding_rate == nil, "history page: cursor; an empty forecast is nil")
local hype = { symbol = "HYPE", funding_interval_ms = 14400000 }
r = assert(ep.response("tickers", payload_text("ticker__hypeusd_mainnet_live.json")))
local tk = S.ticker(r.data[1], hype)
t.ok(tk.mark == D("50.02385727129876613616943359375") and tk.last == D("50.010") and tk.index == D("49.957"), "ticker: oracle as mark, last, index")
t.ok(tk.volume_24h == D("81580293.49492") and tk.volume_24h_base == D("1635351.27"), "24 h volume in quote (USD) and base units")
r = assert(ep.response("depth", payload_text("order_book__depth15_btcusdt_testnet_docs.json")))
local book = S.book(r.data[1], m, 2)
t.ok(#book.bids == 2 and book.bids[1].price == D("101695.5") and book.asks[1].size == D("0.579"), "book: best levels, depth honoured")
t.ok(r.data[1].start_version == 201223746 and r.data[1].snapshot, "versions and the snapshot flag")

-- ---- account ----------------------------------------------------------------------------------------
r = assert(ep.response("account_asset", payload_text("positions__account_asset_short_hype_mainnet_live.json")))
local a = r.data
local assets = {}
for _, pa in ipairs(a.position_assets) do assets[pa.contract_id] = pa end
local pos = S.position(a.positions[1], assets["10000072"], hype)
t.ok(pos.side == "short" and pos.size == D("6.21") and pos.signed_size == D("-6.21") and pos.entry_price == D("49.144"), "short HYPE: side, size, entry")
t.ok(pos.funding == D("0.317409") and pos.liquidation_price == D("63.277") and pos.leverage == 3, "funding received, liquidation price, leverage")
local bal = assert(S.balance(a, "1000", "USDT"))
-- initialMarginRequirement has 40 significant digits: more than an exact decimal holds
t.is(tostring(bal.margin_used), "103.993546425055819564", "a 40-digit margin is rounded half-even to 18 places")
t.ok(bal.equity == D("100.611161743881285190582275390625") and bal.available == D("0"), "equity exact, available 0")
t.ok(S.dec("0.0000000000000000000000000000000000000000000000000000000000000") == D("0"), "60 zero decimals read as 0")
-- 39 significant digits: too many for an exact decimal, so rounded to 18 places, ties to even
t.is(tostring(S.dec("-12345678901234567890.0000000000000000005")), "-12345678901234567890", "a tie rounds to even (down)")
t.is(tostring(S.dec("12345678901234567890.0000000000000000015")), "12345678901234567890.000000000000000002", "a tie rounds to even (up)")
t.is(tostring(S.dec("12345678901234567890.0000000000000000016")), "12345678901234567890.000000000000000002", "above the tie rounds up")
t.is(a.account.settings["10000072"].max_leverage, "3", "per-contract settings by contract id")
r = assert(ep.response("account_asset", payload_text("balance__account_asset_flat_mainnet_live.json")))
t.is(S.position(r.data.positions[1] or { open_size = "0", open_value = "0" }, nil, hype), nil, "a flat account has no position")

r = assert(ep.response("order_page", payload_text("open_orders__active_order_page_testnet_docs.json")))
local o = S.order(r.data.list[1], m)
t.ok(o.id == "564815695875932430" and o.client_id == "553364074986685" and o.status == "open" and o.tif == "gtc", "order: ids as text, open, gtc")
t.ok(o.size == D("0.001") and o.filled == D("0") and o.remaining == D("0.001") and o.reason == nil, "order: size, filled, remaining")
r = assert(ep.response("fill_page", payload_text("account_trades__order_fill_page_testnet_docs.json")))
local fill = S.fill(r.data.list[1], m)
t.ok(fill.role == "maker" and fill.fee == D("0.017540") and fill.side == "buy", "fill: maker, fee paid, buy")
r = assert(ep.response("cancel", payload_text("cancel_result__cancel_by_id_testnet_docs.json")))
t.ok(r.data.results[1].id == "564827797948727434" and r.data.results[1].ok, "cancel: per-order result")
r = assert(ep.response("create_order", payload_text("order_result__create_order_testnet_docs.json")))
t.is(r.data.order_id, "564814927928230158", "createOrder: order id as text")

-- ---- WebSocket frames -----------------------------------------------------------------------------------
local frame = assert(ep.ws(payload_text("ws_order_book__depth_snapshot_schematic_docs.json")))
t.ok(frame.type == "quote" and frame.kind == "depth" and frame.snapshot and frame.data[1].bids[1].price == "26092", "depth frame: [price, size] levels")
t.is(frame.data[1].start_version, nil, "the docs' placeholder version \"string\" reads as no version")
frame = assert(ep.ws(payload_text("ws_account__trade_event_envelope_docs.json")))
t.ok(frame.type == "trade_event" and frame.event == "ACCOUNT_UPDATE" and frame.version == 1000 and #frame.data.order == 0, "trade-event envelope")
frame = assert(ep.ws('{"type":"ping","time":"1734597720000"}'))
t.ok(frame.type == "ping" and frame.time == "1734597720000", "ping: time kept verbatim for the pong")
frame = assert(ep.ws('{"type":"error","content":{"code":"INVALID_CONTRACT_ID","msg":"no such contract"}}'))
t.ok(frame.type == "error" and frame.error_code == "INVALID_CONTRACT_ID", "error frame")
t.is(assert(ep.ws('{"type":"something-new"}')).type, "other", "an unknown frame type is not an error")

-- ---- errors -------------------------------------------------------------------------------------------
local function kind(body, status) return ep.error(body, status).kind end
t.is(kind('{"code":"INSUFFICIENT_BALANCE","msg":"insufficient balance","data":null}', 200), "insufficient_funds", "INSUFFICIENT_BALANCE")
t.is(kind('{"code":"ORDER_NOT_FOUND","msg":"x","data":null}', 200), "order_not_found", "ORDER_NOT_FOUND")
t.is(kind('{"code":"INVALID_API_KEY","msg":"x","data":null}', 401), "auth", "INVALID_API_KEY")
t.is(kind('{"code":"REQUEST_EXPIRED","msg":"x","data":null}', 401), "auth", "a clock refusal is auth")
t.is(kind('{"code":"INVALID_L2_SIGNATURE","msg":"x","data":null}', 400), "auth", "an order signature refusal is auth")
t.is(kind('{"code":"RATE_LIMIT_EXCEEDED","msg":"x","data":null}', 429), "rate_limited", "429")
t.is(kind('{"code":"INVALID_PARAMETER","msg":"contract 9 not found","data":null}', 400), "bad_symbol", "unknown contract")
t.is(kind('{"code":"INVALID_PARAMETER","msg":"size too small","data":null}', 400), "invalid_order", "a refused parameter")
t.is(kind("<html>502 Bad Gateway</html>", 502), "unavailable", "a gateway page")
t.is(kind("", 200), "bad_response", "an empty 200")
local e = ep.error('{"code":"ACCOUNT_UPDATE_LEVERAGE_FAILED_ORDER","msg":"open orders","data":null}', 200)
t.ok(e.kind == "invalid_order" and e.code == "ACCOUNT_UPDATE_LEVERAGE_FAILED_ORDER" and e.msg:find("open orders", 1, true), "code and the venue's words")

-- ---- bad payloads: nil and a message naming the member --------------------------------------------------
local function refused(kind, body, needle, what)
  local ok, value, err = pcall(ep.response, kind, body)
  t.ok(ok and value == nil and type(err) == "string" and err:find(needle, 1, true), what .. " (" .. tostring(err) .. ")")
end
refused("metadata", '{"code":"SUCCESS","data":{"contractList":[{"contractId":"1","contractName":"XUSD","quoteCoinId":"1000","stepSize":"1","minOrderSize":"1","fundingRateIntervalMin":"60","enableTrade":true}]}}',
  "contractList[0].tickSize", "metadata without tickSize")
refused("metadata", '{"code":"SUCCESS","data":{"contractList":[{"contractId":"1","contractName":"XUSD","quoteCoinId":"1000","tickSize":0.1,"stepSize":"1","minOrderSize":"1","fundingRateIntervalMin":"60","enableTrade":true}]}}',
  "tickSize: is a JSON float", "a float tick size")
refused("metadata", '{"code":"SUCCESS","data":{"contractList":[{"contractId":"1","contractName":"XUSD","quoteCoinId":"1000","tickSize":"0.1","stepSize":"1","minOrderSize":"1","fundingRateIntervalMin":"0","enableTrade":true}]}}',
  "fundingRateIntervalMin", "a zero funding interval")
refused("tickers", '{"code":"SUCCESS","data":[{"contractId":564814927928230158}]}', "contractId: is a JSON number", "an id sent as a number")
refused("depth", '{"code":"SUCCESS","data":[{"contractId":"1","bids":[{"price":null,"size":"1"}],"asks":[]}]}', "bids[0].price: is null", "a null price")
refused("depth", '{"code":"SUCCESS","data":[{"contractId":"1","bids":[["1e5","1"]],"asks":[]}]}', "not a plain decimal", "an exponent in a price")
refused("account_asset", '{"code":"SUCCESS","data":{"collateralList":[],"positionList":[]}}', "collateralAssetModelList", "no collateral model")
refused("order_page", '{"code":"SUCCESS","data":{"dataList":[{"id":"1"}],"nextPageOffsetData":""}}', "orders[0].contractId: is missing", "an order without its fields")
refused("create_order", '{"code":"SUCCESS","data":{}}', "orderId", "createOrder without an order id")
refused("cancel", '{"code":"SUCCESS","data":{"cancelResultMap":{"1":7}}}', "cancelResultMap", "a cancel result that is not text")
refused("metadata", '{"code":"SUCCESS"}', "data: is missing", "a success without data")
refused("metadata", "<html>", "not JSON", "not JSON")
refused("metadata", '{"data":{}}', "code", "an envelope without code")
r = assert(ep.response("metadata", '{"code":"SIGNATURE_ERROR","msg":"bad","data":null}'))
t.ok(r.success == false and r.code == "SIGNATURE_ERROR" and r.data == nil, "a refusal envelope parses with success = false")
t.raises(function() ep.response("nonsense", "{}") end, "unknown kind", "an unknown kind raises")
t.raises(function() ep.response("metadata") end, "string expected", "a missing body raises")

t.done()
