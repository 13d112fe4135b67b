/* libFuzzer target: exact decimals (runtime/decimal*.c) — parsing, formatting and arithmetic.
 *
 * Input: one byte choosing the rounding mode, then text "A" or "A|B". Checked for every A (and
 * B) that parses:
 *   - failures name the problem; the value is in range (|mantissa| < 10^38, scale 0..38);
 *   - formatting round-trips: parse(format(a, a.scale)) is a bit for bit, the shortest form
 *     compares equal;
 *   - the nearest double equals glibc strtod of the same text (an independent, correctly
 *     rounded reader), and from_double(that double) reads back to the same double;
 * and for a pair:
 *   - a + b - b == a, a - b == -(b - a), (a * b) / b == a exactly;
 *   - rescale: floor <= a <= ceil, the two at most one unit apart, every mode in between;
 *   - quantize to |b|: a multiple of |b|, floor <= a <= ceil, to_units agrees with it;
 *   - cmp is antisymmetric and agrees with the sign of a - b.
 * Any overflow must be reported as RT_DECIMAL_OVERFLOW, never wrap. */
#include <math.h>

#include "tests/fuzz/fuzz.h"

#define TEXT_CAP 160

static void check_range(const rt_decimal *d, const char *who) {
    char text[RT_DECIMAL_TEXT_MAX];
    FUZZ_CHECK(d->scale >= 0 && d->scale <= RT_DECIMAL_MAX_SCALE && d->reserved == 0, "%s: scale %d", who,
               (int)d->scale);
    FUZZ_CHECK(rt_decimal_format(d, text, sizeof text, -1) > 0, "%s: a result that cannot be printed", who);
}

static int equal(const rt_decimal *a, const rt_decimal *b) { return rt_decimal_cmp(a, b) == 0; }

static void check_text_round_trip(const rt_decimal *a, const char *text, size_t length) {
    char printed[RT_DECIMAL_TEXT_MAX], err[128];
    rt_decimal back;
    size_t n = rt_decimal_format(a, printed, sizeof printed, a->scale);
    FUZZ_CHECK(n > 0 && n < sizeof printed, "format failed");
    int status = rt_decimal_parse(&back, printed, n, err, sizeof err);
    FUZZ_CHECK(status == RT_DECIMAL_OK, "cannot parse its own output \"%s\": %s", printed, err);
    FUZZ_CHECK(back.lo == a->lo && back.hi == a->hi && back.scale == a->scale, "\"%s\" did not read back exactly",
               printed);
    n = rt_decimal_format(a, printed, sizeof printed, -1);
    FUZZ_CHECK(n > 0 && rt_decimal_parse(&back, printed, n, NULL, 0) == RT_DECIMAL_OK && equal(&back, a),
               "shortest form \"%s\" is another value", printed);

    /* strtod needs a NUL-terminated copy; it reads the same grammar for everything we accept. */
    char copy[TEXT_CAP + 1];
    memcpy(copy, text, length);
    copy[length] = '\0';
    char *end;
    double reference = strtod(copy, &end);
    FUZZ_CHECK(*end == '\0', "\"%s\" is a decimal to us but not to strtod", copy);
    double nearest = rt_decimal_to_double(a);
    FUZZ_CHECK(nearest == reference, "\"%s\": nearest double %.17g, strtod %.17g", copy, nearest, reference);

    rt_decimal from;
    status = rt_decimal_from_double(&from, nearest);
    if (status == RT_DECIMAL_OK) {
        check_range(&from, "from_double");
        FUZZ_CHECK(rt_decimal_to_double(&from) == nearest, "from_double(%.17g) does not read back", nearest);
    } else {
        FUZZ_CHECK(status == RT_DECIMAL_OVERFLOW, "from_double(%.17g): status %d", nearest, status);
    }
}

