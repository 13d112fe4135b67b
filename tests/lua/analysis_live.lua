-- The analysis round with the real clients on the simulator (bench/lib/world.lua: the demo
-- world, three venues): the books of the top K pairs are kept live between rounds and read
-- without a request while fresh; a dropped stream sends its venue's books back to REST;
-- analysis.release closes them (the bot does while holding) and the next round prefetches the
-- same book set over REST in its one round trip; analysis.prepare (the bot's cooldown) opens them
-- again; live and REST books agree.
package.path = "bench/?.lua;" .. package.path
local hedge = require "hedge"
local t = require "lib.tap"
local W = require "lib.world"
local analysis = require "bot.analysis"

hedge.log.set_level("off")

local world = W.start { config = { symbols_to_monitor = "*", scan_books_top_k = 3 } }
local venues, sim = world.venues, world.sim

local BOOK_PATHS = { ["/api/v1/book"] = true, ["/api/v1/orderBookOrders"] = true, ["/api/v2/public/quote/getDepth"] = true }
local function last_seq() return sim:call("GET", "/requests?limit=1").last_seq or 0 end
local function book_requests(since)
  local n = {}
  for _, e in ipairs(sim:requests { since = since, kind = "http" }) do
    if BOOK_PATHS[e.path] then n[e.venue] = (n[e.venue] or 0) + 1; n.all = (n.all or 0) + 1 end
  end
  return n
end
local function legs_of(snap)
  local n, per = 0, {}
  for name, data in pairs(snap.venues) do
    for _ in pairs(data.books) do n = n + 1; per[name] = (per[name] or 0) + 1 end
  end
  return n, per
end

local ok, err = pcall(function()
  local snap1 = assert(analysis.run(venues, world.cfg))
  local legs, per = legs_of(snap1)
  t.ok(legs >= 3 and legs <= 6, ("round 1 reads the books of the top 3 pairs: %d legs"):format(legs))
  t.is(snap1.live_books, 0, "round 1: no live book yet")
  t.is(snap1.book_requests, legs, "every one over REST")

  sim:wait_for(function() return analysis.live_book_count(venues) == legs end, 10, "the live books of the top pairs")
  -- live books need their first snapshot and a recent change; the synthetic books refresh often
  local seq = last_seq()
  local snap2 = assert(analysis.run(venues, world.cfg))
  t.is(snap2.live_books, legs, "round 2 takes every top-K book from the live books")
  t.is(snap2.book_requests, 0, "with no book request")
  t.is(book_requests(seq).all, nil, "the simulator saw none")
  -- the live copy agrees with a REST read of the same book
  local c = snap2.candidates[1]
  for _, cand in ipairs(snap2.candidates) do if cand.books_read then c = cand; break end end
  local live = snap2.venues[c.long_venue].books[c.symbol]
  local rest = assert(venues[c.long_venue]:order_book(c.symbol, analysis.BOOK_DEPTH))
  t.is(live.source, "stream", "a live book says so")
  t.is(tostring(live.bids[1].price) .. "/" .. tostring(live.asks[1].price),
    tostring(rest.bids[1].price) .. "/" .. tostring(rest.asks[1].price), "and has the REST book's best bid and ask")

  -- a dropped stream: that venue's books go back to REST in the round (the others stay live)
  local lighter_legs = per.lighter or 0
  t.ok(lighter_legs > 0, "lighter has top-K legs")
  local _, a_book = next(venues.lighter._books)
  seq = last_seq()
  sim:drop_ws("lighter")
  -- waits on the book itself: the round starts the moment the drop is seen, well before the
  -- reconnect (its back-off is at least 0.19 s) brings a new snapshot
  assert(a_book:wait(function(b) return b.stale end, 5))
  local snap3 = assert(analysis.run(venues, world.cfg))
  local reads = book_requests(seq)
  t.is(reads.lighter, lighter_legs, "round 3: lighter's stale books are read over REST")
  t.is(snap3.live_books, legs - lighter_legs, "the other venues' books stay live")
  t.is(legs_of(snap3), legs, "every top-K book is there")

  -- released (holding): the next round prefetches the book set over REST, in the same round trip
  analysis.release(venues)
  t.is(analysis.live_book_count(venues), 0, "release closes the live books")
  seq = last_seq()
  local snap4 = assert(analysis.run(venues, world.cfg))
  t.is(snap4.live_books, 0, "after release: no live book")
  t.is(snap4.prefetched_books, legs, "the previous round's book set is prefetched")
  t.is(snap4.book_requests, legs, "over REST, nothing more after the ranking")
  t.is(book_requests(seq).all, legs, "the simulator saw exactly those")

  -- prepare (the bot's cooldown after a close) subscribes them again: the round after is warm
  analysis.release(venues)
  analysis.prepare(venues, world.cfg)
  sim:wait_for(function() return analysis.live_book_count(venues) == legs end, 10, "the live books again")
  seq = last_seq()
  local snap5 = assert(analysis.run(venues, world.cfg))
  t.is(snap5.live_books, legs, "after prepare the round reads every top-K book live")
  t.is(book_requests(seq).all, nil, "with no book request")
end)
analysis.release(venues)
world:stop()
if not ok then error(err, 0) end
t.done()
