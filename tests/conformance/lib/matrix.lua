-- The conformance matrix every venue client passes against the simulator (DESIGN §5, §8):
-- the same checks, through the unified interface only, with the simulator's venue-neutral
-- state (GET /state) as the ground truth. A thin per-venue file (tests/conformance/<venue>.lua)
-- gives an adapter:
--
--   name        the simulator's venue name ("pacifica")
--   symbol      a market to trade;  size: an order size (decimal text) above the minimum notional
--   account     the simulator account id the client trades for
--   new_venue(sim, overrides) -> client (overrides: {timeout = s, ...})
--   match       fault matchers: markets (the markets read), balance, place_market, place_limit,
--               book_stream (outgoing book messages)
--   bad_payloads  list of {name, match, action, call = function(v) ... end, order = bool}
--               (M.market_buy and M.open_orders_after_resting build the common calls)
--   corrupt_signature(sim, v) -> {status, text}: a signed request with one signature byte
--               changed, sent as is
--
-- A venue file runs it with M.run_guarded(t, sim, adapter).
--
-- Every section runs protected: a failure is a "not ok" line, the world is cleaned (faults
-- cleared, orders cancelled, positions closed) and the next section runs.
local hedge = require "hedge"
local D = require "hedge.decimal"
local B = require "venues.base"

local M = {}

local function section(t, name, fn)
  local ok, err = xpcall(fn, debug.traceback)
  if not ok then t.ok(false, name .. " raised: " .. tostring(err)) end
end

local function market_state(sim, venue, symbol)
  for _, m in ipairs(sim:state(venue).venues[venue].markets) do
    if m.symbol == symbol then return m end
  end
end

local function position_state(sim, a, symbol)
  for _, p in ipairs(sim:account(a.name, a.account).positions or {}) do
    if p.symbol == symbol then return p end
  end
end

-- Flat and quiet again: no faults, no open orders, no position.
local function clean(t, sim, v, a)
  sim:clear_faults()
  local ok = v:cancel_all(a.symbol)
  local closed = v:close_position(a.symbol)
  if not (ok and closed) then t.diag("cleanup could not cancel or close; later sections may fail") end
  sim:wait_for(function() return position_state(sim, a, a.symbol) == nil end, 5, "a flat position after cleanup")
end

local function is_err(t, value, err, kind, name)
  t.is(value, nil, name .. ": no value")
  t.is(err and err.kind, kind, name .. ": kind " .. kind)
  return err
end

