-- edgeX against the simulator through the conformance matrix (tests/conformance/lib/matrix.lua),
-- for the current API (v2, simulator venue "edgex") and the legacy StarkEx API (v1, "edgex_v1").
-- Run: ./hedge tests/conformance/edgex.lua  (from the repository root; prints TAP)
local here = (arg and arg[0] or ""):match("^(.*)/[^/]*$") or "."
package.path = here .. "/../lua/?.lua;" .. package.path

local hedge = require "hedge"
local t = require "lib.tap"
local simlib = require "lib.sim"
local matrix = require "lib.matrix"
local W = require "lib.edgex_world"
local es = require "edgex.signer"

local keys = W.keys()
-- Reconnects and start-ups are provoked on purpose here; their info lines would only clutter the TAP run.
for _, module in ipairs { "edgex", "edgex.ws", "edgex.private.ws" } do require("hedge.log").set_level(module, "warn") end
local sim = simlib.start { scenario = W.scenario() }

-- A real order for `symbol`, signed with the account's own key, with one hex digit of its L2
-- signature changed; the request itself is authenticated correctly, so only the order
-- signature is wrong. Sent as is.
local function corrupt_order(s, v, version)
  local m = assert(v:market("BTC"))
  local addr = s.addr[W.venue(version)]
  local signer, order
  local common = {
    account_id = v.account_id, side = "BUY", type = "MARKET", time_in_force = "IMMEDIATE_OR_CANCEL",
    worst_price = "101000", size = "0.002", client_order_id = v.new_client_id(), now_ms = v:now_ms(),
  }
  if version == "v2" then
    local a = keys.v2.account
    signer = assert(es.v2_new { private_key = a.signer_private_key, api_key = a.api_key, api_passphrase = a.api_passphrase, api_secret = a.api_secret })
    local meta = assert(v:_load_metadata("test"))
    assert(signer:set_domain(meta.chain_id, meta.contract_address))
    common.market = { contract_id = m.id, quote_coin_id = m.quote_coin_id, synthetic_resolution = m.resolution,
                      collateral_resolution = meta.collateral.resolution, tick_size = tostring(m.tick),
                      taker_fee_rate = tostring(m.taker_fee), maker_fee_rate = tostring(m.maker_fee) }
  else
    signer = assert(es.v1_new { private_key = keys.v1.account.stark_private_key })
    common.market = { contract_id = m.id, synthetic_asset_id = m.synthetic_asset_id, synthetic_resolution = m.resolution,
                      collateral_asset_id = m.coin.stark_asset_id, collateral_resolution = m.coin.stark_resolution, tick_size = tostring(m.tick) }
    common.fee_rate = "0.00038"
  end
  order = assert(signer:sign_order(common))
  local sig = order.signature
  local flipped = sig:sub(1, 20) .. (sig:sub(21, 21) == "a" and "b" or "a") .. sig:sub(22)
  local body = order.body:gsub(sig, flipped, 1)
  local rendered = order.rendered_params:gsub(sig, flipped, 1)
  local path = "/api/" .. version .. "/private/order/createOrder"
  local req = assert(signer:sign_request { method = "POST", path = path, rendered_params = rendered, timestamp_ms = v:now_ms() })
  req.headers["Content-Type"] = "application/json"
  local res = assert(hedge.http.request { method = "POST", url = addr.host .. path, body = body, headers = req.headers })
  local entries = s:requests { venue = W.venue(version), path = path }
  local entry = entries[#entries]
  t.ok(entry and entry.verified and entry.verified.ok, "the request itself authenticated (" .. version .. ")")
  t.is(entry and entry.refused and entry.refused.reason, "bad_l2_signature", "the simulator refused the order's L2 signature")
  local e = v:classify(res.body, res.status)
  t.is(e.kind, "auth", "which the client classifies as auth (" .. tostring(e.msg) .. ")")
  signer:wipe()
  return { status = res.status, text = res.body }
end

local function adapter(version)
  local venue = W.venue(version)
  local prefix = "/api/" .. version
  local contract = version == "v2" and "30000001" or "10000001"
  local account = version == "v2" and keys.v2.account.account_id or keys.v1.account.account_id
  local function http(path) return { kind = "http", path = prefix .. path } end
  local create = http("/private/order/createOrder")
  return {
    name = venue,
    symbol = "BTC",
    size = "0.002",   -- the BTC minimum (its step 0.001 is refused before sending)
    account = account,
    new_venue = function(s, overrides) return W.client(s, version, overrides) end,
    match = {
      markets = { kind = "http", method = "GET", path = prefix .. "/public/meta/getMetaData" },
      balance = http("/private/account/getAccountAsset"),
      place_market = create,
      place_limit = create,
      book_stream = { kind = "ws_out", channel = ("depth.%s.15"):format(contract) },
    },
    bad_payloads = {
      { name = "truncated metadata", match = http("/public/meta/getMetaData"), action = { type = "bad_payload", mode = "truncate" },
        call = function(v) return v:markets() end },
      { name = "metadata without a tick size", match = http("/public/meta/getMetaData"),
        action = { type = "bad_payload", mode = "missing", field = "data.contractList.0.tickSize" }, call = function(v) return v:markets() end },
      { name = "depth level price null", match = http("/public/quote/getDepth"),
        action = { type = "bad_payload", mode = "null", field = "data.0.bids.0.price" }, call = function(v) return v:order_book("BTC") end },
      { name = "ticker oracle price of the wrong type", match = http("/public/quote/getTicker"),
        action = { type = "bad_payload", mode = "wrong_type", field = "data.*.oraclePrice" }, call = function(v) return v:ticker("BTC") end },
      { name = "funding rate of the wrong type", match = http("/public/funding/getLatestFundingRate"),
        action = { type = "bad_payload", mode = "wrong_type", field = "data.*.fundingRate" }, call = function(v) return v:funding_rates { "BTC" } end },
      { name = "account asset as HTML", match = http("/private/account/getAccountAsset"),
        action = { type = "bad_payload", mode = "raw", body = "<html>502 Bad Gateway</html>" }, call = function(v) return v:balance() end },
      { name = "account asset data missing", match = http("/private/account/getAccountAsset"),
        action = { type = "bad_payload", mode = "missing", field = "data" }, call = function(v) return v:positions() end },
      { name = "open orders with a null order id", match = http("/private/order/getActiveOrderPage"),
        action = { type = "bad_payload", mode = "null", field = "data.dataList.*.id" },
        call = matrix.open_orders_after_resting("BTC", "0.002") },
      { name = "truncated order answer", match = create, action = { type = "bad_payload", mode = "truncate" },
        call = matrix.market_buy("BTC", "0.002"), order = true },
      { name = "order answer with a numeric order id", match = create,
        action = { type = "bad_payload", mode = "wrong_type", field = "data.orderId" },
        call = matrix.market_buy("BTC", "0.002"), order = true },
    },
    corrupt_signature = function(s, v) return corrupt_order(s, v, version) end,
  }
end

for _, version in ipairs { "v2", "v1" } do
  t.diag("edgeX " .. version .. " (simulator venue " .. W.venue(version) .. ")")
  matrix.run_guarded(t, sim, adapter(version), "the " .. version .. " matrix")
end
sim:stop()
t.done()
