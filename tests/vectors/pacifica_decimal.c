/* Pacifica vector handlers that need exact decimals: lot_tick_rounding.json (amounts and
 * prices rounded to lot/tick with rt_decimal_quantize / rt_decimal_to_units) and
 * funding_math.json (exchanges/pacifica/funding.h). Signing files are in pacifica.c. */
#include "tests/vectors/vector.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "exchanges/pacifica/funding.h"
#include "runtime/decimal.h"

static int parse_decimal(const json_t *c, const char *key, rt_decimal *out, char *why, size_t cap) {
    const char *text = vector_str(c, key);
    char err[128] = "";
    if (!text) return vector_mismatch(why, cap, key, "a decimal string", "nothing");
    if (rt_decimal_parse(out, text, strlen(text), err, sizeof err) != RT_DECIMAL_OK)
        return vector_mismatch(why, cap, key, "a decimal", err);
    return 1;
}

/* Compares a decimal with the vector's text: the same value AND the same plain text
 * (normalised: no exponent, no trailing zeros), since these strings go on the wire. */
static int expect_decimal(const json_t *c, const char *key, const rt_decimal *found, char *why, size_t cap) {
    const char *expected = vector_str(c, key);
    char text[RT_DECIMAL_TEXT_MAX];
    if (rt_decimal_format(found, text, sizeof text, -1) == 0) return vector_mismatch(why, cap, key, expected, "unformattable");
    if (!expected || strcmp(expected, text) != 0) return vector_mismatch(why, cap, key, expected, text);
    return 1;
}

static int expect_bool(const json_t *c, const char *key, int found, char *why, size_t cap) {
    const json_t *value = json_object_get(c, key);
    if (!json_is_boolean(value)) return vector_mismatch(why, cap, key, "a boolean", "something else");
    if (json_is_true(value) != !!found) return vector_mismatch(why, cap, key, json_is_true(value) ? "true" : "false",
                                                               found ? "true" : "false");
    return 1;
}

/* "floor", "ceil", "nearest_half_up", ...: the vector's mode names are the runtime's rounding
 * names, with "nearest_" in front of the round-to-nearest ones. */
static int rounding_mode(const char *name, rt_rounding *mode) {
    if (!name) return -1;
    if (strncmp(name, "nearest_", 8) == 0) name += 8;
    return rt_decimal_rounding_from_name(name, mode) == RT_DECIMAL_OK ? 0 : -1;
}

static int check_lot_tick_rounding(const json_t *c, const json_t *file, char *why, size_t cap) {
    (void)file;
    rt_decimal value, step, rounded;
    rt_rounding mode;
    if (!parse_decimal(c, "value", &value, why, cap) || !parse_decimal(c, "step", &step, why, cap)) return 0;
    if (rounding_mode(vector_str(c, "mode"), &mode) != 0)
        return vector_mismatch(why, cap, "mode", "a known rounding mode", vector_str(c, "mode"));
    int rc = rt_decimal_quantize(&rounded, &value, &step, mode);
    if (rc != RT_DECIMAL_OK) return vector_mismatch(why, cap, "quantize", "success", rt_decimal_status_text(rc));
    if (!expect_decimal(c, "result", &rounded, why, cap)) return 0;

    int64_t units;
    rc = rt_decimal_to_units(&units, &value, &step, mode);
    if (rc != RT_DECIMAL_OK) return vector_mismatch(why, cap, "to_units", "success", rt_decimal_status_text(rc));
    char found[32];
    snprintf(found, sizeof found, "%" PRId64, units);
    const char *steps = vector_str(c, "steps");
    if (!steps || strcmp(steps, found) != 0) return vector_mismatch(why, cap, "steps", steps, found);

    /* A multiple survives exact rounding; anything else must be refused by it. */
    rt_decimal exact;
    int is_multiple = rt_decimal_quantize(&exact, &value, &step, RT_ROUND_EXACT) == RT_DECIMAL_OK;
    return expect_bool(c, "input_was_multiple", is_multiple, why, cap);
}

static int check_funding_math(const json_t *c, const json_t *file, char *why, size_t cap) {
    (void)file;
    const char *type = vector_str(c, "type");
    char err[256];
    if (type && strcmp(type, "rate_conversion") == 0) {
        pacifica_funding_rate rate;
        if (pacifica_funding_rate_from_text(&rate, vector_str(c, "hourly_rate"), err, sizeof err) != 0)
            return vector_mismatch(why, cap, "hourly_rate", "a rate", err);
        return expect_decimal(c, "hourly_rate", &rate.hourly, why, cap) &&
               expect_decimal(c, "hourly_rate_percent", &rate.hourly_percent, why, cap) &&
               expect_decimal(c, "rate_per_8h", &rate.per_8h, why, cap) &&
               expect_decimal(c, "rate_per_day", &rate.per_day, why, cap) &&
               expect_decimal(c, "apr_percent_simple", &rate.apr_percent, why, cap) &&
               expect_bool(c, "longs_pay_shorts", rate.longs_pay_shorts, why, cap) &&
               expect_bool(c, "shorts_pay_longs", rate.shorts_pay_longs, why, cap);
    }
    if (type && strcmp(type, "payment") == 0) {
        rt_decimal amount, price, rate, change;
        if (!parse_decimal(c, "amount", &amount, why, cap) || !parse_decimal(c, "oracle_price", &price, why, cap) ||
            !parse_decimal(c, "hourly_rate", &rate, why, cap))
            return 0;
        if (pacifica_funding_payment(&change, vector_str(c, "side"), &amount, &price, &rate, err, sizeof err) != 0)
            return vector_mismatch(why, cap, "payment", "success", err);
        return expect_decimal(c, "balance_change_usd", &change, why, cap);
    }
    return vector_mismatch(why, cap, "type", "rate_conversion or payment", type);
}

static const struct vector_handler pacifica_decimal_table[] = {
    {"lot_tick_rounding", check_lot_tick_rounding},
    {"funding_math", check_funding_math},
    {NULL, NULL}};

VECTOR_HANDLERS(pacifica_decimal_table)
