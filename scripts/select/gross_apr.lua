-- The seeds' rule: the highest gross funding-spread APR (|APR_a − APR_b|) that reaches
-- min_net_apr_threshold, long where funding is cheaper; fees and slippage are not counted (they
-- are still computed and shown). Kept for users who want the seeds' behaviour.
local common = require "select.common"

local select = {}

function select.rank(snap, config, ctx)
  local rows = {}
  for _, c in ipairs(snap.candidates) do
    local row = common.describe(setmetatable({}, { __index = c }))
    local reason = common.filter(snap, row, config)
    if not reason then
      local plan, why = ctx.plan(row)
      reason = why
      if plan then common.economics(snap, row, plan, config) end
    end
    if not reason and row.gross_apr * 100 < config.min_net_apr_threshold then
      reason = ("gross APR %.2f%% is below %.2f%%"):format(row.gross_apr * 100, config.min_net_apr_threshold)
    end
    row.eligible, row.reason = reason == nil, reason
    rows[#rows + 1] = row
  end
  table.sort(rows, function(a, b)
    if a.eligible ~= b.eligible then return a.eligible end
    return a.gross_apr > b.gross_apr
  end)
  return rows
end

return select
