-- venues.lighter against the simulator, beyond the shared conformance matrix: concurrent orders
-- and their nonces, nonce resync after an injected and after a real desync, sendTxBatch, a book
-- gap and its resnapshot, the funding-unit check (right unit, the venue in another unit, the
-- seeds' 8x mistake), auth tokens renewed before expiry, the account channels, rate budgets.
local hedge = require "hedge"
local D = require "hedge.decimal"
local t = require "lib.tap"
local simlib = require "lib.sim"
local L = require "venues.lighter"
local ls = require "lighter.signer"

local keys = simlib.lighter_keys()
local HOUR = 3600000

-- A Lighter-only world; clock real unless given. ETH: mark 3500, book 10 levels of 10 ETH.
local function world(opts)
  opts = opts or {}
  return {
    description = "lighter client test world",
    clock = opts.clock or { mode = "real" },
    venues = { lighter = {
      options = opts.options or {},
      markets = {
        { symbol = "ETH", id = 0, tick = "0.01", step = "0.0001", max_leverage = 50, min_notional = "10", mark = "3500", index = "3500",
          funding = { rate = opts.rate or "0.000012", next_rate = opts.next_rate or "0.000012", price = "mark" },
          book = { synthetic = { levels = 10, spread_bps = "2", step_bps = "1", size = "10", refill_ms = 200 } } },
        { symbol = "BTC", id = 1, tick = "0.1", step = "0.00001", max_leverage = 50, min_notional = "10", mark = "100000", index = "100000",
          funding = { rate = "0.000013", next_rate = "0.000013", price = "mark" },
          book = { synthetic = { levels = 10, spread_bps = "2", step_bps = "1", size = "1", refill_ms = 200 } } },
      },
      accounts = {
        { id = tostring(keys.account), balance = "1000000", agents = { "3:" .. keys.api_key_3.public_key, "4:" .. keys.api_key_4.public_key } },
      },
    } },
  }
end

local function client(sim, overrides)
  local opts = {
    rest = sim.addr.lighter.rest, ws = sim.addr.lighter.ws, chain_id = keys.chain_id, account_index = keys.account,
    api_key_index = 3, private_key = keys.api_key_3.private_key, timeout = 5,
  }
  for k, v in pairs(overrides or {}) do opts[k] = v end
  return assert(L.new(opts))
end

local function sends(sim, since)
  local out = {}
  for _, e in ipairs(sim:requests { venue = "lighter", path = "/api/v1/sendTx" }) do
    if not since or e.seq > since then out[#out + 1] = e end
  end
  return out
end

local function last_seq(sim) return sim:call("GET", "/requests?limit=1").last_seq end

local sim = simlib.start { scenario = world() }
local v = client(sim)

-- ---- 20 orders at once ------------------------------------------------------------------------
do
  local book = assert(v:order_book("ETH", 1))
  local since = last_seq(sim)
  local fns = {}
  for i = 1, 20 do
    fns[i] = function()
      return v:place { symbol = "ETH", side = "buy", size = "0.01", price = book.bids[1].price - D("1") * D(tostring(i)), type = "limit", tif = "post_only" }
    end
  end
  local results, errs = hedge.parallel(unpack(fns))
  local accepted, nonces, distinct = 0, {}, {}
  for i = 1, 20 do
    if results[i] and results[i].status == "accepted" then accepted = accepted + 1 end
    if results[i] then nonces[#nonces + 1] = results[i].nonce; distinct[results[i].nonce] = true end
  end
  t.is(accepted, 20, "20 orders signed and sent concurrently: all accepted (" .. tostring(errs[1] or "") .. ")")
  local n = 0
  for _ in pairs(distinct) do n = n + 1 end
  t.is(n, 20, "with 20 distinct nonces")
  table.sort(nonces)
  t.is(nonces[20] - nonces[1], 19, "consecutive ones")
  local log = sends(sim, since)
  local ok_sends, venue_nonces = 0, {}
  for _, e in ipairs(log) do
    if e.status == 200 and e.verified and e.verified.ok then ok_sends = ok_sends + 1; venue_nonces[#venue_nonces + 1] = e.verified.nonce end
  end
  t.is(#log, 20, "the venue saw exactly 20 sendTx calls (no refused attempt)")
  t.is(ok_sends, 20, "every one verified and accepted by the venue")
  local in_order = true
  for i = 2, #venue_nonces do in_order = in_order and venue_nonces[i] == venue_nonces[i - 1] + 1 end
  t.ok(in_order, "and they reached it in nonce order")
  t.is(#sim:requests { venue = "lighter", path = "/api/v1/apikeys" }, 1, "the registered key was looked up once for all 20")
  t.is(#assert(v:open_orders("ETH")), 20, "20 orders rest")
  t.is(assert(v:cancel_all("ETH")).cancelled, 20, "cancel_all cancels them")
end

-- ---- nonce resync ----------------------------------------------------------------------------------
do
  local seq = v.nonces
  local retries = seq.nonce_retries
  sim:fault { venue = "lighter", match = { kind = "http", op = "create_order" }, action = { type = "reject", error = "invalid_nonce" }, count = 1 }
  local since = last_seq(sim)
  local r, err = v:place { symbol = "ETH", side = "buy", size = "0.01", type = "market" }
  t.ok(r and r.status == "accepted", "an injected 21104: the order still goes through (" .. tostring(err) .. ")")
  local log = sends(sim, since)
  t.is(#log, 2, "two sends: the refused one and the retry")
  t.ok(log[1] and log[1].verified.code == 21104 and log[2] and log[2].status == 200, "first refused with 21104, then accepted")
  t.is(seq.nonce_retries, retries + 1, "the sequencer re-read nextNonce once")

  -- A real desync: the same key used from elsewhere consumes a nonce behind our back.
  local other = assert(ls.new { private_key = keys.api_key_3.private_key, account_index = keys.account, api_key_index = 3, chain_id = keys.chain_id })
  local nonce = assert(v:next_nonce())
  local tx = assert(other:cancel_all_orders { time_in_force = "now", nonce = nonce })
  local res = assert(hedge.http.request { method = "POST", url = sim.addr.lighter.rest .. "/sendTx",
    headers = { ["Content-Type"] = "application/x-www-form-urlencoded" }, body = L.form { { "tx_type", tx.tx_type }, { "tx_info", tx.tx_info } } })
  t.is(res.status, 200, "another signer used nonce " .. nonce)
  since = last_seq(sim)
  r, err = v:place { symbol = "ETH", side = "sell", size = "0.01", type = "market" }
  t.ok(r ~= nil, "our next order after that still goes through (" .. tostring(err) .. ")")
  log = sends(sim, since)
  t.ok(#log == 2 and log[1].verified.code == 21104 and log[2].verified.nonce == nonce + 1, "stale nonce refused, resynced to " .. (nonce + 1))
end

-- ---- batches -----------------------------------------------------------------------------------------
do
  local book = assert(v:order_book("ETH", 1))
  local price = assert(book.bids[1].price:to_units("0.01", "exact")) - 500
  local r, err = v:send_tx_batch {
    { "create_order", { market_index = 0, client_order_index = 777001, base_amount = 100, price = price, side = "buy", type = "limit", time_in_force = "gtt" } },
    { "create_order", { market_index = 0, client_order_index = 777002, base_amount = 100, price = price - 1, side = "buy", type = "limit", time_in_force = "gtt" } },
  }
  t.ok(r and #r.tx_hashes == 2 and r.nonces[2] == r.nonces[1] + 1, "sendTxBatch: two txs, consecutive nonces (" .. tostring(err) .. ")")
  t.ok(r and r.tx_hashes[1] == r.signed_hashes[1] and r.tx_hashes[2] == r.signed_hashes[2], "the venue's hashes are the ones we signed")
  local after = v:place { symbol = "ETH", side = "buy", size = "0.01", price = book.bids[1].price - D("9"), type = "limit", tif = "gtc" }
  t.ok(after and after.nonce == r.nonces[2] + 1, "the next single tx continues after the batch's nonces")
  local o = assert(v:order("777001", "ETH"))
  t.is(o.status, "open", "batch order found by its client order index")
  assert(v:cancel_all())
end

-- ---- book gap ------------------------------------------------------------------------------------------
do
  local book = assert(v:watch_book("ETH"))
  -- The fault must hit an update, not the subscription's first snapshot: wait for that to land
  -- (on a loaded machine it can still be on its way when the fault is armed).
  t.ok(book:wait(function(b) return b.snapshots > 0 and b.bids[1] ~= nil and not b.stale end, 10), "the book has its first snapshot")
  local snaps, gaps = book.snapshots, book.gaps
  sim:fault { venue = "lighter", match = { kind = "ws_out", channel = "order_book" }, action = { type = "ws_gap" }, count = 1 }
  sim:call("POST", "/trade", { venue = "lighter", symbol = "ETH", side = "buy", size = "3" })
  sim:wait_for(function() return #sim:faults().active == 0 end, 5, "the gap fault to fire")
  sim:call("POST", "/trade", { venue = "lighter", symbol = "ETH", side = "sell", size = "2" })
  t.ok(book:wait(function(b) return b.gaps > gaps and b.snapshots > snaps and not b.stale end, 10), "a swallowed frame is detected and a new snapshot taken")
  t.ok(book.resnapshots >= 1, "counted as a resnapshot")
  local ok = sim:wait_for(function()
    local s = sim:state("lighter").venues.lighter.markets[1]
    return book.bids[1] and D(s.bids[1][1]) == book.bids[1].price and D(s.asks[1][1]) == book.asks[1].price and D(s.asks[1][2]) == book.asks[1].size
  end, 5, "the live book to equal the venue's")
  t.ok(ok, "after the resnapshot the live book equals the venue's")
end

-- ---- account channels and auth tokens -------------------------------------------------------------------
do
  local acct = assert(v:watch_account())
  t.ok(acct.balance and D.is_decimal(acct.balance.equity), "watch_account: balance from user_stats")
  local r = assert(v:place { symbol = "ETH", side = "buy", size = "0.02", type = "market" })
  t.ok(acct:wait(function(a) return a.orders[r.client_id] and a.orders[r.client_id].status == "filled" end, 5), "the order shows up filled under its client id")
  t.ok(acct:wait(function(a) return #a.fills > 0 end, 5), "its fill arrives on account_all_trades")
  local first = v._auth.token
  v._auth.deadline = math.floor(hedge.now_ms() / 1000) + 60   -- pretend it is about to expire
  assert(v:open_orders("ETH"))
  t.ok(v._auth.token ~= first, "an auth token close to its deadline is renewed before use")
  -- An order we hold as open that ended while the socket was down (here: one the venue never had).
  acct.orders["ghost"] = { id = "999999", client_id = "ghost", status = "open" }
  local saw_stale = false
  local watcher = hedge.spawn(function() saw_stale = acct:wait(function(a) return a.stale end, 5) == true end)
  local since = last_seq(sim)
  sim:drop_ws("lighter")
  t.ok(sim:wait_for(function()
    for _, e in ipairs(sim:requests { venue = "lighter", kind = "ws_in", since = since }) do
      if e.text:find("account_all_orders", 1, true) and e.text:find(v._auth.token, 1, true) then return true end
    end
  end, 10, "the resubscription"), "after a reconnect the private channels are resubscribed with the current token")
  watcher:join(6)
  t.ok(saw_stale, "the live account went stale when the socket dropped")
  t.ok(acct:wait(function(a) return not a.stale and a.balance ~= nil end, 5), "and is fresh again after the reconnect")
  t.ok(acct:wait(function(a) return a.orders.ghost == nil end, 5) and acct.ended_while_away[#acct.ended_while_away].id == "999999",
    "the reconnect snapshot drops an open order the venue no longer lists (kept in ended_while_away)")
  t.ok(acct:wait(function(a) return a.positions.ETH ~= nil end, 5), "positions live from account_all_positions")
  assert(v:close_position("ETH"))
end

-- ---- a key registered with another public key ------------------------------------------------------------
do
  local wrong = client(sim, { api_key_index = 4 })   -- key 4 is registered, but not with api_key_3's public key
  local before = #sim:requests { venue = "lighter", method = "POST" }
  local none, err = wrong:place { symbol = "ETH", side = "buy", size = "0.01", type = "market" }
  t.is(none, nil, "an order with the wrong key for the index is not placed")
  t.ok(err and err.kind == "auth" and err.outcome == "rejected" and err.msg:find("another public key", 1, true), "auth error before sending: " .. tostring(err))
  t.is(#sim:requests { venue = "lighter", method = "POST" }, before, "nothing was sent")
end

-- ---- rate budget -------------------------------------------------------------------------------------------
do
  local slow = client(sim, { requests_per_minute = 2 })
  slow._rate_window_ms = 400
  local t0 = hedge.mono_ms()
  for _ = 1, 3 do assert(slow:next_nonce()) end
  t.cmp(hedge.mono_ms() - t0, ">=", 350, "a third request inside the budget window waits for it")
end
v:close()
sim:stop()

-- ---- funding units -----------------------------------------------------------------------------------------
local function funding_world(unit)
  local now = hedge.now_ms()
  local start = math.floor(now / HOUR) * HOUR - 4 * HOUR + 60000
  return world { clock = { mode = "stepped", start_ms = start }, options = { funding_rates_unit = unit, signature_clock = "wall" },
    rate = "0.00002", next_rate = "0.000021" }
end

local function settled_sim(unit)
  local s = simlib.start { scenario = funding_world(unit) }
  s:advance(3 * HOUR - 2000)   -- three hourly settlements (the last an hour ago by the wall clock)
  return s
end

do
  local s = settled_sim("fraction_per_8h")
  local c = client(s)
  local rates, err = c:funding_rates { "ETH" }
  t.ok(rates and rates.ETH, "venue in its own unit: rates returned (" .. tostring(err) .. ")")
  t.is(rates and rates.ETH.unit_check, "ok", "the live rate agrees with the realised settlements")
  t.ok(rates and math.abs(rates.ETH.rate_per_hour - 0.000021) < 1e-15, "rate per hour = 0.000168 / 8 = 0.000021")
  t.ok(rates and math.abs(rates.ETH.apr - 0.000021 * 8760) < 1e-12, "APR = hourly x 8760")
  t.ok(rates and math.abs(rates.ETH.last_rate - 0.000021) < 1e-15, "last settled rate from fundings: the 0.000021 that accrued")
  t.is(c.funding_check.status, "ok", "client.funding_check records ok")
  local hist = assert(c:funding_history("ETH"))
  t.is(#hist, 3, "three settlements")
  t.ok(hist[1].price == D("3500"), "value / rate of a settlement is the price: the percent unit holds")

  local le = client(s, { funding_rate_unit = "fraction_per_hour" })
  local none, lerr = le:funding_rates { "ETH" }
  t.is(none, nil, "a client reading the live rate as hourly (the seed LE's mistake) gets no rates")
  t.ok(lerr and lerr.kind == "bad_response" and lerr.code == "funding_unit_mismatch", "but a funding_unit_mismatch error")
  t.ok(lerr and lerr.msg:find("fraction_per_8h", 1, true), "naming the unit that fits: " .. tostring(lerr and lerr.msg))
  local warn = client(s, { funding_rate_unit = "fraction_per_hour", funding_check = "warn" })
  local rates2 = assert(warn:funding_rates { "ETH" })
  t.ok(rates2.ETH.unit_check == "mismatch" and warn.funding_check.warning, "funding_check = warn: rates come back flagged")
  s:stop()
end

do
  local s = settled_sim("percent_per_hour")
  local c = client(s)
  local none, err = c:funding_rates { "ETH" }
  t.is(none, nil, "the venue's /funding-rates in percent per hour (scenario): no rates")
  t.ok(err and err.code == "funding_unit_mismatch" and err.check and err.check.status == "mismatch", "the mismatch is reported")
  t.is(err and err.check.symbols.ETH.best_unit, "percent_per_hour", "and the unit that would fit is named")
  s:stop()
end

do
  local s = simlib.start { scenario = world { options = { ws_server_ping_ms = 100 } } }
  local c = client(s)
  assert(c:watch_book("ETH"))
  t.ok(s:wait_for(function()
    for _, e in ipairs(s:requests { venue = "lighter", kind = "ws_in" }) do
      if e.text == '{"type":"pong"}' then return true end
    end
  end, 5, "a pong") and c.server_pings >= 1, "the venue's ping is answered with a pong")
  c:close()
  local rates = assert(c:funding_rates())
  t.ok(rates.ETH and rates.BTC, "no settlement yet: rates of every market returned")
  t.is(c.funding_check.status, "inconclusive", "and the check says inconclusive, not ok")
  s:stop()
end

t.done()
