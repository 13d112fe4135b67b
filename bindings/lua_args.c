/* Signer-module arguments read from Lua (see lua_args.h). */
#include "bindings/lua_args.h"

#include <lauxlib.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

/* |n| < 2^53: every such integer is exact in a double, and so is its neighbour. */
#define EXACT_INTEGER_LIMIT 9007199254740992.0

void largs_table(lua_State *L, int idx, const char *what) {
    if (!lua_istable(L, idx)) luaL_error(L, "%s: table expected, got %s", what, luaL_typename(L, idx));
}

void largs_only_known(lua_State *L, int idx, const char *what, const char *noun, const char *const *known) {
    largs_table(L, idx, what);
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        lua_pop(L, 1);
        const char *key = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
        int found = 0;
        for (size_t i = 0; key && known[i]; i++) found |= strcmp(key, known[i]) == 0;
        if (!found) luaL_error(L, "%s: unknown %s %s", what, noun, key ? key : "(not a string)");
    }
}

const char *largs_lstring(lua_State *L, int idx, const char *key, size_t *length) {
    lua_getfield(L, idx, key);
    const char *value = NULL;
    if (lua_type(L, -1) == LUA_TSTRING) value = lua_tolstring(L, -1, length);
    else if (!lua_isnil(L, -1)) luaL_error(L, "%s must be a string, not a %s", key, luaL_typename(L, -1));
    lua_pop(L, 1);   /* the string stays alive: the table holds it */
    return value;
}

const char *largs_string(lua_State *L, int idx, const char *key) {
    return largs_lstring(L, idx, key, NULL);
}

int largs_bool(lua_State *L, int idx, const char *key, int dflt) {
    lua_getfield(L, idx, key);
    int value = dflt;
    if (!lua_isnil(L, -1)) {
        if (!lua_isboolean(L, -1)) luaL_error(L, "%s must be a boolean, not a %s", key, luaL_typename(L, -1));
        value = lua_toboolean(L, -1);
    }
    lua_pop(L, 1);
    return value;
}

int largs_parse_int64(const char *text, size_t length, int64_t *out) {
    size_t i = 0;
    int negative = length && text[0] == '-';
    if (negative) i = 1;
    if (i == length || length - i > 19) return -1;
    /* One spelling per number: "007" is not a field value anyone means to sign. */
    if (text[i] == '0' && length - i > 1) return -1;
    uint64_t v = 0;
    for (; i < length; i++) {
        if (text[i] < '0' || text[i] > '9') return -1;
        v = v * 10 + (uint64_t)(text[i] - '0');   /* 19 digits cannot overflow uint64 */
    }
    if (!negative && v > (uint64_t)INT64_MAX) return -1;
    if (negative && v > (uint64_t)INT64_MAX + 1) return -1;
    *out = negative ? (int64_t)(0 - v) : (int64_t)v;
    return 0;
}

/* Classifies FFI cdata: returns "decimal", "int64", "uint64" or nil, plus the ctype's name. The
 * rt_decimal ctype is looked up lazily: whoever declares it (the host's FFI cdef or a decimal
 * module) may do so after the first call. */
static const char cdata_classifier_source[] =
    "local ok, ffi = pcall(require, 'ffi')\n"
    "if not ok then return function() return nil, 'cdata' end end\n"
    "local int64_type, uint64_type = ffi.typeof('int64_t'), ffi.typeof('uint64_t')\n"
    "local decimal_type\n"
    "return function(value)\n"
    "  if decimal_type == nil then\n"
    "    local found, ctype = pcall(ffi.typeof, 'rt_decimal')\n"
    "    if not found then found, ctype = pcall(ffi.typeof, 'struct rt_decimal') end\n"
    "    if found then decimal_type = ctype end\n"
    "  end\n"
    "  if decimal_type and ffi.istype(decimal_type, value) then return 'decimal' end\n"
    "  if ffi.istype(int64_type, value) then return 'int64' end\n"
    "  if ffi.istype(uint64_type, value) then return 'uint64' end\n"
    "  return nil, tostring(ffi.typeof(value))\n"
    "end\n";

