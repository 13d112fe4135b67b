-- hedge.decimal from Lua: parsing and its errors, exact arithmetic, comparisons that refuse
-- Lua numbers, ticks and lots, rounding modes, units, conversions.
local D = require "hedge.decimal"
local t = require "lib.tap"

-- construction ---------------------------------------------------------------------------------
local a = D("1.25")
t.ok(D.is_decimal(a), "D(s) gives a decimal")
t.is(tostring(a), "1.25", "tostring")
t.is(tostring(D.new("-12.3400")), "-12.34", "D.new drops trailing zeros in text")
t.is(D.new("-12.3400").scale, 4, "... but keeps the scale")
t.is(D(a), a, "D(decimal) returns it")
t.is(D.is_decimal("1.25"), false, "a string is not a decimal")
t.is(D.is_decimal(1.25), false, "a number is not a decimal")
t.raises(function() return D("1.2.3") end, [[invalid decimal "1.2.3": unexpected character '.' at offset 3]], "D raises on garbage with the message")
t.raises(function() return D("") end, [[invalid decimal "": empty]], "empty string")
t.raises(function() return D(1.5) end, "a Lua number is not a decimal; use D.from_number", "D(number) raises")
t.raises(function() return D.new({}) end, "expected a decimal string, got table", "D.new(table) raises")

local d, err = D.parse("0x10")
t.is(d, nil, "D.parse returns nil on garbage")
t.is(err, "unexpected character 'x' at offset 1", "... and the message")
d, err = D.parse("123456789012345678901234567890123456789")
t.is(err, "more than 38 significant digits", "39 digits refused")
for _, bad in ipairs { "-", ".", "1e", " 1", "NaN", "inf", "1,5" } do
  t.is(D.parse(bad), nil, "D.parse refuses " .. string.format("%q", bad))
end
t.is(tostring(D.parse("1.5E+2")), "150", "exponent accepted")
t.raises(function() return D.parse(5) end, "D.parse: expected a string", "D.parse(number) raises")

-- arithmetic -----------------------------------------------------------------------------------
t.is(tostring(D("1.1") + D("2.22")), "3.32", "+")
t.is(tostring(D("1") - D("1.01")), "-0.01", "-")
t.is(tostring(D("0.1") * D("0.2")), "0.02", "*")
t.is(tostring(-D("2.5")), "-2.5", "unary minus")
t.is(tostring(-D("0")), "0", "unary minus of zero is zero")
t.is(tostring(D("-3.5"):abs()), "3.5", "abs")
t.is(D("-3.5"):sign(), -1, "sign negative")
t.is(D("-0"):sign(), 0, "sign of -0")
t.raises(function() return D("1") + 1 end, "both operands must be decimals", "decimal + number raises")
t.raises(function() return 1 + D("1") end, "both operands must be decimals", "number + decimal raises")
t.raises(function() return D("1") * "2" end, "both operands must be decimals", "decimal * string raises")
t.raises(function() return D("1") / D("3") end, "use a:div%(b, scale, mode%)", "/ explains how to divide")
local nines = D(string.rep("9", 38))
t.raises(function() return nines + D("1") end, "decimal %+: decimal overflow", "overflow in + raises")
t.raises(function() return nines * nines end, "decimal %*: decimal overflow", "overflow in * raises")

-- comparisons ----------------------------------------------------------------------------------
t.ok(D("1.50") == D("1.5"), "1.50 == 1.5")
t.ok(D("1.49") < D("1.5"), "<")
t.ok(D("1.5") <= D("1.50"), "<=")
t.ok(not (D("2") < D("-3")), "not 2 < -3")
t.ok(D("2") > D("-3"), "> via <")
t.ok(D("2") ~= D("2.01"), "~=")
t.raises(function() return D("1") == 1 end, "compare decimals with decimals", "== with a number raises")
t.raises(function() return D("1") < 2 end, "compare decimals with decimals", "< with a number raises")
t.raises(function() return 2 <= D("1") end, "compare decimals with decimals", "<= with a number raises")
t.ok(not (D("1") == nil), "== nil is simply false")
t.is(D("1.5"):cmp("1.50"), 0, "cmp with a string operand")
t.is(tostring(D.min(D("2"), "1.5")), "1.5", "D.min")
t.is(tostring(D.max("2", D("1.5"))), "2", "D.max")

-- division and rounding ------------------------------------------------------------------------
t.is(tostring(D("1"):div(D("3"), 5, "half_even")), "0.33333", "div to 5 places")
t.is(tostring(D("2"):div("3", 2, "down")), "0.66", "div with a string divisor")
t.is(tostring(D("1"):div("8", 2, "half_even")), "0.12", "div tie half_even")
t.is(tostring(D("1"):div("8", 2, "half_up")), "0.13", "div tie half_up")
d, err = D("1"):div(D("0"), 2, "down")
t.is(d, nil, "division by zero returns nil")
t.is(err, "division by zero", "... and says so")
d, err = D("1"):div("8", 2, "exact")
t.is(d, nil, "inexact exact division returns nil")
t.like(err, "^inexact", "... and says so")
t.raises(function() return D("1"):div("3", 2) end, "rounding mode required", "missing mode raises")
t.raises(function() return D("1"):div("3", 2, "nearest") end, [[unknown rounding mode "nearest"]], "unknown mode raises")
t.raises(function() return D("1"):div("3", 39, "down") end, "scale must be an integer from 0 to 38", "scale 39 raises")
t.raises(function() return D("1"):div("3", 1.5, "down") end, "scale must be an integer", "fractional scale raises")
t.raises(function() return D("1"):div(3, 2, "down") end, "convert it explicitly with D.from_number", "numeric divisor raises")

