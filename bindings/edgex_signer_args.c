/* Argument readers for "edgex.signer" (see edgex_signer_args.h). */
#include "bindings/edgex_signer_args.h"

#include <lauxlib.h>
#include <math.h>
#include <string.h>

#include "exchanges/edgex/hex.h"

/* |n| < 2^53: every such integer is exact in a double. */
#define EXACT_INTEGER_LIMIT 9007199254740992.0

void eargs_table(lua_State *L, int idx, const char *what) {
    if (!lua_istable(L, idx)) luaL_error(L, "%s: table expected, got %s", what, luaL_typename(L, idx));
}

void eargs_only_known(lua_State *L, int idx, const char *what, const char *const *known) {
    eargs_table(L, idx, what);
    lua_pushnil(L);
    while (lua_next(L, idx) != 0) {
        lua_pop(L, 1);
        if (lua_type(L, -1) != LUA_TSTRING) luaL_error(L, "%s: option keys must be strings", what);
        const char *key = lua_tostring(L, -1);
        int found = 0;
        for (int i = 0; known[i]; i++)
            if (strcmp(known[i], key) == 0) found = 1;
        if (!found) luaL_error(L, "%s: unknown field %s", what, key);
    }
}

const char *eargs_string(lua_State *L, int idx, const char *key) {
    lua_getfield(L, idx, key);
    if (lua_isnil(L, -1)) {
        lua_pop(L, 1);
        return NULL;
    }
    if (lua_type(L, -1) != LUA_TSTRING) luaL_error(L, "%s must be a string, got %s", key, luaL_typename(L, -1));
    const char *s = lua_tostring(L, -1);
    lua_pop(L, 1);   /* the string stays alive: it is referenced by the table */
    return s;
}

int eargs_bool(lua_State *L, int idx, const char *key, int dflt) {
    lua_getfield(L, idx, key);
    int v = dflt;
    if (!lua_isnil(L, -1)) {
        if (!lua_isboolean(L, -1)) luaL_error(L, "%s must be a boolean, got %s", key, luaL_typename(L, -1));
        v = lua_toboolean(L, -1);
    }
    lua_pop(L, 1);
    return v;
}

static int read_integer(lua_State *L, int at, const char *name, int64_t *out, edgex_error *err) {
    if (lua_type(L, at) == LUA_TNUMBER) {
        double d = lua_tonumber(L, at);
        if (d != floor(d) || fabs(d) >= EXACT_INTEGER_LIMIT)
            return edgex_fail(err, EDGEX_E_INPUT, "%s must be an integer below 2^53 (or a decimal string)", name);
        *out = (int64_t)d;
        return EDGEX_OK;
    }
    if (lua_type(L, at) == LUA_TSTRING) {
        const char *s = lua_tostring(L, at);
        int negative = s[0] == '-';
        uint64_t u;
        if (edgex_parse_u64(s + negative, &u) != 0 || u > (uint64_t)INT64_MAX)
            return edgex_fail(err, EDGEX_E_INPUT, "%s must be a decimal integer", name);
        *out = negative ? -(int64_t)u : (int64_t)u;
        return EDGEX_OK;
    }
    return luaL_error(L, "%s must be an integer or a decimal string, got %s", name, luaL_typename(L, at));
}

int eargs_int64(lua_State *L, int idx, const char *key, int64_t *out, int *present, edgex_error *err) {
    lua_getfield(L, idx, key);
    *present = !lua_isnil(L, -1);
    int rc = *present ? read_integer(L, lua_gettop(L), key, out, err) : EDGEX_OK;
    lua_pop(L, 1);
    return rc;
}

int eargs_int64_at(lua_State *L, int idx, const char *name, int64_t *out, edgex_error *err) {
    return read_integer(L, idx, name, out, err);
}
