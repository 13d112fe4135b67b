-- The shared venue fixtures (shared/fixtures/<venue>/*.json, see its README) for Lua tests.
--
--   local payload_text = require("lib.fixtures").payload_reader("pacifica")
--   local body = payload_text("markets__info_btc_and_spot_testnet_ccxt.json")
--
-- payload_text gives a fixture's "payload" value as the text it has in the file, byte for byte
-- (from its opening bracket to the partner, skipping string contents), so a parser sees exactly
-- what the venue sent, number literals included: decoding and re-encoding would lose them.
local M = {}

local SHARED = os.getenv("SHARED") or "../shared"

local function read_file(path)
  local f = assert(io.open(path, "rb"))
  local text = f:read("*a")
  f:close()
  return text
end

function M.payload_text(venue, name)
  local text = read_file(SHARED .. "/fixtures/" .. venue .. "/" .. name)
  local start = assert(text:find('"payload":%s*[{%[]'), "fixture without an object or list payload: " .. name)
  start = text:find("[{%[]", start)
  local depth, i, in_string = 0, start, false
  while i <= #text do
    local ch = text:sub(i, i)
    if in_string then
      if ch == "\\" then i = i + 1 elseif ch == '"' then in_string = false end
    elseif ch == '"' then in_string = true
    elseif ch == "{" or ch == "[" then depth = depth + 1
    elseif ch == "}" or ch == "]" then
      depth = depth - 1
      if depth == 0 then return text:sub(start, i) end
    end
    i = i + 1
  end
  error("unbalanced payload in " .. name)
end

-- function(name) -> the payload text of shared/fixtures/<venue>/<name>
function M.payload_reader(venue)
  return function(name) return M.payload_text(venue, name) end
end

return M
