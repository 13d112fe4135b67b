/* "pacifica.signer": Pacifica request signing for Lua (exchanges/pacifica/sign.h).
 *
 *   local ps = require "pacifica.signer"
 *   local s, err = ps.new{secret_key = "...", account = "...", agent_wallet = "..."}  -- or ps.from_env()
 *   local req, err = s:sign("create_market_order", {symbol = "ETH", amount = "0.0125", side = "ask",
 *                            slippage_percent = "1", reduce_only = true}, {timestamp = ms, expiry_window = 5000})
 *   req.body, req.path, req.message, req.signature, req:ws_frame(uuid)
 *   ps.batch_body{req1, req2}, ps.ws_batch_frame(uuid, {req1, req2})
 *   ps.public_key(secret_text), ps.verify(address, message, signature_base58), ps.operation(type)
 *
 * Prices and sizes are decimal strings or rt_decimal cdata (formatted exactly); a Lua number
 * is accepted only where the venue wants a JSON integer (ids, leverage) and must be integral,
 * so a float never reaches the wire. Bad keys and bad payloads return nil, err (err.kind
 * "auth" / "invalid_order" / "not_supported", err.venue "pacifica"); wrong argument types and
 * unknown option keys raise. Secret text is never put in an error, and key bytes are wiped
 * when the signer is collected or s:wipe() is called. */
#include <jansson.h>
#include <lauxlib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bindings/errors.h"
#include "bindings/lua_args.h"
#include "bindings/module.h"
#include "exchanges/pacifica/base58.h"
#include "exchanges/pacifica/keys.h"
#include "exchanges/pacifica/sign.h"
#include "runtime/clock.h"
#include "runtime/decimal.h"

HEDGE_LUA_MODULE("pacifica.signer", luaopen_pacifica_signer)

/* Resolved at run time so the binding links even in a tree without runtime/decimal.c; a
 * decimal cdata can only exist when the decimal module is present anyway. */
#pragma weak rt_decimal_format

#define SIGNER_TYPE "pacifica.signer"
#define REQUEST_TYPE "pacifica.signed_request"
#define DEFAULT_EXPIRY_WINDOW_MS 5000
#define MAX_PAYLOAD_DEPTH 8
/* Lua numbers are doubles: integers above 2^53 are not exact. */
#define LARGEST_EXACT_INTEGER 9007199254740992.0

typedef struct signer_box {
    pacifica_signer signer;
    int live;
} signer_box;

typedef struct request_box {
    pacifica_signed_request request;
} request_box;

static int push_error(lua_State *L, const char *kind, const char *op, const char *message) {
    return lerr_return_venue(L, "pacifica", kind, op, message);
}

/* ---- Lua value -> JSON ------------------------------------------------------------------ */

/* Paths name the payload member an error is about: "take_profit.stop_price"; "" is the
 * payload itself. */
static const char *path_name(const char *path) {
    return *path ? path : "payload";
}

static json_t *lua_to_json(lua_State *L, int idx, int depth, const char *path, char *err, size_t errcap);

static json_t *cdata_to_json(lua_State *L, int idx, const char *path, char *err, size_t errcap) {
    const char *type_name = NULL;
    const char *kind = largs_cdata_kind(L, idx, &type_name);
    const void *data = lua_topointer(L, idx);
    if (kind && strcmp(kind, "decimal") == 0) {
        char text[RT_DECIMAL_TEXT_MAX];
        if (!rt_decimal_format || rt_decimal_format((const rt_decimal *)data, text, sizeof text, -1) == 0) {
            snprintf(err, errcap, "%s: the decimal cannot be formatted", path_name(path));
            return NULL;
        }
        return json_string(text);
    }
    if (kind && strcmp(kind, "int64") == 0) return json_integer((json_int_t)(*(const int64_t *)data));
    if (kind && strcmp(kind, "uint64") == 0) {
        uint64_t value = *(const uint64_t *)data;
        if (value > (uint64_t)INT64_MAX) {
            snprintf(err, errcap, "%s: integer too large", path_name(path));
            return NULL;
        }
        return json_integer((json_int_t)value);
    }
    snprintf(err, errcap, "%s: cannot send %s (use a decimal string, a decimal, an integer or a boolean)", path_name(path),
             type_name ? type_name : "this cdata");
    return NULL;
}

