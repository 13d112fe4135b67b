-- hedge.prometheus: the Prometheus text exposition format (version 0.0.4), written by hand
-- because it is small and exact: HELP and TYPE lines, escaped label values, histograms with
-- cumulative buckets.
--
--   local P = require "hedge.prometheus"
--   local doc = P.document()
--   doc:gauge("hedge_state", "1 for the state the bot is in", {{labels = {state = "IDLE"}, value = 1}})
--   doc:counter("hedge_cycles_total", "completed cycles", 3)
--   local h = P.histogram{0.05, 0.1, 0.25}; h:observe(0.07)
--   doc:histogram("hedge_order_latency_seconds", "...", {{labels = {venue = "lighter"}, histogram = h}})
--   local text = doc:text()        -- serve with P.CONTENT_TYPE
--
-- Names and label names are checked (a bad one raises: it is a programmer error); label values
-- may be any text. A family with no samples is still declared (HELP and TYPE only).
local M = { CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8" }

local NAME = "^[a-zA-Z_:][a-zA-Z0-9_:]*$"
local LABEL = "^[a-zA-Z_][a-zA-Z0-9_]*$"

-- Go's ParseFloat reads every form written here: integers, %.17g, +Inf, -Inf, NaN.
function M.number(v)
  if v ~= v then return "NaN" end
  if v == math.huge then return "+Inf" end
  if v == -math.huge then return "-Inf" end
  if v == math.floor(v) and math.abs(v) < 2 ^ 53 then return ("%d"):format(v) end
  local text = ("%.15g"):format(v)
  if tonumber(text) ~= v then text = ("%.17g"):format(v) end
  return text
end

local function escape_label(v)
  return (tostring(v):gsub("\\", "\\\\"):gsub("\n", "\\n"):gsub('"', '\\"'))
end

local function escape_help(v)
  return (tostring(v):gsub("\\", "\\\\"):gsub("\n", "\\n"))
end

-- labels: {name = value} written in name order (stable output); extra: one more pair ("le").
local function label_text(labels, extra_name, extra_value)
  local names = {}
  for k in pairs(labels or {}) do
    if type(k) ~= "string" or not k:match(LABEL) or k:sub(1, 2) == "__" then
      error("prometheus: bad label name " .. tostring(k), 4)
    end
    names[#names + 1] = k
  end
  table.sort(names)
  local parts = {}
  for _, k in ipairs(names) do parts[#parts + 1] = k .. '="' .. escape_label(labels[k]) .. '"' end
  if extra_name then parts[#parts + 1] = extra_name .. '="' .. escape_label(extra_value) .. '"' end
  if #parts == 0 then return "" end
  return "{" .. table.concat(parts, ",") .. "}"
end

local Document = {}
Document.__index = Document

function M.document()
  return setmetatable({ lines = {}, seen = {} }, Document)
end

local function declare(self, name, help, kind)
  if type(name) ~= "string" or not name:match(NAME) then error("prometheus: bad metric name " .. tostring(name), 3) end
  if self.seen[name] then error("prometheus: metric " .. name .. " declared twice", 3) end
  self.seen[name] = true
  local lines = self.lines
  lines[#lines + 1] = "# HELP " .. name .. " " .. escape_help(help or "")
  lines[#lines + 1] = "# TYPE " .. name .. " " .. kind
end

-- samples: a number (one sample without labels) or a list of {labels = {...}, value = n}.
local function simple(kind)
  return function(self, name, help, samples)
    if kind == "counter" and not name:match("_total$") then error("prometheus: counter " .. name .. " must end in _total", 2) end
    declare(self, name, help, kind)
    if type(samples) == "number" then samples = { { value = samples } } end
    for _, s in ipairs(samples or {}) do
      if type(s.value) ~= "number" then error("prometheus: " .. name .. ": sample value is not a number", 2) end
      self.lines[#self.lines + 1] = name .. label_text(s.labels) .. " " .. M.number(s.value)
    end
    return self
  end
end
Document.gauge = simple("gauge")
Document.counter = simple("counter")

-- series: list of {labels = {...}, histogram = P.histogram value}
function Document:histogram(name, help, series)
  declare(self, name, help, "histogram")
  for _, s in ipairs(series or {}) do
    local h = s.histogram
    local cumulative = 0
    for i, bound in ipairs(h.bounds) do
      cumulative = cumulative + h.counts[i]
      self.lines[#self.lines + 1] = name .. "_bucket" .. label_text(s.labels, "le", M.number(bound)) .. " " .. M.number(cumulative)
    end
    self.lines[#self.lines + 1] = name .. "_bucket" .. label_text(s.labels, "le", "+Inf") .. " " .. M.number(h.count)
    self.lines[#self.lines + 1] = name .. "_sum" .. label_text(s.labels) .. " " .. M.number(h.sum)
    self.lines[#self.lines + 1] = name .. "_count" .. label_text(s.labels) .. " " .. M.number(h.count)
  end
  return self
end

function Document:text()
  return table.concat(self.lines, "\n") .. "\n"
end

-- ---- histograms ------------------------------------------------------------------------------

local Histogram = {}
Histogram.__index = Histogram

-- bounds: increasing upper bounds (the +Inf bucket is implicit).
function M.histogram(bounds)
  assert(type(bounds) == "table" and #bounds > 0, "prometheus.histogram: bucket bounds required")
  for i = 2, #bounds do assert(bounds[i] > bounds[i - 1], "prometheus.histogram: bounds must increase") end
  local counts = {}
  for i = 1, #bounds do counts[i] = 0 end
  return setmetatable({ bounds = bounds, counts = counts, sum = 0, count = 0 }, Histogram)
end

function Histogram:observe(v)
  self.sum = self.sum + v
  self.count = self.count + 1
  for i, bound in ipairs(self.bounds) do
    if v <= bound then self.counts[i] = self.counts[i] + 1; return end
  end
end

return M
