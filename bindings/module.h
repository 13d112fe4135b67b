/* How a C file in bindings/ offers a Lua module.
 * Write, at the start of a line at file scope:
 *     HEDGE_LUA_MODULE("lighter.signer", luaopen_lighter_signer)
 * tools/gen-c-modules finds these lines at build time and puts them in package.preload,
 * so `require "lighter.signer"` works with no central list to edit. */
#ifndef HEDGE_BINDINGS_MODULE_H
#define HEDGE_BINDINGS_MODULE_H
#include <lua.h>
#include <lauxlib.h>

#define HEDGE_LUA_MODULE(name, open_fn) int open_fn(lua_State *L);

#endif
