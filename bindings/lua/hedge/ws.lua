-- hedge.ws: WebSocket client connections that park the calling task.
--   local conn, err = ws.connect("wss://host/path", {headers = {...}, timeout = 10,
--                                 ping_interval = 20, pong_timeout = 60, ca_file = nil})
--   conn:send(text [, binary]); local msg, err = conn:recv(timeout); conn:close(code, reason)
-- Server pings are answered automatically; our pings check idle connections. A dropped
-- connection makes recv return nil, err with err.kind "network". Cancellation raises.
local core = require "hedge.ws_core"
local hedge = require "hedge"

local ws = {}

local methods = debug.getregistry()["hedge.ws.conn"].__index
if not methods._wrapped then
  local raw_recv = methods.recv
  methods.recv = function(self, timeout) return hedge._check_wait(raw_recv(self, timeout)) end
  methods._wrapped = true
end

function ws.connect(url, opts)
  return hedge._check_wait(core.connect(url, opts))
end

return ws
