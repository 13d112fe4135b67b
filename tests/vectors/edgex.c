/* edgeX v1 (StarkEx) vector handlers: pedersen, public_keys, nonces, ecdsa, order_hash,
 * request_auth (shared/vectors/edgex). Every intermediate a vector lists is compared, byte
 * for byte; the v2 files are handled in edgex_v2.c. */
#include <openssl/evp.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "exchanges/edgex/hex.h"
#include "exchanges/edgex/sign.h"
#include "tests/vectors/edgex_support.h"
#include "tests/vectors/vector.h"

#define WRAP(name, impl)                                                                        \
    static int name(const json_t *c, const json_t *file, char *why, size_t cap) {               \
        (void)file;                                                                             \
        return impl(c, why, cap) || ev_fail_with_id(c, why, cap);                               \
    }

/* ---- pedersen.json ------------------------------------------------------------------------ */

static int pedersen_case(const json_t *c, char *why, size_t cap) {
    edgex_u256 a, b, reference, y;
    stark_point point;
    edgex_error err;
    if (!ev_u256(c, "a", &a, why, cap) || !ev_u256(c, "b", &b, why, cap)) return 0;
    if (edgex_pedersen_hash_point(&point, &a, &b, &err) != EDGEX_OK) return vector_mismatch(why, cap, "result", "a hash", err.message);
    edgex_u256 x;
    stark_point_to_u256(&x, &y, &point);
    if (!ev_expect_u256(c, "result", &x, why, cap) || !ev_expect_u256(c, "result_point_y", &y, why, cap)) return 0;
    /* the windowed tables must agree with the plain bit-by-bit definition */
    if (edgex_pedersen_hash_reference(&reference, &a, &b, &err) != EDGEX_OK)
        return vector_mismatch(why, cap, "reference", "a hash", err.message);
    return ev_expect_u256(c, "result", &reference, why, cap);
}
WRAP(check_pedersen, pedersen_case)

/* ---- public_keys.json --------------------------------------------------------------------- */

static int public_key_case(const json_t *c, char *why, size_t cap) {
    const char *text;
    edgex_stark_key key;
    edgex_error err;
    if (!ev_str(c, "private_key", &text, why, cap)) return 0;
    if (edgex_stark_key_parse(&key, text, "private_key", &err) != EDGEX_OK)
        return vector_mismatch(why, cap, "private_key", "a valid key", err.message);
    int ok = ev_expect_u256(c, "public_key_x", &key.public_x, why, cap) &&
             ev_expect_u256(c, "public_key_y", &key.public_y, why, cap);
    edgex_stark_key_wipe(&key);
    return ok;
}
WRAP(check_public_keys, public_key_case)

/* ---- nonces.json -------------------------------------------------------------------------- */

static int nonce_case(const json_t *c, char *why, size_t cap) {
    const char *id;
    uint8_t sha[32];
    char sha_hex[65];
    if (!ev_str(c, "client_order_id", &id, why, cap)) return 0;
    uint32_t nonce = 0;
    edgex_error err;
    if (edgex_l2_nonce(&nonce, id, sha, &err) != EDGEX_OK) return vector_mismatch(why, cap, "nonce", "computed", err.message);
    edgex_bytes_to_hex(sha, 32, sha_hex);
    return ev_expect_field(c, "sha256_hex", sha_hex, why, cap) && ev_expect_u64(c, "nonce", nonce, why, cap);
}
WRAP(check_nonces, nonce_case)

/* ---- ecdsa.json --------------------------------------------------------------------------- */

