/* Exact fixed-point decimals for prices and sizes that go on the wire.
 *
 * A value is mantissa × 10^-scale with a signed 128-bit mantissa and
 * 0 <= scale <= RT_DECIMAL_MAX_SCALE. Every value these functions produce has |mantissa| <=
 * 10^38 - 1 (38 digits), so any value can be negated, printed and parsed back; a result that
 * needs more is RT_DECIMAL_OVERFLOW. A struct that breaks these limits (built by hand) is
 * refused with RT_DECIMAL_BAD_ARGUMENT rather than read out of range. The mantissa is stored as two 64-bit
 * halves so that LuaJIT's FFI (which has no __int128) can hold a decimal as plain cdata.
 * Every operation that can lose digits takes an explicit rounding mode; every operation that
 * can overflow reports it instead of wrapping. Functions return RT_DECIMAL_OK (0) or a
 * status; on failure *out is left unchanged. */
#ifndef HEDGE_RUNTIME_DECIMAL_H
#define HEDGE_RUNTIME_DECIMAL_H

#include <stddef.h>
#include <stdint.h>

#define RT_DECIMAL_MAX_SCALE 38
/* Longest text rt_decimal_format can produce, with the terminating NUL. */
#define RT_DECIMAL_TEXT_MAX 84

typedef struct rt_decimal {
    uint64_t lo;      /* low 64 bits of the two's-complement 128-bit mantissa */
    int64_t hi;       /* high 64 bits (carries the sign) */
    int32_t scale;    /* number of digits after the decimal point */
    int32_t reserved; /* zero; keeps the layout stable for FFI */
} rt_decimal;

typedef enum rt_rounding {
    RT_ROUND_DOWN = 0,      /* toward zero */
    RT_ROUND_UP,            /* away from zero */
    RT_ROUND_FLOOR,         /* toward -infinity */
    RT_ROUND_CEIL,          /* toward +infinity */
    RT_ROUND_HALF_UP,       /* nearest, ties away from zero */
    RT_ROUND_HALF_DOWN,     /* nearest, ties toward zero */
    RT_ROUND_HALF_EVEN,     /* nearest, ties to the even neighbour */
    RT_ROUND_EXACT          /* no rounding allowed: RT_DECIMAL_INEXACT if digits would be lost */
} rt_rounding;

typedef enum rt_decimal_status {
    RT_DECIMAL_OK = 0,
    RT_DECIMAL_INVALID,          /* text is not a decimal number (syntax), NaN or infinity */
    RT_DECIMAL_OVERFLOW,         /* result needs more than 38 digits or more than 38 decimal places */
    RT_DECIMAL_DIVISION_BY_ZERO,
    RT_DECIMAL_INEXACT,          /* RT_ROUND_EXACT and the value is not representable */
    RT_DECIMAL_BAD_ARGUMENT      /* bad rounding mode, scale out of range, zero/negative increment,
                                    malformed rt_decimal */
} rt_decimal_status;

/* Parses "-12.3400", "+5", ".5", "5.", "1e-3", "1.5E+2" (exponent accepted, result exact).
 * Syntax errors are RT_DECIMAL_INVALID: empty text, spaces, "NaN", "inf", hex, "1..2", "1e".
 * Well-formed numbers that do not fit are RT_DECIMAL_OVERFLOW: more than 38 significant digits
 * after stripping leading zeros (trailing zeros count: they are kept in the scale), or a
 * scale beyond RT_DECIMAL_MAX_SCALE that dropping trailing zeros cannot fix.
 * Trailing zeros after the point are kept in the scale ("1.50" has scale 2); zero is never
 * negative ("-0.00" is 0 with scale 2).
 * On failure, when err is not NULL, writes a message naming what is wrong (at most errcap),
 * e.g. "unexpected character 'x' at offset 3", "more than 38 significant digits", "empty". */
int rt_decimal_parse(rt_decimal *out, const char *text, size_t len, char *err, size_t errcap);

