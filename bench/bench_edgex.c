/* edgeX signing throughput on one core.
 *   edgex_v1_order_sign          the whole v1 createOrder path: quantities (exact decimals),
 *                                four Pedersen hashes, Stark ECDSA with the RFC 6979 nonce,
 *                                body JSON and its signed rendering; no caching of anything
 *   edgex_v1_order_sign_cached   the same with the per-signer asset cache the client keeps
 *                                (two of the four hashes depend only on market and side)
 *   edgex_pedersen_hash          one H(a, b) of two full-size field elements
 *   edgex_stark_sign             ECDSA alone on a fixed-size hash
 *   edgex_v1_request_sign        Keccak-256 of a createOrder sign string, mod N, Stark ECDSA
 *   edgex_v2_order_sign          v2 createOrder: quantities, EIP-712 digest, libsecp256k1
 *                                recoverable signature, body
 *   edgex_v2_request_sign        v2 HMAC-SHA256 of a createOrder sign string
 * bench/ref_edgex.mjs measures the same operations with @scure/starknet (v1) and
 * @noble/curves + @noble/hashes (v2) under Node. Keys are the made-up vector keys. */
#include <stdio.h>
#include <string.h>

#include "bench/bench_support.h"

#include "exchanges/edgex/sign.h"

#define MIN_SECONDS 0.5
#define WARMUP 50
#define STARK_KEY "04a787a45c81df4d32a612cbed36d7d809bce582380b77819fdf3f4b830e8159"
#define SIGNER_KEY "1b1abd2526be3aaaea2ed0f74d9a99b68bb4876788e003b8284d5550cd7a6711"
#define API_SECRET "Xq3cV8tPz2LmN9wRbK4yH7sD1fG6jA0e"
#define NOW_MS 1763700000000LL

static edgex_stark_key stark_key;
static edgex_eth_key eth_key;
static uint8_t domain[32];
static edgex_error err;
static edgex_v1_order v1_order;
static edgex_v2_order v2_order;
static edgex_v1_asset_cache cache;
static edgex_v1_request_auth v1_auth;
static edgex_v2_request_auth v2_auth;
static char client_id[32];

static const edgex_v1_market btc_v1 = {
    .contract_id = "10000001",
    .synthetic_asset_id = "0x425443322d31300000000000000000",
    .synthetic_resolution = "0x2540be400",
    .collateral_asset_id = "0x33bda5c923bae4e84825b74762d5482889b9512465fbffc50d1ae4b82e345c3",
    .collateral_resolution = "0xf4240",
    .tick_size = "0.1",
};

static const edgex_v2_market btc_v2 = {
    .contract_id = "30000001",
    .quote_coin_id = "1000",
    .synthetic_resolution = "10000000000",
    .collateral_resolution = "1000000",
    .tick_size = "0.1",
    .taker_fee_rate = "0.00038",
    .maker_fee_rate = "0.00015",
};

static edgex_v1_order_input v1_input(long i) {
    snprintf(client_id, sizeof client_id, "bench-%ld", i);
    return (edgex_v1_order_input){
        .market = &btc_v1, .account_id = "700000000000000001", .side = i % 2 ? EDGEX_SELL : EDGEX_BUY,
        .kind = EDGEX_LIMIT, .price = "97444.5", .size = "0.001", .client_order_id = client_id,
        .fee_rate = "0.00055", .fee_rounding = EDGEX_FEE_CEIL_INTEGER, .value_rule = EDGEX_VALUE_ROUND_BY_SIDE,
        .now_ms = NOW_MS + i, .expiry_rule = EDGEX_V1_EXPIRY_GO_SDK,
    };
}

static int step_v1_order(long i) {
    edgex_v1_order_input in = v1_input(i);
    return edgex_v1_order_sign(&v1_order, &in, &stark_key, NULL, &err);
}

static int step_v1_order_cached(long i) {
    edgex_v1_order_input in = v1_input(i);
    return edgex_v1_order_sign(&v1_order, &in, &stark_key, &cache, &err);
}

