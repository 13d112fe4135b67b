/* "edgex.signer": edgeX signing for Lua (exchanges/edgex/sign.h), both API generations.
 *
 *   local es = require "edgex.signer"
 *   -- v1 (StarkEx)
 *   local v1, err = es.v1_new{private_key = "<hex>"}          -- or es.v1_from_env(): EDGEX_STARK_PRIVATE_KEY
 *   v1:public_key() -> x_hex, y_hex;  v1:check_l2key(account.l2Key) -> true | nil, err
 *   v1:sign_order{market = {contract_id, synthetic_asset_id, synthetic_resolution, collateral_asset_id,
 *                           collateral_resolution, tick_size}, account_id, side, type, time_in_force,
 *                 reduce_only, price, oracle_price, worst_price, size, client_order_id, fee_rate, fee_rounding,
 *                 value_rule, expiry_rule, now_ms, expire_time_ms, l2_expire_time_ms}
 *       -> {body, rendered_params, signature, msg_hash, l2_nonce, l2_value, ...}
 *   v1:sign_request{method, path, query = {name = value} | body = "<json>" | rendered_params, timestamp_ms}
 *       -> {headers = {...}, sign_string, target, signature, timestamp}
 *   v1:sign_hash(hex) -> r||s hex;  v1:wipe()
 *   -- v2 (EIP-712 + HMAC)
 *   local v2, err = es.v2_new{private_key, api_key, api_passphrase, api_secret, chain_id, verifying_contract}
 *                   -- or es.v2_from_env{chain_id, verifying_contract}: EDGEX_TRADING_PRIVATE_KEY, EDGEX_API_KEY,
 *                   --    EDGEX_API_PASSPHRASE, EDGEX_API_SECRET
 *   v2:address(); v2:set_domain(chain_id, verifying_contract)
 *   v2:sign_order{market = {contract_id, quote_coin_id, synthetic_resolution, collateral_resolution, tick_size,
 *                           taker_fee_rate, maker_fee_rate}, account_id, side, type, ..., account_fee_rate,
 *                 now_ms, expire_time_ms, value_rule}
 *   v2:sign_margin_mode{account_id, contract_id, margin_mode, client_id, now_ms}
 *   v2:sign_request{...} (HMAC headers), v2:ws_auth{account_id, timestamp_ms}, v2:sign_digest(hex), v2:wipe()
 *   -- helpers
 *   es.pedersen(a, b), es.stark_verify(hash, sig, x [, y]), es.keccak256(bytes), es.l2_nonce(client_id),
 *   es.render_query{...}, es.render_body(json), es.domain_separator(chain_id, contract),
 *   es.eip712_digest(typed_data_json), es.eth_recover(digest, signature)
 *
 * Decimal quantities are strings (a float never reaches a signed field); integers (times, margin
 * mode) are exact Lua integers or decimal strings. Data errors return nil, err with err.kind
 * "invalid_order" or "auth" (keys and credentials) and err.venue "edgex"; wrong argument types
 * and unknown option keys raise. Key material never appears in an error and is wiped by
 * :wipe() or when the signer is collected. */
#include <jansson.h>
#include <lauxlib.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>
#include <string.h>

#include "bindings/errors.h"
#include "bindings/lua_args.h"
#include "bindings/module.h"
#include "exchanges/edgex/hex.h"
#include "exchanges/edgex/keccak.h"
#include "exchanges/edgex/sign.h"
#include "runtime/clock.h"

HEDGE_LUA_MODULE("edgex.signer", luaopen_edgex_signer)

#define V1_TYPE "edgex.v1_signer"
#define V2_TYPE "edgex.v2_signer"

typedef struct v1_box {
    edgex_stark_key key;
    edgex_v1_asset_cache cache;
    int live;
} v1_box;

typedef struct v2_box {
    edgex_eth_key key;
    uint8_t domain[32];
    int has_domain, live;
    char *api_key, *api_passphrase, *api_secret;   /* heap copies, wiped on release */
} v2_box;

/* nil, {kind, op, msg, venue = "edgex"} */
static int fail(lua_State *L, const char *op, const edgex_error *err) {
    lerr_return_venue(L, "edgex", err->code == EDGEX_E_KEY ? "auth" : "invalid_order", op, err->message);
    lerr_set_string(L, "code", edgex_status_name(err->code));
    return 2;
}

static void set_string(lua_State *L, const char *key, const char *value) {
    lua_pushstring(L, value);
    lua_setfield(L, -2, key);
}

static void set_u64(lua_State *L, const char *key, uint64_t value) {
    char text[21];
    edgex_format_u64(value, text);
    set_string(L, key, text);
}

static void set_u256(lua_State *L, const char *key, const edgex_u256 *value) {
    char text[67];
    edgex_u256_to_hex(value, text);
    set_string(L, key, text);
}

static void push_hex(lua_State *L, const uint8_t *bytes, size_t n) {   /* n <= 32 */
    char text[2 * 32 + 3] = "0x";
    edgex_bytes_to_hex(bytes, n, text + 2);
    lua_pushstring(L, text);
}

static void set_hex(lua_State *L, const char *key, const uint8_t *bytes, size_t n) {
    push_hex(L, bytes, n);
    lua_setfield(L, -2, key);
}

static void free_secret(char **p) {
    if (*p) {
        sodium_memzero(*p, strlen(*p));
        free(*p);
        *p = NULL;
    }
}

static char *copy_secret(const char *s) {
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    if (p) memcpy(p, s, n);
    return p;
}

/* ---- shared option readers --------------------------------------------------------------- */

/* The value at idx as an exact integer (lua_args.h): *present = 0 when absent; a value that is
 * not one is an input error naming the field. */
static int read_int64_at(lua_State *L, int idx, const char *name, int64_t *out, int *present, edgex_error *err) {
    char problem[200];
    int rc = largs_int64_at(L, idx, name, out, problem, sizeof problem);
    *present = rc != LARGS_ABSENT;
    return rc == LARGS_BAD ? edgex_fail(err, EDGEX_E_INPUT, "%s", problem) : EDGEX_OK;
}

