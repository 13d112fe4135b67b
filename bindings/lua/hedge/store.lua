-- hedge.store: the bot's durable state (runtime/store.c over SQLite, DESIGN §6).
--
--   local store = require "hedge.store"
--   local db = assert(store.open("state/hedge.db"))           -- {read_only = true} for a reader
--   db:state_set{state = "OPENING", cycle = 4}                 -- since_ms moves when the state changes
--   local id = assert(db:intent_add{venue = "lighter", client_id = "7001", symbol = "ETH", side = "buy",
--                                    size = "0.5", price = "3500.1", reduce_only = false, purpose = "open"})
--   db:intent_update(id, {status = "filled", filled_size = "0.5", avg_price = "3499.9"})
--   db:transaction(function() db:hedge_set{...}; db:event_add{kind = "open", message = "..."} end)
--   local everything = db:dump()                               -- state, hedge, history
--
-- Records are tables keyed by field name (store.fields(kind) lists them). Decimals are strings or
-- hedge.decimal values and come back as the exact text written; timestamps are integer ms;
-- store.null clears a field. Calls return a value or nil, err (err.kind: invalid, not_found,
-- conflict, corrupt, incompatible, busy, io); unknown fields and wrong Lua types raise.
-- Every call is one transaction, so a crash at any instant leaves the whole change or none.
--
-- Free text (last_error, resolution, close/closing reasons, event messages and data) passes through the
-- log redaction before it is written: a secret registered with hedge.log never reaches the file.
local core = require "hedge.store_core"
local log = require "hedge.log"

local store = { null = core.null, schema_version = core.schema_version }

local ok_ffi, ffi = pcall(require, "ffi")
local decimal_ctype, int64_ctype, uint64_ctype, text_buffer
if ok_ffi then
  int64_ctype, uint64_ctype = ffi.typeof("int64_t"), ffi.typeof("uint64_t")
  text_buffer = ffi.new("char[84]")  -- RT_DECIMAL_TEXT_MAX
end

-- Exact text for FFI values: hedge.decimal cdata in plain notation at its own scale (the
-- declarations come from hedge.decimal, which made the value); int64 ids lose their LL suffix.
local function cdata_text(v)
  if not decimal_ctype and package.loaded["hedge.decimal"] then
    local found, ct = pcall(ffi.typeof, "rt_decimal")
    if found then decimal_ctype = ct end
  end
  if decimal_ctype and ffi.istype(decimal_ctype, v) then
    -- Written at the value's own scale, so D("0.50") is stored as "0.50", not "0.5".
    local len = ffi.C.rt_decimal_format(v, text_buffer, 84, v.scale)
    if len == 0 then return nil end
    return ffi.string(text_buffer, len)
  end
  if ffi.istype(int64_ctype, v) or ffi.istype(uint64_ctype, v) then return (tostring(v):gsub("U?LL$", "")) end
  return nil
end

local TEXT_FIELDS = { last_error = true, resolution = true, close_reason = true, closing_reason = true, message = true }

-- Fields holding ids (client ids, venue order ids) by kind: these also take whole numbers,
-- since Lighter's client order index is one.
local token_fields = {}
local function tokens_of(kind)
  local t = token_fields[kind]
  if not t then
    t = {}
    for _, f in ipairs(core.fields(kind)) do
      if f.type == "token" then t[f.name] = true end
    end
    token_fields[kind] = t
  end
  return t
end

-- Copies a record, turning decimal/int64 cdata and whole-number ids into exact text and
-- redacting free text.
local function prepare(record, kind, what)
  if type(record) ~= "table" then error(what .. ": expected a table of fields, got " .. type(record), 3) end
  local tokens = tokens_of(kind)
  local out = {}
  for k, v in pairs(record) do
    if type(v) == "cdata" then
      local text = cdata_text(v)
      if not text then error(what .. ": field " .. tostring(k) .. " holds a cdata value that is not a decimal or int64", 3) end
      v = text
    elseif type(v) == "number" and tokens[k] and v == math.floor(v) and math.abs(v) < 2 ^ 53 then
      v = string.format("%d", v)
    elseif type(v) == "string" and TEXT_FIELDS[k] then
      v = log.redact(v)
    end
    out[k] = v
  end
  return out
end