static int compare_cstrings(const void *a, const void *b) {
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static json_t *table_to_json(lua_State *L, int idx, int depth, const char *path, char *err, size_t errcap) {
    size_t string_keys = 0, integer_keys = 0;
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        lua_pop(L, 1);
        if (lua_type(L, -1) == LUA_TSTRING) string_keys++;
        else if (lua_type(L, -1) == LUA_TNUMBER) integer_keys++;
        else {
            snprintf(err, errcap, "%s: table keys must be strings", path_name(path));
            lua_pop(L, 1);
            return NULL;
        }
    }
    if (string_keys && integer_keys) {
        snprintf(err, errcap, "%s: a table is either an object (string keys) or a list, not both", path_name(path));
        return NULL;
    }
    char child_path[192];
    if (integer_keys) {
        json_t *array = json_array();
        for (size_t i = 1; array && i <= integer_keys; i++) {
            lua_rawgeti(L, idx, (int)i);
            snprintf(child_path, sizeof child_path, "%s[%zu]", path_name(path), i);
            json_t *item = lua_isnil(L, -1) ? NULL : lua_to_json(L, lua_gettop(L), depth + 1, child_path, err, errcap);
            if (lua_isnil(L, -1)) snprintf(err, errcap, "%s: a list must have no holes", path_name(path));
            lua_pop(L, 1);
            if (!item || json_array_append_new(array, item) != 0) { json_decref(array); return NULL; }
        }
        return array;
    }
    /* Members go in sorted order so the same table always gives the same body. */
    const char **keys = string_keys ? malloc(string_keys * sizeof *keys) : NULL;
    if (string_keys && !keys) { snprintf(err, errcap, "%s: out of memory", path_name(path)); return NULL; }
    size_t n = 0;
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        lua_pop(L, 1);
        keys[n++] = lua_tostring(L, -1); /* strings stay alive: they are keys of the table */
    }
    if (n > 1) qsort(keys, n, sizeof *keys, compare_cstrings);
    json_t *object = json_object();
    for (size_t i = 0; object && i < n; i++) {
        lua_getfield(L, idx, keys[i]);
        snprintf(child_path, sizeof child_path, "%s%s%s", path, *path ? "." : "", keys[i]);
        json_t *member = lua_to_json(L, lua_gettop(L), depth + 1, child_path, err, errcap);
        lua_pop(L, 1);
        if (!member || json_object_set_new(object, keys[i], member) != 0) {
            if (member == NULL && !*err) snprintf(err, errcap, "%s: bad key", path_name(child_path));
            json_decref(object);
            object = NULL;
        }
    }
    free(keys);
    return object;
}

static json_t *lua_to_json(lua_State *L, int idx, int depth, const char *path, char *err, size_t errcap) {
    if (depth > MAX_PAYLOAD_DEPTH) {
        snprintf(err, errcap, "%s: nested too deeply", path_name(path));
        return NULL;
    }
    switch (lua_type(L, idx)) {
    case LUA_TSTRING: {
        size_t length;
        const char *text = lua_tolstring(L, idx, &length);
        json_t *value = json_stringn(text, length);
        if (!value) snprintf(err, errcap, "%s: text is not valid UTF-8", path_name(path));
        return value;
    }
    case LUA_TBOOLEAN:
        return json_boolean(lua_toboolean(L, idx));
    case LUA_TNUMBER: {
        double number = lua_tonumber(L, idx);
        /* Integral numbers become JSON integers (ids, leverage); anything else stays a real,
         * which the operation check then refuses with the field's name. */
        if (isfinite(number) && floor(number) == number && fabs(number) <= LARGEST_EXACT_INTEGER)
            return json_integer((json_int_t)number);
        return json_real(number);
    }
    case LUA_TTABLE:
        return table_to_json(L, idx, depth, path, err, errcap);
    case LUA_TLIGHTUSERDATA:
        if (lua_touserdata(L, idx) == NULL) return json_null(); /* cjson.null */
        break;
    case LARGS_TYPE_CDATA:
        return cdata_to_json(L, idx, path, err, errcap);
    default:
        break;
    }
    snprintf(err, errcap, "%s: cannot send a %s", path_name(path), luaL_typename(L, idx));
    return NULL;
}

/* ---- options ---------------------------------------------------------------------------- */

/* An integer option (lua_args.h); a value that is not one is a programmer error here: raises. */
static int64_t integer_option(lua_State *L, int idx, const char *name) {
    int64_t value = 0;
    char err[200];
    if (largs_int64_at(L, idx, name, &value, err, sizeof err) != LARGS_OK) luaL_error(L, "%s", err);
    return value;
}

/* ---- signer ----------------------------------------------------------------------------- */

