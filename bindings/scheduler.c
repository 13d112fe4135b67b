/* The task scheduler: see scheduler.h for the model. Everything here runs on the loop
 * thread. Tasks are resumed only from the drain callback (a uv_idle handle that is active
 * only while tasks are queued), so no Lua ever runs inside a curl, lws or libuv I/O
 * callback, and a wake-up that arrives while Lua is running is simply queued. */
#include "bindings/scheduler.h"

#include <lauxlib.h>
#include <stdio.h>
#include <stdlib.h>

#include "bindings/errors.h"
#include "runtime/log.h"

#define TASK_METATABLE "hedge.task"

typedef enum task_state {
    TASK_QUEUED,       /* in the ready queue, will be resumed with resume_kind */
    TASK_RUNNING,
    TASK_PARKED_C,     /* waiting on a C operation (task->wait) */
    TASK_PARKED_LUA,   /* waiting for sched_wake_lua */
    TASK_DONE
} task_state;

typedef enum resume_kind {
    RESUME_START,      /* first run: the body and its arguments are on the task's stack */
    RESUME_WAIT,       /* a C operation completed: push_results supplies the values */
    RESUME_VALUES,     /* values already moved onto the task's stack (resume_nargs) */
    RESUME_CANCELLED   /* resume the wait with nil, {kind="cancelled"} */
} resume_kind;

struct sched_task {
    lua_State *co;
    int thread_ref;    /* registry anchors while the task lives */
    int self_ref;
    int id;
    task_state state;
    resume_kind resume_kind;
    int resume_nargs;
    int cancelled;
    sched_wait *wait;
    sched_task *queue_next;
    sched_task *live_prev, *live_next;   /* every task not yet done, for shutdown */
};

static struct {
    lua_State *L;
    uv_loop_t *loop;
    uv_idle_t drain;
    int drain_active;
    sched_task *queue_head, *queue_tail;
    sched_task *running;
    sched_task *live_head;
    int live;
    int next_id;
    void (*on_idle)(void *ctx);
    void *on_idle_ctx;
} sched;

static void on_drain(uv_idle_t *handle);

static void enqueue(sched_task *t, resume_kind kind, int nargs) {
    t->state = TASK_QUEUED;
    t->resume_kind = kind;
    t->resume_nargs = nargs;
    t->queue_next = NULL;
    if (sched.queue_tail) sched.queue_tail->queue_next = t; else sched.queue_head = t;
    sched.queue_tail = t;
    if (!sched.drain_active) {
        uv_idle_start(&sched.drain, on_drain);
        sched.drain_active = 1;
    }
}

void sched_push_cancelled(lua_State *L) {
    lerr_push(L, "cancelled", NULL, "the task was cancelled");
}

static void unlink_live(sched_task *t) {
    if (t->live_prev) t->live_prev->live_next = t->live_next; else sched.live_head = t->live_next;
    if (t->live_next) t->live_next->live_prev = t->live_prev;
    t->live_prev = t->live_next = NULL;
}

static void finish_task(sched_task *t) {
    t->state = TASK_DONE;
    unlink_live(t);
    lua_settop(t->co, 0);
    luaL_unref(sched.L, LUA_REGISTRYINDEX, t->thread_ref);
    t->thread_ref = LUA_NOREF;
    t->co = NULL;
    luaL_unref(sched.L, LUA_REGISTRYINDEX, t->self_ref);   /* the handle lives on while Lua holds it */
    t->self_ref = LUA_NOREF;
    sched.live--;
    if (sched.live == 0 && sched.on_idle) sched.on_idle(sched.on_idle_ctx);
}

static void resume_task(sched_task *t) {
    lua_State *co = t->co;
    int nargs;
    switch (t->resume_kind) {
    case RESUME_START:
        nargs = t->resume_nargs;
        break;
    case RESUME_WAIT: {
        sched_wait *w = t->wait;
        t->wait = NULL;
        lua_settop(co, 0);
        nargs = w->push_results(co, w);
        break;
    }
    case RESUME_VALUES:
        nargs = t->resume_nargs;
        break;
    case RESUME_CANCELLED:
    default:
        lua_settop(co, 0);
        lua_pushnil(co);
        sched_push_cancelled(co);
        nargs = 2;
        break;
    }
    t->state = TASK_RUNNING;
    sched.running = t;
    int status = lua_resume(co, nargs);
    sched.running = NULL;
    if (status == LUA_YIELD) {
        if (t->state == TASK_RUNNING) {
            /* A plain coroutine.yield() from the task body: let the others run, then continue. */
            lua_settop(co, 0);
            enqueue(t, RESUME_VALUES, 0);
        }
        return;
    }
    if (status != 0) {
        /* The Lua layer runs bodies under xpcall, so this is an error in that machinery. */
        const char *msg = lua_tostring(co, -1);
        rt_log(RT_LOG_ERROR, "scheduler", "task %d failed outside its error handler: %s", t->id, msg ? msg : "(non-string error)");
    }
    finish_task(t);
}

static void on_drain(uv_idle_t *handle) {
    (void)handle;
    /* Resume only what was queued before this pass, so tasks that keep re-queueing
     * themselves cannot starve I/O. */
    sched_task *t = sched.queue_head;
    sched_task *last = sched.queue_tail;
    sched.queue_head = sched.queue_tail = NULL;
    while (t) {
        sched_task *next = t->queue_next;
        int was_last = t == last;
        t->queue_next = NULL;
        resume_task(t);
        if (was_last) break;
        t = next;
    }
    if (!sched.queue_head) {
        uv_idle_stop(&sched.drain);
        sched.drain_active = 0;
    }
}

