/* Pacifica signing throughput. The headline number, pacifica_sign_market_order, is the whole
 * per-order path the bot pays before a request can leave: build the payload, validate it,
 * canonical JSON message, Ed25519 signature, base58, request body. The other lines split
 * that cost. bench/ref_pacifica.mjs measures the same steps in Node (tweetnacl + bs58). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "exchanges/pacifica/base58.h"
#include "exchanges/pacifica/canonical_json.h"
#include "exchanges/pacifica/sign.h"

/* Made-up test key (shared/vectors/pacifica/keypairs.json, agent_wallet_1) acting for main_account_1. */
#define AGENT_SECRET "3MYmr2skPYRXK2eaidvsexLEZTkSFwaZCJtAf67KwGrJLiuvQPnk7UAftijUcHGsMYgSY2VE9DeyohxwQ8K3NbRo"
#define MAIN_ADDRESS "CgyGKJ8fU5ehxBFEd2XA6U8ZJirUCRDZh7oWyBjrferh"
#define CLIENT_ORDER_ID "449a6996-8290-4da4-aee9-85c25998f0af"
#define BASE_TIMESTAMP 1765000002000LL
#define MIN_SECONDS 0.5

static double now_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void report(const char *name, long operations, double seconds) {
    double per_second = (double)operations / seconds;
    printf("%s: %.0f ops/s (%.2f us/op)\n", name, per_second, 1e6 / per_second);
    fflush(stdout);
}

/* Runs step(i) in growing rounds until MIN_SECONDS have passed; returns how many ran. */
typedef int (*bench_step)(long i);

static void run(const char *name, bench_step step) {
    for (long warm = 0; warm < 200; warm++)
        if (step(warm) != 0) { fprintf(stderr, "%s: step failed\n", name); exit(1); }
    long done = 0, round = 256;
    double start = now_seconds(), elapsed = 0;
    while (elapsed < MIN_SECONDS) {
        for (long i = 0; i < round; i++)
            if (step(done + i) != 0) { fprintf(stderr, "%s: step failed\n", name); exit(1); }
        done += round;
        elapsed = now_seconds() - start;
        if (round < (1L << 20)) round *= 2;
    }
    report(name, done, elapsed);
}

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

    run("pacifica_sign_market_order", step_sign_market_order);
    run("pacifica_canonical_message", step_canonical_message);
    step_canonical_message(0);
    run("pacifica_ed25519_sign", step_ed25519_sign);
    run("pacifica_base58_signature", step_base58_signature);

    json_decref(fixed_payload);
    pacifica_text_free(&message);
    pacifica_signed_request_free(&request);
    pacifica_signer_wipe(&signer);
    return 0;
}
