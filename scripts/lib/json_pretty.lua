-- Readable, stable JSON for people and for diffing: object keys sorted, two-space indentation.
--   local json_pretty = require "lib.json_pretty"
--   print(json_pretty.encode(value, {lists = {events = true}}))
-- Strings are written as they are (decimals stay the exact text the store kept); integers print
-- without an exponent; nil inside a table is simply absent. A table with keys 1..n is an array;
-- an empty table is an array when its key is named in opts.lists, else an object.
local M = {}
-- Stands for an explicit JSON null where a Lua table would just lose the key.
M.null = setmetatable({}, { __tostring = function() return "null" end })

local ESCAPES = { ['"'] = '\\"', ["\\"] = "\\\\", ["\b"] = "\\b", ["\f"] = "\\f", ["\n"] = "\\n", ["\r"] = "\\r", ["\t"] = "\\t" }

local function quote(s)
  return '"' .. s:gsub('[%c"\\]', function(c)
    return ESCAPES[c] or string.format("\\u%04x", c:byte())
  end) .. '"'
end
M.quote = quote

local function is_array(t)
  local n = #t
  if n == 0 then return false end
  local count = 0
  for _ in pairs(t) do count = count + 1 end
  return count == n
end

local function number_text(v)
  if v ~= v or v == math.huge or v == -math.huge then return "null" end
  if v == math.floor(v) and math.abs(v) < 2 ^ 63 then return string.format("%d", v) end
  return string.format("%.17g", v)
end

local function encode(v, indent, key, opts, out, depth)
  if depth > 64 then error("json_pretty: nested deeper than 64 levels", 0) end
  local t = type(v)
  if v == nil or v == M.null then out[#out + 1] = "null"
  elseif t == "boolean" then out[#out + 1] = tostring(v)
  elseif t == "number" then out[#out + 1] = number_text(v)
  elseif t == "string" then out[#out + 1] = quote(v)
  elseif t == "cdata" then out[#out + 1] = quote((tostring(v):gsub("U?LL$", "")))
  elseif t == "table" then
    local inner = indent .. "  "
    if is_array(v) or (next(v) == nil and opts.lists and opts.lists[key]) then
      if #v == 0 then out[#out + 1] = "[]"; return end
      out[#out + 1] = "[\n"
      for i = 1, #v do
        out[#out + 1] = inner
        encode(v[i], inner, key, opts, out, depth + 1)
        out[#out + 1] = i < #v and ",\n" or "\n"
      end
      out[#out + 1] = indent .. "]"
    else
      local keys = {}
      for k in pairs(v) do
        if type(k) ~= "string" and type(k) ~= "number" then error("json_pretty: a " .. type(k) .. " key cannot be JSON", 0) end
        keys[#keys + 1] = tostring(k)
      end
      table.sort(keys)
      if #keys == 0 then out[#out + 1] = "{}"; return end
      out[#out + 1] = "{\n"
      for i, k in ipairs(keys) do
        local value = v[k]
        if value == nil then value = v[tonumber(k)] end
        out[#out + 1] = inner .. quote(k) .. ": "
        encode(value, inner, k, opts, out, depth + 1)
        out[#out + 1] = i < #keys and ",\n" or "\n"
      end
      out[#out + 1] = indent .. "}"
    end
  else
    error("json_pretty: a " .. t .. " value cannot be JSON", 0)
  end
end

function M.encode(value, opts)
  local out = {}
  encode(value, "", nil, opts or {}, out, 0)
  return table.concat(out)
end

return M
