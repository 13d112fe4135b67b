/* "hedge.core": the scheduler primitives the Lua layer (bindings/lua/hedge/init.lua) builds
 * tasks, join, parallel, race and timeouts on, plus clocks and sleep. Users call "hedge",
 * not this module. */
#include <lauxlib.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "bindings/errors.h"
#include "bindings/host.h"
#include "bindings/module.h"
#include "bindings/scheduler.h"
#include "runtime/clock.h"

HEDGE_LUA_MODULE("hedge.core", luaopen_hedge_core)

static int core_spawn(lua_State *L) {
    luaL_checktype(L, 1, LUA_TFUNCTION);
    sched_spawn(L, lua_gettop(L) - 1);
    return 1;
}

static int core_current(lua_State *L) {
    sched_task *t = sched_task_of(L);
    if (!t) { lua_pushnil(L); return 1; }
    sched_push_handle(L, t);
    return 1;
}

static int core_park(lua_State *L) {
    lua_settop(L, 0);
    return sched_park_lua(L);
}

static int core_wake(lua_State *L) {
    sched_task *t = sched_check_handle(L, 1);
    int n = lua_gettop(L) - 1;
    lua_pushboolean(L, sched_wake_lua(t, L, n));
    return 1;
}

static int core_cancel(lua_State *L) {
    sched_cancel(sched_check_handle(L, 1));
    return 0;
}

static int core_task_id(lua_State *L) {
    lua_pushinteger(L, sched_task_id(sched_check_handle(L, 1)));
    return 1;
}

static int core_is_done(lua_State *L) {
    lua_pushboolean(L, sched_task_is_done(sched_check_handle(L, 1)));
    return 1;
}

static int core_is_cancelled(lua_State *L) {
    sched_task *t = lua_isnoneornil(L, 1) ? sched_task_of(L) : sched_check_handle(L, 1);
    lua_pushboolean(L, t && sched_task_is_cancelled(t));
    return 1;
}

static int core_live_count(lua_State *L) {
    lua_pushinteger(L, sched_live_count());
    return 1;
}

/* ---- sleep ---------------------------------------------------------------------------- */

typedef struct sleep_op {
    sched_wait wait;
    uv_timer_t timer;
} sleep_op;

static void on_sleep_closed(uv_handle_t *h) { free(h->data); }

static void close_sleep(sleep_op *op) {
    uv_timer_stop(&op->timer);
    uv_close((uv_handle_t *)&op->timer, on_sleep_closed);
}

static void on_sleep_timer(uv_timer_t *timer) {
    sleep_op *op = timer->data;
    sched_wake(&op->wait);
}

static int sleep_push(lua_State *L, sched_wait *w) {
    close_sleep((sleep_op *)w);
    lua_pushboolean(L, 1);
    return 1;
}

static void sleep_abort(sched_wait *w) { close_sleep((sleep_op *)w); }

static int core_sleep(lua_State *L) {
    double seconds = luaL_checknumber(L, 1);
    if (!(seconds >= 0) || seconds > 1e9) return luaL_argerror(L, 1, "seconds must be a number >= 0");
    sched_check_task(L, "sleep");
    sleep_op *op = calloc(1, sizeof *op);
    if (!op) return luaL_error(L, "out of memory");
    op->wait.push_results = sleep_push;
    op->wait.abort = sleep_abort;
    uv_timer_init(&hedge_host_get()->loop, &op->timer);
    op->timer.data = op;
    uv_timer_start(&op->timer, on_sleep_timer, (uint64_t)(seconds * 1000.0 + 0.5), 0);
    return sched_park(L, &op->wait);
}

/* ---- clocks and process ---------------------------------------------------------------- */

static int core_now_ms(lua_State *L) { lua_pushnumber(L, (lua_Number)rt_clock_now_ms()); return 1; }
static int core_mono_ms(lua_State *L) { lua_pushnumber(L, (lua_Number)rt_clock_mono_ms()); return 1; }
static int core_mono_us(lua_State *L) { lua_pushnumber(L, (lua_Number)rt_clock_mono_us()); return 1; }