/* The registry key of the compiled classifier (one per Lua state, built on first use). */
static const char classifier_key = 0;

static void push_classifier(lua_State *L) {
    lua_pushlightuserdata(L, (void *)&classifier_key);
    lua_rawget(L, LUA_REGISTRYINDEX);
    if (!lua_isnil(L, -1)) return;
    lua_pop(L, 1);
    if (luaL_loadbuffer(L, cdata_classifier_source, sizeof cdata_classifier_source - 1, "=cdata_classifier") != 0)
        lua_error(L);
    lua_call(L, 0, 1);
    lua_pushlightuserdata(L, (void *)&classifier_key);
    lua_pushvalue(L, -2);
    lua_rawset(L, LUA_REGISTRYINDEX);
}

const char *largs_cdata_kind(lua_State *L, int idx, const char **type_name) {
    if (idx < 0 && idx > LUA_REGISTRYINDEX) idx = lua_gettop(L) + idx + 1;
    push_classifier(L);
    lua_pushvalue(L, idx);
    lua_call(L, 1, 2);
    const char *kind = lua_tostring(L, -2);
    if (type_name) *type_name = lua_tostring(L, -1);
    static const char *const kinds[] = {"decimal", "int64", "uint64"};
    const char *result = NULL;
    for (size_t i = 0; kind && i < sizeof kinds / sizeof kinds[0]; i++)
        if (strcmp(kind, kinds[i]) == 0) result = kinds[i];
    lua_pop(L, 2);
    return result;
}

int largs_int64_at(lua_State *L, int idx, const char *name, int64_t *out, char *err, size_t errcap) {
    switch (lua_type(L, idx)) {
    case LUA_TNIL:
    case LUA_TNONE:
        return LARGS_ABSENT;
    case LUA_TNUMBER: {
        double n = lua_tonumber(L, idx);
        if (!isfinite(n)) {
            snprintf(err, errcap, "%s is not a finite number", name);
            return LARGS_BAD;
        }
        if (floor(n) != n) {
            snprintf(err, errcap, "%s = %.17g is not an integer", name, n);
            return LARGS_BAD;
        }
        if (fabs(n) >= EXACT_INTEGER_LIMIT) {
            snprintf(err, errcap,
                     "%s = %.17g is beyond 2^53, where Lua numbers are not exact; pass it as a decimal string", name, n);
            return LARGS_BAD;
        }
        *out = (int64_t)n;
        return LARGS_OK;
    }
    case LUA_TSTRING: {
        size_t length;
        const char *text = lua_tolstring(L, idx, &length);
        if (largs_parse_int64(text, length, out) != 0) {
            snprintf(err, errcap, "%s = \"%.40s\" is not a decimal integer that fits in 64 bits", name, text);
            return LARGS_BAD;
        }
        return LARGS_OK;
    }
    case LARGS_TYPE_CDATA: {
        const char *kind = largs_cdata_kind(L, idx, NULL);
        const void *data = lua_topointer(L, idx);
        if (kind && strcmp(kind, "int64") == 0) {
            *out = *(const int64_t *)data;
            return LARGS_OK;
        }
        if (kind && strcmp(kind, "uint64") == 0) {
            uint64_t v = *(const uint64_t *)data;
            if (v > (uint64_t)INT64_MAX) {
                snprintf(err, errcap, "%s is above 2^63 - 1", name);
                return LARGS_BAD;
            }
            *out = (int64_t)v;
            return LARGS_OK;
        }
        break;
    }
    default:
        break;
    }
    return luaL_error(L, "%s must be an integer (a number, a decimal string or an int64 cdata), not a %s", name,
                      luaL_typename(L, idx));
}

int largs_int64(lua_State *L, int idx, const char *key, int64_t *out, char *err, size_t errcap) {
    lua_getfield(L, idx, key);
    int rc = largs_int64_at(L, lua_gettop(L), key, out, err, errcap);
    lua_pop(L, 1);
    return rc;
}
