-- TAP output for Lua tests run by ./hedge (read by prove). Exact expectations only.
local tap = { count = 0, failed = 0 }

local function describe(v)
  if type(v) == "string" then return string.format("%q", v) end
  return tostring(v)
end

function tap.ok(cond, name)
  tap.count = tap.count + 1
  if not cond then tap.failed = tap.failed + 1 end
  io.write(cond and "ok " or "not ok ", tap.count, " - ", name or "", "\n")
  io.stdout:flush()
  return cond
end

function tap.is(found, expected, name)
  local same = found == expected
  tap.ok(same, name)
  if not same then
    io.write("#   found:    ", describe(found), "\n#   expected: ", describe(expected), "\n")
  end
  return same
end

function tap.like(found, pattern, name)
  local matched = type(found) == "string" and found:match(pattern) ~= nil
  tap.ok(matched, name)
  if not matched then io.write("#   found:    ", describe(found), "\n#   pattern:  ", pattern, "\n") end
  return matched
end

-- tap.cmp(a, "<", b, name): numeric comparison with both values shown on failure.
function tap.cmp(a, op, b, name)
  local r
  if op == "<" then r = a < b elseif op == "<=" then r = a <= b
  elseif op == ">" then r = a > b elseif op == ">=" then r = a >= b
  else error("tap.cmp: unknown operator " .. op) end
  tap.ok(r, name)
  if not r then io.write("#   ", describe(a), " ", op, " ", describe(b), " is false\n") end
  return r
end

-- tap.raises(fn, pattern, name): fn must raise an error whose text matches pattern.
function tap.raises(fn, pattern, name)
  local ok, err = pcall(fn)
  if ok then tap.ok(false, name); io.write("#   no error was raised\n"); return false end
  return tap.like(tostring(err), pattern, name)
end

function tap.diag(msg) io.write("# ", tostring(msg):gsub("\n", "\n# "), "\n") end

-- Prints the plan; the hedge exit status is 1 when anything failed.
function tap.done()
  io.write("1..", tap.count, "\n")
  io.stdout:flush()
  if tap.failed > 0 then require("hedge").exit(1) end
end

return tap
