-- One analysis round over every configured venue: what the selection needs, read concurrently.
--
--   round 1 (one task per venue): markets, funding rates, balance
--   universe: symbols listed on at least two venues, limited to symbols_to_monitor unless "*"
--   round 2 (bounded concurrency): ticker and order book for each (venue, symbol) of the universe
--   candidates: for each symbol and each pair of venues listing it, long where funding per hour
--   is lower, short where it is higher
--
-- A venue whose first round fails is left out of this round (its error is kept); fewer than two
-- usable venues is an error. Funding rates arrive already interval-normalised by the clients
-- (rate_per_hour); nothing here assumes an interval.
local hedge = require "hedge"

local analysis = {}

local BOOK_DEPTH = 20
local ROUND2_CONCURRENCY = 8

-- Runs fn(item) for every item with at most `limit` running at once; results by index.
local function map_limited(items, limit, fn)
  local results, errs, next_index = {}, {}, 1
  local function worker()
    while next_index <= #items do
      local i = next_index
      next_index = next_index + 1
      local ok, r, e = pcall(fn, items[i])
      if ok then results[i], errs[i] = r, e else errs[i] = r end
    end
  end
  local workers = {}
  for w = 1, math.min(limit, #items) do workers[w] = worker end
  if #workers > 0 then hedge.parallel(unpack(workers)) end
  return results, errs
end
analysis.map_limited = map_limited

local function sorted_names(venues)
  local names = {}
  for name in pairs(venues) do names[#names + 1] = name end
  table.sort(names)
  return names
end

local function read_venue(client)
  local results, errs = hedge.parallel(
    function() return client:markets() end,
    function() return client:funding_rates() end,
    function() return client:balance() end)
  for i = 1, 3 do if errs[i] then return nil, errs[i] end end
  local markets_by = {}
  for _, m in ipairs(results[1]) do markets_by[m.symbol] = m end
  return { markets = markets_by, funding = results[2], balance = results[3], tickers = {}, books = {}, errors = {} }
end

-- The monitored set: nil means every symbol ("*").
local function monitored(config)
  local list = config.symbols_to_monitor
  if list == "*" or list == nil then return nil end
  local set = {}
  for _, s in ipairs(list) do set[s:upper()] = true end
  return set
end

-- analysis.run(venues, config) -> snapshot | nil, err
-- venues: {name = client}; snapshot = {at_ms, venue_names, venues = {name = data}, failed = {name = err},
-- universe = {symbols}, excluded = {symbol = reason}, candidates = {...}}
function analysis.run(venues, config)
  local names = sorted_names(venues)
  local reads = {}
  for i, name in ipairs(names) do reads[i] = function() return read_venue(venues[name]) end end
  local results, errs = hedge.parallel(unpack(reads))
  local snap = { at_ms = hedge.now_ms(), venue_names = {}, venues = {}, failed = {}, excluded = {}, universe = {} }
  for i, name in ipairs(names) do
    if results[i] then
      snap.venues[name] = results[i]
      snap.venue_names[#snap.venue_names + 1] = name
    else
      snap.failed[name] = errs[i]
    end
  end
  if #snap.venue_names < 2 then
    local parts = {}
    for name, e in pairs(snap.failed) do parts[#parts + 1] = name .. ": " .. tostring(e) end
    table.sort(parts)
    return nil, hedge.errors.new("unavailable", "fewer than two venues answered: " .. table.concat(parts, "; "),
      { op = "analysis", failed = snap.failed })
  end

  -- universe
  local want = monitored(config)
  local listed = {}
  for _, name in ipairs(snap.venue_names) do
    for symbol in pairs(snap.venues[name].markets) do
      listed[symbol] = listed[symbol] or {}
      table.insert(listed[symbol], name)
    end
  end
  if want then
    for symbol in pairs(want) do
      if not listed[symbol] then snap.excluded[symbol] = "not listed on any usable venue"
      elseif #listed[symbol] < 2 then snap.excluded[symbol] = "listed only on " .. listed[symbol][1] end
    end
  end
  for symbol, on in pairs(listed) do
    if #on >= 2 and (not want or want[symbol]) then snap.universe[#snap.universe + 1] = symbol end
  end
  table.sort(snap.universe)

  -- round 2: tickers and books
  local jobs = {}
  for _, symbol in ipairs(snap.universe) do
    for _, name in ipairs(listed[symbol]) do jobs[#jobs + 1] = { venue = name, symbol = symbol } end
  end
  local reads2 = map_limited(jobs, ROUND2_CONCURRENCY, function(job)
    local client = venues[job.venue]
    local r, e = hedge.parallel(
      function() return client:ticker(job.symbol) end,
      function() return client:order_book(job.symbol, BOOK_DEPTH) end)
    return { ticker = r[1], book = r[2], err = e[1] or e[2] }
  end)
  for i, job in ipairs(jobs) do
    local data, r = snap.venues[job.venue], reads2[i]
    if r and r.ticker then data.tickers[job.symbol] = r.ticker end
    if r and r.book then data.books[job.symbol] = r.book end
    if not r or r.err then data.errors[job.symbol] = r and r.err or "no answer" end
  end

  -- candidates: every pair of venues listing the symbol
  snap.candidates = {}
  for _, symbol in ipairs(snap.universe) do
    local on = listed[symbol]
    table.sort(on)
    for a = 1, #on do
      for b = a + 1, #on do
        local fa, fb = snap.venues[on[a]].funding[symbol], snap.venues[on[b]].funding[symbol]
        if fa and fb then
          local long, short, fl, fs = on[a], on[b], fa, fb
          if fb.rate_per_hour < fa.rate_per_hour then long, short, fl, fs = on[b], on[a], fb, fa end
          snap.candidates[#snap.candidates + 1] = {
            symbol = symbol, long_venue = long, short_venue = short,
            long_funding = fl, short_funding = fs,
            spread_per_hour = fs.rate_per_hour - fl.rate_per_hour,
            gross_apr = (fs.rate_per_hour - fl.rate_per_hour) * 8760,
          }
        end
      end
    end
  end
  return snap
end

-- Mid of a venue's book (or its ticker's mid/mark when the book is one-sided or missing).
function analysis.mid(snap, venue, symbol)
  local data = snap.venues[venue]
  local book = data and data.books[symbol]
  if book and book.bids[1] and book.asks[1] then
    return (book.bids[1].price + book.asks[1].price):div(require("hedge.decimal")("2"), 12, "half_even")
  end
  local t = data and data.tickers[symbol]
  return t and (t.mid or t.mark) or nil
end

return analysis
