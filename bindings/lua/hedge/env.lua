-- hedge.env: secrets and settings from the environment and a .env file, with the seed bots'
-- variable names (SEEDS.md §2.3), checked at start-up.
--
--   local env = require "hedge.env"
--   local creds, err, notes = env.credentials(cfg)             -- cfg from lib.config
--   creds.lighter  = {private_key, account_index, api_key_index, margin_mode?, urls = {rest?, ws?}}
--   creds.pacifica = {account, agent_wallet, secret_key, urls = {}}
--   creds.edgex    = v2: {account_id, private_key, api_key, api_secret, api_passphrase, urls}
--                    v1: {account_id, private_key, urls}
--   -- field names match lighter.signer.new, pacifica.signer.new / venues.pacifica.new and
--   -- edgex.signer.v1_new / v2_new, so a table can be handed to them as it is.
--
-- The environment wins over .env (as python-dotenv does). Only the variables of the configured
-- venues are read; each is checked for presence and format (the hex and base58 keys also by the
-- venue's own signer: a key that parses, and for Pacifica one that belongs to API_PUBLIC). Every
-- problem is reported at once, each naming the VARIABLE and where it came from, never a secret's
-- value. Every secret is registered with hedge.log's redaction (also its 0x/case variants), so no
-- log line can carry it. err has exit_code = 2. Lua strings cannot be wiped; the signers copy
-- the key bytes and wipe their copies.
--
-- .env syntax: NAME=VALUE lines, optional `export `, # comments (whole line, or after a space
-- in an unquoted value), 'single' (literal) and "double" quotes (\n \t \r \" \\ escapes; may
-- span lines). No ${VAR} expansion. A variable defined twice is an error.
local log = require "hedge.log"

local env = {}

local NAME_PATTERN = "^[A-Za-z_][A-Za-z0-9_]*$"

-- ---- .env parsing -------------------------------------------------------------------------------

local function line_at(text, pos)
  local n = 1
  for _ in text:sub(1, pos - 1):gmatch("\n") do n = n + 1 end
  return n
end

