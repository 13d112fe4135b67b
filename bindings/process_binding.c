/* "hedge.process_core": child processes on the loop (the test harness starts the venue
 * simulator this way; operators' scripts may run helpers).
 *   spawn{cmd, args = {...}, env = {"K=V", ...} (replaces the environment), cwd} -> proc | nil, err
 *   proc:read_line([timeout]) -> line | nil, err   (stdout, without the newline; "closed" at EOF)
 *   proc:write(text), proc:close_stdin(), proc:kill([signal = 15]), proc:pid()
 *   proc:wait([timeout]) -> exit_status, term_signal | nil, err
 * The child's stdin is a pipe we hold open, so a child that exits on EOF (the simulator
 * does) never outlives us; at shutdown every child still running gets SIGTERM. */
#include <lauxlib.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "bindings/errors.h"
#include "bindings/host.h"
#include "bindings/module.h"
#include "bindings/scheduler.h"

HEDGE_LUA_MODULE("hedge.process_core", luaopen_hedge_process_core)

#define PROC_METATABLE "hedge.process"
#define MAX_ARGS 64

typedef struct proc_wait proc_wait;
typedef struct lua_proc { struct child *c; } lua_proc;

typedef struct child {
    uv_process_t process;
    uv_pipe_t stdin_pipe, stdout_pipe;
    int handles_open;            /* uv handles not yet closed */
    int exited, stdout_eof, stdin_closed, owner_gone;
    int64_t exit_status;
    int term_signal;
    char *out;
    size_t out_len, out_cap;
    proc_wait *waiter;
    struct lua_proc *owner;      /* the Lua object, while it exists */
    struct child *prev, *next;
} child;

struct proc_wait {
    sched_wait wait;
    child *c;
    int for_exit, timed_out, timer_started;
    uv_timer_t timer;
};


static child *children;
static hedge_shutdown_hook hook;
static int hook_added;

static void on_child_handle_closed(uv_handle_t *h) {
    child *c = h->data;
    if (--c->handles_open == 0) {
        if (c->prev) c->prev->next = c->next; else children = c->next;
        if (c->next) c->next->prev = c->prev;
        free(c->out);
        free(c);
    }
}

static void close_child_handles(child *c) {
    if (!uv_is_closing((uv_handle_t *)&c->stdin_pipe)) uv_close((uv_handle_t *)&c->stdin_pipe, on_child_handle_closed);
    if (!uv_is_closing((uv_handle_t *)&c->stdout_pipe)) uv_close((uv_handle_t *)&c->stdout_pipe, on_child_handle_closed);
    if (!uv_is_closing((uv_handle_t *)&c->process)) uv_close((uv_handle_t *)&c->process, on_child_handle_closed);
}

/* Freed only when both the child is done (exited, output drained) and Lua let go. */
static void maybe_release(child *c) {
    if (c->owner_gone && c->exited && c->stdout_eof) close_child_handles(c);
}

/* Exit wakes a task waiting for the exit; output wakes a task waiting for a line. */
static void wake(child *c, int for_exit) {
    if (c->waiter && c->waiter->for_exit == for_exit) sched_wake(&c->waiter->wait);
}

static void on_exit_cb(uv_process_t *p, int64_t status, int sig) {
    child *c = p->data;
    c->exited = 1;
    c->exit_status = status;
    c->term_signal = sig;
    wake(c, 1);
    maybe_release(c);
}

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf) {
    child *c = h->data;
    if (c->out_len + suggested + 1 > c->out_cap) {
        size_t cap = c->out_cap ? c->out_cap : 4096;
        while (cap < c->out_len + suggested + 1) cap *= 2;
        char *grown = realloc(c->out, cap);
        if (!grown) { buf->base = NULL; buf->len = 0; return; }
        c->out = grown;
        c->out_cap = cap;
    }
    buf->base = c->out + c->out_len;
    buf->len = c->out_cap - c->out_len - 1;
}

