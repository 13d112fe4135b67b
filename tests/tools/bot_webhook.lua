-- The real bot against the simulator with an alert webhook: Lighter refuses the long leg of the
-- first open (an injected rejection), Pacifica's short leg fills alone, the bot unwinds it, and
-- the webhook receives a naked_leg alert saying so; the accounts end flat.
package.path = "tests/lua/?.lua;tests/tools/?.lua;" .. package.path
local hedge = require "hedge"
local cjson = require "cjson"
local t = require "lib.tap"
local W = require "lib.world"

local sink = assert(hedge.process.spawn { cmd = "node", args = { "tests/tools/lib/webhook_sink.mjs" } })
local url = cjson.decode((assert(sink:read_line(20), "the webhook sink did not start"))).url

-- Two venues and one symbol, ranked by the seeds' gross rule, so ETH lighter/pacifica is the pair.
local w = W.start { config = {
  venues = nil, symbols_to_monitor = { "ETH" }, selection_script = "scripts/select/gross_apr.lua", max_open_attempts = 1,
  wait_between_cycles_minutes = 60, alerts = { webhook_url = url .. "/alerts", min_interval_seconds = 60 },
} }
w.config.venues.edgex = nil
W.write(w.config_path, cjson.encode(w.config))
w.sim:fault { venue = "lighter", match = { op = "create_order" }, action = { type = "reject", error = "insufficient_funds" }, count = 1 }

local log_path = w.dir .. "/bot.out"
local bot = assert(hedge.process.spawn { cmd = "/bin/sh", args = { "-c",
  ("exec '%s' scripts/strategy.lua --config '%s' --env '%s' --plain > '%s' 2>&1"):format(os.getenv("HEDGE_BIN") or "./hedge",
    w.config_path, w.env_path, log_path) } })

local line = sink:read_line(60)
local got = line and cjson.decode(line) or {}
local alert = got.body and cjson.decode(got.body) or {}
t.is(got.path, "/alerts", "the webhook received an alert")
t.is(alert.event, "naked_leg", "a naked_leg event")
t.is(alert.level, "critical", "at critical level")
t.is(alert.symbol, "ETH", "for ETH")
t.is(alert.venue, "pacifica", "naming the venue whose leg filled alone")
t.like(alert.message or "", "the leg on pacifica filled without its partner and was unwound", "saying it was unwound")
t.like(alert.message or "", "lighter", "and why: the lighter leg failed")

-- The bot carries on: the unwind left both accounts flat.
local flat = w.sim:wait_for(function()
  return next(w:positions("pacifica")) == nil and next(w:positions("lighter")) == nil
end, 20, "both accounts flat")
t.ok(flat, "the unwind left both venues flat")
local applied = w.sim:fault_log().applied or {}
t.is(#applied, 1, "the injected rejection was applied once")

bot:kill(15)
local status = bot:wait(20)
t.is(status, 0, "the bot stops cleanly on SIGTERM")
local log = W.read(log_path) or ""
t.like(log, "could not open ETH lighter/pacifica", "the bot's log names the failed open")
t.like(log, '"module":"alert"', "and the alert is in the log too")

w:stop()
sink:close_stdin()
sink:wait(5)
t.done()
