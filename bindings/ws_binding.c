/* "hedge.ws_core": WebSocket connections for Lua (the user-facing module is hedge.ws).
 *   connect(url, {headers, timeout, ping_interval, pong_timeout, ca_file}) -> conn | nil, err
 *   conn:send(text [, binary]) -> true | nil, err
 *   conn:recv([timeout]) -> message, is_binary | nil, err   (err.kind "timeout": still open;
 *                          "network": closed, with err.close_code when the peer sent one)
 *   conn:close([code [, reason]]), conn:is_open()
 * Incoming messages are queued in C as they arrive, so nothing is lost between two recv
 * calls; one task at a time may wait in recv. */
#include <lauxlib.h>
#include <stdlib.h>
#include <string.h>

#include "bindings/errors.h"
#include "bindings/host.h"
#include "bindings/module.h"
#include "bindings/scheduler.h"
#include "runtime/ws.h"

HEDGE_LUA_MODULE("hedge.ws_core", luaopen_hedge_ws_core)

#define CONN_METATABLE "hedge.ws.conn"
#define MAX_HEADERS 32
#define DEFAULT_CONNECT_TIMEOUT_S 10.0

typedef struct queued_message {
    struct queued_message *next;
    size_t len;
    int binary;
    char data[];
} queued_message;

typedef struct ws_wait ws_wait;

typedef struct lua_conn {
    rt_ws_conn *conn;                 /* NULL once released */
    char *url;
    int open, closed, close_kind, close_code;
    char close_reason[128];
    queued_message *head, *tail;
    size_t queued;
    ws_wait *waiter;                  /* the connect or recv in progress */
} lua_conn;

struct ws_wait {
    sched_wait wait;
    lua_conn *lc;
    uv_timer_t timer;
    int timer_started, timed_out, is_connect, anchor_ref;
};

static rt_ws_context *context;
static hedge_shutdown_hook shutdown_hook;

/* ---- waits ------------------------------------------------------------------------------- */

static void on_wait_timer_closed(uv_handle_t *h) { free(h->data); }

static void release_wait(ws_wait *w) {
    if (w->lc && w->lc->waiter == w) w->lc->waiter = NULL;
    if (w->timer_started) {
        uv_timer_stop(&w->timer);
        uv_close((uv_handle_t *)&w->timer, on_wait_timer_closed);
    } else {
        free(w);
    }
}

static void on_wait_timeout(uv_timer_t *t) {
    ws_wait *w = t->data;
    w->timed_out = 1;
    sched_wake(&w->wait);
}

static void wake_waiter(lua_conn *lc) {
    if (lc->waiter) sched_wake(&lc->waiter->wait);
}

static void push_closed_error(lua_State *L, lua_conn *lc, const char *op) {
    if (lc->close_kind == RT_WS_CLOSED_TIMEOUT)
        lerr_push(L, "network", op, "%s: the server stopped answering pings", lc->url);
    else if (lc->close_code)
        lerr_push(L, "network", op, "%s: closed (%d%s%s)", lc->url, lc->close_code, lc->close_reason[0] ? " " : "", lc->close_reason);
    else
        lerr_push(L, "network", op, "%s: %s", lc->url, lc->close_reason[0] ? lc->close_reason : "connection closed");
    if (lc->close_code) lerr_set_number(L, "close_code", lc->close_code);
}

static int recv_push(lua_State *L, sched_wait *sw) {
    ws_wait *w = (ws_wait *)sw;
    lua_conn *lc = w->lc;
    int timed_out = w->timed_out;
    release_wait(w);
    if (lc->head) {
        queued_message *m = lc->head;
        lc->head = m->next;
        if (!lc->head) lc->tail = NULL;
        lc->queued--;
        lua_pushlstring(L, m->data, m->len);
        lua_pushboolean(L, m->binary);
        free(m);
        return 2;
    }
    lua_pushnil(L);
    if (lc->closed) push_closed_error(L, lc, "ws.recv");
    else if (timed_out) lerr_push(L, "timeout", "ws.recv", "no message within the timeout");
    else lerr_push(L, "network", "ws.recv", "woken without a message");
    return 2;
}

