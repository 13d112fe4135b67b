-- Command-line options for the operator tools: a small, strict parser, so that a mistyped flag
-- stops the tool with a message instead of being ignored (an emergency close run with
-- "--dryrun" must not close anything).
--
--   local args = require "tools.args"
--   local opts, rest = args.parse(arg, {
--     { "--dry-run", "dry_run" },                       -- flag: opts.dry_run = true
--     { "--symbol", "symbol", value = "SYMBOL", upper = true },
--     { "--cross-ticks", "cross_ticks", value = "N", integer = { 0, 10000 } },
--     { "--size-quote", "size_quote", value = "USD", decimal = true },
--   }, usage)
-- Positional words come back in `rest`. A problem raises {exit_code = 2, msg} (the tool ends
-- with status 2 and the message); --help prints the usage and parse returns nil.

local args = {}

local usage_error_mt = { __tostring = function(e) return e.msg end }

function args.fail(msg)
  error(setmetatable({ kind = "usage", msg = msg, exit_code = 2 }, usage_error_mt), 0)
end

local function find(spec, name)
  for _, s in ipairs(spec) do
    if s[1] == name then return s end
  end
  return nil
end

local function convert(s, name, v, usage)
  if s.integer then
    local n = tonumber(v)
    if not n or n % 1 ~= 0 or n < s.integer[1] or n > s.integer[2] then
      args.fail(("%s needs a whole number from %d to %d, found %q\n%s"):format(name, s.integer[1], s.integer[2], v, usage))
    end
    return n
  end
  if s.number then
    local n = tonumber(v)
    if not n or n ~= n or n < s.number[1] or n > s.number[2] then
      args.fail(("%s needs a number from %g to %g, found %q\n%s"):format(name, s.number[1], s.number[2], v, usage))
    end
    return n
  end
  if s.decimal then
    -- Sizes stay exact text: never through a Lua number.
    if not v:match("^%d+%.?%d*$") or not v:match("[1-9]") then
      args.fail(("%s needs a positive decimal such as 100 or 0.25, found %q\n%s"):format(name, v, usage))
    end
    return v
  end
  if s.upper then
    if not v:match("^[%w]+$") then args.fail(("%s needs a name such as ETH, found %q\n%s"):format(name, v, usage)) end
    return v:upper()
  end
  if s.lower then
    if not v:match("^[%w_]+$") then args.fail(("%s needs a name such as lighter, found %q\n%s"):format(name, v, usage)) end
    return v:lower()
  end
  return v
end

-- args.parse(argv, spec, usage) -> opts, rest | nil (after --help). argv is the script's `arg` (1..n).
function args.parse(argv, spec, usage)
  local opts, rest, i = {}, {}, 1
  while i <= #argv do
    local a = argv[i]
    if a == "--help" or a == "-h" then
      print(usage)
      return nil
    end
    local name, inline = a:match("^(%-%-[%w%-]+)=(.*)$")
    name = name or a
    if name:sub(1, 2) == "--" then
      local s = find(spec, name)
      if not s then args.fail(("unknown option %s\n%s"):format(name, usage)) end
      if s.value then
        local v = inline
        if v == nil then
          v = argv[i + 1]
          if v == nil or (v:sub(1, 2) == "--") then args.fail(("%s needs a value (%s)\n%s"):format(name, s.value, usage)) end
          i = i + 1
        end
        if opts[s[2]] ~= nil and not s.repeatable then args.fail(("%s is given twice\n%s"):format(name, usage)) end
        local value = convert(s, name, v, usage)
        if s.repeatable then
          opts[s[2]] = opts[s[2]] or {}
          table.insert(opts[s[2]], value)
        else
          opts[s[2]] = value
        end
      else
        if inline ~= nil then args.fail(("%s takes no value\n%s"):format(name, usage)) end
        opts[s[2]] = true
      end
    else
      rest[#rest + 1] = a
    end
    i = i + 1
  end
  return opts, rest
end

-- The options every tool shares: where the configuration and the secrets are.
args.COMMON = {
  { "--config", "config", value = "FILE" },
  { "--env", "env", value = "FILE" },
}

-- spec .. args.COMMON
function args.with_common(spec)
  local out = {}
  for _, s in ipairs(spec) do out[#out + 1] = s end
  for _, s in ipairs(args.COMMON) do out[#out + 1] = s end
  return out
end

-- args.STAY: what a main function returns to keep the process running after it (the REPL
-- functions of scripts/hedge.lua must outlive the script that defined them).
args.STAY = setmetatable({}, { __tostring = function() return "args.STAY" end })

-- args.run(name, fn, ...): runs a tool's main function and ends the process with its status
-- (fn returns a number; nothing means 0), so that a client's background task (a WebSocket) can
-- never keep a finished tool alive. An error that carries exit_code (usage, configuration,
-- secrets) is printed as "name: message" without a traceback and sets the status; anything
-- else is a bug and keeps its traceback (status 1).
function args.run(name, fn, ...)
  local hedge = require "hedge"
  local results = { xpcall(fn, function(e)
    if type(e) == "table" and tonumber(e.exit_code) then return e end
    if hedge.errors.is_cancelled(e) then return e end
    return debug.traceback(hedge.errors.text(e), 2)
  end, ...) }
  if results[1] then
    if results[2] == args.STAY then return end
    io.stdout:flush()
    hedge.exit(tonumber(results[2]) or 0)
    return
  end
  local err = results[2]
  if type(err) == "table" and tonumber(err.exit_code) then
    if err.msg and err.msg ~= "" then io.stderr:write(name .. ": " .. tostring(err.msg) .. "\n") end
    io.stdout:flush()
    hedge.exit(tonumber(err.exit_code))
    return
  end
  if hedge.errors.is_cancelled(err) then error(err, 0) end
  io.stdout:flush()
  io.stderr:write(name .. ": " .. hedge.errors.text(err) .. "\n")
  hedge.exit(1)
end

return args
