-- hedge.env: the .env syntax, the environment winning over the file, every venue's variables
-- (the seeds' names and aliases), format errors naming the VARIABLE and never the value, the
-- venue signers' own key checks, contradictions with the configuration, notes, and every secret
-- registered with the log redaction. Keys are the simulator's made-up test keys; key values are
-- compared with t.ok, so even a failing check prints no key.
local env = require "hedge.env"
local config = require "lib.config"
local log = require "hedge.log"
local t = require "lib.tap"

local dir = os.tmpname()
os.remove(dir)
os.execute("mkdir -p '" .. dir .. "'")
local function write(name, text)
  local path = dir .. "/" .. name
  local f = assert(io.open(path, "wb"))
  f:write(text)
  f:close()
  return path
end

-- Made-up simulator keys (tests/sim/scenarios/test_keys.json, tests/sim/venues/lighter/test_keys.json).
local LIGHTER_KEY = "55cb5656f329bb199fc6ae09669a27b41a5d7b9f75b763bc01437169803629425933b1418de0fb6c"
local PACIFICA_ACCOUNT = "Dcz2WMjnTGPJKhc4WWWPDas8M1xf69HN13tTPoHA9XEJ"
local PACIFICA_AGENT = "DkUpNwMS5xazPUBbd9ra4e95ADZLjGxbkPFHAMzwzjtq"
local PACIFICA_SECRET = "3hVVKa3z6u2fmyVKUDqn6Mvq7AFM47tU5wY5aG8kxLMMNqa35xGBWrAi8EjYU3amH6Dddh6df83hEuewf7KU1VS5"
local PACIFICA_OTHER_SECRET = "2sPP2Ds9i2Zzut3U4ZFr6312bhsi1vFa6W4M9amrszeiKGLJQyoQiZszHQkMsmU8hqxB9GvoiXniPmFRzDQsbA2d"
local EDGEX_V2 = {
  EDGEX_ACCOUNT_ID = "710000000000000001", EDGEX_API_KEY = "3fcbadc0-7ed5-d0fa-fe2b-b275fc5ef876",
  EDGEX_API_PASSPHRASE = "IjcMqfWXyoK94kt7BTs5tg", EDGEX_API_SECRET = "CfxyM0Hun268pkt3QfoJTYPLjIBNq3uKbqnPiBhOCW8",
  EDGEX_TRADING_PRIVATE_KEY = "dee62a6ff565d6c92cce29e2713b08f97226fb2e7565cda9c71b91adf6d014a5",
}
local STARK_KEY = "03036bddab782a70d805150d801a5a6e3b6d9dd6d05c82fed047b07fed168ae5"

-- ---- .env syntax --------------------------------------------------------------------------------

local entries, errors = env.parse_dotenv(table.concat({
  "# a comment",
  "",
  "PLAIN=value",
  "export EXPORTED=yes",
  "  SPACED  =  padded value   ",
  "INLINE=abc # a comment",
  "HASH=abc#not-a-comment",
  "SINGLE='lit $x \\n # kept'",
  'DOUBLE="a\\tb \\"q\\" # kept"  # comment',
  'MULTI="line one',
  'line two"',
  "EMPTY=",
  "AFTER=1",
}, "\n"), "test.env")
t.is(#errors, 0, ".env: a good file parses")
t.is(entries.PLAIN and entries.PLAIN.value, "value", ".env: NAME=VALUE")
t.is(entries.EXPORTED and entries.EXPORTED.value, "yes", ".env: export prefix")
t.is(entries.SPACED and entries.SPACED.value, "padded value", ".env: spaces around = and at the end trimmed")
t.is(entries.INLINE and entries.INLINE.value, "abc", ".env: comment after a space in an unquoted value")
t.is(entries.HASH and entries.HASH.value, "abc#not-a-comment", ".env: # without a space is part of the value")
t.is(entries.SINGLE and entries.SINGLE.value, "lit $x \\n # kept", ".env: single quotes are literal")
t.is(entries.DOUBLE and entries.DOUBLE.value, 'a\tb "q" # kept', ".env: double quotes with escapes")
t.is(entries.MULTI and entries.MULTI.value, "line one\nline two", ".env: a double-quoted value may span lines")
t.is(entries.EMPTY and entries.EMPTY.value, "", ".env: an empty value")
t.is(entries.AFTER and entries.AFTER.line, 13, ".env: line numbers continue after a multi-line value")

local SECRET_LINE = "s3cretvalue-that-must-not-show"
_, errors = env.parse_dotenv(table.concat({
  "just some words " .. SECRET_LINE,
  "1BAD=x",
  "DUP=a",
  "DUP=b",
  "OPEN='never closed " .. SECRET_LINE,
}, "\n"), "bad.env")
t.is(table.concat(errors, "\n"), table.concat({
  "bad.env:1: expected NAME=VALUE",
  'bad.env:2: "1BAD" is not a variable name',
  "bad.env:4: DUP is defined twice (first at line 3)",
  "bad.env:5: OPEN: unterminated quote",
}, "\n"), ".env: every malformed line named, with its line number")
t.ok(not table.concat(errors):find("s3cret", 1, true), ".env: no value appears in the messages")
_, errors = env.parse_dotenv('Q="closed" trailing', "q.env")
t.is(errors[1], "q.env:1: Q: unexpected text after the closing quote", ".env: text after a closing quote")

-- ---- credentials --------------------------------------------------------------------------------

local function cfg_for(venues_json, extra)
  local text = '{"venues": ' .. venues_json .. ', "symbols_to_monitor": "*", "leverage": 2, "notional_per_position": "100"'
    .. (extra or "") .. "}"
  return assert(config.parse(text, "c.json"))
end
local ALL3 = cfg_for('{"lighter": {"environment": "mainnet"}, "pacifica": {"environment": "mainnet"}, "edgex": {"environment": "mainnet"}}')

local function dotenv(vars)
  local lines = {}
  for k, v in pairs(vars) do lines[#lines + 1] = k .. "=" .. v end
  table.sort(lines)
  return write("test.env", table.concat(lines, "\n") .. "\n")
end

local GOOD = {
  API_KEY_PRIVATE_KEY = LIGHTER_KEY, ACCOUNT_INDEX = "281", API_KEY_INDEX = "4",
  SOL_WALLET = PACIFICA_ACCOUNT, API_PUBLIC = PACIFICA_AGENT, API_PRIVATE = PACIFICA_SECRET,
}
for k, v in pairs(EDGEX_V2) do GOOD[k] = v end
local function with(changes)
  local out = {}
  for k, v in pairs(GOOD) do out[k] = v end
  for k, v in pairs(changes) do
    if v == false then out[k] = nil else out[k] = v end
  end
  return out
end

local creds, err, notes = env.credentials(ALL3, { file = dotenv(GOOD), getenv = {} })
t.ok(creds, "credentials: everything present and valid")
if not creds then t.diag(err.msg) end
creds = creds or { lighter = {}, pacifica = {}, edgex = {} }
t.ok(creds.lighter.private_key == LIGHTER_KEY, "lighter.private_key (named as lighter.signer.new wants it)")
t.is(creds.lighter.account_index, 281, "lighter.account_index is a number")
t.is(creds.lighter.api_key_index, 4, "lighter.api_key_index is a number")
t.is(creds.pacifica.account, PACIFICA_ACCOUNT, "pacifica.account from SOL_WALLET")
t.is(creds.pacifica.agent_wallet, PACIFICA_AGENT, "pacifica.agent_wallet from API_PUBLIC")
t.ok(creds.pacifica.secret_key == PACIFICA_SECRET, "pacifica.secret_key from API_PRIVATE")
t.is(creds.edgex.account_id, "710000000000000001", "edgex.account_id stays exact text")
t.ok(creds.edgex.api_passphrase == EDGEX_V2.EDGEX_API_PASSPHRASE, "edgex v2 credentials")
t.ok(creds.edgex.private_key == EDGEX_V2.EDGEX_TRADING_PRIVATE_KEY, "edgex.private_key from EDGEX_TRADING_PRIVATE_KEY")
t.is(#notes, 0, "no notes for a clean setup")

-- every secret is registered for redaction, in its usual forms
t.is(log.redact("k=" .. LIGHTER_KEY), "k=[REDACTED]", "the Lighter key is redacted")
t.is(log.redact("k=0x" .. LIGHTER_KEY:upper()), "k=[REDACTED]", "... also 0x-prefixed and upper case")
t.is(log.redact(PACIFICA_SECRET), "[REDACTED]", "the Pacifica secret is redacted")
t.is(log.redact(EDGEX_V2.EDGEX_API_SECRET .. " " .. EDGEX_V2.EDGEX_API_KEY), "[REDACTED] [REDACTED]", "edgeX API secret and key are redacted")
t.is(log.redact(PACIFICA_ACCOUNT), PACIFICA_ACCOUNT, "a public address is not a secret")

-- the environment wins over .env
creds = env.credentials(ALL3, { file = dotenv(GOOD), getenv = { ACCOUNT_INDEX = "282" } })
t.is(creds and creds.lighter.account_index, 282, "the environment wins over .env")
creds = env.credentials(ALL3, { file = dir .. "/missing.env", getenv = GOOD })
t.ok(creds, "the environment alone is enough (no .env)")

-- a venue not configured is not read
local TWO = cfg_for('{"lighter": {"environment": "mainnet"}, "pacifica": {"environment": "testnet"}}')
creds = env.credentials(TWO, { file = dotenv(with { EDGEX_API_KEY = false }), getenv = {} })
t.ok(creds and creds.edgex == nil, "only the configured venues are read")

local function problems(cfg, vars, getenv)
  local c, e = env.credentials(cfg, { file = dotenv(vars), getenv = getenv or {} })
  if c then return "ok" end
  return e.msg, e
end
local file = dir .. "/test.env"
local function line_of(vars, name)
  local names = {}
  for k in pairs(vars) do names[#names + 1] = k end
  table.sort(names)
  for i, k in ipairs(names) do if k == name then return i end end
end

local vars = with { API_KEY_PRIVATE_KEY = false }
local msg, e = problems(ALL3, vars)
t.is(msg, "API_KEY_PRIVATE_KEY: missing; venue lighter needs it (set it in the environment or in " .. file .. ")",
  "a missing key is named")
t.is(e and e.exit_code, 2, "... exit code 2")

vars = with { API_KEY_PRIVATE_KEY = LIGHTER_KEY:sub(2) }
msg = problems(ALL3, vars)
t.is(msg, file .. ":" .. line_of(vars, "API_KEY_PRIVATE_KEY") ..
  ": API_KEY_PRIVATE_KEY: expected 80 hex digits (an optional 0x prefix), found 79", "a short key: variable, place, expected, found")
local leaked = false
for i = 1, #LIGHTER_KEY - 7 do if msg:find(LIGHTER_KEY:sub(i, i + 7), 1, true) then leaked = true end end
t.ok(not leaked, "... and no piece of the key in the message")

vars = with { API_KEY_PRIVATE_KEY = "0x" .. LIGHTER_KEY:sub(1, 10) .. "z" .. LIGHTER_KEY:sub(12) }
msg = problems(ALL3, vars)
t.is(msg, file .. ":" .. line_of(vars, "API_KEY_PRIVATE_KEY") ..
  ": API_KEY_PRIVATE_KEY: expected hex digits (an optional 0x prefix), found a non-hex character at position 13",
  "a non-hex character is located, not shown")
msg = problems(ALL3, with { API_KEY_PRIVATE_KEY = string.rep("ff", 40) })
t.is(msg, "API_KEY_PRIVATE_KEY: not a valid Lighter API private key: API private key is not below the ECgFp5 group order n (not a valid 40-byte little-endian scalar)",
  "the Lighter signer judges the key")
vars = with { ACCOUNT_INDEX = "-1" }
msg = problems(ALL3, vars)
t.is(msg, file .. ":" .. line_of(vars, "ACCOUNT_INDEX") .. ": ACCOUNT_INDEX: expected a whole number from 0 to 281474976710654",
  "a bad account index")
vars = with { API_KEY_INDEX = "255" }
msg = problems(ALL3, vars)
t.is(msg, file .. ":" .. line_of(vars, "API_KEY_INDEX") .. ": API_KEY_INDEX: expected a whole number from 0 to 254",
  "an API key index out of range")
msg = problems(ALL3, GOOD, { API_KEY_INDEX = "" })
t.is(msg, "environment: API_KEY_INDEX: is empty", "an empty variable in the environment")

vars = with { SOL_WALLET = "0" .. PACIFICA_ACCOUNT:sub(2) }
msg = problems(ALL3, vars)
t.is(msg, file .. ":" .. line_of(vars, "SOL_WALLET") ..
  ": SOL_WALLET: expected base58 text, found a character outside the base58 alphabet at position 1", "a non-base58 wallet")
vars = with { SOL_WALLET = PACIFICA_SECRET }
msg = problems(ALL3, vars)
t.is(msg, file .. ":" .. line_of(vars, "SOL_WALLET") ..
  ": SOL_WALLET: expected a Solana address (base58 of 32 bytes), found base58 of 64 bytes", "a secret key where the wallet goes")
msg = problems(ALL3, with { API_PRIVATE = PACIFICA_OTHER_SECRET })
t.is(msg, "API_PRIVATE: is not the secret key of API_PUBLIC (it belongs to another public key)",
  "a Pacifica secret that does not match its public key")
t.is(log.redact(PACIFICA_OTHER_SECRET), "[REDACTED]", "... and that refused secret is redacted all the same")

-- aliases (the seeds' other names)
local c2, _, n2 = env.credentials(ALL3, { file = dotenv(with { API_KEY_PRIVATE_KEY = false, LIGHTER_PRIVATE_KEY = LIGHTER_KEY }), getenv = {} })
t.ok(c2 and c2.lighter.private_key == LIGHTER_KEY, "LIGHTER_PRIVATE_KEY is accepted")
t.like(n2 and n2[1], "LIGHTER_PRIVATE_KEY is read as API_KEY_PRIVATE_KEY$", "... with a note")
vars = with { LIGHTER_ACCOUNT_INDEX = "282" }
msg = problems(ALL3, vars)
t.is(msg, "ACCOUNT_INDEX and LIGHTER_ACCOUNT_INDEX are both set (" .. file .. ":" .. line_of(vars, "ACCOUNT_INDEX") .. ", " ..
  file .. ":" .. line_of(vars, "LIGHTER_ACCOUNT_INDEX") .. ") and differ; keep one", "two names with different values")
c2 = env.credentials(ALL3, { file = dotenv(GOOD), getenv = { BASE_URL = "http://some-other-tool" } })
t.is(c2 and c2.lighter.urls.rest, nil, "the generic BASE_URL is not taken from the process environment")
c2 = env.credentials(ALL3, { file = dotenv(with { BASE_URL = "https://lighter.example" }), getenv = {} })
t.is(c2 and c2.lighter.urls.rest, "https://lighter.example", "... but from .env, as the seeds did")
vars = with { LIGHTER_WS_URL = "https://wrong.scheme" }
msg = problems(ALL3, vars)
t.is(msg, file .. ":" .. line_of(vars, "LIGHTER_WS_URL") .. ": LIGHTER_WS_URL: expected a wss:// or ws:// URL", "a bad URL")

-- contradictions with the configuration
msg = problems(ALL3, with { LIGHTER_MARGIN_MODE = "isolated" })
t.is(msg, 'LIGHTER_MARGIN_MODE is isolated but margin_mode in the configuration is "cross"; keep one',
  "LIGHTER_MARGIN_MODE against margin_mode")
msg = problems(ALL3, with { EDGEX_BASE_URL = "https://pro.edgex.exchange" })
t.is(msg, "EDGEX_BASE_URL points at the edgeX v1 host pro.edgex.exchange but venues.edgex.api_version is v2",
  "a seed's v1 URL with api_version v2")

-- edgeX
msg = problems(ALL3, with { EDGEX_API_PASSPHRASE = false })
t.is(msg, "EDGEX_API_PASSPHRASE: missing; venue edgex needs it (set it in the environment or in " .. file .. ")", "v2 needs the passphrase")
vars = with { EDGEX_API_PASSPHRASE = "abc" }
msg = problems(ALL3, vars)
t.is(msg, file .. ":" .. line_of(vars, "EDGEX_API_PASSPHRASE") ..
  ": EDGEX_API_PASSPHRASE: shorter than 4 characters: too short to be kept out of the logs", "a secret too short to redact")
msg = problems(ALL3, with { EDGEX_TRADING_PRIVATE_KEY = string.rep("0", 64) })
t.is(msg, "EDGEX_TRADING_PRIVATE_KEY: not a valid edgeX signer key: private_key must be a number in [1, n) (n = the secp256k1 group order)",
  "the edgeX signer judges the v2 key")
msg = problems(ALL3, with { EDGEX_ACCOUNT_ID = "12ab" })
t.like(msg, "EDGEX_ACCOUNT_ID: expected a whole number from 1 to 9223372036854775807$", "a bad edgeX account id")
local V1 = cfg_for('{"lighter": {"environment": "mainnet"}, "edgex": {"environment": "mainnet", "api_version": "v1"}}')
local v1vars = with { EDGEX_STARK_PRIVATE_KEY = STARK_KEY, EDGEX_ACCOUNT_ID = "610000000000000001" }
local c1 = env.credentials(V1, { file = dotenv(v1vars), getenv = {} })
t.ok(c1 and c1.edgex.private_key == STARK_KEY, "edgeX v1: the Stark key")
t.is(c1 and c1.edgex.api_key, nil, "edgeX v1: no v2 credentials handed out")
msg = problems(V1, with { EDGEX_ACCOUNT_ID = "610000000000000001" })
t.like(msg, "^EDGEX_STARK_PRIVATE_KEY: missing; venue edgex needs it", "edgeX v1 needs the Stark key")
local _, _, n3 = env.credentials(ALL3, { file = dotenv(with { EDGEX_STARK_PRIVATE_KEY = STARK_KEY, BOT_STATE_FILE = "logs/x.json" }), getenv = {} })
t.is(n3 and table.concat(n3, "\n"),
  "EDGEX_STARK_PRIVATE_KEY is a v1 key; venues.edgex.api_version is v2, so it is not used\n" ..
  "BOT_STATE_FILE is not used by hedge: the state database is state_db in the configuration", "notes about unused variables")
t.is(log.redact(STARK_KEY), "[REDACTED]", "an unused secret is still redacted")
local _, _, n4 = env.credentials(ALL3, { file = dotenv(with { API_KEY_INDEX = "3" }), getenv = {} })
t.is(n4 and n4[1], "API_KEY_INDEX 3: indexes 0-3 belong to Lighter's own apps; a bot key should use 4-254", "a note on app key indexes")

-- every problem at once
msg, e = problems(ALL3, with { API_KEY_PRIVATE_KEY = false, SOL_WALLET = false, EDGEX_API_KEY = "has space" })
t.is(e and #e.errors, 3, "all problems at once")
t.like(msg, "^3 problems with the secrets and settings:\n", "... announced")
t.like(msg, "EDGEX_API_KEY: expected one word without spaces or control characters", "... each named")

-- a malformed .env stops everything, naming the line
write("broken.env", "API_KEY_PRIVATE_KEY " .. LIGHTER_KEY .. "\n")
local cb, eb = env.credentials(ALL3, { file = dir .. "/broken.env", getenv = {} })
t.is(cb, nil, "a malformed .env is refused")
t.is(eb and eb.msg, dir .. "/broken.env:1: expected NAME=VALUE", "... naming the line, not the content")

-- The credentials and endpoints fit the venue clients' own options (unknown options raise there).
local SIM = cfg_for('{"lighter": {"environment": "sim", "rest_url": "http://127.0.0.1:9/api/v1", "ws_url": "ws://127.0.0.1:9/stream"},'
  .. ' "pacifica": {"environment": "testnet"}, "edgex": {"environment": "mainnet"}}')
local sim_creds = assert(env.credentials(SIM, { file = dotenv(GOOD), getenv = {} }))
local lopts = config.client_options(SIM, "lighter", sim_creds.lighter)
t.is(lopts.rest, "http://127.0.0.1:9/api/v1", "client options: the configured URL")
t.is(lopts.chain_id, 304, "client options: Lighter's chain id")
t.ok(lopts.private_key == LIGHTER_KEY, "client options: the credentials")
t.is(lopts.urls, nil, "client options: no internal fields")
local popts = config.client_options(SIM, "pacifica", sim_creds.pacifica)
t.is(popts.rest, "https://test-api.pacifica.fi/api/v1", "client options: the published testnet URL")
local eopts = config.client_options(SIM, "edgex", sim_creds.edgex)
t.is(eopts.api_version, "v2", "client options: edgeX api_version")
for _, name in ipairs { "lighter", "pacifica", "edgex" } do
  local found, client_module = pcall(require, "venues." .. name)
  if found then
    local ok, client, cerr = pcall(client_module.new, config.client_options(SIM, name, sim_creds[name]))
    t.ok(ok and client, "venues." .. name .. ".new accepts config.client_options (" .. tostring(ok and (cerr or "") or client) .. ")")
  elseif tostring(client_module):find("module 'venues%.[%w_]+' not found") then
    t.ok(true, "# SKIP venues." .. name .. " is not complete in this tree")
  else
    t.ok(false, "venues." .. name .. " loads: " .. tostring(client_module))
  end
end
local seed_host = env.credentials(ALL3, { file = dotenv(with { LIGHTER_BASE_URL = "https://mainnet.zklighter.elliot.ai" }), getenv = {} })
t.is(config.endpoints(ALL3, "lighter", seed_host.lighter.urls).rest, "https://mainnet.zklighter.elliot.ai/api/v1",
  "the seeds' LIGHTER_BASE_URL (a host) becomes the client's REST base")

t.raises(function() env.credentials(nil) end, "a loaded configuration", "credentials without a configuration raises")

-- A .env others can read (the mode a default umask gives) is warned about, naming the file and its
-- mode; 0600 and 0400 are quiet. The warning is logged (warn level) and kept on the vars.
local perm_path = write("perm.env", "X=1\n")
local function mode_warnings(mode)
  os.execute(string.format("chmod %s '%s'", mode, perm_path))
  local vars = assert(env.read { file = perm_path, getenv = {} })
  return vars.warnings
end
local w644 = mode_warnings("644")
t.is(#w644, 1, "a .env with mode 0644 gets one warning")
t.is(w644[1], perm_path .. " is readable or writable by group or others (mode 0644) and holds private keys: chmod 600 " ..
  perm_path, "the warning names the file, its mode and the fix")
t.like(mode_warnings("640")[1] or "", "%(mode 0640%)", "readable by the group (0640) is warned about too")
t.like(mode_warnings("602")[1] or "", "%(mode 0602%)", "writable by others (0602) is warned about too")
t.is(#mode_warnings("600"), 0, "0600 is quiet")
t.is(#mode_warnings("400"), 0, "0400 is quiet")
t.is(#assert(env.read { file = dir .. "/absent.env", getenv = {} }).warnings, 0, "no file, no warning")
local example_path = write("x.env.example", "X=1\n")
os.execute(string.format("chmod 644 '%s'", example_path))
t.is(#assert(env.read { file = example_path, getenv = {} }).warnings, 0, "a committed .example file (made-up keys) is quiet")
local mode, merr = require("hedge.core").file_mode(dir .. "/absent.env")
t.ok(mode == nil and merr:find("No such file", 1, true), "file_mode of a missing file: nil and the reason")
os.execute("rm -rf '" .. dir .. "'")
t.done()
