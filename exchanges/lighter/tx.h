/* Lighter L2 transactions (lighter.md §6): one struct in, hash + signature + the exact
 * `tx_info` JSON string out, for CreateOrder, CancelOrder, CancelAllOrders, ModifyOrder,
 * UpdateLeverage and the L2 part of ChangePubKey.
 *
 * Every numeric field is an int64_t, whatever its width on the wire, so that an out-of-range
 * value (a negative size, a market index of 70000) is reported by name instead of being
 * silently truncated. Validation follows the official signer's rules (lighter-go
 * txtypes Validate methods) plus the attribute rules of lighter.md §6.4.
 *
 * Usage (REST client):
 *     lighter_tx tx = {.type = LIGHTER_TX_CREATE_ORDER, .chain_id = 304, ...};
 *     tx.body.create_order = (lighter_create_order){...};
 *     lighter_signed_tx out;
 *     if (lighter_tx_sign(&tx, &key, &out, err, sizeof err) != LIGHTER_SIGN_OK) ...
 *     POST tx_type=out.type, tx_info=out.tx_info; out.hash_hex is the tx hash sendTx returns. */
#ifndef HEDGE_EXCHANGES_LIGHTER_TX_H
#define HEDGE_EXCHANGES_LIGHTER_TX_H

#include <stddef.h>
#include <stdint.h>

#include "exchanges/lighter/keys.h"
#include "exchanges/lighter/quintic.h"
#include "exchanges/lighter/scalar.h"

typedef enum lighter_tx_type {
    LIGHTER_TX_CHANGE_PUB_KEY = 8,
    LIGHTER_TX_CREATE_ORDER = 14,
    LIGHTER_TX_CANCEL_ORDER = 15,
    LIGHTER_TX_CANCEL_ALL_ORDERS = 16,
    LIGHTER_TX_MODIFY_ORDER = 17,
    LIGHTER_TX_UPDATE_LEVERAGE = 20,
} lighter_tx_type;

/* Chain ids of the Ethereum deployment (lighter.md §1); configuration, not a constant. */
#define LIGHTER_CHAIN_ID_MAINNET 304
#define LIGHTER_CHAIN_ID_TESTNET 300

/* Order fields (lighter.md §6.6). */
enum {
    LIGHTER_ORDER_LIMIT = 0, LIGHTER_ORDER_MARKET = 1, LIGHTER_ORDER_STOP_LOSS = 2, LIGHTER_ORDER_STOP_LOSS_LIMIT = 3,
    LIGHTER_ORDER_TAKE_PROFIT = 4, LIGHTER_ORDER_TAKE_PROFIT_LIMIT = 5, LIGHTER_ORDER_TWAP = 6,
};
enum { LIGHTER_TIF_IMMEDIATE_OR_CANCEL = 0, LIGHTER_TIF_GOOD_TILL_TIME = 1, LIGHTER_TIF_POST_ONLY = 2 };
enum { LIGHTER_CANCEL_ALL_NOW = 0, LIGHTER_CANCEL_ALL_SCHEDULED = 1, LIGHTER_CANCEL_ALL_ABORT = 2 };
enum { LIGHTER_MARGIN_CROSS = 0, LIGHTER_MARGIN_ISOLATED = 1 };

/* "Use the official default" markers, resolved with lighter_tx.now_ms:
 * ExpiredAt = now + 599 000 ms; CreateOrder OrderExpiry = now + 28 days. */
#define LIGHTER_DEFAULT (-1)
#define LIGHTER_DEFAULT_EXPIRED_AT_MS 599000LL
#define LIGHTER_DEFAULT_ORDER_EXPIRY_MS 2419200000LL

/* Tx attributes (lighter.md §6.4): a small map type -> value. Entries equal to their nil
 * value (255 for type 5, 0 for the others) are dropped, as the reference does. */
enum {
    LIGHTER_ATTRIBUTE_INTEGRATOR_ACCOUNT = 1, LIGHTER_ATTRIBUTE_INTEGRATOR_TAKER_FEE = 2,
    LIGHTER_ATTRIBUTE_INTEGRATOR_MAKER_FEE = 3, LIGHTER_ATTRIBUTE_SKIP_NONCE = 4,
    LIGHTER_ATTRIBUTE_CANCEL_ALL_MARKET = 5, LIGHTER_ATTRIBUTE_SELF_TRADE_BEHAVIOUR = 6,
    LIGHTER_ATTRIBUTE_SELF_TRADE_EQUALITY = 7,
};
#define LIGHTER_TX_MAX_ATTRIBUTES 4

typedef struct lighter_tx_attribute {
    int64_t type;
    int64_t value;
} lighter_tx_attribute;

typedef struct lighter_tx_attributes {
    size_t count;   /* 0 = no attributes ("L2TxAttributes":null) */
    lighter_tx_attribute entries[LIGHTER_TX_MAX_ATTRIBUTES];
} lighter_tx_attributes;

typedef struct lighter_create_order {
    int64_t market_index;        /* perps 0..254, spot 2048..4094 */
    int64_t client_order_index;  /* 0 (none) or 1..2^48-1 */
    int64_t base_amount;         /* 1..2^48-1 (0 only with reduce_only) */
    int64_t price;               /* 1..2^32-1 */
    int64_t is_ask;              /* 0 buy, 1 sell */
    int64_t type;                /* LIGHTER_ORDER_* */
    int64_t time_in_force;       /* LIGHTER_TIF_* */
    int64_t reduce_only;         /* 0/1, 0 on spot */
    int64_t trigger_price;       /* 0 or 1..2^32-1 */
    int64_t order_expiry;        /* ms; 0 none; LIGHTER_DEFAULT = now + 28 days */
} lighter_create_order;

