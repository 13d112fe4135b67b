-- The bot's status server (issue 11): a live page, JSON and Prometheus metrics on the bot's own
-- port, served by hedge on the same loop as the bot (hedge.status_server). Strictly read-only:
-- no route can place, cancel or close anything, and the server accepts GET and HEAD only.
--
--   local status = assert(require("bot.status").new { config = cfg, journal = journal, venues = venues,
--                                                     alerts = alerts, env_file = ".env" })
--   local machine = Machine.new { ..., observer = status:observer() }
--   assert(status:start(machine))      -- serves when config.status.listen is set
--   ...; status:stop()
--
-- Routes: /            the page (complete without JavaScript; live with it)
--         /events      server-sent events: re-rendered sections as they change
--         /api/state   /api/funding   /api/history?from=YYYY-MM-DD&to=...&symbol=ETH
--         /metrics     Prometheus text format (bot.status_metrics)
--         /app.css /app.js
--
-- The observer also records, whether or not the server runs, the held pair's funding spread
-- in the state database (an event of kind "funding_spread", at most one per SPREAD_SAMPLE_MINUTES
-- of strategy time per hedge), so the page and scripts/report.lua can chart it from the history.
local hedge = require "hedge"
local cjson = require "cjson"
local log = require "hedge.log"
local store = require "hedge.store"
local status_server = require "hedge.status_server"
local P = require "hedge.prometheus"
local json_pretty = require "lib.json_pretty"
local view = require "bot.status_view"
local page = require "bot.status_page"
local assets = require "bot.status_assets"
local metrics_lib = require "bot.status_metrics"

local SPREAD_SAMPLE_MINUTES = 15
local PUBLISH_PAUSE_S = 0.25       -- live updates at most four times a second
local REFRESH_S = 5                -- and at least this often while someone watches
local DEFAULT_TOKEN_ENV = "HEDGE_STATUS_TOKEN"
local TOKEN_MIN_LEN = 16

local HTML_HEADERS = {
  "content-security-policy: default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " ..
    "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
}
local JSON_LISTS = { rows = true, cycles = true, spread = true, events = true }

local Status = {}
Status.__index = Status

local function config_error(msg)
  return setmetatable({ kind = "config", msg = msg, exit_code = 2 }, { __tostring = function(e) return e.msg end })
end

-- "8080" -> "127.0.0.1:8080" (loopback is the default host); anything else as written.
local function listen_address(listen)
  if tostring(listen):match("^%d+$") then return "127.0.0.1:" .. listen end
  return listen
end

local function is_loopback(listen)
  local host = listen:match("^%[(.*)%]:%d+$") or listen:match("^(.*):%d+$") or ""
  return host == "::1" or host == "localhost" or host:match("^127%.%d+%.%d+%.%d+$") ~= nil
end

-- Status.new{config, journal, venues?, alerts?, env_file?, getenv?} -> status | nil, err (exit_code 2)
function Status.new(o)
  local self = setmetatable({ journal = o.journal, db = o.journal and o.journal.db, sample = {}, seq = 0, sent = {} }, Status)
  local sc = o.config and o.config.status
  if not (sc and sc.listen) then return self end
  self.listen = listen_address(sc.listen)
  local token_env = sc.token_env or DEFAULT_TOKEN_ENV
  local vars, verrs = require("hedge.env").read { file = o.env_file or ".env", getenv = o.getenv }
  if not vars then return nil, config_error("status: " .. table.concat(verrs, "; ")) end
  local token, where = vars:get(token_env)
  if token == "" then token = nil end
  if token then
    log.add_secret(token)
    if #token < TOKEN_MIN_LEN then
      return nil, config_error(("%s: %s: the status token must be at least %d characters"):format(where, token_env, TOKEN_MIN_LEN))
    end
  elseif not is_loopback(self.listen) then
    return nil, config_error(("status.listen is %s, which is not loopback: set %s (environment or .env) to a token of at least %d characters; requests must then carry it (Authorization: Bearer)")
      :format(self.listen, token_env, TOKEN_MIN_LEN))
  end
  self.token, self.token_env = token, token_env
  self.metrics = metrics_lib.new()
  if o.venues then self.metrics:instrument(o.venues) end
  if o.alerts then self.metrics:watch_alerts(o.alerts) end
  return self
end

-- ---- what the machine tells us ------------------------------------------------------------------

function Status:observer()
  return function(machine, what)
    local ok, err = pcall(self.on_machine, self, machine, what)
    if not ok then log.warn("status", "status observer failed: " .. tostring(err)) end
  end
end

function Status:on_machine(m, what)
  self.machine = m
  if what == "check" then self:record_spread(m) end
  if self.changed then self.changed:set() end
end

