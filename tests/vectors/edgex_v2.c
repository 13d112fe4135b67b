/* edgeX v2 vector handlers: v2_keccak256, v2_keys, v2_eip712_types, v2_domain_separator,
 * v2_order_hash, v2_set_margin_mode, v2_signatures, v2_request_auth (shared/vectors/edgex). */
#include <openssl/evp.h>
#include <secp256k1.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "exchanges/edgex/hex.h"
#include "exchanges/edgex/keccak.h"
#include "exchanges/edgex/sign.h"
#include "tests/vectors/edgex_support.h"
#include "tests/vectors/vector.h"

#define WRAP(name, impl)                                                                        \
    static int name(const json_t *c, const json_t *file, char *why, size_t cap) {               \
        (void)file;                                                                             \
        return impl(c, why, cap) || ev_fail_with_id(c, why, cap);                               \
    }

/* in edgex.c */
int edgex_vector_render_request(const json_t *in, edgex_text *rendered, edgex_text *target, int keep_empty, char *why,
                                size_t cap);

/* ---- v2_keccak256.json -------------------------------------------------------------------- */

static int keccak_case(const json_t *c, char *why, size_t cap) {
    const char *hex;
    int64_t len;
    uint8_t data[2048], digest[32], sha3[32];
    if (!ev_str(c, "input_hex", &hex, why, cap) || !ev_i64(c, "input_length", &len, why, cap)) return 0;
    long n = strlen(hex) ? vector_hex(hex, data, sizeof data) : 0;
    if (n < 0 || n != len) return vector_mismatch(why, cap, "input_hex", "input_length bytes", hex);
    const char *utf8 = vector_str(c, "input_utf8");
    if (utf8 && (strlen(utf8) != (size_t)n || memcmp(utf8, data, (size_t)n) != 0))
        return vector_mismatch(why, cap, "input_utf8", "the same bytes as input_hex", utf8);
    edgex_keccak256(data, (size_t)n, digest);
    if (!ev_expect_hex(c, "keccak256", digest, 32, why, cap)) return 0;
    /* incremental absorption in uneven pieces gives the same digest */
    edgex_keccak256_ctx ctx;
    edgex_keccak256_init(&ctx);
    for (long at = 0, step = 1; at < n; at += step, step = step * 2 + 1)
        edgex_keccak256_update(&ctx, data + at, (size_t)(at + step > n ? n - at : step));
    uint8_t again[32];
    edgex_keccak256_final(&ctx, again);
    if (!ev_expect_hex(c, "keccak256", again, 32, why, cap)) return 0;
    unsigned int sn = 0;
    EVP_Digest(data, (size_t)n, sha3, &sn, EVP_sha3_256(), NULL);
    return ev_expect_hex(c, "sha3_256_NOT_USED", sha3, 32, why, cap);
}
WRAP(check_keccak, keccak_case)

/* ---- v2_keys.json ------------------------------------------------------------------------- */

static int key_case(const json_t *c, char *why, size_t cap) {
    const char *text;
    edgex_eth_key key;
    edgex_error err;
    if (!ev_str(c, "private_key", &text, why, cap)) return 0;
    int rc = edgex_eth_key_parse(&key, text, "EDGEX_TRADING_PRIVATE_KEY", &err);
    if (!json_is_true(json_object_get(c, "valid"))) {
        if (rc != EDGEX_E_KEY) return vector_mismatch(why, cap, "private_key", "rejected as a bad key", "accepted");
        if (!strstr(err.message, "EDGEX_TRADING_PRIVATE_KEY") || strstr(err.message, text))
            return vector_mismatch(why, cap, "error", "naming the variable, not the key", err.message);
        return 1;
    }
    if (rc != EDGEX_OK) return vector_mismatch(why, cap, "private_key", "a valid key", err.message);
    uint8_t compressed[33], hash[32];
    compressed[0] = (uint8_t)(2 + (key.public_key[64] & 1));
    memcpy(compressed + 1, key.public_key + 1, 32);
    edgex_keccak256(key.public_key + 1, 64, hash);
    char lower[43] = "0x";
    edgex_bytes_to_hex(key.address, 20, lower + 2);
    int ok = ev_expect_hex(c, "public_key_uncompressed", key.public_key, 65, why, cap) &&
             ev_expect_hex(c, "public_key_x", key.public_key + 1, 32, why, cap) &&
             ev_expect_hex(c, "public_key_y", key.public_key + 33, 32, why, cap) &&
             ev_expect_hex(c, "public_key_compressed", compressed, 33, why, cap) &&
             ev_expect_hex(c, "keccak256_of_xy", hash, 32, why, cap) &&
             ev_expect_field(c, "address_lowercase", lower, why, cap) &&
             ev_expect_field(c, "address_eip55", key.address_checksum, why, cap);
    edgex_eth_key_wipe(&key);
    return ok;
}
WRAP(check_keys, key_case)

