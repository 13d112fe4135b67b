/* Validation of Lighter transactions before hashing: the official signer's rules
 * (lighter-go txtypes Validate, constants.go) and the attribute table of lighter.md §6.4.
 * Errors name the tx, the field (as in tx_info), the value and what was allowed, so a caller
 * can show them as they are. Nothing secret ever reaches these messages. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "exchanges/lighter/tx.h"

#define MAX_ACCOUNT_INDEX ((INT64_C(1) << 48) - 2)
#define MAX_API_KEY_INDEX 254
#define MAX_CLIENT_ORDER_INDEX ((INT64_C(1) << 48) - 1)
#define MAX_ORDER_INDEX ((INT64_C(1) << 60) - 1)
#define MAX_BASE_AMOUNT ((INT64_C(1) << 48) - 1)
#define MAX_PRICE ((INT64_C(1) << 32) - 1)
#define MAX_TIMESTAMP ((INT64_C(1) << 48) - 1)
#define MAX_MARGIN_FRACTION 10000
#define FEE_TICK 1000000

const char *lighter_tx_type_name(lighter_tx_type type) {
    switch (type) {
    case LIGHTER_TX_CHANGE_PUB_KEY: return "ChangePubKey";
    case LIGHTER_TX_CREATE_ORDER: return "CreateOrder";
    case LIGHTER_TX_CANCEL_ORDER: return "CancelOrder";
    case LIGHTER_TX_CANCEL_ALL_ORDERS: return "CancelAllOrders";
    case LIGHTER_TX_MODIFY_ORDER: return "ModifyOrder";
    case LIGHTER_TX_UPDATE_LEVERAGE: return "UpdateLeverage";
    }
    return "unknown tx";
}

struct checker {
    const char *tx_name;
    char *err;
    size_t errcap;
    int failed;
};

__attribute__((format(printf, 2, 3)))
static int fail(struct checker *c, const char *fmt, ...) {
    if (c->failed) return 0;   /* keep the first problem */
    c->failed = 1;
    if (c->err && c->errcap) {
        int used = snprintf(c->err, c->errcap, "%s.", c->tx_name);
        va_list ap;
        va_start(ap, fmt);
        if (used >= 0 && (size_t)used < c->errcap) vsnprintf(c->err + used, c->errcap - (size_t)used, fmt, ap);
        va_end(ap);
    }
    return 0;
}

static int range(struct checker *c, const char *field, int64_t v, int64_t lo, int64_t hi) {
    if (v >= lo && v <= hi) return 1;
    return fail(c, "%s = %" PRId64 " is out of range %" PRId64 "..%" PRId64, field, v, lo, hi);
}

/* 0 (meaning "none") or lo..hi. */
static int zero_or_range(struct checker *c, const char *field, int64_t v, int64_t lo, int64_t hi) {
    if (v == 0 || (v >= lo && v <= hi)) return 1;
    return fail(c, "%s = %" PRId64 " must be 0 or in %" PRId64 "..%" PRId64, field, v, lo, hi);
}

static int is_perps_market(int64_t m) { return m >= 0 && m <= 254; }
static int is_spot_market(int64_t m) { return m >= 2048 && m <= 4094; }

static int market(struct checker *c, int64_t m) {
    if (is_perps_market(m) || is_spot_market(m)) return 1;
    return fail(c, "MarketIndex = %" PRId64 " is not a market (perps 0..254, spot 2048..4094)", m);
}

static int order_index(struct checker *c, int64_t index) {
    /* A client order index (1..2^48-1) or an exchange order index (2^48..2^60-1). */
    return range(c, "Index", index, 1, MAX_ORDER_INDEX);
}

static int64_t attribute_nil(int64_t type) { return type == LIGHTER_ATTRIBUTE_CANCEL_ALL_MARKET ? 255 : 0; }

static int64_t attribute_value(const lighter_tx_attributes *a, int64_t type) {
    for (size_t i = 0; i < a->count; i++)
        if (a->entries[i].type == type) return a->entries[i].value;
    return attribute_nil(type);
}

