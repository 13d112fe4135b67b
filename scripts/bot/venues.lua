-- Builds the venue clients the configuration names: lib.config.client_options gives each
-- client its endpoints, chain id / API version, slippage cap and the credentials hedge.env read.
local venues = {}

-- venues.build(cfg, creds) -> {name = client} | nil, err (names the venue)
function venues.build(cfg, creds)
  local config = require "lib.config"
  local names = {}
  for name in pairs(cfg.venues) do names[#names + 1] = name end
  table.sort(names)
  local out = {}
  for _, name in ipairs(names) do
    local opts, oerr = config.client_options(cfg, name, creds[name])
    if not opts then return nil, oerr end
    local module = require("venues." .. name)
    local client, err = module.new(opts)
    if not client then return nil, ("venue %s: %s"):format(name, tostring(err)) end
    out[name] = client
  end
  return out
end

-- Loads a user module by path (selection_script, stoploss_policy) and checks its functions.
function venues.load_module(path, functions, key)
  local chunk, err = loadfile(path)
  if not chunk then return nil, ("%s: %s"):format(key, err) end
  local ok, module = pcall(chunk)
  if not ok then return nil, ("%s (%s) failed to load: %s"):format(key, path, tostring(module)) end
  if type(module) ~= "table" then return nil, ("%s (%s) must return a table"):format(key, path) end
  for _, fn in ipairs(functions) do
    if type(module[fn]) ~= "function" then return nil, ("%s (%s) has no function %s"):format(key, path, fn) end
  end
  return module
end

return venues
