-- "pacifica.signer" from Lua: exact known answers (shared/vectors/pacifica), decimal strings,
-- decimal and int64 cdata, and bad input: data errors come back as nil, err naming the field
-- (never the secret), programmer errors raise.
local ps = require "pacifica.signer"
local ffi = require "ffi"
local t = require "lib.tap"

-- Made-up test keys from shared/vectors/pacifica/keypairs.json.
local MAIN_SECRET = "3TA2wDJU3ESmFXSTFpPAKHgCetg23zUVswAp8vS48HWCDxP5qiMy9hCjTJZ7caCtRLsHVHVv2BaaNFRzD9y3xwgH"
local MAIN_ADDRESS = "CgyGKJ8fU5ehxBFEd2XA6U8ZJirUCRDZh7oWyBjrferh"
local AGENT_SECRET = "3MYmr2skPYRXK2eaidvsexLEZTkSFwaZCJtAf67KwGrJLiuvQPnk7UAftijUcHGsMYgSY2VE9DeyohxwQ8K3NbRo"
local AGENT_ADDRESS = "D5HAUaDDPPV9ASj8PVJLdTevsBQSAiVFj9PahXD1kZh7"
local CLOID = "449a6996-8290-4da4-aee9-85c25998f0af"
local AT = { timestamp = 1765000002000, expiry_window = 5000 }

-- keys ------------------------------------------------------------------------------------
local agent, err = ps.new { secret_key = AGENT_SECRET, account = MAIN_ADDRESS, agent_wallet = AGENT_ADDRESS }
t.ok(agent, "agent signer loads: " .. tostring(err))
t.is(agent:address(), AGENT_ADDRESS, "agent address")
t.is(agent:account(), MAIN_ADDRESS, "account address")
t.is(agent:is_agent(), true, "agent key acts for another account")
t.ok(not tostring(agent):find(AGENT_SECRET:sub(1, 12), 1, true), "tostring shows no secret")
local main = assert(ps.new { secret_key = MAIN_SECRET })
t.is(main:is_agent(), false, "own key is not an agent")
t.is(ps.public_key(MAIN_SECRET), MAIN_ADDRESS, "public key derived from the secret")

local bad, bad_err = ps.new { secret_key = MAIN_SECRET:sub(1, 60) }
t.is(bad, nil, "truncated secret refused")
t.is(bad_err.kind, "auth", "key errors are auth errors")
t.is(bad_err.venue, "pacifica", "error names the venue")
t.like(bad_err.msg, "^secret_key decodes to", "error names the field")
t.ok(not tostring(bad_err):find(MAIN_SECRET:sub(1, 12), 1, true), "error does not repeat the secret")
local _, mixed_err = ps.new { secret_key = AGENT_SECRET, account = MAIN_ADDRESS, agent_wallet = MAIN_ADDRESS }
t.like(mixed_err and mixed_err.msg, "agent_wallet does not match the public key of secret_key",
  "agent_wallet must belong to the secret")
local _, pub_err = ps.public_key("0OIl")
t.like(pub_err and pub_err.msg, "not valid base58", "public_key of garbage is a data error")
if os.getenv("API_PRIVATE") == nil then
  local _, env_err = ps.from_env()
  t.like(env_err and env_err.msg, "^API_PRIVATE is not set", "from_env names the missing variable")
end
t.raises(function() ps.new { secret_key = MAIN_SECRET, private_key = "x" } end, "unknown option private_key",
  "unknown option raises")
t.raises(function() ps.new { secret_key = 42 } end, "secret_key must be a string", "non-string key raises")
t.raises(function() ps.new("secret") end, "table expected", "non-table argument raises")

-- the spec's worked example ----------------------------------------------------------------
local req, sign_err = agent:sign("create_market_order", {
  symbol = "ETH", amount = "0.0125", side = "ask", slippage_percent = "1", reduce_only = true,
  client_order_id = CLOID }, AT)
t.ok(req, "market order signs: " .. tostring(sign_err))
t.is(req.message, '{"data":{"amount":"0.0125","client_order_id":"' .. CLOID .. '","reduce_only":true,'
  .. '"side":"ask","slippage_percent":"1","symbol":"ETH"},"expiry_window":5000,"timestamp":1765000002000,'
  .. '"type":"create_market_order"}', "message is byte-exact")
t.is(req.signature, "2creixeABGsXBDuiQmQBWGbxQjGEBhfnY6W9ewyYf9TBvZD1xWdUgiAvjkNzhLTgXPtNJGqzstwBuYp8HdbqTAR1",
  "signature matches the shared vector")
