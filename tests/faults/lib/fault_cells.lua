-- The fault matrix's cells: for each venue the fault hits, each phase and each fault, the
-- simulator faults to arm (tests/sim/README.md, "Faults") or why the cell does not apply.
--
--   cells.FAULTS, cells.PHASES, cells.VENUES       the matrix's columns and rows, in order
--   cells.plan(venue, phase, fault) -> {faults = {...}, partner, expect, ws = bool} | {na = reason}
--
-- Where each phase strikes (what the bot does in it, from the simulator's request log):
--   open   the analysis reads (books, prices, Lighter's market_stats stream) and the opening
--          orders; order faults hit the faulted venue's opening order, stale hits its book
--   hold   the monitoring reads: the faulted venue's position read (checked every
--          check_interval_seconds); no order and no WebSocket is used while holding
--   close  the closing orders (reduce-only), and for stale data the position reads that decide
--          whether the close is done
local M = {}

M.VENUES = { "lighter", "pacifica", "edgex" }
M.PHASES = { "open", "hold", "close" }
M.FAULTS = { "429", "5xx", "delay", "timeout_after_accept", "ws_drop", "ws_gap", "reject", "partial_fill",
  "nonce", "stale", "down" }

-- The venue the hedge pairs the faulted one with (both have ETH; the pair is the only candidate).
M.PARTNER = { lighter = "pacifica", pacifica = "lighter", edgex = "pacifica" }

-- The venue clients' request timeout (venues.*.new: timeout = 10 s, not configurable in the
-- bot's configuration): a delay past it and a hang after accept are sized from it.
M.CLIENT_TIMEOUT_S = 10

-- The bot's reconcile_seconds in the matrix (lib/fault_run.lua): how long an order with a lost
-- answer is looked for by client id before it counts as never taken.
M.RECONCILE_S = 2

-- A delayed order lands after the client's timeout and after the bot stopped looking for it:
-- the worst case of a request held up on its way.
M.LATE_MS = (M.CLIENT_TIMEOUT_S + M.RECONCILE_S + 4) * 1000

-- A venue down for "minutes": simulated milliseconds.
M.DOWN_MS = 3 * 60 * 1000

-- Per venue: how its calls are matched (request paths and signing ops as the simulator sees
-- them) and its dialect's "bad nonce / expired" refusal.
local DIALECT = {
  lighter = {
    order = { kind = "http", op = "create_order" },                 -- sendTx of a CreateOrder
    positions = { kind = "http", path = "/api/v1/account" },
    book = { kind = "http", path = "/api/v1/orderBookOrders" },
    nonce = { error = "invalid_nonce", says = "21104 invalid nonce" },
  },
  pacifica = {
    order = { kind = "http", path = "/api/v1/orders/create*" },     -- create and create_market
    positions = { kind = "http", path = "/api/v1/positions" },
    book = { kind = "http", path = "/api/v1/book" },
    -- Pacifica has no nonce: a signed request carries a timestamp and expiry_window, and an
    -- expired one is refused with exactly this answer (400 "Verification failed").
    nonce = { error = "verification_failed", says = "400 Verification failed (expired signature timestamp)" },
  },
  edgex = {
    order = { kind = "http", op = "createOrder" },
    positions = { kind = "http", op = "getAccountAsset" },
    book = { kind = "http", op = "getDepth" },
    -- edgeX's requests are authenticated with a timestamp inside a 60 s window; outside it
    -- the venue answers 401 REQUEST_EXPIRED (the order's own l2Nonce is a hash of its client id).
    nonce = { error = "expired", says = "401 REQUEST_EXPIRED (request timestamp outside the window)" },
  },
}
M.DIALECT = DIALECT

local function copy(t)
  local out = {}
  for k, v in pairs(t) do out[k] = v end
  return out
end

-- One fault definition for POST /faults.
local function fault(venue, match, action, count)
  local m = copy(match)
  m.venue = venue
  return { venue = venue, match = m, action = action, count = count or 1 }
end

-- What each fault does in each phase. `target` names the dialect match (order, positions, book).
local function build(venue, phase, name)
  local d = DIALECT[venue]
  local on_order = phase ~= "hold"
  local target = on_order and d.order or d.positions
  local timeout_ms = M.CLIENT_TIMEOUT_S * 1000
  if name == "429" then
    -- Reads are retried by the client after Retry-After: three in a row outlast its retries.
    return { fault(venue, target, { type = "http_status", status = 429, retry_after = 1 }, on_order and 1 or 3) }
  elseif name == "5xx" then
    return { fault(venue, target, { type = "http_status", status = on_order and 500 or 503 }, on_order and 1 or 4) }
  elseif name == "delay" then
    -- Processed normally after the client gave up and the bot stopped looking for it.
    return { fault(venue, target, { type = "delay", ms = M.LATE_MS }) }
  elseif name == "timeout_after_accept" then
    if not on_order then
      return nil, "the venue taking an order whose answer is lost: no order is sent while holding (a read answered too late is the delay cell)"
    end
    return { fault(venue, target, { type = "timeout_after_accept", hang_ms = timeout_ms + 5000 }) }
  elseif name == "ws_drop" or name == "ws_gap" then
    return { fault(venue, { kind = "ws_out" }, { type = name }) }, true
  elseif name == "reject" then
    if not on_order then return nil, "no order is sent while holding (a refused read is the 429 and 5xx cells)" end
    return { fault(venue, target, { type = "reject", error = phase == "open" and "insufficient_funds" or "invalid_order" }) }
  elseif name == "partial_fill" then
    if not on_order then return nil, "no order is sent while holding" end
    return { fault(venue, target, { type = "partial_fill", fraction = "0.5" }) }
  elseif name == "nonce" then
    if not on_order and venue ~= "edgex" then
      return nil, ("%s reads while holding carry no nonce or timestamp"):format(venue)
    end
    return { fault(venue, target, { type = "reject", error = d.nonce.error }) }
  elseif name == "stale" then
    -- open: the book the analysis sizes from; hold: the position read; close: the position
    -- reads that tell the bot whether its close went through.
    local where = phase == "open" and d.book or d.positions
    return { fault(venue, where, { type = "stale", age_ms = 600000 }, phase == "open" and 2 or 3) }
  elseif name == "down" then
    -- Triggered by the phase's first call to the venue: the opening or closing order (refused
    -- connections), or the position read while holding (503s).
    return { fault(venue, target, { type = "down", ms = M.DOWN_MS, mode = on_order and "refuse" or "503" }) }
  end
  error("unknown fault " .. tostring(name))
end

-- cells.plan(venue, phase, fault) -> plan | {na = reason}
-- plan = {venue, phase, fault, partner, faults = {POST /faults bodies}, ws = true for WS faults
-- (N/A when the bot keeps no WebSocket to the venue in that phase: the fault never applies)}
function M.plan(venue, phase, name)
  if not DIALECT[venue] then error("unknown venue " .. tostring(venue)) end
  local faults, ws_or_reason = build(venue, phase, name)
  if not faults then return { na = ws_or_reason } end
  return { venue = venue, phase = phase, fault = name, partner = M.PARTNER[venue], faults = faults,
    ws = ws_or_reason == true }
end

-- Every cell, in matrix order.
function M.all()
  local out = {}
  for _, v in ipairs(M.VENUES) do
    for _, p in ipairs(M.PHASES) do
      for _, f in ipairs(M.FAULTS) do out[#out + 1] = { venue = v, phase = p, fault = f } end
    end
  end
  return out
end

-- The CI subset: every fault type, every venue and every phase at least once (about two minutes
-- of wall time, one cell at a time), including the cells that found bugs in the bot:
-- lighter:open:down (positions unreadable after the orders left a naked leg) and
-- pacifica:open:delay (an order landing after it was given up left a naked leg).
M.CI = {
  "lighter:open:timeout_after_accept", "pacifica:close:5xx", "pacifica:hold:stale", "lighter:close:partial_fill",
  "pacifica:open:reject", "edgex:open:nonce", "lighter:hold:429", "pacifica:open:delay", "lighter:open:down",
  "lighter:open:ws_drop", "edgex:hold:ws_gap",
}

return M
