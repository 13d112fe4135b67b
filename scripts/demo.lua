-- hedge demo against the local venue simulator (what `make demo` runs until the rotation bot
-- lands): starts the simulator, reads Pacifica's markets and funding in one parallel round,
-- prints the funding table with the BEST market marked, watches the live price stream beside
-- it, then opens and closes a small signed position and shows the account before and after.
--   hedge scripts/demo.lua [--sim-rest URL --sim-ws URL]   (default: start tests/sim/sim.mjs)
local hedge = require "hedge"
local D = require "hedge.decimal"
local signer_module = require "pacifica.signer"

local function arg_value(name)
  for i = 1, #arg do if arg[i] == name then return arg[i + 1] end end
end

-- Made-up simulator keys (tests/sim/scenarios/test_keys.json): never real funds.
local ACCOUNT = "Dcz2WMjnTGPJKhc4WWWPDas8M1xf69HN13tTPoHA9XEJ"
local AGENT = "DkUpNwMS5xazPUBbd9ra4e95ADZLjGxbkPFHAMzwzjtq"
local AGENT_SECRET = "3hVVKa3z6u2fmyVKUDqn6Mvq7AFM47tU5wY5aG8kxLMMNqa35xGBWrAi8EjYU3amH6Dddh6df83hEuewf7KU1VS5"

local rest, ws_url = arg_value("--sim-rest"), arg_value("--sim-ws")
local sim
if not rest then
  sim = assert(hedge.process.spawn { cmd = "node", args = { "tests/sim/sim.mjs" } })
  local line = assert(sim:read_line(20), "the simulator did not start (run `make sim-deps`)")
  rest = assert(line:match('"rest":"([^"]+)"'), "no Pacifica REST address in: " .. line)
  ws_url = assert(line:match('"ws":"([^"]+)"'), "no Pacifica WS address in: " .. line)
  print("simulator: Pacifica REST " .. rest .. ", WS " .. ws_url)
end

local function get(path)
  local res = assert(hedge.http.get(rest .. path, { timeout = 5 }))
  assert(res.status == 200, path .. " answered HTTP " .. res.status .. ": " .. res.body)
  return require("cjson").decode(res.body).data
end

-- One parallel round for everything the table needs.
local results, errs = hedge.parallel(
  function() return get("/info") end,
  function() return get("/info/prices") end,
  function() return get("/account?account=" .. ACCOUNT) end)
local _, first_error = next(errs)
if first_error then error("reading the simulator failed: " .. tostring(first_error), 0) end
local markets, prices, account = results[1], results[2], results[3]

local by_symbol = {}
for _, m in ipairs(markets) do by_symbol[m.symbol] = m end
local best, best_apr = nil, -1
for _, p in ipairs(prices) do
  p.apr = tonumber(p.next_funding) * 24 * 365 * 100          -- hourly rate -> % per year
  if math.abs(p.apr) > best_apr then best, best_apr = p.symbol, math.abs(p.apr) end
end
table.sort(prices, function(a, b) return math.abs(a.apr) > math.abs(b.apr) end)

print(("\n%-8s %14s %10s %14s %16s %8s"):format("symbol", "funding/hour", "APR %", "mark", "24h volume $", ""))
for _, p in ipairs(prices) do
  print(("%-8s %14s %10.2f %14s %16s %8s"):format(p.symbol, p.next_funding, p.apr, p.mark,
    p.volume_24h, p.symbol == best and "BEST" or ""))
end
print(("\naccount %s…: equity %s, available %s"):format(ACCOUNT:sub(1, 8), account.account_equity, account.available_to_spend))

-- The live price stream runs in its own task while the order goes out.
local updates = 0
local watcher = hedge.spawn(function()
  local conn = assert(hedge.ws.connect(ws_url))
  conn:send('{"method":"subscribe","params":{"source":"prices"}}')
  while true do
    local msg = conn:recv(5)
    if msg and msg:find('"channel":"prices"', 1, true) then updates = updates + 1 end
  end
end)

-- A minimum-size market buy on the best market, then a reduce-only close.
local signer = assert(signer_module.new { secret_key = AGENT_SECRET, account = ACCOUNT, agent_wallet = AGENT })
local market = by_symbol[best]
local mark = D(prices[1].symbol == best and prices[1].mark or "0")
local lot = D(market.lot_size)
local size = (D(market.min_order_size) * D("1.5")):div(mark, 12, "ceil"):ceil_to(lot)

local function send(op, payload)
  local req = assert(signer:sign(op, payload, { timestamp = hedge.now_ms(), expiry_window = 30000 }))
  local res = assert(hedge.http.post(rest:gsub("/api/v1$", "") .. req.path, req.body,
    { headers = { ["Content-Type"] = "application/json" }, timeout = 5 }))
  return res.status, require("cjson").decode(res.body)
end

print(("\nopening: market buy %s %s (about $%s notional)"):format(tostring(size), best, tostring((size * mark):rescale(2, "half_even"))))
local status, reply = send("create_market_order", { symbol = best, amount = tostring(size), side = "bid",
  slippage_percent = "0.5", reduce_only = false })
print(("  HTTP %d, order id %s"):format(status, tostring(reply.data and reply.data.order_id)))
for _, pos in ipairs(get("/positions?account=" .. ACCOUNT)) do
  print(("  position: %s %s %s at %s"):format(pos.symbol, pos.side == "bid" and "long" or "short", pos.amount, pos.entry_price))
end
status = send("create_market_order", { symbol = best, amount = tostring(size), side = "ask",
  slippage_percent = "0.5", reduce_only = true })
print(("closing: reduce-only market sell, HTTP %d; open positions now: %d"):format(status, #get("/positions?account=" .. ACCOUNT)))
local after = get("/account?account=" .. ACCOUNT)
print(("account: equity %s (fees and spread paid: %s)"):format(after.account_equity,
  tostring(D(account.account_equity) - D(after.account_equity))))

hedge.sleep(1.5)
watcher:cancel()
print(("\nlive price stream: %d updates received while the order went out"):format(updates))
if sim then sim:kill(); sim:wait(5) end
print("demo done")
