-- venues/together.lua: the legs of a hedge leave together. Clients that take different times to
-- prepare their order (a sleep stands in for checks, a book read and signing) hand their order
-- requests to libcurl back to back; a leg refused before the wire, or one that raises, never
-- holds the other; legs on one client are not gated; reads are never gated.
package.path = "tests/lua/?.lua;" .. package.path
local hedge = require "hedge"
local t = require "lib.tap"
local B = require "venues.base"
local together = require "venues.together"

local server = require("lib.test_server").start()

-- Hand-off times of every request, as the benchmark records them.
local handed = {}
local http_request = hedge.http.request
hedge.http.request = function(opts)
  handed[#handed + 1] = { url = opts.url, at = hedge.mono_us() }
  return http_request(opts)
end

-- A client whose place() takes `prepare` seconds before its order request, or refuses before
-- sending (`refuse`), or raises (`raise`); reads go through B.request as order = false.
local function client(name, behaviour)
  local c = { name = name, timeout = 5 }
  function c:place(order)
    if behaviour.raise then error("place: " .. name .. " raised", 0) end
    hedge.sleep(behaviour.prepare or 0)
    if behaviour.read_first then
      local r = B.request(self, { op = "book", method = "GET", url = server.http .. "/delay?ms=0&read=" .. name })
      if not r then return nil, { kind = "network", msg = "read failed" } end
    end
    if behaviour.refuse then return nil, { kind = "invalid_order", msg = name .. " refused before sending", outcome = "rejected" } end
    local res, err = B.request(self, { op = "place", method = "POST", url = server.http .. "/echo?leg=" .. name,
      body = order.body, order = true })
    if not res then return nil, err end
    return { id = name, status = "accepted" }
  end
  return c
end

local function gap_us(a, b)
  local at = {}
  for _, h in ipairs(handed) do
    local leg = h.url:match("leg=(%w+)")
    if leg then at[leg] = h.at end
  end
  if not (at[a] and at[b]) then return nil end
  return math.abs(at[a] - at[b])
end

do
  -- 1. one leg prepares 150 ms longer: both still leave within a millisecond of each other
  handed = {}
  local fast, slow = client("fast", { prepare = 0 }), client("slow", { prepare = 0.15, read_first = true })
  local t0 = hedge.mono_ms()
  local results, errs = together.place { { fast, { body = "a" } }, { slow, { body = "b" } } }
  local took = hedge.mono_ms() - t0
  t.ok(results[1] and results[2] and not errs[1] and not errs[2], "both legs placed")
  local gap = gap_us("fast", "slow")
  t.ok(gap and gap < 1000, ("the order requests left %s us apart (< 1000) though one leg took 150 ms longer to prepare")
    :format(tostring(gap)))
  t.ok(took >= 150 and took < 1500, ("the round took as long as the slower leg (%d ms)"):format(took))
  local reads = 0
  for _, h in ipairs(handed) do if h.url:find("read=slow", 1, true) then reads = reads + 1 end end
  t.is(reads, 1, "the slower leg's read went out on its own (reads are not gated)")
  t.is(fast._send_gate, nil, "no gate is left on the first client")
  t.is(slow._send_gate, nil, "nor on the second")

  -- Without the gate, the same legs leave 150 ms apart: the test can tell the difference.
  handed = {}
  hedge.parallel(function() return fast:place { body = "a" } end, function() return slow:place { body = "b" } end)
  local ungated = gap_us("fast", "slow")
  t.ok(ungated and ungated > 100000, ("without the gate they leave %s us apart"):format(tostring(ungated)))

  -- 2. a leg refused before the wire does not hold the other
  handed = {}
  local refused = client("refused", { prepare = 0.05, refuse = true })
  local ok_leg = client("ok", { prepare = 0 })
  t0 = hedge.mono_ms()
  results, errs = together.place { { ok_leg, { body = "a" } }, { refused, { body = "b" } } }
  took = hedge.mono_ms() - t0
  t.ok(results[1] and errs[2] and errs[2].kind == "invalid_order", "one leg placed, the other refused with its error")
  t.ok(took < 500, ("the placed leg went as soon as the other gave up (%d ms, the gate's limit is 2000)"):format(took))

  -- 3. a leg that raises: the other goes, the raise is that leg's error
  local raising = client("raising", { raise = true })
  t0 = hedge.mono_ms()
  results, errs = together.place { { client("survivor", { prepare = 0.02 }), { body = "a" } }, { raising, { body = "b" } } }
  took = hedge.mono_ms() - t0
  t.ok(results[1] and not results[2] and tostring(errs[2]):find("raising raised", 1, true), "a raise is its leg's error")
  t.ok(took < 500, ("and the other leg was not held (%d ms)"):format(took))
  t.is(raising._send_gate, nil, "the raising client keeps no gate")

  -- 4. a leg that never reaches the gate in time: the other goes after wait_seconds
  local stuck = client("stuck", { prepare = 0.6 })
  handed = {}
  t0 = hedge.mono_ms()
  results = together.place({ { client("waiting", {}), { body = "a" } }, { stuck, { body = "b" } } }, { wait_seconds = 0.2 })
  t.ok(results[1] and results[2], "both placed")
  local waited_gap = gap_us("waiting", "stuck")
  t.ok(waited_gap and waited_gap > 300000, ("the waiting leg left after the gate's 0.2 s, not with the stuck one (%s us apart)")
    :format(tostring(waited_gap)))

  -- 5. two legs on one client are not gated (it would wait for itself)
  local same = client("same", {})
  t0 = hedge.mono_ms()
  results = together.place { { same, { body = "a" } }, { same, { body = "b" } } }
  took = hedge.mono_ms() - t0
  t.ok(results[1] and results[2] and took < 500, ("two legs on one client both go at once (%d ms)"):format(took))
end

require("lib.test_server").stop(server)
t.done()
