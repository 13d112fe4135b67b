-- Market data for the check tools: markets, tickers (one bulk read per venue) and top-of-book
-- for every (venue, symbol), read concurrently with a bound on requests in flight.
--
--   local scan = require("tools.market_scan").read(s, {symbols = {"BTC"}, books = true})
--   scan.symbols (sorted), scan.names (venues), scan.venues[name] = {markets, tickers, books, errors, err}
--   market_scan.mid(book), market_scan.spread_pct(book), market_scan.gap_pct(mid_a, mid_b)
local hedge = require "hedge"
local D = require "hedge.decimal"
local analysis = require "bot.analysis"

local market_scan = {}

local CONCURRENCY = 8
local HUNDRED, TWO = D("100"), D("2")

-- Which symbols to look at: the --symbols list, else the configuration's symbols_to_monitor,
-- else ("*") every symbol listed on at least one venue.
local function choose(cfg, wanted, listed)
  local list = wanted or (cfg.symbols_to_monitor ~= "*" and cfg.symbols_to_monitor) or nil
  local out = {}
  if list then
    for _, sym in ipairs(list) do out[#out + 1] = sym:upper() end
  else
    for sym in pairs(listed) do out[#out + 1] = sym end
  end
  table.sort(out)
  return out
end

-- market_scan.read(s, {symbols, books}) -> scan
function market_scan.read(s, opts)
  opts = opts or {}
  local fns = {}
  for i, name in ipairs(s.names) do fns[i] = function() return s.venues[name]:markets() end end
  local results, errs = {}, {}
  if #fns > 0 then results, errs = hedge.parallel(unpack(fns)) end
  local scan = { names = s.names, venues = {}, unusable = s.unusable }
  local listed = {}
  for i, name in ipairs(s.names) do
    local v = { markets = {}, tickers = {}, books = {}, errors = {} }
    if results[i] then
      for _, m in ipairs(results[i]) do
        v.markets[m.symbol] = m
        listed[m.symbol] = true
      end
    else
      v.err = errs[i] or "no answer"
    end
    scan.venues[name] = v
  end
  scan.symbols = choose(s.cfg, opts.symbols, listed)
  -- tickers: one bulk read per venue (client:tickers) where the client has one
  local bulk, bulk_names = {}, {}
  for _, name in ipairs(s.names) do
    local v, client = scan.venues[name], s.venues[name]
    if not v.err and client.tickers then
      local syms = {}
      for _, sym in ipairs(scan.symbols) do if v.markets[sym] then syms[#syms + 1] = sym end end
      bulk_names[#bulk_names + 1] = name
      bulk[#bulk + 1] = function() return client:tickers(syms) end
    end
  end
  local bulk_results, bulk_errs = {}, {}
  if #bulk > 0 then bulk_results, bulk_errs = hedge.parallel(unpack(bulk)) end
  local by_bulk = {}
  for i, name in ipairs(bulk_names) do by_bulk[name] = { tickers = bulk_results[i], err = bulk_errs[i] } end
  local jobs = {}
  for _, sym in ipairs(scan.symbols) do
    for _, name in ipairs(s.names) do
      if scan.venues[name].markets[sym] then jobs[#jobs + 1] = { venue = name, symbol = sym, bulk = by_bulk[name] } end
    end
  end
  local reads = analysis.map_limited(jobs, CONCURRENCY, function(job)
    local client = s.venues[job.venue]
    local calls = {}
    if not job.bulk then calls[#calls + 1] = function() return client:ticker(job.symbol) end end
    if opts.books then calls[#calls + 1] = function() return client:order_book(job.symbol, 5) end end
    if #calls == 0 then return {} end
    local r, e = hedge.parallel(unpack(calls))
    if job.bulk then return { book = r[1], err = e[1] } end
    return { ticker = r[1], book = r[2], err = e[1] or e[2] }
  end)
  for i, job in ipairs(jobs) do
    local v, r = scan.venues[job.venue], reads[i]
    local ticker = r and r.ticker
    local err = not r and "no answer" or r.err
    if job.bulk then
      ticker = job.bulk.tickers and job.bulk.tickers[job.symbol]
      if not ticker then err = err or job.bulk.err or "no ticker in the venue's answer" end
    end
    if ticker then v.tickers[job.symbol] = ticker end
    if r and r.book then v.books[job.symbol] = r.book end
    if err then v.errors[job.symbol] = err end
  end
  return scan
end

-- Mid of a book's best levels; nil when a side is empty.
function market_scan.mid(book)
  if not (book and book.bids[1] and book.asks[1]) then return nil end
  return (book.bids[1].price + book.asks[1].price):div(TWO, 12, "half_even")
end

-- Best ask minus best bid, % of the mid (exact decimal, 6 places).
function market_scan.spread_pct(book)
  local mid = market_scan.mid(book)
  if not mid or mid:sign() <= 0 then return nil end
  return ((book.asks[1].price - book.bids[1].price) * HUNDRED):div(mid, 6, "half_even")
end

-- |a − b| as % of their average (the same measure as select/common.lua's max_spread_pct).
function market_scan.gap_pct(a, b)
  return ((a - b):abs() * HUNDRED):div((a + b):div(TWO, 12, "half_even"), 6, "half_even")
end

-- Whether a symbol could be read anywhere: "-" not listed, "?" unreadable, else nil.
function market_scan.missing(scan, name, sym)
  local v = scan.venues[name]
  if v.err then return "?" end
  if not v.markets[sym] then return "-" end
  if v.errors[sym] then return "?" end
  return nil
end

-- Lines naming the venues and symbols that could not be read.
function market_scan.problems(scan)
  local lines = {}
  for _, name in ipairs(scan.names) do
    local v = scan.venues[name]
    if v.err then
      lines[#lines + 1] = ("UNREADABLE %s: %s"):format(name, tostring(v.err))
    else
      local syms = {}
      for sym in pairs(v.errors) do syms[#syms + 1] = sym end
      table.sort(syms)
      for _, sym in ipairs(syms) do lines[#lines + 1] = ("UNREADABLE %s %s: %s"):format(name, sym, tostring(v.errors[sym])) end
    end
  end
  local names = {}
  for name in pairs(scan.unusable or {}) do names[#names + 1] = name end
  table.sort(names)
  for _, name in ipairs(names) do lines[#lines + 1] = ("UNUSABLE %s: %s"):format(name, tostring(scan.unusable[name])) end
  return lines
end

return market_scan
