-- "edgex.signer" from Lua: every operation against the shared edgeX vectors (v1 orders, request
-- signatures, ECDSA, Pedersen, nonces; v2 orders, margin mode, HMAC requests, WebSocket auth,
-- signatures, domains, Keccak, EIP-712), and bad input: data errors come back as nil, err with
-- err.kind "auth" (keys, credentials) or "invalid_order" naming the field and never the key;
-- programmer errors (wrong types, unknown option keys) raise.
local es = require "edgex.signer"
local cjson = require "cjson"
local t = require "lib.tap"

local SHARED = os.getenv("SHARED") or "../shared"
local function load(name)
  local f = assert(io.open(SHARED .. "/vectors/edgex/" .. name .. ".json", "rb"))
  local text = f:read("*a")
  f:close()
  return cjson.decode(text).cases
end

local function unhex(h)
  return (h:gsub("^0x", ""):gsub("%x%x", function(b) return string.char(tonumber(b, 16)) end))
end

local function leaks(err, secret)
  local text = tostring(err)
  for i = 1, #secret - 7 do
    if text:find(secret:sub(i, i + 7), 1, true) then return true end
  end
  return false
end

local KEY_A = "04a787a45c81df4d32a612cbed36d7d809bce582380b77819fdf3f4b830e8159"
local SIGNER_A = "1b1abd2526be3aaaea2ed0f74d9a99b68bb4876788e003b8284d5550cd7a6711"

-- v1 keys ----------------------------------------------------------------------------------
for _, c in ipairs(load("public_keys")) do
  local s, err = es.v1_new { private_key = c.private_key }
  if t.ok(s, c.id .. ": key loads (" .. tostring(err) .. ")") then
    local x, y = s:public_key()
    t.is(x, c.public_key_x, c.id .. ": public x")
    t.is(y, c.public_key_y, c.id .. ": public y")
    t.ok(not tostring(s):find(c.private_key:sub(-16), 1, true), c.id .. ": tostring shows no key text")
  end
end
for what, bad in pairs { short = "abc", garbage = ("zz"):rep(32), zero = ("0"):rep(64),
                         order = "0800000000000010ffffffffffffffffb781126dcae7b2321e66a241adc64d2f" } do
  local s, err = es.v1_new { private_key = bad }
  t.is(s, nil, "v1 " .. what .. " key refused")
  t.is(err and err.kind, "auth", "v1 " .. what .. " key: auth error")
  t.is(err and err.venue, "edgex", "v1 " .. what .. " key: venue edgex")
  t.like(err and err.msg, "private_key", "v1 " .. what .. " key: names the field")
  t.ok(not leaks(err, bad), "v1 " .. what .. " key: error does not repeat the key")
end
if os.getenv("EDGEX_STARK_PRIVATE_KEY") == nil then
  local _, env_err = es.v1_from_env()
  t.like(env_err and env_err.msg, "^EDGEX_STARK_PRIVATE_KEY is not set", "v1_from_env names the missing variable")
end
t.raises(function() es.v1_new { private_key = KEY_A, secret = 1 } end, "unknown field secret", "v1_new: unknown option raises")
t.raises(function() es.v1_new { private_key = 42 } end, "private_key must be a string", "v1_new: non-string key raises")
t.raises(function() es.v1_new(KEY_A) end, "table expected", "v1_new: non-table argument raises")

local signer = assert(es.v1_new { private_key = KEY_A })
local own_x = signer:public_key()
t.is(signer:check_l2key(own_x), true, "check_l2key: own key")
local mismatch, mismatch_err = signer:check_l2key("0x5580341e2c99823a0a35356b8ac84e372dd38fd1f4b50f607b931ec8038c211")
t.is(mismatch, nil, "check_l2key: another account refused")
t.like(mismatch_err and mismatch_err.msg, "does not belong", "check_l2key: says so")

