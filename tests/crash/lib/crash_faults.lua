-- The simulator faults of the crash campaign (tests/sim/README.md, "Faults"): a random one is
-- armed on one venue before some kills, so the kill falls on a bot that is already fighting a
-- 429, a hung order or a stale read, and the restart may meet what is left of it.
--
--   local faults = require "lib.crash_faults"
--   local spec = faults.random(rng, venue)   -> {type, label, body = POST /faults body}
--   faults.order_match(venue)                -> match of the venue's order-creating request
--   faults.pre_send_match(venue)             -> match of the read place() makes before its order, or nil
local M = {}

M.TYPES = { "rate_limited", "server_error", "delay", "timeout_after_accept", "ws_drop", "ws_gap",
  "partial_fill", "reject", "stale" }

-- The request that creates an order, per venue. Pacifica's limit and market orders have two
-- endpoints (orders/create, orders/create_market): one path prefix covers both.
local ORDER_MATCH = {
  lighter = { kind = "http", op = "create_order" },
  pacifica = { kind = "http", path = "/api/v1/orders/create*" },
  edgex = { kind = "http", op = "createOrder" },
}

-- The read a market order makes inside place(), after its intent is journalled and before the
-- order leaves (Lighter: the book for the worst price; edgeX: the oracle price from the ticker).
-- Pacifica's place() sends at once, so it has no such window.
local PRE_SEND_MATCH = {
  lighter = { kind = "http", path = "/api/v1/orderBookOrders" },
  edgex = { kind = "http", op = "getTicker" },
}

local function copy(t)
  local out = {}
  for k, v in pairs(t) do out[k] = v end
  return out
end

function M.order_match(venue) return copy(assert(ORDER_MATCH[venue], venue)) end
function M.pre_send_match(venue) return PRE_SEND_MATCH[venue] and copy(PRE_SEND_MATCH[venue]) end

-- A random fault of `kind` (or of a random kind) aimed at `venue`. rng(a, b) returns an
-- integer in [a, b] (the campaign's seeded generator).
function M.random(rng, venue, kind)
  kind = kind or M.TYPES[rng(1, #M.TYPES)]
  local match, action, count, label
  if kind == "rate_limited" then
    match, count = { kind = "http" }, rng(1, 3)
    action = { type = "http_status", status = 429, retry_after = 1 }
    label = ("429 Retry-After 1 on the next %d requests"):format(count)
  elseif kind == "server_error" then
    local status = ({ 500, 502, 503, 504 })[rng(1, 4)]
    match, count = { kind = "http" }, rng(1, 2)
    action = { type = "http_status", status = status }
    label = ("%d on the next %d requests"):format(status, count)
  elseif kind == "delay" then
    local ms = rng(100, 2000)
    match, count = { kind = "http" }, rng(1, 2)
    action = { type = "delay", ms = ms }
    label = ("%d ms delay on the next %d requests"):format(ms, count)
  elseif kind == "timeout_after_accept" then
    local hang = rng(500, 3000)
    match, count = M.order_match(venue), 1
    action = { type = "timeout_after_accept", hang_ms = hang }
    label = ("next order taken, then no answer for %d ms"):format(hang)
  elseif kind == "ws_drop" then
    match, count = { kind = "ws_out" }, 1
    action = { type = "ws_drop" }
    label = "WebSocket dropped at the next message"
  elseif kind == "ws_gap" then
    match, count = { kind = "ws_out" }, rng(1, 3)
    action = { type = "ws_gap" }
    label = ("the next %d WebSocket messages swallowed"):format(count)
  elseif kind == "partial_fill" then
    local fraction = ({ "0.3", "0.5", "0.7" })[rng(1, 3)]
    match, count = M.order_match(venue), 1
    action = { type = "partial_fill", fraction = fraction }
    label = ("next order fills %s of its size"):format(fraction)
  elseif kind == "reject" then
    local why = ({ "insufficient_funds", "invalid_order" })[rng(1, 2)]
    match, count = M.order_match(venue), 1
    action = { type = "reject", error = why }
    label = ("next order rejected (%s)"):format(why)
  elseif kind == "stale" then
    match, count = { kind = "http", method = "GET" }, rng(1, 2)
    action = { type = "stale" }
    label = ("the next %d reads served stale"):format(count)
  else
    error("unknown crash fault kind " .. tostring(kind))
  end
  match.venue = venue
  return { type = kind, label = ("%s on %s: %s"):format(kind, venue, label),
    body = { venue = venue, match = match, action = action, count = count } }
end

return M
