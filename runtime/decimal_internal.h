/* Internals shared by the decimal files (decimal.c, decimal_text.c, decimal_wide.c); not a
 * public API. Values are handled as a sign plus an unsigned 128-bit magnitude; every stored
 * magnitude is at most RT_DECIMAL_MAGNITUDE_MAX (38 nines), so any value can be negated,
 * printed and parsed back without loss. Intermediate results that may be wider (products,
 * scaled dividends) use rt_wide, a fixed 512-bit unsigned integer. */
#ifndef HEDGE_RUNTIME_DECIMAL_INTERNAL_H
#define HEDGE_RUNTIME_DECIMAL_INTERNAL_H

#include <stdint.h>

#include "runtime/decimal.h"

typedef unsigned __int128 rt_u128;

/* 10^38 - 1: the largest magnitude a decimal may hold. */
#define RT_DECIMAL_MAGNITUDE_MAX (rt_decimal_pow10(38) - 1)

/* 10^n for 0 <= n <= 38. */
rt_u128 rt_decimal_pow10(int n);

/* Sign and magnitude of a stored value; RT_DECIMAL_BAD_ARGUMENT when the value could not
 * have come from these functions (scale or magnitude out of range). */
typedef struct rt_decimal_parts {
    int negative;
    rt_u128 magnitude;
    int32_t scale;
} rt_decimal_parts;

int rt_decimal_unpack(rt_decimal_parts *parts, const rt_decimal *value);
/* Stores parts (magnitude must be within range); zero is never negative. */
void rt_decimal_pack(rt_decimal *out, int negative, rt_u128 magnitude, int32_t scale);
int rt_decimal_mode_valid(rt_rounding mode);

/* Whether a truncated quotient must move one unit away from zero under `mode`.
 * remainder_nonzero: digits were dropped; half: -1/0/1 as the dropped part is below, exactly
 * at or above one half of a unit; quotient_odd: the truncated quotient is odd.
 * Returns 1 (bump), 0 (keep) or -1 (mode is RT_ROUND_EXACT and digits were dropped). */
int rt_decimal_round_bump(rt_rounding mode, int negative, int remainder_nonzero, int half, int quotient_odd);

/* ---- 512-bit unsigned arithmetic (decimal_wide.c) ---- */
#define RT_WIDE_LIMBS 8
typedef struct rt_wide {
    uint64_t limb[RT_WIDE_LIMBS]; /* little-endian: limb[0] is the least significant */
} rt_wide;

void rt_wide_from_u128(rt_wide *out, rt_u128 value);
int rt_wide_fits_u128(const rt_wide *value);
rt_u128 rt_wide_low_u128(const rt_wide *value);
int rt_wide_is_zero(const rt_wide *value);
int rt_wide_cmp(const rt_wide *a, const rt_wide *b);
/* value *= factor; returns 1 if the product no longer fits 512 bits (value is then garbage). */
int rt_wide_mul_small(rt_wide *value, uint64_t factor);
/* value *= 10^n for any n >= 0 (same overflow report). */
int rt_wide_mul_pow10(rt_wide *value, int n);
/* out = a * b (at most 256 bits, never overflows). */
void rt_wide_mul_u128(rt_wide *out, rt_u128 a, rt_u128 b);
void rt_wide_add_small(rt_wide *value, uint64_t addend);
/* value /= divisor (divisor > 0); returns the remainder. */
uint64_t rt_wide_divmod_small(rt_wide *value, uint64_t divisor);
/* quotient = n / d, remainder = n % d (d != 0). */
void rt_wide_divmod(rt_wide *quotient, rt_wide *remainder, const rt_wide *n, const rt_wide *d);
/* a = a + b, a = a - b (a >= b), a <<= 1; the caller ensures no overflow. */
void rt_wide_add(rt_wide *a, const rt_wide *b);
void rt_wide_sub(rt_wide *a, const rt_wide *b);
void rt_wide_shift_left1(rt_wide *value);

#endif
