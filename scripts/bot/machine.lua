-- The rotation bot's state machine: IDLE → ANALYZING → OPENING → HOLDING → CLOSING → WAITING,
-- plus ERROR and SHUTDOWN; one hedge at a time. Every state change and the current hedge are
-- persisted through the journal, so a restart resumes where the bot stopped (bot.recovery).
--
-- deps = {venues, journal, load_config = fn() -> config | nil, err, selection, stoploss, log, observer (optional),
--         dashboard (optional), alerts (optional: lib/alerts.lua, else built from config.alerts)}.
-- The machine never talks to a venue directly: analysis,
-- sizing, execution and monitor do.
local hedge = require "hedge"
local D = require "hedge.decimal"
local analysis = require "bot.analysis"
local sizing = require "bot.sizing"
local execution = require "bot.execution"
local monitor = require "bot.monitor"
local recovery = require "bot.recovery"
local clock_lib = require "bot.clock"
local ledger = require "bot.ledger"
local alerting = require "bot.alerting"
local late_orders = require "bot.late_orders"

local Machine = {}
Machine.__index = Machine

local MAX_OPEN_ATTEMPTS = 3

function Machine.new(deps)
  local self = setmetatable({ deps = deps, venues = deps.venues, journal = deps.journal, log = deps.log or hedge.log }, Machine)
  local config, err = deps.load_config()
  if not config then error(err, 0) end
  self.config = config
  self.clock = deps.clock or self:scaled_clock(config.time_scale)
  self.alerts = deps.alerts or require("lib.alerts").new(config.alerts)
  local st = self.journal:state()
  self.state, self.cycle = st.state or "IDLE", st.cycle or 0
  return self
end

-- The strategy clock: the wall clock, or (time_scale != 1, simulator only) a scaled clock that
-- a restart continues rather than restarts (its anchor is journalled).
function Machine:scaled_clock(scale)
  if not scale or scale == 1 or not self.journal.strategy_clock then return clock_lib.new(scale) end
  local anchor = self.journal:strategy_clock(scale)
  local c = clock_lib.new(scale, anchor)
  if not anchor then self.journal:remember_strategy_clock(scale, c.anchor) end
  return c
end

function Machine:ctx()
  return { venues = self.venues, journal = self.journal, config = self.config, log = self.log,
           stoploss = self.deps.stoploss, markets = self.markets, clock = self.clock }
end

-- Sends an alert (lib/alerts.lua: rate-limited, delivered in its own task, never raises).
function Machine:alert(event, fields)
  self.alerts:raise(event, fields)
end

function Machine:set_state(state, fields)
  fields = fields or {}
  if state == "HALTED" and self.state ~= "HALTED" then
    self:alert("halt", { message = "the bot halted: " .. tostring(fields.last_error or self.halt_reason) })
  end
  fields.state, fields.cycle = state, self.cycle
  if state ~= self.state then self.wait_until = nil end   -- a new WAITING waits in full
  self.journal:set_state(fields)
  if state ~= self.state then
    self.log.info("bot", ("%s -> %s%s"):format(self.state, state, fields.last_error and (": " .. fields.last_error) or ""))
  end
  self.state = state
  self:notify("state")
end

-- Tells deps.observer (the status page, bot/status.lua) that something it shows changed:
-- "state", "rows" (a new funding table) or "check" (a holding check). It must not wait.
function Machine:notify(what)
  if self.deps.observer then self.deps.observer(self, what) end
end

function Machine:show(lines)
  if self.deps.dashboard then self.deps.dashboard.show(lines) end
end

-- A new cycle starts with the configuration as it is on disk now; a bad edit keeps the old.
function Machine:reload_config()
  local config, err = self.deps.load_config()
  if err then self.log.warn("bot", "configuration not reloaded, keeping the previous one: " .. tostring(err)) end
  if config then
    self.config = config
    self.alerts:configure(config.alerts)
  end
end

local function balances_of(snap)
  local out = {}
  for name, v in pairs(snap.venues) do out[name] = v.balance end
  return out
end