static int ecdsa_case(const json_t *c, char *why, size_t cap) {
    const char *key_text;
    edgex_stark_key key;
    edgex_u256 m, k;
    edgex_stark_signature sig;
    edgex_error err;
    char hex[129];
    if (!ev_str(c, "private_key", &key_text, why, cap) || !ev_u256(c, "msg_hash", &m, why, cap)) return 0;
    if (edgex_stark_key_parse(&key, key_text, "private_key", &err) != EDGEX_OK)
        return vector_mismatch(why, cap, "private_key", "a valid key", err.message);
    int ok = ev_expect_u256(c, "public_key_x", &key.public_x, why, cap);
    if (ok && edgex_stark_sign(&sig, &key.private_key, &m, &k, &err) != EDGEX_OK)
        ok = vector_mismatch(why, cap, "signature", "a signature", err.message);
    if (ok) {
        edgex_stark_signature_to_hex(&sig, hex);
        ok = ev_expect_u256(c, "k", &k, why, cap) && ev_expect_u256(c, "r", &sig.r, why, cap) &&
             ev_expect_u256(c, "s", &sig.s, why, cap) && ev_expect_field(c, "signature_hex", hex, why, cap);
    }
    if (ok && edgex_stark_verify(&m, &sig, &key.public_key, &err) != EDGEX_OK)
        ok = vector_mismatch(why, cap, "verify", "valid", err.message);
    /* where StarkWare's Python reference picks another k, its signature must verify too */
    if (ok && json_is_true(json_object_get(c, "python_reference_differs"))) {
        edgex_stark_signature py;
        if (!ev_u256(c, "python_reference_r", &py.r, why, cap) || !ev_u256(c, "python_reference_s", &py.s, why, cap)) ok = 0;
        else if (edgex_stark_verify(&m, &py, &key.public_key, &err) != EDGEX_OK)
            ok = vector_mismatch(why, cap, "python_reference signature", "valid", err.message);
    }
    edgex_stark_key_wipe(&key);
    sodium_memzero(&k, sizeof k);
    return ok;
}
WRAP(check_ecdsa, ecdsa_case)

/* ---- order_hash.json ---------------------------------------------------------------------- */

static int expect_intermediate_hashes(const json_t *im, const edgex_v1_order_fields *f, const edgex_v1_order_hashes *h,
                                      char *why, size_t cap) {
    return ev_expect_u64(im, "nonce", f->nonce, why, cap) && ev_expect_u64(im, "position_id", f->position_id, why, cap) &&
           ev_expect_u64(im, "expiration_hours", f->expiration_hours, why, cap) &&
           ev_expect_u256(im, "asset_id_sell", &f->asset_id_sell, why, cap) &&
           ev_expect_u256(im, "asset_id_buy", &f->asset_id_buy, why, cap) &&
           ev_expect_u256(im, "asset_id_fee", &f->asset_id_fee, why, cap) &&
           ev_expect_u64(im, "amount_sell", f->amount_sell, why, cap) &&
           ev_expect_u64(im, "amount_buy", f->amount_buy, why, cap) &&
           ev_expect_u256(im, "packed_message0", &h->packed_message0, why, cap) &&
           ev_expect_u256(im, "packed_message1", &h->packed_message1, why, cap) &&
           ev_expect_u256(im, "hash1_sell_buy", &h->hash1, why, cap) &&
           ev_expect_u256(im, "hash2_fee", &h->hash2, why, cap) && ev_expect_u256(im, "hash3_packed0", &h->hash3, why, cap);
}

/* order-ka-*: a real order from the exchange's own client. Its L2 fields are given as sent;
 * the hash rebuilt from them must make the published signature verify. */
