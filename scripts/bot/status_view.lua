-- The documents the status server shows (issue 11), built from the running machine and the
-- state database. The page, the live updates, /api/* and /metrics all read these, so every
-- view of the bot says the same thing.
--
--   view.state(src)          -> /api/state: state, cycle, the held hedge with per-leg and total
--                               PnL, funding, stop distance and time left; balances; totals
--   view.funding(src)        -> /api/funding: the last ranked funding table, BEST and CURRENT marked
--   view.history(db, range)  -> /api/history: cycles with cumulative PnL, funding spread samples,
--                               recent events, totals
-- src = {machine, db, metrics (bot.status_metrics), now_ms = fn}. Money is exact decimal text
-- where the venues gave decimals (PnL, sizes, prices); rates and percentages are numbers.
local D = require "hedge.decimal"
local store = require "hedge.store"

local view = {}

-- The event kind the bot records the held pair's funding spread under (bot.status).
view.SPREAD_EVENT = "funding_spread"

local function text(v)
  if v == nil then return nil end
  if D.is_decimal(v) then return tostring(v) end
  if type(v) == "number" then return tostring(D.from_number(v)) end
  return tostring(v)
end
view.text = text

-- An exact decimal from a venue's value (decimal, or a number the monitor converted).
local function dec(v)
  if v == nil then return nil end
  if D.is_decimal(v) then return v end
  if type(v) == "number" then return D.from_number(v) end
  return D(tostring(v))
end

local function leg_doc(leg, side, h)
  if not leg then return nil end
  local pos = leg.position or {}
  return {
    venue = leg.venue, side = side,
    size = text(leg.size or (side == "long" and h.long_size or h.short_size)),
    entry_price = text(pos.entry_price or (side == "long" and h.long_entry or h.short_entry)),
    mark_price = text(pos.mark_price),
    unrealized_pnl = text(pos.unrealized_pnl or leg.unrealized_pnl),
    funding = text(pos.funding or leg.funding),
    liquidation_price = text(pos.liquidation_price),
  }
end

local function hedge_doc(m)
  local h = m.hedge
  if not h then return nil end
  local st = m.last_status or {}
  local doc = {
    symbol = h.symbol, long_venue = h.long_venue, short_venue = h.short_venue,
    long_size = text(h.long_size), short_size = text(h.short_size),
    long_entry = text(h.long_entry), short_entry = text(h.short_entry),
    notional = text(h.notional), leverage = h.leverage, opened_at_ms = h.opened_at_ms,
    target_close_ms = st.target_close_ms or h.target_close_ms, expected_net_usd = h.expected_net_usd,
    adopted = h.adopted, checked = m.last_status ~= nil,
  }
  local legs = st.legs or {}
  doc.legs = { long = leg_doc(legs.long, "long", h), short = leg_doc(legs.short, "short", h) }
  -- Totals summed exactly from the legs' own decimals, so the page and the API agree to the digit.
  local ul = legs.long and dec((legs.long.position or {}).unrealized_pnl or legs.long.unrealized_pnl)
  local us = legs.short and dec((legs.short.position or {}).unrealized_pnl or legs.short.unrealized_pnl)
  if ul and us then doc.unrealized_pnl = tostring(ul + us) end
  local fl = legs.long and dec((legs.long.position or {}).funding or legs.long.funding)
  local fs = legs.short and dec((legs.short.position or {}).funding or legs.short.funding)
  if fl or fs then doc.funding = tostring((fl or D("0")) + (fs or D("0"))) end
  if doc.unrealized_pnl and doc.funding then doc.net_pnl = tostring(D(doc.unrealized_pnl) + D(doc.funding)) end
  if st.stop then
    doc.stop = { percent = st.stop.percent, worst_venue = st.stop.worst_venue, worst_pct = st.stop.worst_pct,
      distance_pct = st.stop.distance_pct, triggered = st.stop.triggered }
  end
  doc.time_left_s = st.time_left_s
  doc.spread_apr = st.spread_apr
  doc.action, doc.reason = st.action, st.reason
  return doc
end

function view.state(src)
  local m, db = src.machine, src.db
  local row = db and db:state_get() or {}
  local doc = {
    generated_at_ms = src.now_ms and src.now_ms() or nil,
    strategy_now_ms = m and m.clock and m.clock.now_ms() or nil,
    state = m and m.state or row.state or "IDLE",
    cycle = m and m.cycle or row.cycle or 0,
    since_ms = row.since_ms, last_error = row.last_error, halt_reason = m and m.halt_reason or nil,
    hedge = m and hedge_doc(m) or nil,
  }
  doc.balances = {}
  for venue, b in pairs(m and m.balances or {}) do
    doc.balances[venue] = { equity = text(b.equity), available = text(b.available) }
  end
  doc.totals = db and store.cycle_totals(db:cycle_list() or {}) or nil
  doc.venues = {}
  for name, v in pairs(src.metrics and src.metrics.venues or {}) do
    local errors = 0
    for _, n in pairs(v.errors) do errors = errors + n end
    doc.venues[name] = { last_success_ms = v.last_success_ms, errors = errors }
  end
  return doc
end

-- ---- the funding table ------------------------------------------------------------------------

local function num(v)
  if v == nil then return nil end
  if type(v) == "number" then return v end
  return tonumber(tostring(v))
end

function view.funding(src)
  local m = src.machine
  local rows = m and m.last_rows or {}
  local current = m and m.hedge
  local out = { rows = {}, ranked = m and m.last_rows ~= nil or false }
  local best_marked = false
  for i, r in ipairs(rows) do
    local best = false
    if r.eligible and not best_marked then best, best_marked = true, true end
    out.rows[i] = {
      rank = i, symbol = r.symbol, long_venue = r.long_venue, short_venue = r.short_venue,
      long_apr = num(r.long_apr), short_apr = num(r.short_apr), gross_apr = num(r.gross_apr), net_apr = num(r.net_apr),
      expected_net_usd = num(r.expected_net_usd), min_volume_usd = num(r.min_volume), gap_pct = num(r.gap_pct),
      eligible = r.eligible and true or false, reason = r.reason, size = r.plan and text(r.plan.size) or nil,
      best = best,
      current = current ~= nil and r.symbol == current.symbol and r.long_venue == current.long_venue
        and r.short_venue == current.short_venue,
    }
  end
  return out
end

-- ---- history ----------------------------------------------------------------------------------

-- range = {from_ms?, to_ms?, symbol?, events = n?}
function view.history(db, range)
  range = range or {}
  local from, to = range.from_ms or -math.huge, range.to_ms or math.huge
  local out = { cycles = {}, spread = {}, events = {}, from_ms = range.from_ms, to_ms = range.to_ms }
  local all = db:cycle_list() or {}
  local cum = { funding = D("0"), basis = D("0"), fees = D("0"), total = D("0") }
  local in_range = {}
  for _, c in ipairs(all) do
    local at = c.closed_at_ms or c.created_at_ms or 0
    if at >= from and at <= to then
      in_range[#in_range + 1] = c
      cum.funding = cum.funding + D(c.funding_pnl)
      cum.basis = cum.basis + D(c.price_pnl)
      cum.fees = cum.fees + D(c.fees)
      cum.total = cum.total + D(c.total_pnl or "0")
      out.cycles[#out.cycles + 1] = {
        cycle = c.cycle, symbol = c.symbol, long_venue = c.long_venue, short_venue = c.short_venue,
        opened_at_ms = c.opened_at_ms, closed_at_ms = c.closed_at_ms, close_reason = c.close_reason,
        size = c.size, notional = c.notional, funding_pnl = c.funding_pnl, basis_pnl = c.price_pnl, fees = c.fees,
        total_pnl = c.total_pnl,
        cumulative = { funding = tostring(cum.funding), basis = tostring(cum.basis), fees = tostring(cum.fees),
          total = tostring(cum.total) },
      }
    end
  end
  out.totals = store.cycle_totals(in_range)
  -- The held pair's funding spread, sampled by the bot while holding (newest first in the store).
  local samples = db:event_list { where = { kind = view.SPREAD_EVENT }, newest_first = true, limit = range.samples or 2000 } or {}
  for i = #samples, 1, -1 do
    local e = samples[i]
    local d = type(e.data) == "table" and e.data or {}
    if e.at_ms >= from and e.at_ms <= to and (not range.symbol or e.symbol == range.symbol) and num(d.spread_apr) then
      out.spread[#out.spread + 1] = { at_ms = e.at_ms, symbol = e.symbol, long_venue = d.long_venue, short_venue = d.short_venue,
        spread_apr = num(d.spread_apr), unrealized_pnl = d.unrealized_pnl, funding = d.funding }
    end
  end
  -- Recent events without the samples: opens, closes, unwinds, emergencies, recoveries.
  local want = range.events or 30
  local recent = db:event_list { newest_first = true, limit = 400 } or {}
  for _, e in ipairs(recent) do
    if e.kind ~= view.SPREAD_EVENT and e.at_ms >= from and e.at_ms <= to then
      out.events[#out.events + 1] = { at_ms = e.at_ms, kind = e.kind, level = e.level, symbol = e.symbol, cycle = e.cycle,
        message = e.message }
      if #out.events >= want then break end
    end
  end
  local unwinds = db:intent_list { where = { purpose = "unwind" } } or {}
  out.unwinds = #unwinds
  return out
end

-- "2026-11-21", "2026-11-21T08:00", or Unix milliseconds -> ms (UTC); nil, why otherwise.
function view.parse_time(s, end_of_day)
  if s == nil or s == "" then return nil end
  if s:match("^%d+$") then return tonumber(s) end
  local y, mo, d, rest = s:match("^(%d%d%d%d)%-(%d%d)%-(%d%d)(.*)$")
  if not y then return nil, ("%q is not a date (YYYY-MM-DD[THH:MM]) or Unix milliseconds"):format(s) end
  local hh, mm = 0, 0
  if rest ~= "" then
    hh, mm = rest:match("^[T ](%d%d):(%d%d)$")
    if not hh then return nil, ("%q: the time must be THH:MM (UTC)"):format(s) end
  elseif end_of_day then
    hh, mm = 23, 59
  end
  y, mo, d, hh, mm = tonumber(y), tonumber(mo), tonumber(d), tonumber(hh), tonumber(mm)
  if mo < 1 or mo > 12 or d < 1 or d > 31 or hh > 23 or mm > 59 then return nil, ("%q is not a valid date"):format(s) end
  -- Days from the civil date (proleptic Gregorian), so no time zone is involved.
  local yy = mo <= 2 and y - 1 or y
  local era = math.floor(yy / 400)
  local yoe = yy - era * 400
  local doy = math.floor((153 * (mo + (mo > 2 and -3 or 9)) + 2) / 5) + d - 1
  local days = era * 146097 + yoe * 365 + math.floor(yoe / 4) - math.floor(yoe / 100) + doy - 719468
  local ms = ((days * 24 + hh) * 60 + mm) * 60000
  if end_of_day and rest == "" then ms = ms + 59999 end
  return ms
end

return view
