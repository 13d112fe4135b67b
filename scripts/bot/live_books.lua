-- Live order books kept between analysis rounds (bot/analysis.lua) for the legs of the last
-- round's top pairs, so the next round reads them without a request.
--
--   live_books.keep(venues, legs, config)    subscribe these, close the others kept before
--   live_books.fresh(venues, legs) -> {[i] = book}   copies of the fresh ones, BOOK_DEPTH levels
--   live_books.release(venues)               close all (the bot does while it holds a hedge)
--   live_books.count(venues) -> n            how many are subscribed with their snapshot in
--
-- A kept book is the client's own live book (client:watch_book): the venue's stream keeps it
-- current (snapshots, sequence checks, resnapshots after a gap). It stands in for a REST read only
-- while it is not stale (connected, no gap since its snapshot) and changed within
-- LIVE_BOOK_MAX_AGE_S. Nothing else in the bot watches books; books kept here are closed here.
local hedge = require "hedge"

local live_books = {}

local BOOK_DEPTH = 20   -- levels a round keeps per side (the REST reads ask for as many)
live_books.BOOK_DEPTH = BOOK_DEPTH
-- client -> {symbol = live book, or true while subscribing}
local watched = setmetatable({}, { __mode = "k" })
local LIVE_BOOK_MAX_AGE_S = 10
-- At most this many live books per venue (Pacifica allows 20 subscriptions per channel).
local MAX_WATCHED_PER_VENUE = 16

-- The top BOOK_DEPTH levels of a live book, copied: the round keeps a snapshot, not the live value.
local function fresh_copy(live)
  if live.stale or not live.updated_mono_ms or (hedge.mono_ms() - live.updated_mono_ms) > LIVE_BOOK_MAX_AGE_S * 1000 then
    return nil
  end
  local function top(levels)
    local out = {}
    for i = 1, math.min(#levels, BOOK_DEPTH) do out[i] = { price = levels[i].price, size = levels[i].size } end
    return out
  end
  return { symbol = live.symbol, bids = top(live.bids), asks = top(live.asks), timestamp = live.timestamp, source = "stream" }
end

-- live_books.keep(venues, legs, config): a live book for each leg ({venue, symbol}), subscribed
-- in the background (never in a round's way); the ones kept before that are not among the legs
-- are closed. config.scan_live_books = false keeps none.
function live_books.keep(venues, legs, config)
  if config.scan_live_books == false then return live_books.release(venues) end
  local wanted = {}
  for _, leg in ipairs(legs) do
    local client = venues[leg.venue]
    if client and client.watch_book and client.has and client.has.watch_book then
      wanted[client] = wanted[client] or {}
      wanted[client][leg.symbol] = true
    end
  end
  for _, client in pairs(venues) do
    local mine = watched[client] or {}
    watched[client] = mine
    for symbol, live in pairs(mine) do
      if not (wanted[client] and wanted[client][symbol]) then
        mine[symbol] = nil
        if live ~= true and live.close then pcall(live.close, live) end
      end
    end
    local count = 0
    for _ in pairs(mine) do count = count + 1 end
    for symbol in pairs(wanted[client] or {}) do
      if not mine[symbol] and count < MAX_WATCHED_PER_VENUE then
        count = count + 1
        mine[symbol] = true   -- subscribing
        local task = hedge.spawn(function()
          local ok, live = pcall(client.watch_book, client, symbol)
          if mine[symbol] ~= true then   -- no longer wanted meanwhile
            if ok and live and live.close then pcall(live.close, live) end
          elseif ok and live then
            mine[symbol] = live
          else
            mine[symbol] = nil
          end
        end)
        task.observed = true
      end
    end
  end
end

-- live_books.fresh(venues, legs) -> {[i] = book}: copies of the kept books of those legs that are
-- fresh (the others are left out: read them over REST).
function live_books.fresh(venues, legs)
  local out = {}
  for i, leg in ipairs(legs) do
    local mine = watched[venues[leg.venue]]
    local live = mine and mine[leg.symbol]
    if type(live) == "table" then out[i] = fresh_copy(live) end
  end
  return out
end

function live_books.release(venues)
  for _, client in pairs(venues) do
    local mine = watched[client]
    if mine then
      for symbol, live in pairs(mine) do
        mine[symbol] = nil
        if live ~= true and live.close then pcall(live.close, live) end
      end
    end
  end
end

function live_books.count(venues)
  local n = 0
  for _, client in pairs(venues) do
    for _, live in pairs(watched[client] or {}) do if live ~= true then n = n + 1 end end
  end
  return n
end

return live_books