-- primitives ---------------------------------------------------------------------------------
for _, c in ipairs(load("pedersen")) do t.is(es.pedersen(c.a, c.b), c.result, c.id .. ": pedersen") end
local _, ped_err = es.pedersen("0x800000000000011000000000000000000000000000000000000000000000001", "0x1")
t.like(ped_err and ped_err.msg, "first input", "pedersen: input = p refused, named")
for _, c in ipairs(load("nonces")) do t.is(es.l2_nonce(c.client_order_id), tonumber(c.nonce), c.id .. ": l2_nonce") end
for _, c in ipairs(load("ecdsa")) do
  local s = assert(es.v1_new { private_key = c.private_key })
  t.is(s:sign_hash(c.msg_hash), c.signature_hex, c.id .. ": sign_hash")
  t.is(es.stark_verify(c.msg_hash, c.signature_hex, c.public_key_x), true, c.id .. ": verifies with x only")
end

-- v1 orders ------------------------------------------------------------------------------------
local function v1_order_options(i)
  local m = i.contract
  local opts = {
    market = { contract_id = m.contractId, synthetic_asset_id = m.starkExSyntheticAssetId,
               synthetic_resolution = m.starkExResolution, collateral_asset_id = i.collateral.starkExAssetId,
               collateral_resolution = i.collateral.starkExResolution, tick_size = m.tickSize },
    account_id = i.account_id, side = i.side, type = i.type, time_in_force = i.time_in_force,
    reduce_only = i.reduce_only, price = i.type == "LIMIT" and i.price or nil, oracle_price = i.oracle_price,
    size = i.size, client_order_id = i.client_order_id, fee_rate = i.fee_rate, fee_rounding = i.fee_rounding,
    expiry_rule = i.expiration_rule, now_ms = i.now_ms, value_rule = "round_by_side",
  }
  return opts
end

for _, c in ipairs(load("order_hash")) do
  if c.verify_only then
    t.is(es.stark_verify(c.msg_hash, c.signature.signature_hex, c.public_key_x), true,
      c.id .. ": exchange-signed order verifies (x only)")
    t.is(es.stark_verify(c.msg_hash, c.signature.signature_hex, c.public_key_x, c.public_key_y), true,
      c.id .. ": exchange-signed order verifies (x, y)")
    local other = c.msg_hash:sub(1, -2) .. (c.msg_hash:sub(-1) == "1" and "2" or "1")
    t.is(es.stark_verify(other, c.signature.signature_hex, c.public_key_x), false, c.id .. ": another hash does not")
  else
    local s = assert(es.v1_new { private_key = c.inputs.private_key })
    local o, err = s:sign_order(v1_order_options(c.inputs))
    if t.ok(o, c.id .. ": signs (" .. tostring(err) .. ")") then
      t.is(o.body, c.request_body_json, c.id .. ": body byte for byte")
      t.is(o.signature, c.signature.signature_hex, c.id .. ": l2Signature")
      t.is(o.msg_hash, c.msg_hash, c.id .. ": message hash")
      t.is(o.l2_value, c.intermediate.l2_value, c.id .. ": l2Value")
      t.is(o.l2_limit_fee, c.intermediate.l2_limit_fee, c.id .. ": l2LimitFee")
      t.is(o.l2_nonce, c.intermediate.nonce, c.id .. ": l2Nonce")
      t.is(o.packed_message1, c.intermediate.packed_message1, c.id .. ": packed message 1")
      t.is(es.render_body(o.body), o.rendered_params, c.id .. ": rendered_params == rendering of the body")
    end
  end
end

local base = v1_order_options(load("order_hash")[3].inputs)
local function with(changes)
  local o = {}
  for k, v in pairs(base) do o[k] = v end
  for k, v in pairs(changes) do o[k] = v end
  return o
