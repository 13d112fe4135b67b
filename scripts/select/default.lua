-- Default selection: rank by the USD a hedge is expected to earn over the hold AFTER costs.
--   filters: 24h volume on each leg (min_volume_usd), cross-venue price gap (max_spread_pct),
--            each venue's bid/ask spread (max_bidask_spread_pct, when configured)
--   economics: funding carry − round-trip taker fees − slippage walking both books for the
--            actual size (bot.sizing); break-even APR shown
--   gate: expected net > 0 and net APR (in %) ≥ min_net_apr_threshold
-- The seeds compared the GROSS spread with min_net_apr_threshold; select/gross_apr.lua does that.
local common = require "select.common"

local select = {}

function select.rank(snap, config, ctx)
  local rows = {}
  for _, c in ipairs(snap.candidates) do
    local row = common.describe(setmetatable({}, { __index = c }))
    local reason = common.filter(snap, row, config)
    if not reason then
      local plan, why = ctx.plan(row)
      reason = why or common.economics(snap, row, plan, config)
    end
    if not reason then
      if row.expected_net_usd <= 0 then
        reason = ("loses $%.2f after fees and slippage (break-even APR %.1f%%)"):format(-row.expected_net_usd, row.break_even_apr * 100)
      elseif row.net_apr * 100 < config.min_net_apr_threshold then
        reason = ("net APR %.2f%% is below %.2f%%"):format(row.net_apr * 100, config.min_net_apr_threshold)
      end
    end
    row.eligible, row.reason = reason == nil, reason
    rows[#rows + 1] = row
  end
  table.sort(rows, function(a, b)
    if a.eligible ~= b.eligible then return a.eligible end
    if a.eligible then return a.expected_net_usd > b.expected_net_usd end
    return a.gross_apr > b.gross_apr
  end)
  return rows
end

return select