static int attributes(struct checker *c, const lighter_tx *tx) {
    const lighter_tx_attributes *a = &tx->attributes;
    if (a->count > LIGHTER_TX_MAX_ATTRIBUTES)
        return fail(c, "L2TxAttributes has %zu entries, at most %d are allowed", a->count, LIGHTER_TX_MAX_ATTRIBUTES);
    static const int64_t max_value[8] = {0, MAX_ACCOUNT_INDEX, FEE_TICK, FEE_TICK, 1, 255, 3, 1};
    for (size_t i = 0; i < a->count; i++) {
        int64_t type = a->entries[i].type, value = a->entries[i].value;
        if (type < 1 || type > 7) return fail(c, "L2TxAttributes: unknown attribute type %" PRId64 " (1..7)", type);
        for (size_t j = 0; j < i; j++)
            if (a->entries[j].type == type) return fail(c, "L2TxAttributes: attribute %" PRId64 " given twice", type);
        if (value < 0 || value > max_value[type])
            return fail(c, "L2TxAttributes: attribute %" PRId64 " = %" PRId64 " is out of range 0..%" PRId64, type, value,
                        max_value[type]);
    }
    int has_fees = attribute_value(a, LIGHTER_ATTRIBUTE_INTEGRATOR_TAKER_FEE) != 0 ||
                   attribute_value(a, LIGHTER_ATTRIBUTE_INTEGRATOR_MAKER_FEE) != 0;
    int64_t behaviour = attribute_value(a, LIGHTER_ATTRIBUTE_SELF_TRADE_BEHAVIOUR);
    int64_t equality = attribute_value(a, LIGHTER_ATTRIBUTE_SELF_TRADE_EQUALITY);
    if (has_fees && attribute_value(a, LIGHTER_ATTRIBUTE_INTEGRATOR_ACCOUNT) == 0)
        return fail(c, "L2TxAttributes: integrator fees (2, 3) need the integrator account index (1)");
    if (has_fees && (behaviour != 0 || equality != 0))
        return fail(c, "L2TxAttributes: self-trade attributes (6, 7) cannot be combined with integrator fees");
    if (behaviour == 3 && equality == 1)
        return fail(c, "L2TxAttributes: self-trade behaviour 3 (reduce) cannot be used with equality 1 (master account)");
    if (attribute_value(a, LIGHTER_ATTRIBUTE_CANCEL_ALL_MARKET) != 255 &&
        !(tx->type == LIGHTER_TX_CANCEL_ALL_ORDERS && tx->body.cancel_all_orders.time_in_force == LIGHTER_CANCEL_ALL_NOW))
        return fail(c, "L2TxAttributes: attribute 5 (market) is only valid on an immediate CancelAllOrders");
    return 1;
}