t.is(req.body, '{"account":"' .. MAIN_ADDRESS .. '","agent_wallet":"' .. AGENT_ADDRESS .. '","signature":"'
  .. req.signature .. '","timestamp":1765000002000,"expiry_window":5000,"amount":"0.0125","client_order_id":"'
  .. CLOID .. '","reduce_only":true,"side":"ask","slippage_percent":"1","symbol":"ETH"}', "body is exact")
t.is(req.path, "/api/v1/orders/create_market", "endpoint")
t.is(req.method, "POST", "method")
t.is(req.timestamp, 1765000002000, "timestamp kept")
t.is(ps.verify(AGENT_ADDRESS, req.message, req.signature), true, "signature verifies")
t.is(ps.verify(MAIN_ADDRESS, req.message, req.signature), false, "not under another key")
t.is(ps.verify(AGENT_ADDRESS, req.message .. " ", req.signature), false, "not for another message")
local _, verify_err = ps.verify("nope", req.message, req.signature)
t.like(verify_err and verify_err.msg, "address", "verify with a bad address is a data error")

local frame = req:ws_frame("4e51734e-7544-48b6-bbdc-6cfd2cba2d5b")
t.is(frame, '{"id":"4e51734e-7544-48b6-bbdc-6cfd2cba2d5b","params":{"create_market_order":' .. req.body .. '}}',
  "WebSocket frame wraps the body")
local _, frame_err = req:ws_frame("not-a-uuid")
t.like(frame_err and frame_err.msg, "UUID", "WebSocket id must be a UUID")

-- the default clock stamps the request now
local now_req = assert(main:sign("update_leverage", { symbol = "BTC", leverage = 5 }))
t.cmp(math.abs(now_req.timestamp - os.time() * 1000), "<", 5000, "default timestamp is the wall clock")
t.is(now_req.expiry_window, 5000, "default expiry window")
local _, ws_err = now_req:ws_frame("4e51734e-7544-48b6-bbdc-6cfd2cba2d5b")
t.is(ws_err and ws_err.kind, "not_supported", "update_leverage has no WebSocket form")

-- integers: Lua numbers and int64 cdata; decimals never as Lua floats ----------------------
local cancel = assert(main:sign("cancel_order", { symbol = "BTC", order_id = 42069LL },
  { timestamp = 1765000021000LL, expiry_window = 5000 }))
t.is(cancel.signature, "4PUBeXKV3EwHqTjDFgziyzRCJER23REnkq7hetotC1pm9mzo5bqSy6Zqv79ZBJwbH4fjNoHjExbTemiu8AvEhrF6",
  "int64 order id and timestamp sign like the shared vector")
local _, float_err = main:sign("create_order", { symbol = "BTC", price = "100000", amount = 0.1, side = "bid",
  tif = "GTC", reduce_only = false }, AT)
t.is(float_err and float_err.kind, "invalid_order", "a Lua float amount is refused")
t.like(float_err and float_err.msg, "amount must be a decimal string", "the error names the field")
local _, int_err = main:sign("create_order", { symbol = "BTC", price = 100000, amount = "0.1", side = "bid",
  tif = "GTC", reduce_only = false }, AT)
t.like(int_err and int_err.msg, "price must be a decimal string", "even an integral Lua number is not a price")
local _, lev_err = main:sign("update_leverage", { symbol = "BTC", leverage = 2.5 }, AT)
t.like(lev_err and lev_err.msg, "leverage must be an integer", "fractional leverage refused")
local _, unknown_err = main:sign("create_order", { symbol = "BTC", price = "1", amount = "1", side = "bid",
  tif = "GTC", reduce_only = false, postOnly = true }, AT)
t.like(unknown_err and unknown_err.msg, 'unknown field "postOnly"', "unknown payload field refused")
local _, nested_err = main:sign("create_order", { symbol = "BTC", price = "1", amount = "1", side = "bid",
  tif = "GTC", reduce_only = false, take_profit = { stop_price = 120000.5 } }, AT)
