-- pacifica.parse and the unified shapes of venues.pacifica, static: real venue payloads
-- (shared/fixtures/pacifica) in, Lua tables out; bad payloads give nil and a message naming the
-- member, never an error.
local D = require "hedge.decimal"
local pp = require "pacifica.parse"
local P = require "venues.pacifica"
local t = require "lib.tap"

local payload_text = require("lib.fixtures").payload_reader("pacifica")

-- markets ----------------------------------------------------------------------------------------
local r = assert(pp.response("markets", payload_text("markets__info_btc_and_spot_testnet_ccxt.json")))
t.is(type(r.data), "table", "markets: a list")
local btc
for _, m in ipairs(r.data) do if m.symbol == "BTC" then btc = m end end
t.ok(btc and btc.tick_size == "1" and btc.lot_size == "0.00001", "BTC tick and lot as the venue's text")
t.is(btc.info.symbol, "BTC", "raw row under info")
t.ok(#r.data >= 2, "perpetual and spot rows are both read")
local m = P.to_market(btc)
t.ok(m.symbol == "BTC" and m.id == "BTC" and m.tick == D("1") and m.step == D("0.00001"), "unified market: tick and step")
t.ok(m.min_notional == D(btc.min_order_size) and m.max_leverage == btc.max_leverage, "minimum notional and leverage")
t.ok(m.type == "perpetual" and m.funding_interval_ms == 3600000 and m.info == btc.info, "type, hourly funding, info")

-- prices → ticker / funding ---------------------------------------------------------------------------
r = assert(pp.response("prices", payload_text("funding_rates__prices_xpl_docs.json")))
local xpl = r.data[1]
t.is(xpl.next_funding, "0.00011096", "next funding text")
local tk = P.to_ticker(xpl)
t.ok(tk.mark == D("1.084819") and tk.mid == D("1.08615") and tk.index == D("1.084524"), "ticker: mark, mid, index as decimals")
t.ok(tk.volume_24h == D("20896698.0672"), "24h volume")
t.is(tk.timestamp, 1759222967974, "timestamp an exact integer")
local fr = P.to_funding(xpl)
t.ok(fr.rate == 0.00011096 and fr.last_rate == 0.00010529, "rate = the coming hour's estimate, last_rate = the settled one")
t.ok(fr.interval_ms == 3600000 and math.abs(fr.apr - 0.00011096 * 8760) < 1e-12, "hourly, APR = rate x 8760")
t.is(fr.next_funding_ms, 1759226400000, "next funding: the whole hour after the row's timestamp")

-- book ----------------------------------------------------------------------------------------------
r = assert(pp.response("book", payload_text("order_book__book_btc_testnet_ccxt.json")))
local book = P.to_book(r.data, 3)
t.ok(#book.bids <= 3 and #book.asks <= 3, "depth cut")
t.ok(book.bids[1].price > book.bids[2].price and book.asks[1].price < book.asks[2].price, "sides ordered best first")
t.ok(D.is_decimal(book.bids[1].size), "level sizes are decimals")

-- account -------------------------------------------------------------------------------------------
r = assert(pp.response("account", payload_text("balance__account_testnet_ccxt.json")))
local bal = P.to_balance(r.data)
t.ok(bal.equity == D("100.717133") and bal.available == D("100.717133") and bal.margin_used == D("0"), "balance")
t.ok(bal.taker_fee == D("0.0004"), "fees")
t.is(r.data.fee_level, 0, "stringified integers are read as integers")

-- positions -------------------------------------------------------------------------------------------
r = assert(pp.response("positions", payload_text("positions__btc_short_testnet_ccxt.json")))
local pos = P.to_position(r.data[1], D("90000"))
t.is(pos.side, "short", "ask is short")
t.ok(D.is_decimal(pos.size) and pos.size > D("0"), "size positive")
t.ok(pos.unrealized_pnl == (pos.entry_price - D("90000")) * pos.size, "short uPnL = (entry - mark) x size, exact")
t.is(pos.margin_mode, "cross", "cross unless isolated")

-- orders ---------------------------------------------------------------------------------------------
r = assert(pp.response("orders", payload_text("open_orders__two_btc_bids_testnet_ccxt.json")))
t.is(#r.data, 2, "two open orders")
local o = P.to_order(r.data[1])
t.ok(type(o.id) == "string" and o.id:match("^%d+$"), "order id as a string")
t.is(o.side, "buy", "bid is buy")
t.is(o.status, "open", "open orders are open")
t.ok(o.remaining == o.size - o.filled, "remaining = size - filled")

-- trading answers ---------------------------------------------------------------------------------------
r = assert(pp.response("order_result", payload_text("order_result__batch_create_two_testnet_ccxt.json")))
t.is(#r.results, 2, "batch results")
r = assert(pp.response("order_result", payload_text("cancel_result__cancel_all_testnet_ccxt.json")))
t.is(r.cancelled_count, 1, "cancel_all count (stringified by the recorder) read as a number")
local frame = assert(pp.ws(payload_text("order_result__ws_create_market_order_docs.json")))
t.ok(frame.answer and frame.answer.code == 200 and frame.answer.order_id ~= nil, "WS trading answer")
frame = assert(pp.ws(payload_text("ws_order_book__book_sol_docs.json")))
t.ok(frame.channel == "book" and frame.data.symbol == "SOL" and #frame.data.bids > 0, "WS book frame")
frame = assert(pp.ws(payload_text("ws_positions__closed_empty_docs.json")))
t.ok(frame.channel == "account_positions" and #frame.data == 0, "WS empty positions after a close")
frame = assert(pp.ws('{"channel":"subscribe","data":{"source":"book","symbol":"BTC"}}'))
t.ok(frame.channel == "subscribe" and frame.data.symbol == "BTC", "an ack is handed over raw")

-- errors ---------------------------------------------------------------------------------------------
local e = pp.error(payload_text("error__invalid_leverage_docs.json"), 400)
t.ok(e.kind == "invalid_order" and e.msg == "Invalid leverage" and e.code == 400 and e.retryable == false, "invalid leverage")
e = pp.error("Verification failed", 400)
t.ok(e.kind == "auth" and e.msg == "Verification failed", "bare text")
e = pp.error(nil, 503)
t.ok(e.kind == "unavailable" and e.retryable, "no body at all")

-- bad payloads ---------------------------------------------------------------------------------------
local cases = {
  { "markets", '{"success":true,"data":[{"symbol":"BTC"', "not JSON" },
  { "markets", '{"success":true,"data":[{"symbol":"BTC","lot_size":"0.1"}]}', "tick_size: is missing" },
  { "book", '{"success":true,"data":{"s":"BTC","l":[[{"p":null,"a":"1"}],[]]}}', "bids[0].p: is null" },
  { "prices", '{"success":true,"data":[{"symbol":"BTC","mark":12345}]}', "mark: is a JSON number" },
  { "account", "<html>502</html>", "not JSON" },
  { "positions", '{"success":true}', "no data" },
  { "orders", '{"success":true,"data":[{"order_id":null,"symbol":"BTC","side":"bid"}]}', "order_id: is" },
  { "order_result", '{"success":true,"data":{"order_id":"abc"}}', "order_id" },
  { "account", "", "empty" },
}
for _, c in ipairs(cases) do
  local ok, value, msg = pcall(pp.response, c[1], c[2])
  t.ok(ok and value == nil and type(msg) == "string" and msg:find(c[3], 1, true) ~= nil,
    ("%s %s: nil, %q"):format(c[1], c[2]:sub(1, 30), tostring(msg)))
end
local v, msg = pp.ws('{"data":1}')
t.ok(v == nil and msg:find("neither a channel", 1, true), "a frame that is neither channel nor answer")
v, msg = pp.ws('{"channel":"book","data":{"s":"BTC"}}')
t.ok(v == nil and msg:find("book", 1, true), "a book frame without levels")
t.raises(function() pp.response("nope", "{}") end, "unknown kind 'nope'", "an unknown kind raises")
t.raises(function() pp.response("markets", nil) end, "string expected", "a missing body raises")
local refused = assert(pp.response("positions", '{"success":false,"data":null,"error":"Account not found","code":1}'))
t.ok(refused.success == false and refused.error == "Account not found" and refused.data == nil, "a refusal in a 200 is reported, not parsed")
local big = assert(pp.json('{"id":9007199254740993,"n":42,"x":null,"l":[1,2]}'))
t.ok(big.id == "9007199254740993" and big.n == 42 and big.x == nil and #big.l == 2, "raw JSON: big integers as text, null as nil")
t.done()