/* The same for t[key] of the table at idx. */
static int read_int64(lua_State *L, int idx, const char *key, int64_t *out, int *present, edgex_error *err) {
    lua_getfield(L, idx, key);
    int rc = read_int64_at(L, lua_gettop(L), key, out, present, err);
    lua_pop(L, 1);
    return rc;
}

static int read_side_type(lua_State *L, int idx, edgex_side *side, edgex_order_kind *kind, edgex_error *err) {
    const char *s = largs_string(L, idx, "side"), *t = largs_string(L, idx, "type");
    if (!s || (strcasecmp(s, "buy") && strcasecmp(s, "sell"))) return edgex_fail(err, EDGEX_E_INPUT, "side must be BUY or SELL");
    *side = strcasecmp(s, "buy") == 0 ? EDGEX_BUY : EDGEX_SELL;
    if (!t) t = "LIMIT";
    if (strcasecmp(t, "limit") && strcasecmp(t, "market")) return edgex_fail(err, EDGEX_E_INPUT, "type must be LIMIT or MARKET");
    *kind = strcasecmp(t, "market") == 0 ? EDGEX_MARKET : EDGEX_LIMIT;
    return EDGEX_OK;
}

static int read_now(lua_State *L, int idx, const char *key, int64_t *now, edgex_error *err) {
    int present = 0;
    int rc = read_int64(L, idx, key, now, &present, err);
    if (rc == EDGEX_OK && !present) *now = rt_clock_now_ms();
    return rc;
}

static int read_value_rule(const char *text, edgex_value_rule dflt, edgex_value_rule *out, edgex_error *err) {
    if (!text) *out = dflt;
    else if (strcmp(text, "exact") == 0) *out = EDGEX_VALUE_EXACT;
    else if (strcmp(text, "round_by_side") == 0) *out = EDGEX_VALUE_ROUND_BY_SIDE;
    else if (strcmp(text, "truncate") == 0) *out = EDGEX_VALUE_TRUNCATE;
    else return edgex_fail(err, EDGEX_E_INPUT, "value_rule must be exact, round_by_side or truncate");
    return EDGEX_OK;
}

/* Renders the parameters of a request option table: query = {name = value}, body = "<json>"
 * or rendered_params = "<already rendered>". */
static int render_request(lua_State *L, int idx, edgex_text *rendered, edgex_text *target, const char *path,
                          edgex_error *err) {
    lua_getfield(L, idx, "query");
    int has_query = !lua_isnil(L, -1), query_at = lua_gettop(L);
    const char *body = largs_string(L, idx, "body"), *pre = largs_string(L, idx, "rendered_params");
    if (has_query + !!body + !!pre > 1) luaL_error(L, "sign_request: give only one of query, body, rendered_params");
    int rc = EDGEX_OK;
    if (has_query) {
        largs_table(L, query_at, "query");
        edgex_query_param params[64];
        char numbers[64][24];   /* integral numbers written as decimal text */
        size_t n = 0;
        lua_pushnil(L);
        while (rc == EDGEX_OK && lua_next(L, query_at) != 0) {
            if (lua_type(L, -2) != LUA_TSTRING) luaL_error(L, "query: names must be strings");
            if (n == 64) luaL_error(L, "query: at most 64 parameters");
            params[n].name = lua_tostring(L, -2);   /* kept alive by the query table */
            if (lua_type(L, -1) == LUA_TNUMBER) {
                int64_t v = 0;
                int present;
                rc = read_int64_at(L, lua_gettop(L), params[n].name, &v, &present, err);
                snprintf(numbers[n], sizeof numbers[n], "%lld", (long long)v);
                params[n].value = numbers[n];
            } else if (lua_type(L, -1) == LUA_TSTRING) {
                params[n].value = lua_tostring(L, -1);
            } else {
                luaL_error(L, "query: value of %s must be a string", params[n].name);
            }
            n++;
            lua_pop(L, 1);
        }
        if (rc == EDGEX_OK) rc = edgex_render_query(rendered, params, n, 0, err);
        if (rc == EDGEX_OK) rc = edgex_request_target(target, path, edgex_text_str(rendered), err);
    } else if (body) {
        json_error_t jerr;
        json_t *parsed = json_loads(body, 0, &jerr);
        if (!parsed) rc = edgex_fail(err, EDGEX_E_INPUT, "body is not JSON: %s", jerr.text);
        else rc = edgex_render_json_body(rendered, parsed, err);
        json_decref(parsed);
        if (rc == EDGEX_OK) rc = edgex_request_target(target, path, "", err);
    } else {
        edgex_text_reset(rendered);
        if (pre) edgex_text_puts(rendered, pre);
        rc = edgex_request_target(target, path, "", err);
    }
    lua_settop(L, query_at - 1);
    return rc;
}

static const char *const REQUEST_FIELDS[] = {"method", "path", "query", "body", "rendered_params", "timestamp_ms", NULL};

/* ---- v1 -------------------------------------------------------------------------------- */

static v1_box *check_v1(lua_State *L) {
    v1_box *box = luaL_checkudata(L, 1, V1_TYPE);
    if (!box->live) luaL_error(L, "edgex v1 signer was wiped");
    return box;
}

static int push_v1(lua_State *L, const char *text, const char *source) {
    v1_box *box = lua_newuserdata(L, sizeof *box);
    memset(box, 0, sizeof *box);
    luaL_getmetatable(L, V1_TYPE);
    lua_setmetatable(L, -2);
    edgex_error err;
    if (edgex_stark_key_parse(&box->key, text, source, &err) != EDGEX_OK) return fail(L, "v1_new", &err);
    edgex_v1_asset_cache_init(&box->cache);
    box->live = 1;
    return 1;
}

static int v1_new(lua_State *L) {
    static const char *const known[] = {"private_key", NULL};
    largs_only_known(L, 1, "edgex.signer.v1_new", "field", known);
    const char *text = largs_string(L, 1, "private_key");
    return push_v1(L, text, "private_key");
}