/* ---- v2_signatures.json and the signature objects of the other files ----------------------- */

/* Whether libsecp256k1 flipped s: its RFC 6979 nonce k (for the digest reduced mod n, as the
 * library feeds it) gives R = kG, and R's y parity is the recovery id before the flip. */
static int low_s_flipped(const uint8_t key[32], const uint8_t digest[32], const edgex_eth_signature *sig, int *flipped) {
    static const uint8_t n[32] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                  0xff, 0xff, 0xff, 0xff, 0xfe, 0xba, 0xae, 0xdc, 0xe6, 0xaf, 0x48,
                                  0xa0, 0x3b, 0xbf, 0xd2, 0x5e, 0x8c, 0xd0, 0x36, 0x41, 0x41};
    edgex_u256 m, order;
    edgex_u256_from_bytes(&m, digest);
    edgex_u256_from_bytes(&order, n);
    if (edgex_u256_cmp(&m, &order) >= 0) edgex_u256_sub(&m, &m, &order);
    uint8_t msg[32], nonce[32], r_point[33];
    edgex_u256_to_bytes(msg, &m);
    secp256k1_context *ctx = secp256k1_context_create(SECP256K1_CONTEXT_NONE);
    secp256k1_pubkey pub;
    size_t len = 33;
    int ok = secp256k1_nonce_function_rfc6979(nonce, msg, key, NULL, NULL, 0) &&
             secp256k1_ec_pubkey_create(ctx, &pub, nonce) &&
             secp256k1_ec_pubkey_serialize(ctx, r_point, &len, &pub, SECP256K1_EC_COMPRESSED) &&
             memcmp(r_point + 1, sig->r, 32) == 0;
    secp256k1_context_destroy(ctx);
    sodium_memzero(nonce, sizeof nonce);
    *flipped = (r_point[0] & 1) != sig->recovery_id;
    return ok;
}

/* Compares a signature with {r, s, recovery_id, v, s_was_normalized_to_low_s, signature_rsv}
 * and checks that it recovers the expected address. */
static int expect_eth_signature(const json_t *sigj, const edgex_eth_signature *sig, const uint8_t key[32],
                                const uint8_t digest[32], const uint8_t address[20], char *why, size_t cap) {
    char rsv[131];
    edgex_eth_signature_hex(sig, rsv);
    int flipped = 0;
    if (!ev_expect_hex(sigj, "r", sig->r, 32, why, cap) || !ev_expect_hex(sigj, "s", sig->s, 32, why, cap) ||
        !ev_expect_int(sigj, "recovery_id", sig->recovery_id, why, cap) || !ev_expect_int(sigj, "v", sig->v, why, cap) ||
        !ev_expect_field(sigj, "signature_rsv", rsv, why, cap))
        return 0;
    if (!low_s_flipped(key, digest, sig, &flipped))
        return vector_mismatch(why, cap, "nonce", "libsecp256k1's RFC 6979 k to give r", "a different r");
    if (!ev_expect_bool(sigj, "s_was_normalized_to_low_s", flipped, why, cap)) return 0;
    uint8_t recovered[20];
    edgex_error err;
    if (edgex_eth_recover_address(recovered, digest, sig, &err) != EDGEX_OK) return vector_mismatch(why, cap, "recover", "an address", err.message);
    if (memcmp(recovered, address, 20) != 0) return vector_mismatch(why, cap, "recover", "the signer", "another address");
    /* the wire form parses back to the same signature */
    edgex_eth_signature parsed;
    if (edgex_eth_signature_from_hex(&parsed, rsv, &err) != EDGEX_OK || memcmp(parsed.r, sig->r, 32) != 0 ||
        memcmp(parsed.s, sig->s, 32) != 0 || parsed.recovery_id != sig->recovery_id || parsed.v != sig->v)
        return vector_mismatch(why, cap, "signature_rsv", "to parse back", "a different signature");
    return 1;
}

