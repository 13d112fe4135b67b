/* Order quantities (see quantities.h). */
#include "exchanges/edgex/quantities.h"

#include <string.h>

#include "exchanges/edgex/hex.h"
#include "exchanges/edgex/hmac_sha256.h"
#include "exchanges/edgex/u256.h"

const char *edgex_side_name(edgex_side side) { return side == EDGEX_SELL ? "SELL" : "BUY"; }
const char *edgex_order_kind_name(edgex_order_kind kind) { return kind == EDGEX_MARKET ? "MARKET" : "LIMIT"; }

int edgex_side_from_name(const char *name, edgex_side *side) {
    if (name && strcmp(name, "BUY") == 0) *side = EDGEX_BUY;
    else if (name && strcmp(name, "SELL") == 0) *side = EDGEX_SELL;
    else return -1;
    return 0;
}

int edgex_order_kind_from_name(const char *name, edgex_order_kind *kind) {
    if (name && strcmp(name, "LIMIT") == 0) *kind = EDGEX_LIMIT;
    else if (name && strcmp(name, "MARKET") == 0) *kind = EDGEX_MARKET;
    else return -1;
    return 0;
}

int edgex_time_in_force(const char **out, const char *requested, edgex_order_kind kind, edgex_error *err) {
    static const char *const known[] = {"GOOD_TIL_CANCEL", "IMMEDIATE_OR_CANCEL", "FILL_OR_KILL", "POST_ONLY"};
    if (!requested) {
        *out = kind == EDGEX_MARKET ? known[1] : known[0];
        return EDGEX_OK;
    }
    for (int i = 0; i < 4; i++) {
        if (strcmp(requested, known[i]) == 0) {
            if (kind == EDGEX_MARKET && i != 1)
                return edgex_fail(err, EDGEX_E_INPUT, "time_in_force of a MARKET order must be IMMEDIATE_OR_CANCEL");
            *out = known[i];
            return EDGEX_OK;
        }
    }
    return edgex_fail(err, EDGEX_E_INPUT,
                      "time_in_force must be GOOD_TIL_CANCEL, IMMEDIATE_OR_CANCEL, FILL_OR_KILL or POST_ONLY");
}

int edgex_check_client_order_id(const char *id, edgex_error *err) {
    if (!id || !*id) return edgex_fail(err, EDGEX_E_INPUT, "client_order_id is empty");
    size_t len = strlen(id);
    if (len > EDGEX_MAX_CLIENT_ORDER_ID)
        return edgex_fail(err, EDGEX_E_INPUT, "client_order_id is longer than %d bytes", EDGEX_MAX_CLIENT_ORDER_ID);
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)id[i] < 0x20 || id[i] == 0x7f)
            return edgex_fail(err, EDGEX_E_INPUT, "client_order_id contains a control character");
    return EDGEX_OK;
}

int edgex_l2_nonce(uint32_t *nonce, const char *client_order_id, uint8_t sha256_out[32], edgex_error *err) {
    uint8_t digest[32];
    if (!client_order_id) return edgex_fail(err, EDGEX_E_INPUT, "client_order_id is missing");
    if (edgex_sha256(client_order_id, strlen(client_order_id), digest) != 0)
        return edgex_fail(err, EDGEX_E_CRYPTO, "SHA-256 is not available from OpenSSL");
    if (sha256_out) memcpy(sha256_out, digest, 32);
    *nonce = (uint32_t)digest[0] << 24 | (uint32_t)digest[1] << 16 | (uint32_t)digest[2] << 8 | digest[3];
    return EDGEX_OK;
}

int edgex_parse_decimal(rt_decimal *out, const char *text, const char *field, int positive, edgex_error *err) {
    char why[128] = "";
    if (!text) return edgex_fail(err, EDGEX_E_INPUT, "%s is missing", field);
    if (rt_decimal_parse(out, text, strlen(text), why, sizeof why) != RT_DECIMAL_OK)
        return edgex_fail(err, EDGEX_E_INPUT, "%s is not a decimal number: %s", field, why);
    if (positive && rt_decimal_sign(out) <= 0) return edgex_fail(err, EDGEX_E_INPUT, "%s must be greater than 0", field);
    if (!positive && rt_decimal_sign(out) < 0) return edgex_fail(err, EDGEX_E_INPUT, "%s must not be negative", field);
    return EDGEX_OK;
}

