/* "lighter.signer": Lighter transaction signing and auth tokens for Lua (exchanges/lighter/sign.h).
 *
 *   local ls = require "lighter.signer"
 *   local s, err = ls.new{private_key = "<80 hex>", account_index = 281, api_key_index = 3, chain_id = 304}
 *                  -- or ls.from_env{chain_id = 304}: API_KEY_PRIVATE_KEY, ACCOUNT_INDEX, API_KEY_INDEX
 *   local tx, err = s:create_order{market_index = 0, client_order_index = 7, base_amount = 1000, price = 350000,
 *                                  side = "buy", type = "limit", time_in_force = "post_only", nonce = 12}
 *   tx.tx_type, tx.tx_info, tx.tx_hash, tx.signature          -- POST tx_type and tx_info to sendTx
 *   s:cancel_order{...}, s:cancel_all_orders{...}, s:modify_order{...}, s:update_leverage{...},
 *   s:change_pub_key{l1_signature = "0x...", nonce = 0}, s:auth_token(deadline_s), s:public_key(), s:wipe()
 *   ls.verify(public_key_hex, hash_hex, signature_hex [, {strict = true}]), ls.public_key(private_key_hex),
 *   ls.generate_key(), ls.l1_message{public_key = hex, nonce = n, account_index = n, api_key_index = n},
 *   ls.auth_hash(message)
 *
 * Integers are Lua numbers only when exactly representable (integral, |n| < 2^53), decimal
 * strings, or int64/uint64 cdata; anything else is refused with the field's name, so no
 * rounded double ever reaches a signed field. Every tx accepts nonce (required), expired_at
 * (default now + 599 s), now_ms (default: the runtime clock) and attributes ({[4] = 1} or
 * {skip_nonce = 1}). Data errors (bad values, bad keys) return nil, err with err.kind
 * "invalid_order" or "auth" and err.venue "lighter"; wrong argument types and unknown keys
 * raise. Key material never appears in an error and is wiped on s:wipe() or collection. */
#include <inttypes.h>
#include <lauxlib.h>
#include <math.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bindings/errors.h"
#include "bindings/lua_args.h"
#include "bindings/module.h"
#include "exchanges/lighter/sign.h"
#include "runtime/clock.h"

HEDGE_LUA_MODULE("lighter.signer", luaopen_lighter_signer)

#define SIGNER_TYPE "lighter.signer"
/* The auth-token deadline when none is given (lighter.md §5: the server allows 8 h). */
#define DEFAULT_AUTH_LIFETIME_S (6 * 3600)

typedef struct signer_box {
    lighter_key key;
    int64_t chain_id, account_index, api_key_index;
    int live;
} signer_box;

static int push_error(lua_State *L, const char *kind, const char *op, const char *message) {
    return lerr_return_venue(L, "lighter", kind, op, message);
}

/* ---- reading integers ------------------------------------------------------------------- */

/* The value at idx as an int64 for field `name` (lua_args.h), and booleans as 0/1 for the flag
 * fields (is_ask, reduce_only). */
static int read_int64_at(lua_State *L, int idx, const char *name, int64_t *out, char *err, size_t errcap) {
    if (lua_type(L, idx) == LUA_TBOOLEAN) {
        *out = lua_toboolean(L, idx);
        return LARGS_OK;
    }
    return largs_int64_at(L, idx, name, out, err, errcap);
}

struct reader {
    lua_State *L;
    int table;
    char *err;
    size_t errcap;
    int failed;
};

/* Reads field `key`; when absent, stores fallback (required: a data error instead). */
static void field_int(struct reader *r, const char *key, int64_t *out, int required, int64_t fallback) {
    if (r->failed) return;
    lua_getfield(r->L, r->table, key);
    int rc = read_int64_at(r->L, lua_gettop(r->L), key, out, r->err, r->errcap);
    lua_pop(r->L, 1);
    if (rc == LARGS_BAD) r->failed = 1;
    else if (rc == LARGS_ABSENT) {
        if (required) {
            snprintf(r->err, r->errcap, "%s is required", key);
            r->failed = 1;
        } else {
            *out = fallback;
        }
    }
}

struct name_value {
    const char *name;
    int64_t value;
};

