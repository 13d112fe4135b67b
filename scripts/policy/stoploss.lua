-- Stop-loss policy: the worst-leg rule of both seeds, with both seeds' ways of choosing the
-- percentage. Users may point `stoploss_policy` at their own module with the same two functions.
--
--   percent(leverage, config) -> stop in % of notional
--     config.stop_loss_percent, when set, wins;
--     config.stoploss_formula = "lp_table": 1x 50, 2x 30, 3x 20, 4x 15, 5x 12, else max(2, 60/L)
--     config.stoploss_formula = "le_formula": 100 × mean(s_long, s_short) with
--        s_long  = (1 − (1 − 1/L)/(1 − mm) − b) × k,  s_short = ((1 + 1/L)/(1 + mm) − 1 − b) × k,
--        mm = 0.005, b = 0.006, k = 0.7  (1x 69.23, 2x 34.23, 3x 22.56, 5x 13.23, 10x 6.23)
--   check(legs, notional, percent) -> {triggered, worst_venue, worst_pnl, worst_pct, distance_pct}
--     triggered when the worse leg's unrealised PnL ≤ −percent % of the notional.
local stoploss = {}

local LP_TABLE = { [1] = 50, [2] = 30, [3] = 20, [4] = 15, [5] = 12 }

function stoploss.lp_table(leverage)
  if leverage <= 1 then return 50 end
  local exact = LP_TABLE[leverage]
  if exact then return exact end
  return math.max(2, 60 / leverage)
end

function stoploss.le_formula(leverage)
  local mm, b, k = 0.005, 0.006, 0.7
  local s_long = (1 - (1 - 1 / leverage) / (1 - mm) - b) * k
  local s_short = ((1 + 1 / leverage) / (1 + mm) - 1 - b) * k
  return math.floor(100 * (s_long + s_short) / 2 * 100 + 0.5) / 100
end

function stoploss.percent(leverage, config)
  if config.stop_loss_percent then return config.stop_loss_percent end
  local formula = config.stoploss_formula or "le_formula"
  if formula == "lp_table" then return stoploss.lp_table(leverage) end
  if formula == "le_formula" then return stoploss.le_formula(leverage) end
  error("stoploss: unknown stoploss_formula " .. tostring(formula))
end

-- legs: {{venue = name, unrealized_pnl = number}, ...}; notional: number (USD)
function stoploss.check(legs, notional, percent)
  local worst
  for _, leg in ipairs(legs) do
    if leg.unrealized_pnl and (not worst or leg.unrealized_pnl < worst.unrealized_pnl) then worst = leg end
  end
  if not worst or not notional or notional <= 0 then
    return { triggered = false, unknown = true }
  end
  local worst_pct = worst.unrealized_pnl / notional * 100
  return {
    triggered = worst_pct <= -percent,
    worst_venue = worst.venue, worst_pnl = worst.unrealized_pnl, worst_pct = worst_pct,
    distance_pct = worst_pct + percent,   -- how far (in % of notional) the worse leg is from the stop
  }
end

return stoploss
