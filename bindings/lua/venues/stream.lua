-- venues.stream: one venue WebSocket kept alive, venue-neutral.
--
--   local s = stream.new{url = "wss://...", name = "pacifica", ping_text = '{"method":"ping"}',
--                        on_message = function(text) ... end, on_connect = function(gen) end}
--   s:subscribe(key, text)     remembered; sent now when connected and again after every reconnect
--   s:unsubscribe(key, text)   forgotten; text (if any) sent when connected
--   s:send(text) -> true | nil, err;  s:wait_connected(timeout) -> true | nil, err;  s:close()
--   s.generation (1 for the first connection, +1 per reconnect), s.connected
-- url may be a function returning url, headers: it is called before every (re)connect, for
-- venues whose upgrade request carries a fresh signature.
--   s:subscribe_live(live, key, subscribe_text, unsubscribe_text, on_close)   a live value fed
--                              by one subscription, with live:close() to stop it
--   s:resubscribe(key, unsubscribe_text, subscribe_text)   a fresh snapshot (after a gap)
--
-- What the venue clients' feeds share besides: live values (stream.live; live:mark_stale()
-- from a drop to the next message), stream.await (a live value ready or a timeout error
-- naming the stream's last error), book levels kept by price (stream.apply_levels,
-- stream.sorted_levels), bounded histories (stream.push_bounded) and unreadable frames
-- counted on the client (stream.note_error).
--
-- A task owns the connection: it connects (with back-off between failures, reset once a
-- connection has lived), resends the subscriptions in the order they were made, sends the
-- keep-alive text when we have been silent for ping_interval, and reconnects when the peer
-- closes, the connection fails, nothing arrived for idle_timeout, or the connection is max_age
-- seconds old (venues cut connections at a fixed age). Handlers run in that task
-- and must not wait; an error they raise is logged and the stream carries on.
local hedge = require "hedge"
local D = require "hedge.decimal"
local B = require "venues.base"

local stream = {}
local Stream = {}
Stream.__index = Stream

-- A connection that lived this long resets the back-off to its first step.
local STABLE_AFTER_S = 10

local function log_line(level, name, text)
  local ok, log = pcall(require, "hedge.log")
  if ok and log and log[level] then log[level](name .. ".ws", text) else io.stderr:write(name, ".ws: ", text, "\n") end
end

local function log_warn(name, text) log_line("warn", name, text) end

function stream.new(opts)
  assert(type(opts) == "table" and (type(opts.url) == "string" or type(opts.url) == "function"),
    "stream.new: url required (a string, or a function returning url, headers)")
  assert(type(opts.on_message) == "function", "stream.new: on_message required")
  local s = setmetatable({
    url = opts.url, name = opts.name or "venue", headers = opts.headers,
    ping_text = opts.ping_text, ping_interval = opts.ping_interval or 30,
    idle_timeout = opts.idle_timeout or 90, connect_timeout = opts.connect_timeout or 10,
    max_age = opts.max_age,
    backoff_initial = opts.backoff_initial or 0.25, backoff_max = opts.backoff_max or 15,
    on_message = opts.on_message, on_connect = opts.on_connect, on_disconnect = opts.on_disconnect,
    generation = 0, connected = false, closed = false, last_error = nil,
    subs = {}, sub_order = {}, _connected_event = hedge.event(),
  }, Stream)
  return s
end

-- Starts the connection task (once).
function Stream:start()
  if self.task or self.closed then return self end
  self.task = hedge.spawn(function() self:_run() end)
  return self
end

local function call_handler(self, fn, ...)
  if not fn then return end
  local ok, err = pcall(fn, ...)
  if not ok then log_warn(self.name, "handler failed: " .. tostring(err)) end
end

function Stream:_send_now(text)
  local ok, err = self.conn:send(text)
  if ok then self._last_out = hedge.mono_ms() end
  return ok, err
end

