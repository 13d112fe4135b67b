/* edgeX v1 order: the StarkEx LIMIT_ORDER_WITH_FEES message, its Pedersen hash chain, the
 * Stark signature and the createOrder body (spec section 7). */
#ifndef HEDGE_EXCHANGES_EDGEX_ORDER_V1_H
#define HEDGE_EXCHANGES_EDGEX_ORDER_V1_H

#include <stdint.h>

#include "exchanges/edgex/error.h"
#include "exchanges/edgex/keys.h"
#include "exchanges/edgex/quantities.h"
#include "exchanges/edgex/stark_ecdsa.h"
#include "exchanges/edgex/text.h"
#include "exchanges/edgex/u256.h"

/* ---- the message ------------------------------------------------------------------------ */

typedef struct edgex_v1_order_fields {
    edgex_u256 asset_id_sell, asset_id_buy, asset_id_fee;
    uint64_t amount_sell, amount_buy, amount_fee;
    uint32_t nonce;
    uint64_t position_id;
    uint32_t expiration_hours;
} edgex_v1_order_fields;

typedef struct edgex_v1_order_hashes {
    edgex_u256 packed_message0, packed_message1;
    edgex_u256 hash1, hash2, hash3, msg_hash;
} edgex_v1_order_hashes;

/* Remembers H(H(sell, buy), fee) for recently used asset triples: it depends only on the
 * market and side, and saves two of the four Pedersen hashes of an order. One cache per
 * signer; not shared between threads. */
#define EDGEX_V1_ASSET_CACHE_SLOTS 16
typedef struct edgex_v1_asset_cache {
    struct {
        edgex_u256 sell, buy, fee, hash1, hash2;
        int used;
    } slot[EDGEX_V1_ASSET_CACHE_SLOTS];
    unsigned next;
} edgex_v1_asset_cache;

void edgex_v1_asset_cache_init(edgex_v1_asset_cache *cache);

/* Packs the fields and runs the hash chain (cache may be NULL). */
int edgex_v1_order_message_hash(edgex_v1_order_hashes *out, const edgex_v1_order_fields *fields,
                                edgex_v1_asset_cache *cache, edgex_error *err);

/* ---- the whole order ---------------------------------------------------------------------- */

typedef struct edgex_v1_market {
    const char *contract_id;             /* "10000001" */
    const char *synthetic_asset_id;      /* contract starkExSyntheticAssetId (hex) */
    const char *synthetic_resolution;    /* contract starkExResolution (hex or decimal) */
    const char *collateral_asset_id;     /* collateral coin starkExAssetId (hex), also the fee asset */
    const char *collateral_resolution;   /* collateral coin starkExResolution */
    const char *tick_size;               /* MARKET orders' worst price */
} edgex_v1_market;

typedef enum edgex_v1_expiry_rule {
    EDGEX_V1_EXPIRY_GO_SDK = 0,   /* l2ExpireTime = now + 14 d, expireTime = l2ExpireTime - 10 d */
    EDGEX_V1_EXPIRY_PY_SDK_04,    /* expireTime = now + 1 d, l2ExpireTime = expireTime + 9 d */
    EDGEX_V1_EXPIRY_EXPLICIT      /* both given by the caller (l2ExpireTime >= expireTime + 8 d) */
} edgex_v1_expiry_rule;

typedef struct edgex_v1_order_input {
    const edgex_v1_market *market;
    const char *account_id;              /* also the StarkEx position id */
    edgex_side side;
    edgex_order_kind kind;
    const char *time_in_force;           /* NULL: SDK default */
    int reduce_only;
    const char *price;                   /* LIMIT */
    const char *oracle_price;            /* MARKET BUY */
    const char *worst_price;             /* MARKET: signed worst price (NULL: oracle x 10 for BUY, tick for SELL) */
    const char *size;
    const char *client_order_id;
    const char *fee_rate;                /* recommended: max(account taker rate, contract default taker rate) */
    edgex_fee_rounding fee_rounding;
    edgex_value_rule value_rule;         /* recommended: EDGEX_VALUE_ROUND_BY_SIDE */
    int64_t now_ms;
    edgex_v1_expiry_rule expiry_rule;
    int64_t expire_time_ms, l2_expire_time_ms;   /* EXPLICIT only */
} edgex_v1_order_input;

typedef struct edgex_v1_order {
    char l2_price[RT_DECIMAL_TEXT_MAX], l2_value[RT_DECIMAL_TEXT_MAX], l2_size[RT_DECIMAL_TEXT_MAX],
        l2_limit_fee[RT_DECIMAL_TEXT_MAX];
    const char *time_in_force;           /* the value sent (the SDK default when none was given) */
    int value_exact;                     /* price x size needed no rounding */
    uint64_t amount_synthetic, amount_collateral, amount_fee;
    uint8_t client_order_id_sha256[32];
    int64_t expire_time_ms, l2_expire_time_ms;
    edgex_v1_order_fields fields;
    edgex_v1_order_hashes hashes;
    edgex_stark_signature signature;
    char signature_hex[129];             /* l2Signature */
    edgex_text body;                     /* createOrder JSON body */
    edgex_text rendered_params;          /* the body as the request signature renders it */
} edgex_v1_order;

void edgex_v1_order_init(edgex_v1_order *order);
void edgex_v1_order_free(edgex_v1_order *order);

/* Computes every quantity, hashes, signs with key and writes the body. cache may be NULL. */
int edgex_v1_order_sign(edgex_v1_order *out, const edgex_v1_order_input *in, const edgex_stark_key *key,
                        edgex_v1_asset_cache *cache, edgex_error *err);

/* The quantities and the message hash only (no key): what order-ka vectors verify. */
int edgex_v1_order_prepare(edgex_v1_order *out, const edgex_v1_order_input *in, edgex_v1_asset_cache *cache,
                           edgex_error *err);

#endif
