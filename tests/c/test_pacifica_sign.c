/* exchanges/pacifica signing: one known answer (the spec's worked example, agent-signed), then
 * bad input of every kind the signer must refuse before anything is signed — wrong types,
 * floats, malformed decimals and ids, unknown or missing fields, non-ASCII text, agent keys on
 * admin calls, oversized batches, WebSocket-less operations — each with an error naming the
 * operation and field, and no signature or body left behind. */
#include <stdlib.h>
#include <string.h>

#include "exchanges/pacifica/canonical_json.h"
#include "exchanges/pacifica/sign.h"
#include "tests/c/tap.h"

#define MAIN_SECRET "3TA2wDJU3ESmFXSTFpPAKHgCetg23zUVswAp8vS48HWCDxP5qiMy9hCjTJZ7caCtRLsHVHVv2BaaNFRzD9y3xwgH"
#define MAIN_ADDRESS "CgyGKJ8fU5ehxBFEd2XA6U8ZJirUCRDZh7oWyBjrferh"
#define AGENT_SECRET "3MYmr2skPYRXK2eaidvsexLEZTkSFwaZCJtAf67KwGrJLiuvQPnk7UAftijUcHGsMYgSY2VE9DeyohxwQ8K3NbRo"
#define AGENT_ADDRESS "D5HAUaDDPPV9ASj8PVJLdTevsBQSAiVFj9PahXD1kZh7"
#define TS 1765000002000LL
#define WINDOW 5000

static pacifica_signer main_signer, agent_signer;
static pacifica_signed_request request;

static json_t *json(const char *text) {
    json_error_t error;
    json_t *value = json_loads(text, JSON_ALLOW_NUL, &error);
    if (!value) {
        printf("# bad test JSON: %s: %s\n", error.text, text);
        exit(2);
    }
    return value;
}

/* Signing must fail, the error must contain `needle`, and no signature or body may remain. */
static void refused(const pacifica_signer *signer, const char *type, const char *payload_text, const char *needle,
                    const char *what) {
    json_t *payload = json(payload_text);
    char err[512] = "";
    int rc = pacifica_sign_request(&request, signer, type, TS, WINDOW, payload, err, sizeof err);
    json_decref(payload);
    ok(rc != 0, "%s: refused", what);
    ok(strstr(err, needle) != NULL, "%s: error mentions '%s' (%s)", what, needle, err);
    ok(request.signature_base58[0] == '\0' && request.body.length == 0 && request.message.length == 0,
       "%s: nothing signed is left behind", what);
}

static int signs(const pacifica_signer *signer, const char *type, const char *payload_text, const char *what) {
    json_t *payload = json(payload_text);
    char err[512] = "";
    int rc = pacifica_sign_request(&request, signer, type, TS, WINDOW, payload, err, sizeof err);
    json_decref(payload);
    if (rc != 0) diag("%s: %s", what, err);
    return ok(rc == 0, "%s: signs", what);
}

static void test_known_answer(void) {
    /* specs/pacifica.md §3.2, vector market/agent/ask_reduce_only_close. */
    signs(&agent_signer, "create_market_order",
          "{\"symbol\":\"ETH\",\"amount\":\"0.0125\",\"side\":\"ask\",\"slippage_percent\":\"1\",\"reduce_only\":true,"
          "\"client_order_id\":\"449a6996-8290-4da4-aee9-85c25998f0af\"}",
          "worked example");
    is_str(request.message.data,
           "{\"data\":{\"amount\":\"0.0125\",\"client_order_id\":\"449a6996-8290-4da4-aee9-85c25998f0af\","
           "\"reduce_only\":true,\"side\":\"ask\",\"slippage_percent\":\"1\",\"symbol\":\"ETH\"},"
           "\"expiry_window\":5000,\"timestamp\":1765000002000,\"type\":\"create_market_order\"}",
           "worked example message");
    is_int((long long)request.message.length, 231, "worked example is 231 bytes");
    is_str(request.signature_base58,
           "2creixeABGsXBDuiQmQBWGbxQjGEBhfnY6W9ewyYf9TBvZD1xWdUgiAvjkNzhLTgXPtNJGqzstwBuYp8HdbqTAR1",
           "worked example signature");
    ok(pacifica_signature_verify(agent_signer.key.public_key, request.message.data, request.message.length,
                                 request.signature), "signature verifies under the agent key");
    ok(!pacifica_signature_verify(main_signer.key.public_key, request.message.data, request.message.length,
                                  request.signature), "and not under the main key");
    request.signature[10] ^= 0x40;
    ok(!pacifica_signature_verify(agent_signer.key.public_key, request.message.data, request.message.length,
                                  request.signature), "a changed signature does not verify");
    ok(strstr(request.body.data, "\"agent_wallet\":\"" AGENT_ADDRESS "\"") != NULL, "body carries the agent wallet");
    ok(strstr(request.body.data, "\"account\":\"" MAIN_ADDRESS "\"") != NULL, "body carries the main account");
    is_str(request.operation->path, "/api/v1/orders/create_market", "endpoint");
}