-- One connection's life: subscriptions, then receive until it ends. Returns the error that
-- ended it.
function Stream:_serve(conn)
  self.conn, self.connected = conn, true
  self.generation = self.generation + 1
  local now = hedge.mono_ms()
  self._last_in, self._last_out, self._opened_ms = now, now, now
  call_handler(self, self.on_connect, self.generation)
  for _, key in ipairs(self.sub_order) do
    local text = self.subs[key]
    if text then self:_send_now(text) end
  end
  self._connected_event:set()
  while true do
    now = hedge.mono_ms()
    local quiet_out = (now - self._last_out) / 1000
    local quiet_in = (now - self._last_in) / 1000
    if quiet_in >= self.idle_timeout then
      return hedge.errors.new("timeout", ("nothing received for %g s"):format(self.idle_timeout), { op = "ws" })
    end
    if self.max_age and (now - self._opened_ms) / 1000 >= self.max_age then
      -- Venues close connections at a fixed age; leaving first picks the moment of the gap.
      return hedge.errors.new("network", ("rolling the connection after %g s"):format(self.max_age), { op = "ws" })
    end
    if self.ping_text and quiet_out >= self.ping_interval then
      local ok, err = self:_send_now(self.ping_text)
      if not ok then return err end
      quiet_out = 0
    end
    local wait = self.idle_timeout - quiet_in
    if self.ping_text then wait = math.min(wait, self.ping_interval - quiet_out) end
    local msg, err = conn:recv(math.max(wait, 0.001))
    if msg then
      self._last_in = hedge.mono_ms()
      call_handler(self, self.on_message, msg)
    elseif err.kind ~= "timeout" then
      return err
    end
  end
end

function Stream:_run()
  local backoff = self.backoff_initial
  while not self.closed do
    local url, headers = self.url, self.headers
    -- A venue whose upgrade request is signed needs fresh url/headers on every (re)connect.
    if type(url) == "function" then url, headers = url() end
    local conn, err = hedge.ws.connect(url, { timeout = self.connect_timeout, headers = headers })
    if conn then
      local started = hedge.mono_ms()
      local ok, why = pcall(self._serve, self, conn)
      self.connected, self.conn = false, nil
      self._connected_event = hedge.event()
      pcall(conn.close, conn)
      if not ok then
        if hedge.errors.is_cancelled(why) then error(why, 0) end
        why = hedge.errors.new("network", tostring(why), { op = "ws" })
      end
      err = why
      if (hedge.mono_ms() - started) / 1000 >= STABLE_AFTER_S then backoff = self.backoff_initial end
      call_handler(self, self.on_disconnect, err)
    end
    self.last_error = err
    if self.closed then break end
    -- Jitter spreads reconnects of many clients after a venue-wide drop.
    local pause = backoff * (0.75 + math.random() * 0.5)
    log_line("info", self.name, ("%s: %s; reconnecting in %.2f s"):format(conn and "connection lost" or "cannot connect",
      tostring(err), pause))
    hedge.sleep(pause)
    backoff = math.min(backoff * 2, self.backoff_max)
  end
end