static void check_pair(const rt_decimal *a, const rt_decimal *b, rt_rounding mode) {
    rt_decimal sum, back, d1, d2, neg;
    if (rt_decimal_add(&sum, a, b) == RT_DECIMAL_OK) {
        check_range(&sum, "add");
        if (rt_decimal_sub(&back, &sum, b) == RT_DECIMAL_OK) FUZZ_CHECK(equal(&back, a), "a + b - b != a");
    }
    int s1 = rt_decimal_sub(&d1, a, b), s2 = rt_decimal_sub(&d2, b, a);
    FUZZ_CHECK(s1 == s2, "a - b and b - a disagree on overflow (%d, %d)", s1, s2);
    if (s1 == RT_DECIMAL_OK) {
        FUZZ_CHECK(rt_decimal_neg(&neg, &d2) == RT_DECIMAL_OK && equal(&d1, &neg), "a - b != -(b - a)");
        int c = rt_decimal_cmp(a, b);
        FUZZ_CHECK(c == rt_decimal_sign(&d1), "cmp %d but a - b has sign %d", c, rt_decimal_sign(&d1));
        FUZZ_CHECK(rt_decimal_cmp(b, a) == -c, "cmp is not antisymmetric");
    }

    rt_decimal product, quotient;
    int status = rt_decimal_mul(&product, a, b);
    FUZZ_CHECK(status == RT_DECIMAL_OK || status == RT_DECIMAL_OVERFLOW, "mul status %d", status);
    if (status == RT_DECIMAL_OK) {
        check_range(&product, "mul");
        if (rt_decimal_sign(b) != 0) {
            status = rt_decimal_div(&quotient, &product, b, a->scale, RT_ROUND_EXACT);
            if (status == RT_DECIMAL_OK) FUZZ_CHECK(equal(&quotient, a), "(a * b) / b != a");
            else FUZZ_CHECK(status == RT_DECIMAL_OVERFLOW, "(a * b) / b at a's scale: status %d", status);
        }
    }
    if (rt_decimal_sign(b) != 0) {
        status = rt_decimal_div(&quotient, a, b, (int32_t)(a->lo % 39), mode);
        FUZZ_CHECK(status == RT_DECIMAL_OK || status == RT_DECIMAL_OVERFLOW || status == RT_DECIMAL_INEXACT,
                   "div status %d", status);
        if (status == RT_DECIMAL_OK) check_range(&quotient, "div");
    } else {
        FUZZ_CHECK(rt_decimal_div(&quotient, a, b, 2, mode) == RT_DECIMAL_DIVISION_BY_ZERO, "division by zero");
    }

    /* Rescaling to a scale taken from b. */
    int32_t scale = (int32_t)(b->lo % 39);
    rt_decimal floor_value, ceil_value, rounded;
    if (rt_decimal_rescale(&floor_value, a, scale, RT_ROUND_FLOOR) == RT_DECIMAL_OK &&
        rt_decimal_rescale(&ceil_value, a, scale, RT_ROUND_CEIL) == RT_DECIMAL_OK) {
        FUZZ_CHECK(rt_decimal_cmp(&floor_value, a) <= 0 && rt_decimal_cmp(a, &ceil_value) <= 0,
                   "rescale floor/ceil do not bracket the value");
        rt_decimal unit, gap;
        FUZZ_CHECK(rt_decimal_from_int(&unit, 1, scale) == RT_DECIMAL_OK, "unit");
        if (rt_decimal_sub(&gap, &ceil_value, &floor_value) == RT_DECIMAL_OK)
            FUZZ_CHECK(rt_decimal_sign(&gap) == 0 || equal(&gap, &unit), "ceil - floor is not 0 or one unit");
        status = rt_decimal_rescale(&rounded, a, scale, mode);
        if (status == RT_DECIMAL_OK) {
            FUZZ_CHECK(rounded.scale == scale, "rescale kept scale %d, asked %d", (int)rounded.scale, (int)scale);
            FUZZ_CHECK(rt_decimal_cmp(&floor_value, &rounded) <= 0 && rt_decimal_cmp(&rounded, &ceil_value) <= 0,
                       "rescale with mode %d is outside floor..ceil", (int)mode);
        } else {
            FUZZ_CHECK(status == RT_DECIMAL_INEXACT && mode == RT_ROUND_EXACT, "rescale status %d", status);
        }
    }

    /* Quantizing a to the increment |b|. */
    rt_decimal increment;
    if (rt_decimal_sign(b) == 0 || rt_decimal_abs(&increment, b) != RT_DECIMAL_OK) return;
    rt_decimal q_floor, q_ceil, q, steps_back;
    if (rt_decimal_quantize(&q_floor, a, &increment, RT_ROUND_FLOOR) != RT_DECIMAL_OK ||
        rt_decimal_quantize(&q_ceil, a, &increment, RT_ROUND_CEIL) != RT_DECIMAL_OK)
        return;
    FUZZ_CHECK(rt_decimal_cmp(&q_floor, a) <= 0 && rt_decimal_cmp(a, &q_ceil) <= 0,
               "quantize floor/ceil do not bracket the value");
    status = rt_decimal_quantize(&q, a, &increment, mode);
    if (status != RT_DECIMAL_OK) {
        FUZZ_CHECK(status == RT_DECIMAL_INEXACT && mode == RT_ROUND_EXACT, "quantize status %d", status);
        return;
    }
    FUZZ_CHECK(rt_decimal_cmp(&q_floor, &q) <= 0 && rt_decimal_cmp(&q, &q_ceil) <= 0, "quantize outside floor..ceil");
    int64_t units;
    if (rt_decimal_to_units(&units, a, &increment, mode) == RT_DECIMAL_OK) {
        rt_decimal count;
        rt_decimal_from_int(&count, units, 0);
        if (rt_decimal_mul(&steps_back, &count, &increment) == RT_DECIMAL_OK)
            FUZZ_CHECK(equal(&steps_back, &q), "to_units * increment != quantize");
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1 || size > TEXT_CAP) return 0;
    rt_rounding mode = (rt_rounding)(data[0] % 8);
    const char *text = (const char *)data + 1;
    size_t length = size - 1;
    const char *bar = memchr(text, '|', length);
    size_t a_length = bar ? (size_t)(bar - text) : length;

    rt_decimal a, b;
    char err[128];
    int status = rt_decimal_parse(&a, text, a_length, err, sizeof err);
    fuzz_check_failure_text(status, err, sizeof err, "rt_decimal_parse");
    if (status != RT_DECIMAL_OK) {
        FUZZ_CHECK(status == RT_DECIMAL_INVALID || status == RT_DECIMAL_OVERFLOW, "parse status %d", status);
        return 0;
    }
    check_range(&a, "parse");
    check_text_round_trip(&a, text, a_length);
    if (!bar) return 0;
    const char *b_text = bar + 1;
    size_t b_length = length - a_length - 1;
    if (rt_decimal_parse(&b, b_text, b_length, NULL, 0) != RT_DECIMAL_OK) return 0;
    check_text_round_trip(&b, b_text, b_length);
    check_pair(&a, &b, mode);
    return 0;
}