static void test_bad_payloads(void) {
    const pacifica_signer *s = &main_signer;
    refused(s, "create_marketorder", "{}", "unknown operation type", "misspelt operation");
    refused(s, "create_market_order", "[]", "must be an object", "payload is an array");
    refused(s, "create_market_order",
            "{\"symbol\":\"BTC\",\"side\":\"bid\",\"slippage_percent\":\"0.5\",\"reduce_only\":false}",
            "amount is required", "missing amount");
    refused(s, "create_market_order",
            "{\"symbol\":\"BTC\",\"amount\":0.1,\"side\":\"bid\",\"slippage_percent\":\"0.5\",\"reduce_only\":false}",
            "amount must be a decimal string", "amount as a float");
    refused(s, "create_market_order",
            "{\"symbol\":\"BTC\",\"amount\":1,\"side\":\"bid\",\"slippage_percent\":\"0.5\",\"reduce_only\":false}",
            "found an integer", "amount as an integer");
    static const char *const bad_decimals[] = {"1e-3", "-1", "+1", "01", ".5", "5.", "1.2.3", " 1", "1,5", "", "NaN"};
    for (size_t i = 0; i < sizeof bad_decimals / sizeof bad_decimals[0]; i++) {
        char payload[256], what[64];
        snprintf(payload, sizeof payload,
                 "{\"symbol\":\"BTC\",\"price\":\"%s\",\"amount\":\"0.1\",\"side\":\"bid\",\"tif\":\"GTC\","
                 "\"reduce_only\":false}", bad_decimals[i]);
        snprintf(what, sizeof what, "price \"%s\"", bad_decimals[i]);
        refused(s, "create_order", payload, "price must be a plain decimal string", what);
    }
    refused(s, "create_order",
            "{\"symbol\":\"BTC\",\"price\":\"100\",\"amount\":\"0.000\",\"side\":\"bid\",\"tif\":\"GTC\",\"reduce_only\":false}",
            "amount must be greater than zero", "zero amount");
    signs(s, "create_market_order",
          "{\"symbol\":\"BTC\",\"amount\":\"0.1\",\"side\":\"bid\",\"slippage_percent\":\"0\",\"reduce_only\":false}",
          "zero slippage is allowed");
    refused(s, "create_order",
            "{\"symbol\":\"BTC\",\"price\":\"100\",\"amount\":\"1\",\"side\":\"buy\",\"tif\":\"GTC\",\"reduce_only\":false}",
            "side must be \"bid\" or \"ask\"", "side buy");
    refused(s, "create_order",
            "{\"symbol\":\"BTC\",\"price\":\"100\",\"amount\":\"1\",\"side\":\"bid\",\"tif\":\"gtc\",\"reduce_only\":false}",
            "tif must be one of", "lower-case tif");
    refused(s, "create_order",
            "{\"symbol\":\"BTC\",\"price\":\"100\",\"amount\":\"1\",\"side\":\"bid\",\"tif\":\"GTC\",\"reduce_only\":\"false\"}",
            "reduce_only must be true or false", "reduce_only as a string");
    refused(s, "create_order",
            "{\"symbol\":\"BTC\",\"price\":\"100\",\"amount\":\"1\",\"side\":\"bid\",\"tif\":\"GTC\",\"reduce_only\":false,"
            "\"client_order_id\":\"3C396AF3-FF65-4DE4-AB4D-7950B0B1942A\"}",
            "client_order_id must be a lower-case UUID", "upper-case client order id");
    refused(s, "create_order",
            "{\"symbol\":\"BTC\",\"price\":\"100\",\"amount\":\"1\",\"side\":\"bid\",\"tif\":\"GTC\",\"reduce_only\":false,"
            "\"client_order_id\":null}",
            "client_order_id must not be null", "null optional");
    refused(s, "create_order",
            "{\"symbol\":\"BTC\",\"price\":\"100\",\"amount\":\"1\",\"side\":\"bid\",\"tif\":\"GTC\",\"reduce_only\":false,"
            "\"post_only\":true}",
            "unknown field \"post_only\"", "unknown field");
    refused(s, "create_order",
            "{\"symbol\":\"BTC\",\"price\":\"100\",\"amount\":\"1\",\"side\":\"bid\",\"tif\":\"GTC\",\"reduce_only\":false,"
            "\"take_profit\":{\"limit_price\":\"120\"}}",
            "take_profit.stop_price is required", "take profit without stop price");
    refused(s, "create_order",
            "{\"symbol\":\"BTC\",\"price\":\"100\",\"amount\":\"1\",\"side\":\"bid\",\"tif\":\"GTC\",\"reduce_only\":false,"
            "\"stop_loss\":{\"stop_price\":\"90\",\"trigger\":\"mark\"}}",
            "unknown field \"stop_loss.trigger\"", "unknown nested field");
    refused(s, "create_order",
            "{\"symbol\":\"BT C\",\"price\":\"100\",\"amount\":\"1\",\"side\":\"bid\",\"tif\":\"GTC\",\"reduce_only\":false}",
            "symbol must be a market symbol", "symbol with a space");
    refused(s, "create_market_order",
            "{\"symbol\":\"BTC\",\"amount\":\"1\",\"side\":\"bid\",\"slippage_percent\":\"1\",\"reduce_only\":false,"
            "\"builder_code\":\"caf\\u00e9\"}",
            "builder_code must be 1 to 128 printable ASCII", "non-ASCII builder code");
    refused(s, "create_market_order",
            "{\"symbol\":\"BTC\",\"amount\":\"1\",\"side\":\"bid\",\"slippage_percent\":\"1\",\"reduce_only\":false,"
            "\"builder_code\":\"a\\u0000b\"}",
            "NUL", "builder code with a NUL");
    refused(s, "cancel_order", "{\"symbol\":\"BTC\"}", "give exactly one of order_id or client_order_id", "cancel without id");
    refused(s, "cancel_order",
            "{\"symbol\":\"BTC\",\"order_id\":1,\"client_order_id\":\"449a6996-8290-4da4-aee9-85c25998f0af\"}",
            "give only one of order_id or client_order_id", "cancel with both ids");
    refused(s, "cancel_order", "{\"symbol\":\"BTC\",\"order_id\":\"42\"}", "order_id must be a non-negative integer",
            "order id as a string");
    refused(s, "cancel_order", "{\"symbol\":\"BTC\",\"order_id\":-5}", "order_id must be a non-negative integer",
            "negative order id");
    refused(s, "cancel_all_orders", "{\"all_symbols\":true,\"exclude_reduce_only\":false,\"symbol\":\"BTC\"}",
            "symbol must be omitted when all_symbols is true", "cancel all with a symbol");
    refused(s, "cancel_all_orders", "{\"all_symbols\":false,\"exclude_reduce_only\":false}",
            "symbol is required when all_symbols is false", "cancel one symbol without it");
    refused(s, "cancel_all_orders", "{\"all_symbols\":true}", "exclude_reduce_only is required",
            "cancel all without exclude_reduce_only");
    refused(s, "update_leverage", "{\"symbol\":\"BTC\",\"leverage\":0}", "leverage must be an integer >= 1", "leverage 0");
    refused(s, "update_leverage", "{\"symbol\":\"BTC\",\"leverage\":\"10\"}", "leverage must be an integer",
            "leverage as a string");
    refused(s, "update_leverage", "{\"symbol\":\"BTC\",\"leverage\":10.0}", "leverage must be an integer",
            "leverage as a float");
    refused(s, "set_position_tpsl", "{\"symbol\":\"BTC\",\"side\":\"ask\"}", "give take_profit, stop_loss or both",
            "position tpsl with neither");
    refused(s, "transfer_funds", "{\"to_account\":\"abc\",\"amount\":\"1\"}", "to_account must be a base58 Solana address",
            "transfer to a bad address");
    refused(s, "subaccount_confirm", "{\"signature\":\"" MAIN_ADDRESS "\"}", "signature must be a base58 Ed25519 signature",
            "subaccount confirm with a short signature");
}

