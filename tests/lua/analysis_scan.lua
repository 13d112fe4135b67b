-- The analysis round's read plan (bot/analysis.lua, bot/market_cache.lua) on fake venues:
-- market metadata cached with a TTL and refreshed in the background, tickers in one bulk read,
-- order books only for the top K pairs by gross funding spread (the previous round's pairs
-- prefetched), and the next K when nothing in the ranking is eligible.
local hedge = require "hedge"
local t = require "lib.tap"
local Fake = require "lib.fake_venue"
local analysis = require "bot.analysis"
local market_cache = require "bot.market_cache"
local sizing = require "bot.sizing"
local default_select = require "select.default"

hedge.log.set_level("off")

-- Six symbols; alpha pays more funding than beta everywhere, by a spread that falls from S1 to S6.
-- volumes / spreads: per symbol overrides (24 h volume, bid/ask spread in price units).
local function world(volumes, spreads)
  local am, bm = {}, {}
  for i = 1, 6 do
    local symbol = "S" .. i
    local volume = volumes and volumes[symbol] or "900000000"
    local spread = spreads and spreads[symbol] or "0.02"
    am[i] = { symbol = symbol, mark = "100", tick = "0.01", step = "0.1", rate_per_hour = 0.0001 * (7 - i), spread = spread, volume = volume }
    bm[i] = { symbol = symbol, mark = "100", tick = "0.01", step = "0.1", rate_per_hour = 0, spread = spread, volume = volume }
  end
  return { alpha = Fake.new { name = "alpha", fee = "0.0001", balance = "10000", markets = am },
           beta = Fake.new { name = "beta", fee = "0.0001", balance = "10000", markets = bm } }
end

local config = { symbols_to_monitor = "*", leverage = 2, notional_per_position = 500, hold_duration_hours = 24,
  min_net_apr_threshold = 5, min_volume_usd = 100000000, max_spread_pct = 0.5, max_bidask_spread_pct = 0.5,
  scan_books_top_k = 2, markets_cache_seconds = 0.3 }

