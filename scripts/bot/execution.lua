-- Opening and closing a hedge: both legs at once, every order journalled before it is sent,
-- fills verified from the venues' own positions, a failed leg unwound.
--
-- ctx = {venues = {name = client}, journal = bot.journal, config = config, log = hedge.log}
--
-- Rules this file keeps (DESIGN §5, §6):
--   * an intent is committed to the journal before its order goes out;
--   * both orders are built and signed first, then let go together at a send gate
--     (venues/together.lua), so the legs leave within the same loop turn;
--   * an order whose outcome is unknown is looked up by client id before anything else;
--   * what counts is the position the venue reports, not the order answer;
--   * closes are always reduce-only.
local hedge = require "hedge"
local D = require "hedge.decimal"
local B = require "venues.base"
local together = require "venues.together"
local sizing = require "bot.sizing"

local execution = {}

local ZERO = D("0")
local POSITION_POLL_S = 0.25
local FILL_WAIT_S = 8          -- how long fills may take to show up in positions (speed bumps, matching)

local function new_client_id(client)
  if client.new_client_id then return client:new_client_id() end
  return B.new_client_id()
end

-- The signed size (long > 0) of a venue's position in symbol; nil, err when unreadable.
local function position_of(client, symbol)
  local list, err = client:positions({ symbol })
  if not list then return nil, err end
  for _, p in ipairs(list) do
    if p.symbol == symbol and p.size and p.size:sign() > 0 then
      return p.side == "long" and p.size or -p.size, p
    end
  end
  return ZERO
end
execution.position_of = position_of

-- Reads both venues' positions in symbol concurrently: {venue = {size = signed, position = p}}.
local function read_positions(ctx, venues, symbol)
  local fns = {}
  for i, name in ipairs(venues) do
    fns[i] = function()
      local size, p = position_of(ctx.venues[name], symbol)
      if not size then return nil, p end
      return { size = size, position = p }
    end
  end
  local results, errs = hedge.parallel(unpack(fns))
  local out = {}
  for i, name in ipairs(venues) do
    if not results[i] then return nil, errs[i] end
    out[name] = results[i]
  end
  return out
end
execution.read_positions = read_positions

-- An order for one leg, ready to send: market with the configured slippage cap, or an
-- aggressive IOC limit `cross_ticks` through the best opposite price.
local function build_order(ctx, venue, symbol, side, size, reduce_only, book)
  local cfg = ctx.config
  local o = { symbol = symbol, side = side, size = size, reduce_only = reduce_only,
              client_id = new_client_id(ctx.venues[venue]) }
  if cfg.order_style == "limit_cross" and book then
    local best = side == "buy" and book.asks[1] or book.bids[1]
    local tick = ctx.markets[venue][symbol].tick
    local offset = tick * D(tostring(cfg.cross_ticks))
    o.type, o.tif = "limit", "ioc"
    o.price = side == "buy" and best.price + offset or best.price - offset
  else
    o.type, o.slippage_bps = "market", cfg.slippage_bps
  end
  return o
end

