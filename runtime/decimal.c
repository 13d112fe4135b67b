/* Exact decimal arithmetic (runtime/decimal.h): comparisons, + - × ÷, rescaling and rounding
 * to ticks and lots. Text conversion lives in decimal_text.c, wide integers in
 * decimal_wide.c. Every function validates its inputs and leaves *out alone on failure. */
#include <string.h>

#include "runtime/decimal_internal.h"

/* ---- representation ------------------------------------------------------------------- */

static const uint64_t small_pow10[20] = {
    1ULL, 10ULL, 100ULL, 1000ULL, 10000ULL, 100000ULL, 1000000ULL, 10000000ULL, 100000000ULL,
    1000000000ULL, 10000000000ULL, 100000000000ULL, 1000000000000ULL, 10000000000000ULL,
    100000000000000ULL, 1000000000000000ULL, 10000000000000000ULL, 100000000000000000ULL,
    1000000000000000000ULL, 10000000000000000000ULL};

rt_u128 rt_decimal_pow10(int n) {
    if (n < 20) return small_pow10[n];
    return (rt_u128)small_pow10[19] * small_pow10[n - 19];
}

int rt_decimal_unpack(rt_decimal_parts *parts, const rt_decimal *value) {
    if (!value || value->scale < 0 || value->scale > RT_DECIMAL_MAX_SCALE) return RT_DECIMAL_BAD_ARGUMENT;
    rt_u128 bits = ((rt_u128)(uint64_t)value->hi << 64) | value->lo;
    int negative = value->hi < 0;
    rt_u128 magnitude = negative ? (rt_u128)0 - bits : bits;
    if (magnitude > RT_DECIMAL_MAGNITUDE_MAX) return RT_DECIMAL_BAD_ARGUMENT;
    parts->negative = negative;
    parts->magnitude = magnitude;
    parts->scale = value->scale;
    return RT_DECIMAL_OK;
}

void rt_decimal_pack(rt_decimal *out, int negative, rt_u128 magnitude, int32_t scale) {
    rt_u128 bits = negative && magnitude ? (rt_u128)0 - magnitude : magnitude;
    out->lo = (uint64_t)bits;
    out->hi = (int64_t)(uint64_t)(bits >> 64);
    out->scale = scale;
    out->reserved = 0;
}

int rt_decimal_mode_valid(rt_rounding mode) { return (int)mode >= RT_ROUND_DOWN && mode <= RT_ROUND_EXACT; }

int rt_decimal_round_bump(rt_rounding mode, int negative, int remainder_nonzero, int half, int quotient_odd) {
    if (!remainder_nonzero) return 0;
    switch (mode) {
    case RT_ROUND_DOWN: return 0;
    case RT_ROUND_UP: return 1;
    case RT_ROUND_FLOOR: return negative;
    case RT_ROUND_CEIL: return !negative;
    case RT_ROUND_HALF_UP: return half >= 0;
    case RT_ROUND_HALF_DOWN: return half > 0;
    case RT_ROUND_HALF_EVEN: return half > 0 || (half == 0 && quotient_odd);
    case RT_ROUND_EXACT:
    default: return -1;
    }
}

/* Rounds |n| / |d| (both wide, d != 0) to an integer. */
static int divide_wide_rounded(rt_wide *quotient, const rt_wide *n, const rt_wide *d, int negative, rt_rounding mode) {
    rt_wide q, r;
    rt_wide_divmod(&q, &r, n, d);
    int nonzero = !rt_wide_is_zero(&r);
    int half = 0;
    if (nonzero) {
        rt_wide_shift_left1(&r); /* r < d < 2^400, so doubling cannot overflow 512 bits */
        half = rt_wide_cmp(&r, d);
    }
    int bump = rt_decimal_round_bump(mode, negative, nonzero, half, (int)(q.limb[0] & 1));
    if (bump < 0) return RT_DECIMAL_INEXACT;
    if (bump) rt_wide_add_small(&q, 1);
    *quotient = q;
    return RT_DECIMAL_OK;
}

/* Rounds |n| / |d| in native 128-bit arithmetic when both fit. */
static int divide_u128_rounded(rt_u128 *quotient, rt_u128 n, rt_u128 d, int negative, rt_rounding mode) {
    rt_u128 q = n / d, r = n % d;
    int half = 0;
    if (r) {
        rt_u128 rest = d - r; /* compare r with d - r instead of 2r with d: no overflow */
        half = r < rest ? -1 : r > rest ? 1 : 0;
    }
    int bump = rt_decimal_round_bump(mode, negative, r != 0, half, (int)(q & 1));
    if (bump < 0) return RT_DECIMAL_INEXACT;
    *quotient = q + (rt_u128)bump;
    return RT_DECIMAL_OK;
}