static int known_answer_order(const json_t *c, char *why, size_t cap) {
    const json_t *in = json_object_get(c, "inputs"), *im = json_object_get(c, "intermediate");
    const json_t *contract = json_object_get(in, "contract"), *collateral = json_object_get(in, "collateral");
    const json_t *sigj = json_object_get(c, "signature");
    edgex_error err;
    edgex_v1_order_fields f;
    edgex_v1_order_hashes h;
    int64_t rs, rc_res, l2_expire;
    uint64_t synthetic, collateral_amount, fee;
    rt_decimal size, value, limit_fee;
    edgex_u256 synthetic_id, collateral_id;
    const char *side, *cid;
    if (!ev_u256(contract, "starkExSyntheticAssetId", &synthetic_id, why, cap) ||
        !ev_u256(collateral, "starkExAssetId", &collateral_id, why, cap) || !ev_str(in, "side", &side, why, cap) ||
        !ev_str(in, "client_order_id", &cid, why, cap) || !ev_i64(in, "l2_expire_time", &l2_expire, why, cap))
        return 0;
    if (edgex_parse_resolution(&rs, vector_str(contract, "starkExResolution"), "starkExResolution", &err) ||
        edgex_parse_resolution(&rc_res, vector_str(collateral, "starkExResolution"), "collateral resolution", &err) ||
        edgex_parse_id(&f.position_id, vector_str(in, "account_id"), "account_id", &err) ||
        edgex_parse_decimal(&size, vector_str(in, "l2_size"), "l2_size", 1, &err) ||
        edgex_parse_decimal(&value, vector_str(in, "l2_value"), "l2_value", 1, &err) ||
        edgex_parse_decimal(&limit_fee, vector_str(in, "l2_limit_fee"), "l2_limit_fee", 0, &err) ||
        edgex_scaled_amount(&synthetic, NULL, &size, rs, 0, "l2_size", &err) ||
        edgex_scaled_amount(&collateral_amount, NULL, &value, rc_res, 0, "l2_value", &err) ||
        edgex_scaled_amount(&fee, NULL, &limit_fee, rc_res, 0, "l2_limit_fee", &err))
        return vector_mismatch(why, cap, "inputs", "valid order fields", err.message);
    if (!ev_expect_field(in, "size", vector_str(in, "l2_size"), why, cap)) return 0;   /* l2Size is the size */
    uint8_t sha[32];
    char sha_hex[65];
    if (edgex_l2_nonce(&f.nonce, cid, sha, &err) != EDGEX_OK) return vector_mismatch(why, cap, "nonce", "computed", err.message);
    edgex_bytes_to_hex(sha, 32, sha_hex);
    if (!ev_expect_field(im, "client_order_id_sha256", sha_hex, why, cap) ||
        !ev_expect_field(in, "l2_nonce", (snprintf(sha_hex, sizeof sha_hex, "%u", f.nonce), sha_hex), why, cap) ||
        !ev_expect_u64(im, "amount_synthetic", synthetic, why, cap) ||
        !ev_expect_u64(im, "amount_collateral", collateral_amount, why, cap) || !ev_expect_u64(im, "amount_fee", fee, why, cap))
        return 0;
    int buy = strcmp(side, "BUY") == 0;
    f.asset_id_sell = buy ? collateral_id : synthetic_id;
    f.asset_id_buy = buy ? synthetic_id : collateral_id;
    f.asset_id_fee = collateral_id;
    f.amount_sell = buy ? collateral_amount : synthetic;
    f.amount_buy = buy ? synthetic : collateral_amount;
    f.amount_fee = fee;
    f.expiration_hours = (uint32_t)(l2_expire / EDGEX_MS_PER_HOUR);
    if (edgex_v1_order_message_hash(&h, &f, NULL, &err) != EDGEX_OK) return vector_mismatch(why, cap, "msg_hash", "a hash", err.message);
    if (!expect_intermediate_hashes(im, &f, &h, why, cap) || !ev_expect_u256(c, "msg_hash", &h.msg_hash, why, cap)) return 0;

    edgex_stark_signature sig;
    edgex_u256 qx, qy;
    stark_point q;
    if (!ev_u256(sigj, "r", &sig.r, why, cap) || !ev_u256(sigj, "s", &sig.s, why, cap) ||
        !ev_u256(c, "public_key_x", &qx, why, cap) || !ev_u256(c, "public_key_y", &qy, why, cap))
        return 0;
    char hex[129];
    edgex_stark_signature_to_hex(&sig, hex);
    if (!ev_expect_field(sigj, "signature_hex", hex, why, cap)) return 0;
    if (stark_point_from_u256(&q, &qx, &qy) != 0) return vector_mismatch(why, cap, "public key", "a curve point", "not on the curve");
    if (edgex_stark_verify(&h.msg_hash, &sig, &q, &err) != EDGEX_OK)
        return vector_mismatch(why, cap, "signature", "valid for l2Key", err.message);
    if (edgex_stark_verify_x(&h.msg_hash, &sig, &qx, &err) != EDGEX_OK)
        return vector_mismatch(why, cap, "signature", "valid for l2Key x alone", err.message);
    /* and a changed message must not verify */
    edgex_u256 other = h.msg_hash;
    other.limb[0] ^= 1;
    if (edgex_stark_verify(&other, &sig, &q, &err) != EDGEX_E_VERIFY)
        return vector_mismatch(why, cap, "signature", "invalid for another hash", "valid");
    return 1;
}

