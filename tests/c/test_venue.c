/* exchanges/venue.h: the names are exactly DESIGN §5's, every name maps back to its value,
 * anything else is refused, and error messages are cleaned to one printable line. */
#include <string.h>

#include "exchanges/venue.h"
#include "tests/c/tap.h"

static void test_error_kinds(void) {
    static const char *const design[] = {"network", "timeout", "rate_limited", "unavailable", "auth",
                                         "insufficient_funds", "invalid_order", "order_not_found", "bad_symbol",
                                         "not_supported", "bad_response", "cancelled"};
    is_int(VENUE_ERROR_KIND_COUNT - 1, (long long)(sizeof design / sizeof design[0]), "twelve kinds besides NONE");
    for (size_t i = 0; i < sizeof design / sizeof design[0]; i++) {
        venue_error_kind kind = VENUE_ERROR_NONE;
        ok(venue_error_kind_from_name(design[i], &kind) == 0, "'%s' is a kind", design[i]);
        is_str(venue_error_kind_name(kind), design[i], "and its name comes back");
    }
    venue_error_kind kind = VENUE_ERROR_AUTH;
    ok(venue_error_kind_from_name("Network", &kind) != 0 && kind == VENUE_ERROR_AUTH, "names are exact (case too)");
    ok(venue_error_kind_from_name("", &kind) != 0, "the empty name is no kind");
    ok(venue_error_kind_from_name(NULL, &kind) != 0, "NULL is no kind");
    ok(venue_error_kind_name(VENUE_ERROR_KIND_COUNT) == NULL, "out of range has no name");
    is_str(venue_error_kind_name(VENUE_ERROR_NONE), "", "NONE is the empty name");
    ok(venue_error_kind_is_retryable(VENUE_ERROR_NETWORK) && venue_error_kind_is_retryable(VENUE_ERROR_TIMEOUT) &&
       venue_error_kind_is_retryable(VENUE_ERROR_RATE_LIMITED) && venue_error_kind_is_retryable(VENUE_ERROR_UNAVAILABLE),
       "transport trouble, rate limits and outages are retryable");
    ok(!venue_error_kind_is_retryable(VENUE_ERROR_AUTH) && !venue_error_kind_is_retryable(VENUE_ERROR_INVALID_ORDER) &&
       !venue_error_kind_is_retryable(VENUE_ERROR_BAD_RESPONSE) && !venue_error_kind_is_retryable(VENUE_ERROR_CANCELLED),
       "what the venue decided is not");
}

static void test_order_vocabulary(void) {
    is_str(venue_order_outcome_name(VENUE_OUTCOME_REJECTED), "rejected", "outcome rejected");
    is_str(venue_order_outcome_name(VENUE_OUTCOME_UNKNOWN), "unknown", "outcome unknown");
    is_str(venue_order_outcome_name(VENUE_OUTCOME_NONE), "", "no outcome");
    venue_side side;
    ok(venue_side_from_name("buy", &side) == 0 && side == VENUE_SIDE_BUY, "buy");
    ok(venue_side_from_name("sell", &side) == 0 && side == VENUE_SIDE_SELL, "sell");
    ok(venue_side_from_name("bid", &side) != 0, "venue words are not unified sides");
    ok(venue_side_from_name(NULL, &side) != 0, "NULL is no side");
    is_str(venue_side_name(VENUE_SIDE_SELL), "sell", "side name");
    ok(venue_side_name(VENUE_SIDE_NONE) == NULL, "NONE has no side name");
    venue_order_type type;
    ok(venue_order_type_from_name("market", &type) == 0 && type == VENUE_ORDER_MARKET, "market");
    ok(venue_order_type_from_name("limit", &type) == 0 && type == VENUE_ORDER_LIMIT, "limit");
    ok(venue_order_type_from_name("stop", &type) != 0, "stop is not a unified order type");
    is_str(venue_order_type_name(VENUE_ORDER_LIMIT), "limit", "order type name");
    venue_time_in_force tif;
    ok(venue_time_in_force_from_name("gtc", &tif) == 0 && tif == VENUE_TIF_GTC, "gtc");
    ok(venue_time_in_force_from_name("ioc", &tif) == 0 && tif == VENUE_TIF_IOC, "ioc");
    ok(venue_time_in_force_from_name("post_only", &tif) == 0 && tif == VENUE_TIF_POST_ONLY, "post_only");
    ok(venue_time_in_force_from_name("ALO", &tif) != 0, "venue words are not unified time-in-force");
    is_str(venue_time_in_force_name(VENUE_TIF_POST_ONLY), "post_only", "time-in-force name");
    ok(venue_time_in_force_name((venue_time_in_force)9) == NULL, "out of range has no name");
}

static void test_error_set(void) {
    venue_error e;
    memset(&e, 0x5a, sizeof e);
    venue_error_set(&e, VENUE_ERROR_RATE_LIMITED, 429, "slow\r\ndown\x7f  ", 12);
    is_str(e.message, "slow  down", "control bytes become spaces, trailing spaces go");
    ok(e.kind == VENUE_ERROR_RATE_LIMITED && e.http_status == 429 && e.retryable, "kind, status, retryable");
    char long_text[2000];
    memset(long_text, 'x', sizeof long_text);
    venue_error_set(&e, VENUE_ERROR_BAD_RESPONSE, 200, long_text, sizeof long_text);
    is_int((long long)strlen(e.message), VENUE_ERROR_MESSAGE_CAP - 1, "a long text is cut to fit");
    venue_error_set(&e, VENUE_ERROR_NETWORK, 0, NULL, 5);
    is_str(e.message, "no readable message", "no text still gives a message");
    venue_error_set(&e, VENUE_ERROR_UNAVAILABLE, 503, "\0\0\r\n \b", 6);
    is_str(e.message, "HTTP 503 with no readable message", "a text of control bytes and spaces names the status");
}

int main(void) {
    test_error_kinds();
    test_order_vocabulary();
    test_error_set();
    return done_testing();
}