/* Writes plain notation (never an exponent) into buf and returns the length (excluding NUL),
 * or 0 if cap is too small (RT_DECIMAL_TEXT_MAX is always enough) or the value is malformed.
 * min_scale < 0: trailing fractional zeros removed ("1.50" -> "1.5", "2.00" -> "2").
 * min_scale >= 0: at least min_scale fractional digits (padded with zeros), more if needed
 * ("1.50" with 0 -> "1.5", with 3 -> "1.500"); values above 38 count as 38. */
size_t rt_decimal_format(const rt_decimal *value, char *buf, size_t cap, int min_scale);

/* Integers: value = units × 10^-scale (so from_int(&d, 12345, 2) is 123.45). A negative scale
 * multiplies (from_int(&d, 5, -3) is 5000, stored with scale 0) and can overflow; a scale
 * above 38 is RT_DECIMAL_BAD_ARGUMENT. */
int rt_decimal_from_int(rt_decimal *out, int64_t units, int32_t scale);
void rt_decimal_zero(rt_decimal *out);

/* Explicit conversion from a binary double: the shortest decimal that converts back to the
 * same double (at most 17 significant digits): 0.1 -> "0.1". NaN and infinities are
 * RT_DECIMAL_INVALID; magnitudes of 1e38 and above, or needing more than 38 decimal places
 * (below about 1e-38), are RT_DECIMAL_OVERFLOW. */
int rt_decimal_from_double(rt_decimal *out, double value);
/* Nearest double (for decisions and display, never for the wire); NaN for a malformed value. */
double rt_decimal_to_double(const rt_decimal *value);

int rt_decimal_sign(const rt_decimal *value);                           /* -1, 0, 1 */
int rt_decimal_cmp(const rt_decimal *a, const rt_decimal *b);           /* -1, 0, 1; 1.50 == 1.5 */
int rt_decimal_neg(rt_decimal *out, const rt_decimal *a);
int rt_decimal_abs(rt_decimal *out, const rt_decimal *a);

/* Exact: the result scale is max(a.scale, b.scale) for add/sub and a.scale + b.scale for mul
 * (trailing zeros are removed from a result only when needed to stay within the limits;
 * RT_DECIMAL_OVERFLOW when even that is not enough). */
int rt_decimal_add(rt_decimal *out, const rt_decimal *a, const rt_decimal *b);
int rt_decimal_sub(rt_decimal *out, const rt_decimal *a, const rt_decimal *b);
int rt_decimal_mul(rt_decimal *out, const rt_decimal *a, const rt_decimal *b);
/* a / b rounded to `scale` (0..38) fractional digits with `mode`. */
int rt_decimal_div(rt_decimal *out, const rt_decimal *a, const rt_decimal *b, int32_t scale, rt_rounding mode);

/* Rounds to `scale` (0..38) fractional digits (scale may be larger than the value's: padding is
 * exact, but can overflow). */
int rt_decimal_rescale(rt_decimal *out, const rt_decimal *a, int32_t scale, rt_rounding mode);
/* Rounds to a multiple of a positive increment (a tick or lot size such as "0.05");
 * the result carries the increment's scale. */
int rt_decimal_quantize(rt_decimal *out, const rt_decimal *a, const rt_decimal *increment, rt_rounding mode);
/* Number of increments in `a` after rounding with `mode`: the integer the wire carries
 * (price ticks, size lots, quantised amounts). RT_DECIMAL_OVERFLOW if it does not fit int64. */
int rt_decimal_to_units(int64_t *units, const rt_decimal *a, const rt_decimal *increment, rt_rounding mode);

/* Removes trailing fractional zeros (1.500 -> 1.5) without changing the value (a malformed
 * value is left alone). */
void rt_decimal_normalize(rt_decimal *value);

const char *rt_decimal_status_text(int status);
/* "down", "up", "floor", "ceil", "half_up", "half_down", "half_even", "exact" (exact spelling);
 * RT_DECIMAL_OK or RT_DECIMAL_BAD_ARGUMENT. */
int rt_decimal_rounding_from_name(const char *name, rt_rounding *mode);
const char *rt_decimal_rounding_name(rt_rounding mode);                 /* "?" when out of range */

#endif