function Stream:subscribe(key, text)
  if self.subs[key] == nil then self.sub_order[#self.sub_order + 1] = key end
  self.subs[key] = text
  self:start()
  if self.connected then return self:_send_now(text) end
  return true
end

function Stream:unsubscribe(key, text)
  if self.subs[key] == nil then return true end
  self.subs[key] = nil
  for i = #self.sub_order, 1, -1 do if self.sub_order[i] == key then table.remove(self.sub_order, i) end end
  if text and self.connected then return self:_send_now(text) end
  return true
end

-- Subscribes live to key and gives it close(): on_close (to forget it), closed = true, and the
-- unsubscription. -> live
function Stream:subscribe_live(live, key, subscribe_text, unsubscribe_text, on_close)
  live.key = key
  live.close = function(l)
    if on_close then on_close(l) end
    l.closed = true
    return self:unsubscribe(key, unsubscribe_text)
  end
  self:subscribe(key, subscribe_text)
  return live
end

-- Unsubscribes and subscribes key again: venues answer a new subscription with a snapshot.
function Stream:resubscribe(key, unsubscribe_text, subscribe_text)
  self:unsubscribe(key, unsubscribe_text)
  return self:subscribe(key, subscribe_text)
end

function Stream:send(text)
  if not self.connected then
    return nil, hedge.errors.new("network", self.name .. " WebSocket is not connected", { op = "ws.send", venue = self.name })
  end
  return self:_send_now(text)
end

function Stream:wait_connected(timeout)
  self:start()
  if self.connected then return true end
  local ok, err = self._connected_event:wait(timeout)
  if ok then return true end
  local last = self.last_error and (": last error: " .. tostring(self.last_error)) or ""
  return nil, hedge.errors.new("timeout", ("%s WebSocket not connected within %g s%s"):format(self.name, timeout, last),
    { op = "ws.connect", venue = self.name })
end

function Stream:close()
  self.closed = true
  if self.conn then pcall(self.conn.close, self.conn) end
  if self.task then self.task:cancel() end
  self.connected = false
end

-- ---- live values ----------------------------------------------------------------------------------

-- A value a stream keeps current (a book, the account). Writers call w:_updated(); readers
-- w:wait_update(timeout) for the next change, or w:wait(pred, timeout) for a condition.
local Live = {}
Live.__index = Live
stream.Live = Live

function stream.live(fields)
  local w = setmetatable(fields or {}, Live)
  w.updates = w.updates or 0
  rawset(w, "_event", hedge.event())
  return w
end

function Live:_updated()
  self.updates = self.updates + 1
  self.updated_mono_ms = hedge.mono_ms()
  local ev = self._event
  self._event = hedge.event()   -- waiters of this change are released; later ones wait anew
  ev:set()
end

-- Marks the value stale (and wakes its waiters) unless it already is.
function Live:mark_stale()
  if self.stale then return end
  self.stale = true
  self:_updated()
end

-- Waits for an update after the current one. -> true | nil, err (timeout)
function Live:wait_update(timeout)
  local seen = self.updates
  local deadline = hedge.mono_ms() + (timeout or 10) * 1000
  while self.updates == seen do
    local remaining = (deadline - hedge.mono_ms()) / 1000
    if remaining <= 0 or not self._event:wait(remaining) then
      return nil, hedge.errors.new("timeout", ("no update within %g s"):format(timeout or 10), { op = "wait_update" })
    end
  end
  return true
end

-- Waits until pred(self) is true. -> true | nil, err (timeout)
function Live:wait(pred, timeout)
  local deadline = hedge.mono_ms() + (timeout or 10) * 1000
  while not pred(self) do
    local remaining = (deadline - hedge.mono_ms()) / 1000
    if remaining <= 0 or not self._event:wait(remaining) then
      if pred(self) then return true end
      return nil, hedge.errors.new("timeout", ("condition not met within %g s"):format(timeout or 10), { op = "wait" })
    end
  end
  return true
end

-- ---- what the venue feeds share -----------------------------------------------------------------

-- Whether a live value can stand in for a REST read: it exists, is not stale (connected since
-- its last message) and changed within max_age_s. Venues send all-markets channels at least
-- every few seconds; a quiet channel on a live connection is not trusted beyond max_age_s.
function stream.fresh(live, max_age_s)
  return live ~= nil and not live.stale and live.updated_mono_ms ~= nil
    and (hedge.mono_ms() - live.updated_mono_ms) <= max_age_s * 1000
end

-- live once ready(live) holds, or nil and a timeout error of client's op naming what did not
-- arrive ("no BTC book snapshot within 10 s") and s's last connection error, if any.
function stream.await(client, op, live, ready, timeout, what, s)
  timeout = timeout or client.timeout or 10
  if live:wait(ready, timeout) then return live end
  local last = s and s.last_error
  return B.fail(client, op, "timeout", ("no %s within %g s%s"):format(what, timeout,
    last and ("; last stream error: " .. tostring(last)) or ""))
end

-- A frame that could not be read: counted (client.stream_errors) and kept as
-- client.last_stream_error (bad_response, with the raw text); the stream carries on.
function stream.note_error(client, msg, raw, fields)
  client.stream_errors = (client.stream_errors or 0) + 1
  local f = { raw = raw and raw:sub(1, 4096) }
  if fields then for k, v in pairs(fields) do f[k] = v end end
  client.last_stream_error = B.error(client, "stream", "bad_response", msg, f)
end

-- Appends item and drops the oldest beyond keep (200 by default): fills and order events.
function stream.push_bounded(list, item, keep)
  list[#list + 1] = item
  if #list > (keep or 200) then table.remove(list, 1) end
end

-- Applies {price, size} levels (decimal text, absolute sizes; size 0 removes the level) to a
-- map keyed by the normalised price, so "100" and "100.0" are one level.
function stream.apply_levels(map, levels)
  for _, l in ipairs(levels) do
    local price, size = D(l.price), D(l.size)
    local key = tostring(price:normalize())
    if size:is_zero() then map[key] = nil else map[key] = { price = price, size = size } end
  end
end

-- The levels of such a map as a list, best first (bids descending, asks ascending), at most
-- limit of them when limit is given.
function stream.sorted_levels(map, descending, limit)
  local out = {}
  for _, level in pairs(map) do out[#out + 1] = level end
  if descending then table.sort(out, function(a, b) return a.price > b.price end)
  else table.sort(out, function(a, b) return a.price < b.price end) end
  if limit then for i = #out, limit + 1, -1 do out[i] = nil end end
  return out
end

return stream
