/* Exact decimal throughput (runtime/decimal.c) beside the binary-double equivalents measured in
 * the same run — the "reference" is what a float-based bot would do (strtod, snprintf %.17g,
 * +, *, /, floor to tick), i.e. the price of exactness. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/bench_support.h"
#include "runtime/decimal.h"

#define MIN_SECONDS 0.3
#define WARMUP 1000

static volatile double sink_double;
static volatile int64_t sink_int;

static const char *const prices[] = {"105378.5", "0.000012345", "2718.2818", "-31.4159265358979", "99999999.99999999"};
static rt_decimal a, b, tick;
static char text[RT_DECIMAL_TEXT_MAX];

static int dec_parse(long i) { rt_decimal d; const char *s = prices[i % 5]; rt_decimal_parse(&d, s, strlen(s), NULL, 0); sink_int = (int64_t)d.lo;  return 0; }
static int dbl_parse(long i) { sink_double = strtod(prices[i % 5], NULL);  return 0; }
static int dec_format(long i) { (void)i; sink_int = (int64_t)rt_decimal_format(&a, text, sizeof text, -1);  return 0; }
static int dbl_format(long i) { sink_int = snprintf(text, sizeof text, "%.17g", 105378.5 + i);  return 0; }
static int dec_add(long i) { (void)i; rt_decimal r; rt_decimal_add(&r, &a, &b); sink_int = (int64_t)r.lo;  return 0; }
static int dbl_add(long i) { sink_double = 105378.5 + 0.000012345 * i;  return 0; }
static int dec_mul(long i) { (void)i; rt_decimal r; rt_decimal_mul(&r, &a, &b); sink_int = (int64_t)r.lo;  return 0; }
static int dbl_mul(long i) { sink_double = 105378.5 * (0.000012345 + i);  return 0; }
static int dec_div(long i) { (void)i; rt_decimal r; rt_decimal_div(&r, &a, &b, 8, RT_ROUND_HALF_EVEN); sink_int = (int64_t)r.lo;  return 0; }
static int dbl_div(long i) { sink_double = 105378.5 / (0.000012345 + i);  return 0; }
static int dec_quantize(long i) { (void)i; rt_decimal r; rt_decimal_quantize(&r, &a, &tick, RT_ROUND_FLOOR); sink_int = (int64_t)r.lo;  return 0; }
static int dbl_quantize(long i) { sink_double = floor((105378.57 + i) / 0.5) * 0.5;  return 0; }

int main(void) {
    rt_decimal_parse(&a, "105378.5", 8, NULL, 0);
    rt_decimal_parse(&b, "0.000012345", 11, NULL, 0);
    rt_decimal_parse(&tick, "0.5", 3, NULL, 0);
    struct { const char *label; bench_step exact, reference; } cases[] = {
        {"decimal parse", dec_parse, dbl_parse},
        {"decimal format", dec_format, dbl_format},
        {"decimal add", dec_add, dbl_add},
        {"decimal mul", dec_mul, dbl_mul},
        {"decimal div (8 places, half-even)", dec_div, dbl_div},
        {"decimal quantize to tick (floor)", dec_quantize, dbl_quantize},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        double exact = bench_rate(cases[i].exact, WARMUP, MIN_SECONDS);
        double reference = bench_rate(cases[i].reference, WARMUP, MIN_SECONDS);
        printf("%-36s exact %12.0f ops/s (%.3f us/op)   double %12.0f ops/s   ratio %.2fx\n",
               cases[i].label, exact, 1e6 / exact, reference, exact / reference);
    }
    return 0;
}