static void on_read(uv_stream_t *s, ssize_t n, const uv_buf_t *buf) {
    (void)buf;
    child *c = s->data;
    if (n > 0) c->out_len += (size_t)n;
    else if (n < 0) { c->stdout_eof = 1; uv_read_stop(s); }
    /* A line may arrive in pieces (a child writing unbuffered stderr through 2>&1 does): the
     * reader is woken only for a whole line or the end of output, never for a fragment. */
    if (n < 0 || (c->out && memchr(c->out, '\n', c->out_len))) wake(c, 0);
    if (n < 0) maybe_release(c);
}

/* ---- waits ------------------------------------------------------------------------------------- */

static void on_wait_timer_closed(uv_handle_t *h) { free(h->data); }

static void release_wait(proc_wait *w) {
    if (w->c && w->c->waiter == w) w->c->waiter = NULL;
    if (w->timer_started) { uv_timer_stop(&w->timer); uv_close((uv_handle_t *)&w->timer, on_wait_timer_closed); }
    else free(w);
}

static void on_wait_timeout(uv_timer_t *t) {
    proc_wait *w = t->data;
    w->timed_out = 1;
    sched_wake(&w->wait);
}

static int push_line(lua_State *L, child *c) {
    char *nl = c->out ? memchr(c->out, '\n', c->out_len) : NULL;
    if (!nl) return 0;
    size_t len = (size_t)(nl - c->out);
    lua_pushlstring(L, c->out, len && c->out[len - 1] == '\r' ? len - 1 : len);
    memmove(c->out, nl + 1, c->out_len - len - 1);
    c->out_len -= len + 1;
    return 1;
}

static int wait_push(lua_State *L, sched_wait *sw) {
    proc_wait *w = (proc_wait *)sw;
    child *c = w->c;
    int timed_out = w->timed_out, for_exit = w->for_exit;
    release_wait(w);
    if (for_exit) {
        if (c->exited) {
            lua_pushinteger(L, (lua_Integer)c->exit_status);
            lua_pushinteger(L, c->term_signal);
            return 2;
        }
        return lerr_return(L, "timeout", "process.wait", "the process is still running");
    }
    if (push_line(L, c)) return 1;
    if (c->stdout_eof) {
        if (c->out_len) {   /* last line without a newline */
            lua_pushlstring(L, c->out, c->out_len);
            c->out_len = 0;
            return 1;
        }
        return lerr_return(L, "network", "process.read_line", "the process closed its output");
    }
    if (timed_out) return lerr_return(L, "timeout", "process.read_line", "no line within the timeout");
    return lerr_return(L, "network", "process.read_line", "woken without a line");
}

static void wait_abort(sched_wait *sw) { release_wait((proc_wait *)sw); }

static int park_on(lua_State *L, child *c, int for_exit, double timeout) {
    if (c->waiter) return luaL_error(L, "process: another task is already waiting on this process");
    proc_wait *w = calloc(1, sizeof *w);
    if (!w) return luaL_error(L, "out of memory");
    w->c = c;
    w->for_exit = for_exit;
    w->wait.push_results = wait_push;
    w->wait.abort = wait_abort;
    int ready = for_exit ? c->exited : (c->stdout_eof || (c->out && memchr(c->out, '\n', c->out_len)));
    if (ready) return wait_push(L, &w->wait);
    if (timeout >= 0) {
        uv_timer_init(&hedge_host_get()->loop, &w->timer);
        w->timer.data = w;
        w->timer_started = 1;
        uv_timer_start(&w->timer, on_wait_timeout, (uint64_t)(timeout * 1000.0 + 0.5), 0);
    }
    c->waiter = w;
    return sched_park(L, &w->wait);
}

/* ---- Lua --------------------------------------------------------------------------------------- */

