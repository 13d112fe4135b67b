/* Decimal <-> text and decimal <-> double. Text is the wire format, so parsing is strict and
 * every rejection says exactly what is wrong; formatting never uses an exponent. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "runtime/decimal_internal.h"

static int fail(char *err, size_t errcap, int status, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static int fail(char *err, size_t errcap, int status, const char *fmt, ...) {
    if (err && errcap) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, errcap, fmt, ap);
        va_end(ap);
    }
    return status;
}

static int unexpected(char *err, size_t errcap, const char *text, size_t offset) {
    unsigned char c = (unsigned char)text[offset];
    if (c >= 0x20 && c < 0x7f)
        return fail(err, errcap, RT_DECIMAL_INVALID, "unexpected character '%c' at offset %zu", c, offset);
    return fail(err, errcap, RT_DECIMAL_INVALID, "unexpected byte 0x%02x at offset %zu", c, offset);
}

static int equals_ignoring_case(const char *text, size_t len, const char *word) {
    return strlen(word) == len && strncasecmp(text, word, len) == 0;
}

/* Exponents beyond this are out of range whatever the digits (only zero survives them). */
#define EXPONENT_LIMIT 100000

int rt_decimal_parse(rt_decimal *out, const char *text, size_t len, char *err, size_t errcap) {
    if (!text || len == 0) return fail(err, errcap, RT_DECIMAL_INVALID, "empty");
    size_t i = 0;
    int negative = 0;
    if (text[0] == '+' || text[0] == '-') {
        negative = text[0] == '-';
        i = 1;
    }
    if (equals_ignoring_case(text + i, len - i, "nan") || equals_ignoring_case(text + i, len - i, "inf") ||
        equals_ignoring_case(text + i, len - i, "infinity"))
        return fail(err, errcap, RT_DECIMAL_INVALID, "NaN and infinity are not decimals");

    rt_u128 magnitude = 0;
    size_t significant = 0; /* digits from the first non-zero one on, trailing zeros included */
    size_t fraction_digits = 0;
    int any_digit = 0, seen_point = 0;
    for (; i < len; i++) {
        char c = text[i];
        if (c >= '0' && c <= '9') {
            any_digit = 1;
            if (seen_point) fraction_digits++;
            if (significant == 0 && c == '0') continue; /* a leading zero */
            significant++;
            if (significant <= 38) magnitude = magnitude * 10 + (rt_u128)(c - '0');
        } else if (c == '.' && !seen_point) {
            seen_point = 1;
        } else if ((c == 'e' || c == 'E') && any_digit) {
            break;
        } else {
            return unexpected(err, errcap, text, i);
        }
    }
    long exponent = 0;
    if (i < len) { /* at the 'e' */
        i++;
        int exponent_negative = 0;
        if (i < len && (text[i] == '+' || text[i] == '-')) {
            exponent_negative = text[i] == '-';
            i++;
        }
        if (i == len) return fail(err, errcap, RT_DECIMAL_INVALID, "exponent has no digits");
        for (; i < len; i++) {
            char c = text[i];
            if (c < '0' || c > '9') return unexpected(err, errcap, text, i);
            if (exponent <= EXPONENT_LIMIT) exponent = exponent * 10 + (c - '0');
        }
        if (exponent_negative) exponent = -exponent;
    }
    if (!any_digit) return fail(err, errcap, RT_DECIMAL_INVALID, "no digits");
    if (significant > 38) return fail(err, errcap, RT_DECIMAL_OVERFLOW, "more than 38 significant digits");
    if (magnitude == 0) { /* zero in any notation; keep its scale when it is a legal one */
        long scale = (long)(fraction_digits > 1000 ? 1000 : fraction_digits) - exponent;
        if (scale < 0) scale = 0;
        if (scale > RT_DECIMAL_MAX_SCALE) scale = RT_DECIMAL_MAX_SCALE;
        rt_decimal_pack(out, 0, 0, (int32_t)scale);
        return RT_DECIMAL_OK;
    }
    if (exponent > EXPONENT_LIMIT || exponent < -EXPONENT_LIMIT || fraction_digits > EXPONENT_LIMIT)
        return fail(err, errcap, RT_DECIMAL_OVERFLOW, "exponent out of range");
    long scale = (long)fraction_digits - exponent;
    if (scale < 0) {
        if ((long)significant - scale > 38) return fail(err, errcap, RT_DECIMAL_OVERFLOW, "more than 38 digits before the decimal point");
        magnitude *= rt_decimal_pow10((int)-scale);
        scale = 0;
    }
    /* "1.50e-37" is exactly 1.5e-37: drop trailing zeros only when the scale needs it. */
    while (scale > RT_DECIMAL_MAX_SCALE && magnitude % 10 == 0) {
        magnitude /= 10;
        scale--;
    }
    if (scale > RT_DECIMAL_MAX_SCALE) return fail(err, errcap, RT_DECIMAL_OVERFLOW, "more than 38 digits after the decimal point");
    rt_decimal_pack(out, negative, magnitude, (int32_t)scale);
    return RT_DECIMAL_OK;
}

