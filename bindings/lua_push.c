/* Parsed payloads as Lua values (see lua_push.h). */
#include "bindings/lua_push.h"

#include <lauxlib.h>
#include <stdio.h>
#include <string.h>

/* Lua numbers are doubles: integers from 2^53 on are not all exact. */
#define LARGEST_EXACT_INTEGER 9007199254740992LL
/* Venue answers nest a few levels; anything deeper is not a venue answer (and would only grow
 * the C stack). */
#define MAX_RAW_DEPTH 32

void lpush_int64(lua_State *L, int64_t value) {
    if (value < LARGEST_EXACT_INTEGER && value > -LARGEST_EXACT_INTEGER) {
        lua_pushnumber(L, (lua_Number)value);
    } else {
        char text[24];
        snprintf(text, sizeof text, "%lld", (long long)value);
        lua_pushstring(L, text);
    }
}

void lpush_set_int64(lua_State *L, const char *key, int64_t value) {
    lpush_int64(L, value);
    lua_setfield(L, -2, key);
}

void lpush_set_optional_int(lua_State *L, const char *key, const venue_optional_int *value) {
    if (value->present) lpush_set_int64(L, key, value->value);
}

void lpush_set_text(lua_State *L, const char *key, const char *text) {
    if (!text[0]) return;
    lua_pushstring(L, text);
    lua_setfield(L, -2, key);
}

void lpush_set_bool(lua_State *L, const char *key, int value) {
    lua_pushboolean(L, value);
    lua_setfield(L, -2, key);
}

static int push_raw(lua_State *L, const json_t *value, int depth) {
    if (depth > MAX_RAW_DEPTH) return -1;
    luaL_checkstack(L, 3, "parse: payload too deep for the Lua stack");
    switch (json_typeof(value)) {
    case JSON_OBJECT: {
        lua_createtable(L, 0, (int)json_object_size(value));
        const char *key;
        json_t *member;
        json_object_foreach((json_t *)value, key, member) {
            if (json_is_null(member)) continue;
            if (push_raw(L, member, depth + 1) != 0) return -1;
            lua_setfield(L, -2, key);
        }
        return 0;
    }
    case JSON_ARRAY:
        lua_createtable(L, (int)json_array_size(value), 0);
        for (size_t i = 0; i < json_array_size(value); i++) {
            if (push_raw(L, json_array_get(value, i), depth + 1) != 0) return -1;
            lua_rawseti(L, -2, (int)i + 1);
        }
        return 0;
    case JSON_STRING: lua_pushlstring(L, json_string_value(value), json_string_length(value)); return 0;
    case JSON_INTEGER: lpush_int64(L, (int64_t)json_integer_value(value)); return 0;
    case JSON_REAL: lua_pushnumber(L, json_real_value(value)); return 0;
    case JSON_TRUE: lua_pushboolean(L, 1); return 0;
    case JSON_FALSE: lua_pushboolean(L, 0); return 0;
    case JSON_NULL: lua_pushnil(L); return 0;
    }
    return -1;
}

int lpush_json(lua_State *L, const json_t *value) {
    int top = lua_gettop(L);
    if (push_raw(L, value, 0) == 0) return 0;
    lua_settop(L, top);
    return -1;
}

void lpush_set_info(lua_State *L, const json_t *raw) {
    if (!raw || lpush_json(L, raw) != 0) return;
    lua_setfield(L, -2, "info");
}

const json_t *lpush_json_item(const json_t *list, size_t i) {
    return json_is_array(list) ? json_array_get(list, i) : NULL;
}

json_t *lpush_load_json_arg(lua_State *L, int index, char *err, size_t cap) {
    size_t length;
    const char *text = luaL_checklstring(L, index, &length);
    json_error_t error;
    json_t *root = json_loadb(text, length, JSON_DECODE_ANY, &error);
    if (!root) {
        if (length == 0) snprintf(err, cap, "the answer is empty, not JSON");
        else snprintf(err, cap, "the answer is not JSON: %s (at byte %d)", error.text, error.position);
    }
    return root;
}

int lpush_fail(lua_State *L, const char *message) {
    lua_pushnil(L);
    lua_pushstring(L, message);
    return 2;
}

void lpush_venue_error(lua_State *L, const venue_error *e) {
    lua_createtable(L, 0, 5);
    lua_pushstring(L, venue_error_kind_name(e->kind));
    lua_setfield(L, -2, "kind");
    lua_pushstring(L, e->message);
    lua_setfield(L, -2, "msg");
    if (e->has_code) lpush_set_int64(L, "code", e->code);
    lua_pushinteger(L, e->http_status);
    lua_setfield(L, -2, "http_status");
    lpush_set_bool(L, "retryable", e->retryable);
}

int lpush_json_function(lua_State *L) {
    char err[LPUSH_ERR_CAP];
    json_t *root = lpush_load_json_arg(L, 1, err, sizeof err);
    if (!root) return lpush_fail(L, err);
    int rc = lpush_json(L, root);
    json_decref(root);
    if (rc != 0) return lpush_fail(L, "the answer is nested too deep");
    return 1;
}

lpush_data_fn lpush_find_kind(const lpush_kind *kinds, size_t count, const char *kind) {
    for (size_t i = 0; i < count; i++)
        if (strcmp(kinds[i].kind, kind) == 0) return kinds[i].push;
    return NULL;
}

int lpush_nothing(lua_State *L, const json_t *data, char *err, size_t cap) {
    (void)data;
    (void)err;
    (void)cap;
    lua_pushboolean(L, 1);
    return 0;
}

int lpush_raw_data(lua_State *L, const json_t *data, char *err, size_t cap) {
    if (lpush_json(L, data) == 0) return 0;
    snprintf(err, cap, "data: nested too deep");
    return -1;
}
