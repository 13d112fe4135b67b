/* Time for the runtime: wall-clock milliseconds (injectable, so tests can pin "now") and a
 * monotonic clock for deadlines, which no injected clock ever moves. */
#ifndef HEDGE_RUNTIME_CLOCK_H
#define HEDGE_RUNTIME_CLOCK_H
#include <stdint.h>

int64_t rt_clock_now_ms(void);          /* Unix epoch ms, or the injected clock's value */
int64_t rt_clock_mono_ms(void);         /* monotonic, arbitrary origin */
int64_t rt_clock_mono_us(void);

/* Replaces the wall clock (NULL restores the real one). For tests and simulations. */
void rt_clock_set_wall(int64_t (*now_ms)(void *ctx), void *ctx);
#endif
