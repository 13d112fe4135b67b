#include "runtime/clock.h"

#include <time.h>

static int64_t (*injected_now)(void *ctx);
static void *injected_ctx;

int64_t rt_clock_now_ms(void) {
    if (injected_now) return injected_now(injected_ctx);
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t rt_clock_mono_us(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int64_t rt_clock_mono_ms(void) { return rt_clock_mono_us() / 1000; }

void rt_clock_set_wall(int64_t (*now_ms)(void *ctx), void *ctx) {
    injected_now = now_ms;
    injected_ctx = ctx;
}