static int signature_case(const json_t *c, char *why, size_t cap) {
    const char *text;
    edgex_eth_key key;
    edgex_error err;
    uint8_t digest[32];
    if (!ev_str(c, "private_key", &text, why, cap) || !ev_bytes(c, "digest", digest, 32, why, cap)) return 0;
    if (edgex_eth_key_parse(&key, text, "private_key", &err) != EDGEX_OK) return vector_mismatch(why, cap, "private_key", "valid", err.message);
    edgex_eth_signature sig;
    int ok = ev_expect_field(c, "address", key.address_checksum, why, cap);
    if (ok && edgex_eth_sign_digest(&sig, key.private_key, digest, &err) != EDGEX_OK) ok = vector_mismatch(why, cap, "signature", "signed", err.message);
    if (ok) ok = expect_eth_signature(c, &sig, key.private_key, digest, key.address, why, cap);
    edgex_eth_key_wipe(&key);
    return ok;
}
WRAP(check_signatures, signature_case)

/* ---- v2_eip712_types.json ----------------------------------------------------------------- */

/* The cases that list "fields" together describe the edgeX types (type-03 refers to the
 * OrderBase of type-02), so they are gathered into one EIP-712 "types" object. */
static json_t *file_types(const json_t *file) {
    json_t *types = json_object();
    size_t i;
    json_t *item;
    json_array_foreach(json_object_get(file, "cases"), i, item) {
        const char *name = vector_str(item, "primary_type");
        const json_t *fields = json_object_get(item, "fields");
        if (name && json_is_array(fields)) json_object_set(types, name, (json_t *)fields);
    }
    return types;
}

static int types_case(const json_t *c, const json_t *file, char *why, size_t cap) {
    const char *primary;
    edgex_error err;
    if (!ev_str(c, "primary_type", &primary, why, cap)) return 0;
    json_t *types = json_object_get(c, "types");
    json_t *built = NULL;
    if (!types) types = built = file_types(file);
    edgex_text encoded;
    edgex_text_init(&encoded);
    int ok = edgex_eip712_encode_type(&encoded, types, primary, &err) == EDGEX_OK ||
             vector_mismatch(why, cap, "encode_type", "encoded", err.message);
    uint8_t hash[32];
    if (ok) {
        edgex_keccak256(encoded.data, encoded.len, hash);
        ok = ev_expect_field(c, "encode_type", edgex_text_str(&encoded), why, cap) && ev_expect_hex(c, "type_hash", hash, 32, why, cap);
    }
    /* the fixed-code type strings agree with the vector */
    for (int t = 0; ok && t < EDGEX_EIP712_TYPE_COUNT; t++) {
        const char *s = edgex_eip712_type_string((edgex_eip712_type)t);
        if (strncmp(s, primary, strlen(primary)) == 0 && s[strlen(primary)] == '(')
            ok = ev_expect_field(c, "encode_type", s, why, cap) &&
                 ev_expect_hex(c, "type_hash", edgex_eip712_type_hash((edgex_eip712_type)t), 32, why, cap);
    }
    /* the EIP-712 "Ether Mail" known answer: domain, struct, digest, signature */
    if (ok && json_object_get(c, "message")) {
        uint8_t digest[32], domain[32], struct_hash[32];
        if (edgex_eip712_hash_typed_data(digest, domain, struct_hash, types, primary, json_object_get(c, "domain"),
                                         json_object_get(c, "message"), &err) != EDGEX_OK)
            ok = vector_mismatch(why, cap, "typed data", "hashed", err.message);
        ok = ok && ev_expect_hex(c, "domain_separator", domain, 32, why, cap) &&
             ev_expect_hex(c, "struct_hash", struct_hash, 32, why, cap) && ev_expect_hex(c, "digest", digest, 32, why, cap);
        edgex_eth_key key;
        edgex_eth_signature sig;
        if (ok && edgex_eth_key_parse(&key, vector_str(c, "private_key"), "private_key", &err) != EDGEX_OK)
            ok = vector_mismatch(why, cap, "private_key", "valid", err.message);
        else if (ok) {
            if (edgex_eth_sign_digest(&sig, key.private_key, digest, &err) != EDGEX_OK) ok = vector_mismatch(why, cap, "signature", "signed", err.message);
            else ok = expect_eth_signature(json_object_get(c, "signature"), &sig, key.private_key, digest, key.address, why, cap);
            edgex_eth_key_wipe(&key);
        }
    }
    edgex_text_free(&encoded);
    json_decref(built);
    return ok;
}
static int check_types(const json_t *c, const json_t *file, char *why, size_t cap) {
    return types_case(c, file, why, cap) || ev_fail_with_id(c, why, cap);
}

/* ---- v2_domain_separator.json ------------------------------------------------------------- */