function Machine:analyze_and_open()
  self:reload_config()
  self:set_state("ANALYZING")
  local cfg = self.config
  local snap, err = analysis.run(self.venues, cfg)
  alerting.analysis(self, snap, err)
  if not snap then
    self.log.warn("bot", "analysis failed: " .. tostring(err))
    return self:set_state("WAITING", { last_error = tostring(err) })
  end
  self.markets = {}
  for name, v in pairs(snap.venues) do self.markets[name] = v.markets end
  -- the next top-K pairs get their books while nothing is eligible (bot/analysis.lua)
  local ctx = { plan = function(c) return sizing.plan(c, snap, cfg) end }
  local rows = analysis.rank(snap, function() return self.deps.selection.rank(snap, cfg, ctx) end, cfg)
  self.last_rows, self.balances = rows, balances_of(snap)
  self:notify("rows")
  if self.deps.dashboard then self:show(self.deps.dashboard.funding_table(rows, nil, 10)) end
  local tried = 0
  self.fee_of = {}
  for _, row in ipairs(rows) do
    if row.fee_long then self.fee_of[row.long_venue] = row.fee_long end
    if row.fee_short then self.fee_of[row.short_venue] = row.fee_short end
  end
  for _, row in ipairs(rows) do
    if not row.eligible or tried >= (cfg.max_open_attempts or MAX_OPEN_ATTEMPTS) or hedge.stop_requested() then break end
    tried = tried + 1
    self.cycle = self.cycle + 1
    self:set_state("OPENING", { since_ms = self.clock.now_ms() })
    self.journal:event("open_attempt", { symbol = row.symbol, long_venue = row.long_venue, short_venue = row.short_venue,
      size = tostring(row.plan.size), expected_net_usd = row.expected_net_usd })
    local books = { [row.long_venue] = snap.venues[row.long_venue].books[row.symbol],
                    [row.short_venue] = snap.venues[row.short_venue].books[row.symbol] }
    local h, oerr = execution.open(self:ctx(), row, row.plan, books)
    if h then
      h.long_equity_before = snap.venues[row.long_venue].balance.equity
      h.short_equity_before = snap.venues[row.short_venue].balance.equity
      h.short_interval_ms = row.short_funding.interval_ms
      h.target_close_ms = monitor.target_close_ms(h, cfg, h.short_interval_ms)
      h.stop_pct = self.deps.stoploss.percent(cfg.leverage, cfg)
      h.expected_net_usd = row.expected_net_usd
      self.journal:set_hedge(h)
      self.hedge = h
      analysis.release(self.venues)   -- no book streams while holding (hours without a round)
      return self:set_state("HOLDING")
    end
    self.log.warn("bot", ("could not open %s %s/%s: %s"):format(row.symbol, row.long_venue, row.short_venue, tostring(oerr)))
    alerting.open_failed(self, row, oerr)
    if oerr and oerr.naked then
      return self:set_state("ERROR", { last_error = tostring(oerr) })
    end
  end
  if tried == 0 then
    local why = rows[1] and rows[1].reason or "no candidate"
    self.log.info("bot", "nothing to open: " .. why)
  end
  self:set_state("WAITING", { since_ms = self.clock.now_ms() })
end

