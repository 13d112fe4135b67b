-- Start-up (and after-ERROR) reconciliation: the journal against what the venues really hold.
--
--   1. every open intent is resolved by client id on its venue (found → resolved with the
--      venue's status; certainly absent → "never taken"); one that cannot be resolved keeps
--      the bot in ERROR
--   2. positions are read on every configured venue, all symbols (not just the monitored ones)
--   3. the stored hedge is adopted when both legs are there with matching sizes (keeping its
--      original open time); a hedged pair the journal does not know is adopted too; a naked
--      leg is closed reduce-only (naked_leg_policy = "close") or stops the bot ("halt");
--      anything else stops the bot with a message listing what was found. A stored hedge opened
--      by hand (owner "manual", scripts/hedge.lua) is adopted with a cycle number of its own, or
--      stops the bot when manual_hedge_policy is "refuse".
-- recovery.run(machine) -> outcome text, and sets machine.state / machine.hedge.
local hedge = require "hedge"
local D = require "hedge.decimal"
local B = require "venues.base"
local execution = require "bot.execution"

local recovery = {}
local cancel_own_orders

local DECIMAL_FIELDS = { "long_size", "short_size", "long_entry", "short_entry", "notional" }

local function restore(h)
  for _, k in ipairs(DECIMAL_FIELDS) do
    if h[k] ~= nil and not D.is_decimal(h[k]) then h[k] = D(tostring(h[k])) end
  end
  return h
end

local function resolve_intents(m)
  local unresolved = {}
  for _, intent in ipairs(m.journal:open_intents()) do
    local client = m.venues[intent.venue]
    if not client then
      unresolved[#unresolved + 1] = ("%s order %s: venue not configured"):format(intent.venue, intent.client_id)
    else
      local found, err = B.reconcile(client, intent.client_id, intent.symbol, { timeout = m.config.reconcile_seconds })
      if found then
        m.journal:update_intent(intent.id, { status = "resolved", resolution = "found at start-up: " .. tostring(found.status),
          venue_order_id = found.id and tostring(found.id) or nil })
      elseif err.kind == "order_not_found" then
        m.journal:update_intent(intent.id, { status = "resolved", resolution = "not found at start-up: never taken" })
      else
        unresolved[#unresolved + 1] = ("%s order %s: %s"):format(intent.venue, intent.client_id, tostring(err))
      end
    end
  end
  return unresolved
end

-- Every non-zero position on every venue: {{venue, symbol, size (signed), position}}.
local function all_positions(m)
  local names, fns = {}, {}
  for name, client in pairs(m.venues) do
    names[#names + 1] = name
    fns[#fns + 1] = function() return client:positions() end
  end
  local results, errs = hedge.parallel(unpack(fns))
  local open = {}
  for i, name in ipairs(names) do
    if not results[i] then return nil, ("cannot read positions on %s: %s"):format(name, tostring(errs[i])) end
    for _, p in ipairs(results[i]) do
      if p.size and p.size:sign() > 0 then
        open[#open + 1] = { venue = name, symbol = p.symbol, size = p.side == "long" and p.size or -p.size, position = p }
      end
    end
  end
  table.sort(open, function(a, b) return a.venue .. a.symbol < b.venue .. b.symbol end)
  return open
end

-- Orders still resting on a venue after a crash: the bot's own (their client id is in the
-- journal) are cancelled; anyone else's are left alone and reported.
cancel_own_orders = function(m)
  for name, client in pairs(m.venues) do
    local orders = client.open_orders and client:open_orders()
    for _, o in ipairs(orders or {}) do
      local known = o.client_id and m.journal.find_intent and m.journal:find_intent(name, tostring(o.client_id))
      if known then
        local ok, cerr = client:cancel(o.id, o.symbol)
        m.log.warn("bot", ("cancelled a resting order of ours on %s (%s %s %s): %s"):format(
          name, o.side or "?", tostring(o.size), o.symbol, ok and "done" or tostring(cerr)))
      else
        m.log.warn("bot", ("an order the journal does not know rests on %s: %s %s %s (left alone)"):format(
          name, o.side or "?", tostring(o.size), o.symbol))
      end
    end
  end
end

local function describe(open)
  local parts = {}
  for _, o in ipairs(open) do parts[#parts + 1] = ("%s %s %s"):format(o.venue, tostring(o.size), o.symbol) end
  return #parts > 0 and table.concat(parts, ", ") or "nothing"
end

local function naked(m, legs, why)
  local text = ("naked leg: %s (%s)"):format(describe(legs), why)
  if m.config.naked_leg_policy == "halt" then
    m.halt_reason = text .. "; naked_leg_policy is halt"
    m:set_state("HALTED", { last_error = m.halt_reason })
    return m.halt_reason
  end
  m.journal:event("naked_leg", { found = describe(legs), why = why })
  m:alert("naked_leg", { symbol = legs[1].symbol, venue = legs[1].venue, message = text .. "; closing it reduce-only" })
  local lv = legs[1].size:sign() > 0 and legs[1].venue or nil
  local sv = legs[1].size:sign() < 0 and legs[1].venue or nil
  local h = { symbol = legs[1].symbol, long_venue = lv or legs[1].venue, short_venue = sv or legs[1].venue }
  local closed, err = execution.close(m:ctx(), h, "naked leg at start-up")
  if not closed then
    m:alert("failed_unwind", { symbol = legs[1].symbol, venue = legs[1].venue, message = text .. "; closing it failed: " .. tostring(err) })
    m:set_state("ERROR", { last_error = text .. "; closing it failed: " .. tostring(err) })
    return text .. "; close failed"
  end
  m.journal:clear_hedge("naked leg closed")
  m.hedge = nil
  m:set_state("WAITING", { since_ms = m.clock.now_ms() })
  return text .. "; closed reduce-only"
end

-- When the bot stopped while OPENING, the current cycle's journalled open orders on exactly
-- these two venues and symbol: {long = client id, short = client id}, or nil.
local function interrupted_open(m, h)
  if m.state ~= "OPENING" or not m.journal.intents_of_cycle then return nil end
  local long, short
  for _, i in ipairs(m.journal:intents_of_cycle(m.cycle)) do
    if i.purpose == "open" and i.symbol == h.symbol then
      if i.venue == h.long_venue and i.side == "buy" then long = i.client_id end
      if i.venue == h.short_venue and i.side == "sell" then short = i.client_id end
    end
  end
  if long and short then return { long = long, short = short } end
  return nil
end

-- Two legs of one symbol on two venues, long and short: the hedge they would make (sizes as
-- found, which may differ), or nil.
local function opposite_pair(m, open)
  if #open ~= 2 or open[1].symbol ~= open[2].symbol or open[1].size:sign() == open[2].size:sign() then return nil end
  local l = open[1].size:sign() > 0 and open[1] or open[2]
  local s = l == open[1] and open[2] or open[1]
  local h = { symbol = l.symbol, long_venue = l.venue, short_venue = s.venue, long_size = l.size, short_size = -s.size,
    long_entry = l.position.entry_price, short_entry = s.position.entry_price,
    notional = l.size * (l.position.entry_price or l.position.mark_price or D("0")),
    opened_at_ms = m.clock.now_ms(), leverage = m.config.leverage, adopted = true }
  h.target_close_ms = h.opened_at_ms + m.config.hold_duration_hours * 3600000
  return h
end

function recovery.run(m)
  local unresolved = resolve_intents(m)
  if #unresolved > 0 then
    local why = "unresolved order intents: " .. table.concat(unresolved, "; ")
    m:set_state("ERROR", { last_error = why })
    return why
  end
  local open, err = all_positions(m)
  if not open then
    m:set_state("ERROR", { last_error = err })
    return err
  end
  cancel_own_orders(m)
  local stored = m.journal:hedge()
  if stored then restore(stored) end

  local function leg(venue, symbol)
    for _, o in ipairs(open) do if o.venue == venue and o.symbol == symbol then return o end end
  end

  if stored then
    local l, s = leg(stored.long_venue, stored.symbol), leg(stored.short_venue, stored.symbol)
    if l and s and #open == 2 and l.size:sign() > 0 and s.size:sign() < 0 and l.size == -s.size then
      local from = "journal"
      if stored.owner == "manual" then
        -- Opened by hand (scripts/hedge.lua open) while the bot was stopped.
        if m.config.manual_hedge_policy == "refuse" then
          m.halt_reason = ("a hedge opened by hand is open (%s) and manual_hedge_policy is refuse: close it " ..
            "(hedge scripts/hedge.lua close %s) or set manual_hedge_policy to adopt"):format(describe(open), stored.symbol)
          m:set_state("HALTED", { last_error = m.halt_reason })
          return m.halt_reason
        end
        -- Adopted: from now on it is the bot's hedge, with a cycle number of its own.
        from, m.cycle = "manual", m.cycle + 1
        stored.owner, stored.adopted = "bot", true
        m.journal:set_hedge({ owner = "bot", adopted = true })
      end
      stored.long_size, stored.short_size = l.size, -s.size
      m.hedge = stored
      m:set_state(stored.close_reason and "CLOSING" or "HOLDING")
      m.journal:event("adopted", { symbol = stored.symbol, from = from })
      return ("adopted the stored hedge: %s long %s on %s, short on %s"):format(stored.symbol, tostring(l.size), stored.long_venue, stored.short_venue)
    end
    if stored.close_reason and (#open == 0 or ((l or s) and #open == 1)) then
      -- Stopped in the middle of its own close (both legs closed, or one): the close is
      -- finished (what is left closed reduce-only) and the cycle recorded with its PnL, rather
      -- than the hedge cleared and its record lost.
      m.hedge = stored
      m:set_state("CLOSING")
      m.journal:event("adopted", { symbol = stored.symbol, from = "interrupted close" })
      return ("the interrupted close of %s left %s: finishing it"):format(stored.symbol, describe(open))
    end
    if #open == 0 then
      m.journal:clear_hedge("flat at start-up")
      m.hedge = nil
      m:set_state("WAITING", { since_ms = m.clock.now_ms() })
      return "the stored hedge is no longer open anywhere: flat"
    end
    if (l or s) and #open == 1 then return naked(m, open, "the other leg of the stored hedge is gone") end
    if l and s and #open == 2 then
      -- Both legs there but sizes differ: close both rather than guess.
      m.hedge = stored
      m.journal:set_hedge({ close_reason = "legs differ at start-up" })
      stored.close_reason = "legs differ at start-up"
      m:set_state("CLOSING")
      return ("stored hedge legs differ (%s): closing both"):format(describe(open))
    end
  else
    if #open == 0 then
      if m.state ~= "WAITING" then m:set_state("IDLE") end
      return "flat on every venue"
    end
    local h = opposite_pair(m, open)
    if h and h.long_size ~= h.short_size then
      -- Legs that differ (a partial fill the open had no time to trim) are only explained when
      -- they are this bot's own interrupted open: then both are closed, as for a stored hedge
      -- whose legs differ; anyone else's stop the bot below.
      local own = interrupted_open(m, h)
      if own then
        h.cycle, h.long_client_id, h.short_client_id = m.cycle, own.long, own.short
        h.close_reason = "legs differ at start-up"
        m.journal:set_hedge(h)
        m.hedge = h
        m:set_state("CLOSING")
        m.journal:event("adopted", { symbol = h.symbol, from = "interrupted open, legs differ" })
        return ("the interrupted open left legs that differ (%s): closing both"):format(describe(open))
      end
    elseif h then
      local own = interrupted_open(m, h)
      if own then
        -- The open this bot journalled and was stopped in the middle of (before it could store
        -- the hedge): the pair is that cycle's, and its orders make up the cycle's PnL.
        h.cycle, h.long_client_id, h.short_client_id = m.cycle, own.long, own.short
      else
        -- A cycle number of its own: its close is recorded as a cycle, and cycles are unique.
        m.cycle = m.cycle + 1
        h.cycle = m.cycle
      end
      m.journal:set_hedge(h)
      m.hedge = h
      m:set_state("HOLDING")
      m.journal:event("adopted", { symbol = h.symbol, from = own and "interrupted open" or "venues" })
      if own then return ("adopted the pair its interrupted open left: %s"):format(describe(open)) end
      return ("adopted a hedged pair the journal did not know: %s"):format(describe(open))
    end
    if #open == 1 then return naked(m, open, "no hedge in the journal") end
  end
  m.halt_reason = "positions the bot cannot explain: " .. describe(open) .. " — close them (scripts/emergency_close.lua) or fix the journal"
  m:set_state("HALTED", { last_error = m.halt_reason })
  return m.halt_reason
end

return recovery
