-- Prints the bot's durable state as JSON: the state machine, the current hedge, open intents
-- and the whole history (hedges, intents, fills, funding payments, cycles, events) with exact
-- decimal strings and cycle totals. Safe to run while the bot is running (read-only, WAL).
--
--   hedge scripts/state.lua [--db PATH | --config bot_config.json] [--limit N]
--
-- The database is --db, else the config's state_db, else state/hedge.db. --limit N keeps only
-- the newest N rows of each history list. Exit status: 0, 2 for usage errors and a missing
-- database or bad config, 1 when the database cannot be read (corrupt, newer schema, I/O).
-- The store holds no secrets, and free text was redacted before it was written.
local hedge = require "hedge"
local store = require "hedge.store"
local json_pretty = require "lib.json_pretty"

local USAGE = "usage: hedge scripts/state.lua [--db PATH | --config FILE] [--limit N]"
local DEFAULT_DB = "state/hedge.db"

local function stop(code, message)
  io.stderr:write("hedge state: ", message, "\n")
  hedge.exit(code)
end

local function parse_args(args)
  local opts, i = {}, 1
  while i <= #args do
    local a = args[i]
    if a == "--help" or a == "-h" then
      print(USAGE)
      return nil, 0
    elseif a == "--db" or a == "--config" or a == "--limit" then
      local v = args[i + 1]
      if not v then return nil, 2, a .. " needs a value\n" .. USAGE end
      opts[a:sub(3)] = v
      i = i + 2
    else
      return nil, 2, "unknown argument '" .. a .. "'\n" .. USAGE
    end
  end
  if opts.db and opts.config then return nil, 2, "give --db or --config, not both\n" .. USAGE end
  if opts.limit then
    local n = tonumber(opts.limit)
    if not n or n < 1 or n ~= math.floor(n) then return nil, 2, "--limit must be a whole number >= 1" end
    opts.limit = n
  end
  return opts
end

local function main(...)
  local opts, code, message = parse_args({ ... })
  if not opts then
    if code ~= 0 then stop(code, message) end
    return
  end
  local path = opts.db
  if not path and opts.config then
    local config = require "lib.config"
    local cfg, err = config.load(opts.config)
    if not cfg then return stop(2, tostring(err.msg or err)) end
    path = cfg.state_db
  end
  path = path or DEFAULT_DB

  local db, err = store.open(path, { read_only = true })
  if not db then return stop(err.kind == "not_found" and 2 or 1, err.msg) end
  local dump, derr = db:dump({ limit = opts.limit })
  db:close()
  if not dump then return stop(1, tostring(derr.msg or derr)) end
  if dump.hedge == nil then dump.hedge = json_pretty.null end
  local lists = { hedges = true, intents = true, fills = true, funding = true, cycles = true, events = true,
                  open_intents = true }
  io.write(json_pretty.encode(dump, { lists = lists }), "\n")
end

main(...)
