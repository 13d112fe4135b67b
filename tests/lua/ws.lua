-- WebSocket client on the loop: echo, streaming beside HTTP, drops, closes, timeouts.
local hedge = require "hedge"
local t = require "lib.tap"
local server = require("lib.test_server").start()
local ws = hedge.ws

-- echo
local conn = assert(ws.connect(server.ws .. "/echo"))
t.is(conn:is_open(), true, "connected")
assert(conn:send("hello"))
local msg, binary = conn:recv(2)
t.is(msg, "hello", "text echoed")
t.is(binary, false, "text frame")
assert(conn:send("\0\1\2", true))
local bmsg, bflag = conn:recv(2)
t.is(bmsg, "\0\1\2", "binary echoed byte for byte")
t.is(bflag, true, "binary frame")
local big = string.rep("x", 300000)
assert(conn:send(big))
t.is(conn:recv(5), big, "a 300 kB message is reassembled whole")

-- a stream keeps flowing while HTTP requests run
local stream = assert(ws.connect(server.ws .. "/stream?interval_ms=5&count=200"))
local received, in_order = 0, true
local reader = hedge.spawn(function()
  while received < 200 do
    local m = assert(stream:recv(5))
    received = received + 1
    if tonumber(m) ~= received then in_order = false end
  end
end)
hedge.sleep(0.02)
local before = received
local results, errs = hedge.parallel(
  function() return hedge.http.get(server.http .. "/delay?ms=300") end,
  function() return hedge.http.get(server.http .. "/delay?ms=300") end)
local during = received - before
t.is(next(errs), nil, "HTTP requests succeeded beside the stream")
t.cmp(during, ">=", 20, "stream messages kept arriving during the HTTP requests (" .. during .. ")")
reader:join()
t.is(received, 200, "every streamed message arrived")
t.is(in_order, true, "in order")

-- recv timeout leaves the connection usable
local quiet, qerr = conn:recv(0.05)
t.is(quiet, nil, "recv times out on a quiet connection")
t.is(qerr.kind, "timeout", "kind timeout")
assert(conn:send("still here"))
t.is(conn:recv(2), "still here", "the connection still works after a timeout")

-- a server-side drop surfaces as a network error
local drop = assert(ws.connect(server.ws .. "/drop?after_ms=50"))
t.is(drop:recv(2), "hello", "message before the drop")
local gone, derr = drop:recv(2)
t.is(gone, nil, "recv after the drop gives nil")
t.is(derr.kind, "network", "a server drop is kind network")
t.is(drop:is_open(), false, "dropped connection is not open")
local sent, serr = drop:send("x")
t.is(sent, nil, "send on a dropped connection fails")
t.is(serr.kind, "network", "with kind network")

-- a clean server close carries its code
local closing = assert(ws.connect(server.ws .. "/close?after_ms=30&code=1001"))
local _, cerr = closing:recv(2)
t.is(cerr.kind, "network", "closed by the server: kind network")
t.is(cerr.close_code, 1001, "the server's close code is reported")

-- refused connection
local none, rerr = ws.connect("ws://127.0.0.1:1/")
t.is(none, nil, "closed port: no connection")
t.is(rerr.kind, "network", "closed port: kind network")

-- our own close
conn:close(1000, "bye")
local after, aerr = conn:recv(2)
t.is(after, nil, "recv after our close gives nil")
t.is(aerr.kind, "network", "kind network")
t.is(aerr.close_code, 1000, "our close code")

-- cancelling a task parked in recv
local idle = assert(ws.connect(server.ws .. "/echo"))
local waiter = hedge.spawn(function() return idle:recv() end)
hedge.sleep(0.02)
waiter:cancel()
local ok, werr = waiter:join()
t.is(ok, false, "cancelled recv task fails")
t.is(werr.kind, "cancelled", "with kind cancelled")
assert(idle:send("after cancel"))
t.is(idle:recv(2), "after cancel", "the connection survives a cancelled recv")

-- programmer errors raise
t.raises(function() ws.connect(server.ws .. "/echo", { tiemout = 1 }) end, "unknown option 'tiemout'", "unknown option raises")
local bad, berr = ws.connect("http://127.0.0.1/")
t.is(bad, nil, "non-ws url fails")
t.like(tostring(berr), "ws://", "and says which schemes work")

require("lib.test_server").stop(server)
t.done()