/* round(a / b × 10^scale) as a wide magnitude and a sign: the common core of div,
 * quantize and to_units. */
static int scaled_quotient(rt_wide *quotient, int *negative, const rt_decimal_parts *a, const rt_decimal_parts *b,
                           int32_t scale, rt_rounding mode) {
    if (b->magnitude == 0) return RT_DECIMAL_DIVISION_BY_ZERO;
    int neg = a->negative != b->negative && a->magnitude != 0;
    int32_t exponent = scale + b->scale - a->scale; /* quotient = ma × 10^exponent / mb */
    rt_u128 limit = ~(rt_u128)0;
    if (exponent >= 0 && exponent <= 38 && a->magnitude <= limit / rt_decimal_pow10(exponent)) {
        rt_u128 q;
        int status = divide_u128_rounded(&q, a->magnitude * rt_decimal_pow10(exponent), b->magnitude, neg, mode);
        if (status != RT_DECIMAL_OK) return status;
        rt_wide_from_u128(quotient, q);
    } else if (exponent < 0 && -exponent <= 38 && b->magnitude <= limit / rt_decimal_pow10(-exponent)) {
        rt_u128 q;
        int status = divide_u128_rounded(&q, a->magnitude, b->magnitude * rt_decimal_pow10(-exponent), neg, mode);
        if (status != RT_DECIMAL_OK) return status;
        rt_wide_from_u128(quotient, q);
    } else {
        rt_wide n, d;
        rt_wide_from_u128(&n, a->magnitude);
        rt_wide_from_u128(&d, b->magnitude);
        /* |exponent| <= 76: at most 10^38 × 10^76, about 380 bits. */
        if (exponent >= 0) rt_wide_mul_pow10(&n, exponent);
        else rt_wide_mul_pow10(&d, -exponent);
        int status = divide_wide_rounded(quotient, &n, &d, neg, mode);
        if (status != RT_DECIMAL_OK) return status;
    }
    *negative = neg && !rt_wide_is_zero(quotient);
    return RT_DECIMAL_OK;
}

/* Stores a wide magnitude at `scale`, dropping trailing zeros only when the value would not
 * fit otherwise (both for the magnitude limit and for the scale limit). */
static int store_wide(rt_decimal *out, int negative, rt_wide magnitude, int32_t scale) {
    rt_wide limit;
    rt_wide_from_u128(&limit, RT_DECIMAL_MAGNITUDE_MAX);
    while ((scale > RT_DECIMAL_MAX_SCALE || rt_wide_cmp(&magnitude, &limit) > 0) && scale > 0) {
        rt_wide shorter = magnitude;
        if (rt_wide_divmod_small(&shorter, 10) != 0) break;
        magnitude = shorter;
        scale--;
    }
    if (scale > RT_DECIMAL_MAX_SCALE || rt_wide_cmp(&magnitude, &limit) > 0) return RT_DECIMAL_OVERFLOW;
    rt_decimal_pack(out, negative, rt_wide_low_u128(&magnitude), scale);
    return RT_DECIMAL_OK;
}

/* ---- construction and inspection --------------------------------------------------------- */

void rt_decimal_zero(rt_decimal *out) { rt_decimal_pack(out, 0, 0, 0); }

int rt_decimal_from_int(rt_decimal *out, int64_t units, int32_t scale) {
    if (scale > RT_DECIMAL_MAX_SCALE) return RT_DECIMAL_BAD_ARGUMENT;
    int negative = units < 0;
    rt_u128 magnitude = negative ? (rt_u128)0 - (rt_u128)(__int128)units : (rt_u128)units;
    if (scale < 0) {
        /* A negative scale multiplies: from_int(&d, 5, -3) is 5000. */
        if (magnitude != 0) {
            if (scale < -RT_DECIMAL_MAX_SCALE) return RT_DECIMAL_OVERFLOW;
            rt_u128 factor = rt_decimal_pow10(-scale);
            if (magnitude > RT_DECIMAL_MAGNITUDE_MAX / factor) return RT_DECIMAL_OVERFLOW;
            magnitude *= factor;
        }
        scale = 0;
    }
    rt_decimal_pack(out, negative, magnitude, scale);
    return RT_DECIMAL_OK;
}

int rt_decimal_sign(const rt_decimal *value) {
    if (!value) return 0;
    if (value->hi < 0) return -1;
    return (value->hi | (int64_t)value->lo) != 0 ? 1 : 0;
}