function Machine:hold_step()
  local h = self.hedge
  local st = monitor.check(self:ctx(), h)
  self.last_status = st
  self:notify("check")
  alerting.holding(self, h, st)
  if self.deps.dashboard then
    local lines = self.deps.dashboard.holding { state = self.state, cycle = self.cycle, hedge = h, status = st,
      balances = self.balances, now_ms = self.clock.now_ms() }
    if self.last_rows then
      for _, l in ipairs(self.deps.dashboard.funding_table(self.last_rows, h, 10)) do lines[#lines + 1] = l end
    end
    self:show(lines)
  end
  if st.action == "emergency" then
    self.log.error("bot", "emergency: " .. st.reason .. "; closing what is left")
    self.journal:event("emergency", { symbol = h.symbol, reason = st.reason })
    local closed, cerr = execution.close(self:ctx(), h, st.reason)
    if closed then self.journal:clear_hedge(st.code); self.hedge = nil else alerting.emergency_close_failed(self, h, cerr) end
    return self:set_state("ERROR", { last_error = st.reason .. (cerr and ("; close failed: " .. tostring(cerr)) or "") })
  elseif st.action == "close" then
    h.close_reason, h.close_code = st.reason, st.code
    self.journal:set_hedge({ close_reason = st.reason, close_code = st.code })
    return self:set_state("CLOSING")
  end
  self.clock.sleep(self.config.check_interval_seconds)
end

-- Realised PnL of the cycle, exact decimals, total = funding + price - fees to the last digit:
-- from the venues' fills and funding payments (bot/ledger.lua); failing that, estimated: the
-- equity change of both accounts is the total, funding what the positions reported last, fees
-- the taker fees of the four fills at the entry notional, price/basis the rest.
local function as_decimal(x)
  if x == nil then return D("0") end
  if D.is_decimal(x) then return x end
  return D.from_number(x):rescale(6, "half_even")
end

function Machine:cycle_pnl(h, status)
  -- The venues' own records first (bot/ledger.lua): every fill's fee, the round trip's cash,
  -- the funding payments. The estimate below is what is left when a venue cannot list them.
  local booked, why = ledger.cycle(self:ctx(), h, h.cycle or self.cycle)
  if booked then
    ledger.record(self.journal, booked, h.cycle or self.cycle)
    local per = booked.per_venue
    return { total = booked.total, funding = booked.funding, fees = booked.fees, price = booked.price,
      long = per[h.long_venue], short = per[h.short_venue], source = "venues" }
  end
  self.log.warn("bot", "cycle PnL estimated (taker fees at the entry notional, funding from the last check): " .. tostring(why))
  local results = hedge.parallel(
    function() return self.venues[h.long_venue]:balance() end,
    function() return self.venues[h.short_venue]:balance() end)
  local funding = as_decimal(status and status.funding)
  local fees = D("0")
  for _, venue in ipairs { h.long_venue, h.short_venue } do
    local fee = self.fee_of and self.fee_of[venue]
    if fee and h.notional then fees = fees + (h.notional * fee * D("2")):rescale(6, "half_even") end
  end
  if not (results[1] and results[2] and h.long_equity_before and h.short_equity_before) then
    return { funding = funding, fees = fees }
  end
  local total = results[1].equity - h.long_equity_before + results[2].equity - h.short_equity_before
  return { total = total, funding = funding, fees = fees, price = total - funding + fees }
end

function Machine:close_step()
  local h = self.hedge
  local reason = h.close_reason or "closing"
  local last_status = self.last_status
  local closed, err = execution.close(self:ctx(), h, reason)
  if not closed then
    return self:set_state("ERROR", { last_error = tostring(err) })
  end
  local pnl = self:cycle_pnl(h, last_status)
  local cycle = { cycle = self.cycle, symbol = h.symbol, long_venue = h.long_venue, short_venue = h.short_venue,
    reason = reason, reason_code = h.close_code or "closed", held_s = (self.clock.now_ms() - h.opened_at_ms) / 1000,
    opened_at_ms = h.opened_at_ms, closed_at_ms = self.clock.now_ms(), size = h.long_size, notional = h.notional,
    total = pnl.total, funding = pnl.funding, fees = pnl.fees, price = pnl.price, long = pnl.long, short = pnl.short }
  self.journal:add_cycle(cycle)
  self.journal:clear_hedge(reason)
  self.hedge = nil
  if self.deps.dashboard then self:show(self.deps.dashboard.cycle_summary(cycle)) end
  self:set_state("WAITING", { since_ms = self.clock.now_ms() })
end

function Machine:wait_step()
  local now = self.clock.now_ms()
  if not self.wait_until then
    self.wait_until = now + self.config.wait_between_cycles_minutes * 60000
    analysis.prepare(self.venues, self.config)   -- the next round's books live again by its start
  end
  -- While an order given up as never taken may still land (bot/late_orders.lua), the wait is
  -- cut into check intervals and the orders are looked up after each.
  local watch = late_orders.pending(self)
  local step = (self.wait_until - now) / 1000
  if #watch > 0 then step = math.min(step, self.config.check_interval_seconds) end
  if step > 0 and not self.clock.sleep(step) then return end
  if #watch > 0 and late_orders.check(self, watch) then return end
  if self.clock.now_ms() >= self.wait_until then self:set_state("IDLE") end
end

function Machine:error_step()
  -- Try to make sense of the venues again after a pause; recovery either adopts a hedge,
  -- closes a naked leg, or keeps the bot in ERROR with its reason.
  if not self.clock.sleep((self.config.error_retry_minutes or 5) * 60) then return end
  local outcome = recovery.run(self)
  self.log.info("bot", "recovery after ERROR: " .. outcome)
end

-- Runs until a stop is requested (SIGINT/SIGTERM) or, in tests, until `until_fn()` is true.
function Machine:run(until_fn)
  local outcome = recovery.run(self)
  self.log.info("bot", "start-up: " .. outcome)
  while not hedge.stop_requested() and not (until_fn and until_fn(self)) do
    local s = self.state
    if s == "IDLE" or s == "ANALYZING" or s == "OPENING" then self:analyze_and_open()
    elseif s == "HOLDING" then self:hold_step()
    elseif s == "CLOSING" then self:close_step()
    elseif s == "WAITING" then self:wait_step()
    elseif s == "ERROR" then self:error_step()
    elseif s == "HALTED" then
      self.log.error("bot", "halted: " .. tostring(self.halt_reason) .. " — fix it, then restart")
      return "halted"
    else
      error("unknown state " .. tostring(s))
    end
  end
  self.journal:event("shutdown", { state = self.state, signal = hedge.stop_requested() or nil })
  return "stopped"
end

return Machine
