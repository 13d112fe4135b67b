-- Test selection script: the default ranking, but only SOL may be opened.
local default = require "select.default"
local select = {}
function select.rank(snap, config, ctx)
  local rows = default.rank(snap, config, ctx)
  for _, r in ipairs(rows) do
    if r.symbol ~= "SOL" then r.eligible, r.reason = false, "prefer_sol.lua: only SOL" end
  end
  for _, r in ipairs(rows) do
    -- SOL is taken even when the default finds it unprofitable: this script's only rule.
    if r.symbol == "SOL" and not r.eligible and r.plan then r.eligible, r.reason = true, nil end
  end
  table.sort(rows, function(a, b)
    if a.eligible ~= b.eligible then return a.eligible end
    return a.gross_apr > b.gross_apr
  end)
  return rows
end
return select