-- Journals then sends a set of leg orders concurrently; resolves unknown outcomes by client id.
-- legs: {{venue, order, purpose}}; returns the same list with .result or .error and .sent.
local function send_legs(ctx, legs)
  local journal = ctx.journal
  journal:transaction(function()
    for _, leg in ipairs(legs) do
      local o = leg.order
      leg.intent_id = journal:add_intent {
        venue = leg.venue, client_id = tostring(o.client_id), symbol = o.symbol, side = o.side,
        size = tostring(o.size), price = o.price and tostring(o.price) or nil,
        reduce_only = o.reduce_only == true, purpose = leg.purpose, order_type = o.type,
      }
    end
  end)
  -- Both legs are prepared (rounded, signed) first and leave together (venues/together.lua).
  local orders = {}
  for i, leg in ipairs(legs) do orders[i] = { ctx.venues[leg.venue], leg.order } end
  local results, errs = together.place(orders)
  for i, leg in ipairs(legs) do
    leg.result, leg.error = results[i], errs[i]
    if leg.result then
      leg.sent, leg.intent_status = true, "sent"
      journal:update_intent(leg.intent_id, { status = "sent", venue_order_id = leg.result.id and tostring(leg.result.id) or nil })
    elseif leg.error.outcome == "unknown" then
      journal:update_intent(leg.intent_id, { status = "unknown" })
      local found, ferr = B.reconcile(ctx.venues[leg.venue], tostring(leg.order.client_id), leg.order.symbol,
        { timeout = ctx.config.reconcile_seconds })
      if found then
        leg.sent, leg.result = true, found
        journal:update_intent(leg.intent_id, { status = "resolved", resolution = "found by client id: " .. tostring(found.status),
          venue_order_id = found.id and tostring(found.id) or nil })
      elseif ferr.kind == "order_not_found" then
        journal:update_intent(leg.intent_id, { status = "resolved", resolution = "not found by client id: never taken" })
      else
        -- Still unknown: positions decide below; the intent stays open for the next reconciliation.
        leg.unresolved = true
      end
    else
      journal:update_intent(leg.intent_id, { status = "rejected", resolution = tostring(leg.error) })
    end
  end
  return legs
end
execution.send_legs = send_legs

