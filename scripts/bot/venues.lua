-- Builds the venue clients the configuration names, with their endpoints (lib.config) and
-- credentials (hedge.env). A client module may offer from_config(endpoints, credentials, config);
-- otherwise the builder below maps the fields.
local venues = {}

local builders = {}

function builders.pacifica(ep, cr, cfg)
  return require("venues.pacifica").new {
    rest = ep.rest, ws = ep.ws, account = cr.account, secret_key = cr.secret_key, agent_wallet = cr.agent_wallet,
    slippage_bps = cfg.slippage_bps,
  }
end

-- venues.build(cfg, creds) -> {name = client} | nil, err (names the venue)
function venues.build(cfg, creds)
  local config = require "lib.config"
  local out = {}
  for name in pairs(cfg.venues) do
    local ep, eerr = config.endpoints(cfg, name, creds[name] and creds[name].urls)
    if not ep then return nil, eerr end
    local ok, module = pcall(require, "venues." .. name)
    if not ok then return nil, ("venue %s: no client in this build (%s)"):format(name, tostring(module)) end
    local client, err
    if module.from_config then
      client, err = module.from_config(ep, creds[name] or {}, cfg)
    elseif builders[name] then
      client, err = builders[name](ep, creds[name] or {}, cfg)
    else
      return nil, ("venue %s: its client has no from_config"):format(name)
    end
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
