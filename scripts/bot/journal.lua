-- The strategy's journal over the durable store (hedge.store, DESIGN §6): the state machine,
-- the current hedge, the intent journal, cycles and events, in the strategy's own vocabulary.
-- Every write is committed before the call returns, so an intent is on disk before its order
-- is sent. A store error raises: the bot must not trade on without its record.
local D = require "hedge.decimal"

local Journal = {}
Journal.__index = Journal

-- Strategy field -> store column of the hedges table.
local HEDGE_COLUMNS = {
  symbol = "symbol", long_venue = "long_venue", short_venue = "short_venue",
  long_size = "long_size", short_size = "short_size", long_entry = "long_entry_price", short_entry = "short_entry_price",
  long_client_id = "long_client_id", short_client_id = "short_client_id", notional = "notional",
  leverage = "leverage", stop_pct = "stop_loss_percent", opened_at_ms = "opened_at_ms",
  target_close_ms = "target_close_ms", adopted = "adopted",
  long_equity_before = "long_equity_before", short_equity_before = "short_equity_before",
  short_interval_ms = "funding_interval_ms", cycle = "cycle",
}
local DECIMAL_FIELDS = { long_size = true, short_size = true, long_entry = true, short_entry = true, notional = true,
  long_equity_before = true, short_equity_before = true }

local function must(value, err, what)
  if value == nil and err ~= nil then error(("journal: %s failed: %s"):format(what, tostring(err)), 3) end
  return value
end

-- Journal.open(path [, store options]) -- the options of hedge.store.open: the bot takes the
-- one-bot lock (the default); the operator tools write with {exclusive = false} or read with
-- {read_only = true}.
function Journal.open(path, opts)
  local store = require "hedge.store"
  local db, err = store.open(path, opts)
  if not db then return nil, err end
  return setmetatable({ db = db, columns = {} }, Journal)
end

function Journal:close() self.db:close() end

function Journal:transaction(fn)
  local ok, err = self.db:transaction(fn)
  if ok == nil and err then error(err, 0) end
end

-- ---- state machine --------------------------------------------------------------------------

function Journal:state()
  return must(self.db:state_get(), nil, "state_get") or { state = "IDLE", cycle = 0 }
end

function Journal:set_state(fields)
  local record = { state = fields.state, cycle = fields.cycle, since_ms = fields.since_ms }
  if fields.last_error then record.last_error = fields.last_error end
  must(self.db:state_set(record))
  self.cycle = fields.cycle
end

-- The scaled strategy clock's anchor (bot/clock.lua), for time_scale != 1 (the simulator):
-- the last one journalled for this scale, or nil; remember(anchor) journals a new one.
function Journal:strategy_clock(scale)
  local rows = self.db:event_list { where = { kind = "strategy_clock" }, newest_first = true, limit = 1 }
  local data = rows and rows[1] and rows[1].data
  if type(data) == "table" and data.scale == scale and tonumber(data.wall_ms) and tonumber(data.strategy_ms) then
    return { wall_ms = tonumber(data.wall_ms), strategy_ms = tonumber(data.strategy_ms) }
  end
  return nil
end

function Journal:remember_strategy_clock(scale, anchor)
  must(self.db:event_add { kind = "strategy_clock", level = "info", message = ("strategy time runs %gx faster"):format(scale),
    data = { scale = scale, wall_ms = anchor.wall_ms, strategy_ms = anchor.strategy_ms } })
end

-- ---- the current hedge ------------------------------------------------------------------------

function Journal:hedge()
  local row = self.db:hedge_get()
  if not row then return nil end
  local h = { status = row.status }
  for field, column in pairs(HEDGE_COLUMNS) do
    local v = row[column]
    if v ~= nil then h[field] = DECIMAL_FIELDS[field] and D(v) or v end
  end
  if row.status == "closing" then h.close_reason = row.closing_reason or "closing (resumed)" end
  -- Who opened it: "manual" for a hedge opened with scripts/hedge.lua, until the bot adopts it.
  if type(row.details) == "table" and row.details.owner then h.owner = row.details.owner end
  -- Why it is being closed, as the cycle record names it (stop_loss, rotation ...).
  if row.status == "closing" and type(row.details) == "table" then h.close_code = row.details.close_code end
  h.leverage = h.leverage and tonumber(tostring(h.leverage)) or nil
  return h
end