static int read_order_input(const json_t *in, edgex_v1_order_input *o, edgex_v1_market *m, char *why, size_t cap) {
    const json_t *contract = json_object_get(in, "contract"), *collateral = json_object_get(in, "collateral");
    const char *side, *type, *rounding, *rule;
    memset(o, 0, sizeof *o);
    memset(m, 0, sizeof *m);
    m->contract_id = vector_str(contract, "contractId");
    m->synthetic_asset_id = vector_str(contract, "starkExSyntheticAssetId");
    m->synthetic_resolution = vector_str(contract, "starkExResolution");
    m->collateral_asset_id = vector_str(collateral, "starkExAssetId");
    m->collateral_resolution = vector_str(collateral, "starkExResolution");
    m->tick_size = vector_str(contract, "tickSize");
    o->market = m;
    o->account_id = vector_str(in, "account_id");
    if (!ev_str(in, "side", &side, why, cap) || !ev_str(in, "type", &type, why, cap) ||
        !ev_str(in, "fee_rounding", &rounding, why, cap) || !ev_str(in, "expiration_rule", &rule, why, cap) ||
        !ev_i64(in, "now_ms", &o->now_ms, why, cap))
        return 0;
    if (edgex_side_from_name(side, &o->side) || edgex_order_kind_from_name(type, &o->kind))
        return vector_mismatch(why, cap, "side/type", "BUY/SELL and LIMIT/MARKET", side);
    o->time_in_force = vector_str(in, "time_in_force");
    o->reduce_only = json_is_true(json_object_get(in, "reduce_only"));
    o->price = vector_str(in, "price");
    o->oracle_price = vector_str(in, "oracle_price");
    o->size = vector_str(in, "size");
    o->client_order_id = vector_str(in, "client_order_id");
    o->fee_rate = vector_str(in, "fee_rate");
    if (strcmp(rounding, "ceil_integer") == 0) o->fee_rounding = EDGEX_FEE_CEIL_INTEGER;
    else if (strcmp(rounding, "ceil_collateral_decimals") == 0) o->fee_rounding = EDGEX_FEE_CEIL_COLLATERAL_DECIMALS;
    else return vector_mismatch(why, cap, "fee_rounding", "a known rule", rounding);
    if (strcmp(rule, "go_sdk") == 0) o->expiry_rule = EDGEX_V1_EXPIRY_GO_SDK;
    else if (strcmp(rule, "py_sdk_0.4") == 0) o->expiry_rule = EDGEX_V1_EXPIRY_PY_SDK_04;
    else return vector_mismatch(why, cap, "expiration_rule", "a known rule", rule);
    o->value_rule = EDGEX_VALUE_ROUND_BY_SIDE;
    return 1;
}

/* Every key of the vector's request_body must be in our body with the same value. */
static int expect_body(const json_t *c, const char *body_text, const char *json_key, const char *object_key, char *why,
                       size_t cap) {
    if (!ev_expect_field(c, json_key, body_text, why, cap)) return 0;
    json_error_t jerr;
    json_t *ours = json_loads(body_text, 0, &jerr);
    int ok = ours && json_equal(ours, json_object_get(c, object_key));
    json_decref(ours);
    return ok ? 1 : vector_mismatch(why, cap, object_key, "the same object", body_text);
}