end
local _, e1 = signer:sign_order(with { price = "abc" })
t.is(e1 and e1.kind, "invalid_order", "bad price: invalid_order")
t.like(e1 and e1.msg, "^price", "bad price: names price")
local _, e2 = signer:sign_order(with { size = "0.00000000001" })
t.is(e2 and e2.code, "inexact", "size below the resolution: inexact")
local _, e3 = signer:sign_order(with { side = "LONG" })
t.like(e3 and e3.msg, "side must be BUY or SELL", "bad side named")
local _, e4 = signer:sign_order(with { price = "0.0123457", size = "777", value_rule = "exact" })
t.is(e4 and e4.code, "inexact", "7-decimal value refused under the exact rule")
local _, e5 = signer:sign_order(with { now_ms = 1.5 })
t.like(e5 and e5.msg, "now_ms = 1%.5 is not an integer", "fractional now_ms refused")
t.raises(function() signer:sign_order(with { price = 97444.5 }) end, "price must be a string", "price as a number raises")
t.raises(function() signer:sign_order(with { leverage = "3" }) end, "unknown field leverage", "unknown order field raises")
t.raises(function() signer:sign_order(with { market = { contract_id = "1", ticksize = "0.1" } }) end,
  "unknown field ticksize", "unknown market field raises")
local ok_order = signer:sign_order(with { cache = false })
t.ok(ok_order and ok_order.signature, "order without the asset cache signs")

-- v1 request signatures -----------------------------------------------------------------------
for _, c in ipairs(load("request_auth")) do
  local s = assert(es.v1_new { private_key = c.inputs.private_key })
  local opts = { method = c.inputs.method, path = c.inputs.path, timestamp_ms = c.inputs.timestamp_ms }
  if c.request_body_json then
    opts.body = c.request_body_json
  elseif c.inputs.query_params_in_caller_order then
    opts.query = {}
    for _, pair in ipairs(c.inputs.query_params_in_caller_order) do
      for k, v in pairs(pair) do opts.query[k] = v end
    end
  end
  local r, err = s:sign_request(opts)
  if t.ok(r, c.id .. ": signs (" .. tostring(err) .. ")") then
    t.is(r.sign_string, c.sign_string, c.id .. ": sign string")
    t.is(r.headers["X-edgeX-Api-Signature"], c.headers["X-edgeX-Api-Signature"], c.id .. ": signature header")
    t.is(r.headers["X-edgeX-Api-Timestamp"], c.headers["X-edgeX-Api-Timestamp"], c.id .. ": timestamp header")
    t.is(r.target, c.request_url_path_and_query, c.id .. ": request target")
  end
end
local _, q_err = signer:sign_request { method = "GET", path = "/api/v1/private/x", query = { id = "a b" }, timestamp_ms = 1 }
t.like(q_err and q_err.msg, "query parameter id", "unsafe query value refused, named")
local _, n_err = signer:sign_request { method = "POST", path = "/api/v1/private/x", body = '{"leverage":3}' }
t.like(n_err and n_err.msg, "leverage is a JSON number", "numbers in a body refused, named")
t.raises(function() signer:sign_request { method = "GET", path = "/x", query = { a = "1" }, body = "{}" } end,
  "only one of", "query and body together raise")
local now_signed = signer:sign_request { method = "GET", path = "/api/v1/private/account/getAccountAsset",
                                          query = { accountId = 1 } }
t.like(now_signed and now_signed.timestamp, "^%d+$", "timestamp defaults to the clock; integer query values accepted")

signer:wipe()
t.raises(function() signer:public_key() end, "wiped", "a wiped signer refuses to work")

-- v2 -------------------------------------------------------------------------------------------
for _, c in ipairs(load("v2_keys")) do
  local s, err = es.v2_new { private_key = c.private_key }
  if c.valid then
    t.is(s and s:address(), c.address_eip55, c.id .. ": address")
  else
    t.is(err and err.kind, "auth", c.id .. ": refused as an auth error")
    t.ok(err and not leaks(err, c.private_key), c.id .. ": error does not repeat the key")
  end
end
for _, c in ipairs(load("v2_keccak256")) do t.is(es.keccak256(unhex(c.input_hex)), c.keccak256, c.id .. ": keccak256") end
for _, c in ipairs(load("v2_domain_separator")) do
  t.is(es.domain_separator(c.domain.chainId, c.domain.verifyingContract), c.domain_separator, c.id .. ": domain separator")
