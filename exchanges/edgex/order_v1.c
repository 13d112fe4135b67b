/* v1 order quantities, message hash, signature and body (see order_v1.h). */
#include "exchanges/edgex/order_v1.h"

#include <string.h>

#include "exchanges/edgex/hex.h"
#include "exchanges/edgex/order_body.h"
#include "exchanges/edgex/pedersen.h"

#define LIMIT_ORDER_WITH_FEES 3

void edgex_v1_asset_cache_init(edgex_v1_asset_cache *cache) { memset(cache, 0, sizeof *cache); }

/* w = (w << bits) + value, for value < 2^bits and w small enough (the spec bounds the words). */
static void push(edgex_u256 *w, uint64_t value, unsigned bits) {
    edgex_u256_shl(w, w, bits);
    w->limb[0] |= value;
}

static int asset_hashes(edgex_u256 *hash1, edgex_u256 *hash2, const edgex_v1_order_fields *f,
                        edgex_v1_asset_cache *cache, edgex_error *err) {
    if (cache) {
        for (int i = 0; i < EDGEX_V1_ASSET_CACHE_SLOTS; i++) {
            if (cache->slot[i].used && edgex_u256_cmp(&cache->slot[i].sell, &f->asset_id_sell) == 0 &&
                edgex_u256_cmp(&cache->slot[i].buy, &f->asset_id_buy) == 0 &&
                edgex_u256_cmp(&cache->slot[i].fee, &f->asset_id_fee) == 0) {
                *hash1 = cache->slot[i].hash1;
                *hash2 = cache->slot[i].hash2;
                return EDGEX_OK;
            }
        }
    }
    int rc = edgex_pedersen_hash(hash1, &f->asset_id_sell, &f->asset_id_buy, err);
    if (rc == EDGEX_OK) rc = edgex_pedersen_hash(hash2, hash1, &f->asset_id_fee, err);
    if (rc == EDGEX_OK && cache) {
        unsigned i = cache->next++ % EDGEX_V1_ASSET_CACHE_SLOTS;
        cache->slot[i].sell = f->asset_id_sell;
        cache->slot[i].buy = f->asset_id_buy;
        cache->slot[i].fee = f->asset_id_fee;
        cache->slot[i].hash1 = *hash1;
        cache->slot[i].hash2 = *hash2;
        cache->slot[i].used = 1;
    }
    return rc;
}

int edgex_v1_order_message_hash(edgex_v1_order_hashes *out, const edgex_v1_order_fields *f,
                                edgex_v1_asset_cache *cache, edgex_error *err) {
    edgex_u256 w = {{f->amount_sell, 0, 0, 0}};
    push(&w, f->amount_buy, 64);
    push(&w, f->amount_fee, 64);
    push(&w, f->nonce, 32);
    out->packed_message0 = w;

    edgex_u256 v = {{LIMIT_ORDER_WITH_FEES, 0, 0, 0}};
    push(&v, f->position_id, 64);   /* fee position */
    push(&v, f->position_id, 64);   /* sell position */
    push(&v, f->position_id, 64);   /* buy position */
    push(&v, f->expiration_hours, 32);
    edgex_u256_shl(&v, &v, 17);     /* padding */
    out->packed_message1 = v;

    int rc = asset_hashes(&out->hash1, &out->hash2, f, cache, err);
    if (rc == EDGEX_OK) rc = edgex_pedersen_hash(&out->hash3, &out->hash2, &out->packed_message0, err);
    if (rc == EDGEX_OK) rc = edgex_pedersen_hash(&out->msg_hash, &out->hash3, &out->packed_message1, err);
    return rc;
}

void edgex_v1_order_init(edgex_v1_order *order) {
    memset(order, 0, sizeof *order);
    edgex_text_init(&order->body);
    edgex_text_init(&order->rendered_params);
}

void edgex_v1_order_free(edgex_v1_order *order) {
    edgex_text_free(&order->body);
    edgex_text_free(&order->rendered_params);
}

