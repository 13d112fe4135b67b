-- hedge.decimal: exact decimals for prices and sizes, as FFI cdata over runtime/decimal.c.
--
--   local D = require "hedge.decimal"
--   local px = D("3456.75")                 -- parse (raises on garbage); D.parse(s) -> nil, err
--   local bid = px:floor_to("0.05")         -- ticks and lots: floor_to / ceil_to / round_to / quantize
--   local ticks = bid:to_units("0.01", "exact")
--   local notional = px * D("0.5")          -- + - * and == < <= between decimals only
--   print(notional)                         -- plain text, no exponent, no trailing zeros
--
-- Method operands (ticks, divisors) may be decimals or decimal strings, both exact.
-- A Lua number never turns into a decimal by accident: mixing one into arithmetic or a
-- comparison raises, and D.from_number(x) is the explicit (shortest round-trip) conversion.
-- Rounding modes are named "down", "up", "floor", "ceil", "half_up", "half_down",
-- "half_even", "exact"; a missing or unknown mode raises. Data problems (division by zero,
-- overflow, an inexact "exact" rounding) come back as nil, err from methods and raise from
-- operators, which cannot return two values.
local ffi = require "ffi"

-- Another module (or the host) may have declared the type already; declare what is missing.
if not pcall(ffi.typeof, "struct rt_decimal") then
  ffi.cdef [[
    struct rt_decimal { uint64_t lo; int64_t hi; int32_t scale; int32_t reserved; };
  ]]
end
if not pcall(ffi.typeof, "rt_decimal") then ffi.cdef "typedef struct rt_decimal rt_decimal;" end
-- Function declarations may be repeated as long as they agree.
ffi.cdef [[
  int rt_decimal_parse(rt_decimal *out, const char *text, size_t len, char *err, size_t errcap);
  size_t rt_decimal_format(const rt_decimal *value, char *buf, size_t cap, int min_scale);
  int rt_decimal_from_double(rt_decimal *out, double value);
  double rt_decimal_to_double(const rt_decimal *value);
  int rt_decimal_sign(const rt_decimal *value);
  int rt_decimal_cmp(const rt_decimal *a, const rt_decimal *b);
  int rt_decimal_neg(rt_decimal *out, const rt_decimal *a);
  int rt_decimal_abs(rt_decimal *out, const rt_decimal *a);
  int rt_decimal_add(rt_decimal *out, const rt_decimal *a, const rt_decimal *b);
  int rt_decimal_sub(rt_decimal *out, const rt_decimal *a, const rt_decimal *b);
  int rt_decimal_mul(rt_decimal *out, const rt_decimal *a, const rt_decimal *b);
  int rt_decimal_div(rt_decimal *out, const rt_decimal *a, const rt_decimal *b, int32_t scale, int mode);
  int rt_decimal_rescale(rt_decimal *out, const rt_decimal *a, int32_t scale, int mode);
  int rt_decimal_quantize(rt_decimal *out, const rt_decimal *a, const rt_decimal *increment, int mode);
  int rt_decimal_to_units(int64_t *units, const rt_decimal *a, const rt_decimal *increment, int mode);
  void rt_decimal_normalize(rt_decimal *value);
  const char *rt_decimal_status_text(int status);
]]

local C = ffi.C
local decimal_t = ffi.typeof("rt_decimal")
local units_box = ffi.new("int64_t[1]")
local err_buffer = ffi.new("char[160]")
local text_buffer = ffi.new("char[84]") -- RT_DECIMAL_TEXT_MAX

local OK, INVALID, OVERFLOW, DIVISION_BY_ZERO, INEXACT, BAD_ARGUMENT = 0, 1, 2, 3, 4, 5
local MODES = { down = 0, up = 1, floor = 2, ceil = 3, half_up = 4, half_down = 5, half_even = 6, exact = 7 }
local MAX_SCALE = 38
local SAFE_INTEGER = 2 ^ 53

local D = {}
local methods = {}

local function is_decimal(v) return type(v) == "cdata" and ffi.istype(decimal_t, v) end

local function status_text(status) return ffi.string(C.rt_decimal_status_text(status)) end

