-- Plain-text tables for the operator tools: aligned columns that read the same in a terminal,
-- a log file and a test's captured output (no colours; flags are words such as LOW VOLUME).
--
--   local T = require "tools.text_table"
--   local lines = T.render({ {"venue"}, {"size", align = "right"} }, rows)
--   -- rows: lists of cells (strings, numbers or hedge.decimal values; nil prints "-")
local T = {}

-- Display width: UTF-8 continuation bytes take no column (★, ◀ and ↑ are one column each).
local function width(s)
  local _, continuation = s:gsub("[\128-\191]", "")
  return #s - continuation
end
T.width = width

local function cell(v)
  if v == nil then return "-" end
  return tostring(v)
end

local function pad(s, w, right)
  local gap = w - width(s)
  if gap <= 0 then return s end
  return right and (string.rep(" ", gap) .. s) or (s .. string.rep(" ", gap))
end

-- columns: { {title, align = "left" | "right"}, ... }; returns the lines (header, rule, rows).
function T.render(columns, rows)
  local widths = {}
  for i, c in ipairs(columns) do widths[i] = width(c[1]) end
  local text = {}
  for r, row in ipairs(rows) do
    text[r] = {}
    for i = 1, #columns do
      local s = cell(row[i])
      text[r][i] = s
      if width(s) > widths[i] then widths[i] = width(s) end
    end
  end
  local function line(cells)
    local parts = {}
    for i, c in ipairs(columns) do
      local last = i == #columns
      local s = pad(cells[i], widths[i], c.align == "right")
      parts[i] = last and c.align ~= "right" and cells[i] or s
    end
    return (table.concat(parts, "  "):gsub("%s+$", ""))
  end
  local header = {}
  for i, c in ipairs(columns) do header[i] = c[1] end
  local out = { line(header) }
  local rule = {}
  for i = 1, #columns do rule[i] = string.rep("-", widths[i]) end
  out[2] = table.concat(rule, "  ")
  for _, cells in ipairs(text) do out[#out + 1] = line(cells) end
  return out
end

-- Money with thousands separators and a fixed number of decimals: 1234567.891 -> "1,234,567.89".
function T.money(x, decimals)
  if x == nil then return nil end
  if type(x) == "cdata" then x = x:to_number() end
  local s = ("%." .. (decimals or 2) .. "f"):format(x)
  local sign, int, frac = s:match("^(-?)(%d+)(.*)$")
  int = int:reverse():gsub("(%d%d%d)", "%1,"):reverse():gsub("^,", "")
  return sign .. int .. frac
end

-- Compact USD: 1.5B, 460.0M, 12.3k, 950.
function T.compact(x)
  if x == nil then return nil end
  if type(x) == "cdata" then x = x:to_number() end
  local a = math.abs(x)
  if a >= 1e9 then return ("%.1fB"):format(x / 1e9) end
  if a >= 1e6 then return ("%.1fM"):format(x / 1e6) end
  if a >= 1e3 then return ("%.1fk"):format(x / 1e3) end
  return ("%.0f"):format(x)
end

-- A fraction as a percentage with the given decimals: 0.0123 -> "1.23%".
function T.pct(fraction, decimals)
  if fraction == nil then return nil end
  if type(fraction) == "cdata" then fraction = fraction:to_number() end
  return ("%." .. (decimals or 2) .. "f%%"):format(fraction * 100)
end

-- Prints lines through print (which the REPL routes around its prompt).
function T.print(lines)
  for _, l in ipairs(lines) do print(l) end
end

return T
