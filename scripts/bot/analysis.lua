-- One analysis round over every configured venue: what the selection needs, in as few round
-- trips as the venues allow and with as few requests as their rate limits want.
--
--   one round, everything at once:
--     per venue    funding rates (one bulk request), balance, tickers of the venue's symbols
--                  (client:tickers: the live all-markets stream when it is fresh, else one bulk
--                  request), markets from the cache (bot/market_cache.lua: loaded once, then
--                  refreshed in the background when older than markets_cache_seconds)
--     books        of the pairs the previous round read books for (the funding ranking moves
--                  slowly, so they are most likely the ones needed again): from the live books
--                  analysis keeps for them (client:watch_book, subscribed after a round, closed
--                  when the pair drops out; scan_live_books = false turns this off) while they
--                  are fresh, else over REST
--   then         candidates: for each symbol and each pair of venues listing it, long where
--                funding per hour is lower, short where it is higher; ranked by gross funding
--                spread, the top scan_books_top_k pairs get both order books — whatever the
--                first round did not already read is fetched now, all at once
--   later        analysis.rank(snap, rank_fn): when no row of the ranking is eligible, the next
--                scan_books_top_k pairs get their books and the ranking runs again (at most
--                scan_books_max_rounds times; only pairs whose gross APR reaches
--                min_net_apr_threshold, as net after costs can never be above gross; and only
--                pairs the selection refused for want of a book — analysis.book_missing, which
--                select/common.lua calls — not those it refused on volume or price gap)
--
-- So a round is one round trip when the previous round's book set still holds, two when it does
-- not (or on the first round), and a venue never sees more than 2 x scan_books_top_k book reads
-- per ranking step. A venue whose funding, balance or markets fail is left out of this round
-- (its error is kept); fewer than two usable venues is an error. Funding rates arrive already
-- interval-normalised by the clients (rate_per_hour); nothing here assumes an interval.
local hedge = require "hedge"
local market_cache = require "bot.market_cache"
local live_books = require "bot.live_books"

local analysis = {}

local BOOK_DEPTH = live_books.BOOK_DEPTH
analysis.BOOK_DEPTH = BOOK_DEPTH
analysis.DEFAULT_TOP_K = 10
analysis.DEFAULT_BOOK_ROUNDS = 5
-- Only for clients without a bulk tickers(): one ticker call per symbol, this many at a time.
local TICKER_CONCURRENCY = 8

-- The book legs ({venue, symbol}) the last round of a venue set read, to prefetch next time.
local predicted_legs = setmetatable({}, { __mode = "k" })

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

-- The monitored set: nil means every symbol ("*").
local function monitored(config)
  local list = config.symbols_to_monitor
  if list == "*" or list == nil then return nil end
  local set = {}
  for _, s in ipairs(list) do set[s:upper()] = true end
  return set
end

-- Symbols listed on two or more venues' cached markets (nil while a venue has no cache yet).
local function cached_universe(venues, names, want)
  local count = {}
  for _, name in ipairs(names) do
    local list = market_cache.peek(venues[name])
    if not list then return nil end
    for _, m in ipairs(list) do
      if not want or want[m.symbol] then count[m.symbol] = (count[m.symbol] or 0) + 1 end
    end
  end
  local set = {}
  for symbol, n in pairs(count) do if n >= 2 then set[symbol] = true end end
  return set
end

-- Tickers of `symbols` on one venue -> {[symbol] = ticker}, {[symbol] = err} | nil, err
local function read_tickers(client, symbols)
  if client.tickers then
    local tickers, err = client:tickers(symbols)
    if not tickers then return nil, err end
    return tickers, {}
  end
  local found, errs = map_limited(symbols, TICKER_CONCURRENCY, function(symbol) return client:ticker(symbol) end)
  local out, failed = {}, {}
  for i, symbol in ipairs(symbols) do
    if found[i] then out[symbol] = found[i] else failed[symbol] = errs[i] or "no answer" end
  end
  return out, failed
end