/* Decimal digits of a magnitude below 10^38, most significant first; returns the count. */
static int magnitude_digits(rt_u128 magnitude, char digits[40]) {
    static const uint64_t chunk = 10000000000000000000ULL; /* 10^19 */
    uint64_t high = (uint64_t)(magnitude / chunk), low = (uint64_t)(magnitude % chunk);
    int n = high ? snprintf(digits, 40, "%llu%019llu", (unsigned long long)high, (unsigned long long)low)
                 : snprintf(digits, 40, "%llu", (unsigned long long)low);
    return n;
}

size_t rt_decimal_format(const rt_decimal *value, char *buf, size_t cap, int min_scale) {
    rt_decimal_parts x;
    if (buf && cap) buf[0] = '\0';
    if (!buf || rt_decimal_unpack(&x, value) != RT_DECIMAL_OK) return 0;
    if (min_scale > RT_DECIMAL_MAX_SCALE) min_scale = RT_DECIMAL_MAX_SCALE;
    char digits[40];
    int count = magnitude_digits(x.magnitude, digits);
    int scale = x.scale;
    /* Fraction digits to print: the stored ones minus trailing zeros, but never fewer than
     * min_scale, and padded up to min_scale. */
    int keep = scale;
    int floor_scale = min_scale < 0 ? 0 : min_scale;
    while (keep > floor_scale && keep > 0) {
        int position = count - (scale - keep) - 1; /* index of the last kept fraction digit */
        char digit = position >= 0 ? digits[position] : '0';
        if (digit != '0') break;
        keep--;
    }
    int pad = floor_scale > keep ? floor_scale - keep : 0;

    char text[RT_DECIMAL_TEXT_MAX];
    size_t n = 0;
    if (x.negative) text[n++] = '-';
    if (count > scale) {
        memcpy(text + n, digits, (size_t)(count - scale));
        n += (size_t)(count - scale);
    } else {
        text[n++] = '0';
    }
    if (keep + pad > 0) {
        text[n++] = '.';
        for (int k = 0; k < keep; k++) {
            int position = count - scale + k; /* may be negative: a leading fraction zero */
            text[n++] = position >= 0 ? digits[position] : '0';
        }
        for (int k = 0; k < pad; k++) text[n++] = '0';
    }
    if (n + 1 > cap) return 0;
    memcpy(buf, text, n);
    buf[n] = '\0';
    return n;
}

int rt_decimal_from_double(rt_decimal *out, double value) {
    if (!isfinite(value)) return RT_DECIMAL_INVALID;
    /* The shortest %e form that reads back as the same double (glibc rounds correctly both
     * ways); 17 significant digits always suffice. */
    char printed[40];
    for (int precision = 0; precision < 17; precision++) {
        snprintf(printed, sizeof printed, "%.*e", precision, value);
        if (strtod(printed, NULL) == value) break;
    }
    /* Rebuild as "<sign><digits>e<exponent>" without the radix character, whatever the locale
     * made it. */
    char digits[48];
    size_t n = 0;
    const char *p = printed;
    if (*p == '-') digits[n++] = *p++;
    int fraction = 0, after_point = 0;
    for (; *p && *p != 'e' && *p != 'E'; p++) {
        if (*p >= '0' && *p <= '9') {
            digits[n++] = *p;
            if (after_point) fraction++;
        } else
            after_point = 1;
    }
    long exponent = *p ? strtol(p + 1, NULL, 10) : 0;
    n += (size_t)snprintf(digits + n, sizeof digits - n, "e%ld", exponent - fraction);
    return rt_decimal_parse(out, digits, n, NULL, 0);
}

double rt_decimal_to_double(const rt_decimal *value) {
    rt_decimal_parts x;
    if (rt_decimal_unpack(&x, value) != RT_DECIMAL_OK) return NAN;
    char digits[40], text[64];
    magnitude_digits(x.magnitude, digits);
    /* No radix character, so strtod's answer (correctly rounded) cannot depend on the locale. */
    snprintf(text, sizeof text, "%s%se-%d", x.negative ? "-" : "", digits, (int)x.scale);
    return strtod(text, NULL);
}