static int v1_from_env(lua_State *L) { return push_v1(L, getenv("EDGEX_STARK_PRIVATE_KEY"), "EDGEX_STARK_PRIVATE_KEY"); }

static int v1_gc(lua_State *L) {
    v1_box *box = luaL_checkudata(L, 1, V1_TYPE);
    edgex_stark_key_wipe(&box->key);
    box->live = 0;
    return 0;
}

static int v1_tostring(lua_State *L) {
    v1_box *box = luaL_checkudata(L, 1, V1_TYPE);
    char x[67];
    edgex_u256_to_hex(&box->key.public_x, x);
    lua_pushfstring(L, "edgex.v1_signer(%s)", box->live ? x : "wiped");
    return 1;
}

static int v1_public_key(lua_State *L) {
    v1_box *box = check_v1(L);
    char x[67], y[67];
    edgex_u256_to_hex(&box->key.public_x, x);
    edgex_u256_to_hex(&box->key.public_y, y);
    lua_pushstring(L, x);
    lua_pushstring(L, y);
    return 2;
}

static int v1_check_l2key(lua_State *L) {
    v1_box *box = check_v1(L);
    const char *l2key = luaL_checkstring(L, 2);
    edgex_error err;
    if (edgex_stark_key_check_l2key(&box->key, l2key, &err) != EDGEX_OK) return fail(L, "check_l2key", &err);
    lua_pushboolean(L, 1);
    return 1;
}

static int v1_sign_hash(lua_State *L) {
    v1_box *box = check_v1(L);
    edgex_u256 m;
    edgex_stark_signature sig;
    edgex_error err;
    if (edgex_u256_from_hex(&m, luaL_checkstring(L, 2)) != 0) {
        edgex_fail(&err, EDGEX_E_INPUT, "hash must be hex");
        return fail(L, "sign_hash", &err);
    }
    if (edgex_stark_sign(&sig, &box->key.private_key, &m, NULL, &err) != EDGEX_OK) return fail(L, "sign_hash", &err);
    char hex[129];
    edgex_stark_signature_to_hex(&sig, hex);
    lua_pushstring(L, hex);
    return 1;
}

static int v1_read_order(lua_State *L, edgex_v1_order_input *in, edgex_v1_market *m, int *use_cache, edgex_error *err) {
    static const char *const known[] = {"market", "account_id", "side", "type", "time_in_force", "reduce_only", "price",
                                        "oracle_price", "worst_price", "size", "client_order_id", "fee_rate", "fee_rounding",
                                        "value_rule", "expiry_rule", "now_ms", "expire_time_ms", "l2_expire_time_ms",
                                        "cache", NULL};
    static const char *const market_known[] = {"contract_id", "synthetic_asset_id", "synthetic_resolution",
                                               "collateral_asset_id", "collateral_resolution", "tick_size", NULL};
    largs_only_known(L, 2, "sign_order", "field", known);
    lua_getfield(L, 2, "market");
    int mi = lua_gettop(L);
    largs_only_known(L, mi, "sign_order: market", "field", market_known);
    memset(m, 0, sizeof *m);
    m->contract_id = largs_string(L, mi, "contract_id");
    m->synthetic_asset_id = largs_string(L, mi, "synthetic_asset_id");
    m->synthetic_resolution = largs_string(L, mi, "synthetic_resolution");
    m->collateral_asset_id = largs_string(L, mi, "collateral_asset_id");
    m->collateral_resolution = largs_string(L, mi, "collateral_resolution");
    m->tick_size = largs_string(L, mi, "tick_size");
    lua_pop(L, 1);   /* the market table stays referenced by the options table */
    memset(in, 0, sizeof *in);
    in->market = m;
    in->account_id = largs_string(L, 2, "account_id");
    in->time_in_force = largs_string(L, 2, "time_in_force");
    in->reduce_only = largs_bool(L, 2, "reduce_only", 0);
    in->price = largs_string(L, 2, "price");
    in->oracle_price = largs_string(L, 2, "oracle_price");
    in->worst_price = largs_string(L, 2, "worst_price");
    in->size = largs_string(L, 2, "size");
    in->client_order_id = largs_string(L, 2, "client_order_id");
    in->fee_rate = largs_string(L, 2, "fee_rate");
    *use_cache = largs_bool(L, 2, "cache", 1);
    const char *rounding = largs_string(L, 2, "fee_rounding"), *rule = largs_string(L, 2, "expiry_rule");
    int rc = read_side_type(L, 2, &in->side, &in->kind, err);
    if (!rc) rc = read_value_rule(largs_string(L, 2, "value_rule"), EDGEX_VALUE_ROUND_BY_SIDE, &in->value_rule, err);
    if (rc) return rc;
    if (!rounding || strcmp(rounding, "ceil_integer") == 0) in->fee_rounding = EDGEX_FEE_CEIL_INTEGER;
    else if (strcmp(rounding, "ceil_collateral_decimals") == 0) in->fee_rounding = EDGEX_FEE_CEIL_COLLATERAL_DECIMALS;
    else return edgex_fail(err, EDGEX_E_INPUT, "fee_rounding must be ceil_integer or ceil_collateral_decimals");
    if (!rule || strcmp(rule, "go_sdk") == 0) in->expiry_rule = EDGEX_V1_EXPIRY_GO_SDK;
    else if (strcmp(rule, "py_sdk_0.4") == 0) in->expiry_rule = EDGEX_V1_EXPIRY_PY_SDK_04;
    else if (strcmp(rule, "explicit") == 0) in->expiry_rule = EDGEX_V1_EXPIRY_EXPLICIT;
    else return edgex_fail(err, EDGEX_E_INPUT, "expiry_rule must be go_sdk, py_sdk_0.4 or explicit");
    int present;
    rc = read_now(L, 2, "now_ms", &in->now_ms, err);
    if (!rc) rc = read_int64(L, 2, "expire_time_ms", &in->expire_time_ms, &present, err);
    if (!rc) rc = read_int64(L, 2, "l2_expire_time_ms", &in->l2_expire_time_ms, &present, err);
    return rc;
}