void edgex_format_decimal(const rt_decimal *value, char out[RT_DECIMAL_TEXT_MAX]) {
    if (rt_decimal_format(value, out, RT_DECIMAL_TEXT_MAX, -1) == 0) out[0] = '\0';
}

int edgex_parse_resolution(int64_t *out, const char *text, const char *field, edgex_error *err) {
    edgex_u256 v;
    if (!text || edgex_u256_from_text(&v, text) != 0)
        return edgex_fail(err, EDGEX_E_INPUT, "%s must be a decimal or 0x-hex integer", field);
    if (edgex_u256_is_zero(&v) || edgex_u256_bit_length(&v) > 62)
        return edgex_fail(err, EDGEX_E_INPUT, "%s must be between 1 and 2^62", field);
    *out = (int64_t)v.limb[0];
    return EDGEX_OK;
}

int edgex_resolution_decimals(int64_t resolution) {
    int d = 0;
    while (resolution > 1 && resolution % 10 == 0) {
        resolution /= 10;
        d++;
    }
    return resolution == 1 ? d : -1;
}

int edgex_parse_id(uint64_t *out, const char *text, const char *field, edgex_error *err) {
    if (edgex_parse_u64(text, out) != 0)
        return edgex_fail(err, EDGEX_E_INPUT, "%s must be an unsigned 64-bit decimal integer", field);
    return EDGEX_OK;
}

int edgex_l2_price(rt_decimal *out, edgex_order_kind kind, edgex_side side, const char *price,
                   const char *oracle_price, const char *tick_size, edgex_error *err) {
    if (kind == EDGEX_LIMIT) return edgex_parse_decimal(out, price, "price", 1, err);
    rt_decimal tick;
    int rc = edgex_parse_decimal(&tick, tick_size, "tick_size", 1, err);
    if (rc) return rc;
    if (side == EDGEX_SELL) {   /* any price is acceptable to a market sell */
        *out = tick;
        return EDGEX_OK;
    }
    rt_decimal oracle, ten, worst;
    rc = edgex_parse_decimal(&oracle, oracle_price, "oracle_price", 1, err);
    if (rc) return rc;
    rt_decimal_from_int(&ten, 10, 0);
    if (rt_decimal_mul(&worst, &oracle, &ten) != RT_DECIMAL_OK ||
        rt_decimal_rescale(out, &worst, tick.scale, RT_ROUND_HALF_EVEN) != RT_DECIMAL_OK)
        return edgex_fail(err, EDGEX_E_INPUT, "oracle_price x 10 does not fit a decimal");
    return EDGEX_OK;
}

int edgex_l2_price_bounded(rt_decimal *out, edgex_order_kind kind, edgex_side side, const char *price,
                           const char *oracle_price, const char *worst_price, const char *tick_size, edgex_error *err) {
    if (kind != EDGEX_MARKET || !worst_price) return edgex_l2_price(out, kind, side, price, oracle_price, tick_size, err);
    rt_decimal tick, worst;
    int64_t ticks;
    int rc = edgex_parse_decimal(&tick, tick_size, "tick_size", 1, err);
    if (!rc) rc = edgex_parse_decimal(&worst, worst_price, "worst_price", 1, err);
    if (rc) return rc;
    if (rt_decimal_to_units(&ticks, &worst, &tick, RT_ROUND_EXACT) != RT_DECIMAL_OK)
        return edgex_fail(err, EDGEX_E_INPUT, "worst_price %s is not a multiple of tick_size %s", worst_price, tick_size);
    *out = worst;
    return EDGEX_OK;
}

