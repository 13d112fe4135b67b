/* Lighter transactions through the public API (exchanges/lighter/tx.h): valid txs of every
 * type sign, verify and render tx_info that parses back to exactly the given integers; every
 * out-of-range or inconsistent field is refused with an error naming that field; defaults
 * (-1) resolve from the signer clock; auth tokens verify. */
#include <jansson.h>
#include <string.h>

#include "exchanges/lighter/sign.h"
#include "tests/c/tap.h"

#define TEST_KEY "76cc88d990d78188882f4fa274441c06cd610781c47fe4648c9df72603e27922551591f7f79acf1d"
#define L1SIG "0xababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababab"
#define NOW_MS 1767225601000LL

static lighter_key key;

static lighter_tx base_tx(lighter_tx_type type) {
    lighter_tx tx;
    memset(&tx, 0, sizeof tx);
    tx.type = type;
    tx.chain_id = LIGHTER_CHAIN_ID_MAINNET;
    tx.account_index = 281;
    tx.api_key_index = 3;
    tx.nonce = 7;
    tx.expired_at = NOW_MS + LIGHTER_DEFAULT_EXPIRED_AT_MS;
    return tx;
}

static lighter_tx limit_order(void) {
    lighter_tx tx = base_tx(LIGHTER_TX_CREATE_ORDER);
    tx.body.create_order = (lighter_create_order){.market_index = 0, .client_order_index = 1, .base_amount = 1000,
                                                  .price = 350000, .is_ask = 0, .type = LIGHTER_ORDER_LIMIT,
                                                  .time_in_force = LIGHTER_TIF_GOOD_TILL_TIME, .reduce_only = 0,
                                                  .trigger_price = 0, .order_expiry = NOW_MS + 3600000};
    return tx;
}

/* Signs tx, checks the signature and that tx_info is JSON; returns the parsed tx_info. */
static json_t *sign_ok(const lighter_tx *tx, const char *what) {
    lighter_signed_tx out;
    char err[256] = "";
    memset(&out, 0, sizeof out);
    int rc = lighter_tx_sign(tx, &key, &out, err, sizeof err);
    if (!is_int(rc, LIGHTER_SIGN_OK, "%s: signs", what)) diag("error: %s", err);
    ok(lighter_schnorr_verify(key.public_key, out.hash, out.signature, LIGHTER_VERIFY_STRICT) == 1, "%s: signature verifies", what);
    is_int((long long)strlen(out.hash_hex), 80, "%s: tx hash is 80 hex characters", what);
    json_error_t jerr;
    json_t *info = json_loads(out.tx_info, 0, &jerr);
    ok(info != NULL, "%s: tx_info is JSON", what);
    is_int((long long)out.tx_info_len, (long long)strlen(out.tx_info), "%s: tx_info_len", what);
    return info;
}

static void refused(const lighter_tx *tx, const char *fragment, const char *what) {
    lighter_signed_tx out;
    char err[256] = "";
    is_int(lighter_tx_sign(tx, &key, &out, err, sizeof err), LIGHTER_SIGN_INVALID_INPUT, "%s: refused", what);
    ok(strstr(err, fragment) != NULL, "%s: error names '%s' (%s)", what, fragment, err);
}

