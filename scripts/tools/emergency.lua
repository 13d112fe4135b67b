-- The emergency close: every position and resting order on every configured venue, listed,
-- then cancelled and closed reduce-only until the venues report nothing left.
--
--   local emergency = require "tools.emergency"
--   local scan = emergency.scan(s, {symbol = "ETH"})     -- what is open, per venue
--   emergency.listing(scan) -> lines
--   local report = emergency.run(s, journal, {symbol, attempts, slippage_bps, fill_wait})
--   emergency.report_lines(report) -> lines;  report.ok is true only when every venue is flat
--
-- Rules: closes are always reduce-only (they can never open or flip a position), so sending a
-- close again after an answer that did not arrive is safe; each order is journalled before it is
-- sent (bot.execution.send_legs); a venue that cannot be read or refuses keeps being retried
-- each round while the others are closed; nothing is assumed flat that was not read as flat.
local hedge = require "hedge"
local D = require "hedge.decimal"
local B = require "venues.base"
local execution = require "bot.execution"
local T = require "tools.text_table"

local emergency = {}

local ZERO = D("0")

local function keep(list, symbol)
  if not symbol then return list end
  local out = {}
  for _, x in ipairs(list) do if x.symbol == symbol then out[#out + 1] = x end end
  return out
end

-- Positions and open orders of one venue; nil, err when either cannot be read.
local function read_venue(client, symbol)
  local r, e = hedge.parallel(
    function() return client:positions() end,
    function() return client:open_orders(symbol) end)
  if e[1] or e[2] then return nil, e[1] or e[2] end
  local positions = {}
  for _, p in ipairs(keep(r[1], symbol)) do
    if p.size and p.size > ZERO then positions[#positions + 1] = p end
  end
  table.sort(positions, function(a, b) return a.symbol < b.symbol end)
  return { positions = positions, orders = keep(r[2], symbol) }
end

-- emergency.scan(s, {symbol}) -> {names, venues = {name = {positions, orders} | {err}}}
function emergency.scan(s, opts)
  opts = opts or {}
  local fns = {}
  for i, name in ipairs(s.names) do
    fns[i] = function() return read_venue(s.venues[name], opts.symbol) end
  end
  local results, errs = {}, {}
  if #fns > 0 then results, errs = hedge.parallel(unpack(fns)) end
  local scan = { names = s.names, venues = {}, unusable = s.unusable }
  for i, name in ipairs(s.names) do
    scan.venues[name] = results[i] or { err = errs[i] or "no answer" }
  end
  return scan
end

local function short_error(err)
  local text = tostring(err)
  return #text > 160 and (text:sub(1, 157) .. "...") or text
end

-- The listing shown before anything is done (and all that --dry-run does).
function emergency.listing(scan)
  local rows, orders, lines = {}, {}, {}
  for _, name in ipairs(scan.names) do
    local v = scan.venues[name]
    for _, p in ipairs(v.positions or {}) do
      local liq = p.liquidation_price
      if liq and liq:sign() == 0 then liq = nil end   -- edgeX reports "0" when there is none
      rows[#rows + 1] = { name, p.symbol, p.side:upper(), p.size, p.entry_price, p.mark_price, p.unrealized_pnl and T.money(p.unrealized_pnl),
        liq }
    end
    for _, o in ipairs(v.orders or {}) do
      orders[#orders + 1] = { name, o.symbol, o.side, o.type, o.remaining or o.size, o.price, o.id }
    end
  end
  lines[#lines + 1] = ("positions (%d)"):format(#rows)
  if #rows > 0 then
    for _, l in ipairs(T.render({ { "venue" }, { "symbol" }, { "side" }, { "size", align = "right" }, { "entry", align = "right" },
      { "mark", align = "right" }, { "uPnL", align = "right" }, { "liq. price", align = "right" } }, rows)) do lines[#lines + 1] = l end
  end
  lines[#lines + 1] = ("open orders (%d)"):format(#orders)
  if #orders > 0 then
    for _, l in ipairs(T.render({ { "venue" }, { "symbol" }, { "side" }, { "type" }, { "size", align = "right" },
      { "price", align = "right" }, { "id" } }, orders)) do lines[#lines + 1] = l end
  end
  for _, name in ipairs(scan.names) do
    local v = scan.venues[name]
    if v.err then lines[#lines + 1] = ("UNREADABLE %s: %s"):format(name, short_error(v.err)) end
  end
  for name, why in pairs(scan.unusable or {}) do lines[#lines + 1] = ("UNUSABLE %s: %s"):format(name, short_error(why)) end
  return lines, #rows, #orders
end

-- Reduce-only market orders for every open position of a venue.
local function close_legs(s, name, positions, slippage_bps, purpose)
  local client = s.venues[name]
  local legs = {}
  for _, p in ipairs(positions) do
    legs[#legs + 1] = { venue = name, purpose = purpose or "emergency", order = {
      symbol = p.symbol, side = p.side == "long" and "sell" or "buy", size = p.size, type = "market",
      slippage_bps = slippage_bps, reduce_only = true,
      client_id = client.new_client_id and client:new_client_id() or B.new_client_id(),
    } }
  end
  return legs
end

-- Errors are kept once each (a venue that stays down would repeat the same one every poll).
local function add_error(r, text)
  for _, e in ipairs(r.errors) do if e == text then return end end
  r.errors[#r.errors + 1] = text
end

local function count_flat(state)
  return state and #state.positions == 0 and #state.orders == 0
end

-- emergency.run(s, journal, opts) -> report
-- opts: symbol, attempts (5), slippage_bps (100), fill_wait (s, 8), reconcile_seconds (5),
--       purpose (the journal's intent purpose: "emergency", or "close" for a manual close)
-- report = {ok, venues = {name = {closed = {..}, cancelled, left, errors = {..}, attempts, down}}}
function emergency.run(s, journal, opts)
  opts = opts or {}
  local attempts = opts.attempts or 5
  local ctx = { venues = s.venues, journal = journal, log = hedge.log,
                config = { reconcile_seconds = opts.reconcile_seconds or 5 } }
  local report = { venues = {}, names = s.names, unusable = s.unusable }
  local state = {}
  for _, name in ipairs(s.names) do
    report.venues[name] = { closed = {}, cancelled = 0, errors = {}, attempts = 0 }
  end

  local function refresh(names)
    local fns = {}
    for i, name in ipairs(names) do fns[i] = function() return read_venue(s.venues[name], opts.symbol) end end
    if #fns == 0 then return end
    local results, errs = hedge.parallel(unpack(fns))
    for i, name in ipairs(names) do
      state[name] = results[i]
      if not results[i] then add_error(report.venues[name], "read: " .. short_error(errs[i])) end
    end
  end

  local function pending()
    local out = {}
    for _, name in ipairs(s.names) do
      if not count_flat(state[name]) then out[#out + 1] = name end
    end
    return out
  end

  refresh(s.names)
  for attempt = 1, attempts do
    local todo = pending()
    if #todo == 0 then break end
    -- Resting orders first, so that none of them can add to a position while it is closed.
    local cancels = {}
    for _, name in ipairs(todo) do
      local st = state[name]
      if not st or #st.orders > 0 then
        cancels[#cancels + 1] = function()
          report.venues[name].attempts = attempt
          local ok, err = s.venues[name]:cancel_all(opts.symbol)
          if not ok then
            add_error(report.venues[name], ("cancel (attempt %d): %s"):format(attempt, short_error(err)))
          elseif st then
            report.venues[name].cancelled = report.venues[name].cancelled + #st.orders
          end
          return true
        end
      end
    end
    if #cancels > 0 then hedge.parallel(unpack(cancels)) end
    refresh(todo)

    -- Then every open position, all venues at once.
    local legs = {}
    for _, name in ipairs(todo) do
      if state[name] and #state[name].positions > 0 then
        report.venues[name].attempts = attempt
        for _, leg in ipairs(close_legs(s, name, state[name].positions, opts.slippage_bps or 100, opts.purpose)) do legs[#legs + 1] = leg end
      end
    end
    if #legs > 0 then
      execution.send_legs(ctx, legs)
      for _, leg in ipairs(legs) do
        local r = report.venues[leg.venue]
        if leg.error and not leg.sent then
          add_error(r, ("close %s (attempt %d): %s"):format(leg.order.symbol, attempt, short_error(leg.error)))
        end
      end
      -- Re-read until the positions are gone or the fill wait is over.
      local deadline = hedge.mono_ms() + (opts.fill_wait or 8) * 1000
      local before = {}
      for _, leg in ipairs(legs) do before[leg.venue] = true end
      while true do
        local names = {}
        for name in pairs(before) do names[#names + 1] = name end
        table.sort(names)
        refresh(names)
        local open = false
        for _, name in ipairs(names) do
          if not state[name] or #state[name].positions > 0 then open = true end
        end
        if not open or hedge.mono_ms() >= deadline then break end
        hedge.sleep(0.25)
      end
      for _, leg in ipairs(legs) do
        local st = state[leg.venue]
        local still = false
        for _, p in ipairs(st and st.positions or {}) do if p.symbol == leg.order.symbol then still = true end end
        if leg.sent and st and not still then
          local closed = report.venues[leg.venue].closed
          closed[#closed + 1] = ("%s %s %s"):format(leg.order.symbol, leg.order.side == "sell" and "long" or "short", tostring(leg.order.size))
        end
      end
    end
    if #pending() == 0 then break end
    if attempt < attempts then
      hedge.sleep(math.min(2 ^ (attempt - 1), 8) * (opts.backoff_scale or 1))
      refresh(pending())
    end
  end

  report.ok = next(s.unusable) == nil
  for _, name in ipairs(s.names) do
    local r, st = report.venues[name], state[name]
    r.down = st == nil
    r.left_positions = st and st.positions or nil
    r.left_orders = st and #st.orders or nil
    if not count_flat(st) then report.ok = false end
  end
  return report
end

local function plural(n, word) return ("%d %s%s"):format(n, word, n == 1 and "" or "s") end

-- One paragraph per venue: what was closed and cancelled, what is left, what went wrong.
function emergency.report_lines(report)
  local lines = {}
  for _, name in ipairs(report.names) do
    local r = report.venues[name]
    local status
    if r.down then
      status = "NOT CLOSED: could not read this venue, its positions and orders are unknown"
    elseif #r.left_positions > 0 or r.left_orders > 0 then
      local left = {}
      for _, p in ipairs(r.left_positions) do left[#left + 1] = ("%s %s %s"):format(p.symbol, p.side, tostring(p.size)) end
      status = ("STILL OPEN: %s%s"):format(#left > 0 and table.concat(left, ", ") or "",
        r.left_orders > 0 and ((#left > 0 and "; " or "") .. plural(r.left_orders, "order")) or "")
    else
      status = "flat, no open orders"
    end
    lines[#lines + 1] = ("%-9s %s"):format(name, status)
    if #r.closed > 0 then lines[#lines + 1] = "          closed " .. table.concat(r.closed, ", ") end
    if r.cancelled > 0 then lines[#lines + 1] = "          cancelled " .. plural(r.cancelled, "order") end
    if r.attempts > 1 then lines[#lines + 1] = ("          took %d attempts"):format(r.attempts) end
    for _, e in ipairs(r.errors) do lines[#lines + 1] = "          error: " .. e end
  end
  local unusable = {}
  for name in pairs(report.unusable or {}) do unusable[#unusable + 1] = name end
  table.sort(unusable)
  for _, name in ipairs(unusable) do
    lines[#lines + 1] = ("%-9s NOT CLOSED: the venue could not be used: %s"):format(name, short_error(report.unusable[name]))
  end
  lines[#lines + 1] = report.ok and "RESULT: everything is closed" or "RESULT: something is still open or unknown (see above)"
  return lines
end

-- A summary for the journal's event (plain text per venue).
function emergency.summary(report)
  local out = {}
  for _, name in ipairs(report.names) do
    local r = report.venues[name]
    out[name] = r.down and "unreadable" or ((#r.left_positions == 0 and r.left_orders == 0) and "flat" or "open")
    out[name .. "_closed"] = #r.closed > 0 and table.concat(r.closed, ", ") or nil
  end
  for name in pairs(report.unusable or {}) do out[name] = "unusable" end
  out.ok = report.ok
  return out
end

return emergency
