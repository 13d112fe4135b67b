-- Emergency close: flattens every configured venue.
--
--   hedge scripts/emergency_close.lua [--dry-run] [--force] [--symbol S] [--venue V]
--                                     [--config bot_config.json] [--env .env]
--                                     [--attempts N] [--slippage-bps N]
--
-- Lists every position and open order on every configured venue (all symbols, not only the
-- monitored ones), asks for confirmation unless --force, cancels the orders, closes every
-- position reduce-only with market orders capped at --slippage-bps (default 100 = 1 %), re-reads
-- until the venues report nothing left (up to --attempts rounds, default 5), prints a report per
-- venue and records what it did in the bot's journal.
--
-- Works when the state database is missing (it is created to hold the record) or broken (the
-- record then goes to the log only) and when a venue is down (the others are closed; the report
-- says what could not be). Without a terminal and without --force it refuses. It may run while
-- the bot runs; the bot then finds its legs gone and stops in ERROR.
--
-- Exit status: 0 everything is flat (or, with --dry-run, everything could be read); 1 something
-- is still open or could not be read, or the confirmation was declined; 2 usage or
-- configuration error, or no terminal to confirm on without --force.
local hedge = require "hedge"
local args = require "tools.args"
local session = require "tools.session"
local prompt = require "tools.prompt"
local emergency = require "tools.emergency"
local T = require "tools.text_table"

local USAGE = [[usage: hedge scripts/emergency_close.lua [--dry-run] [--force] [--symbol S] [--venue V]
         [--config FILE] [--env FILE] [--attempts N] [--slippage-bps N]
  --dry-run        list positions and orders, send nothing
  --force          no confirmation (needed when there is no terminal)
  --symbol S       only this symbol (e.g. ETH)
  --venue V        only this venue (lighter, pacifica, edgex)
  --attempts N     cancel/close/re-read rounds before giving up (default 5)
  --slippage-bps N how far a close may fill from the mark (default 100 = 1 %)]]

local SPEC = args.with_common {
  { "--dry-run", "dry_run" },
  { "--force", "force" },
  { "--symbol", "symbol", value = "SYMBOL", upper = true },
  { "--venue", "venue", value = "VENUE", lower = true },
  { "--attempts", "attempts", value = "N", integer = { 1, 50 } },
  { "--slippage-bps", "slippage_bps", value = "N", number = { 1, 2000 } },
  { "--fill-wait", "fill_wait", value = "SECONDS", number = { 0.5, 120 } },
}

local function main(...)
  local opts, rest = args.parse({ ... }, SPEC, USAGE)
  if not opts then return 0 end
  if #rest > 0 then args.fail("unexpected argument '" .. rest[1] .. "'\n" .. USAGE) end
  hedge.trap_signals()   -- a first Ctrl-C must not cut a close in half: the round finishes

  local s = session.open { config = opts.config, env = opts.env, only = opts.venue, strict = false }
  local all = {}
  for _, n in ipairs(s.names) do all[#all + 1] = n end
  for n in pairs(s.unusable) do all[#all + 1] = n end
  table.sort(all)
  print(("emergency close: %s; %s%s"):format(table.concat(all, ", "), opts.symbol and ("symbol " .. opts.symbol) or "all symbols",
    opts.dry_run and " (dry run)" or ""))

  local scan = emergency.scan(s, { symbol = opts.symbol })
  local lines, npos, norders = emergency.listing(scan)
  T.print(lines)
  local unreadable = next(s.unusable) ~= nil
  for _, name in ipairs(s.names) do if scan.venues[name].err then unreadable = true end end

  if opts.dry_run then
    print("dry run: nothing was sent")
    session.close(s)
    return unreadable and 1 or 0
  end
  if npos == 0 and norders == 0 and not unreadable then
    print("nothing to close")
    session.close(s)
    return 0
  end

  if not opts.force then
    if not prompt.interactive() then
      session.close(s)
      args.fail("refusing to close without confirmation: no terminal to ask on (stdin is not a terminal); run with --force")
    end
    local question = ("Cancel %d order(s) and close %d position(s)%s?"):format(norders, npos,
      unreadable and " on the venues that answer" or "")
    local yes, why = prompt.confirm(question)
    if not yes then
      print("not confirmed (" .. tostring(why) .. "): nothing was sent")
      session.close(s)
      return 1
    end
  end

  -- The bot's log file gets this run's warnings too (appended beside the bot's own lines).
  pcall(os.execute, "mkdir -p '" .. (s.cfg.log_file:match("^(.*)/[^/]*$") or "."):gsub("'", "") .. "'")
  hedge.log.open_file(s.cfg.log_file)
  local journal, jerr = session.journal(s, "write")
  if not journal then
    print("note: the journal cannot be written (" .. tostring(jerr) .. "); this close is recorded in the log only")
    journal = session.null_journal(tostring(jerr))
  end
  journal:event("emergency_close_started", { symbol = opts.symbol, venues = table.concat(all, ","),
    positions = npos, orders = norders })
  local report = emergency.run(s, journal, { symbol = opts.symbol, attempts = opts.attempts,
    slippage_bps = opts.slippage_bps, fill_wait = opts.fill_wait })
  local summary = emergency.summary(report)
  summary.symbol = opts.symbol
  journal:event("emergency_close", summary)
  local alerts = require("lib.alerts").new(s.cfg.alerts)
  if not report.ok then
    alerts:raise("emergency_close_incomplete", { symbol = opts.symbol,
      message = "emergency close left something open or unknown: " .. table.concat(emergency.report_lines(report), "; ") })
  end
  alerts:flush(10)
  journal:close()
  print("")
  T.print(emergency.report_lines(report))
  session.close(s)
  return report.ok and 0 or 1
end

args.run("emergency_close", main, ...)
