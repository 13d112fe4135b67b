-- Orders that must reach their venues together: the legs of a hedge.
--
--   local together = require "venues.together"
--   local results, errs = together.place { {client_a, order_a}, {client_b, order_b} }
--
-- Each leg's place() does its own work first (checks, rounding, a book read for a market cap,
-- signing, a nonce) and those take 40–200 µs per venue, so legs sent one after the other leave
-- that far apart. Here every leg's client gets a send gate: venues/base.lua's request() stops an
-- order call at the gate just before it hands the request to libcurl, and when every leg is at
-- the gate (or has returned without sending: a refusal before the wire), all are let go in the
-- same scheduler turn, so the requests leave back to back. A leg that never arrives cannot hold
-- the others: they go after `wait_seconds` (default 2) whatever happens.
--
-- Results and errors are those of hedge.parallel over the legs' place() calls. Legs on the same
-- client are not gated (one client sends one order at a time anyway).
local hedge = require "hedge"

local together = {}

local Gate = {}
Gate.__index = Gate

local function new_gate(expected, wait_seconds)
  return setmetatable({ expected = expected, settled = 0, arrived = {}, left = {}, open = hedge.event(),
    wait_seconds = wait_seconds or 2 }, Gate)
end

local function settle(gate)
  gate.settled = gate.settled + 1
  if gate.settled >= gate.expected then gate.open:set() end
end

-- Called by venues/base.lua for the first order request of a gated client.
function Gate:arrive(client)
  if self.arrived[client] or self.left[client] then return end
  self.arrived[client] = true
  settle(self)
  if self.open:is_set() then
    -- The last to arrive steps back once: the legs it just woke are resumed in the scheduler's
    -- next pass, and yielding puts this one right behind them in that same pass, so all hand
    -- off back to back instead of a whole loop iteration (I/O callbacks, timers) apart.
    if self.expected > 1 and not self.left_any then hedge.yield() end
    return
  end
  self.open:wait(self.wait_seconds)   -- a timeout only means the other leg is slow: send anyway
end

-- The leg's place() returned: if it never reached the gate, stop waiting for it.
function Gate:leave(client)
  if self.arrived[client] or self.left[client] then return end
  self.left[client] = true
  self.left_any = true
  settle(self)
end

-- together.place(legs [, {wait_seconds}]) -> results, errs (by leg index, as hedge.parallel)
function together.place(legs, opts)
  local clients, distinct = {}, true
  for i, leg in ipairs(legs) do
    for j = 1, i - 1 do if legs[j][1] == leg[1] then distinct = false end end
    clients[i] = leg[1]
  end
  local gate = distinct and #legs > 1 and new_gate(#legs, opts and opts.wait_seconds) or nil
  if gate then for _, client in ipairs(clients) do client._send_gate = gate end end
  local fns = {}
  for i, leg in ipairs(legs) do
    fns[i] = function()
      local ok, result, err = pcall(leg[1].place, leg[1], leg[2])
      if gate then
        gate:leave(leg[1])
        if leg[1]._send_gate == gate then leg[1]._send_gate = nil end
      end
      if not ok then error(result, 0) end
      return result, err
    end
  end
  return hedge.parallel(unpack(fns))
end

-- For venues/base.lua: the gate an order request of this client must pass, taken once.
function together.take_gate(client)
  local gate = client._send_gate
  if gate then client._send_gate = nil end
  return gate
end

return together
