/* tx_info: the JSON string POSTed to sendTx, byte for byte what the official Go signer emits
 * (encoding/json: compact, fixed key order, integers as JSON numbers printed from int64 —
 * never through a double — Sig/PubKey as padded standard base64, L2TxAttributes null or an
 * object with ascending decimal-string keys). Also the L1 text signed to register a key. */
#include <inttypes.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "exchanges/lighter/tx.h"

struct writer {
    char *buf;
    size_t cap, len;
    int overflow;
};

__attribute__((format(printf, 2, 3)))
static void put(struct writer *w, const char *fmt, ...) {
    if (w->overflow) return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(w->buf + w->len, w->cap - w->len, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= w->cap - w->len) w->overflow = 1;
    else w->len += (size_t)n;
}

/* ,"Key":123 (first field without the comma) */
static void field_int(struct writer *w, const char *key, int64_t value) {
    put(w, "%s\"%s\":%" PRId64, w->len > 1 ? "," : "", key, value);
}

/* Values written here are base64 or hex text: nothing that JSON would escape. */
static void field_text(struct writer *w, const char *key, const char *value) {
    put(w, "%s\"%s\":\"%s\"", w->len > 1 ? "," : "", key, value);
}

static void field_base64(struct writer *w, const char *key, const uint8_t *bytes, size_t len) {
    char text[sodium_base64_ENCODED_LEN(80, sodium_base64_VARIANT_ORIGINAL)];
    sodium_bin2base64(text, sizeof text, bytes, len, sodium_base64_VARIANT_ORIGINAL);
    field_text(w, key, text);
}

static void field_attributes(struct writer *w, const lighter_tx_attributes *a) {
    put(w, ",\"L2TxAttributes\":");
    int written = 0;
    for (int64_t type = 1; type <= 7; type++) {
        for (size_t i = 0; i < a->count; i++) {
            int64_t nil = type == LIGHTER_ATTRIBUTE_CANCEL_ALL_MARKET ? 255 : 0;
            if (a->entries[i].type != type || a->entries[i].value == nil) continue;
            put(w, "%s\"%" PRId64 "\":%" PRId64, written ? "," : "{", type, a->entries[i].value);
            written++;
        }
    }
    put(w, written ? "}" : "null");
}

size_t lighter_tx_info_render(char *out, size_t cap, const lighter_tx *tx, const uint8_t public_key[LIGHTER_PUBLIC_KEY_BYTES],
                              const uint8_t signature[80]) {
    struct writer w = {out, cap, 0, cap == 0};
    put(&w, "{");
    field_int(&w, "AccountIndex", tx->account_index);
    field_int(&w, "ApiKeyIndex", tx->api_key_index);
    switch (tx->type) {
    case LIGHTER_TX_CREATE_ORDER: {
        const lighter_create_order *o = &tx->body.create_order;
        field_int(&w, "MarketIndex", o->market_index);
        field_int(&w, "ClientOrderIndex", o->client_order_index);
        field_int(&w, "BaseAmount", o->base_amount);
        field_int(&w, "Price", o->price);
        field_int(&w, "IsAsk", o->is_ask);
        field_int(&w, "Type", o->type);
        field_int(&w, "TimeInForce", o->time_in_force);
        field_int(&w, "ReduceOnly", o->reduce_only);
        field_int(&w, "TriggerPrice", o->trigger_price);
        field_int(&w, "OrderExpiry", o->order_expiry);
        break;
    }
    case LIGHTER_TX_CANCEL_ORDER:
        field_int(&w, "MarketIndex", tx->body.cancel_order.market_index);
        field_int(&w, "Index", tx->body.cancel_order.index);
        break;
    case LIGHTER_TX_CANCEL_ALL_ORDERS:
        field_int(&w, "TimeInForce", tx->body.cancel_all_orders.time_in_force);
        field_int(&w, "Time", tx->body.cancel_all_orders.time);
        break;
    case LIGHTER_TX_MODIFY_ORDER: {
        const lighter_modify_order *m = &tx->body.modify_order;
        field_int(&w, "MarketIndex", m->market_index);
        field_int(&w, "Index", m->index);
        field_int(&w, "BaseAmount", m->base_amount);
        field_int(&w, "Price", m->price);
        field_int(&w, "TriggerPrice", m->trigger_price);
        break;
    }
    case LIGHTER_TX_UPDATE_LEVERAGE:
        field_int(&w, "MarketIndex", tx->body.update_leverage.market_index);
        field_int(&w, "InitialMarginFraction", tx->body.update_leverage.initial_margin_fraction);
        field_int(&w, "MarginMode", tx->body.update_leverage.margin_mode);
        break;
    case LIGHTER_TX_CHANGE_PUB_KEY:
        field_base64(&w, "PubKey", public_key, LIGHTER_PUBLIC_KEY_BYTES);
        field_text(&w, "L1Sig", tx->body.change_pub_key.l1_signature);
        break;
    }
    field_int(&w, "ExpiredAt", tx->expired_at);
    field_int(&w, "Nonce", tx->nonce);
    field_base64(&w, "Sig", signature, 80);
    field_attributes(&w, &tx->attributes);
    put(&w, "}");
    if (w.overflow) {
        if (cap) out[0] = '\0';
        return 0;
    }
    return w.len;
}

int lighter_change_pub_key_l1_message(char *out, size_t cap, const uint8_t public_key[LIGHTER_PUBLIC_KEY_BYTES],
                                      int64_t nonce, int64_t account_index, int64_t api_key_index) {
    char pk_hex[2 * LIGHTER_PUBLIC_KEY_BYTES + 1];
    sodium_bin2hex(pk_hex, sizeof pk_hex, public_key, LIGHTER_PUBLIC_KEY_BYTES);
    /* Values as 16 zero-padded hex digits of their unsigned 64-bit pattern (lighter-go
     * getHex10FromUint64). */
    int n = snprintf(out, cap,
                     "Register Lighter Account\n\npubkey: 0x%s\nnonce: 0x%016" PRIx64 "\naccount index: 0x%016" PRIx64
                     "\napi key index: 0x%016" PRIx64 "\nOnly sign this message for a trusted client!",
                     pk_hex, (uint64_t)nonce, (uint64_t)account_index, (uint64_t)api_key_index);
    return n < 0 || (size_t)n >= cap ? -1 : n;
}
