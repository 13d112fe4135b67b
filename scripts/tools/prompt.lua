-- Confirmation prompts for the operator tools, from inside a task.
--
--   local prompt = require "tools.prompt"
--   if not prompt.interactive() then ... refuse unless --yes ... end
--   local yes, why = prompt.confirm("Close 3 positions on 2 venues?")
--
-- hedge has no input API of its own: the answer is read from stdin (fd 0) here. The descriptor
-- is polled without blocking and the task sleeps between polls, so the event loop — other
-- tasks, WebSockets, the REPL's machinery — keeps running while a person thinks. The REPL stops
-- reading stdin while a chunk runs and libedit leaves the terminal in its normal line mode then,
-- so a chunk can ask the same way a script does; Ctrl-C cancels the waiting chunk as usual.
-- Without a terminal on stdin there is nobody to ask: interactive() is false and confirm()
-- answers false without reading, so a tool run from cron or a pipe refuses instead of guessing.
local ffi = require "ffi"
local hedge = require "hedge"
local bit = require "bit"

local prompt = {}

pcall(ffi.cdef, [[
int isatty(int fd);
struct pollfd { int fd; short events; short revents; };
int poll(struct pollfd *fds, unsigned long nfds, int timeout);
long read(int fd, void *buf, unsigned long count);
]])

local POLLIN, POLLHUP = 0x001, 0x010
local POLL_INTERVAL_S = 0.05
local MAX_ANSWER = 1024

-- Tests and embedding code may replace the input: prompt.input = function() -> line | nil.
prompt.input = nil

function prompt.interactive()
  if prompt.input then return true end
  return ffi.C.isatty(0) == 1
end

-- One line from fd 0, waiting without blocking the loop. nil at end of input.
local function read_line(timeout_s)
  local pfd = ffi.new("struct pollfd[1]")
  local buf = ffi.new("char[?]", MAX_ANSWER)
  local line = {}
  local deadline = timeout_s and (hedge.mono_ms() + timeout_s * 1000) or nil
  while true do
    pfd[0].fd, pfd[0].events, pfd[0].revents = 0, POLLIN, 0
    local ready = ffi.C.poll(pfd, 1, 0)
    if ready > 0 and bit.band(pfd[0].revents, POLLIN + POLLHUP) ~= 0 then
      local n = tonumber(ffi.C.read(0, buf, MAX_ANSWER))
      if n <= 0 then return #line > 0 and table.concat(line) or nil end
      local chunk = ffi.string(buf, n)
      local nl = chunk:find("\n", 1, true)
      if nl then
        line[#line + 1] = chunk:sub(1, nl - 1)
        return (table.concat(line):gsub("\r$", ""))
      end
      line[#line + 1] = chunk
    else
      if deadline and hedge.mono_ms() >= deadline then return nil, "timeout" end
      hedge.sleep(POLL_INTERVAL_S)
    end
  end
end

-- prompt.ask(question, {timeout = seconds}) -> answer text | nil, why
function prompt.ask(question, opts)
  opts = opts or {}
  if not prompt.interactive() then return nil, "no terminal to ask on" end
  io.stdout:write(question)
  io.stdout:flush()
  if prompt.input then return prompt.input(question) end
  local answer, why = read_line(opts.timeout)
  if answer == nil then
    io.stdout:write("\n")
    return nil, why or "end of input"
  end
  return answer
end

-- prompt.confirm(question, {timeout}) -> true | false, why. Only "y" or "yes" (any case) is a yes.
function prompt.confirm(question, opts)
  local answer, why = prompt.ask(question .. " [y/N] ", opts)
  if answer == nil then return false, why end
  answer = answer:match("^%s*(.-)%s*$"):lower()
  if answer == "y" or answer == "yes" then return true end
  return false, "answered " .. (answer == "" and "no" or ("%q"):format(answer))
end

return prompt