static void test_header_and_signer_rules(void) {
    json_t *payload = json("{\"symbol\":\"BTC\",\"leverage\":5}");
    char err[256];
    ok(pacifica_sign_request(&request, &main_signer, "update_leverage", 0, WINDOW, payload, err, sizeof err) != 0 &&
       strstr(err, "timestamp must be a positive"), "zero timestamp refused (%s)", err);
    ok(pacifica_sign_request(&request, &main_signer, "update_leverage", TS, 0, payload, err, sizeof err) != 0 &&
       strstr(err, "expiry_window must be a positive"), "zero expiry window refused (%s)", err);
    ok(pacifica_sign_request(&request, NULL, "update_leverage", TS, WINDOW, payload, err, sizeof err) != 0,
       "no signer refused");
    ok(pacifica_sign_request(&request, &agent_signer, "update_leverage", TS, WINDOW, payload, err, sizeof err) == 0,
       "an agent may set leverage");
    json_decref(payload);

    refused(&agent_signer, "bind_agent_wallet", "{\"agent_wallet\":\"" AGENT_ADDRESS "\"}",
            "must be signed by the account's own key", "agent binding an agent");
    refused(&agent_signer, "create_api_key", "{}", "must be signed by the account's own key", "agent creating an API key");
    signs(&main_signer, "revoke_agent_wallet", "{\"agent_wallet\":\"" AGENT_ADDRESS "\"}", "main key revokes an agent");
    ok(strstr(request.body.data, "\"agent_wallet\":null") == NULL, "the payload agent_wallet replaces the null header");
    signs(&main_signer, "list_api_keys", "{}", "main key lists API keys");
    ok(strstr(request.body.data, "\"agent_wallet\":null") != NULL, "admin body carries agent_wallet null");
    refused(&main_signer, "add_agent_whitelisted_ip",
            "{\"agent_wallet\":\"" AGENT_ADDRESS "\",\"api_agent_key\":\"" AGENT_ADDRESS "\",\"ip_address\":\"1.2.3.4\"}",
            "give only one of agent_wallet or api_agent_key", "both agent spellings");

    pacifica_signed_request first, second;
    pacifica_signed_request_init(&first);
    pacifica_signed_request_init(&second);
    ok(pacifica_subaccount_create(&first, &second, &main_signer.key, &main_signer.key, TS, WINDOW, err, sizeof err) != 0,
       "a subaccount cannot be the main account (%s)", err);
    ok(pacifica_subaccount_create(&first, &second, &main_signer.key, &agent_signer.key, TS, WINDOW, err, sizeof err) == 0,
       "subaccount creation with two keys");
    ok(strstr(second.body.data, "\"sub_signature\":\"") && strstr(second.body.data, first.signature_base58),
       "confirm body carries the subaccount's signature");
    pacifica_signed_request_free(&first);
    pacifica_signed_request_free(&second);
}

