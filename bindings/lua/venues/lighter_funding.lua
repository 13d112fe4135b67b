-- Lighter funding rates for venues.lighter, and the check of their unit (issue 6; lighter.md §3.5,
-- §14.1, §15; FUNDING.md §5).
--
-- Lighter settles funding every hour on the hour. The live rates come from GET /funding-rates
-- (one bare JSON number per market and venue); their unit is not documented and the seeds
-- disagree by a factor of 8: the official Rust SDK (df-lighter-core), an independent bot note and
-- the seed LP read it as a FRACTION OVER 8 HOURS (hourly = rate / 8), the seed LE's newer code as
-- hourly. The default here is the 8-hour reading (option funding_rate_unit: "fraction_per_8h",
-- "fraction_per_hour", "percent_per_hour").
--
-- Which source is trusted, and why: the realised settlements of GET /fundings. Their unit is
-- pinned down by the payload itself: `rate` is percent for the hour and `value` is what one unit
-- of base paid, so value / (rate / 100) must come out as the market's price at the settlement;
-- the client checks exactly that (within a factor of 2) before using them. Every funding_rates()
-- call (at start and on each scan) then compares the live rate, read in the configured unit, with
-- the latest settlements (the median of the last hours, fetched once per hour per market):
--   * both too small to tell (below 1e-7 per hour), no settlement yet, or no price for the value
--     check -> "inconclusive" for that market (rates returned, nothing claimed);
--   * live / settled within a factor of funding_check_ratio (default 4, less than the factor of 8
--     in dispute) -> "ok";
--   * otherwise -> "mismatch" for that market, with the unit that would have fitted best.
-- When most conclusive markets mismatch, the convention is wrong for the whole table: with
-- funding_check = "error" (default) funding_rates returns nil, err (kind "bad_response", code
-- "funding_unit_mismatch") so a strategy cannot trade on a wrong unit; with "warn" it returns the
-- rates with `unit_check` set; "off" skips the check. A single outlier market (a real jump of the
-- rate within an hour) is flagged on its row only. The last result is kept in client.funding_check.
local hedge = require "hedge"
local D = require "hedge.decimal"
local B = require "venues.base"

local M = {}

local UNITS = { fraction_per_8h = true, fraction_per_hour = true, percent_per_hour = true }
local CHECK_MODES = { error = true, warn = true, off = true }
local NOISE_FLOOR_PER_HOUR = 1e-7
local SETTLEMENT_ROWS = 8
-- Markets checked per call when no symbols are given (the largest rates tell units apart best,
-- and each checked market costs one request per hour out of a 60-per-minute budget).
local CHECKED_WHEN_ALL = 3
local HOUR_MS = 3600000

function M.configure(c, opts)
  c.funding_rate_unit = opts.funding_rate_unit or "fraction_per_8h"
  if not UNITS[c.funding_rate_unit] then
    error("lighter.new: funding_rate_unit must be fraction_per_8h, fraction_per_hour or percent_per_hour", 3)
  end
  c.funding_check_mode = opts.funding_check or "error"
  if not CHECK_MODES[c.funding_check_mode] then error("lighter.new: funding_check must be error, warn or off", 3) end
  c.funding_check_ratio = opts.funding_check_ratio or 4
  if c.funding_check_ratio <= 1 or c.funding_check_ratio >= 8 then
    error("lighter.new: funding_check_ratio must be above 1 and below 8 (the factor in dispute)", 3)
  end
  c._settlements = {}
end

-- A rate as the venue printed it -> the hourly fraction, exactly (decimal) and as a number.
local DIVISORS = { fraction_per_8h = "8", fraction_per_hour = "1", percent_per_hour = "100" }
function M.hourly(text, unit)
  local d = assert(D(text):div(D(DIVISORS[unit]), 24, "half_even"))
  return d:to_number(), d
end

local function median(list)
  table.sort(list)
  local n = #list
  if n == 0 then return nil end
  if n % 2 == 1 then return list[(n + 1) / 2] end
  return (list[n / 2] + list[n / 2 + 1]) / 2