static int task_tostring(lua_State *L) {
    sched_task *t = luaL_checkudata(L, 1, TASK_METATABLE);
    lua_pushfstring(L, "task %d", t->id);
    return 1;
}

void sched_init(lua_State *L, uv_loop_t *loop) {
    sched.L = L;
    sched.loop = loop;
    uv_idle_init(loop, &sched.drain);
    sched.next_id = 1;
    luaL_newmetatable(L, TASK_METATABLE);
    lua_pushcfunction(L, task_tostring);
    lua_setfield(L, -2, "__tostring");
    lua_pop(L, 1);
}

static void on_drain_closed(uv_handle_t *h) { (void)h; }

/* Releases the operations of tasks that will never run again (the process is exiting with
 * tasks still alive): parked operations are aborted, completed ones have their results
 * pushed and dropped, so nothing is leaked. Lua state is closed afterwards by the host. */
void sched_close(void) {
    for (sched_task *t = sched.live_head; t; t = t->live_next) {
        if (t->state == TASK_PARKED_C && t->wait) {
            sched_wait *w = t->wait;
            t->wait = NULL;
            w->abort(w);
        } else if (t->state == TASK_QUEUED && t->resume_kind == RESUME_WAIT && t->wait) {
            sched_wait *w = t->wait;
            t->wait = NULL;
            w->push_results(t->co, w);
            lua_settop(t->co, 0);
        }
        t->state = TASK_DONE;
    }
    sched.queue_head = sched.queue_tail = NULL;
    uv_idle_stop(&sched.drain);
    uv_close((uv_handle_t *)&sched.drain, on_drain_closed);
}

sched_task *sched_spawn(lua_State *L, int nargs) {
    lua_State *co = lua_newthread(L);
    int thread_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    lua_xmove(L, co, nargs + 1);
    sched_task *t = lua_newuserdata(L, sizeof *t);
    t->co = co;
    t->thread_ref = thread_ref;
    t->id = sched.next_id++;
    t->cancelled = 0;
    t->wait = NULL;
    t->queue_next = NULL;
    t->live_prev = NULL;
    t->live_next = sched.live_head;
    if (sched.live_head) sched.live_head->live_prev = t;
    sched.live_head = t;
    luaL_getmetatable(L, TASK_METATABLE);
    lua_setmetatable(L, -2);
    lua_pushvalue(L, -1);
    t->self_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    sched.live++;
    enqueue(t, RESUME_START, nargs);
    return t;
}

sched_task *sched_task_of(lua_State *L) {
    return sched.running && sched.running->co == L ? sched.running : NULL;
}

sched_task *sched_check_task(lua_State *L, const char *what) {
    sched_task *t = sched_task_of(L);
    if (!t) luaL_error(L, "%s: can only wait inside a hedge task (not in a coroutine of your own)", what);
    return t;
}

int sched_park(lua_State *L, sched_wait *wait) {
    sched_task *t = sched_check_task(L, "wait");
    if (t->cancelled) {
        /* Sticky cancellation: do not wait at all. */
        wait->abort(wait);
        lua_pushnil(L);
        sched_push_cancelled(L);
        return 2;
    }
    wait->task = t;
    t->wait = wait;
    t->state = TASK_PARKED_C;
    return lua_yield(L, 0);
}

void sched_wake(sched_wait *wait) {
    sched_task *t = wait->task;
    if (!t || t->state != TASK_PARKED_C || t->wait != wait) return;
    enqueue(t, RESUME_WAIT, 0);
}

int sched_park_lua(lua_State *L) {
    sched_task *t = sched_check_task(L, "park");
    if (t->cancelled) {
        lua_pushnil(L);
        sched_push_cancelled(L);
        return 2;
    }
    t->state = TASK_PARKED_LUA;
    return lua_yield(L, 0);
}

int sched_wake_lua(sched_task *t, lua_State *from, int nvalues) {
    if (t->state != TASK_PARKED_LUA) return 0;
    lua_settop(t->co, 0);
    lua_xmove(from, t->co, nvalues);
    enqueue(t, RESUME_VALUES, nvalues);
    return 1;
}

void sched_cancel(sched_task *t) {
    if (t->state == TASK_DONE) return;
    t->cancelled = 1;
    if (t->state == TASK_PARKED_C) {
        sched_wait *w = t->wait;
        t->wait = NULL;
        w->abort(w);
        enqueue(t, RESUME_CANCELLED, 0);
    } else if (t->state == TASK_PARKED_LUA) {
        enqueue(t, RESUME_CANCELLED, 0);
    }
    /* Queued or running: the flag makes its next wait fail at once. */
}

int sched_task_id(const sched_task *t) { return t->id; }
int sched_task_is_done(const sched_task *t) { return t->state == TASK_DONE; }
int sched_task_is_cancelled(const sched_task *t) { return t->cancelled; }

sched_task *sched_check_handle(lua_State *L, int index) {
    return luaL_checkudata(L, index, TASK_METATABLE);
}

void sched_push_handle(lua_State *L, sched_task *t) {
    lua_rawgeti(L, LUA_REGISTRYINDEX, t->self_ref);
}

int sched_live_count(void) { return sched.live; }

void sched_on_idle(void (*fn)(void *ctx), void *ctx) {
    sched.on_idle = fn;
    sched.on_idle_ctx = ctx;
}