static void test_batch_and_websocket(void) {
    pacifica_signed_request actions[PACIFICA_BATCH_MAX_ACTIONS + 1];
    const pacifica_signed_request *pointers[PACIFICA_BATCH_MAX_ACTIONS + 1];
    json_t *cancel = json("{\"symbol\":\"BTC\",\"order_id\":7}");
    char err[256];
    int all_signed = 1;
    for (int i = 0; i <= PACIFICA_BATCH_MAX_ACTIONS; i++) {
        pacifica_signed_request_init(&actions[i]);
        pointers[i] = &actions[i];
        all_signed &= pacifica_sign_request(&actions[i], &agent_signer, "cancel_order", TS, WINDOW, cancel, err,
                                            sizeof err) == 0;
    }
    json_decref(cancel);
    ok(all_signed, "eleven cancels signed");
    pacifica_text text = PACIFICA_TEXT_INIT;
    ok(pacifica_batch_body_write(&text, pointers, PACIFICA_BATCH_MAX_ACTIONS + 1, err, sizeof err) != 0 &&
       strstr(err, "at most 10"), "eleven actions refused (%s)", err);
    pacifica_text_reset(&text);
    ok(pacifica_batch_body_write(&text, pointers, 0, err, sizeof err) != 0, "empty batch refused");
    pacifica_text_reset(&text);
    ok(pacifica_batch_body_write(&text, pointers, 2, err, sizeof err) == 0, "two actions accepted");
    ok(strncmp(text.data, "{\"actions\":[{\"type\":\"Cancel\",\"data\":{", 37) == 0, "batch body shape");

    json_t *all = json("{\"all_symbols\":true,\"exclude_reduce_only\":false}");
    ok(pacifica_sign_request(&actions[0], &agent_signer, "cancel_all_orders", TS, WINDOW, all, err, sizeof err) == 0,
       "cancel_all signed");
    json_decref(all);
    pacifica_text_reset(&text);
    ok(pacifica_batch_body_write(&text, pointers, 2, err, sizeof err) != 0 && strstr(err, "cannot be part of a batch"),
       "cancel_all_orders refused in a batch (%s)", err);

    pacifica_text_reset(&text);
    ok(pacifica_ws_request_write(&text, "4e51734e-7544-48b6-bbdc-6cfd2cba2d5b", &actions[0], err, sizeof err) == 0,
       "cancel_all over WebSocket");
    pacifica_text_reset(&text);
    ok(pacifica_ws_request_write(&text, "request-1", &actions[0], err, sizeof err) != 0 && strstr(err, "UUID"),
       "WebSocket id must be a UUID (%s)", err);
    json_t *leverage = json("{\"symbol\":\"BTC\",\"leverage\":3}");
    ok(pacifica_sign_request(&actions[0], &agent_signer, "update_leverage", TS, WINDOW, leverage, err, sizeof err) == 0,
       "update_leverage signed");
    json_decref(leverage);
    pacifica_text_reset(&text);
    ok(pacifica_ws_request_write(&text, "4e51734e-7544-48b6-bbdc-6cfd2cba2d5b", &actions[0], err, sizeof err) != 0 &&
       strstr(err, "not available over the WebSocket"), "update_leverage has no WebSocket form (%s)", err);
    pacifica_text_free(&text);
    for (int i = 0; i <= PACIFICA_BATCH_MAX_ACTIONS; i++) pacifica_signed_request_free(&actions[i]);
}

