-- lighter.parse and the unified shapes of venues.lighter, static: real venue payloads
-- (shared/fixtures/lighter) in, Lua tables out, through the literal-preserving C loader; bad
-- payloads give nil and a message naming the member, never an error.
local D = require "hedge.decimal"
local lp = require "lighter.parse"
local L = require "venues.lighter"
local t = require "lib.tap"

local payload_text = require("lib.fixtures").payload_reader("lighter")

-- A client object that only converts (no network), with ETH and LTC known.
local v = assert(L.new { rest = "http://127.0.0.1:9/api/v1", read_only = true, account_index = 715085 })
v._by_id = { [0] = { symbol = "ETH" }, [35] = { symbol = "LTC" } }

-- markets ------------------------------------------------------------------------------------------------
local r = assert(lp.response("markets", payload_text("markets__orderbooks_eth_mainnet.json")))
t.is(r.code, 200, "code 200")
local m = L.to_market(r.data[1])
t.ok(m.symbol == "ETH" and m.id == 0 and m.tick == D("0.01") and m.step == D("0.0001"), "unified market: ETH id 0, tick 0.01, step 0.0001")
t.ok(m.min_size == D("0.005") and m.min_notional == D("10") and m.max_notional == D("281474976.710655"), "minimum size and notional, maximum notional")
t.ok(m.type == "perpetual" and m.funding_interval_ms == 3600000 and m.info.symbol == "ETH", "perpetual, hourly funding, info")
r = assert(lp.response("markets", payload_text("ticker__orderbookdetails_eth_ccxt.json")))
m = L.to_market(r.data[1])
t.ok(m.max_leverage == 50 and m.default_initial_margin_fraction == 500, "details: max leverage 50 from IMF 200, default 20x")
t.ok(m.volume_24h == D("1671431095.263844") and m.last_price == D("3550.69"), "details: 24h volume and last price exact from JSON numbers")
t.is(m.max_notional, nil, "an empty order_quote_limit is no maximum, not an error")