t.like(nested_err and nested_err.msg, "take_profit.stop_price must be a decimal string", "nested float refused")
local _, fn_err = main:sign("create_order", { symbol = "BTC", price = print }, AT)
t.like(fn_err and fn_err.msg, "price: cannot send a function", "a function is refused")
local _, type_err = main:sign("create_orders", {}, AT)
t.is(type_err and type_err.kind, "not_supported", "unknown operation")
local _, admin_err = agent:sign("bind_agent_wallet", { agent_wallet = AGENT_ADDRESS }, AT)
t.like(admin_err and admin_err.msg, "account's own key", "agent cannot bind agents")
local _, utf_err = main:sign("create_market_order", { symbol = "ETH", amount = "1", side = "ask",
  slippage_percent = "1", reduce_only = true, builder_code = "caf\195\169" }, AT)
t.like(utf_err and utf_err.msg, "printable ASCII", "non-ASCII text refused")
t.raises(function() main:sign("create_order", "payload", AT) end, "table expected", "payload must be a table")
t.raises(function() main:sign("create_order", {}, { timestamp = 1.5 }) end, "timestamp = 1%.5 is not an integer",
  "fractional timestamp raises")
t.raises(function() main:sign("create_order", {}, { expiry = 5 }) end, "unknown option expiry", "unknown option raises")

-- decimal cdata: formatted exactly when the runtime decimal is linked ----------------------
if not pcall(ffi.typeof, "rt_decimal") then
  pcall(ffi.cdef, "typedef struct rt_decimal { uint64_t lo; int64_t hi; int32_t scale; int32_t reserved; } rt_decimal;")
end
pcall(ffi.cdef, "size_t rt_decimal_format(const rt_decimal *value, char *buf, size_t cap, int min_scale);")
local have_decimal = pcall(function() return ffi.C.rt_decimal_format end)
local amount = ffi.new("rt_decimal", { lo = 1250, hi = 0, scale = 5 }) -- 0.01250
local dreq, derr = agent:sign("create_market_order", { symbol = "ETH", amount = amount, side = "ask",
  slippage_percent = "1", reduce_only = true, client_order_id = CLOID }, AT)
if have_decimal then
  t.is(dreq and dreq.signature, req.signature, "decimal cdata 0.01250 signs as \"0.0125\"")
else
  t.like(derr and derr.msg, "amount: the decimal cannot be formatted", "without runtime/decimal a decimal is refused")
end

-- batches ----------------------------------------------------------------------------------
local create = assert(agent:sign("create_order", { symbol = "BTC", price = "100000", reduce_only = false,
  amount = "0.1", side = "bid", tif = "GTC", client_order_id = "c3d3d377-0b27-475d-940b-93b9b3baf636" },
  { timestamp = 1765000081000, expiry_window = 5000 }))
local cancel2 = assert(agent:sign("cancel_order", { symbol = "BTC", order_id = 42069 },
  { timestamp = 1765000081000, expiry_window = 5000 }))
t.is(create.signature, "4R8yDeFH3pxd1z14GzbeF6UabtKJiXsu5y3EwSTs7vvNVoNLfyrvRACu5hBkNChZff1RtczbX6QtDPxa4LmBFG6y",
  "batch create action matches the shared vector")
t.is(ps.batch_body { create, cancel2 }, '{"actions":[{"type":"Create","data":' .. create.body
  .. '},{"type":"Cancel","data":' .. cancel2.body .. '}]}', "batch body")
local eleven = {}
for i = 1, 11 do eleven[i] = cancel2 end
local _, batch_err = ps.batch_body(eleven)
t.like(batch_err and batch_err.msg, "at most 10", "more than ten actions refused")
local _, lev_batch_err = ps.batch_body { now_req }
t.like(lev_batch_err and lev_batch_err.msg, "cannot be part of a batch", "update_leverage cannot be batched")
t.raises(function() ps.batch_body { "x" } end, "not a signed request", "batch of strings raises")
t.like(ps.ws_batch_frame("4e51734e-7544-48b6-bbdc-6cfd2cba2d5b", { create }),
  '^{"id":"4e51734e%-7544%-48b6%-bbdc%-6cfd2cba2d5b","params":{"batch_orders":{"actions":%[', "WebSocket batch frame")

-- operation table and wiping ---------------------------------------------------------------
local info = ps.operation("cancel_all_orders")
t.is(info.path, "/api/v1/orders/cancel_all", "operation path")
t.is(info.batch_action, nil, "cancel_all_orders is not a batch action")
t.is(ps.operation("nope"), nil, "unknown operation info is nil")
main:wipe()
t.raises(function() main:sign("update_leverage", { symbol = "BTC", leverage = 5 }) end, "wiped",
  "a wiped signer cannot sign")
t.is(tostring(main), "pacifica.signer (wiped)", "wiped signer says so")

t.done()