static int create_order(struct checker *c, const lighter_create_order *o) {
    if (!market(c, o->market_index)) return 0;
    int spot = is_spot_market(o->market_index);
    if (!zero_or_range(c, "ClientOrderIndex", o->client_order_index, 1, MAX_CLIENT_ORDER_INDEX)) return 0;
    if (!range(c, "ReduceOnly", o->reduce_only, 0, 1)) return 0;
    if (spot && o->reduce_only) return fail(c, "ReduceOnly = 1 is not allowed on a spot market");
    if (o->base_amount < 0) return fail(c, "BaseAmount = %" PRId64 " must not be negative", o->base_amount);
    if (o->base_amount == 0 && !o->reduce_only) return fail(c, "BaseAmount = 0 is only allowed with ReduceOnly = 1");
    if (!range(c, "BaseAmount", o->base_amount, 0, MAX_BASE_AMOUNT)) return 0;
    if (!range(c, "Price", o->price, 1, MAX_PRICE)) return 0;
    if (!range(c, "IsAsk", o->is_ask, 0, 1)) return 0;
    if (!range(c, "Type", o->type, LIGHTER_ORDER_LIMIT, LIGHTER_ORDER_TWAP)) return 0;
    if (!range(c, "TimeInForce", o->time_in_force, 0, 2)) return 0;
    if (!zero_or_range(c, "TriggerPrice", o->trigger_price, 1, MAX_PRICE)) return 0;
    if (o->order_expiry < 0) return fail(c, "OrderExpiry = %" PRId64 " must not be negative", o->order_expiry);
    int ioc = o->time_in_force == LIGHTER_TIF_IMMEDIATE_OR_CANCEL;
    int has_trigger = o->trigger_price != 0, has_expiry = o->order_expiry != 0;
    switch (o->type) {
    case LIGHTER_ORDER_MARKET:
        if (!ioc) return fail(c, "TimeInForce must be 0 (immediate-or-cancel) for a market order");
        if (has_expiry) return fail(c, "OrderExpiry must be 0 for a market order");
        if (has_trigger) return fail(c, "TriggerPrice must be 0 for a market order");
        break;
    case LIGHTER_ORDER_LIMIT:
        if (has_trigger) return fail(c, "TriggerPrice must be 0 for a limit order");
        if (ioc && has_expiry) return fail(c, "OrderExpiry must be 0 for an immediate-or-cancel limit order");
        if (!ioc && !has_expiry) return fail(c, "OrderExpiry is required for a good-till-time or post-only limit order");
        break;
    case LIGHTER_ORDER_STOP_LOSS:
    case LIGHTER_ORDER_TAKE_PROFIT:
        if (spot) return fail(c, "Type = %" PRId64 " (stop-loss/take-profit) is only allowed on perps", o->type);
        if (!ioc) return fail(c, "TimeInForce must be 0 (immediate-or-cancel) for a stop-loss/take-profit order");
        if (!has_trigger) return fail(c, "TriggerPrice is required for a stop-loss/take-profit order");
        if (!has_expiry) return fail(c, "OrderExpiry is required for a stop-loss/take-profit order");
        break;
    case LIGHTER_ORDER_STOP_LOSS_LIMIT:
    case LIGHTER_ORDER_TAKE_PROFIT_LIMIT:
        if (spot) return fail(c, "Type = %" PRId64 " (stop-loss/take-profit limit) is only allowed on perps", o->type);
        if (!has_trigger) return fail(c, "TriggerPrice is required for a stop-loss/take-profit limit order");
        if (!has_expiry) return fail(c, "OrderExpiry is required for a stop-loss/take-profit limit order");
        break;
    case LIGHTER_ORDER_TWAP:
        if (o->time_in_force != LIGHTER_TIF_GOOD_TILL_TIME) return fail(c, "TimeInForce must be 1 (good-till-time) for a TWAP order");
        if (has_trigger) return fail(c, "TriggerPrice must be 0 for a TWAP order");
        if (!has_expiry) return fail(c, "OrderExpiry is required for a TWAP order");
        break;
    }
    return 1;
}

static int cancel_all(struct checker *c, const lighter_cancel_all_orders *o) {
    if (!range(c, "TimeInForce", o->time_in_force, 0, 2)) return 0;
    if (o->time_in_force == LIGHTER_CANCEL_ALL_SCHEDULED) return range(c, "Time", o->time, 1, INT64_MAX);
    if (o->time != 0) return fail(c, "Time = %" PRId64 " must be 0 unless TimeInForce = 1 (scheduled)", o->time);
    return 1;
}

static int l1_signature(struct checker *c, const char *sig) {
    size_t len = strnlen(sig, sizeof ((lighter_change_pub_key *)0)->l1_signature);
    if (len != 2 + LIGHTER_L1_SIGNATURE_HEX_CHARS || sig[0] != '0' || (sig[1] != 'x' && sig[1] != 'X'))
        return fail(c, "L1Sig must be 0x followed by %d hex characters (a 65-byte Ethereum signature)",
                    LIGHTER_L1_SIGNATURE_HEX_CHARS);
    for (size_t i = 2; i < len; i++) {
        char ch = sig[i];
        if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F')))
            return fail(c, "L1Sig has a non-hex character at position %zu", i + 1);
    }
    return 1;
}

