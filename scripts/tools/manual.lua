-- The manual hedging session behind scripts/hedge.lua: one set of venue clients for the
-- configured venues, the bot's selection script, and the commands both as a command line and as
-- REPL functions.
--
--   local manual = require "tools.manual"
--   local M = manual.new{config = "bot_config.json", env = ".env"}
--   manual.run_command(M, "open", {"ETH"}, {size_quote = "100", yes = true}) -> true | nil, msg
--   manual.install_globals(M)     -- funding_all(), funding(s), capacity(), status(), open(s, o), close(s, o),
--                                 -- leverage(s, n, o), test(o) for the REPL
local D = require "hedge.decimal"
local session = require "tools.session"
local selection = require "bot.selection"
local view = require "tools.manual_view"
local trade = require "tools.manual_trade"

local manual = {}

function manual.new(opts)
  opts = opts or {}
  local s = session.open { config = opts.config, env = opts.env, strict = true }
  local alerts = require("lib.alerts").new(s.cfg.alerts)
  local M = { s = s, cfg = s.cfg, alerts = alerts }
  M.selection = selection.new(s.cfg.selection_script, { alerts = alerts })
  return M
end

local function symbol_arg(v, what)
  if type(v) ~= "string" or not v:match("^%w+$") then
    error(("%s: the symbol must be a name such as \"ETH\", got %s"):format(what, type(v) == "string" and ("%q"):format(v) or type(v)), 3)
  end
  return v:upper()
end

-- A size from the REPL: a number or decimal text -> exact decimal text (never a float on the wire).
local function size_arg(v, what)
  if v == nil then return nil end
  local d
  if type(v) == "number" then d = D.from_number(v)
  elseif type(v) == "string" then d = D.parse(v)
  elseif D.is_decimal(v) then d = v end
  if not d or d:sign() <= 0 then error(what .. " must be a positive number or decimal text", 3) end
  return tostring(d)
end

local OPEN_KEYS = { size_quote = true, size_base = true, cross_ticks = true, long = true, short = true, yes = true, force = true }

local function check_keys(opts, allowed, what)
  if opts == nil then return {} end
  if type(opts) ~= "table" then error(what .. ": options must be a table such as {yes = true}", 3) end
  for k in pairs(opts) do
    if not allowed[k] then
      local names = {}
      for n in pairs(allowed) do names[#names + 1] = n end
      table.sort(names)
      error(("%s: unknown option '%s' (options: %s)"):format(what, tostring(k), table.concat(names, ", ")), 3)
    end
  end
  return opts
end

-- The commands, with their arguments already checked: name -> fn(M, positional, opts).
manual.commands = {
  funding_all = function(M, _, o) return view.funding_all(M, o.symbols) end,
  funding = function(M, p) return view.funding(M, p[1]) end,
  capacity = function(M) return view.capacity(M) end,
  status = function(M) return view.status(M) end,
  open = function(M, p, o) return trade.open(M, p[1], o) end,
  close = function(M, p, o) return trade.close(M, p[1], o) end,
  leverage = function(M, p, o) return trade.leverage(M, p[1], p[2], o) end,
  test = function(M, _, o) return trade.test(M, o) end,
}

function manual.run_command(M, name, positional, opts)
  local fn = manual.commands[name]
  if not fn then return nil, "unknown command " .. tostring(name) end
  return fn(M, positional or {}, opts or {})
end

-- REPL functions print what they did, or "error: ..." when they could not; they return nothing,
-- so the prompt shows no noise (scripts that need the outcome call manual.run_command).
function manual.install_globals(M, env)
  env = env or _G
  local function run(name, positional, opts)
    local ok, err = manual.run_command(M, name, positional, opts)
    if not ok then print("error: " .. tostring(err)) end
  end
  env.funding_all = function(opts)
    opts = check_keys(opts, { symbols = true }, "funding_all")
    return run("funding_all", {}, opts)
  end
  env.funding = function(symbol) return run("funding", { symbol_arg(symbol, "funding") }) end
  env.capacity = function() return run("capacity") end
  env.status = function() return run("status") end
  env.open = function(symbol, opts)
    symbol = symbol_arg(symbol, "open")
    opts = check_keys(opts, OPEN_KEYS, "open")
    local o = {}
    for k, v in pairs(opts) do o[k] = v end
    o.size_quote, o.size_base = size_arg(opts.size_quote, "size_quote"), size_arg(opts.size_base, "size_base")
    return run("open", { symbol }, o)
  end
  env.close = function(symbol, opts)
    return run("close", { symbol_arg(symbol, "close") }, check_keys(opts, { yes = true, force = true }, "close"))
  end
  env.leverage = function(symbol, n, opts)
    if type(n) ~= "number" then error("leverage: the leverage must be a whole number, e.g. leverage(\"ETH\", 3)", 2) end
    return run("leverage", { symbol_arg(symbol, "leverage"), n }, check_keys(opts, { venue = true, force = true }, "leverage"))
  end
  env.test = function(opts)
    opts = check_keys(opts, { symbol = true, yes = true, hold = true, force = true }, "test")
    if opts.symbol then opts.symbol = symbol_arg(opts.symbol, "test") end
    return run("test", {}, opts)
  end
  env.manual = M
end

manual.REPL_HELP = [[manual hedging (the bot's venues, journal and selection):
  funding_all()                       every symbol: APR per venue, best pair after costs
  funding("ETH")                      one symbol: rates at each venue's interval, every pair's costs
  capacity()                          balances and the largest hedge per symbol
  status()                            the bot, balances, positions, hedges, warnings
  open("ETH", {size_quote = 100})     open a hedge (or size_base = 0.05; long = "lighter"; cross_ticks = 50)
  close("ETH")                        close every position and order on ETH, reduce-only
  leverage("ETH", 3)                  set leverage on every venue (or {venue = "edgex"})
  test()                              open and close the smallest hedge, with a report
Orders are sent after a [y/N] confirmation, or with yes = true.]]

return manual
