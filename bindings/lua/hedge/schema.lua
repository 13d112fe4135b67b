-- hedge.schema: declarative validation of configuration values, with messages a person can act on.
--
--   local S = require "hedge.schema"
--   local spec = S.object({
--     leverage = S.integer { min = 1, max = 100, required = true, doc = "leverage on every venue" },
--     hold_duration_hours = S.number { gt = 0, default = 8, doc = "hours from open to rotation" },
--     symbols_to_monitor = S.one_of({ S.array(S.string { pattern = "^%w+$" }, { min_items = 1 }), S.enum { "*" } },
--                                   { required = true }),
--   })
--   local value, errors, defaults = S.validate(spec, data, { file = "bot_config.json", info = info })
--
-- Types: string, number, integer, boolean, decimal (a string such as "100.5" or a JSON number,
-- kept as its exact text), enum, array(item), map(value) (an object with free keys), object(fields),
-- one_of(alternatives). Options: ranges (min, max, gt, lt), lengths (min_len, max_len, min_items,
-- max_items), pattern (+ pattern_doc), unique, check = function(value, report) for rules across
-- fields (an object's check also gets the raw value, so it can tell absent from invalid), doc (a
-- sentence for the documentation).
--
-- Every field of an object says what happens when it is absent: required = true, optional = true
-- (absent stays nil; the doc says what that means) or default = value. A default is part of the
-- schema, documented by S.document and reported back by S.validate (the third result lists every
-- default applied), never silent. Unknown keys are errors; keys starting with "comment" are
-- ignored. Validation reports every problem at once, each naming the file (and line when the
-- value came from hedge.json_strict), the key path, what was expected and what was found:
--   bot_config.json:12: venues.lighter.environment: expected one of "mainnet", "testnet", "sim", found "main"
local J = require "hedge.json_strict"

local S = {}

local Spec = {}
Spec.__index = Spec

local COMMON = { required = true, optional = true, default = true, doc = true, check = true, expected = true }
local OPTIONS = {
  string = { min_len = true, max_len = true, pattern = true, pattern_doc = true },
  number = { min = true, max = true, gt = true, lt = true },
  integer = { min = true, max = true, gt = true, lt = true },
  boolean = {},
  decimal = { min = true, max = true, gt = true, lt = true },
  enum = { values = true },
  array = { min_items = true, max_items = true, unique = true },
  map = { key_pattern = true, key_doc = true, min_items = true },
  object = {},
  one_of = {},
}

local function is_spec(v) return getmetatable(v) == Spec end

local function new(kind, opts, level)
  opts = opts or {}
  local s = setmetatable({ kind = kind }, Spec)
  for k, v in pairs(opts) do
    if type(k) == "number" and kind == "enum" then
      -- positional enum values
    elseif not COMMON[k] and not OPTIONS[kind][k] then
      error(string.format("schema: %s has no option '%s'", kind, tostring(k)), level + 1)
    else
      s[k] = v
    end
  end
  local modes = (s.required and 1 or 0) + (s.optional and 1 or 0) + (s.default ~= nil and 1 or 0)
  if modes > 1 then error("schema: say only one of required, optional or default", level + 1) end
  return s
end

function S.string(opts) return new("string", opts, 2) end
function S.number(opts) return new("number", opts, 2) end
function S.integer(opts) return new("integer", opts, 2) end
function S.boolean(opts) return new("boolean", opts, 2) end
function S.decimal(opts) return new("decimal", opts, 2) end

-- S.enum{"a", "b", default = "a"}: the allowed values (strings, numbers or booleans).
function S.enum(opts)
  local s = new("enum", opts, 2)
  s.values = s.values or {}
  for i = 1, #opts do s.values[#s.values + 1] = opts[i] end
  if #s.values == 0 then error("schema: enum needs at least one value", 2) end
  return s
end

function S.array(item, opts)
  if not is_spec(item) then error("schema: array needs an item spec", 2) end
  local s = new("array", opts, 2)
  s.item = item
  return s
end

function S.map(value, opts)
  if not is_spec(value) then error("schema: map needs a value spec", 2) end
  local s = new("map", opts, 2)
  s.value = value
  return s
end