typedef struct lighter_cancel_order {
    int64_t market_index;
    int64_t index;               /* client order index (1..2^48-1) or order index (2^48..2^60-1) */
} lighter_cancel_order;

typedef struct lighter_cancel_all_orders {
    int64_t time_in_force;       /* LIGHTER_CANCEL_ALL_* */
    int64_t time;                /* ms; scheduled only, else 0 */
} lighter_cancel_all_orders;

typedef struct lighter_modify_order {
    int64_t market_index;
    int64_t index;
    int64_t base_amount;         /* 0..2^48-1 */
    int64_t price;               /* 1..2^32-1 */
    int64_t trigger_price;       /* 0 or 1..2^32-1 */
} lighter_modify_order;

typedef struct lighter_update_leverage {
    int64_t market_index;
    int64_t initial_margin_fraction;   /* 1..10000 (10000 = 100 %) */
    int64_t margin_mode;               /* LIGHTER_MARGIN_* */
} lighter_update_leverage;

/* The L2 part of ChangePubKey: PubKey is the public key of the signing (new) key. The L1
 * signature (Ethereum personal_sign over lighter_change_pub_key_l1_message) is only carried
 * in tx_info, it is not hashed. */
#define LIGHTER_L1_SIGNATURE_HEX_CHARS 130
typedef struct lighter_change_pub_key {
    char l1_signature[2 + LIGHTER_L1_SIGNATURE_HEX_CHARS + 1];   /* "0x" + 130 hex + NUL */
} lighter_change_pub_key;

typedef struct lighter_tx {
    lighter_tx_type type;
    int64_t chain_id;            /* 304 mainnet, 300 testnet (any 1..2^32-1) */
    int64_t account_index;       /* 0..2^48-2 */
    int64_t api_key_index;       /* 0..254 */
    int64_t nonce;               /* >= 0 */
    int64_t expired_at;          /* ms, 0..2^48-1, or LIGHTER_DEFAULT */
    int64_t now_ms;              /* signer clock; only needed to resolve LIGHTER_DEFAULT */
    lighter_tx_attributes attributes;
    union {
        lighter_create_order create_order;
        lighter_cancel_order cancel_order;
        lighter_cancel_all_orders cancel_all_orders;
        lighter_modify_order modify_order;
        lighter_update_leverage update_leverage;
        lighter_change_pub_key change_pub_key;
    } body;
} lighter_tx;

/* Everything that goes into the signed message, for inspection and known-answer tests. */
#define LIGHTER_TX_MAX_ELEMENTS 16
typedef struct lighter_tx_digest {
    uint64_t elements[LIGHTER_TX_MAX_ELEMENTS];   /* ordered hash input (canonical) */
    size_t element_count;
    lighter_fp5 body_hash;                        /* HashToQuinticExtension(elements) */
    int has_attributes;                           /* any non-nil attribute */
    uint64_t attribute_elements[2 * LIGHTER_TX_MAX_ATTRIBUTES];
    lighter_fp5 attributes_hash;
    lighter_fp5 message;                          /* what is signed: the tx hash */
} lighter_tx_digest;

#define LIGHTER_TX_INFO_MAX 1024
typedef struct lighter_signed_tx {
    lighter_tx_type type;
    uint8_t hash[LIGHTER_FP5_BYTES];              /* the signed message, LE limbs */
    char hash_hex[2 * LIGHTER_FP5_BYTES + 1];     /* = tx_hash returned by sendTx */
    uint8_t signature[80];                        /* s ‖ e */
    char tx_info[LIGHTER_TX_INFO_MAX];            /* exact JSON for the tx_info form field */
    size_t tx_info_len;
} lighter_signed_tx;

typedef enum lighter_sign_status {
    LIGHTER_SIGN_OK = 0,
    LIGHTER_SIGN_INVALID_INPUT = -1,   /* err names the field and the allowed range */
    LIGHTER_SIGN_RANDOM_FAILED = -2,   /* libsodium could not be initialised */
} lighter_sign_status;

/* Validates tx and returns in *resolved a copy with LIGHTER_DEFAULT values replaced. */
int lighter_tx_resolve(lighter_tx *resolved, const lighter_tx *tx, char *err, size_t errcap);

/* Hash input, body hash, attribute hash and message of an already resolved tx. public_key
 * is needed for ChangePubKey only (NULL otherwise). */
int lighter_tx_digest_compute(lighter_tx_digest *out, const lighter_tx *resolved,
                              const uint8_t public_key[LIGHTER_PUBLIC_KEY_BYTES], char *err, size_t errcap);

/* Validate, resolve defaults, hash, sign with a fresh random nonce, render tx_info. */
int lighter_tx_sign(const lighter_tx *tx, const lighter_key *key, lighter_signed_tx *out, char *err, size_t errcap);
/* The same with a given nonce k (known-answer tests only: never reuse a nonce). */
int lighter_tx_sign_with_k(const lighter_tx *tx, const lighter_key *key, const lighter_scalar *k,
                           lighter_signed_tx *out, char *err, size_t errcap);

/* Renders tx_info for a resolved tx and its signature (tx_info.c). Returns the length, or 0
 * when the buffer is too small. */
size_t lighter_tx_info_render(char *out, size_t cap, const lighter_tx *resolved, const uint8_t public_key[LIGHTER_PUBLIC_KEY_BYTES],
                              const uint8_t signature[80]);

/* The text the account's Ethereum key must personal_sign to register public_key (§6.11). */
#define LIGHTER_L1_MESSAGE_MAX 320
int lighter_change_pub_key_l1_message(char *out, size_t cap, const uint8_t public_key[LIGHTER_PUBLIC_KEY_BYTES],
                                      int64_t nonce, int64_t account_index, int64_t api_key_index);

const char *lighter_tx_type_name(lighter_tx_type type);

#endif