static int domain_from(const json_t *d, uint8_t out[32], uint8_t words[5][32], char *why, size_t cap) {
    edgex_error err;
    if (edgex_eip712_domain_separator(out, words, vector_str(d, "name"), vector_str(d, "version"), vector_str(d, "chainId"),
                                      vector_str(d, "verifyingContract"), &err) != EDGEX_OK)
        return vector_mismatch(why, cap, "domain", "valid", err.message);
    return 1;
}

static int domain_case(const json_t *c, char *why, size_t cap) {
    uint8_t separator[32], words[5][32];
    if (!domain_from(json_object_get(c, "domain"), separator, words, why, cap)) return 0;
    const json_t *expected = json_object_get(c, "encoded_words");
    if (json_array_size(expected) != 5) return vector_mismatch(why, cap, "encoded_words", "5 words", "another count");
    for (size_t i = 0; i < 5; i++) {
        char hex[67] = "0x";
        edgex_bytes_to_hex(words[i], 32, hex + 2);
        if (!ev_expect_str(why, cap, "encoded_words[i]", json_string_value(json_array_get(expected, i)), hex)) return 0;
    }
    edgex_u256 chain;
    edgex_u256_from_bytes(&chain, words[3]);
    char decimal[80];
    edgex_u256_to_decimal(&chain, decimal);
    return ev_expect_field(c, "chain_id_decimal", decimal, why, cap) && ev_expect_hex(c, "domain_separator", separator, 32, why, cap);
}
WRAP(check_domain, domain_case)

/* ---- v2_order_hash.json ------------------------------------------------------------------- */

/* The edgeX order types as an EIP-712 JSON description, for the generic cross-check. */
static json_t *order_types(void) {
    return json_pack("{s:[{s:s,s:s},{s:s,s:s},{s:s,s:s},{s:s,s:s}],"
                     "s:[{s:s,s:s},{s:s,s:s},{s:s,s:s},{s:s,s:s},{s:s,s:s},{s:s,s:s},{s:s,s:s},{s:s,s:s},{s:s,s:s}]}",
                     "OrderBase", "name", "nonce", "type", "uint256", "name", "signer", "type", "address", "name",
                     "accountId", "type", "uint64", "name", "expirationTimestamp", "type", "uint256",
                     "LimitOrderParams", "name", "base", "type", "OrderBase", "name", "amountSynthetic", "type", "int256",
                     "name", "amountCollateral", "type", "int256", "name", "amountFee", "type", "uint256", "name",
                     "assetIdSynthetic", "type", "uint64", "name", "assetIdCollateral", "type", "uint64", "name",
                     "isBuyingSynthetic", "type", "bool", "name", "parentOrderHash", "type", "bytes32", "name",
                     "subOrderIndex", "type", "uint256");
}

static int expect_message(const json_t *msg, const edgex_v2_order *o, char *why, size_t cap) {
    const json_t *base = json_object_get(msg, "base");
    const edgex_v2_order_message *m = &o->message;
    return ev_expect_u64(base, "nonce", m->nonce, why, cap) && ev_expect_field(base, "signer", o->signer_address, why, cap) &&
           ev_expect_u64(base, "accountId", m->account_id, why, cap) &&
           ev_expect_u64(base, "expirationTimestamp", m->expiration_timestamp, why, cap) &&
           ev_expect_u64(msg, "amountSynthetic", m->amount_synthetic, why, cap) &&
           ev_expect_u64(msg, "amountCollateral", m->amount_collateral, why, cap) &&
           ev_expect_u64(msg, "amountFee", m->amount_fee, why, cap) &&
           ev_expect_u64(msg, "assetIdSynthetic", m->asset_id_synthetic, why, cap) &&
           ev_expect_u64(msg, "assetIdCollateral", m->asset_id_collateral, why, cap) &&
           ev_expect_bool(msg, "isBuyingSynthetic", m->is_buying_synthetic, why, cap) &&
           ev_expect_field(msg, "parentOrderHash", "0x0000000000000000000000000000000000000000000000000000000000000000", why, cap) &&
           ev_expect_field(msg, "subOrderIndex", "0", why, cap);
}

static int expect_body_json(const json_t *c, const char *text, const char *json_key, const char *object_key, char *why,
                            size_t cap) {
    if (!ev_expect_field(c, json_key, text, why, cap)) return 0;
    json_error_t jerr;
    json_t *ours = json_loads(text, 0, &jerr);
    int ok = ours && json_equal(ours, json_object_get(c, object_key));
    json_decref(ours);
    return ok ? 1 : vector_mismatch(why, cap, object_key, "the same object", text);
}

