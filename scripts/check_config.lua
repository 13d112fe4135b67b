-- Checks a configuration and its secrets the way the bot does at start-up, without trading:
--
--   hedge scripts/check_config.lua [--config bot_config.json] [--env .env] [--schema]
--
-- Prints the venues with their endpoints, the settings that matter for money, every default
-- that was applied and any notes; never a secret. --schema lists every key with its type,
-- default and meaning. Exit status 0 when everything is usable, 2 with every problem listed
-- (each naming the file, key path or variable) when not.
local hedge = require "hedge"
local config = require "lib.config"
local env = require "hedge.env"

local USAGE = "usage: hedge scripts/check_config.lua [--config FILE] [--env FILE] [--schema]"

local function stop(code, message)
  io.stderr:write(message, "\n")
  hedge.exit(code)
end

local function parse_args(args)
  local opts, i = { config = "bot_config.json", env = ".env" }, 1
  while i <= #args do
    local a = args[i]
    if a == "--help" or a == "-h" then return nil, 0, USAGE
    elseif a == "--schema" then opts.schema = true; i = i + 1
    elseif a == "--config" or a == "--env" then
      if not args[i + 1] then return nil, 2, a .. " needs a value\n" .. USAGE end
      opts[a:sub(3)] = args[i + 1]
      i = i + 2
    else
      return nil, 2, "unknown argument '" .. a .. "'\n" .. USAGE
    end
  end
  return opts
end

local function main(...)
  local opts, code, message = parse_args({ ... })
  if not opts then
    if code == 0 then print(message) else stop(code, message) end
    return
  end
  if opts.schema then
    for _, line in ipairs(config.document()) do print(line) end
    return
  end
  local cfg, err, report = config.load(opts.config)
  if not cfg then return stop(2, "hedge: configuration error:\n" .. err.msg) end
  local creds, cerr, notes = env.credentials(cfg, { file = opts.env })
  if not creds then return stop(2, "hedge: secrets error:\n" .. cerr.msg) end

  print(opts.config .. ": ok")
  local names = {}
  for name in pairs(cfg.venues) do names[#names + 1] = name end
  table.sort(names)
  for _, name in ipairs(names) do
    local ep, eerr = config.endpoints(cfg, name, creds[name].urls)
    if not ep then return stop(2, "hedge: configuration error:\n" .. opts.config .. ": " .. eerr) end
    print(string.format("  venue %-8s %-7s rest %s  ws %s%s", name, ep.environment, ep.rest, ep.ws,
      ep.api_version and ("  api " .. ep.api_version) or ""))
  end
  local symbols = cfg.symbols_to_monitor
  print("  symbols: " .. (type(symbols) == "table" and table.concat(symbols, " ") or symbols))
  print(string.format("  leverage %dx, notional per leg %s, capital per cycle %s", cfg.leverage,
    cfg.notional_per_position or "-", cfg.base_capital_allocation or "-"))
  print(string.format("  hold %g h, wait %g min, check every %g s; state %s, log %s", cfg.hold_duration_hours,
    cfg.wait_between_cycles_minutes, cfg.check_interval_seconds, cfg.state_db, cfg.log_file))
  for _, d in ipairs(report.defaults) do
    local v = d.value
    print("  default " .. d.path .. " = " .. (type(v) == "string" and string.format("%q", v) or tostring(v)))
  end
  for _, n in ipairs(notes or {}) do print("  note: " .. n) end
  print("secrets: present and well-formed for " .. table.concat(names, ", "))
end

main(...)
