-- Every spelling a key may take on its way into some output, for the secrets audit
-- (tests/secrets/canary_audit.lua): the bytes of a key in hex (lower, upper, 0x), base58,
-- base64 (standard, URL-safe, with and without padding) and as a decimal integer (big- and
-- little-endian), plus the text forms of tokens. Plain Lua on byte lists, written for
-- clarity, not speed: keys are at most 64 bytes.
local E = {}

local B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
local B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

function E.hex_bytes(text)
  text = text:gsub("^0[xX]", "")
  if #text % 2 ~= 0 or text:find("[^%x]") then return nil end
  local bytes = {}
  for i = 1, #text, 2 do bytes[#bytes + 1] = tonumber(text:sub(i, i + 1), 16) end
  return bytes
end

function E.hex(bytes)
  local parts = {}
  for i, b in ipairs(bytes) do parts[i] = ("%02x"):format(b) end
  return table.concat(parts)
end

-- Divides a big-endian number (list of digits in `base`) by `divisor` in place; returns the remainder.
local function divide(number, base, divisor)
  local remainder = 0
  for i = 1, #number do
    local value = remainder * base + number[i]
    number[i] = math.floor(value / divisor)
    remainder = value % divisor
  end
  return remainder
end

local function is_zero(number)
  for _, d in ipairs(number) do if d ~= 0 then return false end end
  return true
end

-- The digits of a big-endian byte number in another base, most significant first.
local function to_base(bytes, base)
  local number, digits = {}, {}
  for i, b in ipairs(bytes) do number[i] = b end
  while not is_zero(number) do table.insert(digits, 1, divide(number, 256, base)) end
  return digits
end

function E.base58(bytes)
  local zeros = 0
  while zeros < #bytes and bytes[zeros + 1] == 0 do zeros = zeros + 1 end
  local out = { ("1"):rep(zeros) }
  for _, d in ipairs(to_base(bytes, 58)) do out[#out + 1] = B58:sub(d + 1, d + 1) end
  return table.concat(out)
end

function E.base58_bytes(text)
  local number = {}   -- big-endian bytes
  for i = 1, #text do
    local digit = B58:find(text:sub(i, i), 1, true)
    if not digit then return nil end
    local carry = digit - 1
    for j = #number, 1, -1 do
      carry = carry + number[j] * 58
      number[j] = carry % 256
      carry = math.floor(carry / 256)
    end
    while carry > 0 do table.insert(number, 1, carry % 256); carry = math.floor(carry / 256) end
  end
  local ones = text:match("^1*")
  for _ = 1, #ones do table.insert(number, 1, 0) end
  return number
end

function E.base64(bytes, url, pad)
  local alphabet = url and B64:sub(1, 62) .. "-_" or B64
  local out = {}
  for i = 1, #bytes, 3 do
    local a, b, c = bytes[i], bytes[i + 1], bytes[i + 2]
    local n = a * 65536 + (b or 0) * 256 + (c or 0)
    local chars = 2 + (b and 1 or 0) + (c and 1 or 0)
    for k = 1, 4 do
      local index = math.floor(n / 64 ^ (4 - k)) % 64
      if k <= chars then out[#out + 1] = alphabet:sub(index + 1, index + 1)
      elseif pad then out[#out + 1] = "=" end
    end
  end
  return table.concat(out)
end

-- Bytes of base64 text in either alphabet, padded or not; nil when it is not base64.
function E.base64_bytes(text)
  text = text:gsub("=+$", "")
  if text:find("[^%w%+/%-_]") or #text % 4 == 1 then return nil end
  local bytes, bits, value = {}, 0, 0
  for i = 1, #text do
    local c = text:sub(i, i)
    local index = c == "-" and 62 or c == "_" and 63 or (B64:find(c, 1, true) - 1)
    value = value * 64 + index
    bits = bits + 6
    if bits >= 8 then
      bits = bits - 8
      bytes[#bytes + 1] = math.floor(value / 2 ^ bits) % 256
      value = value % 2 ^ bits
    end
  end
  return bytes
end

function E.decimal(bytes)
  local digits = to_base(bytes, 10)
  if #digits == 0 then return "0" end
  return table.concat(digits)
end

local function reversed(bytes)
  local out = {}
  for i = #bytes, 1, -1 do out[#out + 1] = bytes[i] end
  return out
end

local function text_bytes(text)
  local bytes = {}
  for i = 1, #text do bytes[i] = text:byte(i) end
  return bytes
end

-- encodings(value, kind) -> {{name, text}}: kind "hex" (a hex key), "base58" (a base58 key),
-- "token" (an opaque secret text: API secrets, passphrases, API keys).
function E.encodings(value, kind)
  local out = {}
  local function add(name, text) if text and #text > 0 then out[#out + 1] = { name, text } end end
  local function of_bytes(prefix, bytes)
    local hex = E.hex(bytes)
    add(prefix .. "hex", hex)
    add(prefix .. "HEX", hex:upper())
    add(prefix .. "0x-hex", "0x" .. hex)
    add(prefix .. "base58", E.base58(bytes))
    add(prefix .. "base64", E.base64(bytes, false, true))
    add(prefix .. "base64url", E.base64(bytes, true, false))
    add(prefix .. "decimal", E.decimal(bytes))
    add(prefix .. "decimal-le", E.decimal(reversed(bytes)))
  end
  add("as given", value)
  if kind == "hex" then
    of_bytes("", assert(E.hex_bytes(value), "not hex"))
  elseif kind == "base58" then
    local bytes = assert(E.base58_bytes(value), "not base58")
    of_bytes("", bytes)
    add("upper-case", value:upper())
    if #bytes == 64 then   -- a Solana secret key: seed (secret) then public key (not secret)
      local seed = {}
      for i = 1, 32 do seed[i] = bytes[i] end
      of_bytes("seed ", seed)
    end
  else
    add("upper-case", value:upper())
    add("lower-case", value:lower())
    add("base64 of the text", E.base64(text_bytes(value), false, true))
    local decoded = E.base64_bytes(value)
    if decoded and #decoded >= 8 then of_bytes("decoded ", decoded) end
  end
  return out
end

return E