-- Parses a Lua string; returns the decimal or nil and the message naming the problem.
local function parse(text)
  local out = decimal_t()
  local status = C.rt_decimal_parse(out, text, #text, err_buffer, 160)
  if status ~= OK then return nil, ffi.string(err_buffer) end
  return out
end

-- An operand of a method: a decimal, or a string parsed strictly (exact either way).
-- Numbers are refused: their conversion must be written out with D.from_number.
local function operand(v, what, level)
  if is_decimal(v) then return v end
  if type(v) == "string" then
    local d, err = parse(v)
    if not d then error(string.format("%s: invalid decimal %q: %s", what, v, err), level + 1) end
    return d
  end
  if type(v) == "number" then
    error(what .. ": a Lua number is not a decimal; convert it explicitly with D.from_number", level + 1)
  end
  error(what .. ": expected a decimal or a decimal string, got " .. type(v), level + 1)
end

local function mode_of(name, what, level)
  local mode = MODES[name]
  if mode == nil then
    if name == nil then
      error(what .. ": rounding mode required (down, up, floor, ceil, half_up, half_down, half_even, exact)", level + 1)
    end
    error(string.format("%s: unknown rounding mode %s (down, up, floor, ceil, half_up, half_down, half_even, exact)",
      what, type(name) == "string" and string.format("%q", name) or tostring(name)), level + 1)
  end
  return mode
end

local function scale_of(n, what, level)
  if type(n) ~= "number" or n ~= math.floor(n) or n < 0 or n > MAX_SCALE then
    error(string.format("%s: scale must be an integer from 0 to %d, got %s", what, MAX_SCALE, tostring(n)), level + 1)
  end
  return n
end

-- Operators: both sides must be decimals; failures raise because an operator cannot return nil, err.
local function binary(fn, symbol)
  return function(a, b)
    if not is_decimal(a) or not is_decimal(b) then
      local other = is_decimal(a) and b or a
      error(string.format("decimal %s %s: both operands must be decimals (convert explicitly with D(...) or D.from_number)",
        symbol, type(other)), 2)
    end
    local out = decimal_t()
    local status = fn(out, a, b)
    if status ~= OK then error("decimal " .. symbol .. ": " .. status_text(status), 2) end
    return out
  end
end

local function comparable(a, b, symbol)
  if is_decimal(a) and is_decimal(b) then return true end
  local other = is_decimal(a) and b or a
  error(string.format("decimal %s %s: compare decimals with decimals (convert explicitly with D(...) or D.from_number)",
    symbol, type(other)), 3)
end

local function format(d, min_scale)
  local n = C.rt_decimal_format(d, text_buffer, 84, min_scale)
  if n == 0 then error("decimal: malformed value cannot be formatted", 3) end
  return ffi.string(text_buffer, n)
end

local metatable = {
  __index = methods,
  __add = binary(C.rt_decimal_add, "+"),
  __sub = binary(C.rt_decimal_sub, "-"),
  __mul = binary(C.rt_decimal_mul, "*"),
  __div = function() error("decimal /: division needs a scale and a rounding mode, use a:div(b, scale, mode)", 2) end,
  __mod = function() error("decimal %: not supported", 2) end,
  __pow = function() error("decimal ^: not supported", 2) end,
  __unm = function(a)
    local out = decimal_t()
    C.rt_decimal_neg(out, a)
    return out
  end,
  __eq = function(a, b)
    if is_decimal(a) and is_decimal(b) then return C.rt_decimal_cmp(a, b) == 0 end
    local other = is_decimal(a) and b or a
    -- `d == nil` and the like are ordinary questions; comparing with a number or a string
    -- would silently be false and hide a missing conversion.
    if type(other) == "number" or type(other) == "string" then comparable(a, b, "==") end
    return false
  end,
  __lt = function(a, b) return comparable(a, b, "<") and C.rt_decimal_cmp(a, b) < 0 end,
  __le = function(a, b) return comparable(a, b, "<=") and C.rt_decimal_cmp(a, b) <= 0 end,
  __tostring = function(a) return format(a, -1) end,
  __concat = function(a, b)
    return (is_decimal(a) and format(a, -1) or a) .. (is_decimal(b) and format(b, -1) or b)
  end,
}

-- Methods ------------------------------------------------------------------------------------

function methods:div(b, scale, mode)
  b = operand(b, "div", 2)
  scale = scale_of(scale, "div", 2)
  mode = mode_of(mode, "div", 2)
  local out = decimal_t()
  local status = C.rt_decimal_div(out, self, b, scale, mode)
  if status ~= OK then return nil, status_text(status) end
  return out
end

local function quantize(self, tick, mode, what)
  tick = operand(tick, what, 3)
  local out = decimal_t()
  local status = C.rt_decimal_quantize(out, self, tick, mode)
  if status == BAD_ARGUMENT then return nil, what .. ": increment must be positive, got " .. format(tick, -1) end
  if status ~= OK then return nil, status_text(status) end
  return out
end

function methods:quantize(tick, mode) return quantize(self, tick, mode_of(mode, "quantize", 2), "quantize") end
function methods:floor_to(tick) return quantize(self, tick, MODES.floor, "floor_to") end
function methods:ceil_to(tick) return quantize(self, tick, MODES.ceil, "ceil_to") end
function methods:round_to(tick) return quantize(self, tick, MODES.half_even, "round_to") end

function methods:to_units(increment, mode)
  increment = operand(increment, "to_units", 2)
  mode = mode_of(mode, "to_units", 2)
  local status = C.rt_decimal_to_units(units_box, self, increment, mode)
  if status == BAD_ARGUMENT then return nil, "to_units: increment must be positive, got " .. format(increment, -1) end
  if status == OVERFLOW then error("to_units: " .. format(self, -1) .. " is more increments than an int64 holds", 2) end
  if status ~= OK then return nil, status_text(status) end
  local units = tonumber(units_box[0])
  -- tonumber rounds above 2^53; a unit count the wire carries must never be rounded.
  if units >= SAFE_INTEGER or units <= -SAFE_INTEGER then
    error("to_units: " .. tostring(units_box[0]):gsub("LL$", "") .. " increments do not fit a Lua number exactly", 2)
  end
  return units
end

function methods:rescale(scale, mode)
  scale = scale_of(scale, "rescale", 2)
  mode = mode_of(mode, "rescale", 2)
  local out = decimal_t()
  local status = C.rt_decimal_rescale(out, self, scale, mode)
  if status ~= OK then return nil, status_text(status) end
  return out
end

function methods:format(min_scale)
  if min_scale == nil then return format(self, -1) end
  return format(self, scale_of(min_scale, "format", 2))
end

function methods:to_number() return C.rt_decimal_to_double(self) end
function methods:sign() return C.rt_decimal_sign(self) end
function methods:is_zero() return C.rt_decimal_sign(self) == 0 end

function methods:abs()
  local out = decimal_t()
  C.rt_decimal_abs(out, self)
  return out
end

function methods:cmp(b)
  b = operand(b, "cmp", 2)
  return C.rt_decimal_cmp(self, b)
end

-- The same value without trailing fractional zeros ("1.500" -> "1.5").
function methods:normalize()
  local out = decimal_t(self)
  C.rt_decimal_normalize(out)
  return out
end

decimal_t = ffi.metatype(decimal_t, metatable)

-- Module functions ---------------------------------------------------------------------------

-- D(v) / D.new(v): a decimal from its text (raises on garbage, naming the problem).
local function construct(v, who)
  if is_decimal(v) then return v end
  if type(v) ~= "string" then
    if type(v) == "number" then error(who .. ": a Lua number is not a decimal; use D.from_number(x) or a string", 3) end
    error(who .. ": expected a decimal string, got " .. type(v), 3)
  end
  local d, err = parse(v)
  if not d then error(string.format("invalid decimal %q: %s", v, err), 3) end
  return d
end

function D.new(v) return construct(v, "D.new") end

function D.parse(s)
  if type(s) ~= "string" then error("D.parse: expected a string, got " .. type(s), 2) end
  return parse(s)
end

function D.from_number(x)
  if type(x) ~= "number" then error("D.from_number: expected a number, got " .. type(x), 2) end
  local out = decimal_t()
  local status = C.rt_decimal_from_double(out, x)
  if status == INVALID then return nil, "from_number: " .. tostring(x) .. " is not a finite number" end
  if status ~= OK then return nil, "from_number: " .. tostring(x) .. ": " .. status_text(status) end
  return out
end

D.is_decimal = is_decimal
D.modes = { "down", "up", "floor", "ceil", "half_up", "half_down", "half_even", "exact" }

function D.min(a, b)
  a, b = operand(a, "D.min", 2), operand(b, "D.min", 2)
  return C.rt_decimal_cmp(a, b) <= 0 and a or b
end

function D.max(a, b)
  a, b = operand(a, "D.max", 2), operand(b, "D.max", 2)
  return C.rt_decimal_cmp(a, b) >= 0 and a or b
end

return setmetatable(D, { __call = function(_, v) return construct(v, "D()") end })
