/* Pacifica funding conversions (see funding.h). */
#include "exchanges/pacifica/funding.h"

#include <stdio.h>
#include <string.h>

/* out = value × factor, exactly, without trailing zeros. */
static int multiply_by_integer(rt_decimal *out, const rt_decimal *value, int64_t factor) {
    rt_decimal multiplier;
    int rc = rt_decimal_from_int(&multiplier, factor, 0);
    if (rc == RT_DECIMAL_OK) rc = rt_decimal_mul(out, value, &multiplier);
    if (rc == RT_DECIMAL_OK) rt_decimal_normalize(out);
    return rc;
}

int pacifica_funding_rate_from_text(pacifica_funding_rate *out, const char *hourly_rate, char *err, size_t errcap) {
    char why[128] = "";
    if (!hourly_rate) {
        snprintf(err, errcap, "funding rate: no text");
        return -1;
    }
    memset(out, 0, sizeof *out);
    if (rt_decimal_parse(&out->hourly, hourly_rate, strlen(hourly_rate), why, sizeof why) != RT_DECIMAL_OK) {
        snprintf(err, errcap, "funding rate \"%.40s\" is not a decimal: %s", hourly_rate, why);
        return -1;
    }
    int rc = multiply_by_integer(&out->hourly_percent, &out->hourly, 100);
    if (rc == RT_DECIMAL_OK) rc = multiply_by_integer(&out->per_8h, &out->hourly, 8);
    if (rc == RT_DECIMAL_OK) rc = multiply_by_integer(&out->per_day, &out->hourly, 24);
    if (rc == RT_DECIMAL_OK) rc = multiply_by_integer(&out->apr_percent, &out->hourly, 24 * 365 * 100);
    if (rc != RT_DECIMAL_OK) {
        snprintf(err, errcap, "funding rate \"%.40s\": %s", hourly_rate, rt_decimal_status_text(rc));
        return -1;
    }
    rt_decimal_normalize(&out->hourly);
    int sign = rt_decimal_sign(&out->hourly);
    out->longs_pay_shorts = sign > 0;
    out->shorts_pay_longs = sign < 0;
    return 0;
}

int pacifica_funding_payment(rt_decimal *out, const char *side, const rt_decimal *amount, const rt_decimal *price,
                             const rt_decimal *hourly_rate, char *err, size_t errcap) {
    int direction;
    if (side && strcmp(side, "bid") == 0) direction = 1;
    else if (side && strcmp(side, "ask") == 0) direction = -1;
    else {
        snprintf(err, errcap, "funding payment: side must be \"bid\" or \"ask\"");
        return -1;
    }
    if (rt_decimal_sign(amount) < 0 || rt_decimal_sign(price) < 0) {
        snprintf(err, errcap, "funding payment: amount and price must not be negative");
        return -1;
    }
    rt_decimal notional, payment, paid;
    int rc = rt_decimal_mul(&notional, amount, price);
    if (rc == RT_DECIMAL_OK) rc = rt_decimal_mul(&payment, &notional, hourly_rate);
    /* A long pays a positive rate: its balance goes down by the payment. */
    if (rc == RT_DECIMAL_OK) {
        if (direction > 0) rc = rt_decimal_neg(&paid, &payment);
        else paid = payment;
    }
    if (rc != RT_DECIMAL_OK) {
        snprintf(err, errcap, "funding payment: %s", rt_decimal_status_text(rc));
        return -1;
    }
    rt_decimal_normalize(&paid);
    *out = paid;
    return 0;
}

double pacifica_funding_apr_from_hourly(double hourly_rate) {
    return hourly_rate * 24.0 * 365.0;
}
