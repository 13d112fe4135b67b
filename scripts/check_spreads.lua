-- Bid/ask spreads per venue and the price gap between venues, flagged against the bot's limits.
--
--   hedge scripts/check_spreads.lua [--symbols BTC,ETH] [--max-spread PCT] [--max-gap PCT]
--                                   [--config FILE] [--env FILE]
--
-- From each venue's own order book (never a mark price dressed up as a book): the mid, the
-- bid/ask spread in % of the mid (limit max_bidask_spread_pct), and per symbol the largest gap
-- between two venues' mids in % of their average (limit max_spread_pct), with the venue that is
-- higher. Status WIDE SPREAD / WIDE GAP names the venues; the bot refuses those pairs
-- (select/common.lua). Exit status 0, 1 when a venue could not be read, 2 for usage errors.
local args = require "tools.args"
local session = require "tools.session"
local market_scan = require "tools.market_scan"
local T = require "tools.text_table"
local D = require "hedge.decimal"

local USAGE = [[usage: hedge scripts/check_spreads.lua [--symbols BTC,ETH] [--max-spread PCT] [--max-gap PCT]
         [--config FILE] [--env FILE]
  --max-spread PCT  bid/ask spread limit per venue, % of mid (default: max_bidask_spread_pct)
  --max-gap PCT     limit for the gap between venues' mids, % (default: max_spread_pct)]]

local SPEC = args.with_common {
  { "--symbols", "symbols", value = "LIST" },
  { "--max-spread", "max_spread", value = "PCT", decimal = true },
  { "--max-gap", "max_gap", value = "PCT", decimal = true },
}

local function dec(v)
  if v == nil then return nil end
  if type(v) == "number" then return D.from_number(v) end
  return D(v)
end

local function split_symbols(text)
  if not text then return nil end
  local out = {}
  for sym in text:gmatch("[^,%s]+") do
    if not sym:match("^%w+$") then args.fail(("--symbols: %q is not a symbol"):format(sym)) end
    out[#out + 1] = sym:upper()
  end
  return out
end

local function pct_text(d) return d and (tostring(d:rescale(3, "half_even")) .. "%") or nil end

local function spread_table(scan, max_spread, max_gap)
  local columns = { { "symbol" } }
  for _, name in ipairs(scan.names) do
    columns[#columns + 1] = { name .. " mid", align = "right" }
    columns[#columns + 1] = { "spread", align = "right" }
  end
  columns[#columns + 1] = { "max gap", align = "right" }
  columns[#columns + 1] = { "higher / lower" }
  columns[#columns + 1] = { "status" }
  local rows, gaps, flagged = {}, {}, 0
  for _, sym in ipairs(scan.symbols) do
    local row, mids, wide = { sym }, {}, {}
    for _, name in ipairs(scan.names) do
      local missing = market_scan.missing(scan, name, sym)
      local book = scan.venues[name].books[sym]
      local mid, spread = market_scan.mid(book), market_scan.spread_pct(book)
      if missing or not mid then
        row[#row + 1] = missing or "?"
        row[#row + 1] = missing or (book and "one-sided" or "?")
      else
        mids[#mids + 1] = { venue = name, mid = mid }
        row[#row + 1] = tostring(mid)
        row[#row + 1] = pct_text(spread)
        if max_spread and spread > max_spread then wide[#wide + 1] = name end
      end
    end
    local best
    for a = 1, #mids do
      for b = a + 1, #mids do
        local g = market_scan.gap_pct(mids[a].mid, mids[b].mid)
        if not best or g > best.gap then
          local hi, lo = mids[a], mids[b]
          if lo.mid > hi.mid then hi, lo = lo, hi end
          best = { gap = g, hi = hi.venue, lo = lo.venue }
        end
      end
    end
    row[#row + 1] = best and pct_text(best.gap) or "-"
    row[#row + 1] = best and (best.gap:sign() == 0 and "equal" or (best.hi .. " ↑ " .. best.lo)) or "-"
    local flags = {}
    if #wide > 0 then flags[#flags + 1] = "WIDE SPREAD on " .. table.concat(wide, ", ") end
    if best and max_gap and best.gap > max_gap then flags[#flags + 1] = ("WIDE GAP %s/%s"):format(best.hi, best.lo) end
    if #mids < 2 then flags[#flags + 1] = "fewer than two venues" end
    if #flags > 0 then flagged = flagged + 1 end
    row[#row + 1] = #flags > 0 and table.concat(flags, "; ") or "ok"
    rows[#rows + 1] = row
    if best then gaps[#gaps + 1] = best.gap end
  end
  local summary = { symbols = #scan.symbols, flagged = flagged }
  if #gaps > 0 then
    local sum, max = D("0"), gaps[1]
    for _, g in ipairs(gaps) do sum = sum + g; if g > max then max = g end end
    summary.average = sum:div(D(tostring(#gaps)), 6, "half_even")
    summary.max = max
  end
  return T.render(columns, rows), summary
end

local function main(...)
  local opts, rest = args.parse({ ... }, SPEC, USAGE)
  if not opts then return 0 end
  if #rest > 0 then args.fail("unexpected argument '" .. rest[1] .. "'\n" .. USAGE) end
  local s = session.open { config = opts.config, env = opts.env, strict = false }
  local max_spread = dec(opts.max_spread or s.cfg.max_bidask_spread_pct)
  local max_gap = dec(opts.max_gap or s.cfg.max_spread_pct)
  local scan = market_scan.read(s, { symbols = split_symbols(opts.symbols), books = true })
  print(("bid/ask spread per venue (limit %s of mid) and largest gap between venues' mids (limit %s)"):format(
    pct_text(max_spread) or "none", pct_text(max_gap) or "none"))
  local lines, summary = spread_table(scan, max_spread, max_gap)
  T.print(lines)
  print(("%d symbols, %d flagged; gap between venues: average %s, largest %s"):format(summary.symbols, summary.flagged,
    pct_text(summary.average) or "-", pct_text(summary.max) or "-"))
  local problems = market_scan.problems(scan)
  T.print(problems)
  session.close(s)
  return #problems > 0 and 1 or 0
end

args.run("check_spreads", main, ...)
