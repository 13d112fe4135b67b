/* createOrder body and its signed rendering (see order_body.h). */
#include "exchanges/edgex/order_body.h"

#include <stddef.h>

struct field {
    const char *key;
    size_t offset;   /* of the const char * in edgex_order_body_fields; reduceOnly is separate */
};

#define FIELD(key, member) {key, offsetof(edgex_order_body_fields, member)}

/* JSON order: as the Go SDK (and the vectors) send it. */
static const struct field JSON_ORDER[] = {
    FIELD("accountId", account_id), FIELD("contractId", contract_id), FIELD("price", price),
    FIELD("size", size), FIELD("type", type), FIELD("side", side), FIELD("timeInForce", time_in_force),
    FIELD("clientOrderId", client_order_id), FIELD("expireTime", expire_time), FIELD("l2Nonce", l2_nonce),
    FIELD("l2Signature", l2_signature), FIELD("l2ExpireTime", l2_expire_time), FIELD("l2Value", l2_value),
    FIELD("l2Size", l2_size), FIELD("l2LimitFee", l2_limit_fee),
};

/* Rendering order: the same keys sorted by byte value, reduceOnly falls between price and side. */
static const struct field SORTED_ORDER[] = {
    FIELD("accountId", account_id), FIELD("clientOrderId", client_order_id), FIELD("contractId", contract_id),
    FIELD("expireTime", expire_time), FIELD("l2ExpireTime", l2_expire_time), FIELD("l2LimitFee", l2_limit_fee),
    FIELD("l2Nonce", l2_nonce), FIELD("l2Signature", l2_signature), FIELD("l2Size", l2_size),
    FIELD("l2Value", l2_value), FIELD("price", price), {"reduceOnly", (size_t)-1}, FIELD("side", side),
    FIELD("size", size), FIELD("timeInForce", time_in_force), FIELD("type", type),
};

static const char *member(const edgex_order_body_fields *f, size_t offset) {
    return *(const char *const *)((const char *)f + offset);
}

void edgex_order_body_json(edgex_text *out, const edgex_order_body_fields *f) {
    edgex_text_reset(out);
    edgex_text_putc(out, '{');
    for (size_t i = 0; i < sizeof JSON_ORDER / sizeof JSON_ORDER[0]; i++) {
        edgex_text_putc(out, '"');
        edgex_text_puts(out, JSON_ORDER[i].key);
        edgex_text_puts(out, "\":");
        edgex_text_json_string(out, member(f, JSON_ORDER[i].offset));
        edgex_text_putc(out, ',');
    }
    edgex_text_puts(out, f->reduce_only ? "\"reduceOnly\":true}" : "\"reduceOnly\":false}");
}

void edgex_order_body_rendered(edgex_text *out, const edgex_order_body_fields *f) {
    edgex_text_reset(out);
    for (size_t i = 0; i < sizeof SORTED_ORDER / sizeof SORTED_ORDER[0]; i++) {
        if (i) edgex_text_putc(out, '&');
        edgex_text_puts(out, SORTED_ORDER[i].key);
        edgex_text_putc(out, '=');
        if (SORTED_ORDER[i].offset == (size_t)-1) edgex_text_puts(out, f->reduce_only ? "true" : "false");
        else edgex_text_puts(out, member(f, SORTED_ORDER[i].offset));
    }
}
