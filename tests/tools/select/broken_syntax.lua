-- Test selection script with a syntax error on line 4.
local select = {}
function select.rank(snap, config, ctx)
  return for
end
return select
