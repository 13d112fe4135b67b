/* The timing loop and the output line every C benchmark in bench/ shares.
 *
 * bench_rate runs a step a few times to warm caches, then in rounds that double in size until
 * a minimum wall time has passed; it stops doubling once a round takes an eighth of a slice,
 * so a slow step (an fsync) and a fast one (a decimal add) both end close to the minimum and
 * the clock is read rarely enough not to count. The result is operations per second on the
 * monotonic clock, from the best of five slices of that time. A step returns 0, or non-zero to
 * abort the benchmark (a failure is never timed as if it were work).
 *
 * Output lines are "label: N ops/s (X us/op)", the format bench/run pairs with the reference
 * scripts (bench/ref_*.mjs). BENCH_SECONDS in the environment overrides every minimum time
 * (e.g. 0.05 for a quick smoke run). */
#ifndef HEDGE_BENCH_SUPPORT_H
#define HEDGE_BENCH_SUPPORT_H

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

typedef int (*bench_step)(long i);

static inline double bench_now_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static inline double bench_min_seconds(double wanted) {
    const char *override = getenv("BENCH_SECONDS");
    double seconds = override ? strtod(override, NULL) : 0;
    return seconds > 0 ? seconds : wanted;
}

/* Operations per second of step, or -1 when a step failed. The time is split into
 * BENCH_SLICES slices and the best slice counts: on a shared machine a slice that another
 * process interrupted is slower, never faster, so the best one is the step's own speed. */
#define BENCH_SLICES 5

static inline double bench_rate(bench_step step, long warmup, double min_seconds) {
    min_seconds = bench_min_seconds(min_seconds);
    for (long i = 0; i < warmup; i++)
        if (step(i) != 0) return -1;
    double slice_seconds = min_seconds / BENCH_SLICES, best = 0;
    long done = 0, round = 1;
    int growing = 1;
    for (int slice = 0; slice < BENCH_SLICES; slice++) {
        long slice_done = 0;
        double start = bench_now_seconds(), elapsed = 0;
        while (elapsed < slice_seconds) {
            double round_start = bench_now_seconds();
            for (long i = 0; i < round; i++)
                if (step(warmup + done + i) != 0) return -1;
            done += round;
            slice_done += round;
            double now = bench_now_seconds();
            elapsed = now - start;
            if (growing && now - round_start < slice_seconds / 8) round *= 2;
            else growing = 0;
        }
        double rate = (double)slice_done / elapsed;
        if (rate > best) best = rate;
    }
    return best;
}

static inline void bench_report(const char *label, double per_second) {
    printf("%s: %.0f ops/s (%.2f us/op)\n", label, per_second, 1e6 / per_second);
    fflush(stdout);
}

/* bench_rate + bench_report; returns 0, or -1 (with a message on stderr) when a step failed. */
static inline int bench_run(const char *label, bench_step step, long warmup, double min_seconds) {
    double per_second = bench_rate(step, warmup, min_seconds);
    if (per_second < 0) {
        fprintf(stderr, "%s: step failed\n", label);
        return -1;
    }
    bench_report(label, per_second);
    return 0;
}

#endif
