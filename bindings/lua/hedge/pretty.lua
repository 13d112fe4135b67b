-- Readable rendering of Lua values for the REPL and diagnostics: sorted keys, a depth limit,
-- cycles marked, decimals and error tables shown through their __tostring.
local pretty = {}

local function is_identifier(s)
  return type(s) == "string" and s:match("^[%a_][%w_]*$") ~= nil
end

local function key_order(a, b)
  local ta, tb = type(a), type(b)
  if ta ~= tb then return ta < tb end
  if ta == "number" or ta == "string" then return a < b end
  return tostring(a) < tostring(b)
end

local function has_tostring(v)
  local mt = getmetatable(v)
  return type(mt) == "table" and mt.__tostring ~= nil
end

local function render(v, depth, max_depth, seen, indent, out)
  local t = type(v)
  if t == "string" then
    out[#out + 1] = string.format("%q", v):gsub("\\\n", "\\n")
  elseif t == "cdata" or (t == "userdata" and has_tostring(v)) then
    out[#out + 1] = tostring(v)
  elseif t ~= "table" then
    out[#out + 1] = tostring(v)
  elseif has_tostring(v) and getmetatable(v).__name == "hedge.error" then
    out[#out + 1] = "error<" .. tostring(v) .. ">"
  elseif has_tostring(v) then
    out[#out + 1] = tostring(v)               -- objects that describe themselves (tasks, connections)
  elseif seen[v] then
    out[#out + 1] = "<cycle>"
  elseif depth >= max_depth then
    out[#out + 1] = "{...}"
  else
    seen[v] = true
    local keys, n = {}, #v
    for k in pairs(v) do
      if not (type(k) == "number" and k >= 1 and k <= n and k % 1 == 0) then keys[#keys + 1] = k end
    end
    table.sort(keys, key_order)
    if n == 0 and #keys == 0 then
      out[#out + 1] = "{}"
    else
      local pad = indent .. "  "
      out[#out + 1] = "{\n"
      for i = 1, n do
        out[#out + 1] = pad
        render(v[i], depth + 1, max_depth, seen, pad, out)
        out[#out + 1] = ",\n"
      end
      for _, k in ipairs(keys) do
        out[#out + 1] = pad
        if is_identifier(k) then out[#out + 1] = k else
          out[#out + 1] = "["
          render(k, max_depth, max_depth, seen, pad, out)
          out[#out + 1] = "]"
        end
        out[#out + 1] = " = "
        render(v[k], depth + 1, max_depth, seen, pad, out)
        out[#out + 1] = ",\n"
      end
      out[#out + 1] = indent .. "}"
    end
    seen[v] = nil
  end
end

-- pretty.format(value [, max_depth = 4]) -> string
function pretty.format(v, max_depth)
  local out = {}
  render(v, 0, max_depth or 4, {}, "", out)
  return table.concat(out)
end

return pretty