-- funding ------------------------------------------------------------------------------------------------
r = assert(lp.response("funding_rates", payload_text("funding_rates__funding_rates_eth_ccxt.json")))
t.is(r.data[1].rate, "0.00009599999999999999", "funding-rates: the literal, exponent written out")
local F = require "venues.lighter_funding"
local per_hour = F.hourly(r.data[1].rate, "fraction_per_8h")
t.ok(math.abs(per_hour - 0.000012) < 1e-15, "read as an 8-hour fraction: 0.000012 per hour")
r = assert(lp.response("fundings", payload_text("funding_history__fundings_eth_1h.json")))
t.ok(#r.data == 2 and r.resolution == "1h" and r.data[1].direction == "long" and r.data[2].direction == "short", "fundings: two rows, paying sides")
t.ok(D(r.data[1].value):div(D(r.data[1].rate), 18, "half_even") * D("100") > D("2200"), "value / (rate %) is the ETH price: the percent unit")

-- book ---------------------------------------------------------------------------------------------------
r = assert(lp.response("book_orders", payload_text("order_book__orderbookorders_eth_mainnet.json")))
t.ok(r.data.bids[1].price == "2361.17" and r.data.bids[1].size == "3.4125" and r.data.asks[1].order_index == 281476929689581, "book orders: price, remaining size, order index")

-- account ------------------------------------------------------------------------------------------------
r = assert(lp.response("accounts", payload_text("positions__account_1077_eth_long_ccxt.json")))
local p = v:_to_position(r.data[1].positions[1])
t.ok(p.symbol == "ETH" and p.side == "long" and p.size == D("18.0193") and p.entry_price == D("2669.84"), "position: ETH long 18.0193 at 2669.84")
t.ok(p.leverage == 20 and p.margin_mode == "cross" and p.liquidation_price == D("2191.1107231380406"), "leverage 20 from IMF 5.00 %, cross, liquidation price")
t.ok(p.mark_price == assert(D("54306.566340"):div(D("18.0193"), 18, "half_even")):normalize(), "mark = position value / size")
r = assert(lp.response("accounts", payload_text("balance__account_zero_valued_nautilus.json")))
t.ok(#r.data[1].positions == 1 and r.data[1].positions[1].open == false, "a flat market is listed but not open")
local f = assert(lp.ws(payload_text("ws_positions__account_all_positions_nautilus.json")))
p = v:_to_position(f.data[1])
t.ok(p.leverage == 20, "a WS IMF of 0.0500 is read as a fraction: 20x, not 2000x")

-- orders and trades --------------------------------------------------------------------------------------
r = assert(lp.response("orders", payload_text("open_orders__inactive_orders_ltc_filled_ccxt.json")))
local o = v:_to_order(r.data[1])
t.ok(o.id == "10414574038195752" and o.client_id == "911280573" and o.symbol == "LTC" and o.side == "buy", "order: ids, symbol, side from is_ask")
t.ok(o.status == "filled" and o.filled == D("0.100") and o.avg_price == D("56.127") and o.remaining == D("0"), "filled, average price = quote / base")
t.ok(o.tif == "ioc" and o.type == "market", "immediate-or-cancel market order")
t.is(r.next_cursor, "eyJpbmRleCI6MTc3MjE3MzEyMzU2NiwiaW5kZXgyIjoxMDQxNDU3NDAzODE5OTkyNH0=", "cursor")
f = assert(lp.ws(payload_text("ws_orders__account_orders_partial_nautilus.json")))
o = v:_to_order(f.data[1])
t.ok(o.status == "open" and o.remaining == D("0.0030") and o.filled == D("0.0020") and o.tif == "gtc", "WS order: partly filled, still open")
r = assert(lp.response("trades", payload_text("account_trades__trades_ltc_ccxt.json")))
t.ok(#r.data == 2 and r.data[1].bid_account_id == 715085 and r.data[1].is_maker_ask == true and r.data[1].maker_fee == 28, "trades: stringified numbers read as integers")

-- WS frames ----------------------------------------------------------------------------------------------
f = assert(lp.ws(payload_text("ws_order_book__subscribed_snapshot_nautilus.json")))
t.ok(f.kind == "order_book" and f.snapshot and f.data.nonce == 904845 and f.data.begin_nonce == 0 and #f.data.asks == 2, "book snapshot with its sequence numbers")
f = assert(lp.ws(payload_text("ws_order_book__ticker_empty_strings_nautilus.json")))
t.ok(f.kind == "ticker" and #f.data.asks == 0 and #f.data.bids == 0, "ticker with empty sides: no levels")
f = assert(lp.ws(payload_text("ws_market_stats__subscribed_btc_nautilus.json")))
t.ok(f.data[1].mark_price == "64356.3" and f.data[1].funding_rate == "-0.0005" and f.data[1].volume_24h == "1531624159.687143", "market_stats: mark, signed funding, volume")
f = assert(lp.ws(payload_text("ws_account__user_stats_with_position_nautilus.json")))
t.ok(f.data.account == 1234 and f.data.portfolio_value == "39.995169", "user_stats: account from the channel, equity")

-- results and errors -------------------------------------------------------------------------------------
r = assert(lp.response("tx_result", payload_text("order_result__sendtx_limit_ltc_ccxt.json")))
t.ok(r.data.accepted and r.data.ratelimit == "didn't use volume quota" and #r.data.tx_hash == 80, "sendTx answer: accepted, ratelimit text lifted out of the message")
local e = lp.error(payload_text("error__ratelimit_23000_l1address.json"), 429)
t.ok(e.kind == "rate_limited" and e.code == 23000 and e.retryable, "429 body: rate_limited, code 23000, retryable")
e = lp.error(payload_text("error__invalid_signature_21120.json"), 400)
t.ok(e.kind == "auth" and e.msg == "invalid signature", "21120: auth, the venue's words")
r = assert(lp.response("orders", '{"code":21104,"message":"invalid nonce"}'))
t.ok(r.code == 21104 and r.data == nil, "an error envelope comes back with its code and no data")

-- bad payloads -------------------------------------------------------------------------------------------
local none, err = lp.response("markets", '{"code":200,"order_books":[{"symbol":"ETH"}]}')
t.ok(none == nil and err:find("order_books%[0%]%.market_id"), "a market without its id: nil and the member named (" .. tostring(err) .. ")")
none, err = lp.response("accounts", "<html>oops</html>")
t.ok(none == nil and err:find("not JSON"), "HTML instead of JSON: nil, not JSON")
none, err = lp.ws('{"channel":"order_book:0","type":"update/order_book","order_book":{"asks":"x","bids":[]}}')
t.ok(none == nil and err:find("asks"), "a book frame with asks not a list: nil, naming asks")
t.raises(function() lp.response("nonsense", "{}") end, "unknown kind", "an unknown kind raises")

t.done()
