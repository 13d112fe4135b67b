-- "lighter.signer" from Lua: every tx type rebuilt from shared/vectors/lighter cases (the tx
-- hash is deterministic, the signature uses a fresh nonce and must verify), integers as
-- numbers, decimal strings and int64 cdata, the official defaults, and bad input: data errors
-- come back as nil, err naming the field (never the key), programmer errors raise.
local ls = require "lighter.signer"
local t = require "lib.tap"

-- Test keys of shared/vectors/lighter (not real accounts).
local KEY = "76cc88d990d78188882f4fa274441c06cd610781c47fe4648c9df72603e27922551591f7f79acf1d"
local PUB = "8867af80a18b00de52723a206060eded42953bc5b49245271fac3be62d3cd5df4b851c51df16d7fe"
local KEY_B = "b33cd882c32a1335d80eb1b3db1faa3ea50121b9db564d806fa5fe9ca069c1b581b6ad258b62fc1b"
local KEY_D = "e03b523d5b44dabdc381af494b73040d00676ceeeb3fec367ed0aa76a1edc6ff6debbc5d131cc312"

-- The signature changes with every nonce; everything before "Sig" and after it must not.
local function check_signed(tx, err, expected_hash, expected_info, what)
  if not t.ok(tx, what .. ": signs (" .. tostring(err) .. ")") then return end
  t.is(tx.tx_hash, expected_hash, what .. ": tx hash matches the official signer")
  t.is(ls.verify(PUB, tx.tx_hash, tx.signature, { strict = true }), true, what .. ": signature verifies")
  if expected_info then
    local head, tail = expected_info:match('^(.*"Sig":")[^"]*(".*)$')
    t.is(tx.tx_info:sub(1, #head), head, what .. ": tx_info up to Sig is exact")
    t.is(tx.tx_info:sub(-#tail), tail, what .. ": tx_info after Sig is exact")
    t.is(#tx.tx_info, #head + 108 + #tail, what .. ": Sig is 108 base64 characters")
  end
end

-- keys ------------------------------------------------------------------------------------
local s, err = ls.new { private_key = KEY, account_index = 281, api_key_index = 3, chain_id = ls.MAINNET }
t.ok(s, "signer loads: " .. tostring(err))
t.is(s:public_key(), PUB, "public key derived like the official signer")
t.is(ls.public_key("0x" .. KEY), PUB, "ls.public_key accepts a 0x prefix")
t.is(s:account_index(), 281, "account index")
t.is(s:chain_id(), 304, "chain id")
t.ok(not tostring(s):find(KEY:sub(1, 16), 1, true), "tostring shows no key text")

local bad, bad_err = ls.new { private_key = KEY:sub(1, 78), account_index = 281, api_key_index = 3 }
t.is(bad, nil, "short key refused")
t.is(bad_err.kind, "auth", "key errors are auth errors")
t.is(bad_err.venue, "lighter", "error names the venue")
t.like(bad_err.msg, "80 hex characters", "error says what a key looks like")
t.ok(not tostring(bad_err):find(KEY:sub(1, 16), 1, true), "error does not repeat the key")
local _, garbage_err = ls.public_key(("zz"):rep(40))
t.like(garbage_err and garbage_err.msg, "non%-hex character at position 1", "garbage key: position of the bad character")
local _, zero_err = ls.public_key(("0"):rep(80))
t.like(zero_err and zero_err.msg, "is zero", "zero key refused")
local _, big_err = ls.public_key(("f"):rep(80))
t.like(big_err and big_err.msg, "group order", "key >= n refused")
t.raises(function() ls.new { private_key = KEY, account_index = 281, api_key_index = 3, secret = 1 } end,
  "unknown field secret", "unknown option raises")
t.raises(function() ls.new { private_key = 42, account_index = 1, api_key_index = 1 } end, "private_key must be a string",
  "non-string key raises")
t.raises(function() ls.new(KEY) end, "table expected", "non-table argument raises")
local _, acct_err = ls.new { private_key = KEY, api_key_index = 3 }
t.like(acct_err and acct_err.msg, "account_index is required", "missing account index is a data error")
if os.getenv("API_KEY_PRIVATE_KEY") == nil then
  local _, env_err = ls.from_env()
  t.like(env_err and env_err.msg, "^API_KEY_PRIVATE_KEY is not set", "from_env names the missing variable")
end

-- every tx type against the shared vectors -------------------------------------------------
local tx
tx, err = s:create_order { market_index = 0, client_order_index = 1, base_amount = 1000, price = 350000, side = "buy",
  type = "limit", time_in_force = "gtt", order_expiry = 1769644801000, expired_at = 1767226200000, nonce = 0 }
check_signed(tx, err, "4768b21ee8bff4e6d77a3eac167436829fc373d315e320416569958073cbaf81cc3efc7d76006be1",
  '{"AccountIndex":281,"ApiKeyIndex":3,"MarketIndex":0,"ClientOrderIndex":1,"BaseAmount":1000,"Price":350000,"IsAsk":0,'
  .. '"Type":0,"TimeInForce":1,"ReduceOnly":0,"TriggerPrice":0,"OrderExpiry":1769644801000,"ExpiredAt":1767226200000,'
  .. '"Nonce":0,"Sig":"x","L2TxAttributes":null}', "limit_gtt_buy")
t.is(tx and tx.tx_type, 14, "CreateOrder is tx type 14")

-- The official defaults from the signer clock: ExpiredAt = now + 599 s, OrderExpiry = now + 28 d.
tx, err = s:create_order { market_index = 0, client_order_index = 6, base_amount = 777, price = 351234, is_ask = true,
  type = "limit", time_in_force = "gtt", now_ms = 1767225616554, nonce = 5 }
check_signed(tx, err, "b33a07a734c97ae7bc890d1b5caee6dfb3fa319610666468372c5e66936011231a1d9b5070f0edda", nil,
  "limit_gtt_default_28d_expiry (defaults)")

-- A nonce of 2^53 - 1 as a number, and the same as a decimal string and as int64 cdata.
local large_nonce = { market_index = 5, client_order_index = 5, base_amount = 123456, price = 77777, side = "buy",
  type = "market", time_in_force = "ioc", expired_at = 1767226211110 }
local LARGE_HASH = "9e19420d0c3b7002cd41078540601027fa142613773e4eb1e989f9c19377d2fc1247e62f79d7b8c6"
for _, nonce in ipairs { 9007199254740991, "9007199254740991", 9007199254740991LL } do
  large_nonce.nonce = nonce
  tx, err = s:create_order(large_nonce)
  check_signed(tx, err, LARGE_HASH, nil, "nonce 2^53-1 as " .. type(nonce))
end
large_nonce.nonce = 9007199254740992
local none, nonce_err = s:create_order(large_nonce)
t.is(none, nil, "nonce 2^53 as a Lua number refused")
t.like(nonce_err and nonce_err.msg, "nonce = 9007199254740992 is beyond 2%^53", "error explains the 2^53 limit")
large_nonce.nonce = "9007199254740992"
tx = s:create_order(large_nonce)
t.ok(tx and tx.tx_info:find('"Nonce":9007199254740992,', 1, true), "nonce 2^53 as a decimal string is exact")

local d = assert(ls.new { private_key = KEY_D, account_index = 1234567, api_key_index = 2 })
tx, err = d:create_order { market_index = 2048, client_order_index = 8, base_amount = 1000000, price = 99990, side = "sell",
  time_in_force = "gtt", order_expiry = 1769644810999, expired_at = 1767226209999, nonce = 43,
  attributes = { skip_nonce = 1 } }
t.is(tx and tx.tx_hash, "854da6c194c4b8ba73371cb3f50c89b3f8e5cd6022f4ff743446346509a83f9d87e5d779d2f5a28c",
  "spot order with skip-nonce attribute (by name)")
t.ok(tx and tx.tx_info:find('"L2TxAttributes":{"4":1}}', 1, true), "attributes rendered in tx_info")
tx = d:cancel_order { market_index = 2048, index = "281474977000001", expired_at = 1767226221109, nonce = 45,
  attributes = { [4] = 1 } }
t.is(tx and tx.tx_hash, "e3babd8bff7cba91cf60b22ca954118416e0dcf2968e27c6fc65dd1dd7446e832e2618aa01a6f297",
  "cancel with skip-nonce attribute (by number)")
t.is(tx and ls.verify(d:public_key(), tx.tx_hash, tx.signature, { strict = true }), true, "and its signature verifies")

tx, err = s:cancel_order { market_index = 0, index = 1, expired_at = 1767226216665, nonce = 10 }
check_signed(tx, err, "3622857444cec1006592e88d1e59bae4cec468b7f75c53894eb2ca4d91e8845af96a004a9247c614",
  '{"AccountIndex":281,"ApiKeyIndex":3,"MarketIndex":0,"Index":1,"ExpiredAt":1767226216665,"Nonce":10,"Sig":"x",'
  .. '"L2TxAttributes":null}', "cancel_by_client_order_index")
tx, err = s:cancel_all_orders { time_in_force = "scheduled", time = 1767226525442, expired_at = 1767226224442, nonce = 14 }
check_signed(tx, err, "7d05c17efcd4617e21072d67eafed4e579ebfe3c04c21b6e2c44873618ddf231616586c420e64636", nil,
  "scheduled cancel-all")
t.ok(tx and tx.tx_info:find('"TimeInForce":1,"Time":1767226525442,', 1, true), "scheduled cancel-all fields")
tx, err = s:modify_order { market_index = 0, index = 1, base_amount = 1200, price = 349900, expired_at = 1767226251106,
  nonce = 30 }
check_signed(tx, err, "e17d1174fe867c8907f1943093be460d31d40ff80a56466aab78b3abb0f69c8d065577df00217299", nil,
  "modify_by_client_order_index")
tx, err = s:update_leverage { market_index = 1, initial_margin_fraction = 3334, margin_mode = "isolated",
  expired_at = 1767226231108, nonce = 17 }
check_signed(tx, err, "ebd194973a00288a8d6ce16124a3d09a89a6e74c876bf6b08dca38fef4657269c0116ae4910bdc23",
  '{"AccountIndex":281,"ApiKeyIndex":3,"MarketIndex":1,"InitialMarginFraction":3334,"MarginMode":1,'
  .. '"ExpiredAt":1767226231108,"Nonce":17,"Sig":"x","L2TxAttributes":null}', "isolated_3x")
local L1 = "0x" .. ("ab"):rep(65)
tx, err = s:change_pub_key { l1_signature = L1, expired_at = 1767226235552, nonce = 0 }
check_signed(tx, err, "e89cd93397ba0bb94e775b94087664e808360f1349ff2973684434ce142f62f9d9341a056ace23c3", nil,
  "change_pub_key")
t.ok(tx and tx.tx_info:find('"PubKey":"iGevgKGLAN5ScjogYGDt7UKVO8W0kkUnH6w75i081d9LhRxR3xbX/g==","L1Sig":"' .. L1 .. '"', 1,
  true), "ChangePubKey carries the new public key and the L1 signature")
t.is(ls.l1_message { public_key = PUB, nonce = 0, account_index = 281, api_key_index = 3 },
  "Register Lighter Account\n\npubkey: 0x" .. PUB .. "\nnonce: 0x0000000000000000\naccount index: 0x0000000000000119\n"
  .. "api key index: 0x0000000000000003\nOnly sign this message for a trusted client!", "L1 registration text")

-- testnet signer: a different chain id gives a different hash
local b = assert(ls.new { private_key = KEY_B, account_index = 65, api_key_index = 254, chain_id = ls.TESTNET })
tx = b:cancel_order { market_index = 0, index = 99, expired_at = 1767226219998, nonce = 8 }
t.is(tx and tx.tx_hash, "509c21b73eb8fb87666579b441a6d022e3dffc7befb981c450ade50b0dcd63bb252a153a113ce7c7",
  "testnet cancel (chain id 300)")
t.ok(tx and ls.verify(b:public_key(), tx.tx_hash, tx.signature), "testnet cancel verifies under its own key")
t.is(tx and ls.verify(PUB, tx.tx_hash, tx.signature), false, "and not under another key")

-- auth tokens ------------------------------------------------------------------------------
local token = s:auth_token(1767229240)
t.like(token, "^1767229240:281:3:%x+$", "auth token is message:hex")
t.is(token and #token, 17 + 160, "auth token length")
t.is(ls.verify(PUB, ls.auth_hash("1767229240:281:3"), token:sub(18)), true, "auth token signature verifies")
t.is(ls.auth_hash("1767229240:281:3"), "70bb4870f31094b8a03a3fe31a1a1f8137f787ad8c4f8d979a9dc2f6fb68641afc0fb49e49ebf745",
  "auth message hash matches the official signer")
t.like(s:auth_token(), "^%d+:281:3:%x+$", "auth token with the default deadline")
local _, deadline_err = s:auth_token(-5)
t.like(deadline_err and deadline_err.msg, "deadline", "negative deadline refused")

-- bad input --------------------------------------------------------------------------------
local function order(overrides)
  local o = { market_index = 0, client_order_index = 1, base_amount = 1000, price = 350000, side = "buy", nonce = 1 }
  for k, v in pairs(overrides) do o[k] = v end
  return o
end
local function refused(fields, pattern, what)
  local result, e = s:create_order(order(fields))
  t.is(result, nil, what .. ": refused")
  t.is(e and e.kind, "invalid_order", what .. ": invalid_order")
  t.like(e and e.msg, pattern, what .. ": error names the field")
end
refused({ base_amount = -5 }, "BaseAmount = %-5 must not be negative", "negative size")
refused({ market_index = 255 }, "MarketIndex = 255 is not a market", "market index 255")
refused({ market_index = 70000 }, "MarketIndex = 70000", "market index 70000")
refused({ market_index = -1 }, "MarketIndex = %-1", "negative market index")
refused({ price = 1.5 }, "price = 1.5 is not an integer", "fractional price")
refused({ price = "3.5" }, 'price = "3.5" is not a decimal integer', "decimal-point string price")
refused({ price = "12abc" }, 'price = "12abc"', "garbage string price")
refused({ price = 0 }, "Price = 0 is out of range", "price 0")
refused({ price = 2 ^ 32 }, "Price = 4294967296", "price 2^32")
refused({ nonce = "-1" }, "Nonce = %-1", "negative nonce")
refused({ nonce = 0 / 0 }, "nonce is not a finite number", "NaN nonce")
refused({ price = math.huge }, "price is not a finite number", "infinite price")
refused({ type = "iceberg" }, 'type = "iceberg" is not one of limit, market', "unknown order type")
refused({ type = "market", time_in_force = "gtt" }, "TimeInForce must be 0", "GTT market order")
refused({ side = "long" }, 'side = "long" is not one of buy, sell', "unknown side")
refused({ attributes = { [9] = 1 } }, "unknown attribute type 9", "attribute 9")
refused({ market_index = 2048, reduce_only = true }, "ReduceOnly = 1 is not allowed on a spot market", "reduce-only spot")
local missing, missing_err = s:create_order { market_index = 0, base_amount = 1, price = 1, side = "buy" }
t.is(missing, nil, "missing nonce refused")
t.like(missing_err and missing_err.msg, "nonce is required", "error names the missing nonce")
local _, cancel_err = s:cancel_order { market_index = 0, index = 0, nonce = 1 }
t.like(cancel_err and cancel_err.msg, "CancelOrder.Index = 0", "cancel of index 0 refused")
local _, lev_err = s:update_leverage { market_index = 0, initial_margin_fraction = 0, nonce = 1 }
t.like(lev_err and lev_err.msg, "InitialMarginFraction = 0", "leverage fraction 0 refused")
local _, l1_err = s:change_pub_key { l1_signature = "0x1234", nonce = 1 }
t.like(l1_err and l1_err.msg, "L1Sig must be 0x followed by 130 hex", "short L1 signature refused")
t.raises(function() s:create_order(order { price = {} }) end, "price must be an integer", "table as price raises")
t.raises(function() s:create_order(order { colour = "red" }) end, "unknown field colour", "unknown field raises")
t.raises(function() s:create_order(order { is_ask = true }) end, "exactly one of side", "side and is_ask together raise")
t.raises(function() s:create_order("buy") end, "table expected", "non-table order raises")
t.raises(function() s:cancel_order { market_index = 0, index = 1, nonce = 1, attributes = 4 } end,
  "attributes must be a table", "attributes of the wrong type raise")

-- verification -----------------------------------------------------------------------------
tx = assert(s:cancel_order { market_index = 0, index = 1, nonce = 2 })
local flipped = (tx.signature:sub(1, 1) == "0" and "1" or "0") .. tx.signature:sub(2)
t.is(ls.verify(PUB, tx.tx_hash, flipped), false, "tampered signature rejected")
local _, hex_err = ls.verify(PUB, tx.tx_hash, "xyz")
t.like(hex_err and hex_err.msg, "signature must be 160 hex characters", "malformed signature is a data error")
local _, pk_err = ls.verify(("g"):rep(80), tx.tx_hash, tx.signature)
t.like(pk_err and pk_err.msg, "public key has a non%-hex character at position 1", "malformed public key is a data error")

-- key generation and wiping ----------------------------------------------------------------
local fresh = ls.generate_key()
t.like(fresh.private_key, "^%x+$", "generated private key is hex")
t.is(ls.public_key(fresh.private_key), fresh.public_key, "generated key pair is consistent")
s:wipe()
t.raises(function() s:auth_token(1767229240) end, "wiped", "a wiped signer cannot sign")
t.is(tostring(s), "lighter.signer (wiped)", "wiped signer says so")

t.done()
