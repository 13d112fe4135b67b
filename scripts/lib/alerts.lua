-- Alerts: tell a person when something needs them, by a command and/or a webhook.
--
--   local alerts = require("lib.alerts").new(cfg.alerts)      -- nil config: log only
--   alerts:raise("naked_leg", {symbol = "ETH", venue = "lighter", message = "...", data = {...}})
--   alerts:flush(10)       -- a tool about to exit waits (at most 10 s) for deliveries in flight
--   alerts:configure(cfg.alerts)                             -- after a configuration reload
--
-- Events (alerts.EVENTS): naked_leg (one leg without its partner: a rejected leg at open, a
-- leg missing while holding, a lone position at start-up), failed_unwind (that leg could not be
-- closed), halt (the bot stopped for the operator), stop_loss (the worst-leg stop closed the
-- hedge), margin (liquidation distance under alerts.margin_distance_pct), imbalance (leg sizes
-- differ), funding_mismatch (a venue's funding convention check failed),
-- emergency_close_incomplete, selection_error (the selection script failed; the previous one
-- ranks). `alerts.events` in the configuration limits which are sent.
--
-- Delivery runs in its own task: raise never waits and never fails (a broken webhook must not
-- stop a close). Each alert is logged at warn level too. Rate limit: one alert per event, symbol
-- and venue every alerts.min_interval_seconds (default 300); the ones held back are counted and
-- the next alert that goes out carries "suppressed": n, so a flapping condition does not flood.
--
-- Webhook: HTTP POST, Content-Type application/json, body
--   {"source":"hedge","event","level":"critical"|"warning","message","symbol","venue","at_ms",
--    "suppressed","data"}
-- retried once after a second when the answer is not 2xx. Command: run with /bin/sh -c, the same
-- JSON on its stdin (one line) and HEDGE_ALERT_EVENT, HEDGE_ALERT_LEVEL, HEDGE_ALERT_MESSAGE,
-- HEDGE_ALERT_SYMBOL, HEDGE_ALERT_VENUE in its environment (plus PATH, HOME, LANG, TZ); it is
-- killed after timeout_seconds. Message and body pass through the log redaction first.
local hedge = require "hedge"
local cjson = require "cjson"

local alerts = {}

alerts.EVENTS = { "naked_leg", "failed_unwind", "halt", "stop_loss", "margin", "imbalance", "funding_mismatch",
  "emergency_close_incomplete", "selection_error" }
local CRITICAL = { naked_leg = true, failed_unwind = true, halt = true, emergency_close_incomplete = true }
local KNOWN = {}
for _, e in ipairs(alerts.EVENTS) do KNOWN[e] = true end

local Alerts = {}
Alerts.__index = Alerts

function alerts.new(config, opts)
  local self = setmetatable({ last_sent = {}, suppressed = {}, in_flight = {}, sent = {}, opts = opts or {} }, Alerts)
  self:configure(config)
  return self
end

function Alerts:configure(config)
  config = config or {}
  self.command = config.command
  self.webhook_url = config.webhook_url
  self.min_interval_ms = (config.min_interval_seconds or 300) * 1000
  self.timeout = config.timeout_seconds or 5
  self.margin_distance_pct = config.margin_distance_pct
  self.enabled = nil
  if config.events then
    self.enabled = {}
    for _, e in ipairs(config.events) do self.enabled[e] = true end
  end
end

-- JSON-safe copy: decimals and other cdata become their text.
local function plain(v, depth)
  depth = depth or 0
  if type(v) == "cdata" then return tostring(v) end
  if type(v) == "table" and depth < 8 then
    local out = {}
    for k, x in pairs(v) do
      if type(k) == "string" or type(k) == "number" then out[k] = plain(x, depth + 1) end
    end
    return out
  end
  if type(v) == "function" or type(v) == "userdata" or type(v) == "thread" then return tostring(v) end
  return v
end

local function redact(text)
  local ok, log = pcall(require, "hedge.log")
  if ok and log.redact then return log.redact(text) end
  return text
end

local function post(self, body)
  for attempt = 1, 2 do
    local res, err = hedge.http.request { method = "POST", url = self.webhook_url, timeout = self.timeout,
      headers = { ["Content-Type"] = "application/json" }, body = body }
    if res and res.status >= 200 and res.status < 300 then return true end
    local why = res and ("HTTP " .. res.status) or tostring(err)
    if attempt == 2 then return nil, why end
    hedge.sleep(1)
  end
end

local function run_command(self, payload, body)
  local env = {}
  for _, name in ipairs { "PATH", "HOME", "LANG", "TZ" } do
    local v = os.getenv(name)
    if v then env[#env + 1] = name .. "=" .. v end
  end
  if not os.getenv("PATH") then env[#env + 1] = "PATH=/usr/local/bin:/usr/bin:/bin" end
  local function add(name, v)
    if v ~= nil then env[#env + 1] = name .. "=" .. tostring(v):gsub("[%z\n]", " ") end
  end
  add("HEDGE_ALERT_EVENT", payload.event)
  add("HEDGE_ALERT_LEVEL", payload.level)
  add("HEDGE_ALERT_MESSAGE", payload.message)
  add("HEDGE_ALERT_SYMBOL", payload.symbol)
  add("HEDGE_ALERT_VENUE", payload.venue)
  local p, err = hedge.process.spawn { cmd = "/bin/sh", args = { "-c", self.command }, env = env }
  if not p then return nil, tostring(err) end
  p:write(body .. "\n")
  p:close_stdin()
  -- Its output is not ours to show, but it is read (to its end) so the pipe never fills; one
  -- task waits on a process at a time, so reading comes before waiting for the exit.
  local deadline = hedge.mono_ms() + self.timeout * 1000
  while true do
    local left = (deadline - hedge.mono_ms()) / 1000
    if left <= 0 or not p:read_line(left) then break end
  end
  local status, serr = p:wait(math.max(0.01, (deadline - hedge.mono_ms()) / 1000))
  if status == nil then
    p:kill(9)
    p:wait(1)
    return nil, "did not finish within " .. self.timeout .. " s (" .. tostring(serr) .. "): killed"
  end
  if status ~= 0 then return nil, "exited with status " .. tostring(status) end
  return true
end

local function deliver(self, payload)
  local body = redact(cjson.encode(payload))
  local failures = {}
  if self.webhook_url then
    local ok, why = post(self, body)
    if not ok then failures[#failures + 1] = "webhook " .. self.webhook_url .. ": " .. why end
  end
  if self.command then
    local ok, why = run_command(self, payload, body)
    if not ok then failures[#failures + 1] = "command: " .. why end
  end
  for _, f in ipairs(failures) do hedge.log.warn("alert", ("%s alert not delivered: %s"):format(payload.event, f)) end
  self.sent[#self.sent + 1] = { event = payload.event, delivered = #failures == 0, failures = failures }
end

-- raise(event, {symbol, venue, message, data}) -> true when sent, false when held back by the
-- rate limit or not enabled. Unknown event names raise (a typo must not silence an alert).
function Alerts:raise(event, fields)
  if not KNOWN[event] then error("alerts: unknown event " .. tostring(event), 2) end
  fields = fields or {}
  local message = redact(tostring(fields.message or event))
  hedge.log.warn("alert", ("%s%s: %s"):format(event, fields.symbol and (" " .. fields.symbol) or "", message))
  if self.enabled and not self.enabled[event] then return false end
  local key = event .. "|" .. tostring(fields.symbol or "") .. "|" .. tostring(fields.venue or "")
  local now = hedge.mono_ms()
  local last = self.last_sent[key]
  if last and now - last < self.min_interval_ms then
    self.suppressed[key] = (self.suppressed[key] or 0) + 1
    return false
  end
  self.last_sent[key] = now
  local payload = {
    source = "hedge", event = event, level = CRITICAL[event] and "critical" or "warning", message = message,
    symbol = fields.symbol, venue = fields.venue, at_ms = hedge.now_ms(), suppressed = self.suppressed[key] or 0,
    data = fields.data and plain(fields.data) or nil,
  }
  self.suppressed[key] = nil
  if not self.webhook_url and not self.command then return true end
  local running = {}
  for _, t in ipairs(self.in_flight) do if not t:done() then running[#running + 1] = t end end
  running[#running + 1] = hedge.spawn(deliver, self, payload)
  self.in_flight = running
  return true
end

-- Waits until every delivery started so far has finished, at most `timeout` seconds.
function Alerts:flush(timeout)
  local deadline = hedge.mono_ms() + (timeout or 10) * 1000
  for _, task in ipairs(self.in_flight) do
    local left = (deadline - hedge.mono_ms()) / 1000
    if left <= 0 then break end
    task:join(left)
  end
  self.in_flight = {}
end

return alerts