/* Compares magnitudes ma × 10^-sa and mb × 10^-sb. */
static int compare_magnitudes(rt_u128 ma, int32_t sa, rt_u128 mb, int32_t sb) {
    if (sa != sb) {
        /* Bring both to the larger scale; native when it fits, wide otherwise. */
        int shift = sa > sb ? sa - sb : sb - sa;
        rt_u128 *smaller = sa > sb ? &mb : &ma;
        rt_u128 factor = rt_decimal_pow10(shift);
        if (*smaller > ~(rt_u128)0 / factor) {
            rt_wide a, b;
            rt_wide_from_u128(&a, ma);
            rt_wide_from_u128(&b, mb);
            rt_wide_mul_pow10(sa > sb ? &b : &a, shift);
            return rt_wide_cmp(&a, &b);
        }
        *smaller *= factor;
    }
    return ma < mb ? -1 : ma > mb ? 1 : 0;
}

int rt_decimal_cmp(const rt_decimal *a, const rt_decimal *b) {
    rt_decimal_parts x, y;
    int sign_a = rt_decimal_sign(a), sign_b = rt_decimal_sign(b);
    if (sign_a != sign_b) return sign_a < sign_b ? -1 : 1;
    if (sign_a == 0) return 0;
    /* Malformed values (not from these functions) are ordered by sign only, never read out of range. */
    if (rt_decimal_unpack(&x, a) != RT_DECIMAL_OK || rt_decimal_unpack(&y, b) != RT_DECIMAL_OK) return 0;
    int order = compare_magnitudes(x.magnitude, x.scale, y.magnitude, y.scale);
    return sign_a < 0 ? -order : order;
}

int rt_decimal_neg(rt_decimal *out, const rt_decimal *a) {
    rt_decimal_parts x;
    int status = rt_decimal_unpack(&x, a);
    if (status != RT_DECIMAL_OK) return status;
    rt_decimal_pack(out, !x.negative, x.magnitude, x.scale);
    return RT_DECIMAL_OK;
}

int rt_decimal_abs(rt_decimal *out, const rt_decimal *a) {
    rt_decimal_parts x;
    int status = rt_decimal_unpack(&x, a);
    if (status != RT_DECIMAL_OK) return status;
    rt_decimal_pack(out, 0, x.magnitude, x.scale);
    return RT_DECIMAL_OK;
}

void rt_decimal_normalize(rt_decimal *value) {
    rt_decimal_parts x;
    if (rt_decimal_unpack(&x, value) != RT_DECIMAL_OK) return;
    while (x.scale > 0 && x.magnitude % 10 == 0) {
        x.magnitude /= 10;
        x.scale--;
    }
    rt_decimal_pack(value, x.negative, x.magnitude, x.scale);
}

/* ---- arithmetic ------------------------------------------------------------------------------ */

static int add_parts(rt_decimal *out, rt_decimal_parts x, rt_decimal_parts y) {
    int32_t scale = x.scale > y.scale ? x.scale : y.scale;
    rt_decimal_parts *smaller = x.scale < y.scale ? &x : &y;
    rt_u128 factor = rt_decimal_pow10(scale - smaller->scale);
    if (smaller->magnitude <= RT_DECIMAL_MAGNITUDE_MAX / factor) {
        /* Both magnitudes now below 10^38: the sum stays below 2^128. */
        smaller->magnitude *= factor;
        rt_u128 magnitude;
        int negative;
        if (x.negative == y.negative) {
            magnitude = x.magnitude + y.magnitude;
            negative = x.negative;
        } else if (x.magnitude >= y.magnitude) {
            magnitude = x.magnitude - y.magnitude;
            negative = x.negative;
        } else {
            magnitude = y.magnitude - x.magnitude;
            negative = y.negative;
        }
        if (magnitude <= RT_DECIMAL_MAGNITUDE_MAX) {
            rt_decimal_pack(out, negative, magnitude, scale);
            return RT_DECIMAL_OK;
        }
        rt_wide wide;
        rt_wide_from_u128(&wide, magnitude);
        return store_wide(out, negative, wide, scale);
    }
    /* The aligned operand needs more than 38 digits: do it wide, then fit if possible. */
    rt_wide a, b;
    rt_wide_from_u128(&a, x.magnitude);
    rt_wide_from_u128(&b, y.magnitude);
    rt_wide_mul_pow10(x.scale < y.scale ? &a : &b, scale - smaller->scale);
    int negative;
    if (x.negative == y.negative) {
        rt_wide_add(&a, &b);
        negative = x.negative;
    } else if (rt_wide_cmp(&a, &b) >= 0) {
        rt_wide_sub(&a, &b);
        negative = x.negative;
    } else {
        rt_wide_sub(&b, &a);
        a = b;
        negative = y.negative;
    }
    return store_wide(out, negative && !rt_wide_is_zero(&a), a, scale);
}

