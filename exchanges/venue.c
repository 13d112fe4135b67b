/* Names of the venue-neutral vocabulary (see venue.h). */
#include "exchanges/venue.h"

#include <stdio.h>
#include <string.h>

static const char *const error_kind_names[VENUE_ERROR_KIND_COUNT] = {
    [VENUE_ERROR_NONE] = "",
    [VENUE_ERROR_NETWORK] = "network",
    [VENUE_ERROR_TIMEOUT] = "timeout",
    [VENUE_ERROR_RATE_LIMITED] = "rate_limited",
    [VENUE_ERROR_UNAVAILABLE] = "unavailable",
    [VENUE_ERROR_AUTH] = "auth",
    [VENUE_ERROR_INSUFFICIENT_FUNDS] = "insufficient_funds",
    [VENUE_ERROR_INVALID_ORDER] = "invalid_order",
    [VENUE_ERROR_ORDER_NOT_FOUND] = "order_not_found",
    [VENUE_ERROR_BAD_SYMBOL] = "bad_symbol",
    [VENUE_ERROR_NOT_SUPPORTED] = "not_supported",
    [VENUE_ERROR_BAD_RESPONSE] = "bad_response",
    [VENUE_ERROR_CANCELLED] = "cancelled",
};

const char *venue_error_kind_name(venue_error_kind kind) {
    if ((int)kind < 0 || kind >= VENUE_ERROR_KIND_COUNT) return NULL;
    return error_kind_names[kind];
}

int venue_error_kind_from_name(const char *name, venue_error_kind *out) {
    if (!name || !name[0]) return -1;
    for (int k = VENUE_ERROR_NONE + 1; k < VENUE_ERROR_KIND_COUNT; k++) {
        if (strcmp(error_kind_names[k], name) == 0) {
            *out = (venue_error_kind)k;
            return 0;
        }
    }
    return -1;
}

int venue_error_kind_is_retryable(venue_error_kind kind) {
    return kind == VENUE_ERROR_NETWORK || kind == VENUE_ERROR_TIMEOUT || kind == VENUE_ERROR_RATE_LIMITED ||
           kind == VENUE_ERROR_UNAVAILABLE;
}

const char *venue_order_outcome_name(venue_order_outcome outcome) {
    switch (outcome) {
    case VENUE_OUTCOME_NONE: return "";
    case VENUE_OUTCOME_REJECTED: return "rejected";
    case VENUE_OUTCOME_UNKNOWN: return "unknown";
    }
    return NULL;
}

/* Looks name up in names[1..count-1] (index 0 is the NONE value, which has no name). */
static int index_of(const char *const *names, int count, const char *name) {
    if (!name) return -1;
    for (int i = 1; i < count; i++)
        if (strcmp(names[i], name) == 0) return i;
    return -1;
}

static const char *const side_names[] = {NULL, "buy", "sell"};
static const char *const order_type_names[] = {NULL, "market", "limit"};
static const char *const tif_names[] = {NULL, "gtc", "ioc", "post_only"};
#define COUNT_OF(a) ((int)(sizeof(a) / sizeof((a)[0])))

const char *venue_side_name(venue_side side) {
    return (int)side > 0 && (int)side < COUNT_OF(side_names) ? side_names[side] : NULL;
}

int venue_side_from_name(const char *name, venue_side *out) {
    int i = index_of(side_names, COUNT_OF(side_names), name);
    if (i < 0) return -1;
    *out = (venue_side)i;
    return 0;
}

const char *venue_order_type_name(venue_order_type type) {
    return (int)type > 0 && (int)type < COUNT_OF(order_type_names) ? order_type_names[type] : NULL;
}

int venue_order_type_from_name(const char *name, venue_order_type *out) {
    int i = index_of(order_type_names, COUNT_OF(order_type_names), name);
    if (i < 0) return -1;
    *out = (venue_order_type)i;
    return 0;
}

const char *venue_time_in_force_name(venue_time_in_force tif) {
    return (int)tif > 0 && (int)tif < COUNT_OF(tif_names) ? tif_names[tif] : NULL;
}

int venue_time_in_force_from_name(const char *name, venue_time_in_force *out) {
    int i = index_of(tif_names, COUNT_OF(tif_names), name);
    if (i < 0) return -1;
    *out = (venue_time_in_force)i;
    return 0;
}

void venue_error_set(venue_error *out, venue_error_kind kind, int http_status, const char *message, size_t length) {
    out->kind = kind;
    out->http_status = http_status;
    out->retryable = venue_error_kind_is_retryable(kind);
    size_t n = 0;
    /* Venue texts end up in logs and exceptions: keep them on one printable line. */
    for (size_t i = 0; message && i < length && n + 1 < sizeof out->message; i++) {
        unsigned char c = (unsigned char)message[i];
        out->message[n++] = (c >= 0x20 && c != 0x7F) ? (char)c : ' ';
    }
    while (n && out->message[n - 1] == ' ') n--;
    out->message[n] = '\0';
    /* A blank or control-only text (a gateway's "\r\n", a message of spaces) must still say
     * something: an empty message reads as "no error" in a log line or an alert. */
    if (n == 0) {
        if (http_status > 0) snprintf(out->message, sizeof out->message, "HTTP %d with no readable message", http_status);
        else snprintf(out->message, sizeof out->message, "no readable message");
    }
}
