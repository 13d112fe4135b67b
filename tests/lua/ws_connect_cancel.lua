-- A WebSocket connect cancelled while its host name is still being resolved (a stream closed
-- right after it started, as a one-shot tool does after tickers() started a venue's stream):
-- the connection was freed twice (runtime/ws.c on_resolved), a SIGSEGV at once or at exit in
-- most runs. Each case runs in its own hedge process, which must end normally.
local hedge = require "hedge"
local t = require "lib.tap"
local server = require("lib.test_server").start()

local script = os.tmpname()
local f = assert(io.open(script, "wb"))
f:write([[
local hedge = require "hedge"
local task = hedge.spawn(function()
  local c = hedge.ws.connect(arg[1], { timeout = 5 })
  if c then hedge.sleep(10) end
end)
hedge.sleep(tonumber(arg[2]))
task:cancel()
hedge.sleep(tonumber(arg[3]))
print("done")
]])
f:close()

local RUNS = 6
for _, case in ipairs {
  { "0", "0", "cancelled at once, exiting at once" },
  { "0", "0.05", "cancelled at once, the loop running on" },
  { "0.001", "0", "cancelled after 1 ms" },
} do
  local bad, lines = 0, 0
  for _ = 1, RUNS do
    local p = assert(hedge.process.spawn { cmd = os.getenv("HEDGE_BIN") or "./hedge", args = { script, server.ws .. "/echo", case[1], case[2] } })
    while true do
      local line = p:read_line(10)
      if not line then break end
      if line == "done" then lines = lines + 1 end
    end
    local code, signal = p:wait()
    if code ~= 0 or (signal and signal ~= 0) then bad = bad + 1 end
  end
  t.is(bad, 0, ("%s: %d runs end normally"):format(case[3], RUNS))
  t.is(lines, RUNS, "and finish their script")
end
os.remove(script)
require("lib.test_server").stop(server)
t.done()
