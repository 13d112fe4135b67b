/* Exact decimal throughput (runtime/decimal.c) beside the binary-double equivalents measured in
 * the same run — the "reference" is what a float-based bot would do (strtod, snprintf %.17g,
 * +, *, /, floor to tick), i.e. the price of exactness. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/clock.h"
#include "runtime/decimal.h"

#define MIN_US 300000

static volatile double sink_double;
static volatile int64_t sink_int;

typedef void (*step_fn)(int i);

static double rate(step_fn step) {
    for (int i = 0; i < 1000; i++) step(i);
    long n = 0, batch = 10000;
    int64_t t0 = rt_clock_mono_us(), t;
    do {
        for (long i = 0; i < batch; i++) step((int)(n + i));
        n += batch;
        t = rt_clock_mono_us();
    } while (t - t0 < MIN_US);
    return (double)n / ((double)(t - t0) / 1e6);
}

static const char *const prices[] = {"105378.5", "0.000012345", "2718.2818", "-31.4159265358979", "99999999.99999999"};
static rt_decimal a, b, tick;
static char text[RT_DECIMAL_TEXT_MAX];

static void dec_parse(int i) { rt_decimal d; const char *s = prices[i % 5]; rt_decimal_parse(&d, s, strlen(s), NULL, 0); sink_int = (int64_t)d.lo; }
static void dbl_parse(int i) { sink_double = strtod(prices[i % 5], NULL); }
static void dec_format(int i) { (void)i; sink_int = (int64_t)rt_decimal_format(&a, text, sizeof text, -1); }
static void dbl_format(int i) { sink_int = snprintf(text, sizeof text, "%.17g", 105378.5 + i); }
static void dec_add(int i) { (void)i; rt_decimal r; rt_decimal_add(&r, &a, &b); sink_int = (int64_t)r.lo; }
static void dbl_add(int i) { sink_double = 105378.5 + 0.000012345 * i; }
static void dec_mul(int i) { (void)i; rt_decimal r; rt_decimal_mul(&r, &a, &b); sink_int = (int64_t)r.lo; }
static void dbl_mul(int i) { sink_double = 105378.5 * (0.000012345 + i); }
static void dec_div(int i) { (void)i; rt_decimal r; rt_decimal_div(&r, &a, &b, 8, RT_ROUND_HALF_EVEN); sink_int = (int64_t)r.lo; }
static void dbl_div(int i) { sink_double = 105378.5 / (0.000012345 + i); }
static void dec_quantize(int i) { (void)i; rt_decimal r; rt_decimal_quantize(&r, &a, &tick, RT_ROUND_FLOOR); sink_int = (int64_t)r.lo; }
static void dbl_quantize(int i) { sink_double = floor((105378.57 + i) / 0.5) * 0.5; }

int main(void) {
    rt_decimal_parse(&a, "105378.5", 8, NULL, 0);
    rt_decimal_parse(&b, "0.000012345", 11, NULL, 0);
    rt_decimal_parse(&tick, "0.5", 3, NULL, 0);
    struct { const char *label; step_fn exact, reference; } cases[] = {
        {"decimal parse", dec_parse, dbl_parse},
        {"decimal format", dec_format, dbl_format},
        {"decimal add", dec_add, dbl_add},
        {"decimal mul", dec_mul, dbl_mul},
        {"decimal div (8 places, half-even)", dec_div, dbl_div},
        {"decimal quantize to tick (floor)", dec_quantize, dbl_quantize},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        double exact = rate(cases[i].exact), reference = rate(cases[i].reference);
        printf("%-36s exact %12.0f ops/s (%.3f us/op)   double %12.0f ops/s   ratio %.2fx\n",
               cases[i].label, exact, 1e6 / exact, reference, exact / reference);
    }
    return 0;
}
