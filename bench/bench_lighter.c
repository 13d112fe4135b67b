/* Lighter signing throughput on one core. The headline number, lighter_create_order_sign, is
 * the whole per-order path the bot pays before a request can leave: validate the CreateOrder,
 * Poseidon2 tx hash, Schnorr signature with a fresh CSPRNG nonce (k·G through the fixed-base
 * table), tx_info JSON. The other lines split that cost or cover the other hot calls.
 * bench/ref_lighter.mjs measures the same calls with the official Go signer compiled to WASM
 * (the one lighter-ts-sdk ships) under Node. */
#include <stdio.h>
#include <string.h>

#include "bench/bench_support.h"

#include "exchanges/lighter/sign.h"

/* Test key of shared/vectors/lighter (not a real account). */
#define TEST_KEY "76cc88d990d78188882f4fa274441c06cd610781c47fe4648c9df72603e27922551591f7f79acf1d"
#define BASE_TIME_MS 1767225601000LL
#define MIN_SECONDS 0.5
#define WARMUP 100

static lighter_key key;
static lighter_signed_tx signed_tx;
static char error_text[256];

static lighter_tx create_order(long i) {
    lighter_tx tx;
    memset(&tx, 0, sizeof tx);
    tx.type = LIGHTER_TX_CREATE_ORDER;
    tx.chain_id = LIGHTER_CHAIN_ID_MAINNET;
    tx.account_index = 281;
    tx.api_key_index = 3;
    tx.nonce = i;
    tx.expired_at = BASE_TIME_MS + LIGHTER_DEFAULT_EXPIRED_AT_MS;
    tx.body.create_order = (lighter_create_order){.market_index = 0, .client_order_index = 1 + i, .base_amount = 1000,
                                                  .price = 350000, .is_ask = 0, .type = LIGHTER_ORDER_LIMIT,
                                                  .time_in_force = LIGHTER_TIF_GOOD_TILL_TIME,
                                                  .order_expiry = BASE_TIME_MS + LIGHTER_DEFAULT_ORDER_EXPIRY_MS};
    return tx;
}

static int step_create_order_sign(long i) {
    lighter_tx tx = create_order(i);
    return lighter_tx_sign(&tx, &key, &signed_tx, error_text, sizeof error_text);
}

static int step_create_order_hash(long i) {
    lighter_tx tx = create_order(i), resolved;
    lighter_tx_digest digest;
    if (lighter_tx_resolve(&resolved, &tx, error_text, sizeof error_text) != 0) return -1;
    return lighter_tx_digest_compute(&digest, &resolved, NULL, error_text, sizeof error_text);
}

static int step_cancel_order_sign(long i) {
    lighter_tx tx = create_order(i);
    tx.type = LIGHTER_TX_CANCEL_ORDER;
    tx.body.cancel_order = (lighter_cancel_order){.market_index = 0, .index = 1 + i};
    return lighter_tx_sign(&tx, &key, &signed_tx, error_text, sizeof error_text);
}

static int step_auth_token(long i) {
    char token[LIGHTER_AUTH_TOKEN_MAX];
    return lighter_auth_token(token, BASE_TIME_MS / 1000 + 3600 + i, 281, 3, &key, error_text, sizeof error_text);
}

#define VERIFY_SAMPLES 64
static uint8_t verify_hashes[VERIFY_SAMPLES][40], verify_signatures[VERIFY_SAMPLES][80];

static int step_schnorr_verify(long i) {
    long s = i % VERIFY_SAMPLES;
    return lighter_schnorr_verify(key.public_key, verify_hashes[s], verify_signatures[s], LIGHTER_VERIFY_STRICT) == 1 ? 0 : -1;
}

int main(void) {
    if (lighter_key_from_hex(&key, TEST_KEY, strlen(TEST_KEY), error_text, sizeof error_text) != 0) {
        fprintf(stderr, "bench_lighter: %s\n", error_text);
        return 1;
    }
    for (long s = 0; s < VERIFY_SAMPLES; s++) {
        if (step_create_order_sign(s) != 0) return 1;
        memcpy(verify_hashes[s], signed_tx.hash, 40);
        memcpy(verify_signatures[s], signed_tx.signature, 80);
    }
    int rc = bench_run("lighter_create_order_sign", step_create_order_sign, WARMUP, MIN_SECONDS) ||
             bench_run("lighter_cancel_order_sign", step_cancel_order_sign, WARMUP, MIN_SECONDS) ||
             bench_run("lighter_auth_token", step_auth_token, WARMUP, MIN_SECONDS) ||
             bench_run("lighter_create_order_hash", step_create_order_hash, WARMUP, MIN_SECONDS) ||
             bench_run("lighter_schnorr_verify", step_schnorr_verify, WARMUP, MIN_SECONDS);
    if (rc) fprintf(stderr, "bench_lighter: %s\n", error_text);
    lighter_key_wipe(&key);
    return rc ? 1 : 0;
}
