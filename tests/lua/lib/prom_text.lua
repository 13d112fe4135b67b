-- A strict parser of the Prometheus text exposition format (version 0.0.4), written for the
-- tests of /metrics: it takes nothing on trust from the writer (hedge.prometheus) it checks.
--
--   local prom = require "lib.prom_text"
--   local doc, err = prom.parse(text)        -- nil, "line N: what is wrong" on any violation
--   doc.families[name] = {name, type, help, samples = {{name, labels = {k = v}, value}}}
--   prom.value(doc, "hedge_state", {state = "HOLDING"}) -> number | nil
--
-- Checked: line syntax (names, label sets with escapes, Go float values, optional timestamp);
-- HELP and TYPE at most once per family and TYPE before its samples; a family's lines together;
-- sample names belong to their family (histogram: _bucket with le, _sum, _count; counter and
-- gauge: the name itself); no series twice; histogram buckets cumulative in le order, with
-- +Inf equal to _count; counters not negative.
local M = {}

local NAME = "^[a-zA-Z_:][a-zA-Z0-9_:]*$"
local LABEL = "^[a-zA-Z_][a-zA-Z0-9_]*$"
local TYPES = { counter = true, gauge = true, histogram = true, summary = true, untyped = true }

-- Go's strconv.ParseFloat forms the format allows.
local function parse_value(s)
  if s == "+Inf" or s == "Inf" then return math.huge end
  if s == "-Inf" then return -math.huge end
  if s == "NaN" then return 0 / 0 end
  if not (s:match("^[+-]?%d+%.?%d*$") or s:match("^[+-]?%d*%.%d+$") or s:match("^[+-]?%d+%.?%d*[eE][+-]?%d+$")
          or s:match("^[+-]?%d*%.%d+[eE][+-]?%d+$")) then
    return nil
  end
  return tonumber(s)
end
M.parse_value = parse_value

