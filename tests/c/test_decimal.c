/* runtime/decimal: parsing (and its error messages), formatting, exact arithmetic, every
 * rounding mode, overflow reporting, ticks and lots, double conversion, and every case of the
 * Pacifica lot/tick rounding vectors ($SHARED/vectors/pacifica/lot_tick_rounding.json). */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "runtime/decimal.h"
#include "tests/c/tap.h"

#define NINES38 "99999999999999999999999999999999999999"

/* Parses text that the test knows is valid; a failure is itself a failed check. */
static rt_decimal dec(const char *text) {
    rt_decimal d;
    char err[128];
    rt_decimal_zero(&d);
    int status = rt_decimal_parse(&d, text, strlen(text), err, sizeof err);
    if (status != RT_DECIMAL_OK) ok(0, "test input '%s' parses (%s)", text, err);
    return d;
}

/* Formats into one of a few rotating buffers so two results can appear in one check. */
static const char *text_of(const rt_decimal *d, int min_scale) {
    static char buffers[4][RT_DECIMAL_TEXT_MAX];
    static int next;
    char *buf = buffers[next++ % 4];
    if (rt_decimal_format(d, buf, RT_DECIMAL_TEXT_MAX, min_scale) == 0) snprintf(buf, RT_DECIMAL_TEXT_MAX, "(format failed)");
    return buf;
}
static const char *str(const rt_decimal *d) { return text_of(d, -1); }