static int step_pedersen(long i) {
    edgex_u256 a = {{0x185af0e5b58ddd5ull + (uint64_t)i, 0xa404e976bb54d303ull, 0x129b5010daa49ec8ull, 0x072985a3e4ba1411ull}};
    edgex_u256 b = {{0x4233b3d1f78318ull, 0x65de559d504c6b33ull, 0x2f452926c19156f2ull, 0x00eab997fc32d553ull}};
    edgex_u256 out;
    return edgex_pedersen_hash(&out, &a, &b, &err);
}

static int step_stark_sign(long i) {
    edgex_u256 m = {{0x5c7e56d8b065146ull + (uint64_t)i, 0xf22f0a43aecbfd13ull, 0xb71a699d0ace10ebull, 0x05075e7ddb6dbbcbull}};
    edgex_stark_signature sig;
    return edgex_stark_sign(&sig, &stark_key.private_key, &m, NULL, &err);
}

static int step_v1_request(long i) {
    return edgex_v1_request_sign(&v1_auth, &stark_key, NOW_MS + i, "POST", "/api/v1/private/order/createOrder",
                                 edgex_text_str(&v1_order.rendered_params), &err);
}

static int step_v2_order(long i) {
    snprintf(client_id, sizeof client_id, "bench-%ld", i);
    edgex_v2_order_input in = {
        .market = &btc_v2, .domain_separator = domain, .account_id = "700000000000000001",
        .side = i % 2 ? EDGEX_SELL : EDGEX_BUY, .kind = EDGEX_LIMIT, .price = "97444.5", .size = "0.001",
        .client_order_id = client_id, .now_ms = NOW_MS + i, .value_rule = EDGEX_VALUE_EXACT,
    };
    return edgex_v2_order_sign(&v2_order, &in, &eth_key, &err);
}

static int step_v2_request(long i) {
    return edgex_v2_request_sign(&v2_auth, API_SECRET, NOW_MS + i, "POST", "/api/v2/private/order/createOrder",
                                 edgex_text_str(&v2_order.rendered_params), &err);
}

int main(void) {
    edgex_v1_order_init(&v1_order);
    edgex_v2_order_init(&v2_order);
    edgex_v1_request_auth_init(&v1_auth);
    edgex_v2_request_auth_init(&v2_auth);
    edgex_v1_asset_cache_init(&cache);
    if (edgex_stark_key_parse(&stark_key, STARK_KEY, "bench stark key", &err) ||
        edgex_eth_key_parse(&eth_key, SIGNER_KEY, "bench signer key", &err) ||
        edgex_eip712_domain_separator(domain, NULL, "EdgeX", "1", "3343", "0xeeb3fb05cca17745cbdf193a9b16537efb68fac8",
                                      &err)) {
        fprintf(stderr, "bench_edgex: %s\n", err.message);
        return 1;
    }
    int rc = bench_run("edgex_v1_order_sign", step_v1_order, WARMUP, MIN_SECONDS) ||
             bench_run("edgex_v1_order_sign_cached", step_v1_order_cached, WARMUP, MIN_SECONDS) ||
             bench_run("edgex_pedersen_hash", step_pedersen, WARMUP, MIN_SECONDS) ||
             bench_run("edgex_stark_sign", step_stark_sign, WARMUP, MIN_SECONDS) ||
             bench_run("edgex_v1_request_sign", step_v1_request, WARMUP, MIN_SECONDS) ||
             bench_run("edgex_v2_order_sign", step_v2_order, WARMUP, MIN_SECONDS) ||
             bench_run("edgex_v2_request_sign", step_v2_request, WARMUP, MIN_SECONDS);
    if (rc) fprintf(stderr, "bench_edgex: %s\n", err.message);
    edgex_v1_order_free(&v1_order);
    edgex_v2_order_free(&v2_order);
    edgex_v1_request_auth_free(&v1_auth);
    edgex_v2_request_auth_free(&v2_auth);
    edgex_stark_key_wipe(&stark_key);
    edgex_eth_key_wipe(&eth_key);
    return rc ? 1 : 0;
}