static int v1_sign_order(lua_State *L) {
    v1_box *box = check_v1(L);
    edgex_v1_order_input in;
    edgex_v1_market m;
    edgex_error err;
    int use_cache;
    if (v1_read_order(L, &in, &m, &use_cache, &err) != EDGEX_OK) return fail(L, "sign_order", &err);
    edgex_v1_order order;
    edgex_v1_order_init(&order);
    if (edgex_v1_order_sign(&order, &in, &box->key, use_cache ? &box->cache : NULL, &err) != EDGEX_OK) {
        edgex_v1_order_free(&order);
        return fail(L, "sign_order", &err);
    }
    lua_createtable(L, 0, 24);
    set_string(L, "body", edgex_text_str(&order.body));
    set_string(L, "rendered_params", edgex_text_str(&order.rendered_params));
    set_string(L, "signature", order.signature_hex);
    set_u256(L, "msg_hash", &order.hashes.msg_hash);
    set_u256(L, "packed_message0", &order.hashes.packed_message0);
    set_u256(L, "packed_message1", &order.hashes.packed_message1);
    set_u256(L, "hash1", &order.hashes.hash1);
    set_u256(L, "hash2", &order.hashes.hash2);
    set_u256(L, "hash3", &order.hashes.hash3);
    set_u64(L, "l2_nonce", order.fields.nonce);
    set_string(L, "l2_price", order.l2_price);
    set_string(L, "l2_value", order.l2_value);
    set_string(L, "l2_size", order.l2_size);
    set_string(L, "l2_limit_fee", order.l2_limit_fee);
    set_string(L, "time_in_force", order.time_in_force);
    set_u64(L, "expire_time", (uint64_t)order.expire_time_ms);
    set_u64(L, "l2_expire_time", (uint64_t)order.l2_expire_time_ms);
    set_u64(L, "expiration_hours", order.fields.expiration_hours);
    set_u64(L, "amount_synthetic", order.amount_synthetic);
    set_u64(L, "amount_collateral", order.amount_collateral);
    set_u64(L, "amount_fee", order.amount_fee);
    lua_pushboolean(L, order.value_exact);
    lua_setfield(L, -2, "value_exact");
    edgex_v1_order_free(&order);
    return 1;
}

/* Shared by v1 and v2: reads method/path/timestamp and renders the parameters. */
static int read_request(lua_State *L, const char **method, const char **path, int64_t *ts, edgex_text *rendered,
                        edgex_text *target, edgex_error *err) {
    largs_only_known(L, 2, "sign_request", "field", REQUEST_FIELDS);
    *method = largs_string(L, 2, "method");
    *path = largs_string(L, 2, "path");
    if (!*method) *method = "GET";
    int rc = edgex_check_method_and_path(*method, *path, err);
    if (!rc) rc = read_now(L, 2, "timestamp_ms", ts, err);
    if (!rc) rc = render_request(L, 2, rendered, target, *path, err);
    return rc;
}

/* The signed request's table, v1 and v2 alike; the caller adds its `headers`. */
static void push_signed_request(lua_State *L, const char *sign_string, const char *signature, const char *timestamp,
                                const edgex_text *target, const edgex_text *rendered) {
    lua_createtable(L, 0, 6);
    set_string(L, "sign_string", sign_string);
    set_string(L, "signature", signature);
    set_string(L, "timestamp", timestamp);
    set_string(L, "target", edgex_text_str(target));
    set_string(L, "rendered_params", edgex_text_str(rendered));
}

static int v1_sign_request(lua_State *L) {
    v1_box *box = check_v1(L);
    const char *method, *path;
    int64_t ts;
    edgex_text rendered, target;
    edgex_text_init(&rendered);
    edgex_text_init(&target);
    edgex_error err;
    edgex_v1_request_auth auth;
    edgex_v1_request_auth_init(&auth);
    int rc = read_request(L, &method, &path, &ts, &rendered, &target, &err);
    if (!rc) rc = edgex_v1_request_sign(&auth, &box->key, ts, method, path, edgex_text_str(&rendered), &err);
    if (!rc) {
        push_signed_request(L, edgex_text_str(&auth.sign_string), auth.signature_hex, auth.timestamp, &target, &rendered);
        lua_createtable(L, 0, 2);
        set_string(L, EDGEX_V1_HEADER_TIMESTAMP, auth.timestamp);
        set_string(L, EDGEX_V1_HEADER_SIGNATURE, auth.signature_hex);
        lua_setfield(L, -2, "headers");
    }
    edgex_v1_request_auth_free(&auth);
    edgex_text_free(&rendered);
    edgex_text_free(&target);
    return rc ? fail(L, "sign_request", &err) : 1;
}

static int v1_wipe(lua_State *L) { return v1_gc(L); }

/* ---- v2 -------------------------------------------------------------------------------- */

static v2_box *check_v2(lua_State *L) {
    v2_box *box = luaL_checkudata(L, 1, V2_TYPE);
    if (!box->live) luaL_error(L, "edgex v2 signer was wiped");
    return box;
}

static void v2_release(v2_box *box) {
    edgex_eth_key_wipe(&box->key);
    free_secret(&box->api_key);
    free_secret(&box->api_passphrase);
    free_secret(&box->api_secret);
    box->live = 0;
}

static int v2_gc(lua_State *L) {
    v2_release(luaL_checkudata(L, 1, V2_TYPE));
    return 0;
}

static int set_domain(v2_box *box, const char *chain_id, const char *contract, edgex_error *err) {
    int rc = edgex_eip712_domain_separator(box->domain, NULL, "EdgeX", "1", chain_id, contract, err);
    box->has_domain = rc == EDGEX_OK;
    return rc;
}

/* Builds a v2 signer from the given texts (each may be NULL except the key); names are the
 * variables to blame in errors. */