static child *check_child(lua_State *L) {
    lua_proc *lp = luaL_checkudata(L, 1, PROC_METATABLE);
    if (!lp->c) luaL_error(L, "process: the process handle is no longer valid (shutting down)");
    return lp->c;
}

static int proc_read_line(lua_State *L) {
    child *c = check_child(L);
    double timeout = lua_isnoneornil(L, 2) ? -1 : luaL_checknumber(L, 2);
    sched_check_task(L, "process.read_line");
    return park_on(L, c, 0, timeout);
}

static int proc_wait_exit(lua_State *L) {
    child *c = check_child(L);
    double timeout = lua_isnoneornil(L, 2) ? -1 : luaL_checknumber(L, 2);
    sched_check_task(L, "process.wait");
    return park_on(L, c, 1, timeout);
}

static int proc_kill(lua_State *L) {
    child *c = check_child(L);
    int sig = (int)luaL_optinteger(L, 2, SIGTERM);
    if (!c->exited) uv_process_kill(&c->process, sig);
    return 0;
}

static void on_write_done(uv_write_t *req, int status) { (void)status; free(req); }

static int proc_write(lua_State *L) {
    child *c = check_child(L);
    size_t len;
    const char *s = luaL_checklstring(L, 2, &len);
    if (c->stdin_closed || c->exited) return lerr_return(L, "network", "process.write", "the process input is closed");
    uv_write_t *req = malloc(sizeof *req + len);
    if (!req) return luaL_error(L, "out of memory");
    char *copy = (char *)(req + 1);
    memcpy(copy, s, len);
    uv_buf_t buf = uv_buf_init(copy, (unsigned)len);
    if (uv_write(req, (uv_stream_t *)&c->stdin_pipe, &buf, 1, on_write_done) != 0) {
        free(req);
        return lerr_return(L, "network", "process.write", "cannot write to the process");
    }
    lua_pushboolean(L, 1);
    return 1;
}

static int proc_close_stdin(lua_State *L) {
    child *c = check_child(L);
    if (!c->stdin_closed) {
        c->stdin_closed = 1;
        uv_close((uv_handle_t *)&c->stdin_pipe, on_child_handle_closed);
    }
    return 0;
}

static int proc_pid(lua_State *L) {
    lua_pushinteger(L, check_child(L)->process.pid);
    return 1;
}

static int proc_gc(lua_State *L) {
    lua_proc *lp = luaL_checkudata(L, 1, PROC_METATABLE);
    child *c = lp->c;
    if (!c) return 0;
    lp->c = NULL;
    c->owner = NULL;
    c->owner_gone = 1;
    if (!c->exited) uv_process_kill(&c->process, SIGTERM);
    maybe_release(c);
    return 0;
}

static void on_shutdown(void) {
    for (child *c = children, *next; c; c = next) {
        next = c->next;
        if (!c->exited) uv_process_kill(&c->process, SIGTERM);
        if (c->waiter) { c->waiter->c = NULL; c->waiter = NULL; }
        if (c->owner) { c->owner->c = NULL; c->owner = NULL; }   /* its __gc must not touch c */
        close_child_handles(c);   /* the child struct is freed when its handles are closed */
    }
}

static int string_list(lua_State *L, int table, const char *key, char **out, int max, int first) {
    lua_getfield(L, table, key);
    int n = first;
    if (!lua_isnil(L, -1)) {
        if (!lua_istable(L, -1)) return luaL_error(L, "process.spawn: '%s' must be a list of strings", key);
        int len = (int)lua_objlen(L, -1);
        for (int i = 1; i <= len; i++) {
            lua_rawgeti(L, -1, i);
            if (!lua_isstring(L, -1)) return luaL_error(L, "process.spawn: '%s'[%d] must be a string", key, i);
            if (n >= max) return luaL_error(L, "process.spawn: too many '%s' entries", key);
            out[n++] = (char *)lua_tostring(L, -1);
            lua_pop(L, 1);   /* the string stays referenced by the table */
        }
    }
    lua_pop(L, 1);
    out[n] = NULL;
    return n;
}