int rt_decimal_add(rt_decimal *out, const rt_decimal *a, const rt_decimal *b) {
    rt_decimal_parts x, y;
    if (rt_decimal_unpack(&x, a) != RT_DECIMAL_OK || rt_decimal_unpack(&y, b) != RT_DECIMAL_OK) return RT_DECIMAL_BAD_ARGUMENT;
    return add_parts(out, x, y);
}

int rt_decimal_sub(rt_decimal *out, const rt_decimal *a, const rt_decimal *b) {
    rt_decimal_parts x, y;
    if (rt_decimal_unpack(&x, a) != RT_DECIMAL_OK || rt_decimal_unpack(&y, b) != RT_DECIMAL_OK) return RT_DECIMAL_BAD_ARGUMENT;
    y.negative = !y.negative && y.magnitude != 0;
    return add_parts(out, x, y);
}

int rt_decimal_mul(rt_decimal *out, const rt_decimal *a, const rt_decimal *b) {
    rt_decimal_parts x, y;
    if (rt_decimal_unpack(&x, a) != RT_DECIMAL_OK || rt_decimal_unpack(&y, b) != RT_DECIMAL_OK) return RT_DECIMAL_BAD_ARGUMENT;
    int negative = x.negative != y.negative && x.magnitude != 0 && y.magnitude != 0;
    int32_t scale = x.scale + y.scale;
    if ((x.magnitude >> 64) == 0 && (y.magnitude >> 64) == 0) {
        rt_u128 product = x.magnitude * y.magnitude; /* two 64-bit factors: fits 128 bits */
        if (product <= RT_DECIMAL_MAGNITUDE_MAX && scale <= RT_DECIMAL_MAX_SCALE) {
            rt_decimal_pack(out, negative, product, scale);
            return RT_DECIMAL_OK;
        }
    }
    rt_wide product;
    rt_wide_mul_u128(&product, x.magnitude, y.magnitude);
    return store_wide(out, negative, product, scale);
}

int rt_decimal_div(rt_decimal *out, const rt_decimal *a, const rt_decimal *b, int32_t scale, rt_rounding mode) {
    rt_decimal_parts x, y;
    if (rt_decimal_unpack(&x, a) != RT_DECIMAL_OK || rt_decimal_unpack(&y, b) != RT_DECIMAL_OK) return RT_DECIMAL_BAD_ARGUMENT;
    if (!rt_decimal_mode_valid(mode) || scale < 0 || scale > RT_DECIMAL_MAX_SCALE) return RT_DECIMAL_BAD_ARGUMENT;
    rt_wide quotient;
    int negative;
    int status = scaled_quotient(&quotient, &negative, &x, &y, scale, mode);
    if (status != RT_DECIMAL_OK) return status;
    rt_wide limit;
    rt_wide_from_u128(&limit, RT_DECIMAL_MAGNITUDE_MAX);
    if (rt_wide_cmp(&quotient, &limit) > 0) return RT_DECIMAL_OVERFLOW;
    rt_decimal_pack(out, negative, rt_wide_low_u128(&quotient), scale);
    return RT_DECIMAL_OK;
}

int rt_decimal_rescale(rt_decimal *out, const rt_decimal *a, int32_t scale, rt_rounding mode) {
    rt_decimal_parts x;
    if (rt_decimal_unpack(&x, a) != RT_DECIMAL_OK) return RT_DECIMAL_BAD_ARGUMENT;
    if (!rt_decimal_mode_valid(mode) || scale < 0 || scale > RT_DECIMAL_MAX_SCALE) return RT_DECIMAL_BAD_ARGUMENT;
    rt_u128 magnitude;
    if (scale >= x.scale) {
        rt_u128 factor = rt_decimal_pow10(scale - x.scale);
        if (x.magnitude > RT_DECIMAL_MAGNITUDE_MAX / factor) return RT_DECIMAL_OVERFLOW;
        magnitude = x.magnitude * factor;
    } else {
        int status = divide_u128_rounded(&magnitude, x.magnitude, rt_decimal_pow10(x.scale - scale), x.negative, mode);
        if (status != RT_DECIMAL_OK) return status;
        /* Rounding 99.99 up to scale 0 gives 100: can reach 10^38 only from 38 nines. */
        if (magnitude > RT_DECIMAL_MAGNITUDE_MAX) return RT_DECIMAL_OVERFLOW;
    }
    rt_decimal_pack(out, x.negative && magnitude != 0, magnitude, scale);
    return RT_DECIMAL_OK;
}

