-- A closed cycle's realised PnL from what the venues booked, not from estimates.
--
--   ledger.cycle(ctx, h, cycle_no) -> result | nil, reason
--   result = {total, funding, price, fees (D), per_venue = {venue = {funding, price, fees,
--             fills, payments, first_ms, last_ms}}, fills = {...}, payments = {...}}
--
-- For each leg's venue:
--   fills     the fills of every order the cycle journalled on that venue (open, trim, unwind,
--             close), from the venue's trade history (client:fills_for); fees are their fees;
--   price     the cash the round trip made: sell notional - buy notional (the leg went from flat
--             to flat, so this is its realised PnL, exactly);
--   funding   the venue's funding payments for the symbol after the first fill and up to the last
--             (client:funding_payments), the venue's own figures.
-- total = funding + price - fees, exactly. nil when a venue cannot give its records (older or
-- fake clients, history not readable, the fills do not net to flat): the caller then falls back
-- to its estimate and says so.
local hedge = require "hedge"
local D = require "hedge.decimal"

local ledger = {}

local ZERO = D("0")
local RETRY_S = 0.25

-- The orders of a cycle on one venue that may have traded: every intent that was sent.
local function orders_of(intents, venue)
  local out = {}
  for _, i in ipairs(intents) do
    if i.venue == venue and i.status ~= "rejected" and i.status ~= "pending" then
      out[#out + 1] = { client_id = i.client_id, order_id = i.venue_order_id, intent = i }
    end
  end
  return out
end

local function read_venue(client, symbol, orders)
  local fills, err = client:fills_for(symbol, orders)
  if not fills then return nil, err end
  local bought, sold, fees, buy_cash, sell_cash = ZERO, ZERO, ZERO, ZERO, ZERO
  local first, last
  for _, f in ipairs(fills) do
    local cash = f.size * f.price
    if f.side == "buy" then bought, buy_cash = bought + f.size, buy_cash + cash
    else sold, sell_cash = sold + f.size, sell_cash + cash end
    fees = fees + f.fee
    if f.timestamp then
      first = first and math.min(first, f.timestamp) or f.timestamp
      last = last and math.max(last, f.timestamp) or f.timestamp
    end
  end
  if #fills == 0 or bought ~= sold then
    return nil, ("fills bought %s and sold %s %s: not a round trip (yet)"):format(tostring(bought), tostring(sold), symbol)
  end
  if not first then return nil, "fills without timestamps" end
  return { fills = fills, fees = fees, price = sell_cash - buy_cash, first_ms = first, last_ms = last }
end

function ledger.cycle(ctx, h, cycle_no)
  local journal = ctx.journal
  if not journal.intents_of_cycle then return nil, "the journal cannot list a cycle's orders" end
  local intents = journal:intents_of_cycle(cycle_no)
  local out = { total = ZERO, funding = ZERO, price = ZERO, fees = ZERO, per_venue = {}, fills = {}, payments = {} }
  for _, venue in ipairs { h.long_venue, h.short_venue } do
    local client = ctx.venues[venue]
    if not (client and client.fills_for and client.funding_payments) then
      return nil, venue .. " cannot list its fills and funding payments"
    end
    local orders = orders_of(intents, venue)
    if #orders == 0 then return nil, "no journalled order on " .. venue end
    -- Trade history may show the last fill a moment after the position does.
    local deadline = hedge.mono_ms() + (ctx.config.reconcile_seconds or 5) * 1000
    local v, err
    repeat
      v, err = read_venue(client, h.symbol, orders)
      if v or hedge.mono_ms() >= deadline then break end
      hedge.sleep(RETRY_S)
    until false
    if not v then return nil, ("%s: %s"):format(venue, tostring(err)) end
    local payments, perr = client:funding_payments(h.symbol, { since_ms = v.first_ms, until_ms = v.last_ms })
    if not payments then return nil, ("%s funding payments: %s"):format(venue, tostring(perr)) end
    v.funding, v.payments = ZERO, #payments
    for _, p in ipairs(payments) do
      v.funding = v.funding + p.amount
      out.payments[#out.payments + 1] = { venue = venue, payment = p }
    end
    for _, f in ipairs(v.fills) do out.fills[#out.fills + 1] = { venue = venue, fill = f } end
    v.fills = #v.fills
    out.per_venue[venue] = v
    out.funding, out.price, out.fees = out.funding + v.funding, out.price + v.price, out.fees + v.fees
  end
  out.total = out.funding + out.price - out.fees
  return out
end

-- Journals the fills and payments a result was built from (hedge.store's fills and funding),
-- each once: what a killed run booked already is skipped (its close is finished by the restart).
function ledger.record(journal, result, cycle_no)
  if not (journal.add_fill and journal.add_funding) then return end
  local function known_fill(venue, f) return journal.has_fill and journal:has_fill(venue, f.id) end
  local function known_payment(venue, p) return journal.has_funding and journal:has_funding(venue, p.symbol, p.id, p.timestamp) end
  journal:transaction(function()
    for _, e in ipairs(result.fills) do
      local f = e.fill
      if not known_fill(e.venue, f) then
        journal:add_fill { cycle = cycle_no, venue = e.venue, symbol = f.symbol, side = f.side, size = f.size, price = f.price,
          fee = f.fee, liquidity = f.liquidity, trade_id = f.id, venue_order_id = f.order_id, client_id = f.client_id,
          filled_at_ms = f.timestamp }
      end
    end
    for _, e in ipairs(result.payments) do
      local p = e.payment
      if not known_payment(e.venue, p) then
        journal:add_funding { cycle = cycle_no, venue = e.venue, symbol = p.symbol, amount = p.amount, rate = p.rate,
          position_size = p.size and p.size:abs() or nil, payment_id = p.id, paid_at_ms = p.timestamp,
          side = (p.side == "long" or p.side == "short") and p.side or (p.size and p.size:sign() ~= 0 and (p.size:sign() > 0 and "long" or "short")) or nil }
      end
    end
  end)
end

return ledger