static int push_v2(lua_State *L, const char *key, const char *api_key, const char *passphrase, const char *secret,
                   const char *chain_id, const char *contract, const char *const names[4]) {
    v2_box *box = lua_newuserdata(L, sizeof *box);
    memset(box, 0, sizeof *box);
    luaL_getmetatable(L, V2_TYPE);
    lua_setmetatable(L, -2);
    edgex_error err;
    if (edgex_eth_key_parse(&box->key, key, names[0], &err) != EDGEX_OK) return fail(L, "v2_new", &err);
    box->live = 1;
    if (api_key || passphrase || secret) {
        if (edgex_v2_check_credentials(api_key, passphrase, secret, &err) != EDGEX_OK) {
            v2_release(box);
            return fail(L, "v2_new", &err);
        }
        box->api_key = copy_secret(api_key);
        box->api_passphrase = copy_secret(passphrase);
        box->api_secret = copy_secret(secret);
        if (!box->api_key || !box->api_passphrase || !box->api_secret) {
            v2_release(box);
            return luaL_error(L, "edgex.signer: out of memory");
        }
    }
    if ((chain_id || contract) && set_domain(box, chain_id, contract, &err) != EDGEX_OK) {
        v2_release(box);
        return fail(L, "v2_new", &err);
    }
    return 1;
}

static int v2_new(lua_State *L) {
    static const char *const known[] = {"private_key", "api_key", "api_passphrase", "api_secret", "chain_id",
                                        "verifying_contract", NULL};
    static const char *const names[4] = {"private_key", "api_key", "api_passphrase", "api_secret"};
    largs_only_known(L, 1, "edgex.signer.v2_new", "field", known);
    return push_v2(L, largs_string(L, 1, "private_key"), largs_string(L, 1, "api_key"), largs_string(L, 1, "api_passphrase"),
                   largs_string(L, 1, "api_secret"), largs_string(L, 1, "chain_id"),
                   largs_string(L, 1, "verifying_contract"), names);
}

static int v2_from_env(lua_State *L) {
    static const char *const known[] = {"chain_id", "verifying_contract", NULL};
    static const char *const names[4] = {"EDGEX_TRADING_PRIVATE_KEY", "EDGEX_API_KEY", "EDGEX_API_PASSPHRASE",
                                         "EDGEX_API_SECRET"};
    const char *chain = NULL, *contract = NULL;
    if (!lua_isnoneornil(L, 1)) {
        largs_only_known(L, 1, "edgex.signer.v2_from_env", "field", known);
        chain = largs_string(L, 1, "chain_id");
        contract = largs_string(L, 1, "verifying_contract");
    }
    const char *api_key = getenv(names[1]), *passphrase = getenv(names[2]), *secret = getenv(names[3]);
    if (!api_key && !passphrase && !secret) {   /* all three are needed for private requests */
        edgex_error err;
        edgex_fail(&err, EDGEX_E_KEY, "EDGEX_API_KEY, EDGEX_API_PASSPHRASE and EDGEX_API_SECRET are not set");
        return fail(L, "v2_from_env", &err);
    }
    return push_v2(L, getenv(names[0]), api_key ? api_key : "", passphrase ? passphrase : "", secret ? secret : "",
                   chain, contract, names);
}

static int v2_tostring(lua_State *L) {
    v2_box *box = luaL_checkudata(L, 1, V2_TYPE);
    lua_pushfstring(L, "edgex.v2_signer(%s)", box->live ? box->key.address_checksum : "wiped");
    return 1;
}

static int v2_address(lua_State *L) {
    lua_pushstring(L, check_v2(L)->key.address_checksum);
    return 1;
}

static int v2_set_domain(lua_State *L) {
    v2_box *box = check_v2(L);
    edgex_error err;
    if (set_domain(box, luaL_checkstring(L, 2), luaL_checkstring(L, 3), &err) != EDGEX_OK) return fail(L, "set_domain", &err);
    lua_pushboolean(L, 1);
    return 1;
}

static int need_domain(v2_box *box, edgex_error *err) {
    if (!box->has_domain)
        return edgex_fail(err, EDGEX_E_INPUT, "no EIP-712 domain: give chain_id and verifying_contract (from metadata)");
    return EDGEX_OK;
}