/* A field given either as one of the names or as an integer. */
static void field_enum(struct reader *r, const char *key, const struct name_value *names, int64_t *out, int required,
                       int64_t fallback) {
    if (r->failed) return;
    lua_getfield(r->L, r->table, key);
    if (lua_type(r->L, -1) == LUA_TSTRING) {
        const char *text = lua_tostring(r->L, -1);
        int64_t parsed;
        int found = 0;
        for (const struct name_value *n = names; n->name; n++)
            if (strcmp(text, n->name) == 0) { *out = n->value; found = 1; }
        if (!found && largs_parse_int64(text, strlen(text), &parsed) != 0) {
            char allowed[200] = "";
            for (const struct name_value *n = names; n->name; n++) {
                strncat(allowed, n->name, sizeof allowed - strlen(allowed) - 1);
                if (n[1].name) strncat(allowed, ", ", sizeof allowed - strlen(allowed) - 1);
            }
            snprintf(r->err, r->errcap, "%s = \"%.40s\" is not one of %s", key, text, allowed);
            r->failed = 1;
        } else if (!found) {
            *out = parsed;
        }
        lua_pop(r->L, 1);
        return;
    }
    lua_pop(r->L, 1);
    field_int(r, key, out, required, fallback);
}

static const struct name_value attribute_names[] = {
    {"integrator_account_index", LIGHTER_ATTRIBUTE_INTEGRATOR_ACCOUNT},
    {"integrator_taker_fee", LIGHTER_ATTRIBUTE_INTEGRATOR_TAKER_FEE},
    {"integrator_maker_fee", LIGHTER_ATTRIBUTE_INTEGRATOR_MAKER_FEE},
    {"skip_nonce", LIGHTER_ATTRIBUTE_SKIP_NONCE},
    {"cancel_all_market_index", LIGHTER_ATTRIBUTE_CANCEL_ALL_MARKET},
    {"self_trade_behaviour", LIGHTER_ATTRIBUTE_SELF_TRADE_BEHAVIOUR},
    {"self_trade_equality", LIGHTER_ATTRIBUTE_SELF_TRADE_EQUALITY},
    {NULL, 0},
};

static void field_attributes(struct reader *r, lighter_tx_attributes *out) {
    lua_State *L = r->L;
    memset(out, 0, sizeof *out);
    if (r->failed) return;
    lua_getfield(L, r->table, "attributes");
    int idx = lua_gettop(L);
    if (lua_isnil(L, idx)) { lua_pop(L, 1); return; }
    if (!lua_istable(L, idx)) luaL_error(L, "attributes must be a table, not a %s", luaL_typename(L, idx));
    lua_pushnil(L);
    while (!r->failed && lua_next(L, idx)) {
        int64_t type = -1, value;
        if (lua_type(L, -2) == LUA_TNUMBER) {
            double n = lua_tonumber(L, -2);
            type = floor(n) == n && n >= 0 && n < 256 ? (int64_t)n : 99;
        } else if (lua_type(L, -2) == LUA_TSTRING) {
            const char *name = lua_tostring(L, -2);
            for (const struct name_value *a = attribute_names; a->name; a++)
                if (strcmp(name, a->name) == 0) type = a->value;
            if (type < 0) luaL_error(L, "attributes: unknown attribute %s", name);
        } else {
            luaL_error(L, "attributes: keys must be attribute numbers or names");
        }
        if (out->count == LIGHTER_TX_MAX_ATTRIBUTES) {
            snprintf(r->err, r->errcap, "attributes: at most %d entries", LIGHTER_TX_MAX_ATTRIBUTES);
            r->failed = 1;
        } else if (read_int64_at(L, lua_gettop(L), "attribute value", &value, r->err, r->errcap) != LARGS_OK) {
            r->failed = 1;
        } else {
            out->entries[out->count++] = (lighter_tx_attribute){type, value};
        }
        lua_pop(L, 1);
    }
    if (r->failed && lua_gettop(L) > idx) lua_pop(L, lua_gettop(L) - idx);   /* abandoned lua_next */
    lua_pop(L, 1);
}

/* ---- signer ----------------------------------------------------------------------------- */

