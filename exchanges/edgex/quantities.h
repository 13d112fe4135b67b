/* The decimal quantities of an edgeX order, shared by v1 (spec 7.1-7.2) and v2 (spec V.7):
 * worst price of MARKET orders, l2Value, the fee cap l2LimitFee, amounts scaled by the
 * resolutions, l2Nonce from the client order id, and the expiry rules. All arithmetic is exact
 * (runtime/decimal.h); every rounding is explicit. */
#ifndef HEDGE_EXCHANGES_EDGEX_QUANTITIES_H
#define HEDGE_EXCHANGES_EDGEX_QUANTITIES_H

#include <stdint.h>

#include "exchanges/edgex/error.h"
#include "runtime/decimal.h"

typedef enum edgex_side { EDGEX_BUY = 0, EDGEX_SELL = 1 } edgex_side;
typedef enum edgex_order_kind { EDGEX_LIMIT = 0, EDGEX_MARKET = 1 } edgex_order_kind;

/* What to do when price x size (or an amount) is not a whole number of collateral units. */
typedef enum edgex_value_rule {
    EDGEX_VALUE_EXACT = 0,        /* refuse the order (v2 recommendation) */
    EDGEX_VALUE_ROUND_BY_SIDE,    /* round l2Value to the collateral decimals, BUY up / SELL down (v1) */
    EDGEX_VALUE_TRUNCATE          /* what the SDKs do: truncate the amounts, send the raw product */
} edgex_value_rule;

typedef enum edgex_fee_rounding {
    EDGEX_FEE_CEIL_INTEGER = 0,           /* ceil to a whole unit of collateral (SDKs) */
    EDGEX_FEE_CEIL_COLLATERAL_DECIMALS    /* ceil to the collateral's decimals (web client, v1) */
} edgex_fee_rounding;

#define EDGEX_MS_PER_HOUR 3600000LL
#define EDGEX_MS_PER_DAY 86400000LL

const char *edgex_side_name(edgex_side side);              /* "BUY" / "SELL" */
const char *edgex_order_kind_name(edgex_order_kind kind);  /* "LIMIT" / "MARKET" */
int edgex_side_from_name(const char *name, edgex_side *side);
int edgex_order_kind_from_name(const char *name, edgex_order_kind *kind);
/* NULL -> the SDK default (GOOD_TIL_CANCEL for LIMIT, IMMEDIATE_OR_CANCEL for MARKET); otherwise
 * one of GOOD_TIL_CANCEL, IMMEDIATE_OR_CANCEL, FILL_OR_KILL, POST_ONLY (MARKET: IOC only). */
int edgex_time_in_force(const char **out, const char *requested, edgex_order_kind kind, edgex_error *err);

/* A client order id for an order: 1 to 128 bytes, no control characters. */
#define EDGEX_MAX_CLIENT_ORDER_ID 128
int edgex_check_client_order_id(const char *id, edgex_error *err);

/* l2Nonce = first 4 bytes of SHA-256(UTF-8 client_order_id), big-endian. */
int edgex_l2_nonce(uint32_t *nonce, const char *client_order_id, uint8_t sha256_out[32], edgex_error *err);

/* A positive decimal string (field names the input in errors). */
int edgex_parse_decimal(rt_decimal *out, const char *text, const char *field, int positive, edgex_error *err);
/* Canonical text: plain notation, no trailing zeros. */
void edgex_format_decimal(const rt_decimal *value, char out[RT_DECIMAL_TEXT_MAX]);

/* Resolution (units per 1.0): decimal or 0x hex, positive, fits int64. */
int edgex_parse_resolution(int64_t *out, const char *text, const char *field, edgex_error *err);
/* Number of decimals d when resolution == 10^d, else -1. */
int edgex_resolution_decimals(int64_t resolution);
/* Unsigned 64-bit id (account id, contract id, coin id) from decimal text. */
int edgex_parse_id(uint64_t *out, const char *text, const char *field, edgex_error *err);

/* The price the L2 amounts are computed from: LIMIT -> price; MARKET BUY -> oracle x 10
 * rounded half-even to the tick's decimals; MARKET SELL -> tick_size. */
int edgex_l2_price(rt_decimal *out, edgex_order_kind kind, edgex_side side, const char *price,
                   const char *oracle_price, const char *tick_size, edgex_error *err);
/* The same, except that a MARKET order with worst_price (not NULL) signs that price (the Go
 * SDK signs the price its caller passes): the signed amounts then bound what the order may
 * pay or receive. worst_price must be a positive multiple of tick_size. */
int edgex_l2_price_bounded(rt_decimal *out, edgex_order_kind kind, edgex_side side, const char *price,
                           const char *oracle_price, const char *worst_price, const char *tick_size, edgex_error *err);

/* value x resolution as an integer amount: exact, or truncated when truncate is set
 * (*exact tells which). field names the quantity in errors. */
int edgex_scaled_amount(uint64_t *out, int *exact, const rt_decimal *value, int64_t resolution, int truncate,
                        const char *field, edgex_error *err);

/* l2Value = price x size with the value rule; fills the amount of collateral too. */
int edgex_l2_value(rt_decimal *value, uint64_t *amount_collateral, int *exact, const rt_decimal *price,
                   const rt_decimal *size, int64_t collateral_resolution, edgex_side side, edgex_value_rule rule,
                   edgex_error *err);

/* l2LimitFee = value x rate rounded up (whole units, or the collateral decimals). */
int edgex_l2_limit_fee(rt_decimal *fee, const rt_decimal *value, const rt_decimal *rate, edgex_fee_rounding rounding,
                       int64_t collateral_resolution, edgex_error *err);

#endif