-- S.object(fields [, opts]): every field spec must say required, optional or default.
function S.object(fields, opts)
  if type(fields) ~= "table" then error("schema: object needs a table of field specs", 2) end
  local s = new("object", opts, 2)
  s.fields, s.field_names = {}, {}
  for name, spec in pairs(fields) do
    if not is_spec(spec) then error("schema: field '" .. tostring(name) .. "' is not a spec", 2) end
    if not spec.required and not spec.optional and spec.default == nil then
      error("schema: field '" .. name .. "' must say required = true, optional = true or default = ...", 2)
    end
    s.fields[name] = spec
    s.field_names[#s.field_names + 1] = name
  end
  table.sort(s.field_names)
  return s
end

function S.one_of(alternatives, opts)
  if type(alternatives) ~= "table" or #alternatives < 2 then error("schema: one_of needs two or more specs", 2) end
  for i, a in ipairs(alternatives) do
    if not is_spec(a) then error("schema: one_of alternative " .. i .. " is not a spec", 2) end
  end
  local s = new("one_of", opts, 2)
  s.alternatives = alternatives
  return s
end

-- ---- descriptions ------------------------------------------------------------------------------

local function num(v)
  if type(v) == "number" and v == math.floor(v) and math.abs(v) < 1e15 then return string.format("%d", v) end
  return tostring(v)
end

local function quote(v)
  if type(v) ~= "string" then return tostring(v) end
  local shown = v
  if #shown > 60 then shown = shown:sub(1, 57) .. "..." end
  return '"' .. shown:gsub('[%c"\\]', function(c)
    if c == '"' then return '\\"' elseif c == "\\" then return "\\\\" end
    return string.format("\\u%04x", c:byte())
  end) .. '"'
end
S.quote = quote

local function range_text(s)
  local lo = s.min ~= nil and { ">=", s.min } or s.gt ~= nil and { ">", s.gt } or nil
  local hi = s.max ~= nil and { "<=", s.max } or s.lt ~= nil and { "<", s.lt } or nil
  if lo and hi and lo[1] == ">=" and hi[1] == "<=" then return " from " .. num(lo[2]) .. " to " .. num(hi[2]) end
  local parts = {}
  if lo then parts[#parts + 1] = lo[1] .. " " .. num(lo[2]) end
  if hi then parts[#parts + 1] = hi[1] .. " " .. num(hi[2]) end
  return #parts > 0 and " " .. table.concat(parts, " and ") or ""
end

-- What a value of this spec looks like, in words.
function S.expected(s)
  if s.expected then return s.expected end
  local k = s.kind
  if k == "string" then
    if s.pattern_doc then return s.pattern_doc end
    if s.min_len == 1 and not s.max_len then return "a non-empty string" end
    return "a string"
  elseif k == "number" then return "a number" .. range_text(s)
  elseif k == "integer" then return "a whole number" .. range_text(s)
  elseif k == "boolean" then return "true or false"
  elseif k == "decimal" then return "a decimal" .. range_text(s) .. ' (a number or a string such as "100.5")'
  elseif k == "enum" then
    local parts = {}
    for i, v in ipairs(s.values) do parts[i] = quote(v) end
    return #parts == 1 and parts[1] or "one of " .. table.concat(parts, ", ")
  elseif k == "array" then
    local text = "an array of " .. S.expected(s.item)
    if s.min_items and s.min_items > 0 then text = text .. " (at least " .. s.min_items .. ")" end
    return text
  elseif k == "map" then return "an object of " .. S.expected(s.value)
  elseif k == "object" then return "an object"
  elseif k == "one_of" then
    local parts = {}
    for i, a in ipairs(s.alternatives) do parts[i] = S.expected(a) end
    return table.concat(parts, " or ")
  end
  return k
end

local function json_type(v)
  if v == J.null then return "null" end
  local t = type(v)
  if t == "table" then
    if J.is_array(v) then return "array" end
    if J.is_object(v) then return "object" end
    if next(v) == nil then return "empty" end
    return #v > 0 and "array" or "object"
  end
  return t
end

-- How a found value is shown: strings quoted, numbers as written, containers by kind.
local function found_text(v, number_text)
  local t = json_type(v)
  if t == "null" then return "null"
  elseif t == "string" then return quote(v)
  elseif t == "number" then return number_text or num(v)
  elseif t == "boolean" then return tostring(v)
  elseif t == "array" then return "an array"
  elseif t == "object" then return "an object"
  elseif t == "empty" then return "an empty table"
  end
  return "a " .. t
end

-- ---- validation --------------------------------------------------------------------------------

local function join_path(path, key)
  if type(key) == "number" then return path .. "[" .. key .. "]" end
  if path == "" then return key end
  return path .. "." .. key
end

local function edit_distance(a, b)
  if math.abs(#a - #b) > 3 then return 99 end
  local prev = {}
  for j = 0, #b do prev[j] = j end
  for i = 1, #a do
    local cur = { [0] = i }
    for j = 1, #b do
      local cost = a:sub(i, i) == b:sub(j, j) and 0 or 1
      cur[j] = math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
    end
    prev = cur
  end
  return prev[#b]
end

local function suggestion(key, names)
  local best, best_d
  for _, n in ipairs(names) do
    local d = edit_distance(key:lower(), n:lower())
    if d < (best_d or 3) and d <= math.max(1, math.floor(#n / 3)) then best, best_d = n, d end
  end
  return best
end

local function add_error(ctx, path, line, detail)
  local where = ctx.file or "config"
  if line then where = where .. ":" .. line end
  ctx.errors[#ctx.errors + 1] = {
    path = path, line = line, detail = detail,
    msg = where .. ": " .. (path ~= "" and path or "(top level)") .. ": " .. detail,
  }
end

local function deep_copy(v)
  if type(v) ~= "table" then return v end
  local out = {}
  for k, x in pairs(v) do out[k] = deep_copy(x) end
  return out
end

local function is_plain_decimal(text) return text:match("^-?%d+$") or text:match("^-?%d+%.%d+$") end

-- Exact decimal text of a found value, or nil and the reason.
local function decimal_text(v, number_text)
  local D = require "hedge.decimal"
  local text
  if type(v) == "string" then
    if not is_plain_decimal(v) then return nil end
    text = v
  elseif type(v) == "number" then
    text = number_text
    if not text then
      local d = D.from_number(v)
      text = d and tostring(d)
    elseif not is_plain_decimal(text) then
      local d = D.parse(text)   -- a JSON number in exponent form: its exact plain value
      text = d and tostring(d)
    end
  end
  if not text then return nil end
  local d = D.parse(text)
  if not d then return nil end
  return text, d
end

local function in_range(s, x, cmp)
  cmp = cmp or function(a, b) return a < b and -1 or (a > b and 1 or 0) end
  if s.min ~= nil and cmp(x, s.min) < 0 then return false end
  if s.max ~= nil and cmp(x, s.max) > 0 then return false end
  if s.gt ~= nil and cmp(x, s.gt) <= 0 then return false end
  if s.lt ~= nil and cmp(x, s.lt) >= 0 then return false end
  return true
end

local validate

-- Runs the spec's own check(value, report, raw): report(message [, subpath]). For objects the
-- check runs even when some fields failed (those are nil in value); raw is the value as found,
-- so a check can tell "absent" from "given but invalid".
local function run_check(s, value, ctx, path, line, raw)
  if not s.check then return end
  local lines = ctx.info and type(raw) == "table" and ctx.info.line_of[raw] or {}
  s.check(value, function(message, sub)
    -- A message about a sub-key points at that key's line when the file says where it is.
    local first = sub and sub:match("^[^.%[]+")
    add_error(ctx, sub and join_path(path, sub) or path, first and lines[first] or line, message)
  end, raw)
end

local function validate_scalar(s, v, ctx, path, line, number_text)
  local k, t = s.kind, json_type(v)
  local function bad() add_error(ctx, path, line, "expected " .. S.expected(s) .. ", found " .. found_text(v, number_text)) end
  if k == "string" then
    if t ~= "string" then return bad() end
    if (s.min_len and #v < s.min_len) or (s.max_len and #v > s.max_len) or (s.pattern and not v:match(s.pattern)) then
      return bad()
    end
    return v
  elseif k == "number" or k == "integer" then
    if t ~= "number" or v ~= v or v == math.huge or v == -math.huge then return bad() end
    if k == "integer" and v ~= math.floor(v) then return bad() end
    if not in_range(s, v) then return bad() end
    return v
  elseif k == "boolean" then
    if t ~= "boolean" then return bad() end
    return v
  elseif k == "decimal" then
    if t ~= "string" and t ~= "number" then return bad() end
    local text, d = decimal_text(v, number_text)
    if not text then return bad() end
    local D = require "hedge.decimal"
    local ok = in_range(s, d, function(a, b)
      local bd = D(type(b) == "number" and num(b) or b)
      return a < bd and -1 or (a == bd and 0 or 1)
    end)
    if not ok then return bad() end
    return text
  elseif k == "enum" then
    for _, allowed in ipairs(s.values) do
      if v == allowed then return v end
    end
    return bad()
  end
end

local function validate_object(s, v, ctx, path, line)
  local t = json_type(v)
  if t ~= "object" and t ~= "empty" then
    add_error(ctx, path, line, "expected " .. S.expected(s) .. ", found " .. found_text(v))
    return nil
  end
  local lines = ctx.info and ctx.info.line_of[v] or {}
  local numbers = ctx.info and ctx.info.number_text[v] or {}
  local out = {}
  -- unknown keys, in a stable order
  local keys = {}
  for key in pairs(v) do keys[#keys + 1] = key end
  table.sort(keys, function(a, b) return tostring(a) < tostring(b) end)
  for _, key in ipairs(keys) do
    if type(key) ~= "string" then
      add_error(ctx, path, line, "keys must be strings, found " .. found_text(key))
    elseif key:sub(1, 7) ~= "comment" and not s.fields[key] then
      local near = suggestion(key, s.field_names)
      local detail
      if near then
        detail = 'unknown key (did you mean "' .. near .. '"?)'
      elseif #s.field_names <= 8 then
        detail = "unknown key; expected one of " .. table.concat(s.field_names, ", ")
      else
        detail = "unknown key"
      end
      add_error(ctx, join_path(path, key), lines[key] or line, detail)
    end
  end
  for _, name in ipairs(s.field_names) do
    local spec, fv = s.fields[name], v[name]
    local fpath = join_path(path, name)
    if fv == nil then
      if spec.required then
        add_error(ctx, fpath, line, "missing (required); expected " .. S.expected(spec))
      elseif spec.default ~= nil then
        out[name] = deep_copy(spec.default)
        ctx.defaults[#ctx.defaults + 1] = { path = fpath, value = spec.default }
      end
    else
      out[name] = validate(spec, fv, ctx, fpath, lines[name] or line, numbers[name])
    end
  end
  run_check(s, out, ctx, path, line, v)
  return out
end

local function validate_array(s, v, ctx, path, line)
  local t = json_type(v)
  if t ~= "array" and t ~= "empty" then
    add_error(ctx, path, line, "expected " .. S.expected(s) .. ", found " .. found_text(v))
    return nil
  end
  local lines = ctx.info and ctx.info.line_of[v] or {}
  local numbers = ctx.info and ctx.info.number_text[v] or {}
  local n = #v
  if (s.min_items and n < s.min_items) or (s.max_items and n > s.max_items) then
    local want = s.max_items and (s.min_items or 0) .. " to " .. s.max_items or "at least " .. s.min_items
    add_error(ctx, path, line, "expected " .. want .. " items, found " .. n)
  end
  local out, seen = {}, {}
  for i = 1, n do
    out[i] = validate(s.item, v[i], ctx, join_path(path, i), lines[i] or line, numbers[i])
    if s.unique and out[i] ~= nil then
      local key = type(out[i]) == "string" and out[i] or tostring(out[i])
      if seen[key] then
        add_error(ctx, join_path(path, i), lines[i] or line, "duplicate of item " .. seen[key] .. " (" .. found_text(v[i]) .. ")")
      else
        seen[key] = i
      end
    end
  end
  return out
end

local function validate_map(s, v, ctx, path, line)
  local t = json_type(v)
  if t ~= "object" and t ~= "empty" then
    add_error(ctx, path, line, "expected " .. S.expected(s) .. ", found " .. found_text(v))
    return nil
  end
  local lines = ctx.info and ctx.info.line_of[v] or {}
  local numbers = ctx.info and ctx.info.number_text[v] or {}
  local out, count = {}, 0
  local keys = {}
  for key in pairs(v) do keys[#keys + 1] = key end
  table.sort(keys, function(a, b) return tostring(a) < tostring(b) end)
  for _, key in ipairs(keys) do
    if type(key) == "string" and key:sub(1, 7) == "comment" then
      -- ignored like every comment key
    elseif type(key) ~= "string" or (s.key_pattern and not key:match(s.key_pattern)) then
      add_error(ctx, join_path(path, tostring(key)), lines[key] or line,
        "bad key; expected " .. (s.key_doc or "a string key"))
    else
      count = count + 1
      out[key] = validate(s.value, v[key], ctx, join_path(path, key), lines[key] or line, numbers[key])
    end
  end
  if s.min_items and count < s.min_items then
    add_error(ctx, path, line, "expected at least " .. s.min_items .. " entries, found " .. count)
  end
  return out
end

local FAMILY = { string = "string", number = "number", integer = "number", boolean = "boolean", array = "array",
                 map = "object", object = "object" }

local function families(s)
  if s.kind == "decimal" then return { string = true, number = true } end
  if s.kind == "enum" then
    local f = {}
    for _, v in ipairs(s.values) do f[type(v)] = true end
    return f
  end
  if s.kind == "one_of" then
    local f = {}
    for _, a in ipairs(s.alternatives) do for k in pairs(families(a)) do f[k] = true end end
    return f
  end
  return { [FAMILY[s.kind]] = true }
end

local function validate_one_of(s, v, ctx, path, line, number_text)
  local t = json_type(v)
  local candidates = {}
  for _, alt in ipairs(s.alternatives) do
    local sub = { file = ctx.file, info = ctx.info, errors = {}, defaults = {} }
    local out = validate(alt, v, sub, path, line, number_text)
    if #sub.errors == 0 then
      for _, d in ipairs(sub.defaults) do ctx.defaults[#ctx.defaults + 1] = d end
      return out
    end
    local fam = families(alt)
    if fam[t] or (t == "empty" and (fam.array or fam.object)) then candidates[#candidates + 1] = { alt = alt, sub = sub } end
  end
  -- One container alternative of the right shape: its own, more precise errors.
  if #candidates == 1 and (candidates[1].alt.kind == "array" or candidates[1].alt.kind == "object"
      or candidates[1].alt.kind == "map") then
    for _, e in ipairs(candidates[1].sub.errors) do ctx.errors[#ctx.errors + 1] = e end
    return nil
  end
  add_error(ctx, path, line, "expected " .. S.expected(s) .. ", found " .. found_text(v, number_text))
end

function validate(s, v, ctx, path, line, number_text)
  local out
  if v == J.null then
    add_error(ctx, path, line, "expected " .. S.expected(s) .. ", found null")
    return nil
  elseif s.kind == "object" then return validate_object(s, v, ctx, path, line)
  elseif s.kind == "array" then out = validate_array(s, v, ctx, path, line)
  elseif s.kind == "map" then out = validate_map(s, v, ctx, path, line)
  elseif s.kind == "one_of" then out = validate_one_of(s, v, ctx, path, line, number_text)
  else out = validate_scalar(s, v, ctx, path, line, number_text) end
  if out ~= nil then run_check(s, out, ctx, path, line, v) end
  return out
end

-- S.validate(spec, value [, {file = name, info = json_strict info}]) -> result, nil, defaults
--   | nil, errors (each {path, line, detail, msg}), defaults
-- defaults: {{path = "hold_duration_hours", value = 8}, ...} for every default applied.
function S.validate(spec, value, opts)
  if not is_spec(spec) then error("schema.validate: expected a spec", 2) end
  opts = opts or {}
  local ctx = { file = opts.file, info = opts.info, errors = {}, defaults = {} }
  local out = validate(spec, value, ctx, opts.path or "", nil, nil)
  if #ctx.errors > 0 then return nil, ctx.errors, ctx.defaults end
  return out, nil, ctx.defaults
end

-- S.document(spec) -> lines "path: expected; required | optional | default X. doc" for every field.
function S.document(spec, prefix, lines)
  lines = lines or {}
  prefix = prefix or ""
  if spec.kind == "object" then
    for _, name in ipairs(spec.field_names) do
      local f = spec.fields[name]
      local path = join_path(prefix, name)
      local presence = f.required and "required" or f.optional and "optional"
        or "default " .. (type(f.default) == "table" and "(see the example file)" or quote(f.default))
      lines[#lines + 1] = path .. ": " .. S.expected(f) .. "; " .. presence .. (f.doc and (". " .. f.doc) or "")
      if f.kind == "object" then S.document(f, path, lines) end
      if f.kind == "map" and f.value.kind == "object" then S.document(f.value, path .. ".<name>", lines) end
    end
  end
  return lines
end

-- Checks that every default of an object spec validates against its own field (a schema bug
-- otherwise). Returns true or raises naming the field.
function S.check_defaults(spec, prefix)
  prefix = prefix or ""
  if spec.kind ~= "object" then return true end
  for _, name in ipairs(spec.field_names) do
    local f = spec.fields[name]
    local path = join_path(prefix, name)
    if f.default ~= nil then
      local _, errs = S.validate(f, f.default, { file = "schema default", path = path })
      if errs then error("schema: the default of " .. path .. " is invalid: " .. errs[1].msg, 2) end
    end
    if f.kind == "object" then S.check_defaults(f, path) end
    if f.kind == "map" then S.check_defaults(f.value, path .. ".<name>") end
  end
  return true
end

return S