static signer_box *check_signer(lua_State *L, int idx) {
    signer_box *box = luaL_checkudata(L, idx, SIGNER_TYPE);
    if (!box->live) luaL_error(L, "lighter signer was wiped");
    return box;
}

static signer_box *new_signer_box(lua_State *L) {
    signer_box *box = lua_newuserdata(L, sizeof *box);
    memset(box, 0, sizeof *box);
    luaL_getmetatable(L, SIGNER_TYPE);
    lua_setmetatable(L, -2);
    return box;
}

/* Fills the account fields of box from the table at idx; returns 0 or -1 with err. */
static int read_account_fields(lua_State *L, int idx, signer_box *box, char *err, size_t errcap) {
    struct reader r = {L, idx, err, errcap, 0};
    field_int(&r, "account_index", &box->account_index, 1, 0);
    field_int(&r, "api_key_index", &box->api_key_index, 1, 0);
    field_int(&r, "chain_id", &box->chain_id, 0, LIGHTER_CHAIN_ID_MAINNET);
    return r.failed ? -1 : 0;
}

static int signer_new(lua_State *L) {
    static const char *const allowed[] = {"private_key", "account_index", "api_key_index", "chain_id", NULL};
    luaL_checktype(L, 1, LUA_TTABLE);
    largs_only_known(L, 1, "lighter.signer.new", "field", allowed);
    size_t len;
    const char *hex = largs_lstring(L, 1, "private_key", &len);
    if (!hex) luaL_error(L, "lighter.signer.new: private_key must be a string");
    signer_box *box = new_signer_box(L);
    char err[256];
    if (read_account_fields(L, 1, box, err, sizeof err) != 0) return push_error(L, "invalid_order", "signer", err);
    if (lighter_key_from_hex(&box->key, hex, len, err, sizeof err) != 0) return push_error(L, "auth", "signer", err);
    box->live = 1;
    return 1;
}

/* ls.from_env{chain_id = 304}: the seed bot's variables API_KEY_PRIVATE_KEY, ACCOUNT_INDEX,
 * API_KEY_INDEX; errors name the variable, never its value. */
static int signer_from_env(lua_State *L) {
    static const char *const allowed[] = {"chain_id", NULL};
    int64_t chain_id = LIGHTER_CHAIN_ID_MAINNET;
    char err[256];
    if (!lua_isnoneornil(L, 1)) {
        luaL_checktype(L, 1, LUA_TTABLE);
        largs_only_known(L, 1, "lighter.signer.from_env", "field", allowed);
        struct reader r = {L, 1, err, sizeof err, 0};
        field_int(&r, "chain_id", &chain_id, 0, LIGHTER_CHAIN_ID_MAINNET);
        if (r.failed) return push_error(L, "invalid_order", "signer", err);
    }
    static const char *const names[] = {"API_KEY_PRIVATE_KEY", "ACCOUNT_INDEX", "API_KEY_INDEX"};
    const char *values[3];
    for (int i = 0; i < 3; i++) {
        values[i] = getenv(names[i]);
        if (!values[i] || !*values[i]) {
            snprintf(err, sizeof err, "%s is not set", names[i]);
            return push_error(L, "auth", "signer", err);
        }
    }
    signer_box *box = new_signer_box(L);
    box->chain_id = chain_id;
    if (largs_parse_int64(values[1], strlen(values[1]), &box->account_index) != 0) {
        snprintf(err, sizeof err, "ACCOUNT_INDEX is not a decimal integer");
        return push_error(L, "auth", "signer", err);
    }
    if (largs_parse_int64(values[2], strlen(values[2]), &box->api_key_index) != 0) {
        snprintf(err, sizeof err, "API_KEY_INDEX is not a decimal integer");
        return push_error(L, "auth", "signer", err);
    }
    char key_err[200];
    if (lighter_key_from_hex(&box->key, values[0], strlen(values[0]), key_err, sizeof key_err) != 0) {
        snprintf(err, sizeof err, "API_KEY_PRIVATE_KEY: %s", key_err);
        return push_error(L, "auth", "signer", err);
    }
    box->live = 1;
    return 1;
}

static int signer_gc(lua_State *L) {
    signer_box *box = luaL_checkudata(L, 1, SIGNER_TYPE);
    lighter_key_wipe(&box->key);
    box->live = 0;
    return 0;
}