static int order_case(const json_t *c, char *why, size_t cap) {
    const json_t *in = json_object_get(c, "inputs"), *d = json_object_get(c, "derived");
    const json_t *contract = json_object_get(in, "contract"), *coin = json_object_get(in, "quote_coin");
    const char *side, *type, *key_text;
    uint8_t domain[32];
    edgex_error err;
    edgex_v2_market m = {
        .contract_id = vector_str(contract, "contractId"),
        .quote_coin_id = vector_str(contract, "quoteCoinId"),
        .synthetic_resolution = vector_str(contract, "resolution"),
        .collateral_resolution = vector_str(coin, "resolution"),
        .tick_size = vector_str(contract, "tickSize"),
        .taker_fee_rate = vector_str(contract, "defaultTakerFeeRate"),
        .maker_fee_rate = vector_str(contract, "defaultMakerFeeRate"),
    };
    edgex_v2_order_input o = {.market = &m, .domain_separator = domain};
    if (!domain_from(json_object_get(in, "domain"), domain, NULL, why, cap) || !ev_str(in, "side", &side, why, cap) ||
        !ev_str(in, "type", &type, why, cap) || !ev_str(in, "private_key", &key_text, why, cap) ||
        !ev_i64(in, "now_ms", &o.now_ms, why, cap))
        return 0;
    if (!ev_str(coin, "coinId", &side, why, cap) || strcmp(side, m.quote_coin_id) != 0)
        return vector_mismatch(why, cap, "quote_coin.coinId", m.quote_coin_id, side);
    side = vector_str(in, "side");
    if (edgex_side_from_name(side, &o.side) || edgex_order_kind_from_name(type, &o.kind))
        return vector_mismatch(why, cap, "side/type", "BUY/SELL and LIMIT/MARKET", side);
    o.account_id = vector_str(in, "account_id");
    o.time_in_force = vector_str(in, "time_in_force");
    o.reduce_only = json_is_true(json_object_get(in, "reduce_only"));
    o.price = vector_str(in, "price");
    o.oracle_price = vector_str(in, "oracle_price");
    o.size = vector_str(in, "size");
    o.client_order_id = vector_str(in, "client_order_id");
    if (json_object_get(in, "expire_time_ms_override") && !ev_i64(in, "expire_time_ms_override", &o.expire_time_ms, why, cap)) return 0;
    /* The client refuses inexact amounts; the vectors record the SDKs' truncation for them. */
    int sdk_truncation = !json_is_true(json_object_get(d, "amount_collateral_exact")) ||
                         !json_is_true(json_object_get(d, "amount_synthetic_exact"));
    o.value_rule = EDGEX_VALUE_EXACT;

    edgex_eth_key key;
    if (edgex_eth_key_parse(&key, key_text, "private_key", &err) != EDGEX_OK) return vector_mismatch(why, cap, "private_key", "valid", err.message);
    edgex_v2_order order;
    edgex_v2_order_init(&order);
    int ok = 1, rc = edgex_v2_order_sign(&order, &o, &key, &err);
    if (sdk_truncation) {
        if (rc != EDGEX_E_INEXACT) ok = vector_mismatch(why, cap, "exact rule", "refusal of the inexact amount", err.message);
        o.value_rule = EDGEX_VALUE_TRUNCATE;
        rc = edgex_v2_order_sign(&order, &o, &key, &err);
    }
    if (ok && rc != EDGEX_OK) ok = vector_mismatch(why, cap, "order", "signed", err.message);
    if (ok) {
        char sha[65], go_form[133] = "0x";
        edgex_bytes_to_hex(order.client_order_id_sha256, 32, sha);
        memcpy(go_form + 2, order.signature_hex, 131);
        /* the Python SDK sends the product at its full scale */
        rt_decimal price, size, product;
        char python_text[RT_DECIMAL_TEXT_MAX];
        edgex_l2_price(&price, o.kind, o.side, o.price, o.oracle_price, m.tick_size, &err);
        edgex_parse_decimal(&size, o.size, "size", 1, &err);
        rt_decimal_mul(&product, &price, &size);
        rt_decimal_format(&product, python_text, sizeof python_text, product.scale);
        int64_t rs, rc_res;
        edgex_parse_resolution(&rs, m.synthetic_resolution, "resolution", &err);
        edgex_parse_resolution(&rc_res, m.collateral_resolution, "resolution", &err);
        ok = ev_expect_field(d, "l2_price", order.l2_price, why, cap) && ev_expect_field(d, "l2_value", order.l2_value, why, cap) &&
             ev_expect_field(d, "l2_value_python_sdk_str", python_text, why, cap) &&
             ev_expect_field(d, "fee_rate_used", order.fee_rate_used, why, cap) &&
             ev_expect_field(d, "l2_limit_fee", order.l2_limit_fee, why, cap) &&
             ev_expect_u64(d, "contract_resolution", (uint64_t)rs, why, cap) &&
             ev_expect_u64(d, "collateral_resolution", (uint64_t)rc_res, why, cap) &&
             ev_expect_u64(d, "amount_synthetic", order.message.amount_synthetic, why, cap) &&
             ev_expect_bool(d, "amount_synthetic_exact", order.amount_synthetic_exact, why, cap) &&
             ev_expect_u64(d, "amount_collateral", order.message.amount_collateral, why, cap) &&
             ev_expect_bool(d, "amount_collateral_exact", order.amount_collateral_exact, why, cap) &&
             ev_expect_u64(d, "amount_fee", order.message.amount_fee, why, cap) &&
             ev_expect_field(d, "nonce_sha256", sha, why, cap) && ev_expect_u64(d, "l2_nonce", order.message.nonce, why, cap) &&
             ev_expect_u64(d, "expire_time_ms", (uint64_t)order.expire_time_ms, why, cap) &&
             ev_expect_u64(d, "l2_expire_time_ms", (uint64_t)order.l2_expire_time_ms, why, cap) &&
             ev_expect_u64(d, "expiration_timestamp_s", order.message.expiration_timestamp, why, cap) &&
             ev_expect_field(d, "signer_address", order.signer_address, why, cap) &&
             ev_expect_field(json_object_get(c, "typed_data"), "primaryType", "LimitOrderParams", why, cap) &&
             expect_message(json_object_get(json_object_get(c, "typed_data"), "message"), &order, why, cap) &&
             ev_expect_hex(c, "order_base_hash", order.order_base_hash, 32, why, cap) &&
             ev_expect_hex(c, "domain_separator", domain, 32, why, cap) &&
             ev_expect_hex(c, "struct_hash", order.struct_hash, 32, why, cap) &&
             ev_expect_hex(c, "digest", order.digest, 32, why, cap) &&
             expect_eth_signature(json_object_get(c, "signature"), &order.signature, key.private_key, order.digest,
                                  key.address, why, cap) &&
             ev_expect_field(c, "l2_signature_go_sdk_form", go_form, why, cap) &&
             expect_body_json(c, edgex_text_str(&order.body), "create_order_body_json", "create_order_body", why, cap);
    }
    /* generic EIP-712 encoder over the vector's typed data gives the same digest */
    if (ok) {
        const json_t *td = json_object_get(c, "typed_data");
        json_t *types = order_types();
        uint8_t digest[32], dsep[32], shash[32];
        if (edgex_eip712_hash_typed_data(digest, dsep, shash, types, "LimitOrderParams", json_object_get(td, "domain"),
                                         json_object_get(td, "message"), &err) != EDGEX_OK)
            ok = vector_mismatch(why, cap, "typed_data", "hashed", err.message);
        else
            ok = ev_expect_hex(c, "digest", digest, 32, why, cap);
        json_decref(types);
    }
    /* the fixed rendering used for the request signature equals the generic one */
    if (ok) {
        edgex_text generic;
        edgex_text_init(&generic);
        if (edgex_render_json_body(&generic, json_object_get(c, "create_order_body"), &err) != EDGEX_OK)
            ok = vector_mismatch(why, cap, "create_order_body", "renderable", err.message);
        else ok = ev_expect_str(why, cap, "rendered body", edgex_text_str(&generic), edgex_text_str(&order.rendered_params));
        edgex_text_free(&generic);
    }
    edgex_v2_order_free(&order);
    edgex_eth_key_wipe(&key);
    return ok;
}
WRAP(check_order, order_case)