function Journal:set_hedge(h)
  local record = {}
  for field, column in pairs(HEDGE_COLUMNS) do
    local v = h[field]
    if v ~= nil then
      if field == "leverage" or field == "stop_pct" then v = tostring(v) end
      record[column] = v
    end
  end
  if h.owner or h.close_code then
    -- details is one JSON value: keep what is there and change only these keys.
    local current = self.db:hedge_get()
    local details = current and type(current.details) == "table" and current.details or {}
    details.owner, details.close_code = h.owner or details.owner, h.close_code or details.close_code
    record.details = details
  end
  if h.close_reason then record.status, record.closing_reason = "closing", h.close_reason
  elseif not self.db:hedge_get() then record.status = "open" end
  if record.cycle == nil and self.cycle and not self.db:hedge_get() then record.cycle = self.cycle end
  must(self.db:hedge_set(record))
end

function Journal:clear_hedge(reason)
  must(self.db:hedge_clear(reason or "closed"))
end

-- ---- intents ----------------------------------------------------------------------------------

function Journal:add_intent(t)
  local record = {}
  for k, v in pairs(t) do record[k] = v end
  record.cycle = self.cycle
  return must(self.db:intent_add(record))
end

function Journal:update_intent(id, fields)
  must(self.db:intent_update(id, fields))
end

-- The intent with this client id on this venue, or nil.
function Journal:find_intent(venue, client_id)
  return self.db:intent_find(venue, client_id)
end

function Journal:open_intents()
  return must(self.db:intent_list_open()) or {}
end

-- Every intent of a cycle, oldest first (the orders whose fills make up its PnL).
function Journal:intents_of_cycle(cycle)
  local rows, err = self.db:intent_list { where = { cycle = cycle } }
  return must(rows, err, "intent_list") or {}
end

-- A fill or a funding payment as the venue booked it (hedge.store's fills and funding).
function Journal:add_fill(f) must(self.db:fill_add(f)) end
function Journal:add_funding(p) must(self.db:funding_add(p)) end

-- Whether a fill (venue, trade id) or a payment (venue, payment id, or venue, symbol and time)
-- is journalled already: a close finished after a restart books the venues' records again, and
-- the run that was killed may have booked some of them before it died.
local function any_row(rows, fn)
  for _, r in ipairs(rows or {}) do if fn(r) then return true end end
  return false
end

function Journal:has_fill(venue, trade_id)
  if trade_id == nil then return false end
  local rows, err = self.db:fill_list { where = { trade_id = tostring(trade_id) } }
  return any_row(must(rows, err, "fill_list"), function(r) return r.venue == venue end)
end

function Journal:has_funding(venue, symbol, payment_id, paid_at_ms)
  if payment_id ~= nil then
    local rows, err = self.db:funding_list { where = { payment_id = tostring(payment_id) } }
    if any_row(must(rows, err, "funding_list"), function(r) return r.venue == venue end) then return true end
  end
  if paid_at_ms == nil then return false end
  local rows, err = self.db:funding_list { where = { paid_at_ms = paid_at_ms } }
  return any_row(must(rows, err, "funding_list"), function(r) return r.venue == venue and r.symbol == symbol end)
end

-- ---- history ----------------------------------------------------------------------------------

local WARN_KINDS = { open_failed = "warn", naked_leg = "warn", emergency = "error" }

function Journal:event(kind, fields)
  local parts = {}
  for k, v in pairs(fields or {}) do parts[#parts + 1] = k .. "=" .. tostring(v) end
  table.sort(parts)
  local data = {}
  for k, v in pairs(fields or {}) do data[k] = type(v) == "cdata" and tostring(v) or v end
  must(self.db:event_add { kind = kind, level = WARN_KINDS[kind] or "info", cycle = self.cycle,
    symbol = fields and fields.symbol, message = kind .. (#parts > 0 and (": " .. table.concat(parts, " ")) or ""), data = data })
end

-- A cycle's realised PnL: decimals, total = funding + price - fees (the store checks it).
function Journal:add_cycle(c)
  must(self.db:cycle_add {
    cycle = c.cycle, symbol = c.symbol, long_venue = c.long_venue, short_venue = c.short_venue,
    opened_at_ms = c.opened_at_ms, closed_at_ms = c.closed_at_ms, close_reason = c.reason_code or "closed", size = c.size, notional = c.notional,
    funding_pnl = c.funding, price_pnl = c.price, fees = c.fees, total_pnl = c.total,
    long_funding_pnl = c.long and c.long.funding, long_price_pnl = c.long and c.long.price, long_fees = c.long and c.long.fees,
    short_funding_pnl = c.short and c.short.funding, short_price_pnl = c.short and c.short.price, short_fees = c.short and c.short.fees,
  })
end

return Journal
