-- HTTP client on the loop: concurrency, keep-alive, errors by kind, options checking.
local hedge = require "hedge"
local t = require "lib.tap"
local server = require("lib.test_server").start()
local http = hedge.http
local base = server.http

-- two requests the server holds 300 ms each, in parallel
local t0 = hedge.mono_ms()
local results, errs = hedge.parallel(
  function() return http.get(base .. "/delay?ms=300&id=a") end,
  function() return http.get(base .. "/delay?ms=300&id=b") end)
local elapsed = hedge.mono_ms() - t0
t.is(next(errs), nil, "both delayed requests succeeded")
t.is(results[1].status, 200, "status of the first")
t.like(results[1].body, '"id":"a"', "body of the first")
t.like(results[2].body, '"id":"b"', "body of the second")
t.cmp(elapsed, "<", 450, "two 300 ms requests in parallel took " .. elapsed .. " ms")
t.cmp(elapsed, ">=", 295, "and not less than the server's delay")

-- keep-alive: sequential requests reuse one connection
assert(http.post(base .. "/stats/reset", ""))
for _ = 1, 10 do assert(http.get(base .. "/delay?ms=0")) end
local stats = assert(http.get(base .. "/stats"))
t.like(stats.body, '"connections":1[,}]', "ten sequential requests used one connection")

-- method, headers and body reach the server exactly
local echo = assert(http.request { method = "POST", url = base .. "/echo?x=1",
  headers = { ["Content-Type"] = "application/json", "X-Trace: abc" }, body = '{"a":1}' })
t.is(echo.status, 200, "echo status")
t.like(echo.body, '"method":"POST"', "method sent")
t.like(echo.body, '"content%-type":"application/json"', "header from a name/value pair")
t.like(echo.body, '"x%-trace":"abc"', "header from a 'Name: value' line")
t.like(echo.body, '"body":"{\\"a\\":1}"', "body sent byte for byte")
local del = assert(http.request { method = "DELETE", url = base .. "/echo" })
t.like(del.body, '"method":"DELETE"', "custom method")

-- HTTP errors are responses, with headers readable
local limited = assert(http.get(base .. "/status?code=429&retry_after=7"))
t.is(limited.status, 429, "429 is a response, not a transport error")
t.is(limited.headers["retry-after"], "7", "Retry-After header is readable (lower-case name)")
local failed = assert(http.get(base .. "/status?code=503"))
t.is(failed.status, 503, "5xx is a response")

-- large body
local big = assert(http.get(base .. "/big?bytes=1000000"))
t.is(#big.body, 1000000, "a 1 MB body arrives whole")

-- transport failures by kind
local none, err = http.get("http://127.0.0.1:1/")
t.is(none, nil, "closed port gives nil")
t.is(err.kind, "network", "closed port gives kind network")
t.is(err.retryable, true, "network errors are retryable")
t.is(err.request_sent, false, "nothing was sent to a closed port")
local st0 = hedge.mono_ms()
local none2, err2 = http.get(server.stall .. "/", { timeout = 0.3 })
t.is(none2, nil, "stalled server gives nil")
t.is(err2.kind, "timeout", "stalled server gives kind timeout")
t.cmp(hedge.mono_ms() - st0, "<", 1000, "the timeout is honoured")
t.is(err2.request_sent, true, "the request had been sent: outcome unknown")
local none3, err3 = http.get(base .. "/drop")
t.is(none3, nil, "a connection dropped before the answer gives nil")
t.is(err3.kind, "network", "and kind network")

-- cancellation aborts the transfer
local task = hedge.spawn(function() return http.get(base .. "/delay?ms=3000") end)
hedge.sleep(0.05)
local c0 = hedge.mono_ms()
task:cancel()
local ok, cerr = task:join()
t.is(ok, false, "cancelled request task fails")
t.is(cerr.kind, "cancelled", "with kind cancelled")
t.cmp(hedge.mono_ms() - c0, "<", 100, "at once")

-- programmer errors raise
t.raises(function() http.request { url = base, methd = "GET" } end, "unknown option 'methd'", "unknown option raises")
t.raises(function() http.request { method = "GET" } end, "'url' is required", "missing url raises")
t.raises(function() http.request { url = base, timeout = "5" } end, "'timeout' must be a number", "bad timeout type raises")
local bad, berr = http.request { url = "notascheme://x" }
t.is(bad, nil, "unsupported scheme fails")
t.ok(berr.kind == "bad_request" or berr.kind == "network", "with a clear kind (" .. tostring(berr.kind) .. ")")

require("lib.test_server").stop(server)
t.done()