static int proc_spawn(lua_State *L) {
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_getfield(L, 1, "cmd");
    const char *cmd = lua_tostring(L, -1);
    if (!cmd) return luaL_error(L, "process.spawn: 'cmd' (a string) is required");
    lua_pop(L, 1);
    char *args[MAX_ARGS + 2], *env[MAX_ARGS + 1];
    args[0] = (char *)cmd;
    string_list(L, 1, "args", args, MAX_ARGS + 1, 1);
    lua_getfield(L, 1, "env");
    int has_env = !lua_isnil(L, -1);
    lua_pop(L, 1);
    if (has_env) string_list(L, 1, "env", env, MAX_ARGS, 0);
    lua_getfield(L, 1, "cwd");
    const char *cwd = lua_tostring(L, -1);
    lua_pop(L, 1);

    child *c = calloc(1, sizeof *c);
    if (!c) return luaL_error(L, "out of memory");
    uv_loop_t *loop = &hedge_host_get()->loop;
    uv_pipe_init(loop, &c->stdin_pipe, 0);
    uv_pipe_init(loop, &c->stdout_pipe, 0);
    c->stdin_pipe.data = c->stdout_pipe.data = c->process.data = c;
    uv_stdio_container_t stdio[3];
    stdio[0].flags = UV_CREATE_PIPE | UV_READABLE_PIPE;
    stdio[0].data.stream = (uv_stream_t *)&c->stdin_pipe;
    stdio[1].flags = UV_CREATE_PIPE | UV_WRITABLE_PIPE;
    stdio[1].data.stream = (uv_stream_t *)&c->stdout_pipe;
    stdio[2].flags = UV_INHERIT_FD;
    stdio[2].data.fd = 2;
    uv_process_options_t o;
    memset(&o, 0, sizeof o);
    o.file = cmd;
    o.args = args;
    o.env = has_env ? env : NULL;
    o.cwd = cwd;
    o.exit_cb = on_exit_cb;
    o.stdio = stdio;
    o.stdio_count = 3;
    int rc = uv_spawn(loop, &c->process, &o);
    c->handles_open = 3;
    c->next = children;
    if (children) children->prev = c;
    children = c;
    if (!hook_added) { hook.before_loop_exit = on_shutdown; hedge_host_add_shutdown_hook(&hook); hook_added = 1; }
    if (rc != 0) {
        c->exited = c->stdout_eof = c->owner_gone = 1;
        close_child_handles(c);
        return lerr_return(L, "not_supported", "process.spawn", "cannot start %s: %s", cmd, uv_strerror(rc));
    }
    uv_read_start((uv_stream_t *)&c->stdout_pipe, on_alloc, on_read);
    lua_proc *lp = lua_newuserdata(L, sizeof *lp);
    lp->c = c;
    c->owner = lp;
    luaL_getmetatable(L, PROC_METATABLE);
    lua_setmetatable(L, -2);
    return 1;
}

int luaopen_hedge_process_core(lua_State *L) {
    static const luaL_Reg methods[] = {
        {"read_line", proc_read_line},
        {"wait", proc_wait_exit},
        {"kill", proc_kill},
        {"write", proc_write},
        {"close_stdin", proc_close_stdin},
        {"pid", proc_pid},
        {NULL, NULL},
    };
    if (luaL_newmetatable(L, PROC_METATABLE)) {
        lua_newtable(L);
        luaL_register(L, NULL, methods);
        lua_setfield(L, -2, "__index");
        lua_pushcfunction(L, proc_gc);
        lua_setfield(L, -2, "__gc");
    }
    lua_pop(L, 1);
    static const luaL_Reg functions[] = {{"spawn", proc_spawn}, {NULL, NULL}};
    lua_newtable(L);
    luaL_register(L, NULL, functions);
    return 1;
}
