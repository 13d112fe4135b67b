-- scripts/monitor.lua --once against the simulator: an imbalanced pair, a naked leg and a leg
-- close to liquidation are flagged and sent as alerts (here to a command), margin use is shown per
-- venue, and --auto-close-margin closes every symbol of a venue above the threshold.
package.path = "tests/lua/?.lua;tests/tools/?.lua;" .. package.path
local hedge = require "hedge"
local D = require "hedge.decimal"
local cjson = require "cjson"
local t = require "lib.tap"
local W = require "lib.world"

local alerts_file = os.tmpname()
local w = W.start { config = { alerts = { command = "cat >> " .. alerts_file, min_interval_seconds = 300 } } }
local s = w:session()

-- nothing open: healthy
local out, status = w:run("scripts/monitor.lua", { "--once" })
t.is(status, 0, "with nothing open, one round exits 0")
t.like(out, "margin in use: edgex 0%.0%%, lighter 0%.0%%, pacifica 0%.0%%", "margin use per venue")
t.like(out, "no positions", "and no positions")

-- an imbalanced ETH pair and a lone SOL leg
assert(s.venues.pacifica:place { symbol = "ETH", side = "buy", size = D("1"), type = "market", slippage_bps = 50 })
assert(s.venues.lighter:place { symbol = "ETH", side = "sell", size = D("0.8"), type = "market", slippage_bps = 50 })
assert(s.venues.edgex:place { symbol = "SOL", side = "buy", size = D("5"), type = "market", slippage_bps = 50 })
w.sim:wait_for(function() return next(w:positions("edgex")) ~= nil end, 10, "the positions")
out, status = w:run("scripts/monitor.lua", { "--once" })
t.is(status, 1, "a flagged round exits 1")
t.like(out, "ETH%s+pacifica%s+long%s+1 .-IMBALANCED by 20%.00%%", "the ETH legs are flagged as imbalanced")
t.like(out, "SOL%s+edgex%s+long%s+5 .-UNHEDGED", "the SOL leg as unhedged")
t.like(out, "FLAG IMBALANCED ETH: legs differ by 20%.00%% %(1 long on pacifica, 0%.8 short on lighter%)", "with the sizes")
t.like(out, "FLAG UNHEDGED SOL: long 5 on edgex", "and the naked leg")
local lines = {}
for l in (W.read(alerts_file) or ""):gmatch("[^\n]+") do lines[#lines + 1] = cjson.decode(l) end
local events = {}
for _, a in ipairs(lines) do events[#events + 1] = a.event .. ":" .. tostring(a.symbol) end
table.sort(events)
t.is(table.concat(events, " "), "imbalance:ETH naked_leg:SOL", "both were sent as alerts through the configured command")

-- a 10 BTC long at 50x on Pacifica: 82 % of equity in margin, 1.5 % from liquidation
assert(w.sim:set_book { venue = "pacifica", symbol = "BTC", synthetic = { levels = 10, spread_bps = "2", step_bps = "1", size = "5" } })
assert(s.venues.pacifica:set_leverage("BTC", 50, "cross"))
assert(s.venues.pacifica:place { symbol = "BTC", side = "buy", size = D("10"), type = "market", slippage_bps = 50 })
w.sim:wait_for(function() return w:positions("pacifica").BTC ~= nil end, 10, "the BTC position")
out, status = w:run("scripts/monitor.lua", { "--once" })
t.is(status, 1, "exit 1")
t.like(out, "margin in use: edgex [%d.]+%%, lighter [%d.]+%%, pacifica 82%.1%%", "Pacifica's margin use")
t.like(out, "FLAG HIGH MARGIN pacifica: 82%.1%% of equity in use %(flag above 50%%%)", "flagged above --margin-alert's default 50 %")
t.like(out, "FLAG NEAR LIQUIDATION BTC long on pacifica: 1%.46%% from 98545", "the BTC leg is 1.46 % from liquidation")
t.like(out, "BTC%s+pacifica%s+long%s+10%s+100000%s+98545%s+1%.5%%", "the table shows the liquidation price and distance")

-- auto-close: every symbol held on the venue above 60 % is closed on every venue
out, status = w:run("scripts/monitor.lua", { "--once", "--auto-close-margin", "60" })
t.like(out, "AUTO%-CLOSE BTC: pacifica margin 82%.1%% >= 60%%", "BTC is closed for Pacifica's margin")
t.like(out, "AUTO%-CLOSE ETH: pacifica margin 82%.1%% >= 60%%", "and ETH, which Pacifica also holds")
t.is(cjson.encode(w:positions("pacifica")) .. cjson.encode(w:positions("lighter")), "{}{}", "both ETH legs and the BTC leg are closed")
t.is(cjson.encode(w:positions("edgex")), '{"SOL":"5"}', "SOL on edgeX (margin fine) is left alone")
local store = require "hedge.store"
local db = assert(store.open(w.config.state_db, { read_only = true }))
local auto = 0
for _, e in ipairs(db:event_list()) do if e.kind == "monitor_auto_close" then auto = auto + 1 end end
db:close()
t.is(auto, 2, "each auto-close is in the journal")

-- the loop mode ends on SIGTERM
local p = assert(hedge.process.spawn { cmd = "/bin/sh", args = { "-c", ("exec '%s' scripts/monitor.lua --interval 0.2 --config '%s' --env '%s' > /dev/null 2>&1"):format(
  os.getenv("HEDGE_BIN") or "./hedge", w.config_path, w.env_path) } })
hedge.sleep(1.5)
p:kill(15)
t.is(p:wait(10), 0, "the monitor loop stops cleanly on SIGTERM")

os.remove(alerts_file)
w:run("scripts/emergency_close.lua", { "--force" })
w:stop()
t.done()