-- env.parse_dotenv(text [, name]) -> entries {NAME = {value, line}}, errors (a list of messages)
-- Messages never contain a value.
function env.parse_dotenv(text, name)
  name = name or ".env"
  local entries, errors = {}, {}
  local pos, len = 1, #text
  if text:sub(1, 3) == "\239\187\191" then pos = 4 end
  local function err(line, msg) errors[#errors + 1] = string.format("%s:%d: %s", name, line, msg) end
  while pos <= len do
    local line_end = text:find("\n", pos, true) or len + 1
    local line = line_at(text, pos)
    local raw = text:sub(pos, line_end - 1)
    local body = raw:match("^%s*(.-)%s*$")
    if body == "" or body:sub(1, 1) == "#" then
      pos = line_end + 1
    else
      local start = pos + #raw:match("^%s*")
      local after_export = text:match("^export%s+()", start)
      if after_export then start = after_export end
      local key, eq = text:match("^([^=%s]+)%s*=()", start)
      if not key then
        err(line, "expected NAME=VALUE")
        pos = line_end + 1
      elseif not key:match(NAME_PATTERN) then
        err(line, string.format("%q is not a variable name", key:sub(1, 40)))
        pos = line_end + 1
      else
        local p = text:match("^[ \t]*()", eq)
        local q = text:sub(p, p)
        local value, next_pos, bad
        if q == "'" or q == '"' then
          local parts, i = {}, p + 1
          while true do
            local c = text:sub(i, i)
            if c == "" then bad = "unterminated quote"; break end
            if c == q then i = i + 1; break end
            if c == "\\" and q == '"' then
              local e = text:sub(i + 1, i + 1)
              local map = { n = "\n", t = "\t", r = "\r", ['"'] = '"', ["\\"] = "\\", ["'"] = "'" }
              if map[e] then parts[#parts + 1] = map[e]; i = i + 2
              else parts[#parts + 1] = c; i = i + 1 end
            else
              parts[#parts + 1] = c
              i = i + 1
            end
          end
          value = table.concat(parts)
          local rest_end = text:find("\n", i, true) or len + 1
          local rest = text:sub(i, rest_end - 1)
          if not bad and not rest:match("^%s*$") and not rest:match("^%s+#") and not rest:match("^#") then
            bad = "unexpected text after the closing quote"
          end
          next_pos = rest_end + 1
        else
          local rest = text:sub(p, line_end - 1)
          local cut = rest:find("%s#")
          if cut then rest = rest:sub(1, cut - 1) end
          value = rest:match("^(.-)%s*$")
          next_pos = line_end + 1
        end
        if bad then
          err(line, key .. ": " .. bad)
        elseif entries[key] then
          err(line, string.format("%s is defined twice (first at line %d)", key, entries[key].line))
        else
          entries[key] = { value = value, line = line }
        end
        pos = next_pos
      end
    end
  end
  return entries, errors
end

-- ---- reading ------------------------------------------------------------------------------------

local Env = {}
Env.__index = Env

-- env.read{file = ".env", getenv = os.getenv} -> vars | nil, errors. A missing file is fine
-- (the environment alone); an unreadable or malformed one is not.
function env.read(opts)
  opts = opts or {}
  local file = opts.file or ".env"
  local getenv = opts.getenv or os.getenv
  if type(getenv) == "table" then
    local t = getenv
    getenv = function(k) return t[k] end
  end
  local entries, errors, warnings = {}, {}, {}
  local f = io.open(file, "rb")
  if f then
    local text = f:read("*a")
    f:close()
    if not text then return nil, { file .. ": cannot be read" } end
    entries, errors = env.parse_dotenv(text, file)
    local warning = env.permission_warning(file)
    if warning then
      warnings[1] = warning
      log.warn("env", warning)
    end
  end
  if #errors > 0 then return nil, errors end
  return setmetatable({ file = file, entries = entries, getenv = getenv, warnings = warnings }, Env)
end

-- env.permission_warning(path) -> message | nil: the file holds private keys, so any permission
-- for the group or others (what a default umask of 022 gives) is worth a warning. Not an error:
-- a container may mount it read-only with such a mode, and refusing would stop a running setup.
function env.permission_warning(path)
  -- required here, not at the top: the parsers above also run in bare Lua states (the fuzz
  -- targets) that have no scheduler core
  if path:find("%.example$") then return nil end   -- a committed example holds made-up keys
  local mode = require("hedge.core").file_mode(path)
  if not mode or mode % 64 == 0 then return nil end
  return string.format("%s is readable or writable by group or others (mode %04o) and holds private keys: chmod 600 %s",
    path, mode, path)
end

-- vars:get(name [, {file_only = true}]) -> value, where ("environment" or ".env:12") | nil
function Env:get(name, opts)
  if not (opts and opts.file_only) then
    local v = self.getenv(name)
    if v ~= nil then return v, "environment" end
  end
  local e = self.entries[name]
  if e then return e.value, self.file .. ":" .. e.line end
  return nil
end

-- ---- formats ------------------------------------------------------------------------------------

local BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
local BASE58_INDEX = {}
for i = 1, #BASE58 do BASE58_INDEX[BASE58:byte(i)] = i - 1 end

-- Number of bytes a base58 text decodes to, or nil and the position of a bad character.
local function base58_length(text)
  local bytes = {}   -- little-endian base-256 digits
  for i = 1, #text do
    local d = BASE58_INDEX[text:byte(i)]
    if not d then return nil, i end
    local carry = d
    for j = 1, #bytes do
      carry = carry + bytes[j] * 58
      bytes[j] = carry % 256
      carry = math.floor(carry / 256)
    end
    while carry > 0 do
      bytes[#bytes + 1] = carry % 256
      carry = math.floor(carry / 256)
    end
  end
  local zeros = #text:match("^1*")
  return #bytes + zeros
end

-- Each check returns nil when fine, else the problem in words (never the value of a secret).
local function hex_key(digits, exact)
  return function(v)
    local h = v:gsub("^0[xX]", "")
    local bad = h:find("[^%x]")
    if bad then return "expected hex digits (an optional 0x prefix), found a non-hex character at position " .. bad + (#v - #h) end
    if (exact and #h ~= digits) or #h > digits or #h == 0 then
      return string.format("expected %s%d hex digits (an optional 0x prefix), found %d", exact and "" or "up to ",
        digits, #h)
    end
  end
end

local function base58_bytes(allowed, what)
  return function(v)
    local n, bad = base58_length(v)
    if not n then return "expected base58 text, found a character outside the base58 alphabet at position " .. bad end
    for _, a in ipairs(allowed) do if n == a then return nil end end
    return string.format("expected %s (base58 of %s bytes), found base58 of %d bytes", what,
      table.concat(allowed, " or "), n)
  end
end

-- Decimal digits only, within [lo, hi] (hi as text so 2^63-1 stays exact).
local function whole(lo, hi)
  return function(v)
    local digits = v:match("^%d+$")
    local function cmp(a, b)
      a, b = a:gsub("^0+(%d)", "%1"), b:gsub("^0+(%d)", "%1")
      if #a ~= #b then return #a < #b and -1 or 1 end
      return a < b and -1 or (a > b and 1 or 0)
    end
    if not digits or cmp(v, tostring(lo)) < 0 or cmp(v, hi) > 0 then
      return string.format("expected a whole number from %s to %s", tostring(lo), hi)
    end
  end
end

local function token(v)
  if v:find("[%s%c]") then return "expected one word without spaces or control characters" end
end

local function choice(list)
  return function(v)
    for _, c in ipairs(list) do if v == c then return nil end end
    return "expected one of " .. table.concat(list, ", ")
  end
end

local function url(schemes)
  return function(v)
    local scheme = v:match("^(%a+)://[^%s]+$")
    for _, s in ipairs(schemes) do if scheme == s then return nil end end
    return "expected a " .. table.concat(schemes, ":// or ") .. ":// URL"
  end
end

-- ---- the variables --------------------------------------------------------------------------------

-- name, aliases (older names the seeds also read), secret, required, field in the credentials,
-- check (format), number (convert to a Lua number), url (goes to .urls), file_only aliases.
local ACCOUNT_ID = { name = "EDGEX_ACCOUNT_ID", required = true, field = "account_id", check = whole(1, "9223372036854775807") }
local EDGEX_URLS = {
  { name = "EDGEX_BASE_URL", url = "rest", check = url { "https", "http" } },
  { name = "EDGEX_WS_URL", url = "ws", check = url { "wss", "ws" } },
}

local VARIABLES = {
  lighter = {
    { name = "API_KEY_PRIVATE_KEY", aliases = { "LIGHTER_PRIVATE_KEY" }, secret = true, required = true,
      field = "private_key", check = hex_key(80, true), what = "Lighter API private key" },
    { name = "ACCOUNT_INDEX", aliases = { "LIGHTER_ACCOUNT_INDEX" }, required = true, field = "account_index",
      check = whole(0, "281474976710654"), number = true },
    { name = "API_KEY_INDEX", aliases = { "LIGHTER_API_KEY_INDEX" }, required = true, field = "api_key_index",
      check = whole(0, "254"), number = true },
    { name = "LIGHTER_BASE_URL", aliases = { "BASE_URL" }, file_only_aliases = true, url = "rest", check = url { "https", "http" } },
    { name = "LIGHTER_WS_URL", aliases = { "WEBSOCKET_URL" }, file_only_aliases = true, url = "ws", check = url { "wss", "ws" } },
    { name = "LIGHTER_MARGIN_MODE", field = "margin_mode", check = choice { "cross", "isolated" } },
  },
  pacifica = {
    { name = "SOL_WALLET", required = true, field = "account", check = base58_bytes({ 32 }, "a Solana address") },
    { name = "API_PUBLIC", required = true, field = "agent_wallet", check = base58_bytes({ 32 }, "an agent public key") },
    { name = "API_PRIVATE", secret = true, required = true, field = "secret_key",
      check = base58_bytes({ 64, 32 }, "an agent secret key"), what = "Pacifica agent secret key" },
  },
  edgex_v1 = {
    ACCOUNT_ID,
    { name = "EDGEX_STARK_PRIVATE_KEY", secret = true, required = true, field = "private_key", check = hex_key(64, true),
      what = "edgeX Stark private key" },
    EDGEX_URLS[1], EDGEX_URLS[2],
  },
  edgex_v2 = {
    ACCOUNT_ID,
    { name = "EDGEX_API_KEY", secret = true, required = true, field = "api_key", check = token },
    { name = "EDGEX_API_SECRET", secret = true, required = true, field = "api_secret", check = token },
    { name = "EDGEX_API_PASSPHRASE", secret = true, required = true, field = "api_passphrase", check = token },
    { name = "EDGEX_TRADING_PRIVATE_KEY", secret = true, required = true, field = "private_key", check = hex_key(64, true),
      what = "edgeX signer (trading) private key" },
    EDGEX_URLS[1], EDGEX_URLS[2],
  },
}

-- Every variable hedge treats as a secret, for documentation and tests.
env.secret_names = {}
for _, list in pairs(VARIABLES) do
  for _, v in ipairs(list) do
    if v.secret then
      env.secret_names[v.name] = true
      for _, a in ipairs(v.aliases or {}) do env.secret_names[a] = true end
    end
  end
end

-- The forms a key may take in text: as given, and for hex keys with/without 0x in either case.
local function register_secret(value, notes)
  local forms = { value }
  local hex = value:match("^0[xX](%x+)$") or value:match("^(%x+)$")
  if hex and #hex >= 16 then
    forms = { value, hex:lower(), hex:upper(), "0x" .. hex:lower(), "0x" .. hex:upper() }
  end
  for _, f in ipairs(forms) do
    if #f >= 4 then log.add_secret(f) end
  end
end

-- The venue's own signer as the final judge of a key; its reason never contains the key.
local function signer_check(venue, fields)
  local function inner(e) return log.redact(type(e) == "table" and tostring(e.msg or e.kind) or tostring(e)) end
  if venue == "lighter" and fields.private_key then
    local ok, ls = pcall(require, "lighter.signer")
    if not ok then return nil end
    local pub, e = ls.public_key(fields.private_key)
    if not pub then return "API_KEY_PRIVATE_KEY", "not a valid Lighter API private key: " .. inner(e) end
  elseif venue == "pacifica" and fields.secret_key then
    local ok, ps = pcall(require, "pacifica.signer")
    if not ok then return nil end
    local pub, e = ps.public_key(fields.secret_key)
    if not pub then return "API_PRIVATE", "not a valid Pacifica secret key: " .. inner(e) end
    if fields.agent_wallet and pub ~= fields.agent_wallet then
      return "API_PRIVATE", "is not the secret key of API_PUBLIC (it belongs to another public key)"
    end
  elseif venue == "edgex" and fields.private_key then
    local ok, es = pcall(require, "edgex.signer")
    if not ok then return nil end
    local signer, e
    if fields.api_key then
      signer, e = es.v2_new { private_key = fields.private_key, api_key = fields.api_key,
        api_secret = fields.api_secret, api_passphrase = fields.api_passphrase }
      if not signer then return "EDGEX_TRADING_PRIVATE_KEY", "not a valid edgeX signer key: " .. inner(e) end
    else
      signer, e = es.v1_new { private_key = fields.private_key }
      if not signer then return "EDGEX_STARK_PRIVATE_KEY", "not a valid edgeX Stark key: " .. inner(e) end
    end
    signer:wipe()
  end
  return nil
end

-- The hosts of the two edgeX generations, to catch a seed's v1 URL used with v2 and back.
local EDGEX_HOSTS = {
  v1 = { ["pro.edgex.exchange"] = true, ["quote.edgex.exchange"] = true },
  v2 = { ["edgex-prod-v2.edgex.exchange"] = true, ["edgex-quote-prod-v2.edgex.exchange"] = true },
}

-- env.credentials(cfg [, {file = ".env", getenv = os.getenv | table}]) -> creds, nil, notes | nil, err, notes
function env.credentials(cfg, opts)
  if type(cfg) ~= "table" or type(cfg.venues) ~= "table" then
    error("env.credentials: a loaded configuration (with venues) is required", 2)
  end
  opts = opts or {}
  local notes, errors = {}, {}
  local vars, read_errors = env.read(opts)
  local function fail_all(list)
    local msg = (#list == 1 and "" or (#list .. " problems with the secrets and settings:\n")) .. table.concat(list, "\n")
    return nil, setmetatable({ kind = "config", msg = msg, errors = list, exit_code = 2 },
      { __tostring = function(e) return e.msg end }), notes
  end
  if not vars then return fail_all(read_errors) end

  local creds = {}
  local names = {}
  for name in pairs(cfg.venues) do names[#names + 1] = name end
  table.sort(names)
  for _, venue in ipairs(names) do
    local vcfg = cfg.venues[venue]
    local list = VARIABLES[venue == "edgex" and "edgex_" .. (vcfg.api_version or "v2") or venue]
    local fields, urls, bad_venue = {}, {}, false
    for _, spec in ipairs(list or {}) do
      local value, where = vars:get(spec.name)
      local used_name = spec.name
      for _, alias in ipairs(spec.aliases or {}) do
        local av, awhere = vars:get(alias, { file_only = spec.file_only_aliases })
        if av ~= nil then
          if spec.secret then register_secret(av, notes) end
          if value == nil then
            value, where, used_name = av, awhere, alias
            notes[#notes + 1] = string.format("%s: %s is read as %s", awhere, alias, spec.name)
          elseif av ~= value then
            errors[#errors + 1] = string.format("%s and %s are both set (%s, %s) and differ; keep one", spec.name,
              alias, where, awhere)
            bad_venue = true
          end
        end
      end
      if value ~= nil and spec.secret then register_secret(value, notes) end
      if value == nil then
        if spec.required then
          errors[#errors + 1] = string.format("%s: missing; venue %s needs it (set it in the environment or in %s)",
            spec.name, venue, vars.file)
          bad_venue = true
        end
      elseif value == "" then
        errors[#errors + 1] = string.format("%s: %s: is empty", where, used_name)
        bad_venue = true
      else
        local problem = spec.check and spec.check(value)
        -- hedge.log cannot redact a text shorter than 4 bytes without mangling ordinary words.
        if not problem and spec.secret and #value < 4 then
          problem = "shorter than 4 characters: too short to be kept out of the logs"
        end
        if problem then
          errors[#errors + 1] = string.format("%s: %s: %s", where, used_name, problem)
          bad_venue = true
        elseif spec.url then
          urls[spec.url] = value
        elseif spec.field then
          fields[spec.field] = spec.number and tonumber(value) or value
        end
      end
    end
    if not bad_venue then
      local var, problem = signer_check(venue, fields)
      if var then
        errors[#errors + 1] = var .. ": " .. problem
        bad_venue = true
      end
    end
    -- Settings that contradict the configuration.
    if venue == "lighter" and fields.margin_mode and fields.margin_mode ~= cfg.margin_mode then
      errors[#errors + 1] = string.format('LIGHTER_MARGIN_MODE is %s but margin_mode in the configuration is "%s"; keep one',
        fields.margin_mode, tostring(cfg.margin_mode))
    end
    if venue == "lighter" and fields.api_key_index and fields.api_key_index < 4 then
      notes[#notes + 1] = "API_KEY_INDEX " .. fields.api_key_index ..
        ": indexes 0-3 belong to Lighter's own apps; a bot key should use 4-254"
    end
    if venue == "edgex" then
      local other = vcfg.api_version == "v2" and "v1" or "v2"
      for kind, u in pairs(urls) do
        local host = u:match("^%a+://([^/:]+)")
        if host and EDGEX_HOSTS[other][host] then
          errors[#errors + 1] = string.format("%s points at the edgeX %s host %s but venues.edgex.api_version is %s",
            kind == "rest" and "EDGEX_BASE_URL" or "EDGEX_WS_URL", other, host, vcfg.api_version)
        end
      end
      if vcfg.api_version == "v2" and vars:get("EDGEX_STARK_PRIVATE_KEY") then
        register_secret((vars:get("EDGEX_STARK_PRIVATE_KEY")), notes)
        notes[#notes + 1] = "EDGEX_STARK_PRIVATE_KEY is a v1 key; venues.edgex.api_version is v2, so it is not used"
      end
    end
    for kind, u in pairs(urls) do
      local key = kind == "rest" and "rest_url" or "ws_url"
      if vcfg[key] and vcfg[key] ~= u then
        notes[#notes + 1] = string.format("venues.%s.%s overrides the environment's URL", venue, key)
      end
    end
    fields.urls = urls
    creds[venue] = fields
  end
  if vars:get("BOT_STATE_FILE") then
    notes[#notes + 1] = "BOT_STATE_FILE is not used by hedge: the state database is state_db in the configuration"
  end
  if #errors > 0 then return fail_all(errors) end
  return creds, nil, notes
end

return env
