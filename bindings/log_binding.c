/* "hedge.log": runtime/log for Lua scripts.
 *
 *   local log = require "hedge.log"
 *   log.info("strategy", "opened %s at %s", symbol, price)   -- string.format when extra args
 *   log.warn("strategy", "100% literal")                    -- no extra args: the text as is
 *   log.set_level("debug") / log.set_level("lighter", "trace") / log.configure("info,lighter=debug")
 *   log.add_secret(key) -> true | nil, err;  log.redact(text) -> text with secrets replaced
 *   log.open_file(path) -> true | nil, err;  log.close_file();  log.enabled("debug", module)
 *   log.set_console_format("json" | "human");  log.set_console(false) for file-only logging
 *
 * Levels: trace, debug, info, warn, error. Wrong argument types and unknown level names are
 * programmer errors and raise; a refused secret or an unopenable file is nil, err. */
#include <lauxlib.h>
#include <lua.h>
#include <stdlib.h>
#include <string.h>

#include "bindings/module.h"
#include "runtime/log.h"

HEDGE_LUA_MODULE("hedge.log", luaopen_hedge_log)

static rt_log_level check_level(lua_State *L, int arg) {
    const char *name = luaL_checkstring(L, arg);
    rt_log_level level;
    if (rt_log_level_from_name(name, &level) != 0) {
        const char *msg = lua_pushfstring(L, "unknown log level '%s' (trace, debug, info, warn, error, off)", name);
        luaL_argerror(L, arg, msg);
    }
    return level;
}

/* log.<level>(module, fmt_or_msg, ...): upvalue 1 is string.format, upvalue 2 the level. */
static int log_at_level(lua_State *L) {
    rt_log_level level = (rt_log_level)lua_tointeger(L, lua_upvalueindex(2));
    const char *module = luaL_checkstring(L, 1);
    luaL_checkstring(L, 2);
    if (!rt_log_enabled(level, module)) return 0; /* skip formatting entirely */
    int nargs = lua_gettop(L);
    size_t len;
    const char *text;
    if (nargs > 2) {
        /* Formatting happens here, so the finished line (not the arguments) is what gets
         * redacted: a secret split across two arguments is still caught. */
        lua_pushvalue(L, lua_upvalueindex(1));
        for (int i = 2; i <= nargs; i++) lua_pushvalue(L, i);
        lua_call(L, nargs - 1, 1);
        text = lua_tolstring(L, -1, &len);
        if (!text) return luaL_error(L, "log: string.format returned no string");
    } else {
        text = lua_tolstring(L, 2, &len);
    }
    rt_log_text(level, module, text, len);
    return 0;
}

/* log.set_level(level) sets the default; log.set_level(module, level) one module. */
static int log_set_level(lua_State *L) {
    if (lua_isnoneornil(L, 2)) {
        rt_log_set_level(NULL, check_level(L, 1));
        return 0;
    }
    const char *module = luaL_checkstring(L, 1);
    rt_log_level level = check_level(L, 2);
    if (rt_log_set_level(module, level) != 0)
        return luaL_argerror(L, 1, "module name must be 1 to 63 characters (and at most 64 modules)");
    return 0;
}

static int log_configure(lua_State *L) {
    const char *spec = luaL_checkstring(L, 1);
    char err[256];
    if (rt_log_configure(spec, err, sizeof err) != 0) {
        lua_pushnil(L);
        lua_pushstring(L, err);
        return 2;
    }
    lua_pushboolean(L, 1);
    return 1;
}

static int log_enabled(lua_State *L) {
    rt_log_level level = check_level(L, 1);
    const char *module = luaL_optstring(L, 2, NULL);
    lua_pushboolean(L, rt_log_enabled(level, module));
    return 1;
}

static int log_add_secret(lua_State *L) {
    size_t len;
    const char *secret = luaL_checklstring(L, 1, &len);
    int rc = rt_log_add_secret(secret, len);
    if (rc != 0) {
        lua_pushnil(L);
        lua_pushstring(L, rt_log_secret_error_text(rc));
        return 2;
    }
    lua_pushboolean(L, 1);
    return 1;
}

static int log_redact(lua_State *L) {
    size_t len, out_len;
    const char *text = luaL_checklstring(L, 1, &len);
    char *safe = rt_redact(text, len, &out_len);
    if (!safe) return luaL_error(L, "log.redact: out of memory");
    lua_pushlstring(L, safe, out_len);
    free(safe);
    return 1;
}

static int log_open_file(lua_State *L) {
    const char *path = luaL_checkstring(L, 1);
    char err[512];
    if (rt_log_open_file(path, err, sizeof err) != 0) {
        lua_pushnil(L);
        lua_pushstring(L, err);
        return 2;
    }
    lua_pushboolean(L, 1);
    return 1;
}

static int log_close_file(lua_State *L) {
    rt_log_close_file();
    return 0;
}

static int log_set_console_format(lua_State *L) {
    static const char *const formats[] = {"human", "json", NULL};
    rt_log_set_console_format(luaL_checkoption(L, 1, NULL, formats));
    return 0;
}

static int log_set_console(lua_State *L) {
    luaL_checktype(L, 1, LUA_TBOOLEAN);
    rt_log_set_console_enabled(lua_toboolean(L, 1));
    return 0;
}

int luaopen_hedge_log(lua_State *L) {
    static const struct {
        const char *name;
        rt_log_level level;
    } levels[] = {
        {"trace", RT_LOG_TRACE}, {"debug", RT_LOG_DEBUG}, {"info", RT_LOG_INFO}, {"warn", RT_LOG_WARN}, {"error", RT_LOG_ERROR},
    };
    static const luaL_Reg functions[] = {
        {"set_level", log_set_level},
        {"configure", log_configure},
        {"enabled", log_enabled},
        {"add_secret", log_add_secret},
        {"redact", log_redact},
        {"open_file", log_open_file},
        {"close_file", log_close_file},
        {"set_console_format", log_set_console_format},
        {"set_console", log_set_console},
        {NULL, NULL},
    };
    lua_newtable(L);
    luaL_register(L, NULL, functions);
    /* Captured once so a script that replaces string.format cannot change what logs do. */
    lua_getglobal(L, "string");
    lua_getfield(L, -1, "format");
    int format_index = lua_gettop(L);
    for (size_t i = 0; i < sizeof levels / sizeof levels[0]; i++) {
        lua_pushvalue(L, format_index);
        lua_pushinteger(L, levels[i].level);
        lua_pushcclosure(L, log_at_level, 2);
        lua_setfield(L, -4, levels[i].name);
    }
    lua_pop(L, 2);
    return 1;
}