-- One venue's part of the round: markets (cached), then its tickers; funding and balance beside.
local function read_venue(client, config, want, universe)
  local results, errs = hedge.parallel(
    function()
      local list, err = market_cache.get(client, config.markets_cache_seconds)
      if not list then return nil, err end
      local symbols = {}
      for _, m in ipairs(list) do
        local wanted = universe and universe[m.symbol] or (not universe and (not want or want[m.symbol]))
        if wanted then symbols[#symbols + 1] = m.symbol end
      end
      table.sort(symbols)
      local tickers, terr = read_tickers(client, symbols)
      return { list = list, symbols = symbols, tickers = tickers, ticker_errors = tickers and terr, ticker_error = not tickers and terr or nil }
    end,
    function() return client:funding_rates() end,
    function() return client:balance() end)
  for i = 1, 3 do if errs[i] then return nil, errs[i] end end
  local m = results[1]
  local markets_by = {}
  for _, market in ipairs(m.list) do markets_by[market.symbol] = market end
  local data = { markets = markets_by, funding = results[2], balance = results[3], tickers = m.tickers or {}, books = {}, errors = {} }
  if m.ticker_error then
    data.ticker_error = m.ticker_error
    for _, symbol in ipairs(m.symbols) do data.errors[symbol] = m.ticker_error end
  else
    for symbol, e in pairs(m.ticker_errors) do data.errors[symbol] = e end
  end
  return data
end

local function leg_key(venue, symbol) return venue .. "\0" .. symbol end

-- Reads the order book of every leg at once -> books[i], errs[i].
local function read_books(venues, legs)
  local fns = {}
  for i, leg in ipairs(legs) do
    local client = venues[leg.venue]
    fns[i] = function() return client:order_book(leg.symbol, BOOK_DEPTH) end
  end
  if #fns == 0 then return {}, {} end
  return hedge.parallel(unpack(fns))
end

local function store_books(snap, legs, books, errs)
  for i, leg in ipairs(legs) do
    local data = snap.venues[leg.venue]
    if data then
      if books[i] then data.books[leg.symbol] = books[i]
      else data.book_errors[leg.symbol] = errs[i] or "no answer" end
    end
  end
end

local function by_gross(a, b)
  if a.gross_apr ~= b.gross_apr then return a.gross_apr > b.gross_apr end
  if a.symbol ~= b.symbol then return a.symbol < b.symbol end
  return a.long_venue .. a.short_venue < b.long_venue .. b.short_venue
end

local function pair_key(c) return c.symbol .. "\0" .. c.long_venue .. "\0" .. c.short_venue end

-- The next `k` candidates of the gross ranking get their books (the legs not read yet, all at
-- once). `floor`: stop at a candidate whose gross APR (fraction) is below it. After the first
-- round only the candidates the selection asked for (analysis.book_missing: the select/common
-- helpers call it) count: a pair it refused on volume or price gap would be refused again with
-- its books. -> pairs taken
local function book_next(snap, k, floor)
  local reader = getmetatable(snap).__index.reader
  local legs, seen, taken = {}, {}, 0
  while taken < k and reader.next_rank <= #reader.queue do
    local c = reader.queue[reader.next_rank]
    if floor and c.gross_apr < floor then break end
    reader.next_rank = reader.next_rank + 1
    if reader.first_round or reader.asked[pair_key(c)] then
      taken = taken + 1
      c.books_read = true
      for _, venue in ipairs { c.long_venue, c.short_venue } do
        local data, key = snap.venues[venue], leg_key(venue, c.symbol)
        if not data.books[c.symbol] and not data.book_errors[c.symbol] and not seen[key] then
          seen[key] = true
          legs[#legs + 1] = { venue = venue, symbol = c.symbol }
        end
      end
    end
  end
  local found, rest = live_books.fresh(reader.venues, legs), {}
  for i, leg in ipairs(legs) do
    if found[i] then
      snap.venues[leg.venue].books[leg.symbol] = found[i]
      snap.live_books = snap.live_books + 1
    else
      rest[#rest + 1] = leg
    end
  end
  local books, errs = read_books(reader.venues, rest)
  store_books(snap, rest, books, errs)
  snap.book_requests = snap.book_requests + #rest
  return taken
end

-- analysis.run(venues, config) -> snapshot | nil, err
-- venues: {name = client}; snapshot = {at_ms, venue_names, venues = {name = data}, failed = {name = err},
-- universe = {symbols}, excluded = {symbol = reason}, candidates = {...}, books_top_k, book_requests}
-- data = {markets, funding, balance, tickers, books, errors = {symbol = ticker err}, book_errors}
function analysis.run(venues, config)
  local started_us = hedge.mono_us()
  local names = sorted_names(venues)
  local want = monitored(config)
  local top_k = config.scan_books_top_k or analysis.DEFAULT_TOP_K
  local universe_hint = cached_universe(venues, names, want)

  -- the round: every venue's reads and the predicted books, all started together
  local fns, prefetch = {}, {}
  for i, name in ipairs(names) do
    fns[i] = function() return read_venue(venues[name], config, want, universe_hint) end
  end
  local live_legs, live_found = {}, {}
  for _, leg in ipairs(predicted_legs[venues] or {}) do
    if venues[leg.venue] and (not universe_hint or universe_hint[leg.symbol]) then live_legs[#live_legs + 1] = leg end
  end
  -- the predicted books the streams keep cost no request; the others are read in the round
  local found = live_books.fresh(venues, live_legs)
  for i, leg in ipairs(live_legs) do
    if found[i] then live_found[#live_found + 1] = { leg = leg, book = found[i] }
    else prefetch[#prefetch + 1] = leg end
  end
  for _, leg in ipairs(prefetch) do
    local client = venues[leg.venue]
    fns[#fns + 1] = function() return client:order_book(leg.symbol, BOOK_DEPTH) end
  end
  local results, errs = hedge.parallel(unpack(fns))
  local round_us = hedge.mono_us()

  local reader = { venues = venues, queue = {}, next_rank = 1, asked = {} }
  local snap = setmetatable({ at_ms = hedge.now_ms(), venue_names = {}, venues = {}, failed = {}, excluded = {}, universe = {},
    books_top_k = top_k, book_requests = #prefetch, prefetched_books = #prefetch + #live_found, live_books = #live_found },
    { __index = { reader = reader } })
  for i, name in ipairs(names) do
    if results[i] then
      results[i].book_errors = {}
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
  local pre_books, pre_errs = {}, {}
  for j = 1, #prefetch do pre_books[j], pre_errs[j] = results[#names + j], errs[#names + j] end
  store_books(snap, prefetch, pre_books, pre_errs)
  for _, f in ipairs(live_found) do
    local data = snap.venues[f.leg.venue]
    if data then data.books[f.leg.symbol] = f.book end
  end

  -- universe
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

  -- books: the top K by gross spread (what the prefetch did not bring, all at once)
  for i, c in ipairs(snap.candidates) do reader.queue[i] = c end
  table.sort(reader.queue, by_gross)
  for i, c in ipairs(reader.queue) do c.gross_rank = i end
  reader.first_round = true
  book_next(snap, top_k, nil)
  reader.first_round = false
  local legs, seen = {}, {}
  for i = 1, math.min(top_k, #reader.queue) do
    local c = reader.queue[i]
    for _, venue in ipairs { c.long_venue, c.short_venue } do
      local key = leg_key(venue, c.symbol)
      if not seen[key] then
        seen[key] = true
        legs[#legs + 1] = { venue = venue, symbol = c.symbol }
      end
    end
  end
  predicted_legs[venues] = legs
  live_books.keep(venues, legs, config)
  -- where the round's time went (ms): the concurrent reads, then candidates and the books after them
  local done_us = hedge.mono_us()
  snap.timing = { round_ms = (round_us - started_us) / 1000, after_ms = (done_us - round_us) / 1000 }
  return snap
end

-- Closes the live books kept for these venues' clients (the bot does while it holds a hedge:
-- hours without a round, no reason to stream books); the next round reads over REST.
analysis.release = live_books.release

-- Subscribes again the live books of the last round's top pairs (after analysis.release), so a
-- round that comes later finds them fresh: the bot does at the start of its cooldown after a
-- close (WAITING, wait_between_cycles_minutes), which is when it knows the next round is due.
function analysis.prepare(venues, config)
  live_books.keep(venues, predicted_legs[venues] or {}, config or {})
end

-- How many live books are kept for these venues' clients (subscribed, first snapshot in).
analysis.live_book_count = live_books.count

local function any_eligible(rows)
  for _, r in ipairs(rows or {}) do if r.eligible then return true end end
  return false
end

-- analysis.rank(snap, rank_fn, config) -> rows: rank_fn(snap) (the selection), again after the
-- next scan_books_top_k pairs got their books each time no row is eligible.
function analysis.rank(snap, rank_fn, config)
  config = config or {}
  local rows = rank_fn(snap)
  local k = config.scan_books_top_k or snap.books_top_k or analysis.DEFAULT_TOP_K
  local max_rounds = config.scan_books_max_rounds or analysis.DEFAULT_BOOK_ROUNDS
  local floor = config.min_net_apr_threshold and config.min_net_apr_threshold / 100 or nil
  snap.book_rounds = 1
  while not any_eligible(rows) and snap.book_rounds < max_rounds do
    if book_next(snap, k, floor) == 0 then break end
    snap.book_rounds = snap.book_rounds + 1
    rows = rank_fn(snap)
  end
  return rows
end

-- Why a candidate has no book on `venue` (nil when it has one).
function analysis.book_missing(snap, c, venue)
  local data = snap.venues[venue]
  if not data or data.books[c.symbol] then return nil end
  local e = data.book_errors and data.book_errors[c.symbol]
  if e then return ("order book of %s on %s unreadable: %s"):format(c.symbol, venue, tostring(e)) end
  if c.gross_rank and not c.books_read then
    local mt = getmetatable(snap)
    if mt and mt.__index and mt.__index.reader then
      mt.__index.reader.asked[pair_key(c)] = true   -- the fallback reads these first
    end
    return ("order book not read: ranked %d by gross funding spread, books are read for the top %d"):format(c.gross_rank,
      snap.books_top_k or analysis.DEFAULT_TOP_K)
  end
  return "no order book on " .. venue
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