static void test_json_writer(void) {
    pacifica_text text = PACIFICA_TEXT_INIT;
    char err[256];
    json_t *nested = json_string("x");
    for (int i = 0; i < PACIFICA_JSON_MAX_DEPTH + 2; i++) {
        json_t *wrapper = json_array();
        json_array_append_new(wrapper, nested);
        nested = wrapper;
    }
    ok(pacifica_canonical_json_write(&text, nested, err, sizeof err) != 0 && strstr(err, "nested deeper"),
       "excessive nesting refused (%s)", err);
    json_decref(nested);

    pacifica_text_reset(&text);
    json_t *real = json("{\"a\":{\"b\":[1,2.5]}}");
    ok(pacifica_canonical_json_write(&text, real, err, sizeof err) != 0 && strstr(err, "a.b[1]: floating-point"),
       "a float is refused with its path (%s)", err);
    json_decref(real);

    pacifica_text_reset(&text);
    ok(pacifica_json_write_string(&text, "\xc3\x28", 2, 0, err, sizeof err) != 0 && strstr(err, "invalid UTF-8"),
       "invalid UTF-8 refused (%s)", err);
    pacifica_text_reset(&text);
    ok(pacifica_json_write_string(&text, "\xed\xa0\x80", 3, 0, err, sizeof err) != 0, "encoded surrogate refused");
    pacifica_text_reset(&text);
    ok(pacifica_json_write_string(&text, "\xe2\x82", 2, 0, err, sizeof err) != 0, "cut-short sequence refused");
    pacifica_text_reset(&text);
    ok(pacifica_json_write_string(&text, "\xc0\xaf", 2, 0, err, sizeof err) != 0, "overlong '/' refused");
    pacifica_text_reset(&text);
    ok(pacifica_json_write_string(&text, "a\x7f", 2, PACIFICA_JSON_PRINTABLE_ASCII_ONLY, err, sizeof err) != 0 &&
       strstr(err, "position 2"), "DEL refused in signing mode (%s)", err);
    pacifica_text_reset(&text);
    ok(pacifica_json_write_string(&text, "a\0b", 3, 0, err, sizeof err) == 0, "embedded NUL escaped");
    is_str(text.data, "\"a\\u0000b\"", "NUL written as \\u0000");
    pacifica_text_reset(&text);
    json_t *prefix = json("{\"ab\":1,\"a\":2,\"b\":{\"z\":0,\"\":1}}");
    ok(pacifica_canonical_json_write(&text, prefix, err, sizeof err) == 0, "prefix keys sort");
    is_str(text.data, "{\"a\":2,\"ab\":1,\"b\":{\"\":1,\"z\":0}}", "prefix and empty keys sort first");
    json_decref(prefix);
    pacifica_text_free(&text);
}

int main(void) {
    (void)tap_plan;
    (void)tap_exit_status;
    char err[256];
    pacifica_signed_request_init(&request);
    if (pacifica_signer_load(&main_signer, MAIN_SECRET, NULL, NULL, NULL, err, sizeof err) != 0 ||
        pacifica_signer_load(&agent_signer, AGENT_SECRET, MAIN_ADDRESS, AGENT_ADDRESS, NULL, err, sizeof err) != 0) {
        printf("Bail out! test keys do not load: %s\n", err);
        return 1;
    }
    test_known_answer();
    test_bad_payloads();
    test_header_and_signer_rules();
    test_batch_and_websocket();
    test_json_writer();
    pacifica_signed_request_free(&request);
    pacifica_signer_wipe(&main_signer);
    pacifica_signer_wipe(&agent_signer);
    return done_testing();
}
