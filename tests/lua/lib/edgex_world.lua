-- An edgeX world for Lua tests against the simulator (tests/sim, venues "edgex" = v2 and
-- "edgex_v1" = v1) and clients for its made-up accounts (tests/sim/scenarios/test_keys.json).
--
--   local W = require "lib.edgex_world"
--   local sim = require("lib.sim").start{scenario = W.scenario()}
--   local v = W.client(sim, "v2", {timeout = 5})          -- the funded account, its own keys
--   W.keys().v2.account.signer_private_key ...
local cjson = require "cjson"
local E = require "venues.edgex"

local W = {}

local SIM_DIR = os.getenv("HEDGE_SIM_DIR") or "tests/sim"

function W.keys()
  local f = assert(io.open(SIM_DIR .. "/scenarios/test_keys.json", "rb"))
  local keys = cjson.decode(f:read("*a")).edgex
  f:close()
  return keys
end

-- BTC: a scripted book (every fill price known), a minimum order of 0.002 above the 0.001 step
-- (so one step is refused before sending); ETH: a synthetic book; SOL: hourly funding. Every
-- market settled a rate other than the one it accrues now.
local function markets(refill_ms)
  local btc = {
    symbol = "BTC", tick = "0.1", step = "0.001", max_leverage = 50, mark = "100000", index = "100000",
    taker_fee = "0.00038", maker_fee = "0.00015", volume_24h = "250000000", yesterday_price = "99000",
    funding = { rate = "0.00008", next_rate = "0.0001" },
    book = { synthetic = { levels = 10, spread_bps = "2", step_bps = "1", size = "0.5", refill_ms = refill_ms } },
    dialect = { min_order_size = "0.002" },
  }
  local eth = {
    symbol = "ETH", tick = "0.01", step = "0.01", max_leverage = 50, mark = "3500", index = "3500",
    taker_fee = "0.00038", maker_fee = "0.00015", funding = { rate = "0.000015", next_rate = "0.00002" },
    book = { synthetic = { levels = 5, spread_bps = "2", step_bps = "1", size = "10", refill_ms = refill_ms } },
  }
  local sol = {
    symbol = "SOL", tick = "0.001", step = "0.1", max_leverage = 20, mark = "150", index = "150",
    taker_fee = "0.0005", maker_fee = "0.0002", funding = { rate = "0.00001", next_rate = "0.00002", interval_ms = 3600000 },
    book = { synthetic = { levels = 5, spread_bps = "4", step_bps = "2", size = "500", refill_ms = refill_ms } },
  }
  return { btc, eth, sol }
end

-- scenario{v1_options = {...}, v2_options = {...}, clock = {...}, refill_ms = 1000} -> scenario table
-- (refill_ms: how often the simulator restores its own liquidity after trades took it)
function W.scenario(opts)
  opts = opts or {}
  local k = W.keys()
  local function v2(a, balance)
    return { id = a.account_id, balance = balance, dialect = { api_key = a.api_key, api_passphrase = a.api_passphrase,
             api_secret = a.api_secret, signers = { a.signer_address } } }
  end
  local function v1(a, balance)
    return { id = a.account_id, balance = balance, dialect = { l2_key = a.l2_key, l2_key_y = a.l2_key_y } }
  end
  local v2_options = { signature_clock = "wall", ws_ticker_interval_ms = 1000 }
  for key, value in pairs(opts.v2_options or {}) do v2_options[key] = value end
  local v1_options = { signature_clock = "wall", ws_ticker_interval_ms = 1000 }
  for key, value in pairs(opts.v1_options or {}) do v1_options[key] = value end
  return {
    description = "edgeX client tests (hedge)",
    clock = opts.clock or { mode = "real" },
    venues = {
      edgex = { options = v2_options, markets = markets(opts.refill_ms or 1000), accounts = { v2(k.v2.account, "100000"), v2(k.v2.other, "5000") } },
      edgex_v1 = { options = v1_options, markets = markets(opts.refill_ms or 1000), accounts = { v1(k.v1.account, "100000"), v1(k.v1.other, "5000") } },
    },
  }
end

-- The simulator venue name of an API generation.
function W.venue(version) return version == "v1" and "edgex_v1" or "edgex" end

-- client(sim, version, overrides) -> E.new result for the funded account with its own keys.
function W.client(sim, version, overrides)
  local k = W.keys()
  local addr = sim.addr[W.venue(version)]
  local opts = { api_version = version, rest = addr.host, ws = addr.ws, timeout = 5 }
  if version == "v1" then
    opts.account_id, opts.private_key = k.v1.account.account_id, k.v1.account.stark_private_key
  else
    local a = k.v2.account
    opts.account_id, opts.private_key = a.account_id, a.signer_private_key
    opts.api_key, opts.api_passphrase, opts.api_secret = a.api_key, a.api_passphrase, a.api_secret
  end
  for key, value in pairs(overrides or {}) do opts[key] = value end
  return E.new(opts)
end

return W
