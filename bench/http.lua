-- Loopback HTTP throughput of hedge.http against the curl command-line tool (libcurl's own
-- front end) hitting the same server in the same run: sequential requests on one kept-alive
-- connection, and hedge with 16 concurrent tasks.
local hedge = require "hedge"
package.path = "tests/lua/?.lua;" .. package.path
local server = require("lib.test_server").start()
local url = server.http .. "/status?code=200"   -- answered at once (/delay rounds to 1 ms timers)
local N = 2000

for _ = 1, 50 do assert(hedge.http.get(url)) end   -- warm up the connection and the JIT

local t0 = hedge.mono_us()
for _ = 1, N do
  local res = assert(hedge.http.get(url))
  assert(res.status == 200)
end
local sequential = N / ((hedge.mono_us() - t0) / 1e6)

local workers, per_worker = 16, N / 16
local fns = {}
for w = 1, workers do
  fns[w] = function() for _ = 1, per_worker do assert(hedge.http.get(url)) end return true end
end
t0 = hedge.mono_us()
local _, errs = hedge.parallel(unpack(fns))
assert(next(errs) == nil, "concurrent requests failed")
local concurrent = N / ((hedge.mono_us() - t0) / 1e6)

-- Reference: one curl process fetching the same N URLs over one reused connection.
local config = os.tmpname()
local f = assert(io.open(config, "w"))
for _ = 1, N do f:write('url = "', url, '"\noutput = "/dev/null"\n') end
f:close()
local proc = assert(hedge.process.spawn { cmd = "sh", args = { "-c",
  "s=$(date +%s%N); curl -s -K " .. config .. " && e=$(date +%s%N) && echo $(( (e - s) / 1000 ))" } })
local micros = tonumber(assert(proc:read_line(120)))
proc:wait(10)
os.remove(config)
local curl_rate = N / (micros / 1e6)

print(("http sequential keep-alive: hedge %.0f req/s, curl CLI %.0f req/s, ratio %.2fx"):format(sequential, curl_rate, sequential / curl_rate))
print(("http 16 concurrent tasks:   hedge %.0f req/s (%.2fx the sequential curl CLI)"):format(concurrent, concurrent / curl_rate))
require("lib.test_server").stop(server)