local expected = {
  --        down  up    floor ceil  half_up half_down half_even
  ["2.5"] = { "2", "3", "2", "3", "3", "2", "2" },
  ["-2.5"] = { "-2", "-3", "-3", "-2", "-3", "-2", "-2" },
  ["3.5"] = { "3", "4", "3", "4", "4", "3", "4" },
  ["-2.6"] = { "-2", "-3", "-3", "-2", "-3", "-3", "-3" },
  ["2.4"] = { "2", "3", "2", "3", "2", "2", "2" },
}
for value, row in pairs(expected) do
  for i, mode in ipairs { "down", "up", "floor", "ceil", "half_up", "half_down", "half_even" } do
    t.is(tostring(D(value):rescale(0, mode)), row[i], "rescale " .. value .. " " .. mode)
  end
  local r, e = D(value):rescale(0, "exact")
  t.ok(r == nil and e:match("^inexact"), "rescale " .. value .. " exact is inexact")
end
t.is(D("1.5"):rescale(3, "exact"):format(3), "1.500", "rescale up is exact; format(min_scale)")
d, err = nines:rescale(1, "down")
t.is(d, nil, "rescale overflow returns nil")
t.like(err, "overflow", "... naming the overflow")

-- ticks and lots --------------------------------------------------------------------------------
t.is(tostring(D("1.23"):floor_to("0.05")), "1.2", "floor_to 0.05")
t.is(tostring(D("1.23"):ceil_to(D("0.05"))), "1.25", "ceil_to 0.05")
t.is(tostring(D("1.225"):round_to("0.05")), "1.2", "round_to is half_even on a tie")
t.is(tostring(D("3.75"):round_to("0.5")), "4", "round_to 0.5")
t.is(tostring(D("-1.23"):floor_to("0.05")), "-1.25", "floor_to on a negative value")
t.is(tostring(D("1262.5"):quantize("25", "half_up")), "1275", "quantize to 25 half_up")
t.is(D("1.2"):quantize("0.50", "half_even"):format(2), "1.00", "quantize keeps the tick's scale")
d, err = D("1.2"):floor_to("0")
t.is(d, nil, "zero tick returns nil")
t.is(err, "floor_to: increment must be positive, got 0", "... naming the problem")
t.raises(function() return D("1.2"):quantize("0.05") end, "rounding mode required", "quantize without a mode raises")
t.raises(function() return D("1.2"):floor_to(0.05) end, "D.from_number", "numeric tick raises")

t.is(D("3456.75"):to_units("0.01", "exact"), 345675, "to_units exact")
t.is(D("0.123456"):to_units("0.00001", "floor"), 12345, "to_units floor")
t.is(D("-1.5"):to_units("1", "half_even"), -2, "to_units negative tie")
t.is(D("9007199254740991"):to_units("1", "exact"), 9007199254740991, "2^53 - 1 units fit a Lua number")
t.raises(function() return D("9007199254740992"):to_units("1", "exact") end, "do not fit a Lua number exactly", "2^53 units raise")
t.raises(function() return D("1e30"):to_units("1", "exact") end, "more increments than an int64 holds", "beyond int64 raises")
d, err = D("1.23"):to_units("0.05", "exact")
t.is(d, nil, "to_units exact on a non-multiple returns nil")
t.like(err, "^inexact", "... inexact")
t.raises(function() return D("1"):to_units("0.05", "sideways") end, "unknown rounding mode", "to_units unknown mode raises")

-- Pacifica vectors (exact decimal policy): same answers through Lua.
t.is(tostring(D("0.30000000000000004"):floor_to("0.01")), "0.3", "vector amount_floor_lot_0_01")
t.is(tostring(D("100000.5"):ceil_to("1")), "100001", "vector price_ceil_ask_tick_1")
t.is(tostring(D("3456.75"):quantize("0.1", "half_up")), "3456.8", "vector price_nearest_tick_0_1")

-- numbers -----------------------------------------------------------------------------------------
t.is(tostring(D.from_number(0.1)), "0.1", "from_number 0.1 (shortest round trip)")
t.is(tostring(D.from_number(1e-7)), "0.0000001", "from_number 1e-7")
t.is(tostring(D.from_number(123456.789)), "123456.789", "from_number 123456.789")
t.is(tostring(D.from_number(0.1 + 0.2)), "0.30000000000000004", "from_number 0.1 + 0.2")
d, err = D.from_number(0 / 0)
t.is(d, nil, "from_number NaN returns nil")
t.like(err, "not a finite number", "... and says why")
d, err = D.from_number(1e300)
t.is(d, nil, "from_number 1e300 returns nil")
t.like(err, "overflow", "... overflow")
t.raises(function() return D.from_number("1") end, "expected a number", "from_number(string) raises")
t.is(D("-123.456"):to_number(), -123.456, "to_number")
t.is(D("2.50"):normalize().scale, 1, "normalize")
t.ok(D("0.00"):is_zero(), "is_zero")
t.is("px=" .. D("1.50"), "px=1.5", "concatenation formats")
t.raises(function() return D("1"):format(-1) end, "scale must be an integer from 0 to 38", "format with a bad min_scale raises")

t.done()