static int core_set_exit_code(lua_State *L) {
    hedge_host_get()->exit_code = (int)luaL_checkinteger(L, 1);
    return 0;
}

static int core_exit_code(lua_State *L) {
    lua_pushinteger(L, hedge_host_get()->exit_code);
    return 1;
}

static int core_exit(lua_State *L) {
    int code = (int)luaL_optinteger(L, 1, 0);
    if (code < 0 || code > 255) return luaL_argerror(L, 1, "exit code must be 0..255");
    hedge_host_request_exit(code);
    return 0;
}

static int core_is_interactive(lua_State *L) {
    lua_pushboolean(L, hedge_host_get()->interactive);
    return 1;
}

/* trap_signals(true): the first SIGINT/SIGTERM only sets stop_requested() instead of
 * cancelling the main task, so the script can finish a step and persist before leaving. */
static int core_trap_signals(lua_State *L) {
    hedge_host_get()->trap_signals = lua_toboolean(L, 1);
    return 0;
}

/* stop_requested() -> false | "SIGINT" | "SIGTERM" | "requested" */
static int core_stop_requested(lua_State *L) {
    int sig = hedge_host_get()->stop_requested;
    if (!sig) lua_pushboolean(L, 0);
    else lua_pushstring(L, sig == SIGINT ? "SIGINT" : sig == SIGTERM ? "SIGTERM" : "requested");
    return 1;
}

/* request_stop(): what a trapped signal does, asked for by the script itself (a time limit). */
static int core_request_stop(lua_State *L) {
    hedge_host *host = hedge_host_get();
    if (!host->stop_requested) host->stop_requested = -1;
    return 0;
}

static int core_print(lua_State *L) {
    size_t len;
    const char *s = luaL_checklstring(L, 1, &len);
    hedge_host_print(s, len);
    return 0;
}

/* Lets the main-task wrapper register its handle, so SIGINT/SIGTERM can cancel it. */
static int core_set_main_task(lua_State *L) {
    sched_check_handle(L, 1);
    hedge_host *host = hedge_host_get();
    luaL_unref(L, LUA_REGISTRYINDEX, host->main_task_ref);
    lua_pushvalue(L, 1);
    host->main_task_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    return 0;
}

/* file_mode(path) -> permission bits (e.g. 0600 as a number) | nil, message. For the warning
 * about a .env others can read: Lua itself has no stat. */
static int core_file_mode(lua_State *L) {
    const char *path = luaL_checkstring(L, 1);
    struct stat st;
    if (stat(path, &st) != 0) {
        lua_pushnil(L);
        lua_pushfstring(L, "%s: %s", path, strerror(errno));
        return 2;
    }
    lua_pushinteger(L, (lua_Integer)(st.st_mode & 07777));
    return 1;
}

int luaopen_hedge_core(lua_State *L) {
    static const luaL_Reg functions[] = {
        {"spawn", core_spawn},
        {"current", core_current},
        {"park", core_park},
        {"wake", core_wake},
        {"cancel", core_cancel},
        {"task_id", core_task_id},
        {"is_done", core_is_done},
        {"is_cancelled", core_is_cancelled},
        {"live_count", core_live_count},
        {"sleep", core_sleep},
        {"now_ms", core_now_ms},
        {"mono_ms", core_mono_ms},
        {"mono_us", core_mono_us},
        {"set_exit_code", core_set_exit_code},
        {"exit_code", core_exit_code},
        {"exit", core_exit},
        {"is_interactive", core_is_interactive},
        {"print", core_print},
        {"trap_signals", core_trap_signals},
        {"stop_requested", core_stop_requested},
        {"request_stop", core_request_stop},
        {"set_main_task", core_set_main_task},
        {"file_mode", core_file_mode},
        {NULL, NULL},
    };
    lua_newtable(L);
    luaL_register(L, NULL, functions);
    return 1;
}
