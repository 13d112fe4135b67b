/* The venue-neutral vocabulary every venue folder speaks (DESIGN §5): error kinds, the outcome
 * of an order call that failed, sides, order types and time-in-force.
 *
 * Venue parsers classify their own error bodies into a venue_error; the Lua facade
 * (bindings/lua/venues/base.lua) turns it into the error table strategies see. The names
 * returned by the *_name functions are exactly the strings of DESIGN §5 and of the Lua API, so
 * the C and Lua sides can never drift apart. */
#ifndef HEDGE_EXCHANGES_VENUE_H
#define HEDGE_EXCHANGES_VENUE_H

#include <stddef.h>
#include <stdint.h>

typedef enum venue_error_kind {
    VENUE_ERROR_NONE = 0,
    VENUE_ERROR_NETWORK,            /* connection failed or dropped */
    VENUE_ERROR_TIMEOUT,            /* no answer in time */
    VENUE_ERROR_RATE_LIMITED,       /* 429 or the venue's rate-limit text */
    VENUE_ERROR_UNAVAILABLE,        /* 5xx, maintenance */
    VENUE_ERROR_AUTH,               /* bad signature, expired message, unbound agent key */
    VENUE_ERROR_INSUFFICIENT_FUNDS,
    VENUE_ERROR_INVALID_ORDER,      /* the venue refused the order's parameters */
    VENUE_ERROR_ORDER_NOT_FOUND,
    VENUE_ERROR_BAD_SYMBOL,
    VENUE_ERROR_NOT_SUPPORTED,
    VENUE_ERROR_BAD_RESPONSE,       /* an answer we cannot read */
    VENUE_ERROR_CANCELLED,          /* our own task was cancelled */
    VENUE_ERROR_KIND_COUNT
} venue_error_kind;

/* What a failed order call means for the order (DESIGN §5). */
typedef enum venue_order_outcome {
    VENUE_OUTCOME_NONE = 0,   /* not an order call */
    VENUE_OUTCOME_REJECTED,   /* the venue certainly did not take it */
    VENUE_OUTCOME_UNKNOWN     /* it may have been accepted: reconcile by client id first */
} venue_order_outcome;

typedef enum venue_side { VENUE_SIDE_NONE = 0, VENUE_SIDE_BUY, VENUE_SIDE_SELL } venue_side;

typedef enum venue_order_type { VENUE_ORDER_NONE = 0, VENUE_ORDER_MARKET, VENUE_ORDER_LIMIT } venue_order_type;

typedef enum venue_time_in_force {
    VENUE_TIF_NONE = 0,
    VENUE_TIF_GTC,        /* rests until cancelled */
    VENUE_TIF_IOC,        /* fills what it can at once, the rest is cancelled */
    VENUE_TIF_POST_ONLY   /* refused (or cancelled) instead of taking liquidity */
} venue_time_in_force;

/* An integer member of a payload that may be absent or null (present = 0). Each venue's
 * parse.h names it for its own structs (pacifica_optional_int, ...). */
typedef struct venue_optional_int {
    int64_t value;
    int present;
} venue_optional_int;

#define VENUE_ERROR_MESSAGE_CAP 512

/* A classified error answer. */
typedef struct venue_error {
    venue_error_kind kind;
    int http_status;                        /* 0 when there was no HTTP answer */
    int has_code;
    int64_t code;                           /* the venue's own error code, when it sent one */
    char message[VENUE_ERROR_MESSAGE_CAP];  /* the venue's words, printable, one line */
    int retryable;                          /* a later identical call may succeed */
} venue_error;

/* "network", "timeout", ... ("" for VENUE_ERROR_NONE, NULL when out of range). */
const char *venue_error_kind_name(venue_error_kind kind);
/* Returns 0 and sets *out for a DESIGN §5 name, -1 otherwise. */
int venue_error_kind_from_name(const char *name, venue_error_kind *out);
/* Transport trouble, rate limits and outages pass; everything the venue decided does not. */
int venue_error_kind_is_retryable(venue_error_kind kind);

/* "rejected" / "unknown" ("" for NONE, NULL when out of range). */
const char *venue_order_outcome_name(venue_order_outcome outcome);

/* "buy" / "sell", "market" / "limit", "gtc" / "ioc" / "post_only" (NULL for NONE or out of
 * range); the *_from_name functions return 0 and set *out, or -1 for any other text. */
const char *venue_side_name(venue_side side);
int venue_side_from_name(const char *name, venue_side *out);
const char *venue_order_type_name(venue_order_type type);
int venue_order_type_from_name(const char *name, venue_order_type *out);
const char *venue_time_in_force_name(venue_time_in_force tif);
int venue_time_in_force_from_name(const char *name, venue_time_in_force *out);

/* Fills *out with kind, status and message (copied, cut to fit, control bytes replaced by
 * spaces, trailing spaces dropped) and the retryable flag of the kind. The message is never
 * empty: a text that cleans to nothing becomes "HTTP <status> with no readable message"
 * ("no readable message" without a status). */
void venue_error_set(venue_error *out, venue_error_kind kind, int http_status, const char *message, size_t length);

#endif