static signer_box *check_signer(lua_State *L, int idx) {
    signer_box *box = luaL_checkudata(L, idx, SIGNER_TYPE);
    if (!box->live) luaL_error(L, "pacifica signer was wiped");
    return box;
}

static signer_box *new_signer_box(lua_State *L) {
    signer_box *box = lua_newuserdata(L, sizeof *box);
    memset(box, 0, sizeof *box);
    luaL_getmetatable(L, SIGNER_TYPE);
    lua_setmetatable(L, -2);
    return box;
}

static int signer_new(lua_State *L) {
    static const char *const allowed[] = {"secret_key", "account", "agent_wallet", NULL};
    static const pacifica_key_names names = {"secret_key", "account", "agent_wallet"};
    luaL_checktype(L, 1, LUA_TTABLE);
    largs_only_known(L, 1, "pacifica.signer.new", "option", allowed);
    const char *secret = largs_string(L, 1, "secret_key");
    const char *account = largs_string(L, 1, "account");
    const char *agent = largs_string(L, 1, "agent_wallet");
    signer_box *box = new_signer_box(L);
    char err[256];
    if (pacifica_signer_load(&box->signer, secret, account, agent, &names, err, sizeof err) != 0)
        return push_error(L, "auth", "signer", err);
    box->live = 1;
    return 1;
}

static int signer_from_env(lua_State *L) {
    signer_box *box = new_signer_box(L);
    char err[256];
    if (pacifica_signer_from_env(&box->signer, err, sizeof err) != 0) return push_error(L, "auth", "signer", err);
    box->live = 1;
    return 1;
}

static int signer_gc(lua_State *L) {
    signer_box *box = luaL_checkudata(L, 1, SIGNER_TYPE);
    pacifica_signer_wipe(&box->signer);
    box->live = 0;
    return 0;
}

static int signer_tostring(lua_State *L) {
    signer_box *box = luaL_checkudata(L, 1, SIGNER_TYPE);
    if (!box->live) lua_pushstring(L, "pacifica.signer (wiped)");
    else lua_pushfstring(L, "pacifica.signer (account %s, %s key %s)", box->signer.account_address,
                         box->signer.is_agent ? "agent" : "own", box->signer.key.address);
    return 1;
}

static int signer_address(lua_State *L) {
    lua_pushstring(L, check_signer(L, 1)->signer.key.address);
    return 1;
}

static int signer_account(lua_State *L) {
    lua_pushstring(L, check_signer(L, 1)->signer.account_address);
    return 1;
}

static int signer_is_agent(lua_State *L) {
    lua_pushboolean(L, check_signer(L, 1)->signer.is_agent);
    return 1;
}

static request_box *new_request_box(lua_State *L) {
    request_box *box = lua_newuserdata(L, sizeof *box);
    pacifica_signed_request_init(&box->request);
    luaL_getmetatable(L, REQUEST_TYPE);
    lua_setmetatable(L, -2);
    return box;
}

/* s:sign(type, payload, {timestamp = ms, expiry_window = ms}) -> request | nil, err */
static int signer_sign(lua_State *L) {
    static const char *const allowed[] = {"timestamp", "expiry_window", NULL};
    signer_box *signer = check_signer(L, 1);
    const char *type = luaL_checkstring(L, 2);
    luaL_checktype(L, 3, LUA_TTABLE);
    int64_t timestamp = rt_clock_now_ms(), expiry_window = DEFAULT_EXPIRY_WINDOW_MS;
    if (!lua_isnoneornil(L, 4)) {
        luaL_checktype(L, 4, LUA_TTABLE);
        largs_only_known(L, 4, "sign", "option", allowed);
        lua_getfield(L, 4, "timestamp");
        if (!lua_isnil(L, -1)) timestamp = integer_option(L, lua_gettop(L), "timestamp");
        lua_getfield(L, 4, "expiry_window");
        if (!lua_isnil(L, -1)) expiry_window = integer_option(L, lua_gettop(L), "expiry_window");
        lua_pop(L, 2);
    }
    char err[512] = "";
    json_t *payload = lua_to_json(L, 3, 0, "", err, sizeof err);
    if (!payload) {
        char message[600];
        snprintf(message, sizeof message, "%s: %s", type, err);
        return push_error(L, "invalid_order", type, message);
    }
    request_box *box = new_request_box(L);
    int rc = pacifica_sign_request(&box->request, &signer->signer, type, timestamp, expiry_window, payload, err,
                                   sizeof err);
    json_decref(payload);
    if (rc != 0) return push_error(L, pacifica_operation_find(type) ? "invalid_order" : "not_supported", type, err);
    return 1;
}

