-- Pacifica WebSocket feeds for venues.pacifica (spec §6): one connection per client, kept alive
-- by venues.stream (JSON ping, reconnect with back-off, subscriptions resent).
--
--   local book = v:watch_book("BTC")      -- live: book.bids / book.asks ({price, size, orders}),
--                                         -- book.timestamp, book.stale, book.generation,
--                                         -- book.snapshots, book:wait_update(t), book:close()
--   local px = v:watch_prices()           -- live: px.tickers[symbol], px.funding[symbol]
--   local acct = v:watch_account()        -- live: acct.balance, acct.positions[symbol],
--                                         -- acct.orders[client_id or id], acct.fills
--                                         -- (px.stale / acct.stale between a drop and the
--                                         -- first message after the reconnect)
--
-- Pacifica sends a full book (up to 10 levels a side) about every 100 ms, so each book message
-- replaces the book. When the connection drops the books are marked stale until the snapshot
-- after the reconnect. A frame that cannot be read is counted (v.stream_errors) and kept as
-- v.last_stream_error (kind bad_response); it never stops the stream.
local B = require "venues.base"
local stream = require "venues.stream"
local pp = require "pacifica.parse"

local M = {}

local function subscribe_text(method, params)
  local parts = {}
  for _, kv in ipairs(params) do
    local v = kv[2]
    parts[#parts + 1] = ('"%s":%s'):format(kv[1], type(v) == "number" and ("%d"):format(v) or ('"' .. v .. '"'))
  end
  return ('{"method":"%s","params":{%s}}'):format(method, table.concat(parts, ","))
end

local push_bounded = stream.push_bounded

function M.extend(Client, P)
  local handlers = {}

  function handlers.book(self, data)
    local book = self._books[data.symbol]
    if not book then return end
    book.bids, book.asks = P.to_levels(data.bids), P.to_levels(data.asks)
    book.timestamp, book.info = data.timestamp, data.info
    if book.stale and book.snapshots > 0 then book.resnapshots = book.resnapshots + 1 end
    book.stale, book.generation = false, self._ws.generation
    book.snapshots = book.snapshots + 1
    book:_updated()
  end

  function handlers.prices(self, rows)
    local live = self._prices_live
    self:_remember_marks(rows)
    for _, row in ipairs(rows) do
      if live then
        local t = P.to_ticker(row)
        t.source = "stream"
        live.tickers[row.symbol] = t
        live.timestamp = row.timestamp or live.timestamp
      end
    end
    if live then live.stale = false; live:_updated() end
  end

  function handlers.account_info(self, data)
    local acct = self._account_live
    if not acct then return end
    acct.balance = P.to_balance(data)
    acct.stale = false
    acct:_updated()
  end

  -- Treated as the full list of open positions (what the venue sends on subscribe; whether
  -- later messages are full lists is unsure in the spec, so REST stays the reconciliation).
  function handlers.account_positions(self, rows)
    local acct = self._account_live
    if not acct then return end
    local positions = {}
    for _, p in ipairs(rows) do positions[p.symbol] = P.to_position(p) end
    acct.positions = positions
    acct.positions_seen = true
    acct:_updated()
  end

  local STATUS = { open = "open", partially_filled = "open", filled = "filled", cancelled = "cancelled", rejected = "rejected" }

  function handlers.account_order_updates(self, rows)
    local acct = self._account_live
    if not acct then return end
    for _, o in ipairs(rows) do
      local order = P.to_order(o)
      order.status = STATUS[o.status] or o.status
      order.event = o.event
      acct.orders[order.client_id or order.id] = order
      push_bounded(acct.order_events, order)
    end
    acct:_updated()
  end

  function handlers.account_trades(self, rows)
    local acct = self._account_live
    if not acct then return end
    for _, t in ipairs(rows) do
      push_bounded(acct.fills, {
        id = B.id_text(t.history_id), order_id = B.id_text(t.order_id),
        client_id = t.client_order_id, symbol = t.symbol, price = B.dec(t.price), size = B.dec(t.amount),
        fee = B.dec(t.fee), pnl = B.dec(t.pnl), side = t.side, role = t.event_type == "fulfill_maker" and "maker" or "taker",
        timestamp = t.created_at, info = t.info,
      })
    end
    acct:_updated()
  end

  local function on_message(self, text)
    local frame, err = pp.ws(text)
    if not frame then return stream.note_error(self, err, text) end
    local handler = frame.channel and handlers[frame.channel]
    if handler then handler(self, frame.data) end
  end

  -- Everything a stream keeps is stale from a drop until its first message on the new
  -- connection (books and prices) or the account snapshot (account). Order updates sent while
  -- we were away are lost: reconcile with open_orders / order() after a reconnect.
  local function on_disconnect(self)
    for _, live in pairs(self._books) do live:mark_stale() end
    if self._prices_live then self._prices_live:mark_stale() end
    if self._account_live then self._account_live:mark_stale() end
  end

  function Client:_stream()
    if self._ws then return self._ws end
    self._books, self.stream_errors = {}, 0
    self._ws = stream.new {
      url = self.ws_url, name = "pacifica", ping_text = '{"method":"ping"}', ping_interval = self.ping_interval,
      idle_timeout = math.max(90, 3 * self.ping_interval),
      -- The venue closes every connection after 24 h (spec §6.1): roll it a little before.
      max_age = self.ws_max_age or 23.5 * 3600,
      headers = self.api_key and { ["PF-API-KEY"] = self.api_key } or nil,
      on_message = function(text) on_message(self, text) end,
      on_disconnect = function() on_disconnect(self) end,
    }
    return self._ws
  end

  -- watch_book(symbol, {timeout?}) -> live book once its first snapshot arrived | nil, err
  function Client:watch_book(symbol, opts)
    if type(symbol) ~= "string" then error("watch_book: symbol must be a string", 2) end
    opts = B.check_options(opts, { timeout = "number" }, "watch_book", 2)
    local m, err = self:market(symbol)
    if not m then err.op = "watch_book"; return nil, err end
    local s = self:_stream()
    local book = self._books[symbol]
    if not book then
      local params = { { "source", "book" }, { "symbol", m.id }, { "agg_level", 1 } }
      book = stream.live { symbol = symbol, bids = {}, asks = {}, stale = true, generation = 0, snapshots = 0, resnapshots = 0 }
      self._books[symbol] = book
      s:subscribe_live(book, "book:" .. symbol, subscribe_text("subscribe", params), subscribe_text("unsubscribe", params),
        function() self._books[symbol] = nil end)
    end
    return stream.await(self, "watch_book", book, function(b) return not b.stale end, opts.timeout,
      symbol .. " book snapshot", s)
  end

  -- watch_prices({timeout?}) -> live {tickers = {[symbol] = ticker}, timestamp} | nil, err
  function Client:watch_prices(opts)
    opts = B.check_options(opts, { timeout = "number" }, "watch_prices", 2)
    local s = self:_stream()
    if not self._prices_live then
      self._prices_live = stream.live { tickers = {}, stale = true }
      s:subscribe("prices", subscribe_text("subscribe", { { "source", "prices" } }))
    end
    return stream.await(self, "watch_prices", self._prices_live, function(l) return next(l.tickers) ~= nil end,
      opts.timeout, "prices", s)
  end

  -- watch_account({timeout?}) -> live {balance, positions, orders, order_events, fills} | nil, err
  function Client:watch_account(opts)
    opts = B.check_options(opts, { timeout = "number" }, "watch_account", 2)
    local s = self:_stream()
    if not self._account_live then
      self._account_live = stream.live { positions = {}, orders = {}, order_events = {}, fills = {}, stale = true }
      for _, channel in ipairs { "account_info", "account_positions", "account_order_updates", "account_trades" } do
        s:subscribe(channel, subscribe_text("subscribe", { { "source", channel }, { "account", self.account } }))
      end
    end
    return stream.await(self, "watch_account", self._account_live,
      function(a) return a.balance ~= nil and a.positions_seen end, opts.timeout, "account snapshot", s)
  end

  -- Stops the stream (its task and connection). Live values stop changing.
  function Client:close()
    if self._ws then self._ws:close() end
  end
end

return M
