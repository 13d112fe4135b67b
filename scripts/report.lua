-- A standalone HTML report of the bot's history for a date range: the status page's charts
-- (cumulative realised PnL by cycle split into funding, basis and fees; the funding spread of
-- the pairs held) and a table of the cycles. One file, no script, nothing loaded from outside:
-- it can be mailed or archived. Safe to run while the bot runs (read-only, WAL).
--
--   hedge scripts/report.lua [--db PATH | --config FILE] [--from DATE] [--to DATE] [--symbol SYM] [--out FILE]
--
-- DATE is YYYY-MM-DD, YYYY-MM-DDTHH:MM (UTC) or Unix milliseconds; --to takes the whole day.
-- Cycles are picked by their close time. The database is --db, else the config's state_db, else
-- state/hedge.db; the file is --out, else hedge-report.html. Exit status 0, 2 for usage errors
-- and a missing database or bad config, 1 when the database cannot be read or the file written.
local hedge = require "hedge"
local store = require "hedge.store"
local view = require "bot.status_view"
local page = require "bot.status_page"

local USAGE = "usage: hedge scripts/report.lua [--db PATH | --config FILE] [--from DATE] [--to DATE] [--symbol SYM] [--out FILE]"
local DEFAULT_DB = "state/hedge.db"
local VALUED = { ["--db"] = "db", ["--config"] = "config", ["--from"] = "from", ["--to"] = "to", ["--out"] = "out",
  ["--symbol"] = "symbol" }

local function stop(code, message)
  io.stderr:write("hedge report: ", message, "\n")
  hedge.exit(code)
end

local function parse_args(args)
  local opts, i = {}, 1
  while i <= #args do
    local a = args[i]
    if a == "--help" or a == "-h" then
      print(USAGE)
      return nil, 0
    elseif VALUED[a] then
      local v = args[i + 1]
      if not v then return nil, 2, a .. " needs a value\n" .. USAGE end
      opts[VALUED[a]] = v
      i = i + 2
    else
      return nil, 2, "unknown argument '" .. a .. "'\n" .. USAGE
    end
  end
  if opts.db and opts.config then return nil, 2, "give --db or --config, not both\n" .. USAGE end
  local err
  opts.from_ms, err = view.parse_time(opts.from)
  if err then return nil, 2, "--from: " .. err end
  opts.to_ms, err = view.parse_time(opts.to, true)
  if err then return nil, 2, "--to: " .. err end
  if opts.from_ms and opts.to_ms and opts.from_ms > opts.to_ms then return nil, 2, "--from is after --to" end
  return opts
end

local function main(...)
  local opts, code, message = parse_args({ ... })
  if not opts then
    if code ~= 0 then stop(code, message) end
    return
  end
  local path = opts.db
  if not path and opts.config then
    local cfg, err = require("lib.config").load(opts.config)
    if not cfg then return stop(2, tostring(err.msg or err)) end
    path = cfg.state_db
  end
  path = path or DEFAULT_DB
  local db, err = store.open(path, { read_only = true })
  if not db then return stop(err.kind == "not_found" and 2 or 1, err.msg) end
  local ok, history = pcall(view.history, db, { from_ms = opts.from_ms, to_ms = opts.to_ms, symbol = opts.symbol })
  db:close()
  if not ok then return stop(1, "cannot read " .. path .. ": " .. tostring(history)) end
  local html = page.report(history, { db = path, now_ms = hedge.now_ms() })
  local out = opts.out or "hedge-report.html"
  local f, ferr = io.open(out, "wb")
  if not f then return stop(1, "cannot write " .. out .. ": " .. tostring(ferr)) end
  f:write(html)
  f:close()
  local t = history.totals
  print(("%s: %d cycles, realised %s (funding %s, basis %s, fees %s), %d funding spread samples"):format(
    out, t.cycles, t.total_pnl, t.funding_pnl, t.price_pnl, t.fees, #history.spread))
end

main(...)