end
for _, c in ipairs(load("v2_eip712_types")) do
  if c.message then
    local digest, dsep, shash = es.eip712_digest(cjson.encode { types = c.types, primaryType = c.primary_type,
                                                                  domain = c.domain, message = c.message })
    t.is(digest, c.digest, c.id .. ": EIP-712 digest")
    t.is(dsep, c.domain_separator, c.id .. ": domain separator")
    t.is(shash, c.struct_hash, c.id .. ": struct hash")
    local s = assert(es.v2_new { private_key = c.private_key })
    t.is(s:sign_digest(digest), c.signature.signature_rsv, c.id .. ": signature")
  end
end
for _, c in ipairs(load("v2_signatures")) do
  local s = assert(es.v2_new { private_key = c.private_key })
  local sig = s:sign_digest(c.digest)
  t.is(sig, c.signature_rsv, c.id .. ": r||s||v")
  t.is(es.eth_recover(c.digest, sig), c.address, c.id .. ": recovers the signer")
end

for _, c in ipairs(load("v2_order_hash")) do
  local i = c.inputs
  local s = assert(es.v2_new { private_key = i.private_key, chain_id = i.domain.chainId,
                               verifying_contract = i.domain.verifyingContract })
  local exact = c.derived.amount_collateral_exact and c.derived.amount_synthetic_exact
  local opts = {
    market = { contract_id = i.contract.contractId, quote_coin_id = i.contract.quoteCoinId,
               synthetic_resolution = i.contract.resolution, collateral_resolution = i.quote_coin.resolution,
               tick_size = i.contract.tickSize, taker_fee_rate = i.contract.defaultTakerFeeRate,
               maker_fee_rate = i.contract.defaultMakerFeeRate },
    account_id = i.account_id, side = i.side, type = i.type, time_in_force = i.time_in_force,
    reduce_only = i.reduce_only, price = i.price, oracle_price = i.oracle_price, size = i.size,
    client_order_id = i.client_order_id, now_ms = i.now_ms, expire_time_ms = i.expire_time_ms_override,
  }
  if not exact then
    local refused, err = s:sign_order(opts)
    t.is(refused, nil, c.id .. ": inexact amount refused by default")
    t.is(err and err.code, "inexact", c.id .. ": inexact error")
    opts.value_rule = "truncate"
  end
  local o, err = s:sign_order(opts)
  if t.ok(o, c.id .. ": signs (" .. tostring(err) .. ")") then
    t.is(o.body, c.create_order_body_json, c.id .. ": body byte for byte")
    t.is(o.digest, c.digest, c.id .. ": EIP-712 digest")
    t.is(o.signature, c.signature.signature_rsv, c.id .. ": l2Signature")
    t.is(o.signer, c.derived.signer_address, c.id .. ": signer address")
    t.is(o.l2_limit_fee, c.derived.l2_limit_fee, c.id .. ": fee cap")
  end