end

function M.extend(Client, L)
  -- funding_history(symbol, {hours = 8}) -> settled rows {timestamp_ms, rate (signed hourly
  -- fraction), rate_percent (as sent), direction, value, price (value / rate), info}, oldest first.
  function Client:funding_history(symbol, opts)
    if type(symbol) ~= "string" then error("funding_history: symbol must be a string", 2) end
    opts = B.check_options(opts, { hours = "number" }, "funding_history", 2)
    local m, merr = self:market(symbol)
    if not m then merr.op = "funding_history"; return nil, merr end
    local hours = opts.hours or SETTLEMENT_ROWS
    local now_s = math.floor(hedge.now_ms() / 1000)
    local r, err = self:_get("funding_history", "/fundings", {
      { "market_id", m.id }, { "resolution", "1h" }, { "start_timestamp", now_s - (hours + 1) * 3600 },
      { "end_timestamp", now_s + 3600 }, { "count_back", hours },
    }, "fundings")
    if not r then return nil, err end
    local out = {}
    for i, row in ipairs(r.data) do
      local percent = D(row.rate)
      local fraction = assert(percent:div(D("100"), 24, "exact"))
      if row.direction == "short" then fraction = -fraction end
      local price
      if not percent:is_zero() and row.value then price = assert(D(row.value):div(percent:abs(), 18, "half_even")) * D("100") end
      out[i] = {
        timestamp_ms = row.timestamp * 1000, rate = fraction:to_number(), rate_percent = row.rate, direction = row.direction,
        value = B.dec(row.value), price = price, info = row.info,
      }
    end
    return out
  end

  -- The latest settlements of a market, fetched once per settled hour.
  function Client:_settled(symbol)
    local hour = math.floor(hedge.now_ms() / HOUR_MS)
    local cached = self._settlements[symbol]
    if cached and cached.hour == hour then return cached.rows end
    local rows, err = self:funding_history(symbol, { hours = SETTLEMENT_ROWS })
    if not rows then return nil, err end
    self._settlements[symbol] = { hour = hour, rows = rows }
    return rows
  end

  -- One market's check: live hourly rate (configured unit) against its settlements.
  function Client:_check_one(symbol, live_text, reference_price)
    local rows, err = self:_settled(symbol)
    if not rows then return { status = "inconclusive", reason = "no settlements: " .. tostring(err) } end
    if #rows == 0 then return { status = "inconclusive", reason = "no settlement yet" } end
    -- The settlements' own unit: value / (rate / 100) is the price of the hour.
    if reference_price then
      for _, row in ipairs(rows) do
        if row.price then
          local ratio = row.price:to_number() / reference_price:to_number()
          if ratio > 2 or ratio < 0.5 then
            return { status = "mismatch", reason = ("fundings value/rate gives price %s, the market trades near %s: the settlement rates are not percent"):format(
              tostring(row.price), tostring(reference_price)), settled_unit_wrong = true }
          end
        end
      end
    end
    local magnitudes = {}
    for _, row in ipairs(rows) do magnitudes[#magnitudes + 1] = math.abs(row.rate) end
    local settled = median(magnitudes)
    local live = math.abs((M.hourly(live_text, self.funding_rate_unit)))
    if settled < NOISE_FLOOR_PER_HOUR or live < NOISE_FLOOR_PER_HOUR then
      return { status = "inconclusive", reason = "rates too small to tell units apart", live = live, settled = settled }
    end
    local ratio = live / settled
    local result = { live = live, settled = settled, ratio = ratio }
    if ratio <= self.funding_check_ratio and ratio >= 1 / self.funding_check_ratio then
      result.status = "ok"
      return result
    end
    -- Which reading of the live number would have matched the settlements best?
    local best, best_distance
    for unit in pairs(UNITS) do
      local distance = math.abs(math.log(math.abs((M.hourly(live_text, unit))) / settled))
      if not best or distance < best_distance then best, best_distance = unit, distance end
    end
    result.status, result.best_unit = "mismatch", best
    return result
  end

  -- funding_rates(symbols?) -> {[symbol] = {rate, interval_ms, rate_per_hour, apr,
  -- next_funding_ms, last_rate?, unit, unit_check, info}} (DESIGN §4 unified form; rate is the
  -- hourly fraction accruing now, the hourly interval being Lighter's).
  function Client:funding_rates(symbols)
    local want, list
    if symbols ~= nil then
      if type(symbols) == "string" then symbols = { symbols } end
      if type(symbols) ~= "table" then error("funding_rates: symbols must be a list of strings", 2) end
      want, list = {}, symbols
      for _, s in ipairs(symbols) do want[s] = true end
    end
    if not self._markets then
      local _, err = self:markets()
      if err then return nil, err end
    end
    local r, err = self:_get("funding_rates", "/funding-rates", nil, "funding_rates")
    if not r then return nil, err end
    local now = hedge.now_ms()
    local next_ms = B.next_boundary_ms(now, HOUR_MS)
    local out = {}
    for _, row in ipairs(r.data) do
      -- The table also lists binance, bybit and hyperliquid; only Lighter's rows are ours.
      local m = row.exchange == "lighter" and self._by_id[row.market_id]
      if m and (not want or want[m.symbol]) then
        local hourly = M.hourly(row.rate, self.funding_rate_unit)
        local f = B.funding(hourly, HOUR_MS, next_ms)
        f.symbol, f.market_id, f.unit, f.rate_text, f.info = m.symbol, m.id, self.funding_rate_unit, row.rate, row.info
        out[m.symbol] = f
      end
    end
    for _, s in ipairs(list or {}) do
      if not out[s] then return B.fail(self, "funding_rates", "bad_symbol", ("no funding rate for %q on lighter"):format(s)) end
    end
    if self.funding_check_mode == "off" then return out end
    local report = { checked_at = now, unit = self.funding_rate_unit, symbols = {} }
    local conclusive, mismatched, best_votes = 0, 0, {}
    local to_check = {}
    for symbol in pairs(out) do to_check[#to_check + 1] = symbol end
    if not want then
      table.sort(to_check, function(a, b) return math.abs(out[a].rate) > math.abs(out[b].rate) end)
      for i = #to_check, CHECKED_WHEN_ALL + 1, -1 do to_check[i] = nil end
    end
    for _, symbol in ipairs(to_check) do
      local f = out[symbol]
      local m = self._markets[symbol]
      local c = self:_check_one(symbol, f.rate_text, m and m.last_price)
      report.symbols[symbol] = c
      f.unit_check = c.status
      local rows = self._settlements[symbol] and self._settlements[symbol].rows
      if rows and #rows > 0 then f.last_rate = rows[#rows].rate end
      if c.status ~= "inconclusive" then conclusive = conclusive + 1 end
      if c.status == "mismatch" then
        mismatched = mismatched + 1
        if c.best_unit then best_votes[c.best_unit] = (best_votes[c.best_unit] or 0) + 1 end
      end
    end
    report.status = conclusive == 0 and "inconclusive" or (mismatched * 2 > conclusive and "mismatch") or "ok"
    self.funding_check = report
    if report.status == "mismatch" then
      local best, votes = nil, 0
      for unit, n in pairs(best_votes) do if n > votes then best, votes = unit, n end end
      local msg = ("Lighter funding units: /funding-rates read as %s disagrees with the realised settlements on %d of %d markets%s; refusing to report rates in a unit that looks wrong"):format(
        self.funding_rate_unit, mismatched, conclusive, best and (" (they fit " .. best .. ")") or "")
      if self.funding_check_mode == "error" then
        return B.fail(self, "funding_rates", "bad_response", msg, { code = "funding_unit_mismatch", check = report })
      end
      report.warning = msg
    end
    return out
  end
end

return M
