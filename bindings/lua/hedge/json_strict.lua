-- hedge.json_strict: a JSON reader for files people edit (bot_config.json), where a clear
-- message matters more than speed.
--
--   local J = require "hedge.json_strict"
--   local value, info = J.decode(text)            -- or nil, err with err.line, err.column, err.msg
--   J.is_array(t), J.is_object(t), J.null
--   info.line_of[container][key]                  -- the line where key (or array index) appears
--   info.number_text[container][key]              -- a number exactly as written ("320.0")
--
-- Unlike lua-cjson it refuses duplicate keys (a silent "last one wins" hides typos), tells an
-- empty array from an empty object (metatables J.array_mt / J.object_mt), keeps the source text
-- of every number (so a decimal setting is read exactly, never through a double), and reports
-- line and column. Comments are refused with a hint: configuration files use "comment..." keys.
local J = {}

J.null = setmetatable({}, { __tostring = function() return "null" end, __name = "json null" })
J.array_mt = { __name = "json array" }
J.object_mt = { __name = "json object" }

function J.is_array(v) return type(v) == "table" and getmetatable(v) == J.array_mt end
function J.is_object(v) return type(v) == "table" and getmetatable(v) == J.object_mt end

local MAX_DEPTH = 64
local ESCAPES = { ['"'] = '"', ["\\"] = "\\", ["/"] = "/", b = "\b", f = "\f", n = "\n", r = "\r", t = "\t" }

local function utf8_char(cp)
  if cp < 0x80 then return string.char(cp) end
  if cp < 0x800 then return string.char(0xC0 + math.floor(cp / 0x40), 0x80 + cp % 0x40) end
  if cp < 0x10000 then
    return string.char(0xE0 + math.floor(cp / 0x1000), 0x80 + math.floor(cp / 0x40) % 0x40, 0x80 + cp % 0x40)
  end
  return string.char(0xF0 + math.floor(cp / 0x40000), 0x80 + math.floor(cp / 0x1000) % 0x40,
    0x80 + math.floor(cp / 0x40) % 0x40, 0x80 + cp % 0x40)
end