-- Once the legs' orders are over (IOC and market orders end at once; a resting remainder is
-- cancelled first), each intent still "sent" gets what became of its order from the venue's own
-- record: filled, or ended after filling part (resolved, with the filled size). An order still
-- working, or one the venue cannot show, keeps its intent open for the next reconciliation.
local ORDER_OVER = { filled = true, cancelled = true, rejected = true }
local function finish_legs(ctx, legs)
  local pending, fns = {}, {}
  for _, leg in ipairs(legs) do
    if leg.intent_status == "sent" then
      pending[#pending + 1] = leg
      fns[#fns + 1] = function()
        return B.reconcile(ctx.venues[leg.venue], tostring(leg.order.client_id), leg.order.symbol,
          { timeout = ctx.config.reconcile_seconds })
      end
    end
  end
  if #fns == 0 then return end
  local orders = hedge.parallel(unpack(fns))
  for i, leg in ipairs(pending) do
    local o = orders[i]
    if o and ORDER_OVER[o.status] then
      local fields = { filled_size = o.filled and tostring(o.filled) or nil, avg_price = o.avg_price and tostring(o.avg_price) or nil }
      if o.status == "filled" then
        fields.status = "filled"
      else
        fields.status = "resolved"
        fields.resolution = ("%s on %s after filling %s of %s"):format(o.status, leg.venue, tostring(o.filled or "?"), tostring(leg.order.size))
      end
      ctx.journal:update_intent(leg.intent_id, fields)
      leg.intent_status, leg.venue_order = fields.status, o
    end
  end
end
execution.finish_legs = finish_legs

-- Waits until the positions stop changing and match what was expected, or FILL_WAIT_S passes.
-- expected: {venue = signed size}. Returns the last read.
local function settle_positions(ctx, symbol, venues, expected)
  local deadline = hedge.mono_ms() + (ctx.config.fill_wait_seconds or FILL_WAIT_S) * 1000
  local last, stable = nil, 0
  while true do
    local now, err = read_positions(ctx, venues, symbol)
    if now then
      local same, done = last ~= nil, true
      for _, v in ipairs(venues) do
        if last and last[v].size ~= now[v].size then same = false end
        if expected[v] and now[v].size ~= expected[v] then done = false end
      end
      if done then return now end
      stable = same and stable + 1 or 0
      last = now
      if stable >= 4 then return now end      -- nothing moved for a second: that is the answer
    elseif hedge.mono_ms() >= ctx.deadline_hard then
      return nil, err
    end
    if hedge.mono_ms() >= deadline then return last, err end
    hedge.sleep(POSITION_POLL_S)
  end
end

-- Closes whatever `signed` size is left on one venue with a reduce-only order (unwind, trim).
local function reduce(ctx, venue, symbol, signed, amount, purpose)
  local side = signed:sign() > 0 and "sell" or "buy"
  local o = build_order(ctx, venue, symbol, side, amount, true, nil)
  o.type, o.slippage_bps, o.price, o.tif = "market", ctx.config.slippage_bps, nil, nil
  return send_legs(ctx, { { venue = venue, order = o, purpose = purpose } })[1]
end

-- The largest size not above `most` that both venues' size steps divide (the plan's steps, else
-- the markets' own); zero when there is none.
local function common_size(ctx, symbol, plan, lv, sv, most)
  local steps = { plan.step_long, plan.step_short }
  for i, v in ipairs { lv, sv } do
    if not steps[i] then
      local m = ctx.venues[v]:market(symbol)
      steps[i] = m and m.step
    end
  end
  if not (steps[1] and steps[2]) then return most end
  return sizing.floor_to_both(most, steps[1], steps[2]) or ZERO
end

-- execution.open(ctx, candidate, plan, book_by_venue?) -> hedge | nil, err
-- hedge = {symbol, long = {venue, size, entry_price}, short = {...}, notional, opened_at_ms}
function execution.open(ctx, c, plan, books)
  local symbol, lv, sv = c.symbol, c.long_venue, c.short_venue
  ctx.deadline_hard = hedge.mono_ms() + 60000
  local journal, log = ctx.journal, ctx.log

  -- Refuse to stack on top of something already there.
  local before, rerr = read_positions(ctx, { lv, sv }, symbol)
  if not before then return nil, rerr end
  for _, v in ipairs { lv, sv } do
    if before[v].size:sign() ~= 0 then
      return nil, hedge.errors.new("invalid_order", ("%s already holds %s %s: not opening on top of it"):format(v, tostring(before[v].size), symbol))
    end
  end

  -- Leverage on both venues first; either failing aborts the cycle.
  local lev = ctx.config.leverage
  local _, lerrs = hedge.parallel(
    function() return ctx.venues[lv]:set_leverage(symbol, lev, ctx.config.margin_mode) end,
    function() return ctx.venues[sv]:set_leverage(symbol, lev, ctx.config.margin_mode) end)
  if lerrs[1] or lerrs[2] then
    return nil, lerrs[1] or lerrs[2]
  end

  -- Both orders are built (and, inside place, signed) before either is sent.
  local size = plan.size
  local legs = {
    { venue = lv, purpose = "open", order = build_order(ctx, lv, symbol, "buy", size, false, books and books[lv]) },
    { venue = sv, purpose = "open", order = build_order(ctx, sv, symbol, "sell", size, false, books and books[sv]) },
  }
  journal:event("open_sent", { symbol = symbol, long_venue = lv, short_venue = sv, size = tostring(size) })
  send_legs(ctx, legs)
  local expected = {
    [lv] = legs[1].sent and size or nil,
    [sv] = legs[2].sent and -size or nil,
  }
  local after, perr = settle_positions(ctx, symbol, { lv, sv }, expected)
  if not after then
    -- A venue stopped answering right after the orders went out: a leg may be filled alone, and
    -- nothing can be unwound blind. The intents stay open and the error names the legs that may
    -- be naked, so the machine goes to ERROR, whose recovery resolves the intents by client id
    -- and closes a naked leg (or adopts the pair) once the venues answer again.
    local e = hedge.errors.new("unavailable", "positions could not be read after opening: " .. tostring(perr), { op = "open" })
    local maybe = {}
    for _, leg in ipairs(legs) do
      if leg.sent or leg.unresolved then maybe[#maybe + 1] = leg.venue end
    end
    if #maybe > 0 then
      e.naked = maybe
      e.msg = e.msg .. "; may be open on " .. table.concat(maybe, ", ") .. " until the venues answer"
    end
    return nil, e
  end
  if ctx.config.order_style == "limit_cross" then
    hedge.parallel(function() return ctx.venues[lv]:cancel_all(symbol) end,
                   function() return ctx.venues[sv]:cancel_all(symbol) end)
  end
  finish_legs(ctx, legs)
  local long_size, short_size = after[lv].size, -after[sv].size

  -- One leg (or both) missing: unwind what did fill, and say why.
  if long_size:sign() <= 0 or short_size:sign() <= 0 then
    local why = {}
    for i, leg in ipairs(legs) do
      if leg.error then why[#why + 1] = leg.venue .. ": " .. tostring(leg.error) end
      if leg.sent and ((i == 1 and long_size:sign() <= 0) or (i == 2 and short_size:sign() <= 0)) then
        why[#why + 1] = leg.venue .. ": accepted but did not fill"
      end
    end
    local reason = table.concat(why, "; ")
    local filled_alone = {}   -- the legs that were naked until unwound (alerts report them)
    local unwinds = {}
    for _, v in ipairs { lv, sv } do
      local s = after[v].size
      if s:sign() ~= 0 then
        filled_alone[#filled_alone + 1] = v
        log.warn("bot", ("unwinding %s %s on %s: the other leg failed (%s)"):format(tostring(s), symbol, v, reason))
        unwinds[#unwinds + 1] = reduce(ctx, v, symbol, s, s:abs(), "unwind")
      end
    end
    local flat = settle_positions(ctx, symbol, { lv, sv }, { [lv] = ZERO, [sv] = ZERO })
    finish_legs(ctx, unwinds)
    local left = {}
    for _, v in ipairs { lv, sv } do
      if not flat or flat[v].size:sign() ~= 0 then left[#left + 1] = v end
    end
    journal:event("open_failed", { symbol = symbol, reason = reason, unwound = #left == 0,
      filled_alone = #filled_alone > 0 and table.concat(filled_alone, ",") or nil })
    local e = hedge.errors.new("invalid_order", "opening failed: " .. reason, { op = "open", filled_alone = filled_alone })
    if #left > 0 then
      e.naked = left
      e.msg = e.msg .. "; the unwind did not complete on " .. table.concat(left, ", ")
    end
    return nil, e
  end

  -- Sizes differ (a partial fill): both legs go down to the largest size both venues can hold —
  -- a multiple of both size steps, not above the smaller fill — so trimming one leg to the other's
  -- fill never leaves it off its own lot grid (Lighter filling 0.595 against edgeX's 0.01 step
  -- would otherwise leave 0.6 against 0.595, and the monitor would close the hedge at once).
  if long_size ~= short_size then
    local target = common_size(ctx, symbol, plan, lv, sv, D.min(long_size, short_size))
    local trims, fns = {}, {}
    for _, x in ipairs { { lv, long_size }, { sv, short_size } } do
      local venue, filled = x[1], x[2]
      if filled > target then
        log.warn("bot", ("trimming %s %s on %s to %s: legs filled %s / %s"):format(tostring(filled - target), symbol, venue,
          tostring(target), tostring(long_size), tostring(short_size)))
        fns[#fns + 1] = function()
          trims[#trims + 1] = reduce(ctx, venue, symbol, after[venue].size, filled - target, "trim")
        end
      end
    end
    hedge.parallel(unpack(fns))
    after = settle_positions(ctx, symbol, { lv, sv }, { [lv] = target, [sv] = -target }) or after
    finish_legs(ctx, trims)
    long_size, short_size = after[lv].size, -after[sv].size
    if target:sign() == 0 then
      local left = {}
      for _, v in ipairs { lv, sv } do if after[v].size:sign() ~= 0 then left[#left + 1] = v end end
      local reason = ("the fills (%s / %s) share no whole lot of both venues"):format(tostring(long_size), tostring(short_size))
      journal:event("open_failed", { symbol = symbol, reason = reason, unwound = #left == 0 })
      local e = hedge.errors.new("invalid_order", "opening failed: " .. reason, { op = "open" })
      if #left > 0 then e.naked = left; e.msg = e.msg .. "; the unwind did not complete on " .. table.concat(left, ", ") end
      return nil, e
    end
  end

  local h = {
    symbol = symbol, long_venue = lv, short_venue = sv,
    long_size = long_size, short_size = short_size,
    long_entry = after[lv].position and after[lv].position.entry_price,
    short_entry = after[sv].position and after[sv].position.entry_price,
    long_client_id = tostring(legs[1].order.client_id), short_client_id = tostring(legs[2].order.client_id),
    notional = plan.notional, opened_at_ms = (ctx.clock or require("bot.clock").real).now_ms(), leverage = ctx.config.leverage,
  }
  journal:event("opened", { symbol = symbol, long_venue = lv, short_venue = sv,
    long_size = tostring(long_size), short_size = tostring(short_size) })
  return h
end

-- execution.close(ctx, hedge, reason) -> closed | nil, err
-- Both legs reduce-only at once; positions are re-read until flat, retrying what is left a
-- bounded number of times; a leg that will not close is an error naming its venue.
function execution.close(ctx, h, reason)
  local symbol, lv, sv = h.symbol, h.long_venue, h.short_venue
  -- A naked leg is closed as a "hedge" with the same venue on both sides: one venue, one order.
  local venues = lv == sv and { lv } or { lv, sv }
  ctx.deadline_hard = hedge.mono_ms() + 120000
  local attempts = ctx.config.close_attempts or 3
  ctx.journal:event("close_started", { symbol = symbol, reason = reason })
  -- Leftover resting orders (an aggressive limit that did not fully cross) go first, so they
  -- cannot fill against the close.
  hedge.parallel(function() return ctx.venues[lv]:cancel_all(symbol) end,
                 function() return lv ~= sv and ctx.venues[sv]:cancel_all(symbol) or true end)
  local last
  for attempt = 1, attempts do
    local now, err = read_positions(ctx, venues, symbol)
    if not now then
      if attempt == attempts then return nil, err end
    else
      last = now
      local legs = {}
      for _, v in ipairs(venues) do
        local s = now[v].size
        if s:sign() ~= 0 then
          local o = build_order(ctx, v, symbol, s:sign() > 0 and "sell" or "buy", s:abs(), true, nil)
          o.type, o.slippage_bps, o.price, o.tif = "market", ctx.config.slippage_bps, nil, nil
          legs[#legs + 1] = { venue = v, order = o, purpose = "close" }
        end
      end
      if #legs == 0 then
        ctx.journal:event("closed", { symbol = symbol, reason = reason, attempts = attempt })
        return { symbol = symbol, attempts = attempt }
      end
      send_legs(ctx, legs)
      local flat = settle_positions(ctx, symbol, venues, { [lv] = ZERO, [sv] = ZERO })
      finish_legs(ctx, legs)
      if flat and flat[lv].size:sign() == 0 and flat[sv].size:sign() == 0 then
        ctx.journal:event("closed", { symbol = symbol, reason = reason, attempts = attempt })
        return { symbol = symbol, attempts = attempt }
      end
      last = flat or last
    end
    hedge.sleep(math.min(2 ^ (attempt - 1), 8))
  end
  local open_on = {}
  for _, v in ipairs(venues) do
    if not last or last[v].size:sign() ~= 0 then open_on[#open_on + 1] = v end
  end
  return nil, hedge.errors.new("unavailable", ("closing %s did not finish after %d attempts: still open on %s"):format(
    symbol, attempts, table.concat(open_on, " and ")), { op = "close", open_on = open_on })
end

return execution
