/* Pacifica signing throughput. The headline number, pacifica_sign_market_order, is the whole
 * per-order path the bot pays before a request can leave: build the payload, validate it,
 * canonical JSON message, Ed25519 signature, base58, request body. The other lines split
 * that cost. bench/ref_pacifica.mjs measures the same steps in Node (tweetnacl + bs58). */
#include <jansson.h>
#include <stdio.h>

#include "bench/bench_support.h"

#include "exchanges/pacifica/base58.h"
#include "exchanges/pacifica/canonical_json.h"
#include "exchanges/pacifica/sign.h"

/* Made-up test key (shared/vectors/pacifica/keypairs.json, agent_wallet_1) acting for main_account_1. */
#define AGENT_SECRET "3MYmr2skPYRXK2eaidvsexLEZTkSFwaZCJtAf67KwGrJLiuvQPnk7UAftijUcHGsMYgSY2VE9DeyohxwQ8K3NbRo"
#define MAIN_ADDRESS "CgyGKJ8fU5ehxBFEd2XA6U8ZJirUCRDZh7oWyBjrferh"
#define CLIENT_ORDER_ID "449a6996-8290-4da4-aee9-85c25998f0af"
#define BASE_TIMESTAMP 1765000002000LL
#define MIN_SECONDS 0.5
#define WARMUP 200

static pacifica_signer signer;
static pacifica_signed_request request;
static pacifica_text message;
static char error_text[256];
static uint8_t signature[PACIFICA_SIGNATURE_BYTES];
static const pacifica_operation *market_order;
static json_t *fixed_payload;

static json_t *market_payload(void) {
    return json_pack("{s:s,s:s,s:s,s:s,s:b,s:s}", "symbol", "ETH", "amount", "0.0125", "side", "ask",
                     "slippage_percent", "1", "reduce_only", 1, "client_order_id", CLIENT_ORDER_ID);
}

static int step_sign_market_order(long i) {
    json_t *payload = market_payload();
    int rc = pacifica_sign_request(&request, &signer, "create_market_order", BASE_TIMESTAMP + i, 5000, payload,
                                   error_text, sizeof error_text);
    json_decref(payload);
    return rc;
}

static int step_canonical_message(long i) {
    pacifica_text_reset(&message);
    return pacifica_message_write(&message, market_order, BASE_TIMESTAMP + i, 5000, fixed_payload, error_text,
                                  sizeof error_text);
}

static int step_ed25519_sign(long i) {
    (void)i;
    return pacifica_sign_bytes(signature, &signer.key, message.data, message.length);
}

static int step_base58_signature(long i) {
    char text[PACIFICA_SIGNATURE_BASE58_CAP];
    signature[0] = (uint8_t)i; /* a different value each time, never a leading-zero shortcut */
    signature[0] |= 1;
    return pacifica_base58_encode(signature, sizeof signature, text, sizeof text) < 0 ? -1 : 0;
}

int main(void) {
    if (pacifica_signer_load(&signer, AGENT_SECRET, MAIN_ADDRESS, NULL, NULL, error_text, sizeof error_text) != 0) {
        fprintf(stderr, "bench_pacifica: %s\n", error_text);
        return 1;
    }
    pacifica_signed_request_init(&request);
    pacifica_text_init(&message);
    market_order = pacifica_operation_find("create_market_order");
    fixed_payload = market_payload();

    int rc = bench_run("pacifica_sign_market_order", step_sign_market_order, WARMUP, MIN_SECONDS) ||
             bench_run("pacifica_canonical_message", step_canonical_message, WARMUP, MIN_SECONDS) ||
             step_canonical_message(0) || /* the message the next line signs */
             bench_run("pacifica_ed25519_sign", step_ed25519_sign, WARMUP, MIN_SECONDS) ||
             bench_run("pacifica_base58_signature", step_base58_signature, WARMUP, MIN_SECONDS);

    json_decref(fixed_payload);
    pacifica_text_free(&message);
    pacifica_signed_request_free(&request);
    pacifica_signer_wipe(&signer);
    return rc ? 1 : 0;
}