-- J.decode(text) -> value, info | nil, {line, column, msg}
function J.decode(text)
  if type(text) ~= "string" then error("json_strict.decode: expected a string, got " .. type(text), 2) end
  local pos, line, line_start = 1, 1, 1
  local info = { line_of = setmetatable({}, { __mode = "k" }), number_text = setmetatable({}, { __mode = "k" }) }

  local function fail(msg, at)
    at = at or pos
    -- the line and column of `at`
    local l, ls = 1, 1
    for i = 1, at - 1 do
      if text:byte(i) == 10 then l, ls = l + 1, i + 1 end
    end
    error({ json_error = true, line = l, column = at - ls + 1, msg = msg }, 0)
  end

  local function skip_space()
    while true do
      local c = text:byte(pos)
      if c == 10 then
        pos = pos + 1
        line, line_start = line + 1, pos
      elseif c == 32 or c == 9 or c == 13 then
        pos = pos + 1
      elseif c == 47 and (text:byte(pos + 1) == 47 or text:byte(pos + 1) == 42) then
        fail('comments are not allowed in JSON; put notes in a key starting with "comment"')
      else
        return
      end
    end
  end

  local function describe_here()
    local c = text:sub(pos, pos)
    if c == "" then return "the end of the file" end
    if c:match("%C") then return "'" .. c .. "'" end
    return string.format("byte 0x%02x", c:byte())
  end

  local parse_value

  local function parse_string()
    local start = pos
    pos = pos + 1
    local parts = {}
    while true do
      local c = text:sub(pos, pos)
      if c == "" then fail("unterminated string", start) end
      if c == '"' then pos = pos + 1; break end
      if c == "\n" then fail("unterminated string (a string cannot span lines)", start) end
      if c:byte() < 32 then fail("control character in a string (write it as an escape such as \\t)") end
      if c == "\\" then
        local e = text:sub(pos + 1, pos + 1)
        if e == "u" then
          local hex = text:sub(pos + 2, pos + 5)
          if not hex:match("^%x%x%x%x$") then fail("bad \\u escape (needs 4 hex digits)") end
          local cp = tonumber(hex, 16)
          pos = pos + 6
          if cp >= 0xD800 and cp <= 0xDBFF then
            local low = text:match("^\\u(%x%x%x%x)", pos)
            local lcp = low and tonumber(low, 16)
            if not lcp or lcp < 0xDC00 or lcp > 0xDFFF then fail("a high surrogate \\u escape without its low half") end
            cp = 0x10000 + (cp - 0xD800) * 0x400 + (lcp - 0xDC00)
            pos = pos + 6
          elseif cp >= 0xDC00 and cp <= 0xDFFF then
            fail("a low surrogate \\u escape without its high half")
          end
          parts[#parts + 1] = utf8_char(cp)
        elseif ESCAPES[e] then
          parts[#parts + 1] = ESCAPES[e]
          pos = pos + 2
        else
          fail("unknown escape \\" .. e)
        end
      else
        -- Stop at what the branches above handle: bytes below 0x20, '"' and '\\'. Not %c, which
        -- also matches DEL (0x7F): legal in a JSON string, and the loop would stand still on it.
        local stop = text:find('[%z\1-\31"\\]', pos) or #text + 1
        parts[#parts + 1] = text:sub(pos, stop - 1)
        pos = stop
      end
    end
    return table.concat(parts)
  end

  -- JSON numbers: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?
  local function parse_number()
    local s = text:match("^-?%d+%.?%d*[eE]?[-+]?%d*", pos)
    if not s then fail("bad number") end
    local int = s:match("^-?0") or s:match("^-?[1-9]%d*")
    local rest = s:sub(#int + 1)
    local frac = rest:match("^%.%d+")
    if frac then rest = rest:sub(#frac + 1) end
    local exp = rest:match("^[eE][-+]?%d+")
    if exp then rest = rest:sub(#exp + 1) end
    if rest ~= "" then fail("bad number '" .. s .. "'") end
    -- LuaJIT's tonumber gives nil for an exponent of many digits and inf past 1e308: either would
    -- reach a setting as nil or inf, so such a number is refused where it is written.
    local value = tonumber(s)
    if value == nil or value == math.huge or value == -math.huge then
      fail("number out of range '" .. (#s > 40 and s:sub(1, 40) .. "..." or s) .. "'")
    end
    pos = pos + #s
    return value, s
  end

  local function parse_array(depth)
    local arr = setmetatable({}, J.array_mt)
    local lines, numbers = {}, {}
    info.line_of[arr], info.number_text[arr] = lines, numbers
    pos = pos + 1
    skip_space()
    if text:sub(pos, pos) == "]" then pos = pos + 1; return arr end
    local n = 0
    while true do
      skip_space()
      n = n + 1
      lines[n] = line
      local v, num = parse_value(depth + 1)
      arr[n] = v
      numbers[n] = num
      skip_space()
      local c = text:sub(pos, pos)
      if c == "," then
        pos = pos + 1
        skip_space()
        if text:sub(pos, pos) == "]" then fail("trailing comma before ']'") end
      elseif c == "]" then
        pos = pos + 1
        return arr
      else
        fail("expected ',' or ']' after an array element, found " .. describe_here())
      end
    end
  end

  local function parse_object(depth)
    local obj = setmetatable({}, J.object_mt)
    local lines, numbers = {}, {}
    info.line_of[obj], info.number_text[obj] = lines, numbers
    pos = pos + 1
    skip_space()
    if text:sub(pos, pos) == "}" then pos = pos + 1; return obj end
    while true do
      skip_space()
      if text:sub(pos, pos) ~= '"' then
        fail("expected a key in double quotes, found " .. describe_here())
      end
      local key_pos, key_line = pos, line
      local key = parse_string()
      if lines[key] then fail(string.format('duplicate key "%s" (first at line %d)', key, lines[key]), key_pos) end
      lines[key] = key_line
      skip_space()
      if text:sub(pos, pos) ~= ":" then fail("expected ':' after the key \"" .. key .. "\", found " .. describe_here()) end
      pos = pos + 1
      skip_space()
      local v, num = parse_value(depth + 1)
      obj[key] = v
      numbers[key] = num
      skip_space()
      local c = text:sub(pos, pos)
      if c == "," then
        pos = pos + 1
        skip_space()
        if text:sub(pos, pos) == "}" then fail("trailing comma before '}'") end
      elseif c == "}" then
        pos = pos + 1
        return obj
      else
        fail("expected ',' or '}' after a value, found " .. describe_here())
      end
    end
  end

  function parse_value(depth)
    if depth > MAX_DEPTH then fail("nested deeper than " .. MAX_DEPTH .. " levels") end
    skip_space()
    local c = text:sub(pos, pos)
    if c == "{" then return parse_object(depth)
    elseif c == "[" then return parse_array(depth)
    elseif c == '"' then return parse_string()
    elseif c == "-" or c:match("%d") then return parse_number()
    elseif text:sub(pos, pos + 3) == "true" then pos = pos + 4; return true
    elseif text:sub(pos, pos + 4) == "false" then pos = pos + 5; return false
    elseif text:sub(pos, pos + 3) == "null" then pos = pos + 4; return J.null
    elseif c == "" then fail("unexpected end of the file (expected a value)")
    else fail("expected a value, found " .. describe_here()) end
  end

  local ok, result = pcall(function()
    if text:sub(1, 3) == "\239\187\191" then pos = 4 end -- UTF-8 byte order mark
    skip_space()
    local v = parse_value(0)
    skip_space()
    if pos <= #text then fail("unexpected " .. describe_here() .. " after the JSON value") end
    return v
  end)
  if ok then return result, info end
  if type(result) == "table" and result.json_error then
    return nil, { line = result.line, column = result.column, msg = result.msg }
  end
  error(result, 0)
end

return J
