-- Manual hedging, on the same venues, journal and selection as the bot.
--
--   hedge -i scripts/hedge.lua [--config FILE] [--env FILE]     REPL with funding_all(), open(...), ...
--   hedge scripts/hedge.lua COMMAND [ARGS] [--config FILE] [--env FILE]
--
-- Commands:
--   funding_all [--symbols BTC,ETH]   every symbol: APR per venue, the best pair after costs
--   funding SYMBOL                    rates at each venue's own interval, every pair's costs
--   capacity                          balances and the largest hedge per symbol
--   status                            the bot, balances, positions, hedges, warnings
--   open SYMBOL (--size-quote USD | --size-base N) [--cross-ticks N] [--long VENUE] [--short VENUE]
--        [--yes] [--force]            open a hedge through the bot's execution and journal
--   close SYMBOL [--yes] [--force]    close every position and order on SYMBOL, reduce-only, until flat
--   leverage SYMBOL N [--venue V] [--force]
--   test [--symbol S] [--hold SECONDS] [--yes]   the smallest hedge both venues accept, opened and closed
--
-- Orders go out only after a [y/N] confirmation, or with --yes; without a terminal they refuse.
-- Ownership: while the bot runs, its hedge's symbol is off limits without --force, and so is
-- opening anything (docs/operator-guide.md). A hedge opened while the bot is stopped is in its
-- journal, and the bot adopts it at its next start (manual_hedge_policy "adopt", the default).
-- Exit status: 0 done, 1 the command failed or was not confirmed, 2 usage or configuration error.
local args = require "tools.args"
local manual = require "tools.manual"

local USAGE = [==[usage: hedge scripts/hedge.lua COMMAND [ARGS] [--config FILE] [--env FILE]
       hedge -i scripts/hedge.lua [--config FILE] [--env FILE]      (the commands as REPL functions)
commands:
  funding_all [--symbols BTC,ETH]
  funding SYMBOL
  capacity
  status
  open SYMBOL (--size-quote USD | --size-base N) [--cross-ticks N] [--long VENUE] [--short VENUE] [--yes] [--force]
  close SYMBOL [--yes] [--force]
  leverage SYMBOL N [--venue V] [--force]
  test [--symbol S] [--hold SECONDS] [--yes] [--force]]==]

local SPEC = args.with_common {
  { "--symbols", "symbols", value = "LIST" },
  { "--size-quote", "size_quote", value = "USD", decimal = true },
  { "--size-base", "size_base", value = "N", decimal = true },
  { "--cross-ticks", "cross_ticks", value = "N", integer = { 0, 10000 } },
  { "--long", "long", value = "VENUE", lower = true },
  { "--short", "short", value = "VENUE", lower = true },
  { "--venue", "venue", value = "VENUE", lower = true },
  { "--symbol", "symbol", value = "SYMBOL", upper = true },
  { "--hold", "hold", value = "SECONDS", number = { 0, 3600 } },
  { "--yes", "yes" },
  { "--force", "force" },
}

-- Which options each command takes, and how many words follow it.
local SHAPE = {
  funding_all = { words = 0, options = { symbols = true } },
  funding = { words = 1 },
  capacity = { words = 0 },
  status = { words = 0 },
  open = { words = 1, options = { size_quote = true, size_base = true, cross_ticks = true, long = true, short = true, yes = true, force = true } },
  close = { words = 1, options = { yes = true, force = true } },
  leverage = { words = 2, options = { venue = true, force = true } },
  test = { words = 0, options = { symbol = true, hold = true, yes = true, force = true } },
}

local function symbols_list(text)
  local out = {}
  for sym in text:gmatch("[^,%s]+") do
    if not sym:match("^%w+$") then args.fail(("--symbols: %q is not a symbol"):format(sym)) end
    out[#out + 1] = sym:upper()
  end
  return out
end

local function main(...)
  local opts, words = args.parse({ ... }, SPEC, USAGE)
  if not opts then return 0 end
  local name = words[1]
  if not name then
    -- No command: the REPL functions (hedge -i scripts/hedge.lua). A configuration problem is
    -- printed and the REPL stays usable.
    local ok, M = pcall(manual.new, { config = opts.config, env = opts.env })
    if not ok then
      io.stderr:write("hedge.lua: " .. tostring(type(M) == "table" and M.msg or M) .. "\n")
      return args.STAY
    end
    manual.install_globals(M)
    -- The REPL's print keeps output off the prompt line (and is plain print without a REPL).
    pcall(require, "hedge.repl")
    print(manual.REPL_HELP)
    print(("venues: %s (configuration %s)"):format(table.concat(M.s.names, ", "), M.s.config_path))
    return args.STAY
  end
  local shape = SHAPE[name]
  if not shape then args.fail(("unknown command '%s'\n%s"):format(name, USAGE)) end
  if #words - 1 ~= shape.words then
    args.fail(("%s takes %d argument%s, found %d\n%s"):format(name, shape.words, shape.words == 1 and "" or "s", #words - 1, USAGE))
  end
  local cmd_opts = {}
  for k, v in pairs(opts) do
    if k ~= "config" and k ~= "env" then
      if not (shape.options or {})[k] then args.fail(("%s does not take --%s\n%s"):format(name, k:gsub("_", "-"), USAGE)) end
      cmd_opts[k] = v
    end
  end
  local positional = {}
  for i = 2, #words do positional[#positional + 1] = words[i] end
  if name ~= "leverage" and positional[1] then
    if not positional[1]:match("^%w+$") then args.fail(("%q is not a symbol"):format(positional[1])) end
    positional[1] = positional[1]:upper()
  end
  if name == "leverage" then
    positional[1] = positional[1]:upper()
    local n = tonumber(positional[2])
    if not n or n % 1 ~= 0 or n < 1 or n > 100 then args.fail("leverage needs a whole number from 1 to 100, found " .. positional[2]) end
    positional[2] = n
  end
  if name == "open" and cmd_opts.size_quote and cmd_opts.size_base then args.fail("give --size-quote or --size-base, not both") end
  if cmd_opts.symbols then cmd_opts.symbols = symbols_list(cmd_opts.symbols) end
  local M = manual.new { config = opts.config, env = opts.env }
  local ok, err = manual.run_command(M, name, positional, cmd_opts)
  require("tools.session").close(M.s)
  M.alerts:flush(10)
  if not ok then
    io.stderr:write("hedge.lua " .. name .. ": " .. tostring(err) .. "\n")
    return 1
  end
  return 0
end

args.run("hedge.lua", main, ...)