/* ---- v2_set_margin_mode.json -------------------------------------------------------------- */

static int margin_case(const json_t *c, char *why, size_t cap) {
    const json_t *in = json_object_get(c, "inputs"), *d = json_object_get(c, "derived");
    const char *mode, *key_text;
    uint8_t domain[32];
    edgex_error err;
    edgex_v2_margin_input mi = {.domain_separator = domain};
    if (!domain_from(json_object_get(in, "domain"), domain, NULL, why, cap) || !ev_str(in, "margin_mode", &mode, why, cap) ||
        !ev_str(in, "private_key", &key_text, why, cap) || !ev_i64(in, "now_ms", &mi.now_ms, why, cap))
        return 0;
    mi.account_id = vector_str(in, "account_id");
    mi.contract_id = vector_str(in, "contract_id");
    mi.client_id = vector_str(in, "client_order_id");
    mi.margin_mode = strcmp(mode, "1") == 0 ? 1 : strcmp(mode, "0") == 0 ? 0 : -1;
    edgex_eth_key key;
    if (edgex_eth_key_parse(&key, key_text, "private_key", &err) != EDGEX_OK) return vector_mismatch(why, cap, "private_key", "valid", err.message);
    edgex_v2_margin out;
    edgex_v2_margin_init(&out);
    int ok = edgex_v2_margin_sign(&out, &mi, &key, &err) == EDGEX_OK || vector_mismatch(why, cap, "margin", "signed", err.message);
    if (ok) {
        const json_t *msg = json_object_get(json_object_get(c, "typed_data"), "message");
        char sha[65];
        edgex_bytes_to_hex(out.client_id_sha256, 32, sha);
        ok = ev_expect_field(json_object_get(c, "typed_data"), "primaryType", "SetMarginPreferenceParams", why, cap) &&
             ev_expect_u64(d, "l2_nonce", out.nonce, why, cap) && ev_expect_field(d, "nonce_sha256", sha, why, cap) &&
             ev_expect_u64(d, "l2_expire_time_ms", (uint64_t)out.l2_expire_time_ms, why, cap) &&
             ev_expect_field(d, "signer_address", out.signer_address, why, cap) &&
             ev_expect_u64(msg, "accountId", out.account_id, why, cap) && ev_expect_u64(msg, "assetId", out.contract_id, why, cap) &&
             ev_expect_field(msg, "marginMode", mode, why, cap) && ev_expect_u64(msg, "nonce", out.nonce, why, cap) &&
             ev_expect_field(msg, "signer", out.signer_address, why, cap) &&
             ev_expect_hex(c, "domain_separator", domain, 32, why, cap) &&
             ev_expect_hex(c, "struct_hash", out.struct_hash, 32, why, cap) && ev_expect_hex(c, "digest", out.digest, 32, why, cap) &&
             expect_eth_signature(json_object_get(c, "signature"), &out.signature, key.private_key, out.digest, key.address, why, cap) &&
             expect_body_json(c, edgex_text_str(&out.body), "set_margin_mode_body_json", "set_margin_mode_body", why, cap);
    }
    if (ok) {
        edgex_text generic;
        edgex_text_init(&generic);
        if (edgex_render_json_body(&generic, json_object_get(c, "set_margin_mode_body"), &err) != EDGEX_OK)
            ok = vector_mismatch(why, cap, "body", "renderable", err.message);
        else ok = ev_expect_str(why, cap, "rendered body", edgex_text_str(&generic), edgex_text_str(&out.rendered_params));
        edgex_text_free(&generic);
    }
    edgex_v2_margin_free(&out);
    edgex_eth_key_wipe(&key);
    return ok;
}
WRAP(check_margin, margin_case)

