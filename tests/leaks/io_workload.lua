-- A short script doing real HTTP and WebSocket work, run under valgrind by valgrind_io.sh:
-- every path that allocates (transfers, headers, queued messages, closes, drops, timeouts,
-- cancellations, child processes) is exercised once or more.
local hedge = require "hedge"
package.path = "tests/lua/?.lua;" .. package.path
local server = require("lib.test_server").start()

local results = hedge.parallel(
  function() return hedge.http.get(server.http .. "/delay?ms=50") end,
  function() return hedge.http.post(server.http .. "/echo", "body", { headers = { ["X-A"] = "1" } }) end,
  function() return hedge.http.get(server.stall .. "/", { timeout = 0.2 }) end,
  function() return hedge.http.get("http://127.0.0.1:1/") end)
assert(results[1] and results[1].status == 200)

local conn = assert(hedge.ws.connect(server.ws .. "/echo"))
for i = 1, 20 do conn:send("m" .. i) end
for _ = 1, 20 do assert(conn:recv(20)) end   -- generous: valgrind on a loaded machine is slow
local stream = assert(hedge.ws.connect(server.ws .. "/stream?interval_ms=2&count=50"))
for _ = 1, 10 do assert(stream:recv(20)) end         -- 40 messages stay queued at exit
local drop = assert(hedge.ws.connect(server.ws .. "/drop?after_ms=20"))
drop:recv(1); drop:recv(1)
local t = hedge.spawn(function() return hedge.http.get(server.http .. "/delay?ms=2000") end)
hedge.sleep(0.05); t:cancel(); t:join()
local idle = assert(hedge.ws.connect(server.ws .. "/echo"))
local waiter = hedge.spawn(function() return idle:recv() end)
hedge.sleep(0.02); waiter:cancel(); waiter:join()
conn:close()
print("workload done")
-- stream and idle are left open on purpose: shutdown must close and free them.