-- Parses `{a="x",b="y\"z"}` starting at position i of line; returns labels, next position.
local function parse_labels(line, i)
  local labels = {}
  assert(line:sub(i, i) == "{")
  i = i + 1
  while true do
    local c = line:sub(i, i)
    if c == "}" then return labels, i + 1 end
    local name, after = line:match("^([^=%s,}]+)=()", i)
    if not name then return nil, "expected label=\"value\" at column " .. i end
    if not name:match(LABEL) then return nil, "bad label name " .. name end
    if labels[name] ~= nil then return nil, "label " .. name .. " given twice" end
    i = after
    if line:sub(i, i) ~= '"' then return nil, "label " .. name .. ": value must be quoted" end
    i = i + 1
    local parts = {}
    while true do
      c = line:sub(i, i)
      if c == "" then return nil, "label " .. name .. ": unterminated value" end
      if c == '"' then i = i + 1; break end
      if c == "\\" then
        local e = line:sub(i + 1, i + 1)
        if e == "n" then parts[#parts + 1] = "\n"
        elseif e == "\\" then parts[#parts + 1] = "\\"
        elseif e == '"' then parts[#parts + 1] = '"'
        else return nil, "label " .. name .. ": bad escape \\" .. e end
        i = i + 2
      else
        parts[#parts + 1] = c
        i = i + 1
      end
    end
    labels[name] = table.concat(parts)
    c = line:sub(i, i)
    if c == "," then i = i + 1
    elseif c ~= "}" then return nil, "expected , or } after label " .. name end
  end
end

local function series_key(name, labels)
  local keys = {}
  for k in pairs(labels) do keys[#keys + 1] = k end
  table.sort(keys)
  local parts = { name }
  for _, k in ipairs(keys) do parts[#parts + 1] = k .. "=" .. labels[k] end
  return table.concat(parts, "\0")
end

-- The family a sample name belongs to, given the declared types.
local function family_of(name, families)
  if families[name] then return name, "" end
  for _, suffix in ipairs { "_bucket", "_sum", "_count" } do
    local base = name:sub(1, -#suffix - 1)
    if name:sub(-#suffix) == suffix and families[base] and
      (families[base].type == "histogram" or (families[base].type == "summary" and suffix ~= "_bucket")) then
      return base, suffix
    end
  end
  return nil
end

local function check_histograms(doc)
  for name, f in pairs(doc.families) do
    if f.type == "histogram" then
      local groups = {}
      for _, s in ipairs(f.samples) do
        local base = {}
        for k, v in pairs(s.labels) do if k ~= "le" then base[k] = v end end
        local key = series_key(name, base)
        local g = groups[key] or { buckets = {} }
        groups[key] = g
        if s.name == name .. "_bucket" then
          if not s.labels.le then return nil, name .. ": a bucket without le" end
          local le = parse_value(s.labels.le)
          if not le then return nil, name .. ": bad le " .. s.labels.le end
          g.buckets[#g.buckets + 1] = { le = le, value = s.value }
        elseif s.name == name .. "_sum" then g.sum = s.value
        elseif s.name == name .. "_count" then g.count = s.value end
      end
      for _, g in pairs(groups) do
        table.sort(g.buckets, function(a, b) return a.le < b.le end)
        local last = g.buckets[#g.buckets]
        if not last or last.le ~= math.huge then return nil, name .. ": no +Inf bucket" end
        for i = 2, #g.buckets do
          if g.buckets[i].value < g.buckets[i - 1].value then return nil, name .. ": buckets are not cumulative" end
        end
        if g.count == nil or g.sum == nil then return nil, name .. ": _sum or _count missing" end
        if last.value ~= g.count then return nil, name .. ": +Inf bucket differs from _count" end
      end
    end
  end
  return true
end

function M.parse(text)
  if type(text) ~= "string" then return nil, "not text" end
  if text ~= "" and text:sub(-1) ~= "\n" then return nil, "the exposition must end with a newline" end
  local doc = { families = {}, order = {} }
  local seen_series, current, closed = {}, nil, {}
  local n = 0
  for line in text:gmatch("([^\n]*)\n") do
    n = n + 1
    local function fail(msg) return nil, ("line %d: %s: %s"):format(n, msg, line) end
    if line == "" then
      -- blank lines are allowed
    elseif line:sub(1, 1) == "#" then
      local kw, name, rest = line:match("^#%s+(%u+)%s+(%S+)%s?(.*)$")
      if kw == "HELP" or kw == "TYPE" then
        if not name:match(NAME) then return fail("bad metric name") end
        local f = doc.families[name]
        if not f then
          if closed[name] then return fail("family " .. name .. " appears twice, apart") end
          f = { name = name, samples = {} }
          doc.families[name] = f
          doc.order[#doc.order + 1] = name
        end
        if current and current ~= name then closed[current] = true end
        if closed[name] and current ~= name then return fail("family " .. name .. " split") end
        current = name
        if kw == "HELP" then
          if f.help then return fail("second HELP") end
          f.help = rest:gsub("\\n", "\n"):gsub("\\\\", "\\")
        else
          if #f.samples > 0 then return fail("TYPE after samples") end
          if f.type then return fail("second TYPE") end
          if not TYPES[rest] then return fail("unknown type") end
          f.type = rest
        end
      end
    else
      local name, i = line:match("^([a-zA-Z_:][a-zA-Z0-9_:]*)()")
      if not name then return fail("bad sample name") end
      local labels = {}
      if line:sub(i, i) == "{" then
        local l, next_i = parse_labels(line, i)
        if not l then return fail(next_i) end
        labels, i = l, next_i
      end
      local value_text, ts = line:sub(i):match("^ (%S+)( ?%-?%d*)$")
      if not value_text then return fail("expected one space and a value") end
      if ts ~= "" and not ts:match("^ %-?%d+$") then return fail("bad timestamp") end
      local value = parse_value(value_text)
      if not value then return fail("bad value") end
      local fname, suffix = family_of(name, doc.families)
      if not fname then
        fname, suffix = name, ""
        doc.families[name] = { name = name, type = "untyped", samples = {} }
        doc.order[#doc.order + 1] = name
      end
      local f = doc.families[fname]
      if current and current ~= fname then closed[current] = true end
      if closed[fname] and current ~= fname then return fail("family " .. fname .. " split") end
      current = fname
      if (f.type == "counter" or f.type == "gauge" or f.type == "untyped") and suffix ~= "" then
        return fail("sample name does not match its " .. f.type)
      end
      if f.type == "histogram" and suffix == "" then return fail("a histogram sample needs _bucket, _sum or _count") end
      if f.type == "histogram" and suffix == "_bucket" and not labels.le then return fail("bucket without le") end
      if f.type == "counter" and value < 0 then return fail("negative counter") end
      local key = series_key(name, labels)
      if seen_series[key] then return fail("series given twice") end
      seen_series[key] = true
      f.samples[#f.samples + 1] = { name = name, labels = labels, value = value }
    end
  end
  local ok, err = check_histograms(doc)
  if not ok then return nil, err end
  return doc
end

-- The value of the sample of family/sample `name` whose labels equal `labels` exactly.
function M.value(doc, name, labels)
  labels = labels or {}
  local fname = family_of(name, doc.families) or name
  local f = doc.families[fname]
  if not f then return nil end
  local want = series_key(name, labels)
  for _, s in ipairs(f.samples) do
    if s.name == name and series_key(s.name, s.labels) == want then return s.value end
  end
  return nil
end

-- Every sample of a family (or of one sample name), for looser checks.
function M.samples(doc, name)
  local fname = family_of(name, doc.families) or name
  local f = doc.families[fname]
  local out = {}
  for _, s in ipairs(f and f.samples or {}) do
    if s.name == name then out[#out + 1] = s end
  end
  return out
end

return M