/* ---- signed requests -------------------------------------------------------------------- */

static request_box *check_request(lua_State *L, int idx) {
    return luaL_checkudata(L, idx, REQUEST_TYPE);
}

static int request_gc(lua_State *L) {
    pacifica_signed_request_free(&check_request(L, 1)->request);
    return 0;
}

static int request_ws_frame(lua_State *L);

static int request_index(lua_State *L) {
    const pacifica_signed_request *request = &check_request(L, 1)->request;
    const char *key = luaL_checkstring(L, 2);
    const pacifica_operation *operation = request->operation;
    if (!operation) luaL_error(L, "empty signed request");
    if (strcmp(key, "type") == 0) lua_pushstring(L, operation->type);
    else if (strcmp(key, "path") == 0) lua_pushstring(L, operation->path);
    else if (strcmp(key, "method") == 0) lua_pushliteral(L, "POST");
    else if (strcmp(key, "message") == 0) lua_pushlstring(L, request->message.data, request->message.length);
    else if (strcmp(key, "signature") == 0) lua_pushstring(L, request->signature_base58);
    else if (strcmp(key, "body") == 0) {
        if (request->body.length) lua_pushlstring(L, request->body.data, request->body.length);
        else lua_pushnil(L);
    } else if (strcmp(key, "timestamp") == 0) lua_pushnumber(L, (lua_Number)request->timestamp_ms);
    else if (strcmp(key, "expiry_window") == 0) lua_pushnumber(L, (lua_Number)request->expiry_window_ms);
    else if (strcmp(key, "ws_key") == 0) {
        if (operation->ws_key) lua_pushstring(L, operation->ws_key);
        else lua_pushnil(L);
    } else if (strcmp(key, "batch_action") == 0) {
        if (operation->batch_action) lua_pushstring(L, operation->batch_action);
        else lua_pushnil(L);
    } else if (strcmp(key, "ws_frame") == 0) lua_pushcfunction(L, request_ws_frame);
    else lua_pushnil(L);
    return 1;
}

static int request_tostring(lua_State *L) {
    const pacifica_signed_request *request = &check_request(L, 1)->request;
    lua_pushfstring(L, "pacifica.signed_request (%s)", request->operation ? request->operation->type : "empty");
    return 1;
}

static int push_text_result(lua_State *L, pacifica_text *text, int rc, const char *op, const char *err) {
    if (rc != 0) {
        pacifica_text_free(text);
        return push_error(L, strstr(err, "not available") ? "not_supported" : "invalid_order", op, err);
    }
    lua_pushlstring(L, text->data, text->length);
    pacifica_text_free(text);
    return 1;
}

/* req:ws_frame(request_id) -> text | nil, err */
static int request_ws_frame(lua_State *L) {
    const pacifica_signed_request *request = &check_request(L, 1)->request;
    const char *id = luaL_checkstring(L, 2);
    pacifica_text text = PACIFICA_TEXT_INIT;
    char err[256];
    int rc = pacifica_ws_request_write(&text, id, request, err, sizeof err);
    return push_text_result(L, &text, rc, "ws_frame", err);
}

/* The signed request at idx, or NULL when the value is anything else. */
static request_box *test_request(lua_State *L, int idx) {
    void *data = lua_touserdata(L, idx);
    if (!data || !lua_getmetatable(L, idx)) return NULL;
    luaL_getmetatable(L, REQUEST_TYPE);
    int same = lua_rawequal(L, -1, -2);
    lua_pop(L, 2);
    return same ? data : NULL;
}

/* Collects the signed requests of the list at idx; raises on anything else. */
static size_t collect_requests(lua_State *L, int idx, const pacifica_signed_request **out) {
    luaL_checktype(L, idx, LUA_TTABLE);
    size_t count = lua_objlen(L, idx);
    if (count > PACIFICA_BATCH_MAX_ACTIONS) return count; /* reported as a data error by the writer */
    for (size_t i = 0; i < count; i++) {
        lua_rawgeti(L, idx, (int)i + 1);
        request_box *box = test_request(L, -1);
        if (!box) luaL_error(L, "batch item %d is not a signed request", (int)i + 1);
        out[i] = &box->request;
        lua_pop(L, 1); /* the list keeps the userdata alive */
    }
    return count;
}

static int module_batch_body(lua_State *L) {
    const pacifica_signed_request *requests[PACIFICA_BATCH_MAX_ACTIONS] = {0};
    size_t count = collect_requests(L, 1, requests);
    pacifica_text text = PACIFICA_TEXT_INIT;
    char err[256];
    int rc = pacifica_batch_body_write(&text, requests, count, err, sizeof err);
    return push_text_result(L, &text, rc, "batch_orders", err);
}