static void test_valid_txs(void) {
    lighter_tx tx = limit_order();
    json_t *info = sign_ok(&tx, "limit order");
    is_int(json_integer_value(json_object_get(info, "Price")), 350000, "tx_info Price");
    is_int(json_integer_value(json_object_get(info, "OrderExpiry")), NOW_MS + 3600000, "tx_info OrderExpiry");
    ok(json_is_null(json_object_get(info, "L2TxAttributes")), "no attributes -> null");
    ok(json_string_length(json_object_get(info, "Sig")) == 108, "Sig is 108 base64 characters");
    json_decref(info);

    /* Integers above 2^53 must come out exactly (no double on the way). */
    tx.nonce = INT64_MAX;
    tx.body.create_order.order_expiry = INT64_MAX;
    lighter_signed_tx out;
    char err[256];
    is_int(lighter_tx_sign(&tx, &key, &out, err, sizeof err), 0, "nonce and expiry 2^63-1 sign");
    ok(strstr(out.tx_info, "\"OrderExpiry\":9223372036854775807,\"ExpiredAt\":") != NULL, "OrderExpiry 2^63-1 printed exactly");
    ok(strstr(out.tx_info, "\"Nonce\":9223372036854775807,") != NULL, "Nonce 2^63-1 printed exactly");

    tx = limit_order();
    tx.attributes = (lighter_tx_attributes){3, {{4, 1}, {1, 723813}, {2, 250}}};
    info = sign_ok(&tx, "attributes");
    json_t *attrs = json_object_get(info, "L2TxAttributes");
    is_int((long long)json_object_size(attrs), 3, "three attributes rendered");
    is_int(json_integer_value(json_object_get(attrs, "1")), 723813, "attribute 1");
    json_decref(info);
    is_int(lighter_tx_sign(&tx, &key, &out, err, sizeof err), 0, "attributes sign");
    ok(strstr(out.tx_info, "\"L2TxAttributes\":{\"1\":723813,\"2\":250,\"4\":1}}") != NULL, "attributes sorted by type");

    /* Nil-valued attributes are dropped: same message as no attributes at all. */
    lighter_signed_tx plain, with_nil;
    tx = limit_order();
    lighter_scalar k;
    lighter_scalar_set_u64(&k, 12345);
    lighter_tx_sign_with_k(&tx, &key, &k, &plain, err, sizeof err);
    tx.attributes = (lighter_tx_attributes){2, {{4, 0}, {1, 0}}};
    lighter_tx_sign_with_k(&tx, &key, &k, &with_nil, err, sizeof err);
    is_str(with_nil.tx_info, plain.tx_info, "nil attributes are the same as none");

    tx = base_tx(LIGHTER_TX_CREATE_ORDER);
    tx.body.create_order = (lighter_create_order){.market_index = 1, .client_order_index = 0, .base_amount = 0, .price = 1,
                                                  .is_ask = 1, .type = LIGHTER_ORDER_MARKET, .time_in_force = 0,
                                                  .reduce_only = 1};
    json_decref(sign_ok(&tx, "reduce-only market close with size 0"));

    tx = base_tx(LIGHTER_TX_CANCEL_ORDER);
    tx.body.cancel_order = (lighter_cancel_order){.market_index = 2048, .index = (INT64_C(1) << 60) - 1};
    json_decref(sign_ok(&tx, "cancel by order index on spot"));
    tx = base_tx(LIGHTER_TX_CANCEL_ALL_ORDERS);
    tx.body.cancel_all_orders = (lighter_cancel_all_orders){LIGHTER_CANCEL_ALL_SCHEDULED, NOW_MS + 600000};
    json_decref(sign_ok(&tx, "scheduled cancel-all"));
    tx.body.cancel_all_orders = (lighter_cancel_all_orders){LIGHTER_CANCEL_ALL_NOW, 0};
    tx.attributes = (lighter_tx_attributes){1, {{5, 3}}};
    json_decref(sign_ok(&tx, "immediate cancel-all of one market"));
    tx = base_tx(LIGHTER_TX_MODIFY_ORDER);
    tx.body.modify_order = (lighter_modify_order){.market_index = 0, .index = 5, .base_amount = 10, .price = 2};
    json_decref(sign_ok(&tx, "modify"));
    tx = base_tx(LIGHTER_TX_UPDATE_LEVERAGE);
    tx.body.update_leverage = (lighter_update_leverage){.market_index = 0, .initial_margin_fraction = 333, .margin_mode = 1};
    json_decref(sign_ok(&tx, "update leverage"));
    tx = base_tx(LIGHTER_TX_CHANGE_PUB_KEY);
    memcpy(tx.body.change_pub_key.l1_signature, L1SIG, sizeof L1SIG);
    info = sign_ok(&tx, "change pub key");
    is_str(json_string_value(json_object_get(info, "PubKey")), "iGevgKGLAN5ScjogYGDt7UKVO8W0kkUnH6w75i081d9LhRxR3xbX/g==",
           "PubKey is the signing key's public key");
    json_decref(info);
}

