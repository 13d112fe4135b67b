-- One holding check: what the two legs look like on the venues right now, and what to do.
--
--   monitor.check(ctx, h) -> status
--   status = {action = "hold" | "close" | "emergency", reason, legs = {long, short}, pnl,
--             funding, stop = stoploss.check result, spread_apr, time_left_s}
--
-- Decisions, in this order:
--   emergency  a leg is missing or liquidated (after the grace period), or the legs' sizes differ
--              (someone traded the account): close what is left, go to ERROR
--   close      stop-loss on the worse leg; funding spread inverted beyond the threshold;
--              the hold time is over (aligned to a settlement when configured)
--   hold       otherwise
local hedge = require "hedge"
local D = require "hedge.decimal"
local execution = require "bot.execution"

local monitor = {}

local function num(d) return d and d:to_number() or nil end

-- The planned close time: opened + hold, or the first settlement that pays the short leg at
-- or after that moment when align_to_settlement is set.
function monitor.target_close_ms(h, config, short_interval_ms)
  local target = h.opened_at_ms + config.hold_duration_hours * 3600000
  if config.align_to_settlement and short_interval_ms then
    local boundary = math.ceil(target / short_interval_ms) * short_interval_ms
    target = boundary + (config.settlement_margin_seconds or 30) * 1000
  end
  return target
end

function monitor.check(ctx, h)
  local cfg = ctx.config
  local lv, sv, symbol = h.long_venue, h.short_venue, h.symbol
  local results, errs = hedge.parallel(
    function() return execution.read_positions(ctx, { lv, sv }, symbol) end,
    function() return ctx.venues[lv]:funding_rates({ symbol }) end,
    function() return ctx.venues[sv]:funding_rates({ symbol }) end)
  if errs[1] then return { action = "hold", reason = "positions unreadable: " .. tostring(errs[1]), unreadable = true } end
  local pos = results[1]
  local st = { legs = {} }
  local long_p, short_p = pos[lv], pos[sv]
  st.legs.long = { venue = lv, size = long_p.size, position = long_p.position }
  st.legs.short = { venue = sv, size = -short_p.size, position = short_p.position }

  local now = (ctx.clock or require("bot.clock").real).now_ms()
  local grace = (cfg.liquidation_check_grace_period_seconds or 30) * 1000
  local missing = {}
  if long_p.size:sign() <= 0 then missing[#missing + 1] = lv end
  if short_p.size:sign() >= 0 then missing[#missing + 1] = sv end
  if #missing > 0 then
    if now - h.opened_at_ms < grace then
      st.action, st.reason = "hold", "leg not visible yet on " .. table.concat(missing, ", ") .. " (grace period)"
      return st
    end
    st.action, st.missing, st.code = "emergency", missing, "missing_leg"
    st.reason = ("leg missing or liquidated on %s"):format(table.concat(missing, " and "))
    return st
  end
  local tolerance = (cfg.leg_imbalance_tolerance_pct or 0) / 100
  local larger = D.max(long_p.size, -short_p.size):to_number()
  if long_p.size ~= -short_p.size and math.abs((long_p.size + short_p.size):to_number()) > larger * tolerance then
    st.action, st.code = "emergency", "size_mismatch"
    st.reason = ("leg sizes differ: %s long on %s, %s short on %s"):format(
      tostring(long_p.size), lv, tostring(-short_p.size), sv)
    return st
  end

  -- PnL per leg as the venues report it, and funding received so far.
  local ul = num(long_p.position.unrealized_pnl)
  local us = num(short_p.position.unrealized_pnl)
  st.legs.long.unrealized_pnl, st.legs.short.unrealized_pnl = ul, us
  st.legs.long.funding, st.legs.short.funding = num(long_p.position.funding), num(short_p.position.funding)
  st.pnl = (ul and us) and ul + us or nil
  st.funding = (st.legs.long.funding or 0) + (st.legs.short.funding or 0)

  -- Stop-loss on the worse leg.
  local notional = num(h.notional)
  local pct = ctx.stoploss.percent(h.leverage or cfg.leverage, cfg)
  st.stop = ctx.stoploss.check({ { venue = lv, unrealized_pnl = ul }, { venue = sv, unrealized_pnl = us } }, notional, pct)
  st.stop.percent = pct

  -- Funding spread now.
  local fl = results[2] and results[2][symbol]
  local fs = results[3] and results[3][symbol]
  if fl and fs then
    st.spread_apr = (fs.rate_per_hour - fl.rate_per_hour) * 8760
    h.short_interval_ms = h.short_interval_ms or fs.interval_ms
  end

  local target = monitor.target_close_ms(h, cfg, h.short_interval_ms)
  st.target_close_ms = target
  st.time_left_s = math.max(0, (target - now) / 1000)

  if cfg.enable_stop_loss ~= false and st.stop.triggered then
    st.action, st.code = "close", "stop_loss"
    st.reason = ("stop-loss: %s leg at %.2f%% of notional (stop %.2f%%)"):format(st.stop.worst_venue, st.stop.worst_pct, pct)
  elseif st.spread_apr and cfg.funding_inversion_exit_apr and st.spread_apr * 100 < -cfg.funding_inversion_exit_apr then
    st.action, st.code = "close", "funding_inversion"
    st.reason = ("funding spread inverted to %.2f%% APR (exit below -%.2f%%)"):format(st.spread_apr * 100, cfg.funding_inversion_exit_apr)
  elseif now >= target then
    st.action, st.reason, st.code = "close", "hold time over: rotating", "rotation"
  else
    st.action = "hold"
  end
  return st
end

return monitor
