/* Lighter transaction and auth-token vector handlers (tx_*.json, auth_token.json): each case
 * is rebuilt from its tx_fields through the public signing API (exchanges/lighter/tx.h) and
 * every field is compared: hash input, body hash, attribute elements and hash, tx hash,
 * signature (with the case's k), tx_info byte for byte, the ChangePubKey L1 text, and the
 * official defaults (ExpiredAt = clock + 599 s, OrderExpiry = clock + 28 days) when the case
 * records the signer clock. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "exchanges/lighter/sign.h"
#include "tests/vectors/lighter_support.h"

struct field_ref {
    const char *name;
    int64_t *target;
};

static int read_fields(const json_t *fields, const struct field_ref *refs, size_t extra_keys, char *why, size_t cap) {
    size_t count = 0;
    for (const struct field_ref *r = refs; r->name; r++, count++) {
        const json_t *v = json_object_get(fields, r->name);
        if (!json_is_integer(v)) return vector_mismatch(why, cap, r->name, "an integer in tx_fields", "nothing");
        *r->target = (int64_t)json_integer_value(v);
    }
    if (json_object_size(fields) != count + extra_keys)
        return vector_mismatch(why, cap, "tx_fields", "exactly the fields of this tx type", "other keys");
    return 1;
}

static int read_attributes(const json_t *c, lighter_tx_attributes *out, char *why, size_t cap) {
    const json_t *attrs = json_object_get(c, "attributes");
    const char *key;
    const json_t *value;
    memset(out, 0, sizeof *out);
    if (!json_is_object(attrs)) return vector_mismatch(why, cap, "attributes", "an object", "something else");
    json_object_foreach((json_t *)attrs, key, value) {
        if (out->count == LIGHTER_TX_MAX_ATTRIBUTES || !json_is_integer(value))
            return vector_mismatch(why, cap, "attributes", "at most 4 integer entries", "more or other");
        out->entries[out->count].type = strtoll(key, NULL, 10);
        out->entries[out->count].value = (int64_t)json_integer_value(value);
        out->count++;
    }
    return 1;
}

/* Fills tx from the case; returns 1 or 0 with why. */
static int build_tx(const json_t *c, lighter_tx *tx, char *why, size_t cap) {
    const json_t *f = json_object_get(c, "tx_fields");
    int64_t chain_id, tx_type;
    if (!json_is_object(f)) return vector_mismatch(why, cap, "tx_fields", "an object", "nothing");
    if (!lv_int64(c, "chain_id", &chain_id, why, cap) || !lv_int64(c, "tx_type", &tx_type, why, cap)) return 0;
    memset(tx, 0, sizeof *tx);
    tx->type = (lighter_tx_type)tx_type;
    tx->chain_id = chain_id;
    struct field_ref common[] = {{"AccountIndex", &tx->account_index}, {"ApiKeyIndex", &tx->api_key_index},
                                 {"ExpiredAt", &tx->expired_at}, {"Nonce", &tx->nonce}, {NULL, NULL}};
    if (!read_fields(f, common, json_object_size(f) - 4, why, cap)) return 0;
    switch (tx->type) {
    case LIGHTER_TX_CREATE_ORDER: {
        lighter_create_order *o = &tx->body.create_order;
        struct field_ref refs[] = {{"MarketIndex", &o->market_index}, {"ClientOrderIndex", &o->client_order_index},
                                   {"BaseAmount", &o->base_amount}, {"Price", &o->price}, {"IsAsk", &o->is_ask},
                                   {"Type", &o->type}, {"TimeInForce", &o->time_in_force}, {"ReduceOnly", &o->reduce_only},
                                   {"TriggerPrice", &o->trigger_price}, {"OrderExpiry", &o->order_expiry}, {NULL, NULL}};
        if (!read_fields(f, refs, 4, why, cap)) return 0;
        break;
    }
    case LIGHTER_TX_CANCEL_ORDER: {
        struct field_ref refs[] = {{"MarketIndex", &tx->body.cancel_order.market_index},
                                   {"Index", &tx->body.cancel_order.index}, {NULL, NULL}};
        if (!read_fields(f, refs, 4, why, cap)) return 0;
        break;
    }
    case LIGHTER_TX_CANCEL_ALL_ORDERS: {
        struct field_ref refs[] = {{"TimeInForce", &tx->body.cancel_all_orders.time_in_force},
                                   {"Time", &tx->body.cancel_all_orders.time}, {NULL, NULL}};
        if (!read_fields(f, refs, 4, why, cap)) return 0;
        break;
    }
    case LIGHTER_TX_MODIFY_ORDER: {
        lighter_modify_order *m = &tx->body.modify_order;
        struct field_ref refs[] = {{"MarketIndex", &m->market_index}, {"Index", &m->index}, {"BaseAmount", &m->base_amount},
                                   {"Price", &m->price}, {"TriggerPrice", &m->trigger_price}, {NULL, NULL}};
        if (!read_fields(f, refs, 4, why, cap)) return 0;
        break;
    }
    case LIGHTER_TX_UPDATE_LEVERAGE: {
        lighter_update_leverage *u = &tx->body.update_leverage;
        struct field_ref refs[] = {{"MarketIndex", &u->market_index}, {"InitialMarginFraction", &u->initial_margin_fraction},
                                   {"MarginMode", &u->margin_mode}, {NULL, NULL}};
        if (!read_fields(f, refs, 4, why, cap)) return 0;
        break;
    }
    case LIGHTER_TX_CHANGE_PUB_KEY: {
        const char *l1 = vector_str(f, "L1Sig");
        if (!l1 || !vector_str(f, "PubKey") || json_object_size(f) != 6)
            return vector_mismatch(why, cap, "tx_fields", "PubKey and L1Sig strings", "something else");
        snprintf(tx->body.change_pub_key.l1_signature, sizeof tx->body.change_pub_key.l1_signature, "%s", l1);
        break;
    }
    default:
        return vector_mismatch(why, cap, "tx_type", "a supported tx type", "another");
    }
    return read_attributes(c, &tx->attributes, why, cap);
}