function Status:record_spread(m)
  local h, st = m.hedge, m.last_status
  if not (self.db and h and st and st.spread_apr) then return end
  local now = m.clock and m.clock.now_ms() or hedge.now_ms()
  local key = ("%s %s %s %s"):format(h.symbol, h.long_venue, h.short_venue, tostring(h.opened_at_ms))
  if self.sample.key == key and now - self.sample.at_ms < SPREAD_SAMPLE_MINUTES * 60000 then return end
  self.sample = { key = key, at_ms = now }
  local state = view.state { machine = m }
  local hd = state.hedge or {}
  local _, err = self.db:event_add {
    kind = view.SPREAD_EVENT, level = "info", at_ms = math.floor(now), cycle = m.cycle, symbol = h.symbol,
    message = ("funding spread %.4f%% APR on %s/%s"):format(st.spread_apr * 100, h.long_venue, h.short_venue),
    data = { spread_apr = st.spread_apr, long_venue = h.long_venue, short_venue = h.short_venue,
      unrealized_pnl = hd.unrealized_pnl, funding = hd.funding },
  }
  if err then log.warn("status", "funding spread sample not recorded: " .. tostring(err)) end
end

-- ---- documents ----------------------------------------------------------------------------------

function Status:source()
  return { machine = self.machine, db = self.db, metrics = self.metrics, now_ms = hedge.now_ms }
end

function Status:render()
  local src = self:source()
  local state = view.state(src)
  local sections = page.sections(state, view.funding(src), view.history(self.db), self.metrics and self.metrics.recent_alerts)
  return sections, state
end

local function update_event(seq, sections, state)
  local title = ("hedge — %s%s"):format(state.state, state.hedge and (" " .. state.hedge.symbol) or "")
  return cjson.encode { seq = seq, sections = sections, title = title }
end

local function json(doc)
  return 200, "application/json; charset=utf-8", json_pretty.encode(doc, { lists = JSON_LISTS }) .. "\n"
end

local function bad_request(msg) return 400, "text/plain; charset=utf-8", msg .. "\n" end

function Status:routes()
  local r = {}
  r["/"] = function()
    local sections, state = self:render()
    return 200, "text/html; charset=utf-8", page.document(sections, state), HTML_HEADERS
  end
  r["/index.html"] = r["/"]
  r["/app.css"] = function() return 200, "text/css; charset=utf-8", assets.css end
  r["/app.js"] = function() return 200, "text/javascript; charset=utf-8", assets.js end
  r["/api/state"] = function() return json(view.state(self:source())) end
  r["/api/funding"] = function() return json(view.funding(self:source())) end
  r["/api/history"] = function(req)
    local from, ferr = view.parse_time(req.args.from)
    if ferr then return bad_request("from: " .. ferr) end
    local to, terr = view.parse_time(req.args.to, true)
    if terr then return bad_request("to: " .. terr) end
    local events = tonumber(req.args.events or "")
    return json(view.history(self.db, { from_ms = from, to_ms = to, symbol = req.args.symbol ~= "" and req.args.symbol or nil,
      events = events and math.max(0, math.min(500, math.floor(events))) or nil }))
  end
  r["/metrics"] = function()
    local figures = { totals = store.cycle_totals(self.db:cycle_list() or {}),
      unwinds = #(self.db:intent_list { where = { purpose = "unwind" } } or {}) }
    return 200, P.CONTENT_TYPE, self.metrics:text(view.state(self:source()), figures)
  end
  r["/events"] = function()
    local sections, state = self:render()
    return status_server.STREAM, status_server.event("update", update_event(self.seq, sections, state))
  end
  return r
end

-- ---- serving ------------------------------------------------------------------------------------

-- start(machine) -> true | nil, err. Serves only when status.listen is configured.
function Status:start(machine)
  self.machine = machine
  if not self.listen then return true end
  local srv, err = status_server.start { listen = self.listen, token = self.token, routes = self:routes(), owner = hedge.current() }
  if not srv then
    return nil, config_error(("status.listen %s: %s"):format(self.listen, tostring(err and err.msg or err)))
  end
  self.server = srv
  self.changed = hedge.event()
  self.publisher = hedge.spawn(function() self:publish_loop() end)
  log.info("status", ("status page on %s/ (metrics at /metrics)%s"):format(srv:url(),
    self.token and (", token from " .. self.token_env .. " required") or ""))
  return true
end

-- Sends the sections that changed to every open event stream.
function Status:publish_loop()
  local last_render = 0
  while self.server and not self.server.closed do
    -- Short waits, so that the loop ends soon after the server closes (the bot stopped or failed).
    local woke = self.changed:wait(1)
    self.changed:clear()
    if not self.server or self.server.closed then break end
    local due = woke or hedge.mono_ms() - last_render >= REFRESH_S * 1000
    if due and (self.server:stats().streams or 0) > 0 then
      last_render = hedge.mono_ms()
      local sections, state = self:render()
      local changed, any = {}, false
      for id, html in pairs(sections) do
        if self.sent[id] ~= html then changed[id], self.sent[id], any = html, html, true end
      end
      if any then
        self.seq = self.seq + 1
        self.server:publish("update", update_event(self.seq, changed, state))
      end
    end
    if woke then hedge.sleep(PUBLISH_PAUSE_S) end
  end
end

function Status:url() return self.server and self.server:url() end

function Status:stop()
  local srv = self.server
  self.server = nil
  if srv then srv:close() end
  if self.changed then self.changed:set() end
  if self.publisher then self.publisher:cancel(); self.publisher = nil end
end

return Status
