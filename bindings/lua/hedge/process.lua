-- hedge.process: child processes whose output a task can wait on (bindings/process_binding.c).
--   local p = assert(process.spawn{cmd = "node", args = {"tests/sim/sim.mjs"}})
--   local line = p:read_line(5); p:kill(); local status = p:wait(5)
local core = require "hedge.process_core"
local hedge = require "hedge"

local process = {}

local methods = debug.getregistry()["hedge.process"].__index   -- made by process_core
if not methods._wrapped then
  local raw_read_line, raw_wait = methods.read_line, methods.wait
  methods.read_line = function(self, timeout) return hedge._check_wait(raw_read_line(self, timeout)) end
  methods.wait = function(self, timeout) return hedge._check_wait(raw_wait(self, timeout)) end
  methods._wrapped = true
end

process.spawn = core.spawn

return process
