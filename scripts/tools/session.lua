-- What every operator tool starts with: the bot's configuration, the secrets, one client per
-- configured venue, and access to the bot's journal — with the robustness a tool used in a
-- crisis needs.
--
--   local session = require "tools.session"
--   local s = session.open{config = "bot_config.json", env = ".env", only = "edgex", strict = false}
--   s.cfg, s.names (sorted), s.venues = {name = client}, s.unusable = {name = reason}
--   local bot = session.bot_status(s)            -- {running, pid, db}
--   local j, why = session.journal(s, "write")   -- bot.journal, or nil + why (missing/broken db)
--
-- Venues are built one at a time, so a venue whose secrets are malformed or whose client cannot
-- be built is left out with its reason (strict = false: emergency close, the read-only tools)
-- instead of stopping everything; with strict = true (manual trading) any such venue is an error.
-- Clients send nothing until their first call, so a venue that is down shows up there.
local hedge = require "hedge"
local ffi = require "ffi"
local config_lib = require "lib.config"
local env = require "hedge.env"
local venues_lib = require "bot.venues"
local args = require "tools.args"

local session = {}

local function config_error(msg)
  error(setmetatable({ kind = "config", msg = msg, exit_code = 2 }, { __tostring = function(e) return e.msg end }), 0)
end

local function only_venue(cfg, name)
  local copy = {}
  for k, v in pairs(cfg) do copy[k] = v end
  copy.venues = { [name] = cfg.venues[name] }
  return copy
end

-- session.open{config, env, only = venue name or list, strict} -> session (raises exit_code 2
-- for an unreadable or invalid configuration, an unknown --venue, or, when strict, bad secrets).
function session.open(opts)
  opts = opts or {}
  -- An operator reads tables, not the clients' info lines: warnings and errors only, in the
  -- human format, unless HEDGE_LOG says otherwise.
  if not os.getenv("HEDGE_LOG") then
    hedge.log.set_level("warn")
    pcall(hedge.log.set_console_format, "human")
  end
  local path = opts.config or "bot_config.json"
  local cfg, err = config_lib.load(path)
  if not cfg then config_error("configuration error:\n" .. tostring(err.msg or err)) end
  local s = { cfg = cfg, config_path = path, env_path = opts.env or ".env", venues = {}, names = {}, unusable = {}, notes = {} }
  local wanted = {}
  for name in pairs(cfg.venues) do wanted[#wanted + 1] = name end
  table.sort(wanted)
  if opts.only then
    local only = type(opts.only) == "table" and opts.only or { opts.only }
    for _, name in ipairs(only) do
      if not cfg.venues[name] then
        config_error(("--venue %s is not configured in %s (configured: %s)"):format(name, path, table.concat(wanted, ", ")))
      end
    end
    wanted = only
  end
  for _, name in ipairs(wanted) do
    local one = only_venue(cfg, name)
    local creds, cerr, notes = env.credentials(one, { file = s.env_path })
    for _, n in ipairs(notes or {}) do s.notes[#s.notes + 1] = n end
    local clients, berr
    if creds then clients, berr = venues_lib.build(one, creds) end
    if clients and clients[name] then
      s.venues[name] = clients[name]
      s.names[#s.names + 1] = name
    else
      local why = creds and tostring(berr) or ("secrets: " .. tostring(cerr and cerr.msg or cerr))
      if opts.strict then config_error(("venue %s: %s"):format(name, why)) end
      s.unusable[name] = why
    end
  end
  table.sort(s.names)
  return s
end

-- Closes every client (WebSockets some of them may have opened).
function session.close(s)
  for _, client in pairs(s.venues) do
    if client.close then pcall(client.close, client) end
  end
end

-- ---- the bot's lock ---------------------------------------------------------------------------

pcall(ffi.cdef, [[
int open(const char *path, int flags, ...);
int close(int fd);
int flock(int fd, int operation);
]])
local O_RDONLY, O_CLOEXEC = 0, 0x80000
local LOCK_SH, LOCK_NB, LOCK_UN = 1, 4, 8

local function read_text(path)
  local f = io.open(path, "rb")
  if not f then return nil end
  local text = f:read("*a")
  f:close()
  return text
end

-- session.bot_status(s) -> {running = bool, pid = text?, db = path}. A running bot holds an
-- exclusive flock on "<state_db>.lock" (runtime/store.c); a shared, non-blocking attempt tells
-- whether someone does, and is released at once.
function session.bot_status(s)
  local db = s.cfg.state_db
  local lock = db .. ".lock"
  local out = { running = false, db = db }
  local fd = ffi.C.open(lock, O_RDONLY + O_CLOEXEC)
  if fd < 0 then return out end
  if ffi.C.flock(fd, LOCK_SH + LOCK_NB) ~= 0 then
    out.running = true
    out.pid = (read_text(lock) or ""):match("%d+")
  else
    ffi.C.flock(fd, LOCK_UN)
  end
  ffi.C.close(fd)
  return out
end

-- ---- the journal ------------------------------------------------------------------------------

local function exists(path)
  local f = io.open(path, "rb")
  if f then f:close() end
  return f ~= nil
end

-- session.journal(s, mode) -> bot.journal | nil, why
--   "read"   read-only; nil when there is no database yet
--   "write"  a writer that never takes the bot's lock (the bot may be running: SQLite's WAL and
--            busy timeout let both write); the database is created when missing
-- Callers close it (journal:close()) when their command is done, so a REPL session never keeps
-- the bot from starting.
function session.journal(s, mode)
  local Journal = require "bot.journal"
  local db = s.cfg.state_db
  if mode == "read" then
    if not exists(db) then return nil, "no state database at " .. db end
    return Journal.open(db, { read_only = true })
  end
  return Journal.open(db, { exclusive = false })
end

-- A journal stand-in when the database cannot be used: intents and events go to the log only,
-- so the code that sends orders is the same either way.
local NullJournal = {}
NullJournal.__index = NullJournal

function session.null_journal(why)
  return setmetatable({ why = why, next_id = 0, null = true }, NullJournal)
end

function NullJournal:transaction(fn) return fn() end
function NullJournal:add_intent(t)
  self.next_id = self.next_id + 1
  hedge.log.warn("tools", ("intent (not journalled: %s): %s %s %s %s %s"):format(self.why, t.venue, t.purpose, t.side, t.size, t.symbol))
  return self.next_id
end
function NullJournal:update_intent() end
function NullJournal:event(kind, fields)
  local parts = {}
  for k, v in pairs(fields or {}) do parts[#parts + 1] = k .. "=" .. tostring(v) end
  table.sort(parts)
  hedge.log.warn("tools", ("event (not journalled: %s): %s %s"):format(self.why, kind, table.concat(parts, " ")))
end
function NullJournal:open_intents() return {} end
function NullJournal:hedge() return nil end
function NullJournal:close() end

session.fail = args.fail
session.config_error = config_error

return session