static int signer_tostring(lua_State *L) {
    signer_box *box = luaL_checkudata(L, 1, SIGNER_TYPE);
    if (!box->live) {
        lua_pushstring(L, "lighter.signer (wiped)");
        return 1;
    }
    char pub[81], text[200];
    lighter_key_public_hex(pub, &box->key);
    snprintf(text, sizeof text, "lighter.signer (account %" PRId64 ", API key %" PRId64 ", chain %" PRId64 ", public key %s)",
             box->account_index, box->api_key_index, box->chain_id, pub);
    lua_pushstring(L, text);
    return 1;
}

static int signer_public_key(lua_State *L) {
    char pub[81];
    lighter_key_public_hex(pub, &check_signer(L, 1)->key);
    lua_pushstring(L, pub);
    return 1;
}

static int signer_account_index(lua_State *L) {
    lua_pushnumber(L, (lua_Number)check_signer(L, 1)->account_index);
    return 1;
}

static int signer_api_key_index(lua_State *L) {
    lua_pushnumber(L, (lua_Number)check_signer(L, 1)->api_key_index);
    return 1;
}

static int signer_chain_id(lua_State *L) {
    lua_pushnumber(L, (lua_Number)check_signer(L, 1)->chain_id);
    return 1;
}

/* ---- transactions ----------------------------------------------------------------------- */

#define COMMON_FIELDS "nonce", "expired_at", "now_ms", "attributes"

static void read_common(struct reader *r, lighter_tx *tx, const signer_box *box) {
    tx->chain_id = box->chain_id;
    tx->account_index = box->account_index;
    tx->api_key_index = box->api_key_index;
    field_int(r, "nonce", &tx->nonce, 1, 0);
    field_int(r, "now_ms", &tx->now_ms, 0, rt_clock_now_ms());
    field_int(r, "expired_at", &tx->expired_at, 0, LIGHTER_DEFAULT);
    field_attributes(r, &tx->attributes);
}

static int push_signed(lua_State *L, const lighter_signed_tx *out) {
    char signature_hex[161];
    for (int i = 0; i < 80; i++) snprintf(signature_hex + 2 * i, 3, "%02x", out->signature[i]);
    lua_createtable(L, 0, 4);
    lua_pushinteger(L, out->type);
    lua_setfield(L, -2, "tx_type");
    lua_pushlstring(L, out->tx_info, out->tx_info_len);
    lua_setfield(L, -2, "tx_info");
    lua_pushstring(L, out->hash_hex);
    lua_setfield(L, -2, "tx_hash");
    lua_pushstring(L, signature_hex);
    lua_setfield(L, -2, "signature");
    return 1;
}

static int sign_and_push(lua_State *L, const char *op, const lighter_tx *tx, const signer_box *box, struct reader *r) {
    if (r->failed) {
        char message[400];
        snprintf(message, sizeof message, "%s: %s", op, r->err);
        return push_error(L, "invalid_order", op, message);
    }
    lighter_signed_tx out;
    char err[256];
    int rc = lighter_tx_sign(tx, &box->key, &out, err, sizeof err);
    if (rc == LIGHTER_SIGN_RANDOM_FAILED) return push_error(L, "unavailable", op, err);
    if (rc != LIGHTER_SIGN_OK) return push_error(L, "invalid_order", op, err);
    return push_signed(L, &out);
}

static const struct name_value order_types[] = {
    {"limit", LIGHTER_ORDER_LIMIT}, {"market", LIGHTER_ORDER_MARKET}, {"stop_loss", LIGHTER_ORDER_STOP_LOSS},
    {"stop_loss_limit", LIGHTER_ORDER_STOP_LOSS_LIMIT}, {"take_profit", LIGHTER_ORDER_TAKE_PROFIT},
    {"take_profit_limit", LIGHTER_ORDER_TAKE_PROFIT_LIMIT}, {"twap", LIGHTER_ORDER_TWAP}, {NULL, 0}};