static int signed_order(const json_t *c, char *why, size_t cap) {
    const json_t *in = json_object_get(c, "inputs"), *im = json_object_get(c, "intermediate");
    const json_t *sigj = json_object_get(c, "signature");
    edgex_v1_order_input o;
    edgex_v1_market m;
    edgex_stark_key key;
    edgex_error err;
    const char *key_text;
    if (!read_order_input(in, &o, &m, why, cap) || !ev_str(in, "private_key", &key_text, why, cap)) return 0;
    if (edgex_stark_key_parse(&key, key_text, "private_key", &err) != EDGEX_OK)
        return vector_mismatch(why, cap, "private_key", "a valid key", err.message);
    edgex_v1_order order;
    edgex_v1_order_init(&order);
    edgex_v1_asset_cache cache;
    edgex_v1_asset_cache_init(&cache);
    int ok = 1;
    if (edgex_v1_order_sign(&order, &o, &key, &cache, &err) != EDGEX_OK) ok = vector_mismatch(why, cap, "order", "signed", err.message);
    char sha_hex[65];
    rt_decimal price, size, exact;
    char exact_text[RT_DECIMAL_TEXT_MAX];
    if (ok) {
        edgex_bytes_to_hex(order.client_order_id_sha256, 32, sha_hex);
        /* the exact product before any rounding */
        edgex_l2_price(&price, o.kind, o.side, o.price, o.oracle_price, m.tick_size, &err);
        edgex_parse_decimal(&size, o.size, "size", 1, &err);
        rt_decimal_mul(&exact, &price, &size);
        edgex_format_decimal(&exact, exact_text);
        ok = ev_expect_field(im, "l2_price", order.l2_price, why, cap) &&
             ev_expect_field(im, "value_exact", exact_text, why, cap) &&
             ev_expect_field(im, "l2_value", order.l2_value, why, cap) &&
             ev_expect_field(im, "l2_size", order.l2_size, why, cap) &&
             ev_expect_field(im, "l2_limit_fee", order.l2_limit_fee, why, cap) &&
             ev_expect_u64(im, "amount_synthetic", order.amount_synthetic, why, cap) &&
             ev_expect_u64(im, "amount_collateral", order.amount_collateral, why, cap) &&
             ev_expect_u64(im, "amount_fee", order.amount_fee, why, cap) &&
             ev_expect_field(im, "client_order_id_sha256", sha_hex, why, cap) &&
             ev_expect_u64(im, "expire_time", (uint64_t)order.expire_time_ms, why, cap) &&
             ev_expect_u64(im, "l2_expire_time", (uint64_t)order.l2_expire_time_ms, why, cap) &&
             expect_intermediate_hashes(im, &order.fields, &order.hashes, why, cap) &&
             ev_expect_u256(c, "msg_hash", &order.hashes.msg_hash, why, cap) &&
             ev_expect_u256(c, "public_key_x", &key.public_x, why, cap) &&
             ev_expect_u256(c, "public_key_y", &key.public_y, why, cap) &&
             ev_expect_u256(sigj, "r", &order.signature.r, why, cap) &&
             ev_expect_u256(sigj, "s", &order.signature.s, why, cap) &&
             ev_expect_field(sigj, "signature_hex", order.signature_hex, why, cap) &&
             expect_body(c, edgex_text_str(&order.body), "request_body_json", "request_body", why, cap);
    }
    /* k: sign the same hash directly and compare the nonce too */
    if (ok) {
        edgex_stark_signature again;
        edgex_u256 k;
        if (edgex_stark_sign(&again, &key.private_key, &order.hashes.msg_hash, &k, &err) != EDGEX_OK)
            ok = vector_mismatch(why, cap, "k", "a nonce", err.message);
        else
            ok = ev_expect_u256(sigj, "k", &k, why, cap);
        sodium_memzero(&k, sizeof k);
    }
    /* the rendering used for the request signature equals the generic JSON rendering */
    if (ok) {
        edgex_text generic;
        edgex_text_init(&generic);
        if (edgex_render_json_body(&generic, json_object_get(c, "request_body"), &err) != EDGEX_OK)
            ok = vector_mismatch(why, cap, "request_body rendering", "rendered", err.message);
        else
            ok = ev_expect_str(why, cap, "rendered body", edgex_text_str(&generic), edgex_text_str(&order.rendered_params));
        edgex_text_free(&generic);
    }
    /* order-08: the SDKs' truncation gives the listed alternative amounts and hash */
    const json_t *alt = json_object_get(im, "sdk_truncation_alternative");
    if (ok && alt) {
        edgex_v1_order sdk;
        edgex_v1_order_init(&sdk);
        o.value_rule = EDGEX_VALUE_TRUNCATE;
        if (edgex_v1_order_prepare(&sdk, &o, NULL, &err) != EDGEX_OK) ok = vector_mismatch(why, cap, "sdk alternative", "prepared", err.message);
        else ok = ev_expect_u64(alt, "amount_collateral", sdk.amount_collateral, why, cap) &&
                  ev_expect_u256(alt, "msg_hash", &sdk.hashes.msg_hash, why, cap);
        /* and the exact-only rule refuses this order */
        o.value_rule = EDGEX_VALUE_EXACT;
        if (ok && edgex_v1_order_prepare(&sdk, &o, NULL, &err) != EDGEX_E_INEXACT)
            ok = vector_mismatch(why, cap, "exact-only rule", "refusal (inexact)", "accepted");
        edgex_v1_order_free(&sdk);
    }
    edgex_v1_order_free(&order);
    edgex_stark_key_wipe(&key);
    return ok;
}

