/* Just enough 512-bit unsigned arithmetic for exact decimal products and quotients: a
 * 38-digit dividend scaled by up to 10^76 needs about 380 bits, so eight 64-bit limbs leave
 * room for doubling a remainder when deciding a rounding tie. */
#include <string.h>

#include "runtime/decimal_internal.h"

void rt_wide_from_u128(rt_wide *out, rt_u128 value) {
    memset(out, 0, sizeof *out);
    out->limb[0] = (uint64_t)value;
    out->limb[1] = (uint64_t)(value >> 64);
}

int rt_wide_fits_u128(const rt_wide *value) {
    for (int i = 2; i < RT_WIDE_LIMBS; i++)
        if (value->limb[i]) return 0;
    return 1;
}

rt_u128 rt_wide_low_u128(const rt_wide *value) {
    return ((rt_u128)value->limb[1] << 64) | value->limb[0];
}

int rt_wide_is_zero(const rt_wide *value) {
    for (int i = 0; i < RT_WIDE_LIMBS; i++)
        if (value->limb[i]) return 0;
    return 1;
}

int rt_wide_cmp(const rt_wide *a, const rt_wide *b) {
    for (int i = RT_WIDE_LIMBS - 1; i >= 0; i--) {
        if (a->limb[i] != b->limb[i]) return a->limb[i] < b->limb[i] ? -1 : 1;
    }
    return 0;
}

int rt_wide_mul_small(rt_wide *value, uint64_t factor) {
    rt_u128 carry = 0;
    for (int i = 0; i < RT_WIDE_LIMBS; i++) {
        rt_u128 product = (rt_u128)value->limb[i] * factor + carry;
        value->limb[i] = (uint64_t)product;
        carry = product >> 64;
    }
    return carry != 0;
}

int rt_wide_mul_pow10(rt_wide *value, int n) {
    static const uint64_t pow10_19 = 10000000000000000000ULL;
    while (n >= 19) {
        if (rt_wide_mul_small(value, pow10_19)) return 1;
        n -= 19;
    }
    return n > 0 ? rt_wide_mul_small(value, (uint64_t)rt_decimal_pow10(n)) : 0;
}

void rt_wide_mul_u128(rt_wide *out, rt_u128 a, rt_u128 b) {
    uint64_t x[2] = {(uint64_t)a, (uint64_t)(a >> 64)};
    uint64_t y[2] = {(uint64_t)b, (uint64_t)(b >> 64)};
    memset(out, 0, sizeof *out);
    for (int i = 0; i < 2; i++) {
        rt_u128 carry = 0;
        for (int j = 0; j < 2; j++) {
            rt_u128 t = (rt_u128)x[i] * y[j] + out->limb[i + j] + carry;
            out->limb[i + j] = (uint64_t)t;
            carry = t >> 64;
        }
        out->limb[i + 2] = (uint64_t)carry;
    }
}

void rt_wide_add_small(rt_wide *value, uint64_t addend) {
    for (int i = 0; i < RT_WIDE_LIMBS && addend; i++) {
        uint64_t sum = value->limb[i] + addend;
        addend = sum < addend; /* carry */
        value->limb[i] = sum;
    }
}

uint64_t rt_wide_divmod_small(rt_wide *value, uint64_t divisor) {
    rt_u128 remainder = 0;
    for (int i = RT_WIDE_LIMBS - 1; i >= 0; i--) {
        rt_u128 current = (remainder << 64) | value->limb[i];
        value->limb[i] = (uint64_t)(current / divisor);
        remainder = current % divisor;
    }
    return (uint64_t)remainder;
}

void rt_wide_add(rt_wide *a, const rt_wide *b) {
    uint64_t carry = 0;
    for (int i = 0; i < RT_WIDE_LIMBS; i++) {
        uint64_t sum = a->limb[i] + b->limb[i];
        uint64_t carry_out = sum < a->limb[i];
        uint64_t total = sum + carry;
        carry_out |= total < sum;
        a->limb[i] = total;
        carry = carry_out;
    }
}

void rt_wide_sub(rt_wide *a, const rt_wide *b) {
    uint64_t borrow = 0;
    for (int i = 0; i < RT_WIDE_LIMBS; i++) {
        uint64_t x = a->limb[i], y = b->limb[i];
        uint64_t diff = x - y - borrow;
        borrow = (x < y) || (x - y < borrow);
        a->limb[i] = diff;
    }
}

void rt_wide_shift_left1(rt_wide *value) {
    for (int i = RT_WIDE_LIMBS - 1; i > 0; i--) value->limb[i] = (value->limb[i] << 1) | (value->limb[i - 1] >> 63);
    value->limb[0] <<= 1;
}

static int bit_length(const rt_wide *value) {
    for (int i = RT_WIDE_LIMBS - 1; i >= 0; i--)
        if (value->limb[i]) return i * 64 + (64 - __builtin_clzll(value->limb[i]));
    return 0;
}

void rt_wide_divmod(rt_wide *quotient, rt_wide *remainder, const rt_wide *n, const rt_wide *d) {
    int d_small = 1;
    for (int i = 1; i < RT_WIDE_LIMBS; i++)
        if (d->limb[i]) d_small = 0;
    if (d_small) {
        /* The common case (a divisor below 2^64) takes one hardware division per limb. */
        rt_wide q = *n;
        uint64_t r = rt_wide_divmod_small(&q, d->limb[0]);
        *quotient = q;
        rt_wide_from_u128(remainder, r);
        return;
    }
    /* Otherwise binary long division: at most ~400 steps for the sizes decimals produce. */
    rt_wide q, r;
    memset(&q, 0, sizeof q);
    memset(&r, 0, sizeof r);
    for (int bit = bit_length(n) - 1; bit >= 0; bit--) {
        rt_wide_shift_left1(&r);
        r.limb[0] |= (n->limb[bit / 64] >> (bit % 64)) & 1;
        if (rt_wide_cmp(&r, d) >= 0) {
            rt_wide_sub(&r, d);
            q.limb[bit / 64] |= 1ULL << (bit % 64);
        }
    }
    *quotient = q;
    *remainder = r;
}