end
-- a market order with a caller-chosen worst price signs that price (the Go SDK's rule)
do
  local s = assert(es.v2_new { private_key = SIGNER_A, chain_id = "33431", verifying_contract = "0x1ae109ea449cfe0bed08bfe8911e968a49a919b1" })
  local market = { contract_id = "30000001", quote_coin_id = "1000", synthetic_resolution = "10000000000",
                   collateral_resolution = "1000000", tick_size = "0.1", taker_fee_rate = "0.00038", maker_fee_rate = "0.00015" }
  local o = assert(s:sign_order { market = market, account_id = "1", side = "BUY", type = "MARKET", size = "0.002",
                                  worst_price = "100250", client_order_id = "w1", now_ms = 1795000000000 })
  t.ok(o.l2_price == "100250" and o.l2_value == "200.5" and o.body:find('"price":"0"', 1, true), "v2 market: the worst price is signed, the body says 0")
  local bad, berr = s:sign_order { market = market, account_id = "1", side = "SELL", type = "MARKET", size = "0.002",
                                   worst_price = "99999.95", client_order_id = "w2", now_ms = 1795000000000 }
  t.ok(bad == nil and berr.msg:find("tick_size", 1, true), "v2 market: a worst price off the tick is refused")
end
local no_domain = assert(es.v2_new { private_key = SIGNER_A })
local _, d_err = no_domain:sign_order { market = {}, side = "BUY", size = "1", client_order_id = "x", account_id = "1" }
t.like(d_err and d_err.msg, "no EIP%-712 domain", "v2 order without a domain refused")
local _, cred_err = no_domain:sign_request { method = "GET", path = "/api/v2/private/x" }
t.is(cred_err and cred_err.kind, "auth", "v2 request without credentials: auth error")

for _, c in ipairs(load("v2_set_margin_mode")) do
  local i = c.inputs
  local s = assert(es.v2_new { private_key = i.private_key, chain_id = i.domain.chainId,
                               verifying_contract = i.domain.verifyingContract })
  local m, err = s:sign_margin_mode { account_id = i.account_id, contract_id = i.contract_id,
                                      margin_mode = tonumber(i.margin_mode), client_id = i.client_order_id, now_ms = i.now_ms }
  if t.ok(m, c.id .. ": signs (" .. tostring(err) .. ")") then
    t.is(m.body, c.set_margin_mode_body_json, c.id .. ": body byte for byte")
    t.is(m.digest, c.digest, c.id .. ": digest")
  end
end

for _, c in ipairs(load("v2_request_auth")) do
  local i = c.inputs
  local s, err = es.v2_new { private_key = SIGNER_A, api_key = i.api_key, api_passphrase = i.api_passphrase,
                             api_secret = i.api_secret }
  if t.ok(s, c.id .. ": credentials load (" .. tostring(err) .. ")") then
    if c.sec_websocket_protocol_optional then
      local w = s:ws_auth { account_id = i.query_params_in_caller_order.accountId, timestamp_ms = i.timestamp_ms }
      t.is(w.target, c.websocket_url_path_and_query, c.id .. ": WebSocket target")
      t.is(w.headers["X-edgeX-Signature"], c.signature, c.id .. ": WebSocket signature")
      t.is(w.protocol, c.sec_websocket_protocol_optional, c.id .. ": Sec-WebSocket-Protocol value")
    else
      local opts = { method = i.method, path = i.path, timestamp_ms = i.timestamp_ms }
      if c.request_body_json then opts.body = c.request_body_json else opts.query = i.query_params_in_caller_order end
      local r, rerr = s:sign_request(opts)
      if t.ok(r, c.id .. ": signs (" .. tostring(rerr) .. ")") then
        t.is(r.sign_string, c.sign_string, c.id .. ": sign string")
        for name, value in pairs(c.headers) do t.is(r.headers[name], value, c.id .. ": header " .. name) end
      end
    end
  end
end
local secret = "supersecretvalue\nX-Injected: 1"
local _, s_err = es.v2_new { private_key = SIGNER_A, api_key = "k", api_passphrase = "p", api_secret = secret }
t.is(s_err and s_err.kind, "auth", "secret with a line break refused")
t.like(s_err and s_err.msg, "EDGEX_API_SECRET", "secret error names the variable")
t.ok(s_err and not leaks(s_err, secret), "secret error does not repeat the secret")
local _, m_err = assert(es.v2_new { private_key = SIGNER_A, chain_id = "3343",
  verifying_contract = "0xeeb3fb05cca17745cbdf193a9b16537efb68fac8" }):sign_margin_mode {
  account_id = "1", contract_id = "30000001", margin_mode = 2, client_id = "x", now_ms = 1 }
t.like(m_err and m_err.msg, "margin_mode must be 0 or 1", "margin mode 2 refused")
t.is(es.render_query { size = "50", accountId = "7", offsetData = "" }, "accountId=7&size=50",
  "render_query: sorted, empty values dropped")
t.done()