-- Event data: a table is encoded as JSON (decimals as strings), a string is taken as JSON text.
local function encode_data(data)
  local cjson = require "cjson"
  local function plain(v, depth)
    if depth > 32 then error("event data nests deeper than 32 levels", 4) end
    if type(v) == "cdata" then
      local text = cdata_text(v)
      if not text then error("event data holds a cdata value that is not a decimal or int64", 4) end
      return text
    elseif type(v) == "table" and v ~= store.null then
      local copy = {}
      for k, x in pairs(v) do copy[k] = plain(x, depth + 1) end
      return setmetatable(copy, getmetatable(v))
    end
    return v
  end
  return log.redact(cjson.encode(plain(data, 1)))
end

local function pack(...) return { n = select("#", ...), ... } end

local Store = {}
Store.__index = Store

-- store.open(path [, {read_only = false, exclusive = not read_only}]) -> db | nil, err
-- exclusive (the default for writers) refuses a second process on the same database.
function store.open(path, opts)
  if type(path) ~= "string" then error("store.open: path must be a string, got " .. type(path), 2) end
  opts = opts or {}
  for k in pairs(opts) do
    if k ~= "read_only" and k ~= "exclusive" then error("store.open: unknown option '" .. tostring(k) .. "'", 2) end
  end
  local read_only = opts.read_only == true
  local exclusive = opts.exclusive
  if exclusive == nil then exclusive = not read_only end
  local handle, err = core.open(path, read_only, exclusive)
  if not handle then return nil, err end
  return setmetatable({ handle = handle, read_only = read_only }, Store)
end

-- store.fields(kind) -> {{name, type, required, auto, fixed, choices}, ...}
store.fields = core.fields

function Store:close() self.handle:close() end
function Store:path() return self.handle:path() end
function Store:schema_version() return self.handle:schema_version() end

function Store:state_get() return self.handle:state_get() end
function Store:state_set(fields) return self.handle:state_set(prepare(fields, "state", "store.state_set")) end

-- hedge_get() -> the current hedge, or nil when there is none (nil, err on failure)
-- JSON text columns come back as tables (event data, hedge details).
local function decode_json_field(row, field)
  if row and type(row[field]) == "string" then
    local ok, decoded = pcall(require("cjson").decode, row[field])
    if ok then row[field] = decoded end
  end
  return row
end

-- hedge_get() -> the current hedge, or nil when there is none (nil, err on failure).
-- details (a table) carries what the strategy needs to resume and has no column of its own.
function Store:hedge_get()
  local h, err = self.handle:hedge_get()
  if err then return nil, err end
  return decode_json_field(h, "details")
end
function Store:hedge_set(fields)
  local record = prepare(fields, "hedge", "store.hedge_set")
  if record.details ~= nil and type(record.details) ~= "string" and record.details ~= store.null then
    record.details = encode_data(record.details)
  end
  return self.handle:hedge_set(record)
end
-- hedge_clear(reason) -> true when a hedge was closed, false when there was none
function Store:hedge_clear(reason)
  if reason ~= nil and type(reason) ~= "string" then error("store.hedge_clear: reason must be a string", 2) end
  return self.handle:hedge_clear(reason and log.redact(reason))
end

local function adder(kind)
  local what = "store." .. kind .. "_add"
  return function(self, fields)
    local record = prepare(fields, kind, what)
    if kind == "event" and record.data ~= nil and type(record.data) ~= "string" and record.data ~= store.null then
      record.data = encode_data(record.data)
    end
    return self.handle:add(kind, record)
  end
end
Store.intent_add = adder("intent")
Store.fill_add = adder("fill")
Store.funding_add = adder("funding")
Store.cycle_add = adder("cycle")
Store.event_add = adder("event")

function Store:intent_update(id, fields)
  return self.handle:intent_update(id, prepare(fields, "intent", "store.intent_update"))
end

function Store:intent_get(id) return self.handle:get("intent", id) end
-- intent_find(venue, client_id) -> intent | nil, err (kind "not_found" when none)
function Store:intent_find(venue, client_id)
  if type(client_id) == "cdata" then client_id = cdata_text(client_id) or client_id end
  if type(client_id) == "number" and client_id == math.floor(client_id) and math.abs(client_id) < 2 ^ 53 then
    client_id = string.format("%d", client_id)
  end
  return self.handle:intent_find(venue, client_id)
end
-- Intents not finished yet (pending, sent, partially_filled, unknown), oldest first.
function Store:intent_list_open() return self.handle:intent_list_open() end

function Store:get(kind, id)
  local row, err = self.handle:get(kind, id)
  if not row then return nil, err end
  return decode_json_field(decode_json_field(row, "data"), "details")
end

