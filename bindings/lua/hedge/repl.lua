-- The Lua half of the REPL: runs one chunk in its own task and prints its results.
local repl_core = require "hedge.repl_core"
local errors = require "hedge.errors"
local pretty = require "hedge.pretty"

local repl = {}

local function say(text) repl_core.print(text .. "\n") end

-- print() inside the REPL must not break the prompt line.
_G.print = function(...)
  local parts = {}
  for i = 1, select("#", ...) do parts[i] = tostring((select(i, ...))) end
  say(table.concat(parts, "\t"))
end

-- Expressions arrive wrapped by repl.c as `... return values(EXPR)`: the first result is the
-- count, so trailing nils are printed too.
local VALUE_PREFIX = "local function values(...)"

local function trim_traceback(tb)
  -- Keep the user's frames; the REPL's own machinery below them is noise.
  return (tb:gsub("\n%s*%[C%]: in function 'xpcall'.*$", ""))
end

function repl.run_chunk(text)
  local is_value = text:sub(1, #VALUE_PREFIX) == VALUE_PREFIX
  local chunk, syntax_error = loadstring(text, "=stdin")
  if not chunk then
    say(syntax_error)
    return repl_core.chunk_done()
  end
  local results = { n = 0 }
  local ok, err = xpcall(function()
    results = { n = 0 }
    local function keep(...) results = { n = select("#", ...), ... } end
    if is_value then
      local function counted(n, ...) results = { n = n, ... } end
      counted(chunk())
    else
      keep(chunk())
    end
  end, function(e)
    if errors.is_cancelled(e) then return e end
    return trim_traceback(debug.traceback(errors.text(e), 2))
  end)
  if not ok then
    if errors.is_cancelled(err) then say("cancelled") else say(errors.text(err)) end
  elseif results.n > 0 then
    local parts = {}
    for i = 1, results.n do parts[i] = pretty.format(results[i]) end
    say(table.concat(parts, "\t"))
  end
  return repl_core.chunk_done()
end

return repl