static int load_increment(rt_decimal_parts *inc, const rt_decimal *increment) {
    if (rt_decimal_unpack(inc, increment) != RT_DECIMAL_OK) return RT_DECIMAL_BAD_ARGUMENT;
    if (inc->negative || inc->magnitude == 0) return RT_DECIMAL_BAD_ARGUMENT;
    return RT_DECIMAL_OK;
}

int rt_decimal_quantize(rt_decimal *out, const rt_decimal *a, const rt_decimal *increment, rt_rounding mode) {
    rt_decimal_parts x, inc;
    if (rt_decimal_unpack(&x, a) != RT_DECIMAL_OK || load_increment(&inc, increment) != RT_DECIMAL_OK ||
        !rt_decimal_mode_valid(mode))
        return RT_DECIMAL_BAD_ARGUMENT;
    rt_wide steps;
    int negative;
    int status = scaled_quotient(&steps, &negative, &x, &inc, 0, mode);
    if (status != RT_DECIMAL_OK) return status;
    /* steps × increment: the increment's scale is kept (a price on a 0.50 tick prints as the
     * venue expects once formatted), so only the magnitude can overflow. */
    if (!rt_wide_fits_u128(&steps)) return RT_DECIMAL_OVERFLOW;
    rt_wide magnitude;
    rt_wide_mul_u128(&magnitude, rt_wide_low_u128(&steps), inc.magnitude);
    rt_wide limit;
    rt_wide_from_u128(&limit, RT_DECIMAL_MAGNITUDE_MAX);
    if (rt_wide_cmp(&magnitude, &limit) > 0) return RT_DECIMAL_OVERFLOW;
    rt_decimal_pack(out, negative, rt_wide_low_u128(&magnitude), inc.scale);
    return RT_DECIMAL_OK;
}

int rt_decimal_to_units(int64_t *units, const rt_decimal *a, const rt_decimal *increment, rt_rounding mode) {
    rt_decimal_parts x, inc;
    if (!units || rt_decimal_unpack(&x, a) != RT_DECIMAL_OK || load_increment(&inc, increment) != RT_DECIMAL_OK ||
        !rt_decimal_mode_valid(mode))
        return RT_DECIMAL_BAD_ARGUMENT;
    rt_wide steps;
    int negative;
    int status = scaled_quotient(&steps, &negative, &x, &inc, 0, mode);
    if (status != RT_DECIMAL_OK) return status;
    if (!rt_wide_fits_u128(&steps)) return RT_DECIMAL_OVERFLOW;
    rt_u128 count = rt_wide_low_u128(&steps);
    rt_u128 max = negative ? (rt_u128)1 << 63 : (rt_u128)INT64_MAX;
    if (count > max) return RT_DECIMAL_OVERFLOW;
    *units = negative ? (int64_t)((uint64_t)0 - (uint64_t)count) : (int64_t)count;
    return RT_DECIMAL_OK;
}

/* ---- names ------------------------------------------------------------------------------------ */

const char *rt_decimal_status_text(int status) {
    switch (status) {
    case RT_DECIMAL_OK: return "ok";
    case RT_DECIMAL_INVALID: return "not a decimal number";
    case RT_DECIMAL_OVERFLOW: return "decimal overflow: the result needs more than 38 digits or more than 38 decimal places";
    case RT_DECIMAL_DIVISION_BY_ZERO: return "division by zero";
    case RT_DECIMAL_INEXACT: return "inexact: rounding mode 'exact' but digits would be lost";
    case RT_DECIMAL_BAD_ARGUMENT:
        return "bad argument: unknown rounding mode, scale outside 0..38, non-positive increment or malformed decimal";
    default: return "unknown decimal status";
    }
}

static const char *const rounding_names[] = {"down", "up", "floor", "ceil", "half_up", "half_down", "half_even", "exact"};

int rt_decimal_rounding_from_name(const char *name, rt_rounding *mode) {
    if (!name) return RT_DECIMAL_BAD_ARGUMENT;
    for (int i = RT_ROUND_DOWN; i <= RT_ROUND_EXACT; i++) {
        if (strcmp(name, rounding_names[i]) == 0) {
            if (mode) *mode = (rt_rounding)i;
            return RT_DECIMAL_OK;
        }
    }
    return RT_DECIMAL_BAD_ARGUMENT;
}

const char *rt_decimal_rounding_name(rt_rounding mode) {
    return rt_decimal_mode_valid(mode) ? rounding_names[mode] : "?";
}