-- list(kind [, {limit = n, newest_first = bool, after_id = id, where = {field = value}}]) -> rows
-- Rows come oldest first unless newest_first; limit 0 or nil means all.
function Store:list(kind, opts)
  opts = opts or {}
  local field, value
  for k, v in pairs(opts) do
    if k == "where" then
      if type(v) ~= "table" then error("store.list: where must be a table {field = value}", 2) end
      for f, x in pairs(v) do
        if field then error("store.list: where takes one field", 2) end
        field, value = f, x
      end
    elseif k ~= "limit" and k ~= "newest_first" and k ~= "after_id" then
      error("store.list: unknown option '" .. tostring(k) .. "'", 2)
    end
  end
  if type(value) == "cdata" then value = cdata_text(value) or value end
  local rows, err = self.handle:list(kind, opts.limit, opts.newest_first, opts.after_id, field, value)
  if not rows then return nil, err end
  if kind == "event" or kind == "hedge" then
    for _, row in ipairs(rows) do decode_json_field(row, kind == "event" and "data" or "details") end
  end
  return rows
end

function Store:cycle_list(opts) return self:list("cycle", opts) end
function Store:event_list(opts) return self:list("event", opts) end
function Store:fill_list(opts) return self:list("fill", opts) end
function Store:funding_list(opts) return self:list("funding", opts) end
function Store:hedge_list(opts) return self:list("hedge", opts) end
function Store:intent_list(opts) return self:list("intent", opts) end

-- transaction(fn, ...) -> fn's results. Every store call fn makes commits together or not at
-- all: fn raising, or returning nil, err, rolls everything back (the error is re-raised, or
-- nil, err returned). fn must not wait (no HTTP, no sleep): the store has one connection, and
-- another task touching it meanwhile raises rather than joining the transaction.
function Store:transaction(fn, ...)
  if type(fn) ~= "function" then error("store.transaction: expected a function", 2) end
  local began, err = self.handle:begin()
  if not began then return nil, err end
  local results = pack(pcall(fn, ...))
  local ok = results[1]
  if not ok then
    self.handle:rollback()
    error(results[2], 0)
  end
  if results[2] == nil and results[3] ~= nil then
    self.handle:rollback()
    return nil, results[3]
  end
  local committed, cerr = self.handle:commit()
  if not committed then return nil, cerr end
  return unpack(results, 2, results.n)
end

local function reversed(list)
  local out = {}
  for i = #list, 1, -1 do out[#out + 1] = list[i] end
  return out
end

-- dump([{limit = n}]) -> everything in one consistent read: schema_version, state, hedge
-- (current or nil), open_intents, and the history lists hedges, intents, fills, funding,
-- cycles, events (oldest first; with limit, only the newest n of each), plus totals of the
-- recorded cycles (exact decimal sums as strings).
function Store:dump(opts)
  opts = opts or {}
  for k in pairs(opts) do
    if k ~= "limit" then error("store.dump: unknown option '" .. tostring(k) .. "'", 2) end
  end
  local limit = opts.limit
  local function history(kind)
    local rows, err = self:list(kind, limit and { limit = limit, newest_first = true } or nil)
    if not rows then error(err, 0) end
    return limit and reversed(rows) or rows
  end
  local function read()
    local out = { schema_version = self:schema_version(), path = self:path() }
    out.state = assert(self:state_get())
    local hedge, herr = self:hedge_get()
    if herr then error(herr, 0) end
    out.hedge = hedge
    out.open_intents = assert(self:intent_list_open())
    out.hedges, out.intents, out.fills = history("hedge"), history("intent"), history("fill")
    out.funding, out.cycles, out.events = history("funding"), history("cycle"), history("event")
    out.totals = store.cycle_totals(self:list("cycle") or {})
    return out
  end
  if self.handle:depth() > 0 then return read() end
  -- One read transaction: the state, the hedge and the journal seen at the same instant.
  local began, err = self.handle:begin()
  if not began then return nil, err end
  local ok, result = pcall(read)
  if ok then self.handle:commit() else self.handle:rollback() end
  if not ok then
    if type(result) == "table" and result.kind then return nil, result end
    error(result, 0)
  end
  return result
end

-- Exact sums over cycle rows: {cycles = n, funding_pnl, price_pnl, fees, total_pnl} as strings.
function store.cycle_totals(cycles)
  local D = require "hedge.decimal"
  local sums = { funding_pnl = D("0"), price_pnl = D("0"), fees = D("0"), total_pnl = D("0") }
  for _, c in ipairs(cycles) do
    for k in pairs(sums) do sums[k] = sums[k] + D(c[k]) end
  end
  local out = { cycles = #cycles }
  for k, v in pairs(sums) do out[k] = tostring(v) end
  return out
end

return store