static int check_digest(const json_t *c, const lighter_tx_digest *d, char *why, size_t cap) {
    uint64_t expected[LIGHTER_TX_MAX_ELEMENTS];
    size_t n;
    if (!lv_u64_array(c, "hash_input_elements", expected, LIGHTER_TX_MAX_ELEMENTS, &n, why, cap)) return 0;
    if (n != d->element_count) return lv_mismatch_u64(why, cap, "hash_input_elements (count)", n, d->element_count);
    if (!lv_expect_u64s(why, cap, "hash_input_elements", expected, d->elements, n)) return 0;
    if (!lv_expect_fp5_hex(c, "body_hash_le_hex", &d->body_hash, why, cap)) return 0;
    int listed = json_object_get(c, "attributes_elements") != NULL;
    if (listed != d->has_attributes)
        return vector_mismatch(why, cap, "attributes_elements", listed ? "present" : "absent", d->has_attributes ? "present" : "absent");
    if (listed) {
        if (!lv_u64_array(c, "attributes_elements", expected, LIGHTER_TX_MAX_ELEMENTS, &n, why, cap)) return 0;
        if (n != 2 * LIGHTER_TX_MAX_ATTRIBUTES) return lv_mismatch_u64(why, cap, "attributes_elements (count)", n, 8);
        if (!lv_expect_u64s(why, cap, "attributes_elements", expected, d->attribute_elements, n)) return 0;
        if (!lv_expect_fp5_hex(c, "attributes_hash_le_hex", &d->attributes_hash, why, cap)) return 0;
    }
    return lv_expect_fp5_hex(c, "tx_hash_le_hex", &d->message, why, cap);
}

/* With the signer clock known, -1 ("default") must resolve to the values the official
 * signer produced. */
static int check_defaults(const json_t *c, const lighter_tx *tx, const uint8_t public_key[40], const lighter_tx_digest *explicit_digest,
                          char *why, size_t cap) {
    int64_t clock;
    if (!json_object_get(c, "signer_clock_ms")) return 1;
    if (!lv_int64(c, "signer_clock_ms", &clock, why, cap)) return 0;
    lighter_tx with_defaults = *tx, resolved;
    lighter_tx_digest d;
    char err[256];
    with_defaults.now_ms = clock;
    if (tx->expired_at == clock + LIGHTER_DEFAULT_EXPIRED_AT_MS) with_defaults.expired_at = LIGHTER_DEFAULT;
    const char *note = vector_str(c, "note");
    if (tx->type == LIGHTER_TX_CREATE_ORDER && note && strstr(note, "OrderExpiry was passed as -1"))
        with_defaults.body.create_order.order_expiry = LIGHTER_DEFAULT;
    if (lighter_tx_resolve(&resolved, &with_defaults, err, sizeof err) != 0)
        return vector_mismatch(why, cap, "defaults", "resolvable", err);
    if (lighter_tx_digest_compute(&d, &resolved, public_key, err, sizeof err) != 0)
        return vector_mismatch(why, cap, "defaults", "hashable", err);
    return lv_expect_fp5(why, cap, "tx_hash_le_hex (from defaults)", &explicit_digest->message, &d.message);
}

