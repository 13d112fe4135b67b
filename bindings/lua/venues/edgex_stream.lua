-- edgeX WebSocket feeds for venues.edgex (spec §5, V.9), each connection kept alive by
-- venues.stream (reconnect with back-off, subscriptions resent):
--
--   local book = v:watch_book("BTC")     -- live: book.bids / book.asks ({price, size}), book.version,
--                                        -- book.stale, book.generation, book.snapshots, book.resnapshots,
--                                        -- book.gaps, book:wait_update(t), book:close()
--   local px = v:watch_prices()          -- live: px.tickers[symbol] (ticker.all.1s), px.funding[symbol] (v2)
--   v:tickers(symbols?)                  -- every contract's ticker: the stream when fresh, else REST
--   local acct = v:watch_account()       -- live: acct.positions[symbol], acct.orders[client_id or id],
--                                        -- acct.fills, acct.collateral, acct.balance (read after each event)
--                                        -- (px.stale / acct.stale from a drop until the first message,
--                                        -- or for the account the Snapshot, of the new connection)
--
-- Heartbeat: the venue sends {"type":"ping","time"} and closes after 5 unanswered; every ping is
-- answered with {"type":"pong","time":<same>}, and we ping it when we have been silent.
--
-- Depth (the interpretation implemented; the docs say both "size 0 deletes a level" and "positive
-- increases, negative decreases"): a SNAPSHOT replaces the book; a CHANGED record carries the
-- levels whose size changed with their new ABSOLUTE size, "0" removing the level. Each record
-- covers versions startVersion..endVersion; a CHANGED record whose startVersion is not the last
-- endVersion + 1 means a message was lost: the book is marked stale and the channel resubscribed,
-- which brings a fresh SNAPSHOT. After a reconnect the first SNAPSHOT is the new baseline.
-- The private stream needs no subscription; its first trade-event Snapshot after every
-- (re)connect is the new baseline of positions and open orders.
local hedge = require "hedge"
local B = require "venues.base"
local stream = require "venues.stream"
local ep = require "edgex.parse"

local M = {}

local PUBLIC_PATH, PRIVATE_PATH = "/api/v1/public/ws", "/api/v1/private/ws"
local MARK_FRESH_MS = 5000

local function sub_text(kind, channel) return ('{"type":"%s","channel":"%s"}'):format(kind, channel) end

local push_bounded, apply_levels, sorted_levels = stream.push_bounded, stream.apply_levels, stream.sorted_levels

function M.extend(Client, E)
  local S = E.shapes

  local stream_error = stream.note_error

  -- ---- depth ---------------------------------------------------------------------------------

  local function resnapshot(self, book)
    book.stale = true
    book.gaps = book.gaps + 1
    self._public_ws:resubscribe(book.key, sub_text("unsubscribe", book.channel), sub_text("subscribe", book.channel))
    book:_updated()
  end

  local function on_depth(self, rec)
    local book = self._books_by_contract[rec.contract_id]
    if not book then return end
    if rec.snapshot then
      book._bids, book._asks = {}, {}
      apply_levels(book._bids, rec.bids)
      apply_levels(book._asks, rec.asks)
      if book.stale and book.snapshots > 0 then book.resnapshots = book.resnapshots + 1 end
      book.snapshots = book.snapshots + 1
      book.stale, book.generation = false, self._public_ws.generation
    else
      if book.stale then return end   -- an increment before its snapshot: wait for the snapshot
      if rec.start_version and book.version and rec.start_version ~= book.version + 1 then
        return resnapshot(self, book)
      end
      apply_levels(book._bids, rec.bids)
      apply_levels(book._asks, rec.asks)
    end
    book.version = rec.end_version
    book.bids = sorted_levels(book._bids, true, book.level)
    book.asks = sorted_levels(book._asks, false, book.level)
    -- a crossed book can only come from a missed update
    if book.bids[1] and book.asks[1] and book.bids[1].price >= book.asks[1].price then return resnapshot(self, book) end
    book:_updated()
  end

  -- ---- tickers and funding -----------------------------------------------------------------------

  local function on_ticker(self, row)
    local m = self._meta and self._meta.by_id[row.contract_id]
    if not m then return end
    local t = S.ticker(row, m)
    t.source = "stream"
    if t.mark then B.remember_mark(self, m.symbol, t.mark, MARK_FRESH_MS) end
    local live = self._prices_live
    if live then
      live.tickers[m.symbol] = t
      live.stale = false
      live:_updated()
    end
  end

  local function on_funding(self, row)
    local m = self._meta and self._meta.by_id[row.contract_id]
    local live = self._prices_live
    if not (m and live) then return end
    live.funding[m.symbol] = S.funding(row, m)
    live.stale = false
    live:_updated()
  end

  local function on_public(self, text)
    local f, err = ep.ws(text)
    if not f then return stream_error(self, err, text) end
    if f.type == "ping" then
      self._public_ws:send(('{"type":"pong","time":"%s"}'):format(f.time or ""))
    elseif f.type == "error" then
      self.last_stream_error = B.error(self, "stream", f.error_code == "INVALID_CONTRACT_ID" and "bad_symbol" or "invalid_order",
        ("%s: %s"):format(f.error_code or "error", f.error_msg or ""))
    elseif f.type == "quote" then
      for _, rec in ipairs(f.data) do
        if f.kind == "depth" then on_depth(self, rec)
        elseif f.kind == "ticker" then on_ticker(self, rec)
        elseif f.kind == "funding" then on_funding(self, rec) end
      end
    end
  end

  -- Books and prices are stale from a drop until their first message on the new connection.
  local function on_public_disconnect(self)
    for _, book in pairs(self._books_by_contract) do book:mark_stale() end
    if self._prices_live then self._prices_live:mark_stale() end
  end

  function Client:_public_stream()
    if self._public_ws then return self._public_ws end
    self._books_by_contract = {}
    self.stream_errors = self.stream_errors or 0
    self._public_ws = stream.new {
      url = self.ws_base .. PUBLIC_PATH, name = "edgex", ping_text = '{"type":"ping","time":"0"}',
      ping_interval = self.ping_interval, idle_timeout = math.max(90, 3 * self.ping_interval),
      on_message = function(text) on_public(self, text) end,
      on_disconnect = function() on_public_disconnect(self) end,
    }
    return self._public_ws
  end

  -- watch_book(symbol, {timeout?, level = 15 | 200}) -> live book once its first snapshot arrived
  function Client:watch_book(symbol, opts)
    if type(symbol) ~= "string" then error("watch_book: symbol must be a string", 2) end
    opts = B.check_options(opts, { timeout = "number", level = "number" }, "watch_book", 2)
    if opts.level and opts.level ~= 15 and opts.level ~= 200 then error("watch_book: level must be 15 or 200", 2) end
    local m, err = self:market(symbol)
    if not m then err.op = "watch_book"; return nil, err end
    local s = self:_public_stream()
    local book = self._books_by_contract[m.id]
    if not book then
      local level = opts.level or 15
      local channel = ("depth.%s.%d"):format(m.id, level)
      book = stream.live { symbol = symbol, channel = channel, level = level, bids = {}, asks = {},
                           _bids = {}, _asks = {}, stale = true, generation = 0, snapshots = 0, resnapshots = 0, gaps = 0 }
      self._books_by_contract[m.id] = book
      s:subscribe_live(book, "depth:" .. m.id, sub_text("subscribe", channel), sub_text("unsubscribe", channel),
        function() self._books_by_contract[m.id] = nil end)
    end
    return stream.await(self, "watch_book", book, function(b) return not b.stale end, opts.timeout,
      symbol .. " depth snapshot", s)
  end

  -- Subscribes the all-contracts tickers (and v2 funding) once, without waiting. -> the stream
  function Client:_start_prices()
    local s = self:_public_stream()
    if not self._prices_live then
      self._prices_live = stream.live { tickers = {}, funding = {}, stale = true }
      s:subscribe("ticker.all", sub_text("subscribe", "ticker.all.1s"))
      if self.api_version == "v2" then s:subscribe("funding.all", sub_text("subscribe", "fundingRate.all")) end
    end
    return s
  end

  -- watch_prices({timeout?}) -> live {tickers = {[symbol] = ticker}, funding = {[symbol] = funding}}
  function Client:watch_prices(opts)
    opts = B.check_options(opts, { timeout = "number" }, "watch_prices", 2)
    local meta, err = self:_metadata("watch_prices")
    if not meta then return nil, err end
    local s = self:_start_prices()
    return stream.await(self, "watch_prices", self._prices_live, function(l) return next(l.tickers) ~= nil end,
      opts.timeout, "tickers", s)
  end

  -- tickers(symbols?) -> {[symbol] = ticker} for every contract (or the listed symbols): from the
  -- ticker.all.1s stream when it is fresh (a message within ticker_max_age seconds, no drop
  -- since), with no request; else over REST — v1 one getTicker for all contracts, v2 (one
  -- contract per call, spec V.4) one getTicker per symbol, all started together and paced by the
  -- public request budget — and the stream is started for the next call. No mid (the REST ticker
  -- has no best bid/ask; ticker() reads the depth for it). A contract without an answer is left
  -- out; when none answers, the first error is returned. Each ticker says its source.
  function Client:tickers(symbols)
    local markets, err = self:_markets_of(symbols, "tickers")
    if not markets then return nil, err end
    local out = {}
    local live = self._prices_live
    if stream.fresh(live, self.ticker_max_age) then
      for _, m in ipairs(markets) do out[m.symbol] = live.tickers[m.symbol] end
      return out
    end
    self:_start_prices()
    local rows, first_err = {}, nil
    if self.api_version == "v1" then
      local r, terr = self:_public("tickers", "quote/getTicker", nil, "tickers")
      if not r then return nil, terr end
      rows = r.data
    elseif #markets > 0 then
      local calls = {}
      for i, m in ipairs(markets) do
        calls[i] = function() return self:_public("tickers", "quote/getTicker", { contractId = m.id }, "tickers") end
      end
      local results, errs = hedge.parallel(unpack(calls))
      for i = 1, #markets do
        if results[i] then
          for _, row in ipairs(results[i].data) do rows[#rows + 1] = row end
        else
          first_err = first_err or errs[i]
        end
      end
      if #rows == 0 and first_err then return nil, first_err end
    end
    local by_id = {}
    for _, row in ipairs(rows) do by_id[row.contract_id] = row end
    for _, m in ipairs(markets) do
      local row = by_id[m.id]
      if row and row.oracle_price then
        out[m.symbol] = S.ticker(row, m)
        out[m.symbol].source = "rest"
      end
    end
    return out
  end

  -- ---- private account stream ------------------------------------------------------------------

  -- Re-reads the balance (the stream carries the raw collateral, not equity) in its own task,
  -- one at a time: handlers must not wait.
  local function refresh_balance(self, acct)
    if acct._refreshing then acct._refresh_again = true; return end
    acct._refreshing = true
    hedge.spawn(function()
      repeat
        acct._refresh_again = false
        local b = self:balance()
        if b then acct.balance = b; acct:_updated() end
      until not acct._refresh_again
      acct._refreshing = false
    end)
  end

  local function on_trade_event(self, f)
    local acct = self._account_live
    if not acct then return end
    local data = f.data
    local by_id = self._meta and self._meta.by_id or {}
    if f.snapshot then acct.positions, acct.orders = {}, {} end
    for _, p in ipairs(data.position or {}) do
      local m = by_id[p.contract_id]
      if m then acct.positions[m.symbol] = S.position(p, nil, m) end
    end
    for _, o in ipairs(data.order or {}) do
      local order = S.order(o, by_id[o.contract_id])
      acct.orders[order.client_id or order.id] = order
      push_bounded(acct.order_events, order)
    end
    for _, fill in ipairs(data.fill or {}) do push_bounded(acct.fills, S.fill(fill, by_id[fill.contract_id])) end
    for _, c in ipairs(data.collateral or {}) do
      local coin = self._meta and self._meta.collateral
      if not coin or c.coin_id == coin.coin_id then acct.collateral = S.dec(c.amount) end
    end
    if data.account then self._account = data.account end
    acct.version, acct.last_event = f.version, f.event
    if f.snapshot then acct.snapshots, acct.stale = acct.snapshots + 1, false end
    acct:_updated()
    refresh_balance(self, acct)
  end

  local function on_private(self, text)
    local f, err = ep.ws(text)
    if not f then return stream_error(self, err, text) end
    if f.type == "ping" then
      self._private_ws:send(('{"type":"pong","time":"%s"}'):format(f.time or ""))
    elseif f.type == "trade_event" then
      on_trade_event(self, f)
    elseif f.type == "error" then
      self.last_stream_error = B.error(self, "stream", "auth", ("%s: %s"):format(f.error_code or "error", self._redact(f.error_msg or "")))
    end
  end

  -- The private upgrade carries request-auth headers whose timestamp must be fresh on every
  -- (re)connect (±60 s, V.5): the stream asks for url and headers before each connect (v2 wants
  -- the same timestamp in the query and the header).
  local function fresh_auth(self)
    local ts = self:now_ms()
    local a
    if self.api_version == "v2" then
      a = self.signer:ws_auth { account_id = self.account_id, timestamp_ms = ts }
    else
      a = self.signer:sign_request { method = "GET", path = PRIVATE_PATH, query = { accountId = self.account_id }, timestamp_ms = ts }
    end
    -- a signing failure leaves the upgrade unsigned: the venue refuses it and the stream retries
    if not a then return self.ws_base .. PRIVATE_PATH .. "?accountId=" .. self.account_id, nil end
    return self.ws_base .. a.target, a.headers
  end

  -- Until the first Snapshot of the new connection the live account is stale; order updates
  -- sent while we were away are lost (reconcile with open_orders / order() after a reconnect).
  local function on_private_disconnect(self)
    if self._account_live then self._account_live:mark_stale() end
  end

  function Client:_private_stream()
    if self._private_ws then return self._private_ws end
    self._private_ws = stream.new {
      url = function() return fresh_auth(self) end, name = "edgex.private", ping_text = '{"type":"ping","time":"0"}',
      ping_interval = self.ping_interval, idle_timeout = math.max(90, 3 * self.ping_interval),
      on_message = function(text) on_private(self, text) end,
      on_disconnect = function() on_private_disconnect(self) end,
    }
    return self._private_ws
  end

  -- watch_account({timeout?}) -> live account once the first Snapshot arrived
  function Client:watch_account(opts)
    opts = B.check_options(opts, { timeout = "number" }, "watch_account", 2)
    if self.read_only then return B.fail(self, "watch_account", "auth", "this client is read-only (no edgeX keys)") end
    local ok, err = self:start()
    if not ok then return nil, err end
    if not self._account_live then
      self._account_live = stream.live { positions = {}, orders = {}, order_events = {}, fills = {}, snapshots = 0, stale = true }
      self:_private_stream():start()
    end
    return stream.await(self, "watch_account", self._account_live, function(a) return a.snapshots > 0 end, opts.timeout,
      "account snapshot", self._private_ws)
  end

  -- Stops the streams (their tasks and connections). Live values stop changing.
  function Client:close()
    if self._public_ws then self._public_ws:close() end
    if self._private_ws then self._private_ws:close() end
  end
end

return M
