/* v2 order (see order_v2.h). */
#include "exchanges/edgex/order_v2.h"

#include <string.h>

#include "exchanges/edgex/eip712.h"
#include "exchanges/edgex/hex.h"
#include "exchanges/edgex/keccak.h"
#include "exchanges/edgex/order_body.h"


void edgex_v2_order_init(edgex_v2_order *order) {
    memset(order, 0, sizeof *order);
    edgex_text_init(&order->body);
    edgex_text_init(&order->rendered_params);
}

void edgex_v2_order_free(edgex_v2_order *order) {
    edgex_text_free(&order->body);
    edgex_text_free(&order->rendered_params);
}

void edgex_v2_order_hash(uint8_t base_hash[32], uint8_t struct_hash[32], uint8_t digest[32],
                         const edgex_v2_order_message *m, const uint8_t domain_separator[32]) {
    uint8_t base[5][32], order[10][32];
    memcpy(base[0], edgex_eip712_type_hash(EDGEX_EIP712_ORDER_BASE), 32);
    edgex_eip712_word_u64(base[1], m->nonce);
    edgex_eip712_word_address(base[2], m->signer);
    edgex_eip712_word_u64(base[3], m->account_id);
    edgex_eip712_word_u64(base[4], m->expiration_timestamp);
    edgex_keccak256(base, sizeof base, base_hash);

    memcpy(order[0], edgex_eip712_type_hash(EDGEX_EIP712_LIMIT_ORDER), 32);
    memcpy(order[1], base_hash, 32);
    edgex_eip712_word_u64(order[2], m->amount_synthetic);     /* int256, never negative here */
    edgex_eip712_word_u64(order[3], m->amount_collateral);
    edgex_eip712_word_u64(order[4], m->amount_fee);
    edgex_eip712_word_u64(order[5], m->asset_id_synthetic);
    edgex_eip712_word_u64(order[6], m->asset_id_collateral);
    edgex_eip712_word_u64(order[7], m->is_buying_synthetic ? 1 : 0);
    memset(order[8], 0, 32);                                    /* parentOrderHash */
    edgex_eip712_word_u64(order[9], 0);                         /* subOrderIndex */
    edgex_keccak256(order, sizeof order, struct_hash);
    edgex_eip712_digest(digest, domain_separator, struct_hash);
}

/* The fee rate of the cap: max(taker, maker) of the contract (SDK defaults when missing),
 * raised to the account's own rate when one is given. */
static int fee_rate(rt_decimal *out, const edgex_v2_order_input *in, edgex_error *err) {
    rt_decimal taker, maker, account;
    int rc = edgex_parse_decimal(&taker, in->market->taker_fee_rate ? in->market->taker_fee_rate : "0.001",
                                 "taker fee rate", 0, err);
    if (rc) return rc;
    maker = taker;
    if (in->market->maker_fee_rate && (rc = edgex_parse_decimal(&maker, in->market->maker_fee_rate, "maker fee rate", 0, err)))
        return rc;
    *out = rt_decimal_cmp(&maker, &taker) > 0 ? maker : taker;
    if (in->account_fee_rate) {
        rc = edgex_parse_decimal(&account, in->account_fee_rate, "account fee rate", 0, err);
        if (rc) return rc;
        if (rt_decimal_cmp(&account, out) > 0) *out = account;
    }
    return EDGEX_OK;
}

