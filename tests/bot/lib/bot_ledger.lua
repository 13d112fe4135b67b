-- What the simulator booked for one of the bot's cycles (GET /ledger), in the cycle record's
-- terms, to compare with the bot's own PnL split (tests/lua/bot_cycles.lua and others).
--
--   local L = require "lib.bot_ledger"
--   local booked = L.cycle(world, journal_dump, cycle_row)
--   -> {funding, price, fees, total (D), trades = n, payments = n, per_venue = {venue = {...}}}
--
-- The cycle's fills are found by the client ids of its journalled intents (open, close, unwind,
-- trim); its funding payments are those of its symbol on its two venues booked between the first
-- and the last of those fills. price = realised PnL of the fills, total = price + funding - fees, exactly
-- what the venue's balance moved by.
local D = require "hedge.decimal"

local L = {}
local ZERO = D("0")

-- Client ids of the orders the bot journalled for a cycle, by venue.
-- Lighter books the 48-bit client order index the client derives from the UUID.
local function venue_form(venue, client_id)
  if venue == "lighter" then
    local index = require("venues.lighter").client_index(client_id)
    return index and ("%d"):format(index) or client_id
  end
  return client_id
end
L.venue_form = venue_form

local function id_text(v)
  if type(v) == "number" then return ("%d"):format(v) end
  return tostring(v)
end

local function client_ids(dump, cycle_no)
  local ids = {}
  for _, intent in ipairs(dump.intents or {}) do
    if intent.cycle == cycle_no then
      ids[intent.venue] = ids[intent.venue] or {}
      ids[intent.venue][venue_form(intent.venue, tostring(intent.client_id))] = true
    end
  end
  return ids
end
L.client_ids = client_ids

-- The simulator keeps each venue's client id in its own form (Lighter: the client order index;
-- Pacifica: a UUID; edgeX: the decimal client order id): the bot journals the same text.
local function booked_for(world, venue, symbol, ids)
  local ledger = world:ledger(venue)
  local out = { fees = ZERO, price = ZERO, funding = ZERO, trades = 0, payments = 0 }
  local first, last
  for _, t in ipairs(ledger.trades) do
    if t.symbol == symbol and t.client_id and ids[id_text(t.client_id)] then
      out.fees = out.fees + D(t.fee)
      out.price = out.price + D(t.realized_pnl)
      out.trades = out.trades + 1
      first = first and math.min(first, t.history_id) or t.history_id
      last = last and math.max(last, t.history_id) or t.history_id
    end
  end
  if first then
    -- Booking order, not timestamps: the simulator settles a boundary on its next tick, so a
    -- payment stamped with the boundary time may be booked after a fill stamped later.
    for _, f in ipairs(ledger.funding) do
      if f.symbol == symbol and f.history_id > first and f.history_id < last then
        out.funding = out.funding + D(f.payout)
        out.payments = out.payments + 1
      end
    end
  end
  out.first_id, out.last_id = first, last
  return out
end

function L.cycle(world, dump, c)
  local ids = client_ids(dump, c.cycle)
  local sum = { funding = ZERO, price = ZERO, fees = ZERO, trades = 0, payments = 0, per_venue = {} }
  for _, venue in ipairs { c.long_venue, c.short_venue } do
    local b = booked_for(world, venue, c.symbol, ids[venue] or {})
    sum.per_venue[venue] = b
    sum.funding, sum.price, sum.fees = sum.funding + b.funding, sum.price + b.price, sum.fees + b.fees
    sum.trades, sum.payments = sum.trades + b.trades, sum.payments + b.payments
  end
  sum.total = sum.price + sum.funding - sum.fees
  return sum
end

-- A decimal to the cent (half-even), as text: the comparison the issue asks for.
function L.cents(x)
  if x == nil then return "nil" end
  return D(tostring(x)):rescale(2, "half_even"):format(2)
end

return L