static int module_ws_batch_frame(lua_State *L) {
    const char *id = luaL_checkstring(L, 1);
    const pacifica_signed_request *requests[PACIFICA_BATCH_MAX_ACTIONS] = {0};
    size_t count = collect_requests(L, 2, requests);
    pacifica_text text = PACIFICA_TEXT_INIT;
    char err[256];
    int rc = pacifica_ws_batch_request_write(&text, id, requests, count, err, sizeof err);
    return push_text_result(L, &text, rc, "batch_orders", err);
}

/* ---- keys and verification ------------------------------------------------------------- */

/* ps.public_key(secret_text) -> address | nil, err */
static int module_public_key(lua_State *L) {
    const char *secret = luaL_checkstring(L, 1);
    pacifica_keypair key;
    char err[256];
    if (pacifica_keypair_from_base58(&key, secret, "secret_key", err, sizeof err) != 0)
        return push_error(L, "auth", "public_key", err);
    lua_pushstring(L, key.address);
    pacifica_keypair_wipe(&key);
    return 1;
}

/* ps.verify(address, message, signature_base58) -> boolean | nil, err */
static int module_verify(lua_State *L) {
    const char *address = luaL_checkstring(L, 1);
    size_t length;
    const char *message = luaL_checklstring(L, 2, &length);
    const char *signature_text = luaL_checkstring(L, 3);
    uint8_t public_key[PACIFICA_PUBLIC_KEY_BYTES], signature[PACIFICA_SIGNATURE_BYTES];
    char err[256];
    if (pacifica_address_parse(public_key, address, "address", err, sizeof err) != 0)
        return push_error(L, "invalid_order", "verify", err);
    long n = pacifica_base58_decode(signature_text, strlen(signature_text), signature, sizeof signature, err, sizeof err);
    if (n != PACIFICA_SIGNATURE_BYTES) {
        char message_text[300];
        snprintf(message_text, sizeof message_text, "signature must be base58 of 64 bytes%s%s", n < 0 ? ": " : "",
                 n < 0 ? err : "");
        return push_error(L, "invalid_order", "verify", message_text);
    }
    lua_pushboolean(L, pacifica_signature_verify(public_key, message, length, signature));
    return 1;
}

/* ps.operation(type) -> {type, path, ws_key, batch_action} | nil */
static int module_operation(lua_State *L) {
    const pacifica_operation *operation = pacifica_operation_find(luaL_checkstring(L, 1));
    if (!operation) {
        lua_pushnil(L);
        return 1;
    }
    lua_createtable(L, 0, 4);
    lua_pushstring(L, operation->type);
    lua_setfield(L, -2, "type");
    lua_pushstring(L, operation->path);
    lua_setfield(L, -2, "path");
    if (operation->ws_key) { lua_pushstring(L, operation->ws_key); lua_setfield(L, -2, "ws_key"); }
    if (operation->batch_action) { lua_pushstring(L, operation->batch_action); lua_setfield(L, -2, "batch_action"); }
    return 1;
}

int luaopen_pacifica_signer(lua_State *L) {
    static const luaL_Reg signer_methods[] = {
        {"sign", signer_sign},         {"address", signer_address}, {"account", signer_account},
        {"is_agent", signer_is_agent}, {"wipe", signer_gc},         {NULL, NULL}};
    luaL_newmetatable(L, SIGNER_TYPE);
    lua_newtable(L);
    luaL_register(L, NULL, signer_methods);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, signer_gc);
    lua_setfield(L, -2, "__gc");
    lua_pushcfunction(L, signer_tostring);
    lua_setfield(L, -2, "__tostring");
    lua_pop(L, 1);

    luaL_newmetatable(L, REQUEST_TYPE);
    lua_pushcfunction(L, request_index);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, request_gc);
    lua_setfield(L, -2, "__gc");
    lua_pushcfunction(L, request_tostring);
    lua_setfield(L, -2, "__tostring");
    lua_pop(L, 1);

    static const luaL_Reg functions[] = {
        {"new", signer_new},
        {"from_env", signer_from_env},
        {"public_key", module_public_key},
        {"verify", module_verify},
        {"operation", module_operation},
        {"batch_body", module_batch_body},
        {"ws_batch_frame", module_ws_batch_frame},
        {NULL, NULL}};
    lua_newtable(L);
    luaL_register(L, NULL, functions);
    return 1;
}