static const struct name_value times_in_force[] = {
    {"ioc", LIGHTER_TIF_IMMEDIATE_OR_CANCEL}, {"immediate_or_cancel", LIGHTER_TIF_IMMEDIATE_OR_CANCEL},
    {"gtt", LIGHTER_TIF_GOOD_TILL_TIME}, {"good_till_time", LIGHTER_TIF_GOOD_TILL_TIME},
    {"post_only", LIGHTER_TIF_POST_ONLY}, {NULL, 0}};
static const struct name_value sides[] = {{"buy", 0}, {"sell", 1}, {NULL, 0}};
static const struct name_value cancel_all_modes[] = {
    {"now", LIGHTER_CANCEL_ALL_NOW}, {"scheduled", LIGHTER_CANCEL_ALL_SCHEDULED}, {"abort", LIGHTER_CANCEL_ALL_ABORT}, {NULL, 0}};
static const struct name_value margin_modes[] = {{"cross", LIGHTER_MARGIN_CROSS}, {"isolated", LIGHTER_MARGIN_ISOLATED}, {NULL, 0}};

static lighter_tx begin_tx(lua_State *L, lighter_tx_type type, const char *const *allowed, const char *op) {
    luaL_checktype(L, 2, LUA_TTABLE);
    largs_only_known(L, 2, op, "field", allowed);
    lighter_tx tx;
    memset(&tx, 0, sizeof tx);
    tx.type = type;
    return tx;
}

static int signer_create_order(lua_State *L) {
    static const char *const allowed[] = {"market_index", "client_order_index", "base_amount", "price", "side", "is_ask",
                                          "type", "time_in_force", "reduce_only", "trigger_price", "order_expiry",
                                          COMMON_FIELDS, NULL};
    signer_box *box = check_signer(L, 1);
    lighter_tx tx = begin_tx(L, LIGHTER_TX_CREATE_ORDER, allowed, "create_order");
    lighter_create_order *o = &tx.body.create_order;
    char err[300] = "";
    struct reader r = {L, 2, err, sizeof err, 0};
    lua_getfield(L, 2, "side");
    int has_side = !lua_isnil(L, -1);
    lua_getfield(L, 2, "is_ask");
    int has_is_ask = !lua_isnil(L, -1);
    lua_pop(L, 2);
    if (has_side == has_is_ask) luaL_error(L, "create_order: give exactly one of side (\"buy\"/\"sell\") and is_ask");
    if (has_side) field_enum(&r, "side", sides, &o->is_ask, 1, 0);
    else field_int(&r, "is_ask", &o->is_ask, 1, 0);
    field_int(&r, "market_index", &o->market_index, 1, 0);
    field_int(&r, "client_order_index", &o->client_order_index, 0, 0);
    field_int(&r, "base_amount", &o->base_amount, 1, 0);
    field_int(&r, "price", &o->price, 1, 0);
    field_enum(&r, "type", order_types, &o->type, 0, LIGHTER_ORDER_LIMIT);
    field_enum(&r, "time_in_force", times_in_force, &o->time_in_force, 0,
               o->type == LIGHTER_ORDER_LIMIT || o->type == LIGHTER_ORDER_TWAP ? LIGHTER_TIF_GOOD_TILL_TIME
                                                                               : LIGHTER_TIF_IMMEDIATE_OR_CANCEL);
    field_int(&r, "reduce_only", &o->reduce_only, 0, 0);
    field_int(&r, "trigger_price", &o->trigger_price, 0, 0);
    /* Without an expiry: none for immediate-or-cancel orders, the official 28 days otherwise. */
    field_int(&r, "order_expiry", &o->order_expiry, 0,
              o->time_in_force == LIGHTER_TIF_IMMEDIATE_OR_CANCEL && o->type != LIGHTER_ORDER_STOP_LOSS &&
                      o->type != LIGHTER_ORDER_TAKE_PROFIT ? 0 : LIGHTER_DEFAULT);
    read_common(&r, &tx, box);
    return sign_and_push(L, "create_order", &tx, box, &r);
}

static int signer_cancel_order(lua_State *L) {
    static const char *const allowed[] = {"market_index", "index", COMMON_FIELDS, NULL};
    signer_box *box = check_signer(L, 1);
    lighter_tx tx = begin_tx(L, LIGHTER_TX_CANCEL_ORDER, allowed, "cancel_order");
    char err[300] = "";
    struct reader r = {L, 2, err, sizeof err, 0};
    field_int(&r, "market_index", &tx.body.cancel_order.market_index, 1, 0);
    field_int(&r, "index", &tx.body.cancel_order.index, 1, 0);
    read_common(&r, &tx, box);
    return sign_and_push(L, "cancel_order", &tx, box, &r);
}