static int expiry(edgex_v1_order *out, const edgex_v1_order_input *in, edgex_error *err) {
    switch (in->expiry_rule) {
    case EDGEX_V1_EXPIRY_GO_SDK:
        out->l2_expire_time_ms = in->now_ms + 14 * EDGEX_MS_PER_DAY;
        out->expire_time_ms = out->l2_expire_time_ms - 10 * EDGEX_MS_PER_DAY;
        break;
    case EDGEX_V1_EXPIRY_PY_SDK_04:
        out->expire_time_ms = in->now_ms + EDGEX_MS_PER_DAY;
        out->l2_expire_time_ms = out->expire_time_ms + 9 * EDGEX_MS_PER_DAY;
        break;
    case EDGEX_V1_EXPIRY_EXPLICIT:
        out->expire_time_ms = in->expire_time_ms;
        out->l2_expire_time_ms = in->l2_expire_time_ms;
        if (out->l2_expire_time_ms < out->expire_time_ms + 8 * EDGEX_MS_PER_DAY)
            return edgex_fail(err, EDGEX_E_INPUT, "l2_expire_time must be at least expire_time + 8 days");
        break;
    default: return edgex_fail(err, EDGEX_E_INPUT, "unknown expiry rule");
    }
    if (in->expiry_rule != EDGEX_V1_EXPIRY_EXPLICIT && in->now_ms <= 0)
        return edgex_fail(err, EDGEX_E_INPUT, "now_ms must be positive milliseconds");
    if (out->expire_time_ms <= 0) return edgex_fail(err, EDGEX_E_INPUT, "expire_time must be positive milliseconds");
    int64_t hours = out->l2_expire_time_ms / EDGEX_MS_PER_HOUR;
    if (hours > (int64_t)UINT32_MAX) return edgex_fail(err, EDGEX_E_INPUT, "l2_expire_time is too far in the future");
    out->fields.expiration_hours = (uint32_t)hours;
    return EDGEX_OK;
}

int edgex_v1_order_prepare(edgex_v1_order *out, const edgex_v1_order_input *in, edgex_v1_asset_cache *cache,
                           edgex_error *err) {
    const edgex_v1_market *m = in->market;
    if (!m) return edgex_fail(err, EDGEX_E_INPUT, "market is missing");
    uint64_t contract_id;
    int64_t rs, rc_res;
    edgex_u256 synthetic, collateral;
    int rc = edgex_parse_id(&contract_id, m->contract_id, "contract_id", err);
    if (!rc) rc = edgex_parse_id(&out->fields.position_id, in->account_id, "account_id", err);
    if (!rc) rc = edgex_parse_resolution(&rs, m->synthetic_resolution, "synthetic resolution", err);
    if (!rc) rc = edgex_parse_resolution(&rc_res, m->collateral_resolution, "collateral resolution", err);
    if (rc) return rc;
    if (!m->synthetic_asset_id || edgex_u256_from_hex(&synthetic, m->synthetic_asset_id) != 0)
        return edgex_fail(err, EDGEX_E_INPUT, "synthetic asset id must be hex");
    if (!m->collateral_asset_id || edgex_u256_from_hex(&collateral, m->collateral_asset_id) != 0)
        return edgex_fail(err, EDGEX_E_INPUT, "collateral asset id must be hex");
    /* both go into Pedersen hashes, whose inputs are field elements */
    if (edgex_u256_cmp(&synthetic, &STARK_FIELD_PRIME) >= 0)
        return edgex_fail(err, EDGEX_E_INPUT, "synthetic asset id must be below the Stark field prime");
    if (edgex_u256_cmp(&collateral, &STARK_FIELD_PRIME) >= 0)
        return edgex_fail(err, EDGEX_E_INPUT, "collateral asset id must be below the Stark field prime");
    if (in->side != EDGEX_BUY && in->side != EDGEX_SELL) return edgex_fail(err, EDGEX_E_INPUT, "side must be BUY or SELL");
    if (in->kind != EDGEX_LIMIT && in->kind != EDGEX_MARKET)
        return edgex_fail(err, EDGEX_E_INPUT, "type must be LIMIT or MARKET");
    rc = edgex_check_client_order_id(in->client_order_id, err);
    if (!rc) rc = edgex_time_in_force(&out->time_in_force, in->time_in_force, in->kind, err);
    if (rc) return rc;

    rt_decimal price, size, value, rate, fee;
    rc = edgex_l2_price_bounded(&price, in->kind, in->side, in->price, in->oracle_price, in->worst_price, m->tick_size, err);
    if (!rc) rc = edgex_parse_decimal(&size, in->size, "size", 1, err);
    if (!rc) rc = edgex_parse_decimal(&rate, in->fee_rate, "fee_rate", 0, err);
    if (!rc) rc = edgex_scaled_amount(&out->amount_synthetic, NULL, &size, rs, in->value_rule == EDGEX_VALUE_TRUNCATE,
                                      "size", err);
    if (!rc) rc = edgex_l2_value(&value, &out->amount_collateral, &out->value_exact, &price, &size, rc_res, in->side,
                                 in->value_rule, err);
    if (!rc) rc = edgex_l2_limit_fee(&fee, &value, &rate, in->fee_rounding, rc_res, err);
    if (!rc) rc = edgex_scaled_amount(&out->amount_fee, NULL, &fee, rc_res, 0, "l2LimitFee", err);
    if (!rc) rc = expiry(out, in, err);
    if (rc) return rc;

    edgex_format_decimal(&price, out->l2_price);
    edgex_format_decimal(&value, out->l2_value);
    edgex_format_decimal(&fee, out->l2_limit_fee);
    size_t size_len = strlen(in->size);
    if (size_len >= sizeof out->l2_size) return edgex_fail(err, EDGEX_E_INPUT, "size text is too long");
    memcpy(out->l2_size, in->size, size_len + 1);   /* l2Size is the size string as sent */

    edgex_v1_order_fields *f = &out->fields;
    rc = edgex_l2_nonce(&f->nonce, in->client_order_id, out->client_order_id_sha256, err);
    if (rc) return rc;
    f->asset_id_fee = collateral;
    f->amount_fee = out->amount_fee;
    if (in->side == EDGEX_BUY) {
        f->asset_id_sell = collateral;
        f->asset_id_buy = synthetic;
        f->amount_sell = out->amount_collateral;
        f->amount_buy = out->amount_synthetic;
    } else {
        f->asset_id_sell = synthetic;
        f->asset_id_buy = collateral;
        f->amount_sell = out->amount_synthetic;
        f->amount_buy = out->amount_collateral;
    }
    return edgex_v1_order_message_hash(&out->hashes, f, cache, err);
}