static void test_defaults(void) {
    lighter_tx tx = limit_order(), resolved;
    char err[256] = "";
    tx.expired_at = LIGHTER_DEFAULT;
    tx.body.create_order.order_expiry = LIGHTER_DEFAULT;
    refused(&tx, "now_ms", "default without a clock");
    tx.now_ms = NOW_MS;
    is_int(lighter_tx_resolve(&resolved, &tx, err, sizeof err), 0, "defaults resolve with a clock");
    is_int(resolved.expired_at, NOW_MS + 599000, "ExpiredAt = now + 599 s");
    is_int(resolved.body.create_order.order_expiry, NOW_MS + 2419200000LL, "OrderExpiry = now + 28 days");
}

/* One bad CreateOrder per entry: what is wrong, a fragment the error must contain, and the
 * change applied to a valid limit order. */
struct bad_case {
    const char *what, *fragment;
};

static const struct bad_case bad_create_orders[] = {
    {"negative size", "BaseAmount = -5"},
    {"size 0 without reduce-only", "BaseAmount = 0"},
    {"size 2^48", "BaseAmount"},
    {"market 255", "MarketIndex = 255"},
    {"market -1", "MarketIndex = -1"},
    {"market 4095", "MarketIndex = 4095"},
    {"market 70000", "MarketIndex = 70000"},
    {"price 0", "Price = 0"},
    {"price 2^32", "Price = 4294967296"},
    {"IsAsk 2", "IsAsk = 2"},
    {"Type 7", "Type = 7"},
    {"TimeInForce 3", "TimeInForce = 3"},
    {"ReduceOnly 2", "ReduceOnly = 2"},
    {"client order index 2^48", "ClientOrderIndex"},
    {"negative client order index", "ClientOrderIndex = -1"},
    {"trigger on a limit order", "TriggerPrice must be 0"},
    {"GTT without expiry", "OrderExpiry is required"},
    {"negative expiry", "OrderExpiry = -2"},
    {"IOC limit with expiry", "OrderExpiry must be 0"},
    {"market order GTT", "TimeInForce must be 0"},
    {"reduce-only on spot", "ReduceOnly = 1 is not allowed on a spot market"},
    {"stop-loss on spot", "only allowed on perps"},
    {"stop-loss without trigger", "TriggerPrice is required"},
    {"TWAP post-only", "TimeInForce must be 1"},
    {"chain id 0", "chain_id = 0"},
    {"chain id 2^32", "chain_id = 4294967296"},
    {"account 2^48-1", "AccountIndex = 281474976710655"},
    {"negative account", "AccountIndex = -1"},
    {"API key 255", "ApiKeyIndex = 255"},
    {"negative nonce", "Nonce = -1"},
    {"ExpiredAt 2^48", "ExpiredAt = 281474976710656"},
    {"five attributes", "at most 4"},
    {"attribute type 8", "unknown attribute type 8"},
    {"attribute given twice", "given twice"},
    {"skip-nonce 2", "attribute 4 = 2"},
    {"fee above 100 %", "attribute 2 = 1000001"},
    {"fee without integrator", "need the integrator account"},
    {"market attribute on an order", "attribute 5"},
    {"self-trade reduce with master equality", "self-trade behaviour 3"},
    {"self-trade with fees", "cannot be combined"},
};