static int signer_cancel_all_orders(lua_State *L) {
    static const char *const allowed[] = {"time_in_force", "time", COMMON_FIELDS, NULL};
    signer_box *box = check_signer(L, 1);
    lighter_tx tx = begin_tx(L, LIGHTER_TX_CANCEL_ALL_ORDERS, allowed, "cancel_all_orders");
    char err[300] = "";
    struct reader r = {L, 2, err, sizeof err, 0};
    field_enum(&r, "time_in_force", cancel_all_modes, &tx.body.cancel_all_orders.time_in_force, 0, LIGHTER_CANCEL_ALL_NOW);
    field_int(&r, "time", &tx.body.cancel_all_orders.time, 0, 0);
    read_common(&r, &tx, box);
    return sign_and_push(L, "cancel_all_orders", &tx, box, &r);
}

static int signer_modify_order(lua_State *L) {
    static const char *const allowed[] = {"market_index", "index", "base_amount", "price", "trigger_price", COMMON_FIELDS, NULL};
    signer_box *box = check_signer(L, 1);
    lighter_tx tx = begin_tx(L, LIGHTER_TX_MODIFY_ORDER, allowed, "modify_order");
    lighter_modify_order *m = &tx.body.modify_order;
    char err[300] = "";
    struct reader r = {L, 2, err, sizeof err, 0};
    field_int(&r, "market_index", &m->market_index, 1, 0);
    field_int(&r, "index", &m->index, 1, 0);
    field_int(&r, "base_amount", &m->base_amount, 1, 0);
    field_int(&r, "price", &m->price, 1, 0);
    field_int(&r, "trigger_price", &m->trigger_price, 0, 0);
    read_common(&r, &tx, box);
    return sign_and_push(L, "modify_order", &tx, box, &r);
}

static int signer_update_leverage(lua_State *L) {
    static const char *const allowed[] = {"market_index", "initial_margin_fraction", "margin_mode", COMMON_FIELDS, NULL};
    signer_box *box = check_signer(L, 1);
    lighter_tx tx = begin_tx(L, LIGHTER_TX_UPDATE_LEVERAGE, allowed, "update_leverage");
    lighter_update_leverage *u = &tx.body.update_leverage;
    char err[300] = "";
    struct reader r = {L, 2, err, sizeof err, 0};
    field_int(&r, "market_index", &u->market_index, 1, 0);
    field_int(&r, "initial_margin_fraction", &u->initial_margin_fraction, 1, 0);
    field_enum(&r, "margin_mode", margin_modes, &u->margin_mode, 0, LIGHTER_MARGIN_CROSS);
    read_common(&r, &tx, box);
    return sign_and_push(L, "update_leverage", &tx, box, &r);
}

static int signer_change_pub_key(lua_State *L) {
    static const char *const allowed[] = {"l1_signature", COMMON_FIELDS, NULL};
    signer_box *box = check_signer(L, 1);
    lighter_tx tx = begin_tx(L, LIGHTER_TX_CHANGE_PUB_KEY, allowed, "change_pub_key");
    lua_getfield(L, 2, "l1_signature");
    if (lua_type(L, -1) != LUA_TSTRING) luaL_error(L, "change_pub_key: l1_signature must be a string");
    snprintf(tx.body.change_pub_key.l1_signature, sizeof tx.body.change_pub_key.l1_signature, "%s", lua_tostring(L, -1));
    int too_long = lua_objlen(L, -1) >= sizeof tx.body.change_pub_key.l1_signature;
    lua_pop(L, 1);
    char err[300] = "";
    struct reader r = {L, 2, err, sizeof err, 0};
    if (too_long) {
        snprintf(err, sizeof err, "l1_signature must be 0x followed by %d hex characters", LIGHTER_L1_SIGNATURE_HEX_CHARS);
        r.failed = 1;
    }
    read_common(&r, &tx, box);
    return sign_and_push(L, "change_pub_key", &tx, box, &r);
}

