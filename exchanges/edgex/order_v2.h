/* edgeX v2 order (spec V.6-V.8.1): quantities, the EIP-712 LimitOrderParams message and
 * digest, the secp256k1 signature (r || s || v) and the createOrder body. */
#ifndef HEDGE_EXCHANGES_EDGEX_ORDER_V2_H
#define HEDGE_EXCHANGES_EDGEX_ORDER_V2_H

#include <stdint.h>

#include "exchanges/edgex/error.h"
#include "exchanges/edgex/eth_sign.h"
#include "exchanges/edgex/keys.h"
#include "exchanges/edgex/quantities.h"
#include "exchanges/edgex/text.h"

typedef struct edgex_v2_market {
    const char *contract_id;             /* assetIdSynthetic, e.g. "30000001" */
    const char *quote_coin_id;           /* assetIdCollateral, e.g. "1000" */
    const char *synthetic_resolution;    /* contract resolution: decimal or 0x hex (the multiplier) */
    const char *collateral_resolution;   /* quote coin resolution */
    const char *tick_size;               /* MARKET orders' worst price */
    const char *taker_fee_rate;          /* defaultTakerFeeRate; NULL -> 0.001 (SDK default) */
    const char *maker_fee_rate;          /* defaultMakerFeeRate; NULL -> the taker rate */
} edgex_v2_market;

typedef struct edgex_v2_order_input {
    const edgex_v2_market *market;
    const uint8_t *domain_separator;     /* 32 bytes (eip712.h) */
    const char *account_id;
    edgex_side side;
    edgex_order_kind kind;
    const char *time_in_force;           /* NULL: SDK default */
    int reduce_only;
    const char *price;                   /* LIMIT */
    const char *oracle_price;            /* MARKET BUY */
    const char *worst_price;             /* MARKET: signed worst price (NULL: oracle x 10 for BUY, tick for SELL) */
    const char *size;
    const char *client_order_id;
    const char *account_fee_rate;        /* optional: the cap uses the largest rate */
    int64_t now_ms;
    int64_t expire_time_ms;              /* 0: l2ExpireTime = now + 30 d, expireTime = l2ExpireTime - 8 d */
    edgex_value_rule value_rule;         /* recommended: EDGEX_VALUE_EXACT */
} edgex_v2_order_input;

/* The signed message. */
typedef struct edgex_v2_order_message {
    uint32_t nonce;
    uint8_t signer[20];
    uint64_t account_id;
    uint64_t expiration_timestamp;       /* seconds */
    uint64_t amount_synthetic, amount_collateral, amount_fee;
    uint64_t asset_id_synthetic, asset_id_collateral;
    int is_buying_synthetic;
} edgex_v2_order_message;

typedef struct edgex_v2_order {
    char l2_price[RT_DECIMAL_TEXT_MAX], l2_value[RT_DECIMAL_TEXT_MAX], l2_size[RT_DECIMAL_TEXT_MAX],
        l2_limit_fee[RT_DECIMAL_TEXT_MAX], fee_rate_used[RT_DECIMAL_TEXT_MAX];
    const char *time_in_force;
    int amount_synthetic_exact, amount_collateral_exact;
    uint8_t client_order_id_sha256[32];
    int64_t expire_time_ms, l2_expire_time_ms;
    edgex_v2_order_message message;
    uint8_t order_base_hash[32], struct_hash[32], digest[32];
    edgex_eth_signature signature;
    char signature_hex[131];             /* l2Signature (no 0x) */
    char signer_address[43];             /* EIP-55 */
    edgex_text body;
    edgex_text rendered_params;
} edgex_v2_order;

void edgex_v2_order_init(edgex_v2_order *order);
void edgex_v2_order_free(edgex_v2_order *order);

/* hashStruct(OrderBase), hashStruct(LimitOrderParams) and the digest of a message. */
void edgex_v2_order_hash(uint8_t base_hash[32], uint8_t struct_hash[32], uint8_t digest[32],
                         const edgex_v2_order_message *message, const uint8_t domain_separator[32]);

/* Quantities, message and digest for a signer address (no key needed). */
int edgex_v2_order_prepare(edgex_v2_order *out, const edgex_v2_order_input *in, const uint8_t signer[20],
                           edgex_error *err);
/* prepare + signature + body. */
int edgex_v2_order_sign(edgex_v2_order *out, const edgex_v2_order_input *in, const edgex_eth_key *key,
                        edgex_error *err);

#endif