static int check_tx_case(const json_t *c, lighter_tx_type expected_type, char *why, size_t cap) {
    lighter_tx tx, resolved;
    lighter_tx_digest digest;
    lighter_signed_tx signed_tx;
    lighter_key key;
    uint8_t k_bytes[40];
    lighter_scalar k;
    char err[256];
    const char *hex = vector_str(c, "private_key_hex");
    if (!build_tx(c, &tx, why, cap)) return 0;
    if (tx.type != expected_type) return lv_mismatch_u64(why, cap, "tx_type", (uint64_t)expected_type, (uint64_t)tx.type);
    if (!hex || lighter_key_from_hex(&key, hex, strlen(hex), err, sizeof err) != 0)
        return vector_mismatch(why, cap, "private_key_hex", "a usable key", hex ? err : "nothing");
    int ok = lv_expect_bytes_hex(c, "public_key_hex", key.public_key, 40, why, cap);
    if (ok && lighter_tx_resolve(&resolved, &tx, err, sizeof err) != 0) ok = vector_mismatch(why, cap, "tx_fields", "valid", err);
    if (ok && lighter_tx_digest_compute(&digest, &resolved, key.public_key, err, sizeof err) != 0)
        ok = vector_mismatch(why, cap, "digest", "computable", err);
    if (ok) ok = check_digest(c, &digest, why, cap);
    if (ok) ok = check_defaults(c, &tx, key.public_key, &digest, why, cap);
    if (ok) ok = lv_scalar_bytes(c, "k", k_bytes, why, cap);
    if (ok && !lighter_scalar_from_bytes_canonical(&k, k_bytes)) ok = vector_mismatch(why, cap, "k", "a value < n", ">= n");
    if (ok && lighter_tx_sign_with_k(&tx, &key, &k, &signed_tx, err, sizeof err) != 0)
        ok = vector_mismatch(why, cap, "signing", "success", err);
    if (ok) ok = lv_expect_bytes_hex(c, "signature_hex", signed_tx.signature, 80, why, cap);
    if (ok) ok = lv_expect_str(why, cap, "tx_hash_le_hex (signed)", vector_str(c, "tx_hash_le_hex"), signed_tx.hash_hex);
    if (ok && !json_is_null(json_object_get(c, "tx_info")))
        ok = lv_expect_str(why, cap, "tx_info", vector_str(c, "tx_info"), signed_tx.tx_info);
    if (ok && strlen(signed_tx.tx_info) != signed_tx.tx_info_len)
        ok = lv_mismatch_u64(why, cap, "tx_info_len", strlen(signed_tx.tx_info), signed_tx.tx_info_len);
    if (ok && !(lighter_schnorr_verify(key.public_key, signed_tx.hash, signed_tx.signature, LIGHTER_VERIFY_STRICT) &&
                lighter_schnorr_verify(key.public_key, signed_tx.hash, signed_tx.signature, LIGHTER_VERIFY_OFFICIAL)))
        ok = vector_mismatch(why, cap, "signature", "verifiable", "rejected by the verifier");
    if (ok && tx.type == LIGHTER_TX_CHANGE_PUB_KEY) {
        uint8_t pub[64];
        size_t pub_len = 0;
        const char *b64 = vector_str(json_object_get(c, "tx_fields"), "PubKey");
        if (sodium_base642bin(pub, sizeof pub, b64, strlen(b64), NULL, &pub_len, NULL, sodium_base64_VARIANT_ORIGINAL) != 0 ||
            pub_len != 40 || memcmp(pub, key.public_key, 40) != 0)
            ok = vector_mismatch(why, cap, "tx_fields.PubKey", "the signing key's public key", b64);
        char l1[LIGHTER_L1_MESSAGE_MAX];
        if (ok && lighter_change_pub_key_l1_message(l1, sizeof l1, key.public_key, tx.nonce, tx.account_index, tx.api_key_index) < 0)
            ok = vector_mismatch(why, cap, "l1_message", "renderable", "too long");
        if (ok) ok = lv_expect_str(why, cap, "l1_message", vector_str(c, "l1_message"), l1);
    }
    lighter_key_wipe(&key);
    return ok;
}

