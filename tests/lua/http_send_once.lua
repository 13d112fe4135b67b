-- hedge.http sends a request body once. libcurl re-sends a request by itself on a fresh
-- connection when a reused keep-alive connection dies before any answer byte; for an order the
-- venue already took that is a second order. The runtime hands curl bodies it cannot rewind, so
-- such a request fails instead (an unknown outcome the caller resolves), and the server sees it
-- once. Reads without a body may still be retried by curl (they are idempotent).
local hedge = require "hedge"
local t = require "lib.tap"
local Sim = require "lib.sim"

hedge.log.set_level(os.getenv("TEST_LOG") or "off")

local sim = Sim.start {}
local ok, err = pcall(function()
  local base = sim.addr.pacifica.rest
  -- A first request opens the keep-alive connection the POST below reuses.
  local warm = assert(hedge.http.request { method = "GET", url = base .. "/info", timeout = 5 })
  t.is(warm.status, 200, "a first GET opens the connection")
  -- Every POST from now on: the connection is dropped without an answer.
  sim:fault { venue = "pacifica", match = { kind = "http", method = "POST" }, action = { type = "disconnect" }, count = 10 }
  sim:clear_requests()
  local res, perr = hedge.http.request { method = "POST", url = base .. "/orders/create", timeout = 5,
    headers = { "Content-Type: application/json" }, body = '{"probe":"send once"}' }
  t.is(res, nil, "the POST whose connection died fails")
  t.ok(perr ~= nil and perr.kind == "network", "as a network error: " .. tostring(perr))
  local posts = sim:requests { venue = "pacifica", method = "POST" }
  t.is(#posts, 1, "the server received the body once (curl did not re-send it on a fresh connection)")
  t.is(posts[1] and posts[1].body, '{"probe":"send once"}', "the body arrived whole")

  -- Another method with a body: still exactly once.
  sim:fault { venue = "pacifica", match = { kind = "http", method = "DELETE" }, action = { type = "disconnect" }, count = 10 }
  assert(hedge.http.request { method = "GET", url = base .. "/info", timeout = 5 })
  sim:clear_requests()
  res = hedge.http.request { method = "DELETE", url = base .. "/orders/cancel", timeout = 5, body = "x=1" }
  t.is(res, nil, "a DELETE with a body whose connection dies fails")
  t.is(#sim:requests { venue = "pacifica", method = "DELETE" }, 1, "and reached the server once")

  -- Bodies still go out whole when nothing goes wrong.
  sim:clear_faults()
  local big = string.rep("0123456789", 20000)
  res = assert(hedge.http.request { method = "POST", url = base .. "/orders/create", timeout = 5,
    headers = { "Content-Type: application/json" }, body = big })
  local last = sim:requests { venue = "pacifica", method = "POST" }
  t.is(last[#last] and #last[#last].body, #big, "a 200 kB body arrives whole through the read callback")
  t.ok(res.status >= 400, "and the venue answered it (status " .. res.status .. ")")
end)
if not ok then t.ok(false, "the test ran to the end: " .. tostring(err)) end
sim:stop()
t.done()