static int v2_sign_order(lua_State *L) {
    static const char *const known[] = {"market", "account_id", "side", "type", "time_in_force", "reduce_only", "price",
                                        "oracle_price", "worst_price", "size", "client_order_id", "account_fee_rate", "now_ms",
                                        "expire_time_ms", "value_rule", NULL};
    static const char *const market_known[] = {"contract_id", "quote_coin_id", "synthetic_resolution",
                                               "collateral_resolution", "tick_size", "taker_fee_rate", "maker_fee_rate",
                                               NULL};
    v2_box *box = check_v2(L);
    largs_only_known(L, 2, "sign_order", "field", known);
    lua_getfield(L, 2, "market");
    int mi = lua_gettop(L);
    largs_only_known(L, mi, "sign_order: market", "field", market_known);
    edgex_v2_market m = {
        .contract_id = largs_string(L, mi, "contract_id"),
        .quote_coin_id = largs_string(L, mi, "quote_coin_id"),
        .synthetic_resolution = largs_string(L, mi, "synthetic_resolution"),
        .collateral_resolution = largs_string(L, mi, "collateral_resolution"),
        .tick_size = largs_string(L, mi, "tick_size"),
        .taker_fee_rate = largs_string(L, mi, "taker_fee_rate"),
        .maker_fee_rate = largs_string(L, mi, "maker_fee_rate"),
    };
    lua_pop(L, 1);
    edgex_v2_order_input in = {
        .market = &m, .domain_separator = box->domain, .account_id = largs_string(L, 2, "account_id"),
        .time_in_force = largs_string(L, 2, "time_in_force"), .reduce_only = largs_bool(L, 2, "reduce_only", 0),
        .price = largs_string(L, 2, "price"), .oracle_price = largs_string(L, 2, "oracle_price"),
        .worst_price = largs_string(L, 2, "worst_price"),
        .size = largs_string(L, 2, "size"), .client_order_id = largs_string(L, 2, "client_order_id"),
        .account_fee_rate = largs_string(L, 2, "account_fee_rate"),
    };
    edgex_error err;
    int present;
    int rc = need_domain(box, &err);
    if (!rc) rc = read_side_type(L, 2, &in.side, &in.kind, &err);
    if (!rc) rc = read_value_rule(largs_string(L, 2, "value_rule"), EDGEX_VALUE_EXACT, &in.value_rule, &err);
    if (!rc) rc = read_now(L, 2, "now_ms", &in.now_ms, &err);
    if (!rc) rc = read_int64(L, 2, "expire_time_ms", &in.expire_time_ms, &present, &err);
    if (rc) return fail(L, "sign_order", &err);
    edgex_v2_order order;
    edgex_v2_order_init(&order);
    if (edgex_v2_order_sign(&order, &in, &box->key, &err) != EDGEX_OK) {
        edgex_v2_order_free(&order);
        return fail(L, "sign_order", &err);
    }
    lua_createtable(L, 0, 24);
    set_string(L, "body", edgex_text_str(&order.body));
    set_string(L, "rendered_params", edgex_text_str(&order.rendered_params));
    set_string(L, "signature", order.signature_hex);
    set_string(L, "signer", order.signer_address);
    set_hex(L, "digest", order.digest, 32);
    set_hex(L, "struct_hash", order.struct_hash, 32);
    set_hex(L, "order_base_hash", order.order_base_hash, 32);
    set_u64(L, "l2_nonce", order.message.nonce);
    set_string(L, "l2_price", order.l2_price);
    set_string(L, "l2_value", order.l2_value);
    set_string(L, "l2_size", order.l2_size);
    set_string(L, "l2_limit_fee", order.l2_limit_fee);
    set_string(L, "fee_rate", order.fee_rate_used);
    set_string(L, "time_in_force", order.time_in_force);
    set_u64(L, "expire_time", (uint64_t)order.expire_time_ms);
    set_u64(L, "l2_expire_time", (uint64_t)order.l2_expire_time_ms);
    set_u64(L, "expiration_timestamp", order.message.expiration_timestamp);
    set_u64(L, "amount_synthetic", order.message.amount_synthetic);
    set_u64(L, "amount_collateral", order.message.amount_collateral);
    set_u64(L, "amount_fee", order.message.amount_fee);
    lua_pushboolean(L, order.amount_collateral_exact && order.amount_synthetic_exact);
    lua_setfield(L, -2, "amounts_exact");
    edgex_v2_order_free(&order);
    return 1;
}

static int v2_sign_margin_mode(lua_State *L) {
    static const char *const known[] = {"account_id", "contract_id", "margin_mode", "client_id", "now_ms", NULL};
    v2_box *box = check_v2(L);
    largs_only_known(L, 2, "sign_margin_mode", "field", known);
    edgex_v2_margin_input in = {.domain_separator = box->domain, .account_id = largs_string(L, 2, "account_id"),
                                .contract_id = largs_string(L, 2, "contract_id"), .client_id = largs_string(L, 2, "client_id")};
    edgex_error err;
    int64_t mode = -1;
    int present;
    int rc = need_domain(box, &err);
    if (!rc) rc = read_int64(L, 2, "margin_mode", &mode, &present, &err);
    if (!rc && (!present || mode < 0 || mode > 1)) rc = edgex_fail(&err, EDGEX_E_INPUT, "margin_mode must be 0 or 1");
    if (!rc) rc = read_now(L, 2, "now_ms", &in.now_ms, &err);
    in.margin_mode = (int)mode;
    edgex_v2_margin out;
    edgex_v2_margin_init(&out);
    if (!rc) rc = edgex_v2_margin_sign(&out, &in, &box->key, &err);
    if (!rc) {
        lua_createtable(L, 0, 8);
        set_string(L, "body", edgex_text_str(&out.body));
        set_string(L, "rendered_params", edgex_text_str(&out.rendered_params));
        set_string(L, "signature", out.signature_hex);
        set_string(L, "signer", out.signer_address);
        set_hex(L, "digest", out.digest, 32);
        set_hex(L, "struct_hash", out.struct_hash, 32);
        set_u64(L, "l2_nonce", out.nonce);
        set_u64(L, "l2_expire_time", (uint64_t)out.l2_expire_time_ms);
    }
    edgex_v2_margin_free(&out);
    return rc ? fail(L, "sign_margin_mode", &err) : 1;
}

static void push_v2_headers(lua_State *L, const v2_box *box, const edgex_v2_request_auth *auth) {
    lua_createtable(L, 0, 4);
    set_string(L, EDGEX_V2_HEADER_API_KEY, box->api_key);
    set_string(L, EDGEX_V2_HEADER_PASSPHRASE, box->api_passphrase);
    set_string(L, EDGEX_V2_HEADER_TIMESTAMP, auth->timestamp);
    set_string(L, EDGEX_V2_HEADER_SIGNATURE, auth->signature);
}

static int need_credentials(const v2_box *box, edgex_error *err) {
    if (!box->api_secret) return edgex_fail(err, EDGEX_E_KEY, "no API credentials (EDGEX_API_KEY, EDGEX_API_PASSPHRASE, EDGEX_API_SECRET)");
    return EDGEX_OK;
}

static int v2_sign_request(lua_State *L) {
    v2_box *box = check_v2(L);
    const char *method, *path;
    int64_t ts;
    edgex_text rendered, target;
    edgex_text_init(&rendered);
    edgex_text_init(&target);
    edgex_error err;
    edgex_v2_request_auth auth;
    edgex_v2_request_auth_init(&auth);
    int rc = need_credentials(box, &err);
    if (!rc) rc = read_request(L, &method, &path, &ts, &rendered, &target, &err);
    if (!rc) rc = edgex_v2_request_sign(&auth, box->api_secret, ts, method, path, edgex_text_str(&rendered), &err);
    if (!rc) {
        push_signed_request(L, edgex_text_str(&auth.sign_string), auth.signature, auth.timestamp, &target, &rendered);
        push_v2_headers(L, box, &auth);
        lua_setfield(L, -2, "headers");
    }
    edgex_v2_request_auth_free(&auth);
    edgex_text_free(&rendered);
    edgex_text_free(&target);
    return rc ? fail(L, "sign_request", &err) : 1;
}