local function books_read(v)
  local out = {}
  for _, c in ipairs(v.calls) do if c.op == "order_book" then out[#out + 1] = c.args end end
  table.sort(out)
  return table.concat(out, ",")
end

local function ranked(snap)
  local ctx = { plan = function(c) return sizing.plan(c, snap, config) end }
  return analysis.rank(snap, function() return default_select.rank(snap, config, ctx) end, config)
end

local function row_of(rows, symbol)
  for _, r in ipairs(rows) do if r.symbol == symbol then return r end end
end

-- ---- top K by gross spread ---------------------------------------------------------------------
local v = world()
local snap = assert(analysis.run(v, config))
t.is(#snap.candidates, 6, "six candidates")
t.is(books_read(v.alpha), "S1,S2", "books only for the top 2 pairs by gross spread on alpha")
t.is(books_read(v.beta), "S1,S2", "and on beta")
t.is(snap.book_requests, 4, "4 book requests in the round")
t.is(v.alpha:count("tickers"), 1, "tickers: one bulk read")
local rows = ranked(snap)
t.is(rows[1].symbol, "S1", "the widest spread is ranked first")
t.is(rows[1].eligible, true, "and is eligible")
t.is(snap.book_rounds, 1, "no more books needed")
t.is(row_of(rows, "S3").reason, "order book not read: ranked 3 by gross funding spread, books are read for the top 2",
  "a pair below the top K says why it has no costs")

-- ---- the previous round's books are prefetched ------------------------------------------------
local before_alpha = v.alpha:count("order_book")
local snap2 = assert(analysis.run(v, config))
t.is(snap2.prefetched_books, 4, "round 2 prefetches the 4 legs of round 1's top 2")
t.is(snap2.book_requests, 4, "and needs no other book")
t.is(v.alpha:count("order_book") - before_alpha, 2, "2 book reads on alpha")
t.is(v.alpha:count("markets"), 1, "markets were read once: round 2 used the cache")
-- the ranking moves: S5 becomes the widest spread
v.alpha:set_rate("S5", 0.01)
local before = v.alpha:count("order_book") + v.beta:count("order_book")
local snap3 = assert(analysis.run(v, config))
t.is(snap3.prefetched_books, 4, "round 3 prefetches the old top 2")
t.is(v.alpha:count("order_book") + v.beta:count("order_book") - before, 6, "and reads S5's two legs after the ranking")
t.is(snap3.book_requests, 6, "6 book requests in all")
t.ok(snap3.venues.alpha.books.S5 and snap3.venues.beta.books.S5, "S5 has both books")
t.is(ranked(snap3)[1].symbol, "S5", "and is ranked first")
v.alpha:set_rate("S5", 0.0002)

-- ---- market metadata: TTL, background refresh -------------------------------------------------
local calls0 = v.alpha:count("markets")
hedge.sleep(0.35)
v.alpha:add_market { symbol = "S7", mark = "100", rate_per_hour = 0.5 }
v.beta:add_market { symbol = "S7", mark = "100", rate_per_hour = 0 }
local snap4 = assert(analysis.run(v, config))
t.is(snap4.venues.alpha.markets.S7, nil, "an expired cache still serves the round (no wait for metadata)")
local st = market_cache.state(v.alpha)
local deadline = hedge.mono_ms() + 2000
while st.refreshing and hedge.mono_ms() < deadline do hedge.sleep(0.01) end
t.is(v.alpha:count("markets"), calls0 + 1, "and a background refresh read the markets once")
t.is(st.refreshes, 1, "the refresh completed")
local snap5 = assert(analysis.run(v, config))
t.ok(snap5.venues.alpha.markets.S7 ~= nil, "the next round sees the new market")
t.is(snap5.universe[#snap5.universe], "S7", "and S7 is in the universe")
t.is(v.alpha:count("markets"), calls0 + 1, "without reading the markets again inside the TTL")
-- a refresh that fails keeps the old list
hedge.sleep(0.35)
v.alpha:fault("markets", { kind = "network", msg = "refresh down" })
assert(analysis.run(v, config))
deadline = hedge.mono_ms() + 2000
while st.refreshing and hedge.mono_ms() < deadline do hedge.sleep(0.01) end
t.like(tostring(st.last_error), "refresh down", "a failed refresh is kept as last_error")
local snap6 = assert(analysis.run(v, config))
t.ok(snap6.venues.alpha.markets.S7 ~= nil, "and the cached markets keep serving")

-- ---- next K when nothing in the top K is eligible ---------------------------------------------
local thin = world { S1 = "1000", S2 = "1000", S3 = "1000" }
local tsnap = assert(analysis.run(thin, config))
t.is(books_read(thin.alpha), "S1,S2", "round 1: books for the top 2")
local trows = ranked(tsnap)
t.is(tsnap.book_rounds, 2, "S1 and S2 fail the volume filter: one more book round")
t.is(books_read(thin.alpha), "S1,S2,S4,S5", "for the next 2 pairs that want a book (S3 fails on volume without one)")
t.is(trows[1].symbol, "S4", "S4, the widest that passes, is picked")
t.is(trows[1].eligible, true, "and is eligible")
t.like(row_of(trows, "S1").reason, "^24h volume", "S1 keeps its real reason")

-- pairs refused before their book matters cost no book read
local refused = world({ S3 = "1000", S4 = "1000", S5 = "1000", S6 = "1000" }, { S1 = "2", S2 = "2" })
local rsnap = assert(analysis.run(refused, config))
local rrows = ranked(rsnap)
t.like(row_of(rrows, "S1").reason, "^bid/ask spread", "S1 and S2 fail on their books")
t.is(rsnap.book_rounds, 1, "the rest fail on volume: no more book rounds")
t.is(books_read(refused.alpha), "S1,S2", "and no more books")

-- the fallback stops below min_net_apr_threshold (net after costs cannot be above gross)
local low = world { S1 = "1000", S2 = "1000" }
for i = 3, 6 do low.alpha:set_rate("S" .. i, 0.000001) end   -- 0.88 % gross APR
local lsnap = assert(analysis.run(low, config))
local lrows = ranked(lsnap)
t.is(lsnap.book_rounds, 1, "no extra book round when the next pairs cannot reach the threshold")
t.is(books_read(low.alpha), "S1,S2", "their books are not read")
t.is(lrows[1].eligible, false, "nothing eligible")

-- scan_books_max_rounds bounds the fallback
local capped = world(nil, { S1 = "2", S2 = "2", S3 = "2", S4 = "2", S5 = "2" })
local csnap = assert(analysis.run(capped, config))
local ccfg = setmetatable({ scan_books_max_rounds = 2 }, { __index = config })
local crows = analysis.rank(csnap, function()
  return default_select.rank(csnap, ccfg, { plan = function(c) return sizing.plan(c, csnap, ccfg) end })
end, ccfg)
t.is(csnap.book_rounds, 2, "at most scan_books_max_rounds ranking steps")
t.is(books_read(capped.alpha), "S1,S2,S3,S4", "so at most 2 x K pairs' books")
t.is(crows[1].eligible, false, "and S6 is not reached")

-- ---- read failures ------------------------------------------------------------------------------
local f = world()
f.beta:fault("tickers", { kind = "rate_limited", msg = "slow down" })
local fsnap = assert(analysis.run(f, config))
t.ok(fsnap.venues.beta ~= nil, "a failed bulk ticker read leaves the venue in the round")
t.like(tostring(fsnap.venues.beta.ticker_error), "slow down", "with its error kept")
local frows = ranked(fsnap)
t.is(frows[1].eligible, false, "no candidate is eligible without beta's tickers")
t.is(frows[1].reason, "no ticker on beta", "and the reason names the venue")

local b = world()
b.alpha:fault("order_book", { kind = "timeout", msg = "book timed out" })
local bsnap = assert(analysis.run(b, config))
local brow = row_of(ranked(bsnap), "S1")
t.like(brow.reason, "^order book of S1 on alpha unreadable: .*book timed out", "an unreadable book is named: " .. tostring(brow.reason))

t.done()