static void wait_abort(sched_wait *sw) {
    ws_wait *w = (ws_wait *)sw;
    if (w->is_connect) {
        /* Cancelled while connecting: give the connection up. */
        lua_conn *lc = w->lc;
        if (lc->conn) { rt_ws_release(lc->conn); lc->conn = NULL; }
        luaL_unref(hedge_host_get()->L, LUA_REGISTRYINDEX, w->anchor_ref);
    }
    release_wait(w);
}

static int connect_push(lua_State *L, sched_wait *sw) {
    ws_wait *w = (ws_wait *)sw;
    lua_conn *lc = w->lc;
    int timed_out = w->timed_out;
    int anchor = w->anchor_ref;
    release_wait(w);
    if (lc->open) {
        lua_rawgeti(L, LUA_REGISTRYINDEX, anchor);
        luaL_unref(L, LUA_REGISTRYINDEX, anchor);
        return 1;
    }
    luaL_unref(L, LUA_REGISTRYINDEX, anchor);
    if (lc->conn) { rt_ws_release(lc->conn); lc->conn = NULL; }
    lua_pushnil(L);
    if (timed_out && !lc->closed) lerr_push(L, "timeout", "ws.connect", "%s: not connected within the timeout", lc->url);
    else push_closed_error(L, lc, "ws.connect");
    return 2;
}

/* ---- events from runtime/ws.c (never run Lua) ----------------------------------------------- */

static void on_open(rt_ws_conn *conn, void *user) {
    lua_conn *lc = user;
    lc->open = 1;
    wake_waiter(lc);
}

static void on_message(rt_ws_conn *conn, const char *data, size_t len, int binary, void *user) {
    lua_conn *lc = user;
    queued_message *m = malloc(sizeof *m + len);
    if (!m) return;
    m->next = NULL;
    m->len = len;
    m->binary = binary;
    memcpy(m->data, data, len);
    if (lc->tail) lc->tail->next = m; else lc->head = m;
    lc->tail = m;
    lc->queued++;
    wake_waiter(lc);
}

static void on_close(rt_ws_conn *conn, rt_ws_close_kind kind, int code, const char *reason, void *user) {
    lua_conn *lc = user;
    lc->open = 0;
    lc->closed = 1;
    lc->close_kind = (int)kind;
    lc->close_code = code;
    snprintf(lc->close_reason, sizeof lc->close_reason, "%s", reason);
    wake_waiter(lc);
}

static const rt_ws_events events = {on_open, on_message, on_close};

/* ---- shutdown ------------------------------------------------------------------------------ */

static void ws_before_exit(void) {
    if (context) rt_ws_context_shutdown(context);
}

static void ws_after_exit(void) {
    if (context) rt_ws_context_free(context);
    context = NULL;
}

static rt_ws_context *get_context(lua_State *L, const char *ca_file) {
    if (!context) {
        char err[256];
        context = rt_ws_context_new(&hedge_host_get()->loop, ca_file, err, sizeof err);
        if (!context) { lerr_push(L, "network", "ws.connect", "%s", err); return NULL; }
        shutdown_hook.before_loop_exit = ws_before_exit;
        shutdown_hook.after_loop_exit = ws_after_exit;
        hedge_host_add_shutdown_hook(&shutdown_hook);
        return context;
    }
    const char *have = rt_ws_context_ca_file(context);
    if ((ca_file || have) && (!ca_file || !have || strcmp(ca_file, have) != 0)) {
        lerr_push(L, "bad_request", "ws.connect", "all WebSocket connections of a process must use the same ca_file");
        return NULL;
    }
    return context;
}

/* ---- Lua functions ---------------------------------------------------------------------------- */

static lua_conn *check_conn(lua_State *L) { return luaL_checkudata(L, 1, CONN_METATABLE); }

static double opt_seconds(lua_State *L, int opts, const char *key, double def) {
    if (opts == 0) return def;
    lua_getfield(L, opts, key);
    double v = def;
    if (!lua_isnil(L, -1)) {
        if (lua_type(L, -1) != LUA_TNUMBER) luaL_error(L, "ws.connect: '%s' must be a number of seconds", key);
        v = lua_tonumber(L, -1);
        if (!(v > 0) || v > 86400) luaL_error(L, "ws.connect: '%s' must be between 0 and 86400 seconds", key);
    }
    lua_pop(L, 1);
    return v;
}