static int order_case(const json_t *c, char *why, size_t cap) {
    return json_is_true(json_object_get(c, "verify_only")) ? known_answer_order(c, why, cap) : signed_order(c, why, cap);
}
WRAP(check_order_hash, order_case)

/* ---- request_auth.json -------------------------------------------------------------------- */

/* Query parameters given as [{"name": "value"}, ...] (v1 files) or {"name": "value", ...} (v2). */
static int read_query(const json_t *in, edgex_query_param *params, size_t *count, size_t max, char *why, size_t cap) {
    const json_t *q = json_object_get(in, "query_params_in_caller_order");
    *count = 0;
    if (!q) return 1;
    if (json_is_object(q)) {
        const char *k;
        json_t *v;
        json_object_foreach((json_t *)q, k, v) {
            if (*count == max || !json_is_string(v)) return vector_mismatch(why, cap, "query", "string values", k);
            params[*count].name = k;
            params[(*count)++].value = json_string_value(v);
        }
        return 1;
    }
    size_t i;
    json_t *pair;
    json_array_foreach((json_t *)q, i, pair) {
        const char *k;
        json_t *v;
        json_object_foreach(pair, k, v) {
            if (*count == max || !json_is_string(v)) return vector_mismatch(why, cap, "query", "string values", k);
            params[*count].name = k;
            params[(*count)++].value = json_string_value(v);
        }
    }
    return 1;
}

int edgex_vector_render_request(const json_t *in, edgex_text *rendered, edgex_text *target, int keep_empty, char *why,
                                size_t cap);

/* Shared with edgex_v2.c: renders the query or the body of a request vector, and the target. */
int edgex_vector_render_request(const json_t *in, edgex_text *rendered, edgex_text *target, int keep_empty, char *why,
                                size_t cap) {
    edgex_error err;
    const json_t *body = json_object_get(in, "body");
    const char *path = vector_str(in, "path");
    if (body) {
        if (edgex_render_json_body(rendered, body, &err) != EDGEX_OK) return vector_mismatch(why, cap, "body", "renderable", err.message);
        if (edgex_request_target(target, path, "", &err) != EDGEX_OK) return vector_mismatch(why, cap, "path", "valid", err.message);
        return 1;
    }
    edgex_query_param params[32];
    size_t count;
    if (!read_query(in, params, &count, 32, why, cap)) return 0;
    if (edgex_render_query(rendered, params, count, keep_empty, &err) != EDGEX_OK)
        return vector_mismatch(why, cap, "query", "renderable", err.message);
    if (edgex_request_target(target, path, edgex_text_str(rendered), &err) != EDGEX_OK)
        return vector_mismatch(why, cap, "path", "valid", err.message);
    return 1;
}

