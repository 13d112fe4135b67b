#include "bindings/errors.h"

#include <lauxlib.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "bindings/module.h"

static const char *const retryable_kinds[] = {"network", "timeout", "rate_limited", "unavailable", NULL};

static int error_tostring(lua_State *L) {
    lua_getfield(L, 1, "kind");
    lua_getfield(L, 1, "msg");
    const char *kind = lua_tostring(L, -2), *msg = lua_tostring(L, -1);
    lua_getfield(L, 1, "venue");
    lua_getfield(L, 1, "op");
    const char *venue = lua_tostring(L, -2), *op = lua_tostring(L, -1);
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    if (venue) { luaL_addstring(&b, venue); luaL_addchar(&b, ' '); }
    if (op) { luaL_addstring(&b, op); luaL_addstring(&b, ": "); }
    luaL_addstring(&b, kind ? kind : "error");
    if (msg) { luaL_addstring(&b, ": "); luaL_addstring(&b, msg); }
    luaL_pushresult(&b);
    return 1;
}

void lerr_set_metatable(lua_State *L) {
    if (luaL_newmetatable(L, "hedge.error")) {
        lua_pushcfunction(L, error_tostring);
        lua_setfield(L, -2, "__tostring");
        lua_pushstring(L, "hedge.error");
        lua_setfield(L, -2, "__name");
    }
    lua_setmetatable(L, -2);
}

void lerr_set_string(lua_State *L, const char *key, const char *value) {
    if (!value) return;
    lua_pushstring(L, value);
    lua_setfield(L, -2, key);
}

void lerr_set_number(lua_State *L, const char *key, double value) {
    lua_pushnumber(L, value);
    lua_setfield(L, -2, key);
}

void lerr_set_bool(lua_State *L, const char *key, int value) {
    lua_pushboolean(L, value);
    lua_setfield(L, -2, key);
}

static void push_va(lua_State *L, const char *kind, const char *op, const char *fmt, va_list ap) {
    char msg[1024];
    vsnprintf(msg, sizeof msg, fmt, ap);
    lua_createtable(L, 0, 6);
    lerr_set_string(L, "kind", kind);
    lerr_set_string(L, "op", op);
    lerr_set_string(L, "msg", msg);
    int retryable = 0;
    for (int i = 0; retryable_kinds[i]; i++) if (strcmp(kind, retryable_kinds[i]) == 0) retryable = 1;
    lerr_set_bool(L, "retryable", retryable);
    lerr_set_metatable(L);
}

void lerr_push(lua_State *L, const char *kind, const char *op, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    push_va(L, kind, op, fmt, ap);
    va_end(ap);
}

int lerr_return(lua_State *L, const char *kind, const char *op, const char *fmt, ...) {
    lua_pushnil(L);
    va_list ap;
    va_start(ap, fmt);
    push_va(L, kind, op, fmt, ap);
    va_end(ap);
    return 2;
}

int lerr_return_venue(lua_State *L, const char *venue, const char *kind, const char *op, const char *message) {
    int n = lerr_return(L, kind, op, "%s", message);
    lerr_set_string(L, "venue", venue);
    return n;
}
