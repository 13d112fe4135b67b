-- Example selection script: per-symbol caps and an allow/deny list, on top of the default.
--
-- Ranks exactly like default.lua, then
--   * refuses symbols in DENY (and, when ALLOW is not empty, every symbol not in it);
--   * caps each symbol's notional per leg at CAPS[symbol] USD (re-sizing the plan down to a
--     multiple of both venues' steps and re-costing it, so fees and slippage match the new size);
--   * refuses pairs involving a venue in AVOID_VENUES for that symbol.
-- Edit the tables below; the bot picks the change up at its next cycle (a broken edit is
-- reported with its line and the previous version keeps ranking).
-- Use it with "selection_script": "scripts/select/symbol_caps.lua".
local D = require "hedge.decimal"
local common = require "select.common"
local default = require "select.default"
local sizing = require "bot.sizing"

local CAPS = { BTC = "2000", ETH = "1500", SOL = "500" }   -- USD per leg; symbols not listed: the configuration's size
local ALLOW = {}                                          -- e.g. { "BTC", "ETH" }; empty: every symbol
local DENY = { "DOGE" }                                   -- never these
local AVOID_VENUES = { HYPE = { "edgex" } }               -- not these venues for that symbol

local select = { CAPS = CAPS, ALLOW = ALLOW, DENY = DENY, AVOID_VENUES = AVOID_VENUES }

local function member(list, x)
  for _, v in ipairs(list or {}) do if v == x then return true end end
  return false
end

-- Shrinks a row's plan to cap USD per leg and re-costs it; nil, reason when nothing is left.
local function cap_row(snap, row, cap, config)
  local plan = row.plan
  if plan.notional <= cap then return true end
  local size = sizing.floor_to_both(cap:div(plan.price, 18, "floor"), plan.step_long, plan.step_short)
  if not size or size:sign() <= 0 then return nil, ("the %s cap of $%s buys less than one step"):format(row.symbol, tostring(cap)) end
  local capped = {}
  for k, v in pairs(plan) do capped[k] = v end
  capped.size, capped.notional = size, size * plan.price
  local why = common.economics(snap, row, capped, config)
  if why then return nil, why end
  row.capped = true
  return true
end

function select.rank(snap, config, ctx)
  local rows = default.rank(snap, config, ctx)
  for _, row in ipairs(rows) do
    local reason
    if member(DENY, row.symbol) then
      reason = row.symbol .. " is on the deny list (symbol_caps.lua)"
    elseif #ALLOW > 0 and not member(ALLOW, row.symbol) then
      reason = row.symbol .. " is not on the allow list (symbol_caps.lua)"
    elseif member(AVOID_VENUES[row.symbol], row.long_venue) or member(AVOID_VENUES[row.symbol], row.short_venue) then
      reason = ("%s is not traded on %s (symbol_caps.lua)"):format(row.symbol,
        member(AVOID_VENUES[row.symbol], row.long_venue) and row.long_venue or row.short_venue)
    elseif row.eligible and CAPS[row.symbol] then
      local ok, why = cap_row(snap, row, D(CAPS[row.symbol]), config)
      if not ok then reason = why
      elseif row.expected_net_usd <= 0 then reason = ("at the $%s cap it loses $%.2f after costs"):format(CAPS[row.symbol], -row.expected_net_usd)
      elseif row.net_apr * 100 < config.min_net_apr_threshold then
        reason = ("at the $%s cap the net APR %.2f%% is below %.2f%%"):format(CAPS[row.symbol], row.net_apr * 100, config.min_net_apr_threshold)
      end
    end
    if reason then row.eligible, row.reason = false, reason end
  end
  table.sort(rows, function(a, b)
    if a.eligible ~= b.eligible then return a.eligible end
    if a.eligible then return a.expected_net_usd > b.expected_net_usd end
    return a.gross_apr > b.gross_apr
  end)
  return rows
end

return select
