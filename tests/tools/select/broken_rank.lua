-- Test selection script whose rank raises on line 5.
local select = {}
function select.rank(snap, config, ctx)
  local weights = nil
  return weights.by_symbol[snap.candidates[1].symbol]
end
return select
