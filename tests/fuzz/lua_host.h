/* A bare Lua state for the fuzz targets that drive hedge's Lua-facing code (the parse bindings'
 * C glue, the configuration and .env readers): the standard libraries, the C modules a target
 * names in package.preload, and Lua modules read from the source tree (bindings/lua/, scripts/),
 * so no scheduler or event loop is needed. tests/fuzz/run links these targets with the binding
 * objects they name and exports the core library's symbols (LuaJIT's FFI finds rt_decimal_*
 * by name, as in ./hedge). */
#ifndef HEDGE_TESTS_FUZZ_LUA_HOST_H
#define HEDGE_TESTS_FUZZ_LUA_HOST_H

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>

#include "tests/fuzz/fuzz.h"

typedef struct fuzz_lua_module {
    const char *name;
    lua_CFunction open;
} fuzz_lua_module;

static inline lua_State *fuzz_lua_new(const fuzz_lua_module *modules) {
    lua_State *L = luaL_newstate();
    FUZZ_CHECK(L != NULL, "cannot create a Lua state");
    luaL_openlibs(L);
    lua_getglobal(L, "package");
    lua_pushstring(L, "bindings/lua/?.lua;scripts/?.lua");
    lua_setfield(L, -2, "path");
    lua_getfield(L, -1, "preload");
    for (const fuzz_lua_module *m = modules; m->name; m++) {
        lua_pushcfunction(L, m->open);
        lua_setfield(L, -2, m->name);
    }
    lua_pop(L, 2);
    return L;
}

/* Runs a chunk that defines the global function `fuzz_one(text)`; aborts naming the error. */
static inline void fuzz_lua_define(lua_State *L, const char *chunk, const char *name) {
    if (luaL_loadbuffer(L, chunk, strlen(chunk), name) != 0 || lua_pcall(L, 0, 0, 0) != 0)
        FUZZ_CHECK(0, "%s: %s", name, lua_tostring(L, -1));
}

/* Calls fuzz_one(input); a Lua error means a function raised where it must return nil, err
 * (or a check in the chunk failed): the message is printed and the input kept. */
static inline void fuzz_lua_call(lua_State *L, const uint8_t *data, size_t size) {
    lua_getglobal(L, "fuzz_one");
    lua_pushlstring(L, (const char *)data, size);
    if (lua_pcall(L, 1, 0, 0) != 0) FUZZ_CHECK(0, "raised: %s", lua_tostring(L, -1));
    /* Collect garbage now and then so the state stays small and finalizers run under ASan. */
    static unsigned calls;
    if (++calls % 256 == 0) lua_gc(L, LUA_GCCOLLECT, 0);
}

#endif
