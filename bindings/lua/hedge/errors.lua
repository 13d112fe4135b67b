-- Error values (DESIGN §5): tables with kind, msg and friends, sharing the metatable the C
-- side uses, so tostring(err) reads "venue op: kind: msg" wherever the error came from.
local errors = {}

local RETRYABLE = { network = true, timeout = true, rate_limited = true, unavailable = true }

local function metatable()
  local mt = debug.getregistry()["hedge.error"]
  if not mt then
    -- Created by the C side on first use; make the same one if Lua gets here first.
    mt = { __name = "hedge.error" }
    mt.__tostring = function(e)
      local parts = {}
      if e.venue then parts[#parts + 1] = e.venue .. " " end
      if e.op then parts[#parts + 1] = e.op .. ": " end
      parts[#parts + 1] = tostring(e.kind or "error")
      if e.msg then parts[#parts + 1] = ": " .. tostring(e.msg) end
      return table.concat(parts)
    end
    debug.getregistry()["hedge.error"] = mt
  end
  return mt
end

-- errors.new("timeout", "no answer in 5 s", {op = "http"}) -> error table
function errors.new(kind, msg, fields)
  assert(type(kind) == "string", "error kind must be a string")
  local e = {}
  if fields then for k, v in pairs(fields) do e[k] = v end end
  e.kind, e.msg = kind, msg
  if e.retryable == nil then e.retryable = RETRYABLE[kind] or false end
  return setmetatable(e, metatable())
end

function errors.is_error(v)
  return type(v) == "table" and getmetatable(v) == metatable()
end

function errors.is_cancelled(v)
  return type(v) == "table" and v.kind == "cancelled"
end

-- Text for any error value: error tables, strings, anything with __tostring.
function errors.text(v)
  if type(v) == "string" then return v end
  local ok, s = pcall(tostring, v)
  return ok and s or "(error value without a text)"
end

return errors
