-- Market metadata per venue client, kept between analysis rounds (bot/analysis.lua).
--
--   market_cache.get(client, ttl_seconds?) -> list | nil, err
--   market_cache.peek(client) -> list | nil        (no request)
--   market_cache.state(client) -> {list, loaded_ms, refreshes, refreshing, last_error} | nil
--   market_cache.forget(client)
--
-- Listings, steps, ticks and fees change rarely (the venues' docs say: load at start, refresh
-- every few minutes), so a round should not wait for them: the first call loads the markets; a
-- later call returns the cached list at once and, when it is older than ttl_seconds (300 by
-- default), starts one background refresh. The next round sees the refreshed list; a refresh
-- that fails keeps the old list (its error in last_error) and is tried again by the next call.
-- A ttl of 0 refreshes in the background on every call.
local hedge = require "hedge"

local market_cache = {}
market_cache.DEFAULT_TTL_S = 300

local entries = setmetatable({}, { __mode = "k" })

local function refresh(client, entry)
  entry.refreshing = true
  local task = hedge.spawn(function()
    local ok, list, err = pcall(client.markets, client)
    if ok and list then
      entry.list, entry.loaded_ms, entry.last_error = list, hedge.mono_ms(), nil
      entry.refreshes = entry.refreshes + 1
    else
      entry.last_error = ok and err or list
    end
    entry.refreshing = false
  end)
  task.observed = true   -- its outcome is the entry's state, not a lost error
end

function market_cache.get(client, ttl_s)
  ttl_s = ttl_s or market_cache.DEFAULT_TTL_S
  local entry = entries[client]
  if entry then
    if not entry.refreshing and (hedge.mono_ms() - entry.loaded_ms) >= ttl_s * 1000 then refresh(client, entry) end
    return entry.list
  end
  local list, err = client:markets()
  if not list then return nil, err end
  entries[client] = { list = list, loaded_ms = hedge.mono_ms(), refreshes = 0, refreshing = false }
  return list
end

function market_cache.peek(client)
  local entry = entries[client]
  return entry and entry.list or nil
end

function market_cache.state(client) return entries[client] end

function market_cache.forget(client) entries[client] = nil end

return market_cache
