-- Orders the bot gave up on that may still land. An order whose answer was lost, and which the
-- venue did not show by client id within reconcile_seconds, is journalled "not found ...: never
-- taken" and the other leg is unwound. But a request held up on its way (a slow proxy, the
-- venue's queue) can still be executed after that, until the order's own expiry, and leave a
-- naked leg while the bot waits for its next cycle (fault matrix cells *:open:delay). So while
-- such orders are recent, the waiting bot looks them up every check interval; one that arrived
-- is journalled, and recovery closes the leg it opened (or adopts the pair it completes).
--
--   late.pending(machine)          -> the current cycle's intents still worth watching
--   late.check(machine, intents)   -> true when one arrived (recovery ran and set the state)
local hedge = require "hedge"

local late = {}

-- Real seconds an order given up on is watched: the longest lifetime the clients sign an order
-- for (Lighter's ExpiredAt, 10 minutes; Pacifica's signature window is 30 s).
late.WATCH_S = 600

function late.pending(m)
  local out = {}
  if not m.journal.intents_of_cycle then return out end   -- a journal that cannot list them (tests' fakes)
  local now = hedge.now_ms()
  for _, i in ipairs(m.journal:intents_of_cycle(m.cycle)) do
    if i.status == "resolved" and type(i.resolution) == "string" and i.resolution:find("never taken", 1, true)
        and (i.updated_at_ms or 0) + late.WATCH_S * 1000 > now then
      out[#out + 1] = i
    end
  end
  return out
end

function late.check(m, intents)
  local arrived = false
  for _, i in ipairs(intents) do
    local client = m.venues[i.venue]
    local o = client and client:order(i.client_id, i.symbol)
    if o then
      arrived = true
      m.journal:update_intent(i.id, { resolution = "arrived late, after it was not found: " .. tostring(o.status),
        venue_order_id = o.id and tostring(o.id) or nil, filled_size = o.filled and tostring(o.filled) or nil })
      m.journal:event("late_order", { venue = i.venue, symbol = i.symbol, client_id = i.client_id, status = tostring(o.status) })
      m.log.warn("bot", ("an order given up as never taken arrived late on %s (%s %s %s, %s): reconciling"):format(
        i.venue, tostring(i.side), tostring(i.size), tostring(i.symbol), tostring(o.status)))
    end
  end
  if arrived then
    local outcome = require("bot.recovery").run(m)
    m.log.info("bot", "after a late order: " .. outcome)
  end
  return arrived
end

return late
