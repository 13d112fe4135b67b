/* The Pacifica signed operations: their type strings, endpoints, WebSocket and batch names,
 * request-body shape, and the exact payload fields each one may carry.
 *
 * The venue verifies a signature over the payload it rebuilds from the body, so an unknown
 * field, a float, a mis-typed id or a missing required field means a rejected (or worse,
 * differently interpreted) request. Every payload is therefore checked against its
 * operation's field list before it is signed, and errors name the operation and field. */
#ifndef HEDGE_EXCHANGES_PACIFICA_OPERATIONS_H
#define HEDGE_EXCHANGES_PACIFICA_OPERATIONS_H

#include <jansson.h>
#include <stddef.h>

typedef enum pacifica_body_style {
    /* account, agent_wallet (only when an agent key signs), signature, timestamp,
     * expiry_window, then the payload fields at top level. */
    PACIFICA_BODY_STANDARD,
    /* Account administration as the official SDK sends it: "agent_wallet": null in the header
     * (replaced by the payload's agent_wallet when it has one). Main key only. */
    PACIFICA_BODY_ADMIN,
    /* bind_agent_wallet: agent_wallet is the signed payload and appears once. Main key only. */
    PACIFICA_BODY_BIND_AGENT,
    /* subaccount_initiate: only the signature is used, inside subaccount_confirm's body. */
    PACIFICA_BODY_NONE,
    /* subaccount_confirm: main_account, subaccount, main_signature, sub_signature,
     * timestamp, expiry_window (see pacifica_subaccount_create). Main key only. */
    PACIFICA_BODY_SUBACCOUNT
} pacifica_body_style;

typedef enum pacifica_field_kind {
    PACIFICA_FIELD_SYMBOL,            /* market symbol as listed by /info: "BTC", "kBONK", "SOL-USDC" */
    PACIFICA_FIELD_DECIMAL_POSITIVE,  /* plain decimal string > 0: "0.1", "100000" */
    PACIFICA_FIELD_DECIMAL_NON_NEGATIVE,
    PACIFICA_FIELD_SIDE,              /* "bid" | "ask" */
    PACIFICA_FIELD_TIME_IN_FORCE,     /* "GTC" | "IOC" | "ALO" | "TOB" */
    PACIFICA_FIELD_TRIGGER_PRICE_TYPE,/* "mark_price" | "last_trade_price" | "mid_price" */
    PACIFICA_FIELD_UUID,              /* lower-case 8-4-4-4-12 */
    PACIFICA_FIELD_BOOLEAN,
    PACIFICA_FIELD_ORDER_ID,          /* JSON integer >= 0 */
    PACIFICA_FIELD_POSITIVE_INTEGER,  /* JSON integer >= 1 (leverage, durations) */
    PACIFICA_FIELD_ADDRESS,           /* base58 of 32 bytes */
    PACIFICA_FIELD_SIGNATURE,         /* base58 of 64 bytes */
    PACIFICA_FIELD_TEXT,              /* printable ASCII, 1..128 characters (API keys, IPs, codes) */
    PACIFICA_FIELD_OBJECT             /* nested object with its own field list */
} pacifica_field_kind;

enum {
    PACIFICA_FIELD_REQUIRED = 1u << 0,
    /* Fields sharing a group number: exactly one of them must be present. */
    PACIFICA_FIELD_GROUP_SHIFT = 4
};
#define PACIFICA_FIELD_GROUP(n) ((unsigned)(n) << PACIFICA_FIELD_GROUP_SHIFT)

typedef struct pacifica_field {
    const char *name;                     /* NULL ends a list */
    pacifica_field_kind kind;
    unsigned flags;
    const struct pacifica_field *members; /* PACIFICA_FIELD_OBJECT only */
} pacifica_field;

typedef struct pacifica_operation {
    const char *type;          /* the signed "type": "create_order" */
    const char *path;          /* REST endpoint (POST) */
    const char *ws_key;        /* key under WebSocket "params", NULL when not offered */
    const char *batch_action;  /* action type inside /orders/batch, NULL when not allowed */
    pacifica_body_style body_style;
    const pacifica_field *fields;
    /* Rules across fields (e.g. symbol only when all_symbols is false); may be NULL. */
    int (*check)(const json_t *payload, char *err, size_t errcap);
} pacifica_operation;

/* NULL when type is not a known operation. */
const pacifica_operation *pacifica_operation_find(const char *type);
/* The operation behind a batch action type ("Create" -> create_order), or NULL. */
const pacifica_operation *pacifica_operation_find_batch_action(const char *batch_action);
/* All operations, for listing; *count receives the number. */
const pacifica_operation *pacifica_operation_list(size_t *count);

/* Checks payload against the operation's fields. Returns 0, or -1 with err such as
 * "create_order: amount must be a plain decimal string such as \"0.1\" (found a number)". */
int pacifica_operation_validate(const pacifica_operation *operation, const json_t *payload, char *err,
                                size_t errcap);

/* Text checks shared with the bindings. Each returns 1 when the text has the form. */
int pacifica_is_plain_decimal(const char *text, size_t length, int allow_zero);
int pacifica_is_uuid(const char *text, size_t length);

#endif
