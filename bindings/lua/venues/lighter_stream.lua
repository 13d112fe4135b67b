-- Lighter WebSocket feeds for venues.lighter (lighter.md §4): one connection per client, kept
-- alive by venues.stream ({"type":"ping"} every ping_interval, a server {"type":"ping"} answered
-- with {"type":"pong"}, reconnect with back-off and jitter,
-- subscriptions resent in order, private ones with a fresh auth token each time).
--
--   local book = v:watch_book("ETH")      -- live: book.bids / book.asks ({price, size}), book.nonce,
--                                         -- book.stale, book.generation, book.snapshots,
--                                         -- book.resnapshots, book.gaps, book:wait_update(t), book:close()
--   local px = v:watch_prices()           -- live: px.tickers[symbol] (mark, mid, index, last,
--                                         -- volume_24h, open_interest, funding fields)
--                                         -- (px.stale / acct.stale between a drop and the
--                                         -- first frame after the reconnect)
--   local acct = v:watch_account()        -- live: acct.balance, acct.positions[symbol],
--                                         -- acct.orders[client_id or id], acct.fills, acct.txs,
--                                         -- acct.ended_while_away (open orders gone after a reconnect)
--
-- The order_book channel sends one full snapshot, then only changed levels with absolute sizes
-- (size 0 removes). Each update's begin_nonce must equal the nonce of the frame before it; when it
-- does not (a frame was lost) the book is marked stale, counted in book.gaps, and re-subscribed to
-- get a new snapshot: a book is never patched across a gap. Frames without sequence numbers are
-- applied as they come (older deployments). A frame that cannot be read is counted
-- (v.stream_errors, v.last_stream_error, kind bad_response) and never stops the stream.
local B = require "venues.base"
local stream = require "venues.stream"
local lp = require "lighter.parse"

local M = {}

local MARK_FRESH_MS = 5000

local function subscribe_text(channel, auth)
  if auth then return ('{"type":"subscribe","channel":"%s","auth":"%s"}'):format(channel, auth) end
  return ('{"type":"subscribe","channel":"%s"}'):format(channel)
end
local function unsubscribe_text(channel) return ('{"type":"unsubscribe","channel":"%s"}'):format(channel) end

local push_bounded, apply_levels, sorted_levels = stream.push_bounded, stream.apply_levels, stream.sorted_levels