/* s:auth_token([deadline_s]) -> token | nil, err (default deadline: now + 6 h) */
static int signer_auth_token(lua_State *L) {
    signer_box *box = check_signer(L, 1);
    int64_t deadline = rt_clock_now_ms() / 1000 + DEFAULT_AUTH_LIFETIME_S;
    char err[256];
    if (read_int64_at(L, 2, "deadline", &deadline, err, sizeof err) == LARGS_BAD)
        return push_error(L, "invalid_order", "auth_token", err);
    char token[LIGHTER_AUTH_TOKEN_MAX];
    if (lighter_auth_token(token, deadline, box->account_index, box->api_key_index, &box->key, err, sizeof err) != 0)
        return push_error(L, "invalid_order", "auth_token", err);
    lua_pushstring(L, token);
    return 1;
}

/* ---- module functions ------------------------------------------------------------------- */

static int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Public data only (keys to verify with, hashes, signatures): a plain decoder is fine. */
static int read_hex_arg(lua_State *L, int idx, uint8_t *out, size_t len, const char *name, char *err, size_t errcap) {
    size_t text_len;
    const char *text = luaL_checklstring(L, idx, &text_len);
    if (text_len >= 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) { text += 2; text_len -= 2; }
    if (text_len != 2 * len) {
        snprintf(err, errcap, "%s must be %zu hex characters, got %zu", name, 2 * len, text_len);
        return -1;
    }
    for (size_t i = 0; i < 2 * len; i++) {
        if (hex_value(text[i]) < 0) {
            snprintf(err, errcap, "%s has a non-hex character at position %zu", name, i + 1);
            return -1;
        }
    }
    for (size_t i = 0; i < len; i++) out[i] = (uint8_t)(hex_value(text[2 * i]) << 4 | hex_value(text[2 * i + 1]));
    return 0;
}

/* ls.verify(public_key_hex, hash_hex, signature_hex [, {strict = bool}]) -> boolean | nil, err */
static int module_verify(lua_State *L) {
    static const char *const allowed[] = {"strict", NULL};
    uint8_t pk[40], hash[40], sig[80];
    char err[200];
    lighter_verify_mode mode = LIGHTER_VERIFY_OFFICIAL;
    if (!lua_isnoneornil(L, 4)) {
        luaL_checktype(L, 4, LUA_TTABLE);
        largs_only_known(L, 4, "verify", "field", allowed);
        lua_getfield(L, 4, "strict");
        if (lua_toboolean(L, -1)) mode = LIGHTER_VERIFY_STRICT;
        lua_pop(L, 1);
    }
    if (read_hex_arg(L, 1, pk, 40, "public key", err, sizeof err) != 0 ||
        read_hex_arg(L, 2, hash, 40, "hash", err, sizeof err) != 0 ||
        read_hex_arg(L, 3, sig, 80, "signature", err, sizeof err) != 0)
        return push_error(L, "invalid_order", "verify", err);
    lua_pushboolean(L, lighter_schnorr_verify(pk, hash, sig, mode));
    return 1;
}

/* ls.public_key(private_key_hex) -> public_key_hex | nil, err */
static int module_public_key(lua_State *L) {
    size_t len;
    const char *hex = luaL_checklstring(L, 1, &len);
    lighter_key key;
    char err[200], pub[81];
    if (lighter_key_from_hex(&key, hex, len, err, sizeof err) != 0) return push_error(L, "auth", "public_key", err);
    lighter_key_public_hex(pub, &key);
    lighter_key_wipe(&key);
    lua_pushstring(L, pub);
    return 1;
}

/* ls.generate_key() -> {private_key = hex, public_key = hex} (for registering a new API key) */
static int module_generate_key(lua_State *L) {
    lighter_key key;
    char priv[81], pub[81];
    if (lighter_key_generate(&key) != 0) return push_error(L, "unavailable", "generate_key", "libsodium could not be initialised");
    lighter_key_private_hex(priv, &key);
    lighter_key_public_hex(pub, &key);
    lighter_key_wipe(&key);
    lua_createtable(L, 0, 2);
    lua_pushstring(L, priv);
    lua_setfield(L, -2, "private_key");
    lua_pushstring(L, pub);
    lua_setfield(L, -2, "public_key");
    sodium_memzero(priv, sizeof priv);   /* the Lua string copy cannot be wiped; this one can */
    return 1;
}

