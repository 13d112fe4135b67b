-- 24 h volume per venue and symbol, flagged against the bot's min_volume_usd.
--
--   hedge scripts/check_volume.lua [--symbols BTC,ETH] [--min-volume USD] [--config FILE] [--env FILE]
--
-- One row per symbol (the configuration's symbols_to_monitor, or every listed symbol for "*"),
-- one column per configured venue with the venue's own 24 h quote volume in USD ("-" not listed
-- there, "?" could not be read). The bot needs each leg of a pair at or above min_volume_usd
-- (select/common.lua), so a symbol is usable when at least two venues pass; the status column
-- says which venues fall short. Exit status 0, 1 when a venue could not be read, 2 for usage or
-- configuration errors.
local args = require "tools.args"
local session = require "tools.session"
local market_scan = require "tools.market_scan"
local T = require "tools.text_table"
local D = require "hedge.decimal"

local USAGE = [[usage: hedge scripts/check_volume.lua [--symbols BTC,ETH] [--min-volume USD] [--config FILE] [--env FILE]
  --symbols LIST    comma-separated symbols (default: symbols_to_monitor of the configuration)
  --min-volume USD  threshold per venue (default: min_volume_usd of the configuration)]]

local SPEC = args.with_common {
  { "--symbols", "symbols", value = "LIST" },
  { "--min-volume", "min_volume", value = "USD", decimal = true },
}

local function split_symbols(text)
  if not text then return nil end
  local out = {}
  for sym in text:gmatch("[^,%s]+") do
    if not sym:match("^%w+$") then args.fail(("--symbols: %q is not a symbol"):format(sym)) end
    out[#out + 1] = sym:upper()
  end
  return out
end

-- rows and the summary for a scan; exported for tests through the module table below.
local function volume_table(scan, floor)
  local columns = { { "symbol" } }
  for _, name in ipairs(scan.names) do columns[#columns + 1] = { name, align = "right" } end
  columns[#columns + 1] = { "passing", align = "right" }
  columns[#columns + 1] = { "status" }
  local rows, usable, everywhere = {}, 0, 0
  for _, sym in ipairs(scan.symbols) do
    local row, low, listed, passing = { sym }, {}, 0, 0
    for _, name in ipairs(scan.names) do
      local missing = market_scan.missing(scan, name, sym)
      local t = scan.venues[name].tickers[sym]
      if missing or not t then
        row[#row + 1] = missing or "?"
      else
        listed = listed + 1
        local v = t.volume_24h
        row[#row + 1] = v and T.compact(v) or "?"
        if v and floor and v < floor then low[#low + 1] = name
        elseif v then passing = passing + 1 end
      end
    end
    row[#row + 1] = ("%d/%d"):format(passing, listed)
    local status
    if passing >= 2 then
      usable = usable + 1
      status = #low > 0 and ("ok (low on " .. table.concat(low, ", ") .. ")") or "ok"
    elseif listed < 2 then
      status = "listed on fewer than two venues"
    else
      status = "LOW VOLUME on " .. table.concat(low, ", ")
    end
    if listed == #scan.names and listed > 0 then everywhere = everywhere + 1 end
    row[#row + 1] = status
    rows[#rows + 1] = row
  end
  return T.render(columns, rows), { symbols = #scan.symbols, usable = usable, everywhere = everywhere }
end

local function main(...)
  local opts, rest = args.parse({ ... }, SPEC, USAGE)
  if not opts then return 0 end
  if #rest > 0 then args.fail("unexpected argument '" .. rest[1] .. "'\n" .. USAGE) end
  local s = session.open { config = opts.config, env = opts.env, strict = false }
  local floor_text = opts.min_volume or s.cfg.min_volume_usd
  local floor = floor_text and (type(floor_text) == "number" and D.from_number(floor_text) or D(floor_text)) or nil
  local scan = market_scan.read(s, { symbols = split_symbols(opts.symbols) })
  print(("24h volume, USD — each venue of a pair needs at least $%s (min_volume_usd)"):format(
    floor and T.money(floor, 0) or "-"))
  local lines, summary = volume_table(scan, floor)
  T.print(lines)
  print(("%d symbols: %d with at least two venues above the threshold, %d listed on every venue"):format(
    summary.symbols, summary.usable, summary.everywhere))
  local problems = market_scan.problems(scan)
  T.print(problems)
  session.close(s)
  return #problems > 0 and 1 or 0
end

args.run("check_volume", main, ...)