function M.extend(Client, L)
  local handlers = {}

  local function resnapshot(self, book)
    book.stale = true
    book.awaiting_snapshot = true
    self._ws:resubscribe(book.key, unsubscribe_text(book.channel), subscribe_text(book.channel))
    book:_updated()
  end

  function handlers.order_book(self, frame)
    local d = frame.data
    local book = d and self._books_by_id[d.market_id]
    if not book then return end
    if d.snapshot then
      book._asks, book._bids = {}, {}
      apply_levels(book._asks, d.asks)
      apply_levels(book._bids, d.bids)
      if book.snapshots > 0 then book.resnapshots = book.resnapshots + 1 end
      book.snapshots = book.snapshots + 1
      book.stale, book.awaiting_snapshot = false, false
      book.generation = self._ws.generation
    else
      if book.awaiting_snapshot then return end   -- deltas after a gap wait for the new snapshot
      local gap = false
      if d.begin_nonce ~= nil and book.nonce ~= nil then gap = d.begin_nonce ~= book.nonce
      elseif d.offset ~= nil and book.offset ~= nil then gap = d.offset < book.offset end
      if gap then
        book.gaps = book.gaps + 1
        book.last_gap = { expected = book.nonce, got = d.begin_nonce }
        resnapshot(self, book)
        return
      end
      apply_levels(book._asks, d.asks)
      apply_levels(book._bids, d.bids)
    end
    book.nonce, book.offset = d.nonce or book.nonce, d.offset or book.offset
    book.timestamp = d.timestamp or frame.timestamp
    book.asks, book.bids = sorted_levels(book._asks, false), sorted_levels(book._bids, true)
    book:_updated()
  end

  function handlers.market_stats(self, frame)
    local live = self._prices_live
    for _, s in ipairs(frame.data or {}) do
      local m = self._by_id[s.market_id]
      local symbol = m and m.symbol or s.symbol
      if symbol then
        local t = {
          symbol = symbol, market_id = s.market_id, mark = B.dec(s.mark_price), mid = B.dec(s.mid_price),
          index = B.dec(s.index_price), last = B.dec(s.last_trade_price), volume_24h = B.dec(s.volume_24h),
          open_interest = B.dec(s.open_interest), funding_rate = s.funding_rate, current_funding_rate = s.current_funding_rate,
          funding_timestamp = s.funding_timestamp, timestamp = frame.timestamp, info = s.info, source = "stream",
        }
        if t.mark then B.remember_mark(self, symbol, t.mark, MARK_FRESH_MS) end
        if live then live.tickers[symbol] = t end
      end
    end
    if live then live.timestamp, live.stale = frame.timestamp or live.timestamp, false; live:_updated() end
  end

  function handlers.user_stats(self, frame)
    local acct, s = self._account_live, frame.data
    if not acct or not s then return end
    acct.balance = {
      currency = "USD", equity = B.dec(s.portfolio_value), available = B.dec(s.available_balance),
      balance = B.dec(s.collateral), leverage = B.dec(s.leverage), margin_usage = B.dec(s.margin_usage),
      timestamp = frame.timestamp,
    }
    acct.stale = false
    acct:_updated()
  end

  -- Each row is the latest full state of that market's position (§4.3: deltas or not is not
  -- documented), so rows replace; flat rows remove.
  function handlers.account_all_positions(self, frame)
    local acct = self._account_live
    if not acct then return end
    for _, p in ipairs(frame.data or {}) do
      local pos = self:_to_position(p)
      if p.open then acct.positions[pos.symbol] = pos else acct.positions[pos.symbol] = nil end
    end
    acct.positions_seen, acct.stale = true, false
    acct:_updated()
  end

  function handlers.account_all_orders(self, frame)
    local acct = self._account_live
    if not acct then return end
    if frame.snapshot then
      -- The first frame after (re)subscribing lists the open orders: an order we still hold as
      -- open that is not among them ended while we were away. Its final state is one REST call
      -- away (order(client_id)); here it leaves the live map rather than stay "open" forever.
      local listed = {}
      for _, o in ipairs(frame.data or {}) do listed[o.order_id] = true end
      for key, order in pairs(acct.orders) do
        if order.status == "open" and not listed[order.id] then
          acct.orders[key] = nil
          push_bounded(acct.ended_while_away, order)
        end
      end
    end
    for _, o in ipairs(frame.data or {}) do
      local order = self:_to_order(o)
      acct.orders[order.client_id or order.id] = order
      push_bounded(acct.order_events, order)
    end
    acct.orders_seen = true
    acct:_updated()
  end
  handlers.account_orders = handlers.account_all_orders

  function handlers.account_all_trades(self, frame)
    local acct = self._account_live
    if not acct then return end
    for _, t in ipairs(frame.data or {}) do
      local we_bid = t.bid_account_id == self.account_index
      local maker = (t.is_maker_ask and not we_bid) or (not t.is_maker_ask and we_bid)
      local m = self._by_id[t.market_id]
      push_bounded(acct.fills, {
        id = ("%d"):format(t.trade_id), symbol = m and m.symbol or tostring(t.market_id), side = we_bid and "buy" or "sell",
        role = maker and "maker" or "taker", price = B.dec(t.price), size = B.dec(t.size), usd_amount = B.dec(t.usd_amount),
        order_index = we_bid and t.bid_id or t.ask_id, client_id = self:_client_id_of(we_bid and t.bid_client_id or t.ask_client_id),
        fee_ppm = maker and t.maker_fee or t.taker_fee, tx_hash = t.tx_hash, timestamp = t.timestamp, info = t.info,
      })
    end
    acct:_updated()
  end

  function handlers.account_tx(self, frame)
    local acct = self._account_live
    if not acct then return end
    for _, tx in ipairs(frame.data or {}) do push_bounded(acct.txs, tx) end
    acct:_updated()
  end

  local function on_message(self, text)
    local frame, err = lp.ws(text)
    if not frame then return stream.note_error(self, err, text) end
    -- The venue may ping too: answer at once (§4.2).
    if frame.type == "ping" then
      self.server_pings = (self.server_pings or 0) + 1
      self._ws:send('{"type":"pong"}')
      return
    end
    if frame.type == "error" then return stream.note_error(self, frame.message or "error frame", text, { code = frame.code }) end
    local handler = frame.kind and handlers[frame.kind == "spot_market_stats" and "market_stats" or frame.kind]
    if handler then handler(self, frame) end
  end

  -- Private channels carry an auth token; a reconnect resubscribes them with a fresh one.
  local function on_connect(self)
    for key, channel in pairs(self._private_subs) do
      local token = self:auth_token()
      if token and self._ws.subs[key] then self._ws.subs[key] = subscribe_text(channel, token) end
    end
  end

  -- Between a drop and the first frame after the reconnect every live value is stale.
  local function on_disconnect(self)
    for _, book in pairs(self._books) do
      book:mark_stale()
      book.awaiting_snapshot = false
    end
    if self._prices_live then self._prices_live:mark_stale() end
    if self._account_live then self._account_live:mark_stale() end
  end

  function Client:_stream()
    if self._ws then return self._ws end
    if not self.ws_url then error("lighter: this client has no WebSocket URL", 3) end
    self._books, self._books_by_id, self._private_subs = {}, {}, {}
    self._live_marks, self.stream_errors = self._live_marks or {}, 0
    self._ws = stream.new {
      url = self.ws_url, name = "lighter", ping_text = '{"type":"ping"}', ping_interval = self.ping_interval,
      -- The venue drops sockets silent for ~2 minutes; treat a minute without frames as dead (§4.2).
      idle_timeout = math.max(60, 2 * self.ping_interval),
      on_message = function(text) on_message(self, text) end,
      on_connect = function() on_connect(self) end,
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
      local channel = ("order_book/%d"):format(m.id)
      book = stream.live {
        symbol = symbol, market_id = m.id, channel = channel, bids = {}, asks = {}, _bids = {}, _asks = {},
        stale = true, generation = 0, snapshots = 0, resnapshots = 0, gaps = 0,
      }
      self._books[symbol], self._books_by_id[m.id] = book, book
      s:subscribe_live(book, "book:" .. symbol, subscribe_text(channel), unsubscribe_text(channel),
        function() self._books[symbol], self._books_by_id[m.id] = nil, nil end)
    end
    return stream.await(self, "watch_book", book, function(b) return not b.stale end, opts.timeout,
      symbol .. " book snapshot", s)
  end

  -- Subscribes market_stats/all once (without waiting for its first frame). -> the stream
  function Client:_start_prices()
    local s = self:_stream()
    if not self._prices_live then
      self._prices_live = stream.live { tickers = {} }
      s:subscribe("market_stats", subscribe_text("market_stats/all"))
    end
    return s
  end

  -- watch_prices({timeout?}) -> live {tickers = {[symbol] = ticker}, timestamp} | nil, err
  function Client:watch_prices(opts)
    opts = B.check_options(opts, { timeout = "number" }, "watch_prices", 2)
    if not self._markets then
      local _, err = self:markets()
      if err then err.op = "watch_prices"; return nil, err end
    end
    local s = self:_start_prices()
    return stream.await(self, "watch_prices", self._prices_live, function(l) return next(l.tickers) ~= nil end,
      opts.timeout, "market_stats", s)
  end

  -- watch_account({timeout?}) -> live {balance, positions, orders, order_events, fills, txs} | nil, err
  function Client:watch_account(opts)
    opts = B.check_options(opts, { timeout = "number" }, "watch_account", 2)
    if not self.signer then return B.fail(self, "watch_account", "auth", "account channels need an API key (auth token)") end
    if not self._markets then
      local _, err = self:markets()
      if err then err.op = "watch_account"; return nil, err end
    end
    local s = self:_stream()
    if not self._account_live then
      self._account_live = stream.live { positions = {}, orders = {}, order_events = {}, fills = {}, txs = {}, ended_while_away = {} }
      local acct = ("%d"):format(self.account_index)
      local token, terr = self:auth_token()
      if not token then terr.op = "watch_account"; return nil, terr end
      s:subscribe("user_stats", subscribe_text("user_stats/" .. acct))
      for _, kind in ipairs { "account_all_positions", "account_all_orders", "account_all_trades", "account_tx" } do
        local channel = kind .. "/" .. acct
        self._private_subs[kind] = channel
        s:subscribe(kind, subscribe_text(channel, token))
      end
    end
    return stream.await(self, "watch_account", self._account_live,
      function(a) return a.balance ~= nil and a.positions_seen end, opts.timeout, "account snapshot", s)
  end

  -- Stops the stream (its task and connection). Live values stop changing.
  function Client:close()
    if self._ws then self._ws:close() end
  end

  L.subscribe_text = subscribe_text
end

return M