static int ws_connect(lua_State *L) {
    const char *url = luaL_checkstring(L, 1);
    int opts = 0;
    if (!lua_isnoneornil(L, 2)) { luaL_checktype(L, 2, LUA_TTABLE); opts = 2; }
    sched_check_task(L, "ws.connect");
    static const char *const known[] = {"headers", "timeout", "ping_interval", "pong_timeout", "ca_file", NULL};
    if (opts) {
        lua_pushnil(L);
        while (lua_next(L, opts) != 0) {
            lua_pop(L, 1);
            int ok = 0;
            if (lua_type(L, -1) == LUA_TSTRING)
                for (int i = 0; known[i]; i++) if (strcmp(known[i], lua_tostring(L, -1)) == 0) ok = 1;
            if (!ok) return luaL_error(L, "ws.connect: unknown option '%s'", lua_tostring(L, -1) ? lua_tostring(L, -1) : "?");
        }
    }
    double timeout = opt_seconds(L, opts, "timeout", DEFAULT_CONNECT_TIMEOUT_S);
    rt_ws_options o;
    memset(&o, 0, sizeof o);
    o.ping_interval_s = (int)opt_seconds(L, opts, "ping_interval", 0);
    o.pong_timeout_s = (int)opt_seconds(L, opts, "pong_timeout", 0);
    const char *ca_file = NULL;
    const char *headers[MAX_HEADERS + 1];
    int nheaders = 0;
    lua_newtable(L);
    int anchor = lua_gettop(L);
    if (opts) {
        lua_getfield(L, opts, "ca_file");
        if (!lua_isnil(L, -1)) ca_file = luaL_checkstring(L, -1);
        lua_rawseti(L, anchor, 0);
        lua_getfield(L, opts, "headers");
        int hi = lua_gettop(L);
        if (!lua_isnil(L, -1)) {
            luaL_checktype(L, hi, LUA_TTABLE);
            lua_pushnil(L);
            while (lua_next(L, hi) != 0) {
                if (nheaders == MAX_HEADERS) return luaL_error(L, "ws.connect: too many headers");
                if (lua_type(L, -2) == LUA_TSTRING && lua_isstring(L, -1))
                    lua_pushfstring(L, "%s: %s", lua_tostring(L, -2), lua_tostring(L, -1));
                else if (lua_type(L, -2) == LUA_TNUMBER && lua_type(L, -1) == LUA_TSTRING)
                    lua_pushvalue(L, -1);
                else
                    return luaL_error(L, "ws.connect: headers must map names to strings");
                headers[nheaders++] = lua_tostring(L, -1);
                lua_rawseti(L, anchor, nheaders);
                lua_pop(L, 1);
            }
        }
    }
    headers[nheaders] = NULL;
    o.headers = headers;
    rt_ws_context *ctx = get_context(L, ca_file);
    if (!ctx) { lua_pushnil(L); lua_insert(L, -2); return 2; }

    lua_conn *lc = lua_newuserdata(L, sizeof *lc);
    memset(lc, 0, sizeof *lc);
    luaL_getmetatable(L, CONN_METATABLE);
    lua_setmetatable(L, -2);
    lc->url = strdup(url);
    char err[256];
    lc->conn = rt_ws_connect(ctx, url, &o, &events, lc, err, sizeof err);
    if (!lc->conn) return lerr_return(L, "bad_request", "ws.connect", "%s: %s", url, err);
    ws_wait *w = calloc(1, sizeof *w);
    if (!w) return luaL_error(L, "out of memory");
    w->lc = lc;
    w->is_connect = 1;
    w->wait.push_results = connect_push;
    w->wait.abort = wait_abort;
    w->anchor_ref = luaL_ref(L, LUA_REGISTRYINDEX);    /* pops the userdata; keeps it alive */
    uv_timer_init(&hedge_host_get()->loop, &w->timer);
    w->timer.data = w;
    w->timer_started = 1;
    uv_timer_start(&w->timer, on_wait_timeout, (uint64_t)(timeout * 1000.0 + 0.5), 0);
    lc->waiter = w;
    return sched_park(L, &w->wait);
}