/* ---- v2_request_auth.json ----------------------------------------------------------------- */

static int auth_case(const json_t *c, char *why, size_t cap) {
    const json_t *in = json_object_get(c, "inputs"), *headers = json_object_get(c, "headers");
    const char *method, *path, *api_key, *passphrase, *secret;
    int64_t ts;
    edgex_error err;
    if (!ev_str(in, "method", &method, why, cap) || !ev_str(in, "path", &path, why, cap) ||
        !ev_str(in, "api_key", &api_key, why, cap) || !ev_str(in, "api_passphrase", &passphrase, why, cap) ||
        !ev_str(in, "api_secret", &secret, why, cap) || !ev_i64(in, "timestamp_ms", &ts, why, cap))
        return 0;
    if (edgex_v2_check_credentials(api_key, passphrase, secret, &err) != EDGEX_OK) return vector_mismatch(why, cap, "credentials", "valid", err.message);
    edgex_text rendered, target, key_text;
    edgex_text_init(&rendered);
    edgex_text_init(&target);
    edgex_text_init(&key_text);
    edgex_v2_request_auth auth;
    edgex_v2_request_auth_init(&auth);
    int ok = edgex_vector_render_request(in, &rendered, &target, 0, why, cap) &&
             ev_expect_field(c, "rendered_params", edgex_text_str(&rendered), why, cap);
    if (ok && vector_str(c, "request_path_and_query")) ok = ev_expect_field(c, "request_path_and_query", edgex_text_str(&target), why, cap);
    if (ok && vector_str(c, "websocket_url_path_and_query"))
        ok = ev_expect_field(c, "websocket_url_path_and_query", edgex_text_str(&target), why, cap);
    if (ok) ok = edgex_v2_hmac_key_text(&key_text, secret, &err) == EDGEX_OK || vector_mismatch(why, cap, "key", "encoded", err.message);
    if (ok) {
        char key_hex[512];
        if (key_text.len * 2 + 1 > sizeof key_hex) ok = vector_mismatch(why, cap, "hmac_key_text", "short", "too long");
        else edgex_bytes_to_hex((const uint8_t *)key_text.data, key_text.len, key_hex);
        ok = ok && ev_expect_field(c, "hmac_key_text", edgex_text_str(&key_text), why, cap) &&
             ev_expect_field(c, "hmac_key_hex", key_hex, why, cap);
        sodium_memzero(key_hex, sizeof key_hex);
    }
    if (ok && edgex_v2_request_sign(&auth, secret, ts, method, path, edgex_text_str(&rendered), &err) != EDGEX_OK)
        ok = vector_mismatch(why, cap, "signature", "signed", err.message);
    if (ok) {
        char utf8_hex[4096] = "0x";
        if (auth.sign_string.len * 2 + 3 > sizeof utf8_hex) ok = vector_mismatch(why, cap, "sign_string", "short", "too long");
        else edgex_bytes_to_hex((const uint8_t *)auth.sign_string.data, auth.sign_string.len, utf8_hex + 2);
        ok = ok && ev_expect_field(c, "sign_string", edgex_text_str(&auth.sign_string), why, cap) &&
             ev_expect_field(c, "sign_string_utf8_hex", utf8_hex + (strncmp(vector_str(c, "sign_string_utf8_hex"), "0x", 2) ? 2 : 0), why, cap) &&
             ev_expect_field(c, "signature", auth.signature, why, cap) &&
             ev_expect_field(headers, EDGEX_V2_HEADER_API_KEY, api_key, why, cap) &&
             ev_expect_field(headers, EDGEX_V2_HEADER_PASSPHRASE, passphrase, why, cap) &&
             ev_expect_field(headers, EDGEX_V2_HEADER_SIGNATURE, auth.signature, why, cap) &&
             ev_expect_field(headers, EDGEX_V2_HEADER_TIMESTAMP, auth.timestamp, why, cap) &&
             (json_object_size(headers) == 4 || vector_mismatch(why, cap, "headers", "exactly four", "more"));
    }
    if (ok && vector_str(c, "request_body_json")) {
        json_error_t jerr;
        json_t *body = json_loads(vector_str(c, "request_body_json"), 0, &jerr);
        ok = (body && json_equal(body, json_object_get(in, "body"))) || vector_mismatch(why, cap, "request_body_json", "the body", "another object");
        json_decref(body);
    }
    /* v2-auth-06: the Python SDK keeps the empty parameter and so signs another string */
    if (ok && vector_str(c, "python_sdk_sign_string")) {
        edgex_v2_request_auth py;
        edgex_v2_request_auth_init(&py);
        ok = edgex_vector_render_request(in, &rendered, &target, 1, why, cap) &&
             ev_expect_field(c, "python_sdk_rendered_params", edgex_text_str(&rendered), why, cap) &&
             edgex_v2_request_sign(&py, secret, ts, method, path, edgex_text_str(&rendered), &err) == EDGEX_OK &&
             ev_expect_field(c, "python_sdk_sign_string", edgex_text_str(&py.sign_string), why, cap) &&
             ev_expect_field(c, "python_sdk_signature", py.signature, why, cap);
        edgex_v2_request_auth_free(&py);
    }
    if (ok && vector_str(c, "sec_websocket_protocol_optional")) {
        edgex_text proto;
        edgex_text_init(&proto);
        ok = (edgex_v2_ws_protocol_value(&proto, api_key, passphrase, &auth, &err) == EDGEX_OK ||
              vector_mismatch(why, cap, "protocol", "encoded", err.message)) &&
             ev_expect_field(c, "sec_websocket_protocol_optional", edgex_text_str(&proto), why, cap);
        edgex_text_free(&proto);
    }
    if (key_text.data) sodium_memzero(key_text.data, key_text.len);
    edgex_text_free(&key_text);
    edgex_text_free(&rendered);
    edgex_text_free(&target);
    edgex_v2_request_auth_free(&auth);
    return ok;
}
WRAP(check_auth, auth_case)

static const struct vector_handler edgex_v2_table[] = {
    {"v2_keccak256", check_keccak},
    {"v2_keys", check_keys},
    {"v2_signatures", check_signatures},
    {"v2_eip712_types", check_types},
    {"v2_domain_separator", check_domain},
    {"v2_order_hash", check_order},
    {"v2_set_margin_mode", check_margin},
    {"v2_request_auth", check_auth},
    {NULL, NULL},
};
VECTOR_HANDLERS(edgex_v2_table)