static int resolve_default(struct checker *c, const char *field, int64_t *value, int64_t now_ms, int64_t offset) {
    if (*value != LIGHTER_DEFAULT) return 1;
    if (now_ms <= 0) return fail(c, "%s = -1 (default) needs the signer clock now_ms", field);
    *value = now_ms + offset;
    return 1;
}

int lighter_tx_resolve(lighter_tx *resolved, const lighter_tx *tx, char *err, size_t errcap) {
    struct checker c = {lighter_tx_type_name(tx->type), err, errcap, 0};
    *resolved = *tx;
    lighter_tx *r = resolved;
    switch (tx->type) {
    case LIGHTER_TX_CHANGE_PUB_KEY: case LIGHTER_TX_CREATE_ORDER: case LIGHTER_TX_CANCEL_ORDER:
    case LIGHTER_TX_CANCEL_ALL_ORDERS: case LIGHTER_TX_MODIFY_ORDER: case LIGHTER_TX_UPDATE_LEVERAGE:
        break;
    default:
        if (err && errcap) snprintf(err, errcap, "unsupported Lighter tx type %d", (int)tx->type);
        return LIGHTER_SIGN_INVALID_INPUT;
    }
    if (r->now_ms < 0 || r->now_ms > MAX_TIMESTAMP) fail(&c, "now_ms = %" PRId64 " is not a millisecond clock value", r->now_ms);
    range(&c, "chain_id", r->chain_id, 1, UINT32_MAX);
    range(&c, "AccountIndex", r->account_index, 0, MAX_ACCOUNT_INDEX);
    range(&c, "ApiKeyIndex", r->api_key_index, 0, MAX_API_KEY_INDEX);
    range(&c, "Nonce", r->nonce, 0, INT64_MAX);
    resolve_default(&c, "ExpiredAt", &r->expired_at, r->now_ms, LIGHTER_DEFAULT_EXPIRED_AT_MS);
    range(&c, "ExpiredAt", r->expired_at, 0, MAX_TIMESTAMP);
    switch (r->type) {
    case LIGHTER_TX_CREATE_ORDER:
        resolve_default(&c, "OrderExpiry", &r->body.create_order.order_expiry, r->now_ms, LIGHTER_DEFAULT_ORDER_EXPIRY_MS);
        if (!c.failed) create_order(&c, &r->body.create_order);
        break;
    case LIGHTER_TX_CANCEL_ORDER:
        if (market(&c, r->body.cancel_order.market_index)) order_index(&c, r->body.cancel_order.index);
        break;
    case LIGHTER_TX_CANCEL_ALL_ORDERS:
        cancel_all(&c, &r->body.cancel_all_orders);
        break;
    case LIGHTER_TX_MODIFY_ORDER: {
        const lighter_modify_order *m = &r->body.modify_order;
        if (market(&c, m->market_index) && order_index(&c, m->index) && range(&c, "BaseAmount", m->base_amount, 0, MAX_BASE_AMOUNT) &&
            range(&c, "Price", m->price, 1, MAX_PRICE))
            zero_or_range(&c, "TriggerPrice", m->trigger_price, 1, MAX_PRICE);
        break;
    }
    case LIGHTER_TX_UPDATE_LEVERAGE: {
        const lighter_update_leverage *u = &r->body.update_leverage;
        if (market(&c, u->market_index) && range(&c, "InitialMarginFraction", u->initial_margin_fraction, 1, MAX_MARGIN_FRACTION))
            range(&c, "MarginMode", u->margin_mode, 0, 1);
        break;
    }
    case LIGHTER_TX_CHANGE_PUB_KEY:
        l1_signature(&c, r->body.change_pub_key.l1_signature);
        break;
    }
    if (!c.failed) attributes(&c, r);
    return c.failed ? LIGHTER_SIGN_INVALID_INPUT : LIGHTER_SIGN_OK;
}