static int request_case(const json_t *c, char *why, size_t cap) {
    const json_t *in = json_object_get(c, "inputs"), *sigj = json_object_get(c, "signature");
    const json_t *headers = json_object_get(c, "headers");
    const char *method, *path, *key_text;
    int64_t ts;
    if (!ev_str(in, "method", &method, why, cap) || !ev_str(in, "path", &path, why, cap) ||
        !ev_str(in, "private_key", &key_text, why, cap) || !ev_i64(in, "timestamp_ms", &ts, why, cap))
        return 0;
    edgex_text rendered, target;
    edgex_text_init(&rendered);
    edgex_text_init(&target);
    edgex_v1_request_auth auth;
    edgex_v1_request_auth_init(&auth);
    edgex_stark_key key;
    edgex_error err;
    int have_key = 0, ok = edgex_vector_render_request(in, &rendered, &target, 0, why, cap);
    if (ok) ok = ev_expect_field(c, "request_url_path_and_query", edgex_text_str(&target), why, cap);
    if (ok && edgex_v1_request_hash(&auth, ts, method, path, edgex_text_str(&rendered), &err) != EDGEX_OK)
        ok = vector_mismatch(why, cap, "sign_string", "built", err.message);
    if (ok) {
        char utf8_hex[4096];
        if (auth.sign_string.len * 2 >= sizeof utf8_hex) ok = vector_mismatch(why, cap, "sign_string", "short", "too long");
        else edgex_bytes_to_hex((const uint8_t *)auth.sign_string.data, auth.sign_string.len, utf8_hex);
        ok = ok && ev_expect_field(c, "sign_string", edgex_text_str(&auth.sign_string), why, cap) &&
             ev_expect_field(c, "sign_string_utf8_hex", utf8_hex, why, cap) &&
             ev_expect_hex(c, "keccak256", auth.keccak, 32, why, cap) &&
             ev_expect_u256(c, "msg_hash_mod_n", &auth.msg_hash, why, cap);
    }
    /* SHA3-256 (OpenSSL) is what the vectors show as NOT used: it must differ from ours */
    if (ok && vector_str(c, "sha3_256_NOT_USED")) {
        uint8_t sha3[32];
        unsigned int n = 0;
        EVP_Digest(auth.sign_string.data, auth.sign_string.len, sha3, &n, EVP_sha3_256(), NULL);
        ok = ev_expect_hex(c, "sha3_256_NOT_USED", sha3, 32, why, cap) &&
             (memcmp(sha3, auth.keccak, 32) != 0 || vector_mismatch(why, cap, "keccak256", "not SHA3-256", "equal"));
    }
    if (ok) {
        if (edgex_stark_key_parse(&key, key_text, "private_key", &err) != EDGEX_OK) ok = vector_mismatch(why, cap, "private_key", "valid", err.message);
        else have_key = 1;
    }
    if (ok) ok = ev_expect_u256(c, "public_key_x", &key.public_x, why, cap);
    if (ok) {
        edgex_stark_signature sig;
        edgex_u256 k;
        if (edgex_stark_sign(&sig, &key.private_key, &auth.msg_hash, &k, &err) != EDGEX_OK) ok = vector_mismatch(why, cap, "k", "a nonce", err.message);
        else ok = ev_expect_u256(sigj, "k", &k, why, cap) && ev_expect_u256(sigj, "r", &sig.r, why, cap) &&
                  ev_expect_u256(sigj, "s", &sig.s, why, cap);
        sodium_memzero(&k, sizeof k);
    }
    if (ok && edgex_v1_request_sign(&auth, &key, ts, method, path, edgex_text_str(&rendered), &err) != EDGEX_OK)
        ok = vector_mismatch(why, cap, "request signature", "signed", err.message);
    if (ok)
        ok = ev_expect_field(sigj, "signature_hex", auth.signature_hex, why, cap) &&
             ev_expect_field(headers, EDGEX_V1_HEADER_TIMESTAMP, auth.timestamp, why, cap) &&
             ev_expect_field(headers, EDGEX_V1_HEADER_SIGNATURE, auth.signature_hex, why, cap) &&
             (json_object_size(headers) == 2 || vector_mismatch(why, cap, "headers", "exactly two", "more"));
    if (ok && vector_str(c, "request_body_json")) {
        json_error_t jerr;
        json_t *body = json_loads(vector_str(c, "request_body_json"), 0, &jerr);
        ok = (body && json_equal(body, json_object_get(in, "body"))) ||
             vector_mismatch(why, cap, "request_body_json", "the body", "another object");
        json_decref(body);
    }
    if (ok && edgex_stark_verify(&auth.msg_hash, &auth.signature, &key.public_key, &err) != EDGEX_OK)
        ok = vector_mismatch(why, cap, "signature", "valid", err.message);
    if (have_key) edgex_stark_key_wipe(&key);
    edgex_v1_request_auth_free(&auth);
    edgex_text_free(&rendered);
    edgex_text_free(&target);
    return ok;
}
WRAP(check_request_auth, request_case)

static const struct vector_handler edgex_v1_table[] = {
    {"pedersen", check_pedersen},
    {"public_keys", check_public_keys},
    {"nonces", check_nonces},
    {"ecdsa", check_ecdsa},
    {"order_hash", check_order_hash},
    {"request_auth", check_request_auth},
    {NULL, NULL},
};
VECTOR_HANDLERS(edgex_v1_table)