static void test_parse_accepts(void) {
    static const struct {
        const char *text, *plain;
        int scale;
    } cases[] = {
        {"0", "0", 0},
        {"-12.3400", "-12.34", 4},
        {"+5", "5", 0},
        {".5", "0.5", 1},
        {"5.", "5", 0},
        {"1e-3", "0.001", 3},
        {"1.5E+2", "150", 0},
        {"1.50e-37", "0.00000000000000000000000000000000000015", 38},
        {"007", "7", 0},
        {"00.000", "0", 3},
        {"0e999999999", "0", 0},
        {"12345678901234567890123456789012345678", "12345678901234567890123456789012345678", 0},
        {"-" NINES38, "-" NINES38, 0},
        {"000" NINES38, NINES38, 0},
        {"0.00000000000000000000000000000000000001", "0.00000000000000000000000000000000000001", 38},
        {"-9.9999999999999999999999999999999999999", "-9.9999999999999999999999999999999999999", 37},
        {"123456.789e3", "123456789", 0},
        {"1E37", "10000000000000000000000000000000000000", 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        rt_decimal d;
        char err[128] = "";
        int status = rt_decimal_parse(&d, cases[i].text, strlen(cases[i].text), err, sizeof err);
        is_int(status, RT_DECIMAL_OK, "parse '%s' ok %s", cases[i].text, err);
        is_str(str(&d), cases[i].plain, "'%s' formats as %s", cases[i].text, cases[i].plain);
        is_int(d.scale, cases[i].scale, "'%s' has scale %d", cases[i].text, cases[i].scale);
    }
    /* Parsing respects len: the text need not be NUL-terminated. */
    rt_decimal d;
    is_int(rt_decimal_parse(&d, "12.5xyz", 4, NULL, 0), RT_DECIMAL_OK, "parse reads only len bytes");
    is_str(str(&d), "12.5", "... and gets 12.5");
}

static void test_parse_rejects(void) {
    static const struct {
        const char *text;
        size_t len; /* 0: strlen */
        int status;
        const char *message;
    } cases[] = {
        {"", 0, RT_DECIMAL_INVALID, "empty"},
        {"-", 0, RT_DECIMAL_INVALID, "no digits"},
        {".", 0, RT_DECIMAL_INVALID, "no digits"},
        {"+.", 0, RT_DECIMAL_INVALID, "no digits"},
        {"1e", 0, RT_DECIMAL_INVALID, "exponent has no digits"},
        {"1e+", 0, RT_DECIMAL_INVALID, "exponent has no digits"},
        {"1.2.3", 0, RT_DECIMAL_INVALID, "unexpected character '.' at offset 3"},
        {"1..2", 0, RT_DECIMAL_INVALID, "unexpected character '.' at offset 2"},
        {" 1", 0, RT_DECIMAL_INVALID, "unexpected character ' ' at offset 0"},
        {"1 ", 0, RT_DECIMAL_INVALID, "unexpected character ' ' at offset 1"},
        {"0x10", 0, RT_DECIMAL_INVALID, "unexpected character 'x' at offset 1"},
        {"NaN", 0, RT_DECIMAL_INVALID, "NaN and infinity are not decimals"},
        {"inf", 0, RT_DECIMAL_INVALID, "NaN and infinity are not decimals"},
        {"-Infinity", 0, RT_DECIMAL_INVALID, "NaN and infinity are not decimals"},
        {"1,5", 0, RT_DECIMAL_INVALID, "unexpected character ',' at offset 1"},
        {"+-1", 0, RT_DECIMAL_INVALID, "unexpected character '-' at offset 1"},
        {"e5", 0, RT_DECIMAL_INVALID, "unexpected character 'e' at offset 0"},
        {"1e5.0", 0, RT_DECIMAL_INVALID, "unexpected character '.' at offset 3"},
        {"1ex", 0, RT_DECIMAL_INVALID, "unexpected character 'x' at offset 2"},
        {"\xc3\xa9", 0, RT_DECIMAL_INVALID, "unexpected byte 0xc3 at offset 0"},
        {"1\0", 2, RT_DECIMAL_INVALID, "unexpected byte 0x00 at offset 1"},
        {"123456789012345678901234567890123456789", 0, RT_DECIMAL_OVERFLOW, "more than 38 significant digits"},
        {"1.00000000000000000000000000000000000000", 0, RT_DECIMAL_OVERFLOW, "more than 38 significant digits"},
        {"0.000000000000000000000000000000000000011", 0, RT_DECIMAL_OVERFLOW, "more than 38 digits after the decimal point"},
        {"1e-39", 0, RT_DECIMAL_OVERFLOW, "more than 38 digits after the decimal point"},
        {"1e38", 0, RT_DECIMAL_OVERFLOW, "more than 38 digits before the decimal point"},
        {"1e100001", 0, RT_DECIMAL_OVERFLOW, "exponent out of range"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        rt_decimal d = dec("42.5");
        rt_decimal before = d;
        char err[128] = "";
        size_t len = cases[i].len ? cases[i].len : strlen(cases[i].text);
        int status = rt_decimal_parse(&d, cases[i].text, len, err, sizeof err);
        is_int(status, cases[i].status, "parse rejects case %zu ('%s')", i, cases[i].text);
        is_str(err, cases[i].message, "message for case %zu", i);
        ok(memcmp(&d, &before, sizeof d) == 0, "output untouched on failure (case %zu)", i);
    }
    rt_decimal d;
    is_int(rt_decimal_parse(&d, NULL, 0, NULL, 0), RT_DECIMAL_INVALID, "NULL text is empty, no crash without err");
    char tiny[6];
    rt_decimal_parse(&d, "abc", 3, tiny, sizeof tiny);
    is_str(tiny, "unexp", "error message truncated to errcap");
}

static void test_zero_and_sign(void) {
    rt_decimal d = dec("-0");
    is_int(rt_decimal_sign(&d), 0, "-0 has sign 0");
    is_str(str(&d), "0", "-0 formats as 0");
    rt_decimal z;
    rt_decimal_zero(&z);
    is_int(rt_decimal_cmp(&d, &z), 0, "-0 == 0");
    d = dec("-0.00");
    is_str(text_of(&d, 2), "0.00", "-0.00 with min_scale 2 is 0.00, no minus");
    is_int(d.scale, 2, "-0.00 keeps scale 2");
    rt_decimal n;
    rt_decimal_neg(&n, &z);
    is_str(str(&n), "0", "neg(0) is 0");
    rt_decimal a = dec("0"), b = dec("-5"), p;
    rt_decimal_mul(&p, &a, &b);
    is_str(str(&p), "0", "0 × -5 is 0, not -0");
    is_int(rt_decimal_sign(&p), 0, "... sign 0");
    a = dec("-0.4");
    rt_decimal_rescale(&p, &a, 0, RT_ROUND_HALF_EVEN);
    is_str(str(&p), "0", "-0.4 rounded to 0 is 0, not -0");
    a = dec("-0.01");
    b = dec("0.05");
    rt_decimal_quantize(&p, &a, &b, RT_ROUND_HALF_EVEN);
    is_str(text_of(&p, 2), "0.00", "-0.01 to tick 0.05 is 0.00, not -0.00");
    a = dec("1.5");
    rt_decimal_sub(&p, &a, &a);
    is_str(str(&p), "0", "1.5 - 1.5 is 0");
    is_int(rt_decimal_sign(&p), 0, "... sign 0");
    a = dec("-3.2");
    is_int(rt_decimal_sign(&a), -1, "sign of -3.2");
    rt_decimal_abs(&p, &a);
    is_str(str(&p), "3.2", "abs(-3.2)");
    rt_decimal_neg(&p, &a);
    is_str(str(&p), "3.2", "neg(-3.2)");
    a = dec("-" NINES38);
    rt_decimal_neg(&p, &a);
    is_str(str(&p), NINES38, "neg of the most negative value fits");
}

static void test_format(void) {
    rt_decimal d = dec("1.50");
    is_str(text_of(&d, -1), "1.5", "1.50 -> 1.5");
    is_str(text_of(&d, 0), "1.5", "1.50 min_scale 0 -> 1.5");
    is_str(text_of(&d, 2), "1.50", "1.50 min_scale 2 -> 1.50");
    is_str(text_of(&d, 4), "1.5000", "1.50 min_scale 4 -> 1.5000");
    d = dec("2.00");
    is_str(text_of(&d, -1), "2", "2.00 -> 2");
    is_str(text_of(&d, 1), "2.0", "2.00 min_scale 1 -> 2.0");
    d = dec("-0.05");
    is_str(str(&d), "-0.05", "-0.05");
    d = dec("0.0001230");
    is_str(str(&d), "0.000123", "0.0001230 -> 0.000123");
    d = dec("100");
    is_str(str(&d), "100", "100 keeps its integer zeros");
    d = dec("0.000");
    is_str(text_of(&d, 2), "0.00", "zero with min_scale 2");
    d = dec("-" NINES38);
    char buf[RT_DECIMAL_TEXT_MAX];
    size_t n = rt_decimal_format(&d, buf, sizeof buf, 38);
    is_int((long long)n, 78, "longest output (38 digits, 38 padded places, sign) is 78 bytes");
    is_str(buf, "-" NINES38 ".00000000000000000000000000000000000000", "... and exact");
    n = rt_decimal_format(&d, buf, 39, -1);
    is_int((long long)n, 0, "cap one short: returns 0");
    n = rt_decimal_format(&d, buf, 40, -1);
    is_int((long long)n, 39, "cap exactly enough: 39 bytes");
    d = dec("1.5");
    n = rt_decimal_format(&d, buf, sizeof buf, 1000);
    is_int((long long)n, 40, "min_scale above 38 counts as 38");
}

static void test_arithmetic(void) {
    rt_decimal a, b, r;
    a = dec("1.1");
    b = dec("2.22");
    is_int(rt_decimal_add(&r, &a, &b), RT_DECIMAL_OK, "1.1 + 2.22");
    is_str(str(&r), "3.32", "= 3.32");
    is_int(r.scale, 2, "scale max(1, 2)");
    a = dec("1");
    b = dec("1.00");
    rt_decimal_sub(&r, &a, &b);
    is_str(text_of(&r, 2), "0.00", "1 - 1.00 = 0.00");
    a = dec("-7.5");
    b = dec("2.25");
    rt_decimal_add(&r, &a, &b);
    is_str(str(&r), "-5.25", "-7.5 + 2.25");
    rt_decimal_sub(&r, &b, &a);
    is_str(str(&r), "9.75", "2.25 - -7.5");
    a = dec("0.1");
    b = dec("0.2");
    rt_decimal_mul(&r, &a, &b);
    is_str(str(&r), "0.02", "0.1 × 0.2");
    is_int(r.scale, 2, "scale 1 + 1");
    a = dec("-1.5");
    b = dec("2");
    rt_decimal_mul(&r, &a, &b);
    is_str(str(&r), "-3", "-1.5 × 2");
    is_int(r.scale, 1, "product keeps scale 1");

    /* Overflow: reported, never wrapped, and *out untouched. */
    a = dec(NINES38);
    b = dec("1");
    rt_decimal sentinel = dec("123.456");
    r = sentinel;
    is_int(rt_decimal_add(&r, &a, &b), RT_DECIMAL_OVERFLOW, "38 nines + 1 overflows");
    ok(memcmp(&r, &sentinel, sizeof r) == 0, "... and out is untouched");
    a = dec("-" NINES38);
    is_int(rt_decimal_sub(&r, &a, &b), RT_DECIMAL_OVERFLOW, "-38 nines - 1 overflows");
    is_int(rt_decimal_add(&r, &a, &b), RT_DECIMAL_OK, "-38 nines + 1 fits");
    a = dec("10000000000000000000000000000000000000");
    b = dec("0.1");
    is_int(rt_decimal_add(&r, &a, &b), RT_DECIMAL_OVERFLOW, "1e37 + 0.1 needs 39 digits");
    b = dec("1.0");
    is_int(rt_decimal_add(&r, &a, &b), RT_DECIMAL_OK, "1e37 + 1.0 fits once the trailing zero goes");
    is_str(str(&r), "10000000000000000000000000000000000001", "= 1e37 + 1");
    is_int(r.scale, 0, "at scale 0");
    a = dec("10000000000000000000");
    is_int(rt_decimal_mul(&r, &a, &a), RT_DECIMAL_OVERFLOW, "1e19 × 1e19 overflows");
    a = dec("12345678901234567890.123456789");
    b = dec("98765432109.87654321");
    is_int(rt_decimal_mul(&r, &a, &b), RT_DECIMAL_OVERFLOW, "48-digit product overflows");
    a = dec("0.00000000000000000001");
    b = dec("0.0000000000000000001");
    is_int(rt_decimal_mul(&r, &a, &b), RT_DECIMAL_OVERFLOW, "1e-20 × 1e-19 needs 39 places");
    a = dec("0.10000000000000000000");
    b = dec("0.1000000000000000000");
    is_int(rt_decimal_mul(&r, &a, &b), RT_DECIMAL_OK, "0.1(20 places) × 0.1(19 places) fits without zeros");
    is_str(str(&r), "0.01", "= 0.01");
    is_int(r.scale, 38, "trailing zeros dropped only down to scale 38");
    a = dec("10000000000000000000.5");
    b = dec("2.00000000000000000000");
    is_int(rt_decimal_mul(&r, &a, &b), RT_DECIMAL_OK, "wide product of two >64-bit mantissas");
    is_str(str(&r), "20000000000000000001", "= 20000000000000000001");
    is_int(r.scale, 18, "scale reduced from 21 to 18, just enough");
}

static void test_division(void) {
    rt_decimal a, b, r;
    a = dec("1");
    b = dec("3");
    is_int(rt_decimal_div(&r, &a, &b, 38, RT_ROUND_HALF_EVEN), RT_DECIMAL_OK, "1 / 3 to 38 places");
    is_str(str(&r), "0.33333333333333333333333333333333333333", "= 0.333...");
    a = dec("2");
    rt_decimal_div(&r, &a, &b, 38, RT_ROUND_HALF_EVEN);
    is_str(str(&r), "0.66666666666666666666666666666666666667", "2 / 3 half_even");
    a = dec("-2");
    rt_decimal_div(&r, &a, &b, 38, RT_ROUND_FLOOR);
    is_str(str(&r), "-0.66666666666666666666666666666666666667", "-2 / 3 floor");
    rt_decimal_div(&r, &a, &b, 2, RT_ROUND_CEIL);
    is_str(str(&r), "-0.66", "-2 / 3 ceil to 2 places");
    a = dec("1000");
    b = dec("3456.75");
    rt_decimal_div(&r, &a, &b, 8, RT_ROUND_DOWN);
    is_str(str(&r), "0.28928907", "notional / price to 8 places, down");
    a = dec("1");
    b = dec("8");
    rt_decimal_div(&r, &a, &b, 2, RT_ROUND_HALF_EVEN);
    is_str(str(&r), "0.12", "1/8 half_even to 2 places (tie)");
    rt_decimal_div(&r, &a, &b, 2, RT_ROUND_HALF_UP);
    is_str(str(&r), "0.13", "1/8 half_up to 2 places (tie)");
    is_int(rt_decimal_div(&r, &a, &b, 2, RT_ROUND_EXACT), RT_DECIMAL_INEXACT, "1/8 exact to 2 places: inexact");
    is_int(rt_decimal_div(&r, &a, &b, 3, RT_ROUND_EXACT), RT_DECIMAL_OK, "1/8 exact to 3 places");
    is_str(str(&r), "0.125", "= 0.125");

    /* Wide paths: dividends beyond 128 bits and divisors beyond 64 bits. */
    a = dec(NINES38);
    b = dec("33333333333333333333.333333333333333334");
    rt_decimal_div(&r, &a, &b, 18, RT_ROUND_HALF_EVEN);
    is_str(text_of(&r, 18), "3000000000000000000.000000000000000000", "wide division, half_even");
    rt_decimal_div(&r, &a, &b, 18, RT_ROUND_FLOOR);
    is_str(str(&r), "2999999999999999999.999999999999999999", "wide division, floor");
    a = dec("12345678901234567890123456789012345.5");
    b = dec("1.0000000000000000000000000000000000000");
    static const struct {
        rt_rounding mode;
        const char *positive, *negative;
    } ties[] = {
        {RT_ROUND_HALF_EVEN, "12345678901234567890123456789012346", "-12345678901234567890123456789012346"},
        {RT_ROUND_HALF_UP, "12345678901234567890123456789012346", "-12345678901234567890123456789012346"},
        {RT_ROUND_HALF_DOWN, "12345678901234567890123456789012345", "-12345678901234567890123456789012345"},
        {RT_ROUND_FLOOR, "12345678901234567890123456789012345", "-12345678901234567890123456789012346"},
    };
    for (size_t i = 0; i < sizeof ties / sizeof ties[0]; i++) {
        rt_decimal_div(&r, &a, &b, 0, ties[i].mode);
        is_str(str(&r), ties[i].positive, "wide tie (divisor > 2^64), mode %d", (int)ties[i].mode);
        rt_decimal na;
        rt_decimal_neg(&na, &a);
        rt_decimal_div(&r, &na, &b, 0, ties[i].mode);
        is_str(str(&r), ties[i].negative, "negative wide tie, mode %d", (int)ties[i].mode);
    }
    a = dec("0.00000000000000000000000000000000000007");
    b = dec("30000000000000000000000000000000000000");
    rt_decimal_div(&r, &a, &b, 38, RT_ROUND_UP);
    is_str(str(&r), "0.00000000000000000000000000000000000001", "tiny / huge rounded up");
    rt_decimal_div(&r, &a, &b, 38, RT_ROUND_DOWN);
    is_str(str(&r), "0", "tiny / huge rounded down");

    a = dec("-7");
    b = dec("0.00000000000000000000000000000000000003");
    is_int(rt_decimal_div(&r, &a, &b, 0, RT_ROUND_DOWN), RT_DECIMAL_OVERFLOW, "huge quotient overflows");
    a = dec(NINES38);
    b = dec("0.1");
    is_int(rt_decimal_div(&r, &a, &b, 0, RT_ROUND_DOWN), RT_DECIMAL_OVERFLOW, "38 nines / 0.1 overflows");
    b = dec("0");
    is_int(rt_decimal_div(&r, &a, &b, 2, RT_ROUND_DOWN), RT_DECIMAL_DIVISION_BY_ZERO, "division by zero");
    a = dec("0");
    is_int(rt_decimal_div(&r, &a, &b, 2, RT_ROUND_DOWN), RT_DECIMAL_DIVISION_BY_ZERO, "0 / 0 is division by zero");
    a = dec("1");
    b = dec("3");
    is_int(rt_decimal_div(&r, &a, &b, 39, RT_ROUND_DOWN), RT_DECIMAL_BAD_ARGUMENT, "scale 39 refused");
    is_int(rt_decimal_div(&r, &a, &b, -1, RT_ROUND_DOWN), RT_DECIMAL_BAD_ARGUMENT, "scale -1 refused");
    is_int(rt_decimal_div(&r, &a, &b, 2, (rt_rounding)99), RT_DECIMAL_BAD_ARGUMENT, "unknown mode refused");
}

static void test_rounding_modes(void) {
    static const char *const values[] = {"2.5", "-2.5", "3.5", "-3.5", "2.4", "-2.4", "2.6", "-2.6", "2.0", "-2.0"};
    /* Columns: down, up, floor, ceil, half_up, half_down, half_even, exact ("!" = inexact). */
    static const char *const expected[][8] = {
        {"2", "3", "2", "3", "3", "2", "2", "!"},
        {"-2", "-3", "-3", "-2", "-3", "-2", "-2", "!"},
        {"3", "4", "3", "4", "4", "3", "4", "!"},
        {"-3", "-4", "-4", "-3", "-4", "-3", "-4", "!"},
        {"2", "3", "2", "3", "2", "2", "2", "!"},
        {"-2", "-3", "-3", "-2", "-2", "-2", "-2", "!"},
        {"2", "3", "2", "3", "3", "3", "3", "!"},
        {"-2", "-3", "-3", "-2", "-3", "-3", "-3", "!"},
        {"2", "2", "2", "2", "2", "2", "2", "2"},
        {"-2", "-2", "-2", "-2", "-2", "-2", "-2", "-2"},
    };
    for (size_t v = 0; v < sizeof values / sizeof values[0]; v++) {
        rt_decimal a = dec(values[v]);
        for (int m = RT_ROUND_DOWN; m <= RT_ROUND_EXACT; m++) {
            rt_decimal r;
            int status = rt_decimal_rescale(&r, &a, 0, (rt_rounding)m);
            const char *want = expected[v][m];
            if (strcmp(want, "!") == 0)
                is_int(status, RT_DECIMAL_INEXACT, "rescale %s to 0 with %s: inexact", values[v], rt_decimal_rounding_name((rt_rounding)m));
            else
                is_str(status == RT_DECIMAL_OK ? str(&r) : "(error)", want, "rescale %s to 0 with %s", values[v],
                       rt_decimal_rounding_name((rt_rounding)m));
        }
    }
    /* Non-ties far from the middle and multi-digit drops. */
    rt_decimal a = dec("1.23456789"), r;
    rt_decimal_rescale(&r, &a, 4, RT_ROUND_HALF_DOWN);
    is_str(str(&r), "1.2346", "1.23456789 half_down to 4 places");
    a = dec("1.23450000");
    rt_decimal_rescale(&r, &a, 4, RT_ROUND_EXACT);
    is_str(str(&r), "1.2345", "dropping only zeros is exact");
    a = dec("-1.23450001");
    rt_decimal_rescale(&r, &a, 4, RT_ROUND_HALF_EVEN);
    is_str(str(&r), "-1.2345", "-1.23450001 half_even to 4 (just below the tie)");
    a = dec("-1.23455001");
    rt_decimal_rescale(&r, &a, 4, RT_ROUND_HALF_DOWN);
    is_str(str(&r), "-1.2346", "-1.23455001 half_down to 4 (just past the tie)");
    a = dec("99.99");
    rt_decimal_rescale(&r, &a, 0, RT_ROUND_UP);
    is_str(str(&r), "100", "99.99 up to 0 places");
    a = dec("1.5");
    rt_decimal_rescale(&r, &a, 3, RT_ROUND_EXACT);
    is_str(text_of(&r, 3), "1.500", "padding to more places is exact");
    is_int(r.scale, 3, "... with the new scale");
    a = dec(NINES38);
    is_int(rt_decimal_rescale(&r, &a, 1, RT_ROUND_EXACT), RT_DECIMAL_OVERFLOW, "38 nines to 1 place overflows");
    a = dec("0.5");
    is_int(rt_decimal_rescale(&r, &a, 39, RT_ROUND_DOWN), RT_DECIMAL_BAD_ARGUMENT, "rescale to 39 refused");
    is_int(rt_decimal_rescale(&r, &a, 0, (rt_rounding)-1), RT_DECIMAL_BAD_ARGUMENT, "rescale with mode -1 refused");

    static const char *const names[] = {"down", "up", "floor", "ceil", "half_up", "half_down", "half_even", "exact"};
    for (int m = 0; m < 8; m++) {
        rt_rounding mode = RT_ROUND_EXACT;
        is_int(rt_decimal_rounding_from_name(names[m], &mode), RT_DECIMAL_OK, "mode name %s", names[m]);
        is_int(mode, m, "... is mode %d", m);
    }
    rt_rounding mode;
    is_int(rt_decimal_rounding_from_name("nearest", &mode), RT_DECIMAL_BAD_ARGUMENT, "unknown mode name");
    is_int(rt_decimal_rounding_from_name("FLOOR", &mode), RT_DECIMAL_BAD_ARGUMENT, "mode names are exact");
    is_int(rt_decimal_rounding_from_name(NULL, &mode), RT_DECIMAL_BAD_ARGUMENT, "NULL mode name");
}

static void test_ticks_and_units(void) {
    static const struct {
        const char *value, *tick;
        rt_rounding mode;
        const char *result;
    } cases[] = {
        {"1.23", "0.05", RT_ROUND_FLOOR, "1.2"},
        {"1.23", "0.05", RT_ROUND_CEIL, "1.25"},
        {"1.225", "0.05", RT_ROUND_HALF_EVEN, "1.2"},
        {"1.225", "0.05", RT_ROUND_HALF_UP, "1.25"},
        {"-1.23", "0.05", RT_ROUND_FLOOR, "-1.25"},
        {"-1.23", "0.05", RT_ROUND_CEIL, "-1.2"},
        {"-1.23", "0.05", RT_ROUND_DOWN, "-1.2"},
        {"-1.23", "0.05", RT_ROUND_UP, "-1.25"},
        {"3.74", "0.5", RT_ROUND_HALF_EVEN, "3.5"},
        {"3.75", "0.5", RT_ROUND_HALF_EVEN, "4"},
        {"3.25", "0.5", RT_ROUND_HALF_EVEN, "3"},
        {"-3.75", "0.5", RT_ROUND_HALF_DOWN, "-3.5"},
        {"1237", "25", RT_ROUND_HALF_EVEN, "1225"},
        {"1262.5", "25", RT_ROUND_HALF_EVEN, "1250"},
        {"1262.5", "25", RT_ROUND_HALF_UP, "1275"},
        {"1201", "25", RT_ROUND_CEIL, "1225"},
        {"-1201", "25", RT_ROUND_CEIL, "-1200"},
        {"1250", "25", RT_ROUND_EXACT, "1250"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        rt_decimal a = dec(cases[i].value), tick = dec(cases[i].tick), r;
        int status = rt_decimal_quantize(&r, &a, &tick, cases[i].mode);
        is_str(status == RT_DECIMAL_OK ? str(&r) : rt_decimal_status_text(status), cases[i].result, "quantize %s to %s with %s",
               cases[i].value, cases[i].tick, rt_decimal_rounding_name(cases[i].mode));
    }
    rt_decimal a = dec("1.2"), tick = dec("0.50"), r;
    rt_decimal_quantize(&r, &a, &tick, RT_ROUND_HALF_EVEN);
    is_int(r.scale, 2, "quantize result carries the increment's scale");
    is_str(text_of(&r, 2), "1.00", "1.2 to 0.50 is 1.00");
    a = dec("1.23");
    tick = dec("0.05");
    is_int(rt_decimal_quantize(&r, &a, &tick, RT_ROUND_EXACT), RT_DECIMAL_INEXACT, "non-multiple with exact");
    a = dec(NINES38);
    tick = dec("0.1");
    is_int(rt_decimal_quantize(&r, &a, &tick, RT_ROUND_DOWN), RT_DECIMAL_OVERFLOW, "quantize overflow");
    tick = dec("0");
    is_int(rt_decimal_quantize(&r, &a, &tick, RT_ROUND_DOWN), RT_DECIMAL_BAD_ARGUMENT, "zero increment refused");
    tick = dec("-0.05");
    is_int(rt_decimal_quantize(&r, &a, &tick, RT_ROUND_DOWN), RT_DECIMAL_BAD_ARGUMENT, "negative increment refused");

    int64_t units = 0;
    a = dec("3456.75");
    tick = dec("0.01");
    is_int(rt_decimal_to_units(&units, &a, &tick, RT_ROUND_EXACT), RT_DECIMAL_OK, "to_units exact");
    is_int(units, 345675, "3456.75 is 345675 ticks of 0.01");
    a = dec("0.123456");
    tick = dec("0.00001");
    rt_decimal_to_units(&units, &a, &tick, RT_ROUND_FLOOR);
    is_int(units, 12345, "0.123456 floor to lots of 0.00001");
    is_int(rt_decimal_to_units(&units, &a, &tick, RT_ROUND_EXACT), RT_DECIMAL_INEXACT, "to_units exact on a non-multiple");
    a = dec("-1.5");
    tick = dec("1");
    rt_decimal_to_units(&units, &a, &tick, RT_ROUND_HALF_EVEN);
    is_int(units, -2, "-1.5 half_even to units of 1");
    a = dec("25");
    tick = dec("2.5");
    rt_decimal_to_units(&units, &a, &tick, RT_ROUND_EXACT);
    is_int(units, 10, "25 is 10 increments of 2.5");
    a = dec("9223372036854775807");
    tick = dec("1");
    is_int(rt_decimal_to_units(&units, &a, &tick, RT_ROUND_EXACT), RT_DECIMAL_OK, "INT64_MAX units fit");
    is_int(units, INT64_MAX, "= INT64_MAX");
    a = dec("9223372036854775808");
    is_int(rt_decimal_to_units(&units, &a, &tick, RT_ROUND_EXACT), RT_DECIMAL_OVERFLOW, "INT64_MAX + 1 units overflow");
    a = dec("-9223372036854775808");
    is_int(rt_decimal_to_units(&units, &a, &tick, RT_ROUND_EXACT), RT_DECIMAL_OK, "INT64_MIN units fit");
    is_int(units, INT64_MIN, "= INT64_MIN");
    a = dec("-9223372036854775809");
    is_int(rt_decimal_to_units(&units, &a, &tick, RT_ROUND_EXACT), RT_DECIMAL_OVERFLOW, "INT64_MIN - 1 units overflow");
    a = dec("1000000000000000000000000000000");
    tick = dec("0.01");
    units = 7;
    is_int(rt_decimal_to_units(&units, &a, &tick, RT_ROUND_DOWN), RT_DECIMAL_OVERFLOW, "1e32 increments overflow int64");
    is_int(units, 7, "... and units untouched");
    tick = dec("0");
    is_int(rt_decimal_to_units(&units, &a, &tick, RT_ROUND_DOWN), RT_DECIMAL_BAD_ARGUMENT, "to_units zero increment");
}

static void test_from_int(void) {
    rt_decimal d;
    is_int(rt_decimal_from_int(&d, 12345, 2), RT_DECIMAL_OK, "from_int 12345, 2");
    is_str(str(&d), "123.45", "= 123.45");
    rt_decimal_from_int(&d, INT64_MIN, 0);
    is_str(str(&d), "-9223372036854775808", "from_int INT64_MIN");
    rt_decimal_from_int(&d, 5, -3);
    is_str(str(&d), "5000", "negative scale multiplies");
    is_int(d.scale, 0, "... stored at scale 0");
    rt_decimal_from_int(&d, -1, -37);
    is_str(str(&d), "-10000000000000000000000000000000000000", "-1e37 fits");
    rt_decimal sentinel = dec("7"), out = sentinel;
    is_int(rt_decimal_from_int(&out, 1, -38), RT_DECIMAL_OVERFLOW, "1e38 overflows");
    is_int(rt_decimal_from_int(&out, INT64_MAX, -20), RT_DECIMAL_OVERFLOW, "INT64_MAX × 1e20 overflows");
    is_int(rt_decimal_from_int(&out, 1, -100), RT_DECIMAL_OVERFLOW, "1e100 overflows");
    is_int(rt_decimal_from_int(&out, 1, 39), RT_DECIMAL_BAD_ARGUMENT, "scale 39 refused");
    ok(memcmp(&out, &sentinel, sizeof out) == 0, "out untouched by failed from_int");
    is_int(rt_decimal_from_int(&out, 0, -100), RT_DECIMAL_OK, "zero with any negative scale is zero");
    is_str(str(&out), "0", "= 0");
}

static void test_doubles(void) {
    static const struct {
        double value;
        const char *text;
    } cases[] = {
        {0.1, "0.1"},
        {1e-7, "0.0000001"},
        {123456.789, "123456.789"},
        {0.30000000000000004, "0.30000000000000004"},
        {-2.5, "-2.5"},
        {1e21, "1000000000000000000000"},
        {9007199254740992.0, "9007199254740992"},
        {-0.0, "0"},
        {1.2345e-30, "0.0000000000000000000000000000012345"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        rt_decimal d;
        int status = rt_decimal_from_double(&d, cases[i].value);
        is_str(status == RT_DECIMAL_OK ? str(&d) : rt_decimal_status_text(status), cases[i].text, "from_double %.17g", cases[i].value);
        ok(rt_decimal_to_double(&d) == cases[i].value, "round trip of %.17g", cases[i].value);
    }
    rt_decimal d, sentinel = dec("1.25");
    rt_decimal_from_double(&d, 0.1 + 0.2);
    is_str(str(&d), "0.30000000000000004", "0.1 + 0.2 as a double");
    d = sentinel;
    is_int(rt_decimal_from_double(&d, NAN), RT_DECIMAL_INVALID, "NaN refused");
    is_int(rt_decimal_from_double(&d, INFINITY), RT_DECIMAL_INVALID, "infinity refused");
    is_int(rt_decimal_from_double(&d, -INFINITY), RT_DECIMAL_INVALID, "-infinity refused");
    is_int(rt_decimal_from_double(&d, 1e38), RT_DECIMAL_OVERFLOW, "1e38 overflows");
    is_int(rt_decimal_from_double(&d, 5e-324), RT_DECIMAL_OVERFLOW, "smallest subnormal needs too many places");
    is_int(rt_decimal_from_double(&d, 1.7976931348623157e-30), RT_DECIMAL_OVERFLOW, "17 digits at 1e-30 need 46 places");
    ok(memcmp(&d, &sentinel, sizeof d) == 0, "out untouched by failed from_double");
    d = dec("-123.456");
    ok(rt_decimal_to_double(&d) == -123.456, "to_double -123.456");
    d = dec("0.1");
    ok(rt_decimal_to_double(&d) == 0.1, "to_double 0.1 is the nearest double");
    d = dec(NINES38);
    ok(rt_decimal_to_double(&d) == 1e38, "to_double of 38 nines rounds to 1e38");
}

static void test_compare(void) {
    rt_decimal a = dec("1.50"), b = dec("1.5");
    is_int(rt_decimal_cmp(&a, &b), 0, "1.50 == 1.5");
    a = dec("-1");
    b = dec("0.5");
    is_int(rt_decimal_cmp(&a, &b), -1, "-1 < 0.5");
    is_int(rt_decimal_cmp(&b, &a), 1, "0.5 > -1");
    a = dec("-1.5");
    b = dec("-1.49");
    is_int(rt_decimal_cmp(&a, &b), -1, "-1.5 < -1.49");
    a = dec("10000000000000000000000000000000000000");
    b = dec("1.0000000000000000000000000000000000001");
    is_int(rt_decimal_cmp(&a, &b), 1, "1e37 > 1.000...1 (wide alignment)");
    a = dec(NINES38);
    b = dec("0." NINES38);
    is_int(rt_decimal_cmp(&b, &a), -1, "0.(38 nines) < 38 nines");
    a = dec("0.99999999999999999999999999999999999990");
    b = dec("0.9999999999999999999999999999999999999");
    is_int(rt_decimal_cmp(&a, &b), 0, "equal values at scales 38 and 37");

    rt_decimal n = dec("1.500");
    rt_decimal_normalize(&n);
    is_int(n.scale, 1, "normalize 1.500 to scale 1");
    is_str(text_of(&n, 3), "1.500", "same value");
    n = dec("0.000");
    rt_decimal_normalize(&n);
    is_int(n.scale, 0, "normalize 0.000 to scale 0");
    n = dec("-1200");
    rt_decimal_normalize(&n);
    is_str(str(&n), "-1200", "normalize never touches integer zeros");
}

static void test_malformed(void) {
    rt_decimal bad = dec("1"), good = dec("1"), r;
    bad.scale = 39;
    is_int(rt_decimal_add(&r, &bad, &good), RT_DECIMAL_BAD_ARGUMENT, "scale 39 struct refused by add");
    char buf[RT_DECIMAL_TEXT_MAX];
    is_int((long long)rt_decimal_format(&bad, buf, sizeof buf, -1), 0, "format of a malformed value returns 0");
    is_str(buf, "", "... with an empty buffer");
    bad.scale = 0;
    bad.hi = INT64_MIN;
    bad.lo = 0; /* -2^127: beyond 38 digits */
    is_int(rt_decimal_neg(&r, &bad), RT_DECIMAL_BAD_ARGUMENT, "mantissa -2^127 refused by neg");
    is_int(rt_decimal_mul(&r, &bad, &good), RT_DECIMAL_BAD_ARGUMENT, "... and by mul");
    ok(isnan(rt_decimal_to_double(&bad)), "to_double of a malformed value is NaN");
    is_str(rt_decimal_status_text(RT_DECIMAL_DIVISION_BY_ZERO), "division by zero", "status text");
}

/* The venue's rounding modes are named like the vector generator's; map them to ours. */
static int vector_mode(const char *name, rt_rounding *mode) {
    if (strcmp(name, "nearest_half_up") == 0) {
        *mode = RT_ROUND_HALF_UP;
        return 0;
    }
    return rt_decimal_rounding_from_name(name, mode);
}

static void test_pacifica_vectors(void) {
    const char *shared = getenv("SHARED");
    char path[1024];
    snprintf(path, sizeof path, "%s/vectors/pacifica/lot_tick_rounding.json", shared && *shared ? shared : "../shared");
    json_error_t error;
    json_t *root = json_load_file(path, 0, &error);
    if (!ok(root != NULL, "load %s", path)) {
        diag("%s (line %d)", error.text, error.line);
        return;
    }
    json_t *cases = json_object_get(root, "cases");
    ok(json_is_array(cases) && json_array_size(cases) > 0, "vector file has cases");
    size_t index;
    json_t *c;
    int count = 0;
    json_array_foreach(cases, index, c) {
        const char *name = json_string_value(json_object_get(c, "name"));
        const char *value = json_string_value(json_object_get(c, "value"));
        const char *step = json_string_value(json_object_get(c, "step"));
        const char *mode_name = json_string_value(json_object_get(c, "mode"));
        const char *result = json_string_value(json_object_get(c, "result"));
        const char *steps = json_string_value(json_object_get(c, "steps"));
        json_t *multiple = json_object_get(c, "input_was_multiple");
        if (!ok(name && value && step && mode_name && result && steps && json_is_boolean(multiple), "vector %zu has all fields", index))
            continue;
        rt_rounding mode;
        if (!ok(vector_mode(mode_name, &mode) == 0, "%s: mode '%s' known", name, mode_name)) continue;
        rt_decimal v = dec(value), s = dec(step), r;
        int status = rt_decimal_quantize(&r, &v, &s, mode);
        is_str(status == RT_DECIMAL_OK ? str(&r) : rt_decimal_status_text(status), result, "%s: %s to step %s (%s)", name, value,
               step, mode_name);
        int64_t units = 0;
        status = rt_decimal_to_units(&units, &v, &s, mode);
        char units_text[32];
        snprintf(units_text, sizeof units_text, "%" PRId64, units);
        is_str(status == RT_DECIMAL_OK ? units_text : rt_decimal_status_text(status), steps, "%s: steps", name);
        status = rt_decimal_quantize(&r, &v, &s, RT_ROUND_EXACT);
        is_int(status == RT_DECIMAL_OK, json_is_true(multiple), "%s: input_was_multiple", name);
        count++;
    }
    is_int(count, (long long)json_array_size(cases), "every vector case ran");
    json_decref(root);
}

int main(void) {
    /* tap.h defines these as plain statics; referencing them keeps -Wunused-function quiet. */
    (void)tap_plan;
    (void)tap_exit_status;
    test_parse_accepts();
    test_parse_rejects();
    test_zero_and_sign();
    test_format();
    test_arithmetic();
    test_division();
    test_rounding_modes();
    test_ticks_and_units();
    test_from_int();
    test_doubles();
    test_compare();
    test_malformed();
    test_pacifica_vectors();
    return done_testing();
}