/* ls.auth_hash(message) -> hex of the 40-byte message hash an auth token signs (for checks) */
static int module_auth_hash(lua_State *L) {
    size_t len;
    const char *message = luaL_checklstring(L, 1, &len);
    if (len >= LIGHTER_AUTH_MESSAGE_MAX) return push_error(L, "invalid_order", "auth_hash", "auth message is too long");
    lighter_fp5 hash;
    uint64_t elements[LIGHTER_AUTH_MAX_ELEMENTS];
    uint8_t bytes[40];
    char hex[81];
    lighter_auth_message_hash(&hash, elements, message, len);
    lighter_fp5_to_bytes(bytes, &hash);
    for (int i = 0; i < 40; i++) snprintf(hex + 2 * i, 3, "%02x", bytes[i]);
    lua_pushstring(L, hex);
    return 1;
}

/* ls.l1_message{public_key = hex, nonce = n, account_index = n, api_key_index = n} -> text */
static int module_l1_message(lua_State *L) {
    static const char *const allowed[] = {"public_key", "nonce", "account_index", "api_key_index", NULL};
    luaL_checktype(L, 1, LUA_TTABLE);
    largs_only_known(L, 1, "l1_message", "field", allowed);
    char err[200] = "";
    uint8_t pk[40];
    lua_getfield(L, 1, "public_key");
    if (lua_type(L, -1) != LUA_TSTRING) luaL_error(L, "l1_message: public_key must be a hex string");
    if (read_hex_arg(L, lua_gettop(L), pk, 40, "public_key", err, sizeof err) != 0)
        return push_error(L, "invalid_order", "l1_message", err);
    lua_pop(L, 1);
    int64_t nonce = 0, account = 0, api_key = 0;
    struct reader r = {L, 1, err, sizeof err, 0};
    field_int(&r, "nonce", &nonce, 1, 0);
    field_int(&r, "account_index", &account, 1, 0);
    field_int(&r, "api_key_index", &api_key, 1, 0);
    if (r.failed) return push_error(L, "invalid_order", "l1_message", err);
    char text[LIGHTER_L1_MESSAGE_MAX];
    lighter_change_pub_key_l1_message(text, sizeof text, pk, nonce, account, api_key);
    lua_pushstring(L, text);
    return 1;
}

int luaopen_lighter_signer(lua_State *L) {
    static const luaL_Reg signer_methods[] = {
        {"create_order", signer_create_order},
        {"cancel_order", signer_cancel_order},
        {"cancel_all_orders", signer_cancel_all_orders},
        {"modify_order", signer_modify_order},
        {"update_leverage", signer_update_leverage},
        {"change_pub_key", signer_change_pub_key},
        {"auth_token", signer_auth_token},
        {"public_key", signer_public_key},
        {"account_index", signer_account_index},
        {"api_key_index", signer_api_key_index},
        {"chain_id", signer_chain_id},
        {"wipe", signer_gc},
        {NULL, NULL}};
    luaL_newmetatable(L, SIGNER_TYPE);
    lua_newtable(L);
    luaL_register(L, NULL, signer_methods);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, signer_gc);
    lua_setfield(L, -2, "__gc");
    lua_pushcfunction(L, signer_tostring);
    lua_setfield(L, -2, "__tostring");
    lua_pop(L, 1);

    static const luaL_Reg functions[] = {
        {"new", signer_new},
        {"from_env", signer_from_env},
        {"verify", module_verify},
        {"public_key", module_public_key},
        {"generate_key", module_generate_key},
        {"l1_message", module_l1_message},
        {"auth_hash", module_auth_hash},
        {NULL, NULL}};
    lua_newtable(L);
    luaL_register(L, NULL, functions);
    lua_pushinteger(L, LIGHTER_CHAIN_ID_MAINNET);
    lua_setfield(L, -2, "MAINNET");
    lua_pushinteger(L, LIGHTER_CHAIN_ID_TESTNET);
    lua_setfield(L, -2, "TESTNET");
    return 1;
}
