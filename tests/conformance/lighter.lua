-- Lighter against the simulator through the conformance matrix (tests/conformance/lib/matrix.lua).
-- Run: ./hedge tests/conformance/lighter.lua  (from the repository root; prints TAP)
-- The Lighter-specific checks (concurrent orders and nonces, nonce resync, book gaps, funding
-- units) are in tests/lua/lighter_client.lua.
local here = (arg and arg[0] or ""):match("^(.*)/[^/]*$") or "."
package.path = here .. "/../lua/?.lua;" .. package.path

local t = require "lib.tap"
local simlib = require "lib.sim"
local matrix = require "lib.matrix"
local L = require "venues.lighter"
local ls = require "lighter.signer"
local lp = require "lighter.parse"

local keys = simlib.lighter_keys()
local sim = simlib.start {}

local function new_venue(s, overrides)
  local opts = {
    rest = s.addr.lighter.rest, ws = s.addr.lighter.ws, chain_id = keys.chain_id, account_index = keys.account,
    api_key_index = keys.api_key_3.api_key_index, private_key = keys.api_key_3.private_key, timeout = 5,
  }
  for k, v in pairs(overrides or {}) do opts[k] = v end
  return L.new(opts)
end

local adapter = {
  name = "lighter",
  symbol = "ETH",
  size = "0.05",   -- 175 USD at the default mark: above the 10 USD and 0.005 ETH minimums, inside one book level
  account = tostring(keys.account),
  new_venue = new_venue,
  match = {
    markets = { kind = "http", method = "GET", path = "/api/v1/orderBookDetails" },
    balance = { kind = "http", method = "GET", path = "/api/v1/account" },
    place_market = { kind = "http", op = "create_order" },
    place_limit = { kind = "http", op = "create_order" },
    book_stream = { kind = "ws_out", channel = "order_book" },
  },
  bad_payloads = {
    { name = "truncated markets", match = { kind = "http", path = "/api/v1/orderBookDetails" }, action = { type = "bad_payload", mode = "truncate" },
      call = function(v) return v:markets() end },
    { name = "markets with a null minimum size", match = { kind = "http", path = "/api/v1/orderBookDetails" },
      action = { type = "bad_payload", mode = "null", field = "order_book_details.0.min_base_amount" }, call = function(v) return v:markets() end },
    { name = "book order price null", match = { kind = "http", path = "/api/v1/orderBookOrders" },
      action = { type = "bad_payload", mode = "null", field = "bids.0.price" }, call = function(v) return v:order_book("ETH") end },
    { name = "funding rate of the wrong type", match = { kind = "http", path = "/api/v1/funding-rates" },
      action = { type = "bad_payload", mode = "wrong_type", field = "funding_rates.*.rate" }, call = function(v) return v:funding_rates { "ETH" } end },
    { name = "account as HTML", match = { kind = "http", path = "/api/v1/account" },
      action = { type = "bad_payload", mode = "raw", body = "<html>502 Bad Gateway</html>" }, call = function(v) return v:balance() end },
    { name = "positions list missing its size", match = { kind = "http", path = "/api/v1/account" },
      action = { type = "bad_payload", mode = "missing", field = "accounts.0.collateral" }, call = function(v) return v:positions() end },
    { name = "open orders with a null order index", match = { kind = "http", path = "/api/v1/accountActiveOrders" },
      action = { type = "bad_payload", mode = "null", field = "orders.*.order_index" },
      call = matrix.open_orders_after_resting("ETH", "0.05") },
    { name = "truncated order answer", match = { kind = "http", op = "create_order" }, action = { type = "bad_payload", mode = "truncate" },
      call = matrix.market_buy("ETH", "0.05"), order = true },
    { name = "order answer with a numeric tx hash", match = { kind = "http", op = "create_order" },
      action = { type = "bad_payload", mode = "wrong_type", field = "tx_hash" },
      call = matrix.market_buy("ETH", "0.05"), order = true },
  },
  -- Signs a real order with the API key, changes one character of the base64 signature and
  -- sends the form unchanged otherwise.
  corrupt_signature = function(s, v)
    local signer = assert(ls.new { private_key = keys.api_key_3.private_key, account_index = keys.account, api_key_index = keys.api_key_3.api_key_index, chain_id = keys.chain_id })
    local nonce = assert(v:next_nonce())
    local tx = assert(signer:create_order { market_index = 0, client_order_index = 4242, base_amount = 500, price = 340000, side = "buy",
      type = "limit", time_in_force = "gtt", nonce = nonce })
    local sig = tx.tx_info:match('"Sig":"([^"]+)"')
    local swapped = sig:sub(1, 10) .. (sig:sub(11, 11) == "A" and "B" or "A") .. sig:sub(12)
    local info = tx.tx_info:gsub(sig:gsub("%p", "%%%0"), swapped, 1)
    local res = assert(require("hedge").http.request {
      method = "POST", url = s.addr.lighter.rest .. "/sendTx", body = L.form { { "tx_type", tx.tx_type }, { "tx_info", info } },
      headers = { ["Content-Type"] = "application/x-www-form-urlencoded" },
    })
    local entry = s:requests { venue = "lighter", path = "/api/v1/sendTx" }
    entry = entry[#entry]
    t.is(entry and entry.verified and entry.verified.reason, "bad_signature", "the simulator found the signature bad")
    t.is(lp.error(res.body, res.status).code, 21120, "with the venue's code 21120")
    t.is(v:classify(res.body, res.status).kind, "auth", "which the client classifies as auth")
    t.is(v:next_nonce(), nonce, "and the refused tx did not consume its nonce")
    return { status = res.status, text = res.body }
  end,
}

matrix.run_guarded(t, sim, adapter)
sim:stop()
t.done()