static int conn_send(lua_State *L) {
    lua_conn *lc = check_conn(L);
    size_t len;
    const char *data = luaL_checklstring(L, 2, &len);
    int binary = lua_toboolean(L, 3);
    if (!lc->conn || !lc->open) {
        lua_pushnil(L);
        if (lc->closed) push_closed_error(L, lc, "ws.send");
        else lerr_push(L, "network", "ws.send", "%s: not open", lc->url ? lc->url : "?");
        return 2;
    }
    if (rt_ws_send(lc->conn, data, len, binary) != 0) return lerr_return(L, "network", "ws.send", "%s: cannot queue the message", lc->url);
    lua_pushboolean(L, 1);
    return 1;
}

static int conn_recv(lua_State *L) {
    lua_conn *lc = check_conn(L);
    double timeout = luaL_optnumber(L, 2, -1);
    if (lua_gettop(L) >= 2 && !lua_isnil(L, 2) && !(timeout >= 0)) return luaL_argerror(L, 2, "timeout must be a number of seconds >= 0");
    sched_check_task(L, "ws.recv");
    if (lc->waiter) return luaL_error(L, "ws.recv: another task is already waiting on this connection");
    ws_wait *w = calloc(1, sizeof *w);
    if (!w) return luaL_error(L, "out of memory");
    w->lc = lc;
    w->wait.push_results = recv_push;
    w->wait.abort = wait_abort;
    if (lc->head || lc->closed) {
        /* Nothing to wait for: answer at once without leaving the task. */
        return recv_push(L, &w->wait);
    }
    if (timeout >= 0) {
        uv_timer_init(&hedge_host_get()->loop, &w->timer);
        w->timer.data = w;
        w->timer_started = 1;
        uv_timer_start(&w->timer, on_wait_timeout, (uint64_t)(timeout * 1000.0 + 0.5), 0);
    }
    lc->waiter = w;
    return sched_park(L, &w->wait);
}

static int conn_close(lua_State *L) {
    lua_conn *lc = check_conn(L);
    int code = (int)luaL_optinteger(L, 2, 1000);
    const char *reason = luaL_optstring(L, 3, "");
    if (code < 1000 || code > 4999) return luaL_argerror(L, 2, "close code must be 1000..4999");
    if (lc->conn && !lc->closed) rt_ws_close(lc->conn, code, reason);
    return 0;
}

static int conn_is_open(lua_State *L) {
    lua_pushboolean(L, check_conn(L)->open);
    return 1;
}

static int conn_pending(lua_State *L) {
    lua_pushinteger(L, (lua_Integer)check_conn(L)->queued);
    return 1;
}

static int conn_gc(lua_State *L) {
    lua_conn *lc = luaL_checkudata(L, 1, CONN_METATABLE);
    if (lc->conn) { rt_ws_release(lc->conn); lc->conn = NULL; }
    while (lc->head) { queued_message *m = lc->head; lc->head = m->next; free(m); }
    lc->tail = NULL;
    free(lc->url);
    lc->url = NULL;
    return 0;
}

static int conn_tostring(lua_State *L) {
    lua_conn *lc = check_conn(L);
    lua_pushfstring(L, "ws %s (%s)", lc->url ? lc->url : "?", lc->open ? "open" : lc->closed ? "closed" : "connecting");
    return 1;
}

int luaopen_hedge_ws_core(lua_State *L) {
    static const luaL_Reg methods[] = {
        {"send", conn_send},
        {"recv", conn_recv},
        {"close", conn_close},
        {"is_open", conn_is_open},
        {"pending", conn_pending},
        {NULL, NULL},
    };
    static const luaL_Reg functions[] = {
        {"connect", ws_connect},
        {NULL, NULL},
    };
    if (luaL_newmetatable(L, CONN_METATABLE)) {
        lua_newtable(L);
        luaL_register(L, NULL, methods);
        lua_setfield(L, -2, "__index");
        lua_pushcfunction(L, conn_gc);
        lua_setfield(L, -2, "__gc");
        lua_pushcfunction(L, conn_tostring);
        lua_setfield(L, -2, "__tostring");
    }
    lua_pop(L, 1);
    lua_newtable(L);
    luaL_register(L, NULL, functions);
    return 1;
}