int edgex_v2_order_prepare(edgex_v2_order *out, const edgex_v2_order_input *in, const uint8_t signer[20],
                           edgex_error *err) {
    const edgex_v2_market *mk = in->market;
    if (!mk) return edgex_fail(err, EDGEX_E_INPUT, "market is missing");
    if (!in->domain_separator) return edgex_fail(err, EDGEX_E_INPUT, "EIP-712 domain separator is missing");
    edgex_v2_order_message *m = &out->message;
    int64_t rs, rc_res;
    int rc = edgex_parse_id(&m->asset_id_synthetic, mk->contract_id, "contract_id", err);
    if (!rc) rc = edgex_parse_id(&m->asset_id_collateral, mk->quote_coin_id, "quote_coin_id", err);
    if (!rc) rc = edgex_parse_id(&m->account_id, in->account_id, "account_id", err);
    if (!rc) rc = edgex_parse_resolution(&rs, mk->synthetic_resolution, "contract resolution", err);
    if (!rc) rc = edgex_parse_resolution(&rc_res, mk->collateral_resolution, "quote coin resolution", err);
    if (!rc && in->side != EDGEX_BUY && in->side != EDGEX_SELL) rc = edgex_fail(err, EDGEX_E_INPUT, "side must be BUY or SELL");
    if (!rc && in->kind != EDGEX_LIMIT && in->kind != EDGEX_MARKET)
        rc = edgex_fail(err, EDGEX_E_INPUT, "type must be LIMIT or MARKET");
    if (!rc) rc = edgex_check_client_order_id(in->client_order_id, err);
    if (!rc) rc = edgex_time_in_force(&out->time_in_force, in->time_in_force, in->kind, err);
    if (rc) return rc;

    rt_decimal price, size, value, rate, fee;
    rc = edgex_l2_price_bounded(&price, in->kind, in->side, in->price, in->oracle_price, in->worst_price, mk->tick_size, err);
    if (!rc) rc = edgex_parse_decimal(&size, in->size, "size", 1, err);
    if (!rc) rc = fee_rate(&rate, in, err);
    if (!rc) rc = edgex_scaled_amount(&m->amount_synthetic, &out->amount_synthetic_exact, &size, rs,
                                      in->value_rule == EDGEX_VALUE_TRUNCATE, "size", err);
    if (!rc) rc = edgex_l2_value(&value, &m->amount_collateral, &out->amount_collateral_exact, &price, &size, rc_res,
                                 in->side, in->value_rule, err);
    if (!rc) rc = edgex_l2_limit_fee(&fee, &value, &rate, EDGEX_FEE_CEIL_INTEGER, rc_res, err);
    if (!rc) rc = edgex_scaled_amount(&m->amount_fee, NULL, &fee, rc_res, 0, "l2LimitFee", err);
    if (rc) return rc;

    if (in->expire_time_ms) {
        out->expire_time_ms = in->expire_time_ms;
        out->l2_expire_time_ms = in->expire_time_ms + 8 * EDGEX_MS_PER_DAY;
    } else {
        if (in->now_ms <= 0) return edgex_fail(err, EDGEX_E_INPUT, "now_ms must be positive milliseconds");
        out->l2_expire_time_ms = in->now_ms + 30 * EDGEX_MS_PER_DAY;
        out->expire_time_ms = out->l2_expire_time_ms - 8 * EDGEX_MS_PER_DAY;
    }
    if (out->expire_time_ms <= 0) return edgex_fail(err, EDGEX_E_INPUT, "expire_time must be positive milliseconds");
    m->expiration_timestamp = (uint64_t)(out->expire_time_ms / 1000);

    edgex_format_decimal(&price, out->l2_price);
    edgex_format_decimal(&value, out->l2_value);
    edgex_format_decimal(&fee, out->l2_limit_fee);
    edgex_format_decimal(&rate, out->fee_rate_used);
    size_t size_len = strlen(in->size);
    if (size_len >= sizeof out->l2_size) return edgex_fail(err, EDGEX_E_INPUT, "size text is too long");
    memcpy(out->l2_size, in->size, size_len + 1);

    rc = edgex_l2_nonce(&m->nonce, in->client_order_id, out->client_order_id_sha256, err);
    if (rc) return rc;
    memcpy(m->signer, signer, 20);
    edgex_eth_address_checksum(signer, out->signer_address);
    m->is_buying_synthetic = in->side == EDGEX_BUY;
    edgex_v2_order_hash(out->order_base_hash, out->struct_hash, out->digest, m, in->domain_separator);
    return EDGEX_OK;
}

int edgex_v2_order_sign(edgex_v2_order *out, const edgex_v2_order_input *in, const edgex_eth_key *key,
                        edgex_error *err) {
    int rc = edgex_v2_order_prepare(out, in, key->address, err);
    if (rc) return rc;
    rc = edgex_eth_sign_digest(&out->signature, key->private_key, out->digest, err);
    if (rc) return rc;
    edgex_eth_signature_hex(&out->signature, out->signature_hex);

    char expire[21], l2_expire[21], nonce[21];
    edgex_format_u64((uint64_t)out->expire_time_ms, expire);
    edgex_format_u64((uint64_t)out->l2_expire_time_ms, l2_expire);
    edgex_format_u64(out->message.nonce, nonce);
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
