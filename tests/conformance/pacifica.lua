-- Pacifica against the simulator through the conformance matrix (tests/conformance/lib/matrix.lua).
-- Run: ./hedge tests/conformance/pacifica.lua  (from the repository root; prints TAP)
local here = (arg and arg[0] or ""):match("^(.*)/[^/]*$") or "."
package.path = here .. "/../lua/?.lua;" .. package.path

local t = require "lib.tap"
local simlib = require "lib.sim"
local matrix = require "lib.matrix"
local P = require "venues.pacifica"
local ps = require "pacifica.signer"

local keys = simlib.keys()
-- Reconnects are provoked on purpose here; their info lines would only clutter the TAP run.
require("hedge.log").set_level("pacifica.ws", "warn")
local sim = simlib.start {}

local adapter = {
  name = "pacifica",
  symbol = "BTC",
  size = "0.002",   -- 200 USD at the default mark: above the 10 USD minimum, inside one book level
  account = keys.account.public_key,
  new_venue = function(s, overrides)
    local opts = {
      rest = s.addr.pacifica.rest, ws = s.addr.pacifica.ws, account = keys.account.public_key,
      agent_wallet = keys.agent.public_key, secret_key = keys.agent.secret_key_base58, timeout = 5,
    }
    for k, v in pairs(overrides or {}) do opts[k] = v end
    return P.new(opts)
  end,
  match = {
    markets = { kind = "http", method = "GET", path = "/api/v1/info" },
    balance = { kind = "http", method = "GET", path = "/api/v1/account" },
    place_market = { kind = "http", op = "create_market_order" },
    place_limit = { kind = "http", op = "create_order" },
    book_stream = { kind = "ws_out", channel = "book" },
  },
  bad_payloads = {
    { name = "truncated markets", match = { kind = "http", path = "/api/v1/info" }, action = { type = "bad_payload", mode = "truncate" },
      call = function(v) return v:markets() end },
    { name = "markets without a tick size", match = { kind = "http", path = "/api/v1/info" },
      action = { type = "bad_payload", mode = "missing", field = "data.0.tick_size" }, call = function(v) return v:markets() end },
    { name = "book level price null", match = { kind = "http", path = "/api/v1/book" },
      action = { type = "bad_payload", mode = "null", field = "data.l.0.0.p" }, call = function(v) return v:order_book("BTC") end },
    { name = "prices mark of the wrong type", match = { kind = "http", path = "/api/v1/info/prices" },
      action = { type = "bad_payload", mode = "wrong_type", field = "data.*.mark" }, call = function(v) return v:ticker("BTC") end },
    { name = "account as HTML", match = { kind = "http", path = "/api/v1/account" },
      action = { type = "bad_payload", mode = "raw", body = "<html>502 Bad Gateway</html>" }, call = function(v) return v:balance() end },
    { name = "positions data missing", match = { kind = "http", path = "/api/v1/positions" },
      action = { type = "bad_payload", mode = "missing", field = "data" }, call = function(v) return v:positions() end },
    { name = "open orders with a null order id", match = { kind = "http", path = "/api/v1/orders" },
      action = { type = "bad_payload", mode = "null", field = "data.*.order_id" },
      call = matrix.open_orders_after_resting("BTC", "0.002") },
    { name = "truncated order answer", match = { kind = "http", op = "create_market_order" }, action = { type = "bad_payload", mode = "truncate" },
      call = matrix.market_buy("BTC", "0.002"), order = true },
    { name = "order answer with a text order id", match = { kind = "http", op = "create_market_order" },
      action = { type = "bad_payload", mode = "wrong_type", field = "data.order_id" },
      call = matrix.market_buy("BTC", "0.002"), order = true },
  },
  -- Signs a real order with the agent key, changes one character of the signature and sends
  -- the body unchanged otherwise.
  corrupt_signature = function(s, v)
    local signer = assert(ps.new { secret_key = keys.agent.secret_key_base58, account = keys.account.public_key, agent_wallet = keys.agent.public_key })
    local req = assert(signer:sign("create_market_order", {
      symbol = "BTC", amount = "0.002", side = "bid", slippage_percent = "0.5", reduce_only = false,
      client_order_id = require("venues.base").new_client_id(),
    }))
    local sig = req.signature
    local swapped = sig:sub(1, 10) .. (sig:sub(11, 11) == "A" and "B" or "A") .. sig:sub(12)
    local body = req.body:gsub(sig, swapped, 1)
    local res = assert(require("hedge").http.request {
      method = "POST", url = s.addr.pacifica.host .. req.path, body = body, headers = { ["Content-Type"] = "application/json" },
    })
    local entry = s:requests { path = req.path }
    entry = entry[#entry]
    t.is(entry and entry.verified and entry.verified.reason, "bad_signature", "the simulator found the signature bad")
    t.is(res.body, "Verification failed", "with the venue's bare text")
    local e = v:classify(res.body, res.status)
    t.is(e.kind, "auth", "which the client classifies as auth")
    return { status = res.status, text = res.body }
  end,
}

matrix.run_guarded(t, sim, adapter)
sim:stop()
t.done()
-- Nothing may keep the process alive after the report (a stream left open by a failure).
require("hedge").exit(0)