/* The private WebSocket upgrade: GET /api/v1/private/ws?accountId=<id>&timestamp=<ms>, the same
 * ms in the query and the header; also the optional Sec-WebSocket-Protocol value. */
static int v2_ws_auth(lua_State *L) {
    static const char *const known[] = {"account_id", "timestamp_ms", NULL};
    v2_box *box = check_v2(L);
    largs_only_known(L, 2, "ws_auth", "field", known);
    const char *account = largs_string(L, 2, "account_id");
    edgex_error err;
    int64_t ts = 0;
    char ts_text[21];
    int rc = need_credentials(box, &err);
    if (!rc) rc = read_now(L, 2, "timestamp_ms", &ts, &err);
    if (!rc && ts <= 0) rc = edgex_fail(&err, EDGEX_E_INPUT, "timestamp_ms must be positive");
    uint64_t account_id;
    if (!rc) rc = edgex_parse_id(&account_id, account, "account_id", &err);
    edgex_format_u64((uint64_t)(ts > 0 ? ts : 0), ts_text);
    edgex_query_param params[2] = {{"accountId", account}, {"timestamp", ts_text}};
    edgex_text rendered, target, protocol;
    edgex_text_init(&rendered);
    edgex_text_init(&target);
    edgex_text_init(&protocol);
    edgex_v2_request_auth auth;
    edgex_v2_request_auth_init(&auth);
    const char *path = "/api/v1/private/ws";
    if (!rc) rc = edgex_render_query(&rendered, params, 2, 0, &err);
    if (!rc) rc = edgex_request_target(&target, path, edgex_text_str(&rendered), &err);
    if (!rc) rc = edgex_v2_request_sign(&auth, box->api_secret, ts, "GET", path, edgex_text_str(&rendered), &err);
    if (!rc) rc = edgex_v2_ws_protocol_value(&protocol, box->api_key, box->api_passphrase, &auth, &err);
    if (!rc) {
        lua_createtable(L, 0, 4);
        set_string(L, "target", edgex_text_str(&target));
        set_string(L, "sign_string", edgex_text_str(&auth.sign_string));
        set_string(L, "protocol", edgex_text_str(&protocol));
        push_v2_headers(L, box, &auth);
        lua_setfield(L, -2, "headers");
    }
    edgex_v2_request_auth_free(&auth);
    edgex_text_free(&rendered);
    edgex_text_free(&target);
    if (protocol.data) sodium_memzero(protocol.data, protocol.len);   /* carries the passphrase */
    edgex_text_free(&protocol);
    return rc ? fail(L, "ws_auth", &err) : 1;
}

static int read_digest(lua_State *L, int idx, uint8_t digest[32], edgex_error *err) {
    const char *text = luaL_checkstring(L, idx);
    if (text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) text += 2;
    if (edgex_hex_to_bytes(text, strlen(text), digest, 32) != 0) return edgex_fail(err, EDGEX_E_INPUT, "digest must be 32 bytes of hex");
    return EDGEX_OK;
}

static int v2_sign_digest(lua_State *L) {
    v2_box *box = check_v2(L);
    uint8_t digest[32];
    edgex_error err;
    edgex_eth_signature sig;
    if (read_digest(L, 2, digest, &err) || edgex_eth_sign_digest(&sig, box->key.private_key, digest, &err))
        return fail(L, "sign_digest", &err);
    char hex[131];
    edgex_eth_signature_hex(&sig, hex);
    lua_pushstring(L, hex);
    return 1;
}

static int v2_wipe(lua_State *L) { return v2_gc(L); }

/* ---- module functions ----------------------------------------------------------------- */

static int module_pedersen(lua_State *L) {
    edgex_u256 a, b, out;
    edgex_error err;
    if (edgex_u256_from_text(&a, luaL_checkstring(L, 1)) || edgex_u256_from_text(&b, luaL_checkstring(L, 2))) {
        edgex_fail(&err, EDGEX_E_INPUT, "pedersen inputs must be hex (0x...) or decimal integers");
        return fail(L, "pedersen", &err);
    }
    if (edgex_pedersen_hash(&out, &a, &b, &err) != EDGEX_OK) return fail(L, "pedersen", &err);
    char hex[67];
    edgex_u256_to_hex(&out, hex);
    lua_pushstring(L, hex);
    return 1;
}

static int module_stark_verify(lua_State *L) {
    edgex_u256 m, x, y;
    edgex_stark_signature sig;
    edgex_error err;
    if (edgex_u256_from_hex(&m, luaL_checkstring(L, 1)) || edgex_u256_from_hex(&x, luaL_checkstring(L, 3)) ||
        (!lua_isnoneornil(L, 4) && edgex_u256_from_hex(&y, luaL_checkstring(L, 4)))) {
        edgex_fail(&err, EDGEX_E_INPUT, "hash and public key must be hex");
        return fail(L, "stark_verify", &err);
    }
    if (edgex_stark_signature_from_hex(&sig, luaL_checkstring(L, 2), &err)) return fail(L, "stark_verify", &err);
    int rc;
    if (lua_isnoneornil(L, 4)) {
        rc = edgex_stark_verify_x(&m, &sig, &x, &err);
    } else {
        stark_point q;
        rc = stark_point_from_u256(&q, &x, &y) ? edgex_fail(&err, EDGEX_E_INPUT, "public key is not on the curve")
                                               : edgex_stark_verify(&m, &sig, &q, &err);
    }
    if (rc == EDGEX_E_VERIFY) {
        lua_pushboolean(L, 0);
        return 1;
    }
    if (rc) return fail(L, "stark_verify", &err);
    lua_pushboolean(L, 1);
    return 1;
}

