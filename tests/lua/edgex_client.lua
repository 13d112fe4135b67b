-- venues.edgex against the simulator: the exact requests a unified call sends (rounding with its
-- direction, decimal text, sides, time in force, worst prices, fee caps, client ids, reduce-only,
-- cancel forms, leverage and margin mode) for v2 and v1, every one verified by the simulator's
-- independent checks; funding per contract interval; the start-up key checks that stop the client;
-- v1's refusal to trade without market data; the simulator refusing a wrong HMAC and an expired
-- request; the clock resync; secrets kept out of errors. The capability matrix is
-- tests/conformance/edgex.lua, the streams tests/lua/edgex_stream.lua.
local hedge = require "hedge"
local D = require "hedge.decimal"
local cjson = require "cjson"
local t = require "lib.tap"
local simlib = require "lib.sim"
local W = require "lib.edgex_world"
local B = require "venues.base"
local E = require "venues.edgex"
local es = require "edgex.signer"

local keys = W.keys()
-- Reconnects and start-ups are provoked on purpose here; their info lines would only clutter the TAP run.
for _, module in ipairs { "edgex", "edgex.ws", "edgex.private.ws" } do require("hedge.log").set_level(module, "warn") end
local sim = simlib.start { scenario = W.scenario() }

-- The last request the simulator received on path, its JSON body decoded (edgeX bodies hold
-- only strings and booleans, which cjson reads exactly).
local function last(venue, path)
  local entries = sim:requests { venue = venue, path = path }
  local e = entries[#entries]
  if e and e.body and e.body ~= "" then e.json = cjson.decode(e.body) end
  return e, #entries
end

local function count(venue, path) return #sim:requests { venue = venue, path = path } end

local function run(name, fn)
  local ok, err = xpcall(fn, debug.traceback)
  if not ok then t.ok(false, name .. " raised: " .. tostring(err)) end
end

-- ---- v2: exact order requests ---------------------------------------------------------------------
run("v2 orders", function()
  local v = assert(W.client(sim, "v2"))
  local path = "/api/v2/private/order/createOrder"
  local r = assert(v:place { symbol = "BTC", side = "buy", size = "0.0123456", price = "90000.99", type = "limit", tif = "post_only",
                             client_id = "hedge-test.1_A" })
  local e = last("edgex", path)
  t.ok(e.verified and e.verified.ok and e.verified.auth == "hmac" and not e.refused, "v2 limit: HMAC and EIP-712 signature accepted by the simulator")
  t.is(e.json.size, "0.012", "size floored to the 0.001 step")
  t.is(e.json.price, "90000.9", "buy price rounded down to the tick")
  t.ok(e.json.type == "LIMIT" and e.json.side == "BUY" and e.json.timeInForce == "POST_ONLY", "LIMIT BUY POST_ONLY")
  t.ok(e.json.l2Size == "0.012" and e.json.l2Value == "1080.0108", "l2Size = size, l2Value = price x size exactly")
  t.is(e.json.l2LimitFee, "1", "fee cap: ceil(1080.0108 x 0.00038) to a whole unit")
  t.ok(e.json.clientOrderId == "hedge-test.1_A" and e.json.reduceOnly == false and e.json.accountId == keys.v2.account.account_id,
    "client id, reduceOnly false, account id")
  t.ok(#e.json.l2Signature == 130 and e.json.l2Signature:match("^%x+$"), "l2Signature: 130 hex digits, no 0x")
  t.ok(e.headers["x-edgex-api-key"] == keys.v2.account.api_key and e.headers["x-edgex-signature"]:match("^%x+$") and #e.headers["x-edgex-signature"] == 64
    and e.headers["x-edgex-api-timestamp"] == nil, "the four v2 headers (and no v1 header)")
  local expire, l2expire = tonumber(e.json.expireTime), tonumber(e.json.l2ExpireTime)
  t.is(l2expire - expire, 8 * 86400000, "l2ExpireTime = expireTime + 8 days")
  t.is(r.id, ("564%015d"):format(e.order_id), "the result carries the venue's order id (an 18-digit string)")
  t.ok(r.size == D("0.012") and r.price == D("90000.9") and r.client_id == "hedge-test.1_A", "the result carries what was sent")

  assert(v:place { symbol = "BTC", side = "sell", size = "0.002", price = "110000.01", type = "limit", tif = "gtc" })
  e = last("edgex", path)
  t.ok(e.json.price == "110000.1" and e.json.timeInForce == "GOOD_TIL_CANCEL" and e.json.side == "SELL", "sell price rounded up, GTC")

  local m = assert(v:market("BTC"))
  local buy = assert(v:place { symbol = "BTC", side = "buy", size = "0.002", type = "market", slippage_bps = 25 })
  e = last("edgex", path)
  t.ok(e.json.type == "MARKET" and e.json.price == "0" and e.json.timeInForce == "IMMEDIATE_OR_CANCEL", "market: price \"0\", IOC")
  t.ok(buy.worst_price == D("100250") and e.json.l2Value == "200.5", "market buy signs mark x 1.0025 (ceil to tick) as its worst price")
  t.ok(m.tick == D("0.1"), "tick from metadata")
  local sell = assert(v:close_position("BTC"))
  e = last("edgex", path)
  t.ok(e.json.reduceOnly == true and e.json.side == "SELL" and e.json.size == "0.002", "close_position: reduce-only sell of the whole long")
  t.ok(sell.worst_price == D("99500"), "market sell worst price: mark x (1 - 50 bps) floored to the tick")
  sim:wait_for(function() return #sim:account("edgex", keys.v2.account.account_id).positions == 0 end, 5, "flat")

  -- cancels
  local open = assert(v:open_orders("BTC"))
  t.is(#open, 2, "two resting orders")
  assert(v:cancel(r.client_id, "BTC"))
  e = last("edgex", "/api/v2/private/order/cancelOrderByClientOrderId")
  t.ok(e.json and e.json.clientOrderIdList[1] == r.client_id and e.verified.ok, "cancel by client id: clientOrderIdList")
  local other = open[1].client_id == r.client_id and open[2] or open[1]
  assert(v:cancel(other.id, "BTC"))
  e = last("edgex", "/api/v2/private/order/cancelOrderById")
  t.is(e.body, ('{"accountId":"%s","orderIdList":["%s"]}'):format(keys.v2.account.account_id, other.id), "cancel by id: exact body")
  assert(v:place { symbol = "ETH", side = "buy", size = "0.1", price = "3000", type = "limit" })
  local ca = assert(v:cancel_all("ETH"))
  e = last("edgex", "/api/v2/private/order/cancelAllOrder")
  t.ok(ca.cancelled == 1 and e.json.filterContractIdList[1] == "30000002", "cancel_all(ETH): filterContractIdList, one cancelled")

  -- leverage and margin mode
  assert(v:set_leverage("ETH", 7, "isolated"))
  local mm = last("edgex", "/api/v2/private/account/setMarginMode")
  e = last("edgex", "/api/v2/private/account/updateLeverageSetting")
  t.ok(mm.json.marginMode == "1" and mm.json.contractId == "30000002" and mm.json.signer == keys.v2.account.signer_address and not mm.refused,
    "setMarginMode: isolated is \"1\", signed by the order key, accepted")
  t.is(e.body, ('{"accountId":"%s","contractId":"30000002","leverage":"7"}'):format(keys.v2.account.account_id), "updateLeverageSetting: exact body")
  local none, lerr = v:set_leverage("ETH", 51)
  t.ok(none == nil and lerr.kind == "invalid_order", "leverage above the contract's maximum refused before sending")

  -- client ids
  t.ok(B.is_uuid(v.new_client_id()), "new_client_id: a UUID")
  t.raises(function() v:place { symbol = "BTC", side = "buy", size = "0.002", type = "market", client_id = "a b" } end, "client_id", "a client id with a space raises")
  local bad, berr = v:cancel("not an id!", "BTC")
  t.ok(bad == nil and berr.kind == "order_not_found" and berr.outcome == "rejected", "cancel of text that is no id: order_not_found")
  v:close()
end)

-- ---- v1: exact order requests -------------------------------------------------------------------------
run("v1 orders", function()
  local v = assert(W.client(sim, "v1"))
  local path = "/api/v1/private/order/createOrder"
  assert(v:place { symbol = "BTC", side = "buy", size = "0.002", price = "99000.05", type = "limit", tif = "gtc" })
  local e = last("edgex_v1", path)
  t.ok(e.verified and e.verified.ok and e.verified.auth == "stark" and not e.refused, "v1 limit: Stark request and order signatures accepted")
  t.ok(e.json.price == "99000" and e.json.l2Value == "198" and e.json.l2LimitFee == "1", "v1: price to the tick, value, fee cap")
  t.ok(#e.json.l2Signature == 128 and e.headers["x-edgex-api-signature"] and #e.headers["x-edgex-api-signature"] == 128
    and e.headers["x-edgex-api-key"] == nil, "v1: r||s order signature and the two Stark headers")
  t.is(tonumber(e.json.l2ExpireTime) - tonumber(e.json.expireTime), 10 * 86400000, "v1: Go SDK expiry rule (l2 = expire + 10 days)")
  assert(v:place { symbol = "BTC", side = "buy", size = "0.002", type = "market" })
  e = last("edgex_v1", path)
  t.ok(e.json.type == "MARKET" and e.json.l2Value == "201" and not e.refused, "v1 market buy at the bounded worst price")
  assert(v:close_position("BTC"))
  assert(v:cancel_all())
  local all = assert(v:funding_rates())
  t.ok(all.BTC and all.SOL and all.SOL.interval_ms == 3600000 and all.SOL.rate == 0.00002, "v1 funding_rates(): every contract in one call")
  local margin, merr = v:set_leverage("BTC", 3, "isolated")
  t.ok(margin == nil and merr.kind == "not_supported", "v1 has no margin mode")
  v:close()
end)

-- ---- funding -----------------------------------------------------------------------------------
run("funding", function()
  local v = assert(W.client(sim, "v2"))
  local f = assert(v:funding_rates { "SOL", "BTC" })
  t.is(f.SOL.interval_ms, 3600000, "SOL: hourly funding from fundingRateIntervalMin 60")
  t.ok(f.SOL.rate == 0.00002 and f.SOL.last_rate == 0.00001, "rate = the live estimate, last_rate = the settled one")
  t.ok(math.abs(f.SOL.apr - 0.00002 * 8760) < 1e-12, "SOL APR = rate x 8760")
  t.ok(f.BTC.interval_ms == 14400000 and math.abs(f.BTC.rate_per_hour - 0.0001 / 4) < 1e-15, "BTC: 4-hour interval, rate per hour = rate / 4")
  local all = assert(v:funding_rates())
  t.ok(all.BTC and all.ETH and all.SOL, "funding_rates() covers every contract")
  local none, err = v:funding_rates { "NOPE" }
  t.ok(none == nil and err.kind == "bad_symbol", "unknown symbol: bad_symbol")
  sim:advance(14400000)
  local h = assert(v:funding_history("BTC", { limit = 5 }))
  t.ok(#h >= 1 and h[1].rate == 0.0001 and h[1].interval_ms == 14400000, "history: the settled rate after a boundary passed")
  v:close()
end)

-- ---- start-up checks: a key the account does not know stops the client ------------------------------
run("key checks", function()
  -- v2: a wrong HMAC secret is refused by the simulator; the client stops
  local bad_secret = assert(W.client(sim, "v2", { api_secret = keys.v2.other.api_secret }))
  local ok, err = bad_secret:start()
  local e = last("edgex", "/api/v2/private/account/getAccountAsset")
  t.ok(e.status == 401 and e.verified and e.verified.reason == "bad_hmac", "the simulator refused the wrong HMAC")
  t.ok(not ok and err.kind == "auth" and err.fatal and err.msg:find("refused for edgeX account " .. keys.v2.account.account_id, 1, true),
    "v2 wrong secret: start stops with a clear message (" .. tostring(err and err.msg) .. ")")
  local before = count("edgex", "/api/v2/private/order/createOrder")
  local none, perr = bad_secret:place { symbol = "BTC", side = "buy", size = "0.002", type = "market" }
  t.ok(none == nil and perr.kind == "auth" and perr.outcome == "rejected", "a stopped client refuses to place")
  t.is(count("edgex", "/api/v2/private/order/createOrder"), before, "and sends nothing")
  -- v2: the other account's API key for this account id
  local k = keys.v2.other
  local wrong_account = assert(W.client(sim, "v2", { api_key = k.api_key, api_passphrase = k.api_passphrase, api_secret = k.api_secret }))
  ok, err = wrong_account:start()
  t.ok(not ok and err.kind == "auth" and err.msg:find("does not belong to account", 1, true), "v2 API key of another account: stopped (" .. tostring(err and err.msg) .. ")")
  -- v2: a signer key registered nowhere is found out by the first order, which stops the client
  local stranger = assert(W.client(sim, "v2", { private_key = keys.v2_stranger_signer.signer_private_key }))
  assert(stranger:start())
  none, perr = stranger:place { symbol = "BTC", side = "buy", size = "0.002", type = "market" }
  e = last("edgex", "/api/v2/private/order/createOrder")
  t.ok(e.refused and e.refused.reason == "bad_l2_signature", "the simulator refused the stranger's order signature")
  t.ok(none == nil and perr.kind == "auth" and perr.outcome == "rejected" and perr.fatal
    and perr.msg:find(keys.v2_stranger_signer.signer_address, 1, true), "the client reports the signer address and stops (" .. tostring(perr and perr.msg) .. ")")
  before = count("edgex", "/api/v2/private/order/createOrder")
  none, perr = stranger:place { symbol = "BTC", side = "buy", size = "0.002", type = "market" }
  t.ok(none == nil and perr.kind == "auth" and count("edgex", "/api/v2/private/order/createOrder") == before, "no further order is sent")
  -- v1: another account's Stark key: the request signature is refused, the client stops
  local v1_wrong = assert(W.client(sim, "v1", { private_key = keys.v1.other.stark_private_key }))
  ok, err = v1_wrong:start()
  t.ok(not ok and err.kind == "auth" and err.fatal and err.msg:find("the Stark private key was refused", 1, true), "v1 wrong Stark key: stopped (" .. tostring(err and err.msg) .. ")")
  -- v1: the l2Key check itself, on an account answer whose l2Key is another key's
  local v1 = assert(W.client(sim, "v1"))
  local good = W.client(sim, "v1")
  assert(good:start())
  local entry = last("edgex_v1", "/api/v1/private/account/getAccountAsset")
  local body = entry.response:gsub(keys.v1.account.l2_key:sub(3), keys.v1.other.l2_key:sub(3))
  sim:fault { venue = "edgex_v1", match = { kind = "http", path = "/api/v1/private/account/getAccountAsset" }, action = { type = "bad_payload", mode = "raw", body = body }, count = 1 }
  ok, err = v1:start()
  t.ok(not ok and err.kind == "auth" and err.msg:find("the Stark private key does not belong", 1, true), "v1: an l2Key that is not our key's stops the client (" .. tostring(err and err.msg) .. ")")
  local bal, berr = v1:balance()
  t.ok(bal == nil and berr.kind == "auth" and berr.msg == err.msg, "every later private call gives the same error")
  for _, c in ipairs { bad_secret, wrong_account, stranger, v1_wrong, v1, good } do c:close() end
end)

-- ---- the simulator refuses a wrong HMAC and an expired request; the client resyncs its clock --------
run("request auth", function()
  local a = keys.v2.account
  local signer = assert(es.v2_new { private_key = a.signer_private_key, api_key = a.api_key, api_passphrase = a.api_passphrase, api_secret = a.api_secret })
  local path = "/api/v2/private/account/getAccountAsset"
  local function get(ts, tamper)
    local req = assert(signer:sign_request { method = "GET", path = path, query = { accountId = a.account_id }, timestamp_ms = ts })
    if tamper then req.headers["X-edgeX-Signature"] = req.headers["X-edgeX-Signature"]:gsub("^.", function(c) return c == "0" and "1" or "0" end) end
    return assert(hedge.http.request { url = sim.addr.edgex.host .. req.target, headers = req.headers })
  end
  local res = get(hedge.now_ms())
  t.is(res.status, 200, "a correct HMAC is accepted")
  res = get(hedge.now_ms(), true)
  t.ok(res.status == 401 and res.body:find("SIGNATURE_ERROR", 1, true), "one changed hex digit of the HMAC: 401 SIGNATURE_ERROR")
  res = get(hedge.now_ms() - 120000)
  t.ok(res.status == 401 and res.body:find("REQUEST_EXPIRED", 1, true), "a request 2 minutes old: 401 REQUEST_EXPIRED")
  signer:wipe()
  local v = assert(W.client(sim, "v2"))
  assert(v:start())
  v._clock_offset_ms = -120000   -- as if our clock were two minutes behind the venue's
  local n = count("edgex", path)
  local bal, err = v:balance()
  local entries = sim:requests { venue = "edgex", path = path }
  t.ok(bal ~= nil and #entries == n + 2 and entries[n + 1].status == 401, "an expired timestamp is resynced and retried once (" .. tostring(err) .. ")")
  t.ok(math.abs(v._clock_offset_ms) < 5000, "the offset was measured again")
  v:close()
end)

-- ---- secrets stay out of errors --------------------------------------------------------------------------
run("redaction", function()
  local v = assert(W.client(sim, "v2"))
  local key = keys.v2.account.api_key
  sim:fault { venue = "edgex", match = { kind = "http", path = "/api/v2/private/order/createOrder" },
              action = { type = "reject", error = "invalid_order", message = "api key " .. key .. " may not do this" }, count = 1 }
  local none, err = v:place { symbol = "BTC", side = "buy", size = "0.002", type = "market" }
  t.ok(none == nil and err.kind == "invalid_order", "the refusal comes back")
  t.ok(not err.msg:find(key, 1, true) and err.msg:find("<redacted>", 1, true), "the API key the venue echoed is redacted from msg")
  t.ok(not tostring(err.raw):find(key, 1, true), "and from raw")
  t.ok(not tostring(v):find(key, 1, true) and v.api_key == nil and v.api_secret == nil, "the client table holds no secret")
  v:close()
end)

-- ---- v1 refuses to trade without live market data ----------------------------------------------------
run("v1 without market data", function()
  sim:load(W.scenario { v1_options = { serve_market_data = false } })
  local v = assert(W.client(sim, "v1"))
  local markets = assert(v:markets())
  t.is(#markets, 3, "v1 still lists its contracts")
  local before = count("edgex_v1", "/api/v1/private/order/createOrder")
  local none, err = v:place { symbol = "BTC", side = "buy", size = "0.002", price = "99000", type = "limit" }
  t.ok(none == nil and err.kind == "not_supported" and err.outcome == "rejected" and not err.retryable, "place refused: not_supported, rejected")
  t.ok(err.msg:find("v1 serves no live market data", 1, true) and err.msg:find("v2", 1, true), "and says why and what to use (" .. tostring(err.msg) .. ")")
  t.is(count("edgex_v1", "/api/v1/private/order/createOrder"), before, "nothing was sent")
  none, err = v:close_position("BTC")
  t.is(none and none.status, "flat", "close_position on a flat account: flat (" .. tostring(err) .. ")")
  none, err = v:funding_rates { "BTC" }
  t.ok(none == nil and err.kind == "unavailable" and err.msg:find("no longer serves market data", 1, true), "funding: unavailable, explained")
  none, err = v:ticker("BTC")
  t.ok(none == nil and err.kind == "unavailable", "ticker: unavailable")
  v:close()
  sim:load(W.scenario())
end)

-- ---- keys from the environment: a malformed value is refused naming its variable -----------------
run("environment", function()
  local script = os.tmpname()
  local f = assert(io.open(script, "wb"))
  f:write([[
    local E = require "venues.edgex"
    for _, version in ipairs { "v2", "v1" } do
      local v, err = E.new { api_version = version, network = "mainnet" }
      io.write(version, " ", v and "ok" or (err.kind .. " " .. err.msg), "\n")
    end
  ]])
  f:close()
  local hedge_bin = os.getenv("HEDGE_BIN") or "./hedge"
  local function run_with(vars)
    local args = { "-i" }
    for _, kv in ipairs(vars) do args[#args + 1] = kv end
    args[#args + 1], args[#args + 2] = hedge_bin, script
    local proc = assert(hedge.process.spawn { cmd = "env", args = args })
    local lines = {}
    for _ = 1, 2 do lines[#lines + 1] = proc:read_line(10) end
    proc:wait(10)
    return lines
  end
  local a = keys.v2.account
  local good = { "EDGEX_API_KEY=" .. a.api_key, "EDGEX_API_PASSPHRASE=" .. a.api_passphrase, "EDGEX_API_SECRET=" .. a.api_secret }
  local lines = run_with { "EDGEX_ACCOUNT_ID=7x" }
  t.ok(lines[1]:find("v2 auth EDGEX_ACCOUNT_ID must be the numeric", 1, true) ~= nil, "a malformed EDGEX_ACCOUNT_ID is named (" .. tostring(lines[1]) .. ")")
  local vars = { "EDGEX_ACCOUNT_ID=" .. a.account_id, "EDGEX_TRADING_PRIVATE_KEY=00", "EDGEX_STARK_PRIVATE_KEY=0x" .. ("f"):rep(64) }
  for _, kv in ipairs(good) do vars[#vars + 1] = kv end
  lines = run_with(vars)
  t.ok(lines[1]:find("v2 auth EDGEX_TRADING_PRIVATE_KEY must be exactly 64 hex digits", 1, true) ~= nil, "a malformed EDGEX_TRADING_PRIVATE_KEY is named")
  t.ok(lines[2]:find("v1 auth EDGEX_STARK_PRIVATE_KEY", 1, true) ~= nil and not lines[2]:find(("f"):rep(64), 1, true), "an out-of-range EDGEX_STARK_PRIVATE_KEY is named, its value is not shown")
  vars[2], vars[3] = "EDGEX_TRADING_PRIVATE_KEY=" .. a.signer_private_key, "EDGEX_STARK_PRIVATE_KEY=" .. keys.v1.account.stark_private_key
  lines = run_with(vars)
  t.ok(lines[1] == "v2 ok" and lines[2] == "v1 ok", "well-formed keys from the environment build both clients")
  os.remove(script)
end)

sim:stop()
t.done()