static void mutate(lighter_tx *t, size_t which) {
    lighter_create_order *o = &t->body.create_order;
    lighter_tx_attribute *a = t->attributes.entries;
    switch (which) {
    case 0: o->base_amount = -5; break;
    case 1: o->base_amount = 0; break;
    case 2: o->base_amount = INT64_C(1) << 48; break;
    case 3: o->market_index = 255; break;
    case 4: o->market_index = -1; break;
    case 5: o->market_index = 4095; break;
    case 6: o->market_index = 70000; break;
    case 7: o->price = 0; break;
    case 8: o->price = INT64_C(1) << 32; break;
    case 9: o->is_ask = 2; break;
    case 10: o->type = 7; break;
    case 11: o->time_in_force = 3; break;
    case 12: o->reduce_only = 2; break;
    case 13: o->client_order_index = INT64_C(1) << 48; break;
    case 14: o->client_order_index = -1; break;
    case 15: o->trigger_price = 5; break;
    case 16: o->order_expiry = 0; break;
    case 17: o->order_expiry = -2; break;
    case 18: o->time_in_force = 0; break;
    case 19: o->type = LIGHTER_ORDER_MARKET; break;
    case 20: o->market_index = 2048; o->reduce_only = 1; break;
    case 21: o->market_index = 2049; o->type = LIGHTER_ORDER_STOP_LOSS; o->time_in_force = 0; o->trigger_price = 9; break;
    case 22: o->type = LIGHTER_ORDER_STOP_LOSS; o->time_in_force = 0; break;
    case 23: o->type = LIGHTER_ORDER_TWAP; o->time_in_force = 2; break;
    case 24: t->chain_id = 0; break;
    case 25: t->chain_id = INT64_C(1) << 32; break;
    case 26: t->account_index = (INT64_C(1) << 48) - 1; break;
    case 27: t->account_index = -1; break;
    case 28: t->api_key_index = 255; break;
    case 29: t->nonce = -1; break;
    case 30: t->expired_at = INT64_C(1) << 48; break;
    case 31: t->attributes.count = 5; break;
    case 32: t->attributes.count = 1; a[0] = (lighter_tx_attribute){8, 1}; break;
    case 33: t->attributes.count = 2; a[0] = (lighter_tx_attribute){4, 1}; a[1] = (lighter_tx_attribute){4, 1}; break;
    case 34: t->attributes.count = 1; a[0] = (lighter_tx_attribute){4, 2}; break;
    case 35: t->attributes.count = 2; a[0] = (lighter_tx_attribute){1, 5}; a[1] = (lighter_tx_attribute){2, 1000001}; break;
    case 36: t->attributes.count = 1; a[0] = (lighter_tx_attribute){3, 10}; break;
    case 37: t->attributes.count = 1; a[0] = (lighter_tx_attribute){5, 1}; break;
    case 38: t->attributes.count = 2; a[0] = (lighter_tx_attribute){6, 3}; a[1] = (lighter_tx_attribute){7, 1}; break;
    case 39: t->attributes.count = 3; a[0] = (lighter_tx_attribute){1, 5}; a[1] = (lighter_tx_attribute){2, 10}; a[2] = (lighter_tx_attribute){6, 1}; break;
    }
}

static void test_bad_create_order(void) {
    for (size_t i = 0; i < sizeof bad_create_orders / sizeof bad_create_orders[0]; i++) {
        lighter_tx tx = limit_order();
        mutate(&tx, i);
        refused(&tx, bad_create_orders[i].fragment, bad_create_orders[i].what);
        char err[256] = "";
        lighter_signed_tx out;
        lighter_tx_sign(&tx, &key, &out, err, sizeof err);
        ok(strncmp(err, "CreateOrder.", 12) == 0, "%s: error names the tx", bad_create_orders[i].what);
    }
}

