/* Tasks: Lua coroutines owned by the scheduler and resumed from the libuv loop.
 *
 * A C function that waits (HTTP, WebSocket receive, sleep, child process) starts its
 * operation, then `return sched_park(L, &op->wait)`: the task yields to the loop. When the
 * operation completes, C code calls sched_wake(&op->wait); that only queues the task. The
 * scheduler resumes queued tasks in FIFO order from a loop callback, calling the wait's
 * push_results on the task's stack first: those values become the C function's results.
 * C callbacks therefore never run Lua.
 *
 * Cancellation: sched_cancel marks a task; if it is parked, the wait's abort stops the
 * operation (it must not wake the task afterwards) and the task resumes with
 * (nil, {kind="cancelled"}). Cancellation is sticky: every later wait returns the same at
 * once, and the Lua layer turns it into an error that unwinds the task. */
#ifndef HEDGE_BINDINGS_SCHEDULER_H
#define HEDGE_BINDINGS_SCHEDULER_H

#include <lua.h>
#include <stdint.h>
#include <uv.h>

typedef struct sched_task sched_task;
typedef struct sched_wait sched_wait;

struct sched_wait {
    sched_task *task;                                /* set by sched_park */
    /* Pushes the results onto the task's stack and returns how many. The wait may free
     * its operation here: the scheduler does not touch it afterwards. */
    int (*push_results)(lua_State *task_state, sched_wait *wait);
    /* Stops the operation because the task was cancelled; frees it. Never wakes the task. */
    void (*abort)(sched_wait *wait);
};

void sched_init(lua_State *L, uv_loop_t *loop);
void sched_close(void);

/* Spawns fn (at the top of L's stack, followed by nargs arguments, all popped) as a new
 * task, started from the queue. Pushes the task's handle (a userdata) onto L. */
sched_task *sched_spawn(lua_State *L, int nargs);

/* The task running L, or NULL when L is not a scheduler-owned coroutine. */
sched_task *sched_task_of(lua_State *L);
/* Raises a Lua error unless L is a scheduler task that may wait. */
sched_task *sched_check_task(lua_State *L, const char *what);

int sched_park(lua_State *L, sched_wait *wait);     /* use as: return sched_park(L, w); */
void sched_wake(sched_wait *wait);

/* Lua-level park/wake, for synchronisation written in Lua (join, events, channels). */
int sched_park_lua(lua_State *L);                    /* return sched_park_lua(L); */
int sched_wake_lua(sched_task *task, lua_State *from, int nvalues);   /* 1 if woken */

void sched_cancel(sched_task *task);
int sched_task_id(const sched_task *task);
int sched_task_is_done(const sched_task *task);
int sched_task_is_cancelled(const sched_task *task);
sched_task *sched_check_handle(lua_State *L, int index);   /* raises unless a task handle */
void sched_push_handle(lua_State *L, sched_task *task);     /* only while the task lives */

/* Number of tasks that have not finished. */
int sched_live_count(void);
/* Called (from the loop) whenever the last live task finishes. */
void sched_on_idle(void (*fn)(void *ctx), void *ctx);

/* Pushes a cancelled error table. */
void sched_push_cancelled(lua_State *L);
#endif