static int module_keccak256(lua_State *L) {
    size_t len;
    const char *data = luaL_checklstring(L, 1, &len);
    uint8_t digest[32];
    edgex_keccak256(data, len, digest);
    push_hex(L, digest, 32);
    return 1;
}

static int module_l2_nonce(lua_State *L) {
    uint32_t nonce;
    edgex_error err;
    if (edgex_l2_nonce(&nonce, luaL_checkstring(L, 1), NULL, &err)) return fail(L, "l2_nonce", &err);
    lua_pushnumber(L, (lua_Number)nonce);
    return 1;
}

static int module_render_query(lua_State *L) {
    largs_table(L, 1, "render_query");
    /* reuse the request reader: put the table under "query" of a fresh options table */
    lua_settop(L, 1);
    lua_createtable(L, 0, 1);
    lua_pushvalue(L, 1);
    lua_setfield(L, -2, "query");
    lua_replace(L, 1);
    edgex_text rendered, target;
    edgex_text_init(&rendered);
    edgex_text_init(&target);
    edgex_error err;
    int rc = render_request(L, 1, &rendered, &target, "/", &err);
    if (!rc) lua_pushstring(L, edgex_text_str(&rendered));
    edgex_text_free(&rendered);
    edgex_text_free(&target);
    return rc ? fail(L, "render_query", &err) : 1;
}

static int module_render_body(lua_State *L) {
    json_error_t jerr;
    edgex_error err;
    json_t *body = json_loads(luaL_checkstring(L, 1), 0, &jerr);
    if (!body) {
        edgex_fail(&err, EDGEX_E_INPUT, "body is not JSON: %s", jerr.text);
        return fail(L, "render_body", &err);
    }
    edgex_text out;
    edgex_text_init(&out);
    int rc = edgex_render_json_body(&out, body, &err);
    if (!rc) lua_pushstring(L, edgex_text_str(&out));
    json_decref(body);
    edgex_text_free(&out);
    return rc ? fail(L, "render_body", &err) : 1;
}

static int module_domain_separator(lua_State *L) {
    uint8_t sep[32];
    edgex_error err;
    if (edgex_eip712_domain_separator(sep, NULL, "EdgeX", "1", luaL_checkstring(L, 1), luaL_checkstring(L, 2), &err))
        return fail(L, "domain_separator", &err);
    push_hex(L, sep, 32);
    return 1;
}

static int module_eip712_digest(lua_State *L) {
    json_error_t jerr;
    edgex_error err;
    json_t *td = json_loads(luaL_checkstring(L, 1), 0, &jerr);
    uint8_t digest[32], dsep[32], shash[32];
    int rc = td ? EDGEX_OK : edgex_fail(&err, EDGEX_E_INPUT, "typed data is not JSON: %s", jerr.text);
    const char *primary = td ? json_string_value(json_object_get(td, "primaryType")) : NULL;
    if (!rc && !primary) rc = edgex_fail(&err, EDGEX_E_INPUT, "typed data needs primaryType");
    if (!rc)
        rc = edgex_eip712_hash_typed_data(digest, dsep, shash, json_object_get(td, "types"), primary,
                                          json_object_get(td, "domain"), json_object_get(td, "message"), &err);
    json_decref(td);
    if (rc) return fail(L, "eip712_digest", &err);
    push_hex(L, digest, 32);
    push_hex(L, dsep, 32);
    push_hex(L, shash, 32);
    return 3;
}

static int module_eth_recover(lua_State *L) {
    uint8_t digest[32], address[20];
    edgex_eth_signature sig;
    edgex_error err;
    if (read_digest(L, 1, digest, &err) || edgex_eth_signature_from_hex(&sig, luaL_checkstring(L, 2), &err) ||
        edgex_eth_recover_address(address, digest, &sig, &err))
        return fail(L, "eth_recover", &err);
    char text[43];
    edgex_eth_address_checksum(address, text);
    lua_pushstring(L, text);
    return 1;
}

int luaopen_edgex_signer(lua_State *L) {
    static const luaL_Reg v1_methods[] = {
        {"public_key", v1_public_key}, {"check_l2key", v1_check_l2key}, {"sign_order", v1_sign_order},
        {"sign_request", v1_sign_request}, {"sign_hash", v1_sign_hash}, {"wipe", v1_wipe}, {NULL, NULL},
    };
    static const luaL_Reg v2_methods[] = {
        {"address", v2_address}, {"set_domain", v2_set_domain}, {"sign_order", v2_sign_order},
        {"sign_margin_mode", v2_sign_margin_mode}, {"sign_request", v2_sign_request}, {"ws_auth", v2_ws_auth},
        {"sign_digest", v2_sign_digest}, {"wipe", v2_wipe}, {NULL, NULL},
    };
    luaL_newmetatable(L, V1_TYPE);
    lua_newtable(L);
    luaL_register(L, NULL, v1_methods);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, v1_gc);
    lua_setfield(L, -2, "__gc");
    lua_pushcfunction(L, v1_tostring);
    lua_setfield(L, -2, "__tostring");
    lua_pop(L, 1);
    luaL_newmetatable(L, V2_TYPE);
    lua_newtable(L);
    luaL_register(L, NULL, v2_methods);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, v2_gc);
    lua_setfield(L, -2, "__gc");
    lua_pushcfunction(L, v2_tostring);
    lua_setfield(L, -2, "__tostring");
    lua_pop(L, 1);

    static const luaL_Reg functions[] = {
        {"v1_new", v1_new}, {"v1_from_env", v1_from_env}, {"v2_new", v2_new}, {"v2_from_env", v2_from_env},
        {"pedersen", module_pedersen}, {"stark_verify", module_stark_verify}, {"keccak256", module_keccak256},
        {"l2_nonce", module_l2_nonce}, {"render_query", module_render_query}, {"render_body", module_render_body},
        {"domain_separator", module_domain_separator}, {"eip712_digest", module_eip712_digest},
        {"eth_recover", module_eth_recover}, {NULL, NULL},
    };
    lua_newtable(L);
    luaL_register(L, NULL, functions);
    return 1;
}