int edgex_v1_order_sign(edgex_v1_order *out, const edgex_v1_order_input *in, const edgex_stark_key *key,
                        edgex_v1_asset_cache *cache, edgex_error *err) {
    static const edgex_u256 two_pow_251 = {{0, 0, 0, 1ull << 59}};
    int rc = edgex_v1_order_prepare(out, in, cache, err);
    if (rc) return rc;
    if (edgex_u256_cmp(&out->hashes.msg_hash, &two_pow_251) >= 0)
        return edgex_fail(err, EDGEX_E_CRYPTO, "order hash is >= 2^251 (about 1 in 2^55): sign again with another client_order_id");
    rc = edgex_stark_sign(&out->signature, &key->private_key, &out->hashes.msg_hash, NULL, err);
    if (rc) return rc;
    edgex_stark_signature_to_hex(&out->signature, out->signature_hex);

    char expire[21], l2_expire[21], nonce[21];
    edgex_format_u64((uint64_t)out->expire_time_ms, expire);
    edgex_format_u64((uint64_t)out->l2_expire_time_ms, l2_expire);
    edgex_format_u64(out->fields.nonce, nonce);
    edgex_order_body_fields body = {
        .account_id = in->account_id,
        .contract_id = in->market->contract_id,
        .price = in->kind == EDGEX_MARKET ? "0" : in->price,
        .size = in->size,
        .type = edgex_order_kind_name(in->kind),
        .side = edgex_side_name(in->side),
        .time_in_force = out->time_in_force,
        .client_order_id = in->client_order_id,
        .expire_time = expire,
        .l2_nonce = nonce,
        .l2_signature = out->signature_hex,
        .l2_expire_time = l2_expire,
        .l2_value = out->l2_value,
        .l2_size = out->l2_size,
        .l2_limit_fee = out->l2_limit_fee,
        .reduce_only = in->reduce_only,
    };
    edgex_order_body_json(&out->body, &body);
    edgex_order_body_rendered(&out->rendered_params, &body);
    if (out->body.failed || out->rendered_params.failed)
        return edgex_fail(err, EDGEX_E_BUFFER, "out of memory writing the order body");
    return EDGEX_OK;
}