static int check_create_order(const json_t *c, const json_t *f, char *why, size_t cap) {
    (void)f;
    return check_tx_case(c, LIGHTER_TX_CREATE_ORDER, why, cap);
}
static int check_cancel_order(const json_t *c, const json_t *f, char *why, size_t cap) {
    (void)f;
    return check_tx_case(c, LIGHTER_TX_CANCEL_ORDER, why, cap);
}
static int check_cancel_all(const json_t *c, const json_t *f, char *why, size_t cap) {
    (void)f;
    return check_tx_case(c, LIGHTER_TX_CANCEL_ALL_ORDERS, why, cap);
}
static int check_modify_order(const json_t *c, const json_t *f, char *why, size_t cap) {
    (void)f;
    return check_tx_case(c, LIGHTER_TX_MODIFY_ORDER, why, cap);
}
static int check_update_leverage(const json_t *c, const json_t *f, char *why, size_t cap) {
    (void)f;
    return check_tx_case(c, LIGHTER_TX_UPDATE_LEVERAGE, why, cap);
}
static int check_change_pub_key(const json_t *c, const json_t *f, char *why, size_t cap) {
    (void)f;
    return check_tx_case(c, LIGHTER_TX_CHANGE_PUB_KEY, why, cap);
}

/* ---- auth_token.json ------------------------------------------------------------------- */

static int check_auth_token(const json_t *c, const json_t *file, char *why, size_t cap) {
    (void)file;
    int64_t deadline, account, api_key;
    char message[LIGHTER_AUTH_MESSAGE_MAX], token[LIGHTER_AUTH_TOKEN_MAX], err[256];
    uint64_t elements[LIGHTER_AUTH_MAX_ELEMENTS], expected[LIGHTER_AUTH_MAX_ELEMENTS];
    size_t n;
    uint8_t k_bytes[40], sig[80], hash_bytes[40];
    lighter_scalar k;
    lighter_fp5 hash;
    lighter_key key;
    const char *hex = vector_str(c, "private_key_hex");
    if (!lv_int64(c, "deadline_unix_s", &deadline, why, cap) || !lv_int64(c, "account_index", &account, why, cap) ||
        !lv_int64(c, "api_key_index", &api_key, why, cap) || !lv_scalar_bytes(c, "k", k_bytes, why, cap) ||
        !lv_u64_array(c, "message_elements", expected, LIGHTER_AUTH_MAX_ELEMENTS, &n, why, cap))
        return 0;
    int len = lighter_auth_message(message, deadline, account, api_key, err, sizeof err);
    if (len < 0) return vector_mismatch(why, cap, "message", "buildable", err);
    if (!lv_expect_str(why, cap, "message", vector_str(c, "message"), message)) return 0;
    if (!lv_expect_bytes_hex(c, "message_bytes_hex", (const uint8_t *)message, (size_t)len, why, cap)) return 0;
    size_t count = lighter_auth_message_hash(&hash, elements, message, (size_t)len);
    if (count != n) return lv_mismatch_u64(why, cap, "message_elements (count)", n, count);
    if (!lv_expect_u64s(why, cap, "message_elements", expected, elements, n)) return 0;
    if (!lv_expect_fp5_hex(c, "message_hash_le_hex", &hash, why, cap)) return 0;
    if (!lighter_scalar_from_bytes_canonical(&k, k_bytes)) return vector_mismatch(why, cap, "k", "a value < n", ">= n");
    if (!hex || lighter_key_from_hex(&key, hex, strlen(hex), err, sizeof err) != 0)
        return vector_mismatch(why, cap, "private_key_hex", "a usable key", hex ? err : "nothing");
    int ok = lv_expect_bytes_hex(c, "public_key_hex", key.public_key, 40, why, cap);
    if (ok && lighter_auth_token_with_k(token, deadline, account, api_key, &key, &k, err, sizeof err) != 0)
        ok = vector_mismatch(why, cap, "token", "buildable", err);
    if (ok) ok = lv_expect_str(why, cap, "token", vector_str(c, "token"), token);
    if (ok && (strlen(token) != (size_t)len + 161 || vector_hex(token + len + 1, sig, sizeof sig) != 80))
        ok = vector_mismatch(why, cap, "token", "message:160 hex", token);
    if (ok) ok = lv_expect_bytes_hex(c, "signature_hex", sig, 80, why, cap);
    lighter_fp5_to_bytes(hash_bytes, &hash);
    if (ok && !lighter_schnorr_verify(key.public_key, hash_bytes, sig, LIGHTER_VERIFY_STRICT))
        ok = vector_mismatch(why, cap, "signature_hex", "verifiable", "rejected");
    lighter_key_wipe(&key);
    return ok;
}

static const struct vector_handler table_lighter_tx[] = {
    {"tx_create_order", check_create_order},
    {"tx_cancel_order", check_cancel_order},
    {"tx_cancel_all_orders", check_cancel_all},
    {"tx_modify_order", check_modify_order},
    {"tx_update_leverage", check_update_leverage},
    {"tx_change_pub_key", check_change_pub_key},
    {"auth_token", check_auth_token},
    {NULL, NULL},
};
VECTOR_HANDLERS(table_lighter_tx)