function M.run(t, sim, a)
  local v = assert(a.new_venue(sim, {}))
  local sym = a.symbol
  local size = D(a.size)

  section(t, "capabilities", function()
    t.is(type(v.has), "table", "has is a table")
    for _, cap in ipairs(B.CAPABILITIES) do t.is(type(v.has[cap]), "boolean", "has." .. cap .. " is true or false") end
    t.raises(function() return v.has.teleport end, "no such capability", "an unknown capability raises")
  end)

  section(t, "markets", function()
    local markets, err = v:markets()
    t.ok(markets and #markets > 0, "markets: a list (" .. tostring(err) .. ")")
    local m = assert(v:market(sym))
    local s = market_state(sim, a.name, sym)
    t.is(m.symbol, sym, "market symbol")
    t.ok(m.tick == D(s.tick) and m.step == D(s.step), "tick and step equal the venue's (" .. tostring(m.tick) .. ", " .. tostring(m.step) .. ")")
    t.ok(D.is_decimal(m.min_notional), "min notional is a decimal")
    t.is(m.max_leverage, s.max_leverage, "max leverage")
    t.ok(m.info ~= nil, "market keeps the raw payload under info")
    local none, nerr = v:market("NOSUCHCOIN")
    is_err(t, none, nerr, "bad_symbol", "unknown market")
  end)

  section(t, "funding", function()
    -- `rate` is the rate accruing now (what the next boundary pays), not the last settled one:
    -- the venue is given an accruing rate of its own so that the two cannot be confused.
    local settled = market_state(sim, a.name, sym).funding_rate
    sim:call("POST", "/funding", { venue = a.name, symbol = sym, next_rate = tostring(D(settled) + D("0.00003")) })
    local rates = assert(v:funding_rates { sym })
    local f, s = rates[sym], market_state(sim, a.name, sym)
    t.ok(f ~= nil, "funding rate of " .. sym)
    t.ok(s.accruing_funding_rate ~= s.funding_rate, "the venue accrues a rate other than the one it settled last")
    t.is(f.interval_ms, s.funding_interval_ms, "funding interval")
    t.is(f.rate, tonumber(s.accruing_funding_rate), "rate equals the venue's accruing rate")
    if f.last_rate ~= nil then t.is(f.last_rate, tonumber(s.funding_rate), "last_rate equals the venue's settled rate") end
    t.ok(math.abs(f.rate_per_hour - f.rate * 3600000 / f.interval_ms) < 1e-15, "rate per hour")
    t.ok(math.abs(f.apr - f.rate_per_hour * 24 * 365) < 1e-12, "APR = hourly rate x 8760")
    t.is(f.next_funding_ms, s.next_funding_ms, "next funding time")
    local none, err = v:funding_rates { "NOSUCHCOIN" }
    is_err(t, none, err, "bad_symbol", "funding of an unknown symbol")
  end)

  section(t, "book and ticker", function()
    local book = assert(v:order_book(sym, 5))
    local s = market_state(sim, a.name, sym)
    t.ok(#book.bids > 0 and #book.bids <= 5 and #book.asks > 0 and #book.asks <= 5, "depth honoured")
    t.ok(book.bids[1].price == D(s.bids[1][1]) and book.asks[1].price == D(s.asks[1][1]), "best bid and ask equal the venue's")
    local sorted = true
    for i = 2, #book.bids do sorted = sorted and book.bids[i].price < book.bids[i - 1].price end
    for i = 2, #book.asks do sorted = sorted and book.asks[i].price > book.asks[i - 1].price end
    t.ok(sorted and book.bids[1].price < book.asks[1].price, "bids descending, asks ascending, not crossed")
    local tk = assert(v:ticker(sym))
    t.ok(tk.mark == D(s.mark), "ticker mark equals the venue's")
    t.ok(tk.mid >= book.bids[1].price and tk.mid <= book.asks[1].price, "mid inside the spread")
    t.ok(D.is_decimal(tk.volume_24h), "24h volume is a decimal")
  end)

  section(t, "balance and positions", function()
    local bal = assert(v:balance())
    local s = sim:account(a.name, a.account)
    t.ok(bal.equity == D(s.equity) and bal.available == D(s.available), "equity and available equal the venue's")
    local pos = assert(v:positions())
    t.is(#pos, #(s.positions or {}), "positions: as many as the venue has")
  end)

  section(t, "leverage", function()
    local r, err = v:set_leverage(sym, 5)
    t.ok(r and r.leverage == 5, "set leverage 5 (" .. tostring(err) .. ")")
    local none, lerr = v:set_leverage(sym, 100000)
    is_err(t, none, lerr, "invalid_order", "leverage above the maximum")
    t.raises(function() v:set_leverage(sym, 2.5) end, "whole number", "a fractional leverage raises")
  end)

  section(t, "market buy and sell", function()
    local r, err = v:place { symbol = sym, side = "buy", size = a.size, type = "market" }
    t.ok(r and r.status == "accepted" and type(r.id) == "string", "market buy accepted (" .. tostring(err) .. ")")
    local p = sim:wait_for(function() return position_state(sim, a, sym) end, 5, "the long position")
    t.ok(p.side == "long" and D(p.size) == size, "the venue holds a long of " .. a.size)
    local mine = assert(v:positions { sym })
    t.ok(#mine == 1 and mine[1].side == "long" and mine[1].size == size, "positions() shows the long")
    t.ok(mine[1].entry_price == D(p.entry_price), "entry price equals the venue's")
    local sold = v:place { symbol = sym, side = "sell", size = a.size, type = "market" }
    t.ok(sold and sold.status == "accepted", "market sell accepted")
    sim:wait_for(function() return position_state(sim, a, sym) == nil end, 5, "flat after the sell")
    t.is(#assert(v:positions { sym }), 0, "positions() is empty again")
  end)
  clean(t, sim, v, a)

  section(t, "post-only rests, cancel", function()
    local book = assert(v:order_book(sym, 1))
    local m = assert(v:market(sym))
    local price = book.bids[1].price - m.tick * D("20")
    local r, err = v:place { symbol = sym, side = "buy", size = a.size, price = price, type = "limit", tif = "post_only" }
    t.ok(r and r.status == "accepted", "post-only buy below the book accepted (" .. tostring(err) .. ")")
    local open = assert(v:open_orders(sym))
    t.ok(#open == 1 and open[1].client_id == r.client_id and open[1].status == "open", "it rests in open orders")
    t.ok(open[1].price == price and open[1].remaining == size, "at its price, for its full size")
    local looked = assert(v:order(r.client_id, sym))
    t.is(looked.status, "open", "order(client_id) finds it open")
    local c, cerr = v:cancel(r.id, sym)
    t.ok(c, "cancel by id (" .. tostring(cerr) .. ")")
    t.is(#assert(v:open_orders(sym)), 0, "no open order left")
    t.is(assert(v:order(r.client_id, sym)).status, "cancelled", "order(client_id) reports it cancelled")
  end)
  clean(t, sim, v, a)

  section(t, "IOC that cannot fill", function()
    local book = assert(v:order_book(sym, 1))
    local m = assert(v:market(sym))
    local r = assert(v:place { symbol = sym, side = "buy", size = a.size, price = book.bids[1].price - m.tick * D("20"), type = "limit", tif = "ioc" })
    local o = assert(B.reconcile(v, r.client_id, sym))
    t.is(o.status, "cancelled", "an IOC below the book ends cancelled")
    t.ok(o.filled == D("0"), "with nothing filled")
    t.is(position_state(sim, a, sym), nil, "and no position")
  end)

  section(t, "cancel unknown and cancel all", function()
    local none, err = v:cancel("987654321", sym)
    is_err(t, none, err, "order_not_found", "cancel of an unknown id")
    t.is(err and err.outcome, "rejected", "its outcome is rejected")
    local book = assert(v:order_book(sym, 1))
    local m = assert(v:market(sym))
    for i = 1, 2 do
      assert(v:place { symbol = sym, side = "buy", size = a.size, price = book.bids[1].price - m.tick * D(tostring(20 + i)), type = "limit", tif = "gtc" })
    end
    local r = assert(v:cancel_all(sym))
    t.is(r.cancelled, 2, "cancel_all cancelled both resting orders")
    t.is(#assert(v:open_orders(sym)), 0, "none left")
  end)

  for _, dir in ipairs { { "long", "buy" }, { "short", "sell" } } do
    section(t, "close " .. dir[1], function()
      assert(v:place { symbol = sym, side = dir[2], size = a.size, type = "market" })
      sim:wait_for(function() local p = position_state(sim, a, sym); return p and p.side == dir[1] end, 5, "the " .. dir[1])
      local c, err = v:close_position(sym)
      t.ok(c and c.reduce_only == true and c.side ~= dir[2], "close_position sends a reduce-only " .. (c and c.side or "?") .. " (" .. tostring(err) .. ")")
      sim:wait_for(function() return position_state(sim, a, sym) == nil end, 5, "flat after close_position")
      t.ok(true, "the " .. dir[1] .. " is closed")
      t.is(assert(v:close_position(sym)).status, "flat", "closing a flat symbol reports flat")
    end)
    clean(t, sim, v, a)
  end

  section(t, "refused before sending", function()
    local before = #sim:requests { venue = a.name, method = "POST" }
    local m = assert(v:market(sym))
    local none, err = v:place { symbol = sym, side = "buy", size = tostring(m.step), type = "market" }
    is_err(t, none, err, "invalid_order", "below the minimum notional")
    t.is(err and err.outcome, "rejected", "outcome rejected")
    none, err = v:place { symbol = sym, side = "buy", size = "0", type = "market" }
    is_err(t, none, err, "invalid_order", "a size below one lot")
    t.is(#sim:requests { venue = a.name, method = "POST" }, before, "nothing was sent")
    t.raises(function() v:place { symbol = sym, side = "buy", size = 0.01, type = "market" } end, "Lua number", "a Lua float size raises")
    t.raises(function() v:place { symbol = sym, side = "buy", size = a.size, type = "market", colour = "red" } end, "unknown option 'colour'", "an unknown option raises")
  end)

  section(t, "reject from the venue", function()
    sim:fault { venue = a.name, match = a.match.place_market, action = { type = "reject", error = "insufficient_funds" }, count = 1 }
    local none, err = v:place { symbol = sym, side = "buy", size = a.size, type = "market" }
    is_err(t, none, err, "insufficient_funds", "a refused order")
    t.is(err and err.outcome, "rejected", "its outcome is rejected")
    t.ok(err and err.http_status and err.raw, "status and raw body kept")
  end)

  section(t, "WebSocket drop: the book is resnapshotted", function()
    local book = assert(v:watch_book(sym))
    local px = v.has.watch_prices and assert(v:watch_prices())
    local gen, snaps = book.generation, book.snapshots
    t.ok(not book.stale and #book.bids > 0, "live book has levels")
    local prices_seen = px and px.updates
    sim:drop_ws(a.name)
    local ok = book:wait(function(b) return b.generation > gen and not b.stale end, 15)
    t.ok(ok, "after the drop a new connection delivered a fresh snapshot")
    t.ok(book.snapshots > snaps and book.resnapshots >= 1, "snapshot count grew, resnapshot counted")
    t.ok(#book.bids > 0 and book.bids[1].price < book.asks[1].price, "the book is whole")
    if px then
      t.ok(px:wait(function(p) return p.updates > prices_seen and not p.stale end, 15), "live prices flowing again after the drop")
    end
  end)

  section(t, "429 with Retry-After is honoured", function()
    sim:clear_requests()
    sim:fault { venue = a.name, match = a.match.markets, action = { type = "http_status", status = 429, retry_after = 1 }, count = 1 }
    local t0 = hedge.mono_ms()
    local markets, err = v:markets()
    local elapsed = hedge.mono_ms() - t0
    t.ok(markets ~= nil, "the read succeeded after the pause (" .. tostring(err) .. ")")
    t.cmp(elapsed, ">=", 1000, "it waited the 1 s the venue asked for")
    local seen = sim:requests { venue = a.name, path = a.match.markets.path }
    t.is(#seen, 2, "two requests: the refused one and the retry")
    if #seen == 2 then t.cmp((seen[2].recv_us - seen[1].recv_us) / 1000, ">=", 990, "the retry came after Retry-After") end
    sim:fault { venue = a.name, match = a.match.place_market, action = { type = "http_status", status = 429, retry_after = 1 }, count = 1 }
    local none, perr = v:place { symbol = sym, side = "buy", size = a.size, type = "market" }
    is_err(t, none, perr, "rate_limited", "an order refused with 429")
    t.ok(perr and perr.outcome == "rejected" and perr.retry_after == 1 and perr.retryable, "rejected, retry_after 1, retryable")
  end)
  clean(t, sim, v, a)

  section(t, "timeout after accept: unknown, then resolved by client id", function()
    local quick = assert(a.new_venue(sim, { timeout = 1.5 }))
    sim:fault { venue = a.name, match = a.match.place_market, action = { type = "timeout_after_accept" }, count = 1 }
    local none, err = quick:place { symbol = sym, side = "buy", size = a.size, type = "market" }
    is_err(t, none, err, "timeout", "no answer in time")
    t.is(err and err.outcome, "unknown", "outcome unknown")
    t.ok(err and B.is_uuid(err.client_id), "the error names the client id to reconcile")
    local o, oerr = B.reconcile(quick, err.client_id, sym)
    t.ok(o and o.status == "filled" and o.filled == size, "reconciled by client id: it was filled (" .. tostring(oerr) .. ")")
    t.ok(position_state(sim, a, sym) ~= nil, "the venue holds the position")
  end)
  clean(t, sim, v, a)

  section(t, "5xx and disconnect after send are unknown; place_safely resolves them", function()
    sim:fault { venue = a.name, match = a.match.place_market, action = { type = "http_status", status = 500 }, count = 1 }
    local none, err = v:place { symbol = sym, side = "buy", size = a.size, type = "market" }
    is_err(t, none, err, "unavailable", "HTTP 500")
    t.is(err and err.outcome, "unknown", "5xx: outcome unknown")
    sim:fault { venue = a.name, match = a.match.place_market, action = { type = "disconnect" }, count = 1 }
    local r, serr = B.place_safely(v, { symbol = sym, side = "buy", size = a.size, type = "market" }, { reconcile_timeout = 1 })
    t.ok(r ~= nil, "place_safely: after an unanswered attempt it checked, then placed once (" .. tostring(serr) .. ")")
    local p = sim:wait_for(function() return position_state(sim, a, sym) end, 5, "the position")
    t.ok(D(p.size) == size, "exactly one order filled")
  end)
  clean(t, sim, v, a)

  section(t, "a corrupted signature is refused by the venue", function()
    local r = a.corrupt_signature(sim, v)
    t.ok(r.status >= 400 and r.status < 500, "refused with HTTP " .. tostring(r.status))
    t.is(position_state(sim, a, sym), nil, "nothing happened")
  end)

  section(t, "bad payloads give bad_response, never a crash", function()
    for _, case in ipairs(a.bad_payloads) do
      sim:fault { venue = a.name, match = case.match, action = case.action, count = 1 }
      local ok, value, err = pcall(case.call, v)
      t.ok(ok, case.name .. ": no error raised" .. (ok and "" or (": " .. tostring(value))))
      if ok then
        is_err(t, value, err, "bad_response", case.name)
        if case.order then t.is(err and err.outcome, "unknown", case.name .. ": outcome unknown (the venue may have acted)") end
      end
      sim:clear_faults()
      clean(t, sim, v, a)
    end
    local book = assert(v:watch_book(sym))
    local errors_before = v.stream_errors or 0
    sim:fault { venue = a.name, match = a.match.book_stream, action = { type = "bad_payload", mode = "truncate" }, count = 1 }
    -- Some venues push a book only when it changes (edgeX): a simulator trade through it makes
    -- the frame the fault corrupts, and the one after it.
    local function trade(side) sim:call("POST", "/trade", { venue = a.name, symbol = sym, side = side, size = a.size }) end
    trade("buy")
    local ok = sim:wait_for(function() return (v.stream_errors or 0) > errors_before end, 5, "the corrupted frame")
    t.ok(ok and v.last_stream_error.kind == "bad_response", "a corrupted stream frame is a bad_response")
    local updates = book.updates
    trade("sell")
    t.ok(book:wait(function(b) return b.updates > updates end, 5), "and the stream goes on")
  end)
  clean(t, sim, v, a)

  v:close()
end

-- A raise inside the run is one "not ok" line naming it, not the end of the test file.
function M.run_guarded(t, sim, a, label)
  local ok, err = xpcall(M.run, debug.traceback, t, sim, a)
  if not ok then t.ok(false, (label or "the matrix") .. " stopped: " .. tostring(err)) end
end

-- ---- calls the adapters' bad-payload cases share -----------------------------------------------------

-- A market buy of size: the order call whose answer a case breaks.
function M.market_buy(symbol, size)
  return function(v) return v:place { symbol = symbol, side = "buy", size = size, type = "market" } end
end

-- The open orders after resting one post-only buy 50 below the best bid: the list whose rows a
-- case breaks.
function M.open_orders_after_resting(symbol, size)
  return function(v)
    local book = assert(v:order_book(symbol, 1))
    assert(v:place { symbol = symbol, side = "buy", size = size, price = book.bids[1].price - D("50"), type = "limit", tif = "post_only" })
    return v:open_orders(symbol)
  end
end

return M
