-- The selection script the bot ranks candidates with (scripts/select/README.md has the contract),
-- held so that a user's mistake never takes the bot down or leaves it without a selection:
--
--   local selection = require("bot.selection").new(cfg.selection_script, {alerts = a})
--   local rows = selection.rank(snap, cfg, ctx)     -- the same call as a script's own rank
--   selection.active_path, selection.last_error
--
--   * the script is loaded at start and again whenever selection_script names another file or
--     the file's text changes (checked before each ranking, i.e. each cycle);
--   * a script that does not load (syntax error, error while loading, no rank function) is
--     reported with its file and line, and the previous one stays in force — at start that is
--     the built-in default (scripts/select/default.lua);
--   * a rank that raises or returns something that is not a list of rows is reported the same
--     way, and the previous script (or the default) ranks this cycle instead.
local files = require "hedge.files"
local hedge = require "hedge"

local selection = {}

local DEFAULT_PATH = "scripts/select/default.lua"

local read = files.read

-- "file:line: message" from an error raised inside a script (the traceback's first frame in
-- that file when the message itself carries no position).
local function located(path, err, traceback)
  local text = tostring(err)
  if text:find(path, 1, true) then return text end
  local where = traceback and traceback:match("(" .. path:gsub("%p", "%%%0") .. ":%d+):")
  return where and (where .. ": " .. text) or (path .. ": " .. text)
end
selection.located = located

-- Loads a selection script from a file -> module | nil, message naming the file and line.
function selection.load(path)
  local text = read(path)
  if not text then return nil, path .. ": cannot read the file" end
  local chunk, err = loadstring(text, "@" .. path)
  if not chunk then return nil, err end
  local tb
  local ok, module = xpcall(chunk, function(e) tb = debug.traceback(e, 2); return e end)
  if not ok then return nil, located(path, module, tb) end
  if type(module) ~= "table" then return nil, ("%s: must return a table with a rank function, returned %s"):format(path, type(module)) end
  if type(module.rank) ~= "function" then return nil, ("%s: the returned table has no rank function"):format(path) end
  return module, nil, text
end

local function valid_rows(rows)
  if type(rows) ~= "table" then return false, "rank returned " .. type(rows) .. ", not a list of rows" end
  for i, r in ipairs(rows) do
    if type(r) ~= "table" then return false, ("rank's row %d is a %s, not a table"):format(i, type(r)) end
    if r.eligible and not r.plan then return false, ("rank's row %d is eligible but has no plan (size)"):format(i) end
  end
  return true
end

function selection.new(path, opts)
  opts = opts or {}
  local log = opts.log or hedge.log
  local self = { requested = path, last_error = nil }
  -- The built-in default: the file when the working directory is the installation, else the
  -- module on the search path (scripts/ is on it).
  local default_path = opts.default_path or DEFAULT_PATH
  local fallback = selection.load(default_path)
  if not fallback then fallback, default_path = require("select.default"), "select.default (built in)" end
  self.active, self.active_path = fallback, default_path

  local function report(msg)
    self.last_error = msg
    log.error("bot", "selection script: " .. msg .. " — ranking with " .. self.active_path)
    if opts.alerts and opts.alerts.raise then
      pcall(opts.alerts.raise, opts.alerts, "selection_error", { message = msg })
    end
  end

  -- Loads `p` when it is not what is running (another path, or its text changed).
  function self.refresh(p)
    p = p or self.requested
    local text = read(p)
    if p == self.loaded_path and text == self.loaded_text then return true end
    self.loaded_path, self.loaded_text = p, text
    local module, err = selection.load(p)
    if not module then
      report(err)
      return false, err
    end
    if p ~= self.active_path or self.last_error then
      log.info("bot", "selection script: ranking with " .. p)
    end
    self.active, self.active_path, self.last_error = module, p, nil
    return true
  end

  -- rank(snap, config, ctx): the active script's ranking, or the previous one's when it fails.
  function self.rank(snap, config, ctx)
    self.refresh(config and config.selection_script or self.requested)
    local tb
    local ok, rows = xpcall(self.active.rank, function(e) tb = debug.traceback(e, 2); return e end, snap, config, ctx)
    local good, why = false, nil
    if ok then good, why = valid_rows(rows) end
    if good then
      self.last_good, self.last_good_path = self.active, self.active_path
      return rows
    end
    local msg = ok and (self.active_path .. ": " .. why) or located(self.active_path, rows, tb)
    local backup, backup_path = self.last_good, self.last_good_path
    if not backup or backup == self.active then backup, backup_path = fallback, default_path end
    if backup == self.active then error("selection: the built-in default failed: " .. msg, 0) end
    self.last_error = msg
    log.error("bot", ("selection script failed: %s — ranking with %s this cycle"):format(msg, backup_path))
    if opts.alerts and opts.alerts.raise then
      pcall(opts.alerts.raise, opts.alerts, "selection_error", { message = msg })
    end
    return backup.rank(snap, config, ctx)
  end

  self.refresh(path)
  return self
end

return selection
