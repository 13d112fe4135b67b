-- lib/alerts.lua: delivery to a webhook (JSON POST, one retry) and to a command (JSON on stdin,
-- HEDGE_ALERT_* variables), the rate limit with its count of held-back alerts, the events filter,
-- redaction of secrets, and a failing destination that never raises.
package.path = "tests/lua/?.lua;tests/tools/?.lua;" .. package.path
local files = require "hedge.files"
local hedge = require "hedge"
local cjson = require "cjson"
local t = require "lib.tap"
local alerts_lib = require "lib.alerts"

hedge.log.set_level("off")

local sink = assert(hedge.process.spawn { cmd = "node", args = { "tests/tools/lib/webhook_sink.mjs" } })
local url = cjson.decode((assert(sink:read_line(20), "the webhook sink did not start"))).url

local function received(n)
  local out = {}
  for i = 1, n do
    local line = sink:read_line(10)
    if not line then break end
    out[i] = cjson.decode(line)
  end
  return out
end

-- webhook
local a = alerts_lib.new { webhook_url = url .. "/hook", min_interval_seconds = 60, timeout_seconds = 5 }
t.ok(a:raise("naked_leg", { symbol = "ETH", venue = "lighter", message = "ETH long on lighter has no partner", data = { size = "0.5" } }),
  "raise returns true when the alert goes out")
a:flush(10)
local got = received(1)[1]
t.is(got and got.method, "POST", "the webhook receives a POST")
t.is(got and got.path, "/hook", "at the configured URL")
t.is(got and got.content_type, "application/json", "with a JSON content type")
local body = got and cjson.decode(got.body) or {}
t.is(body.event, "naked_leg", "body.event")
t.is(body.level, "critical", "a naked leg is critical")
t.is(body.symbol .. "/" .. body.venue, "ETH/lighter", "symbol and venue")
t.is(body.message, "ETH long on lighter has no partner", "the message")
t.is(body.data and body.data.size, "0.5", "the data")
t.is(body.source, "hedge", "the source")
t.is(body.suppressed, 0, "nothing held back yet")
t.ok(type(body.at_ms) == "number" and math.abs(body.at_ms - hedge.now_ms()) < 60000, "a timestamp in ms")

-- rate limit: the same event/symbol/venue within the interval is held back and counted
t.is(a:raise("naked_leg", { symbol = "ETH", venue = "lighter", message = "again" }), false, "a repeat within the interval is held back")
t.is(a:raise("naked_leg", { symbol = "ETH", venue = "lighter", message = "and again" }), false, "and so is the next")
t.is(a:raise("naked_leg", { symbol = "SOL", venue = "lighter", message = "another symbol" }), true, "another symbol is its own alert")
a:flush(10)
t.is(cjson.decode(received(1)[1].body).symbol, "SOL", "only the SOL alert was posted")
a.last_sent["naked_leg|ETH|lighter"] = hedge.mono_ms() - 61000   -- the interval has passed
t.is(a:raise("naked_leg", { symbol = "ETH", venue = "lighter", message = "after the interval" }), true, "after the interval it goes out")
a:flush(10)
t.is(cjson.decode(received(1)[1].body).suppressed, 2, "carrying the count of the two held back")

-- events filter and unknown events
local only = alerts_lib.new { webhook_url = url .. "/hook", events = { "halt" } }
t.is(only:raise("stop_loss", { symbol = "BTC", message = "stop" }), false, "an event not in alerts.events is not sent")
t.is(only:raise("halt", { message = "halted" }), true, "an event in the list is")
only:flush(10)
t.is(cjson.decode(received(1)[1].body).event, "halt", "the halt alert arrived")
t.raises(function() only:raise("naked_legs", {}) end, "unknown event naked_legs", "a misspelt event raises")

-- one retry after a 500, then a logged failure (never an error)
local failing = alerts_lib.new { webhook_url = url .. "/fail", timeout_seconds = 2 }
failing:raise("margin", { symbol = "BTC", message = "close to liquidation" })
failing:flush(10)
local tries = received(2)
t.is(#tries, 2, "a 500 answer is retried once")
t.is(failing.sent[1] and failing.sent[1].delivered, false, "and recorded as not delivered")
t.like(failing.sent[1] and failing.sent[1].failures[1] or "", "HTTP 500", "naming the answer")

-- redaction: a secret registered with the log never leaves in an alert
local secret = "5Kb8kLf9zgWQnogidDA76MzPL6TsZZY36hWXMssSzNydYXYB9KF"
assert(hedge.log.add_secret(secret))
local r = alerts_lib.new { webhook_url = url .. "/hook" }
r:raise("halt", { message = "signing with " .. secret .. " failed", data = { key = secret } })
r:flush(10)
local raw = received(1)[1].body
t.ok(not raw:find(secret, 1, true), "the secret is not in the posted body")

-- command: JSON on stdin, variables in the environment
local dir = os.tmpname()
os.remove(dir)
os.execute("mkdir -p " .. dir)
local cmd = alerts_lib.new { command = ("cat > %s/in.json; printf '%%s|%%s|%%s|%%s' \"$HEDGE_ALERT_EVENT\" \"$HEDGE_ALERT_LEVEL\" " ..
  "\"$HEDGE_ALERT_SYMBOL\" \"$HEDGE_ALERT_MESSAGE\" > %s/env.txt"):format(dir, dir) }
cmd:raise("stop_loss", { symbol = "BTC", venue = "edgex", message = "stop-loss: edgex leg at -22.6%" })
cmd:flush(10)
local read = files.read
local stdin_json = read(dir .. "/in.json")
t.is(stdin_json and cjson.decode(stdin_json).event, "stop_loss", "the command gets the alert as JSON on stdin")
t.is(read(dir .. "/env.txt"), "stop_loss|warning|BTC|stop-loss: edgex leg at -22.6%", "and HEDGE_ALERT_* in its environment")
t.is(cmd.sent[1] and cmd.sent[1].delivered, true, "recorded as delivered")

local slow = alerts_lib.new { command = "sleep 5", timeout_seconds = 0.3 }
local t0 = hedge.mono_ms()
slow:raise("halt", { message = "x" })
slow:flush(10)
t.cmp(hedge.mono_ms() - t0, "<", 3000, "a command that hangs is killed after timeout_seconds")
t.like(slow.sent[1] and slow.sent[1].failures[1] or "", "killed", "and reported as not delivered")
local bad = alerts_lib.new { command = "exit 3" }
bad:raise("halt", { message = "x" })
bad:flush(10)
t.like(bad.sent[1] and bad.sent[1].failures[1] or "", "status 3", "a failing command is reported with its status")

-- no destination: logged only, still rate-limited
local quiet = alerts_lib.new(nil)
t.is(quiet:raise("halt", { message = "x" }), true, "without a destination an alert is only logged")

os.execute("rm -rf " .. dir)
sink:close_stdin()
sink:wait(5)
t.done()