int edgex_scaled_amount(uint64_t *out, int *exact, const rt_decimal *value, int64_t resolution, int truncate,
                        const char *field, edgex_error *err) {
    rt_decimal res, product, one;
    int64_t units = 0;
    rt_decimal_from_int(&res, resolution, 0);
    rt_decimal_from_int(&one, 1, 0);
    if (rt_decimal_mul(&product, value, &res) != RT_DECIMAL_OK)
        return edgex_fail(err, EDGEX_E_INPUT, "%s x resolution overflows", field);
    int rc = rt_decimal_to_units(&units, &product, &one, RT_ROUND_EXACT);
    int is_exact = rc == RT_DECIMAL_OK;
    if (rc == RT_DECIMAL_INEXACT) {
        if (!truncate) {
            char text[RT_DECIMAL_TEXT_MAX];
            edgex_format_decimal(value, text);
            return edgex_fail(err, EDGEX_E_INEXACT, "%s %s is not a whole number of units at resolution %lld", field,
                              text, (long long)resolution);
        }
        rc = rt_decimal_to_units(&units, &product, &one, RT_ROUND_DOWN);
    }
    if (rc != RT_DECIMAL_OK) return edgex_fail(err, EDGEX_E_INPUT, "%s x resolution does not fit 64 bits", field);
    if (units < 0) return edgex_fail(err, EDGEX_E_INPUT, "%s must not be negative", field);
    *out = (uint64_t)units;
    if (exact) *exact = is_exact;
    return EDGEX_OK;
}

int edgex_l2_value(rt_decimal *value, uint64_t *amount_collateral, int *exact, const rt_decimal *price,
                   const rt_decimal *size, int64_t collateral_resolution, edgex_side side, edgex_value_rule rule,
                   edgex_error *err) {
    rt_decimal product;
    if (rt_decimal_mul(&product, price, size) != RT_DECIMAL_OK)
        return edgex_fail(err, EDGEX_E_INPUT, "price x size does not fit a decimal");
    rt_decimal_normalize(&product);
    if (rule == EDGEX_VALUE_ROUND_BY_SIDE) {
        int decimals = edgex_resolution_decimals(collateral_resolution);
        if (decimals < 0)
            return edgex_fail(err, EDGEX_E_INPUT, "collateral resolution %lld is not a power of ten",
                              (long long)collateral_resolution);
        if (product.scale > decimals) {
            rt_decimal rounded;
            rt_rounding mode = side == EDGEX_BUY ? RT_ROUND_CEIL : RT_ROUND_FLOOR;
            if (rt_decimal_rescale(&rounded, &product, decimals, mode) != RT_DECIMAL_OK)
                return edgex_fail(err, EDGEX_E_INPUT, "l2Value cannot be rounded to %d decimals", decimals);
            product = rounded;
            rt_decimal_normalize(&product);
        }
    }
    int rc = edgex_scaled_amount(amount_collateral, exact, &product, collateral_resolution,
                                 rule == EDGEX_VALUE_TRUNCATE, "l2Value (price x size)", err);
    if (rc) return rc;
    *value = product;
    return EDGEX_OK;
}

int edgex_l2_limit_fee(rt_decimal *fee, const rt_decimal *value, const rt_decimal *rate, edgex_fee_rounding rounding,
                       int64_t collateral_resolution, edgex_error *err) {
    rt_decimal raw;
    if (rt_decimal_sign(rate) < 0) return edgex_fail(err, EDGEX_E_INPUT, "fee rate must not be negative");
    if (rt_decimal_mul(&raw, value, rate) != RT_DECIMAL_OK)
        return edgex_fail(err, EDGEX_E_INPUT, "l2Value x fee rate does not fit a decimal");
    int decimals = 0;
    if (rounding == EDGEX_FEE_CEIL_COLLATERAL_DECIMALS) {
        decimals = edgex_resolution_decimals(collateral_resolution);
        if (decimals < 0)
            return edgex_fail(err, EDGEX_E_INPUT, "collateral resolution %lld is not a power of ten",
                              (long long)collateral_resolution);
    }
    if (rt_decimal_rescale(fee, &raw, decimals, RT_ROUND_CEIL) != RT_DECIMAL_OK)
        return edgex_fail(err, EDGEX_E_INPUT, "fee cap cannot be rounded");
    rt_decimal_normalize(fee);
    return EDGEX_OK;
}