static void test_bad_other_txs(void) {
    lighter_tx tx = base_tx(LIGHTER_TX_CANCEL_ORDER);
    tx.body.cancel_order = (lighter_cancel_order){0, 0};
    refused(&tx, "CancelOrder.Index = 0", "cancel index 0");
    tx.body.cancel_order = (lighter_cancel_order){0, INT64_C(1) << 60};
    refused(&tx, "Index = 1152921504606846976", "cancel index 2^60");
    tx.body.cancel_order = (lighter_cancel_order){255, 1};
    refused(&tx, "MarketIndex = 255", "cancel on market 255");

    tx = base_tx(LIGHTER_TX_CANCEL_ALL_ORDERS);
    tx.body.cancel_all_orders = (lighter_cancel_all_orders){LIGHTER_CANCEL_ALL_SCHEDULED, 0};
    refused(&tx, "CancelAllOrders.Time = 0", "scheduled cancel-all without time");
    tx.body.cancel_all_orders = (lighter_cancel_all_orders){LIGHTER_CANCEL_ALL_NOW, 5};
    refused(&tx, "Time = 5 must be 0", "immediate cancel-all with time");
    tx.body.cancel_all_orders = (lighter_cancel_all_orders){3, 0};
    refused(&tx, "TimeInForce = 3", "cancel-all mode 3");
    tx.body.cancel_all_orders = (lighter_cancel_all_orders){LIGHTER_CANCEL_ALL_ABORT, 0};
    tx.attributes = (lighter_tx_attributes){1, {{5, 1}}};
    refused(&tx, "attribute 5", "market attribute on an abort");

    tx = base_tx(LIGHTER_TX_MODIFY_ORDER);
    tx.body.modify_order = (lighter_modify_order){0, 1, 10, 0, 0};
    refused(&tx, "ModifyOrder.Price = 0", "modify to price 0");
    tx.body.modify_order = (lighter_modify_order){0, 1, -1, 10, 0};
    refused(&tx, "BaseAmount = -1", "modify to a negative size");

    tx = base_tx(LIGHTER_TX_UPDATE_LEVERAGE);
    tx.body.update_leverage = (lighter_update_leverage){0, 0, 0};
    refused(&tx, "UpdateLeverage.InitialMarginFraction = 0", "margin fraction 0");
    tx.body.update_leverage = (lighter_update_leverage){0, 10001, 0};
    refused(&tx, "InitialMarginFraction = 10001", "margin fraction 10001");
    tx.body.update_leverage = (lighter_update_leverage){0, 1000, 2};
    refused(&tx, "MarginMode = 2", "margin mode 2");

    tx = base_tx(LIGHTER_TX_CHANGE_PUB_KEY);
    refused(&tx, "ChangePubKey.L1Sig", "missing L1 signature");
    memcpy(tx.body.change_pub_key.l1_signature, L1SIG, sizeof L1SIG);
    tx.body.change_pub_key.l1_signature[40] = 'z';
    refused(&tx, "position 41", "non-hex L1 signature");

    tx = base_tx((lighter_tx_type)99);
    refused(&tx, "unsupported Lighter tx type 99", "unknown tx type");
}

static void test_auth_tokens(void) {
    char token[LIGHTER_AUTH_TOKEN_MAX], err[256];
    is_int(lighter_auth_token(token, 1767229240, 281, 3, &key, err, sizeof err), 0, "auth token built");
    is_int((long long)strlen(token), 16 + 1 + 160, "token = message ':' 160 hex");
    ok(strncmp(token, "1767229240:281:3:", 17) == 0, "token starts with the message");
    uint8_t sig[80], hash_bytes[40];
    lighter_fp5 hash;
    uint64_t elements[LIGHTER_AUTH_MAX_ELEMENTS];
    for (int i = 0; i < 80; i++) {
        unsigned v;
        sscanf(token + 17 + 2 * i, "%2x", &v);
        sig[i] = (uint8_t)v;
    }
    lighter_auth_message_hash(&hash, elements, token, 16);
    lighter_fp5_to_bytes(hash_bytes, &hash);
    is_int(lighter_schnorr_verify(key.public_key, hash_bytes, sig, LIGHTER_VERIFY_STRICT), 1, "auth token signature verifies");
    is_int(lighter_auth_token(token, 0, 281, 3, &key, err, sizeof err), -1, "deadline 0 refused");
    ok(strstr(err, "deadline") != NULL, "error names the deadline (%s)", err);
    is_int(lighter_auth_token(token, 1767229240, -1, 3, &key, err, sizeof err), -1, "negative account refused");
    ok(strstr(err, "account index") != NULL, "error names the account index (%s)", err);
    is_int(lighter_auth_token(token, 1767229240, 281, 255, &key, err, sizeof err), -1, "API key 255 refused");
    ok(strstr(err, "API key index") != NULL, "error names the API key index (%s)", err);
}

int main(void) {
    char err[200];
    if (lighter_key_from_hex(&key, TEST_KEY, strlen(TEST_KEY), err, sizeof err) != 0) {
        diag("test key does not load: %s", err);
        return 1;
    }
    test_valid_txs();
    test_defaults();
    test_bad_create_order();
    test_bad_other_txs();
    test_auth_tokens();
    lighter_key_wipe(&key);
    return done_testing();
}
