/* exchanges/pacifica/parse.h on bad payloads: each must be refused with an error naming the
 * member, never a crash; error bodies are classified onto exchanges/venue.h kinds; margin
 * settings in both shapes. The shared fixtures are checked by tests/run_fixtures
 * (tests/fixtures/pacifica.c). */
#include <stdlib.h>
#include <string.h>

#include "exchanges/pacifica/parse.h"
#include "tests/c/tap.h"

/* ---- bad payloads ------------------------------------------------------------------------ */

static json_t *json(const char *text) {
    json_error_t error;
    json_t *value = json_loads(text, JSON_DECODE_ANY, &error);
    if (!value) { printf("Bail out! bad test JSON %s: %s\n", text, error.text); exit(2); }
    return value;
}

static void test_bad_payloads(void) {
    char err[512];
    pacifica_position_list positions;
    json_t *v = json("[{\"symbol\":\"BTC\",\"side\":\"bid\",\"amount\":0.5}]");
    ok(pacifica_parse_positions(v, &positions, err, sizeof err) != 0 && strstr(err, "positions[0].amount: is a JSON float"),
       "a float amount is refused (%s)", err);
    json_decref(v);
    v = json("[{\"symbol\":\"BTC\",\"side\":\"up\",\"amount\":\"1\"}]");
    ok(pacifica_parse_positions(v, &positions, err, sizeof err) != 0 && strstr(err, "positions[0].side"),
       "an unknown side is refused (%s)", err);
    json_decref(v);
    v = json("[{\"side\":\"bid\",\"amount\":\"1\"}]");
    ok(pacifica_parse_positions(v, &positions, err, sizeof err) != 0 && strstr(err, "positions[0].symbol: is missing"),
       "a missing symbol is refused (%s)", err);
    json_decref(v);
    v = json("{\"symbol\":\"BTC\"}");
    ok(pacifica_parse_positions(v, &positions, err, sizeof err) != 0 && strstr(err, "is not a list"),
       "positions must be a list (%s)", err);
    json_decref(v);

    v = json("[{\"symbol\":\"BTC\",\"side\":\"bid\",\"amount\":12345}]");
    ok(pacifica_parse_positions(v, &positions, err, sizeof err) != 0 && strstr(err, "positions[0].amount: is a JSON number"),
       "a number where the venue sends decimal text is refused (%s)", err);
    json_decref(v);

    pacifica_order_list orders;
    v = json("[{\"order_id\":\"12x\",\"symbol\":\"BTC\",\"side\":\"bid\"}]");
    ok(pacifica_parse_orders(v, &orders, err, sizeof err) != 0 && strstr(err, "orders[0].order_id"),
       "a non-integer order id is refused (%s)", err);
    json_decref(v);
    v = json("[{\"order_id\":1,\"symbol\":\"BTC\",\"side\":\"bid\",\"price\":\"1e5\"}]");
    ok(pacifica_parse_orders(v, &orders, err, sizeof err) != 0 && strstr(err, "\"1e5\" is not a plain decimal"),
       "an exponent price is refused (%s)", err);
    json_decref(v);

    pacifica_book book;
    v = json("{\"s\":\"BTC\",\"l\":[[]]}");
    ok(pacifica_parse_book(v, &book, err, sizeof err) != 0 && strstr(err, "book.l: is not [bids, asks]"),
       "a one-sided book is refused (%s)", err);
    json_decref(v);
    v = json("{\"s\":\"BTC\",\"l\":[[{\"p\":\"1\"}],[]]}");
    ok(pacifica_parse_book(v, &book, err, sizeof err) != 0 && strstr(err, "book.bids[0].a: is missing"),
       "a level without size is refused (%s)", err);
    json_decref(v);
    v = json("{\"s\":\"BTC\",\"l\":[[],[]],\"t\":1}");
    ok(pacifica_parse_book(v, &book, err, sizeof err) == 0 && book.bid_count == 0 && book.ask_count == 0,
       "an empty book parses");
    pacifica_book_free(&book);
    json_decref(v);
    v = json("{\"s\":\"BTC\",\"i\":5,\"t\":9,\"b\":\"100\",\"B\":\"2\",\"a\":\"101\",\"A\":\"3\"}");
    ok(pacifica_parse_book(v, &book, err, sizeof err) == 0 && book.bid_count == 1 && !strcmp(book.asks[0].amount.text, "3"),
       "a bbo frame gives one level per side");
    pacifica_book_free(&book);
    json_decref(v);

    pacifica_account account;
    v = json("[{\"account_equity\":\"1\"},{\"account_equity\":\"2\"}]");
    ok(pacifica_parse_account(v, &account, err, sizeof err) != 0, "two accounts in a list are refused (%s)", err);
    json_decref(v);
    v = json("[{\"account_equity\":\"7.5\",\"balance\":\"7\"}]");
    ok(pacifica_parse_account(v, &account, err, sizeof err) == 0 && !strcmp(account.account_equity.text, "7.5"),
       "the older one-element array shape parses");
    json_decref(v);

    pacifica_envelope envelope;
    v = json("\"Verification failed\"");
    ok(pacifica_parse_envelope(v, &envelope, err, sizeof err) != 0, "a bare string is not an envelope (%s)", err);
    json_decref(v);
    pacifica_order_result result;
    v = json("{\"order_id\":12345}");
    ok(pacifica_parse_order_result(v, &result, err, sizeof err) == 0 && result.order_id.value == 12345,
       "the docs' bare {\"order_id\"} is read");
    pacifica_order_result_free(&result);
    json_decref(v);
    v = json("{\"success\":true,\"data\":{\"i\":77}}");
    ok(pacifica_parse_order_result(v, &result, err, sizeof err) == 0 && result.order_id.value == 77,
       "data.i is read as the order id");
    pacifica_order_result_free(&result);
    json_decref(v);

    venue_error classified;
    pacifica_parse_error_body("Verification failed", 19, 400, &classified);
    is_str(venue_error_kind_name(classified.kind), "auth", "bare 'Verification failed' is an auth error");
    is_str(classified.message, "Verification failed", "bare text kept as the message");
    pacifica_parse_error_body("{\"success\":false,\"error\":\"Order not found\",\"code\":5}", 50, 422, &classified);
    is_str(venue_error_kind_name(classified.kind), "order_not_found", "422 Order not found");
    pacifica_parse_error_body("", 0, 429, &classified);
    is_str(venue_error_kind_name(classified.kind), "rate_limited", "429 is rate_limited");
    ok(classified.retryable, "rate limits are retryable");
    pacifica_parse_error_body("<html>bad gateway</html>", 24, 502, &classified);
    is_str(venue_error_kind_name(classified.kind), "unavailable", "502 is unavailable");
    pacifica_parse_error_body("{\"error\":\"not a multiple of tick size 1\",\"code\":400}", 51, 400, &classified);
    is_str(venue_error_kind_name(classified.kind), "invalid_order", "tick violation is invalid_order");
    ok(!classified.retryable, "invalid orders are not retryable");

    pacifica_ws_message frame;
    v = json("{\"foo\":1}");
    ok(pacifica_parse_ws_message(v, &frame, err, sizeof err) != 0, "a frame without channel is refused (%s)", err);
    json_decref(v);
    v = json("{\"code\":401,\"err\":\"Invalid signature\"}");
    ok(pacifica_parse_ws_message(v, &frame, err, sizeof err) == 0 && frame.is_trading_answer,
       "an id-less WebSocket error is a trading answer");
    pacifica_ws_answer answer;
    ok(pacifica_parse_ws_answer(v, &answer, err, sizeof err) == 0 && answer.code == 401 &&
       !strcmp(answer.error, "Invalid signature") && !answer.request_id[0], "its code and text are read");
    pacifica_ws_answer_free(&answer);
    json_decref(v);
}

/* Every error answer the venue (and the simulator, which copies its shapes) gives, onto the
 * DESIGN §5 kinds. */
static void test_error_kinds(void) {
    static const struct { int status; const char *body, *kind; int retryable; } cases[] = {
        {400, "Verification failed", "auth", 0},
        {400, "Invalid signature", "auth", 0},
        {400, "Invalid public key", "auth", 0},
        {400, "Invalid message", "auth", 0},
        {401, "Unauthorized", "auth", 0},
        {403, "", "auth", 0},
        {404, "{\"success\":false,\"data\":null,\"error\":\"Account not found\",\"code\":1}", "auth", 0},
        {404, "{\"success\":false,\"data\":null,\"error\":\"Book not found: DOGE\",\"code\":2}", "bad_symbol", 0},
        {422, "{\"success\":false,\"data\":null,\"error\":\"Market not found\",\"code\":2}", "bad_symbol", 0},
        {422, "{\"success\":false,\"data\":null,\"error\":\"Insufficient balance\",\"code\":4}", "insufficient_funds", 0},
        {422, "{\"success\":false,\"data\":null,\"error\":\"Order not found\",\"code\":5}", "order_not_found", 0},
        {422, "{\"success\":false,\"data\":null,\"error\":\"No reasonable price found\",\"code\":0}", "invalid_order", 0},
        {422, "{\"success\":false,\"data\":null,\"error\":\"Cannot update margin\",\"code\":8}", "invalid_order", 0},
        {422, "{\"success\":false,\"error\":\"withdrawal too large\",\"code\":6}", "insufficient_funds", 0},
        {400, "{\"error\":\"Invalid leverage\",\"code\":400}", "invalid_order", 0},
        {400, "Failed to deserialize the JSON body into the target type: missing field `amount`", "invalid_order", 0},
        {429, "{\"success\":false,\"data\":null,\"error\":\"Rate limit exceeded\",\"code\":429}", "rate_limited", 1},
        {500, "Internal server error", "unavailable", 1},
        {503, "Service Unavailable", "unavailable", 1},
        {504, "Gateway Timeout", "unavailable", 1},
        {501, "{\"success\":false,\"error\":\"operation withdraw is not simulated\",\"code\":501}", "not_supported", 0},
        {200, "{\"success\":false,\"error\":\"Failed to cancel order\",\"code\":null}", "invalid_order", 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        venue_error e;
        pacifica_parse_error_body(cases[i].body, strlen(cases[i].body), cases[i].status, &e);
        is_str(venue_error_kind_name(e.kind), cases[i].kind, "HTTP %d %.50s -> %s", cases[i].status, cases[i].body,
               cases[i].kind);
        is_int(e.retryable, cases[i].retryable, "  retryable %d", cases[i].retryable);
        is_int(e.http_status, cases[i].status, "  status kept");
    }
    venue_error e;
    pacifica_parse_error_body("{\"error\":\"Order not found\",\"code\":5}", 36, 422, &e);
    ok(e.has_code && e.code == 5, "the business code is kept");
    pacifica_parse_error_body("line one\nline\ttwo\n", 19, 400, &e);
    is_str(e.message, "line one line two", "a bare text is kept on one printable line");
    pacifica_parse_error_body("", 0, 503, &e);
    is_str(e.message, "HTTP 503 with an empty body", "an empty body still gives a message");
    pacifica_parse_error_body(NULL, 0, 502, &e);
    is_str(venue_error_kind_name(e.kind), "unavailable", "no body at all is classified by the status");
}

static void test_margin_settings(void) {
    char err[512];
    pacifica_margin_settings settings;
    json_t *v = json("{\"auto_lend_disabled\":null,\"margin_settings\":[{\"symbol\":\"WLFI\",\"isolated\":true,"
                     "\"leverage\":5,\"created_at\":1,\"updated_at\":2}],\"spot_settings\":[]}");
    ok(pacifica_parse_margin_settings(v, &settings, err, sizeof err) == 0 && settings.count == 1 &&
       !strcmp(settings.items[0].symbol, "WLFI") && settings.items[0].isolated && settings.items[0].leverage.value == 5,
       "current settings shape");
    pacifica_margin_settings_free(&settings);
    json_decref(v);
    v = json("[{\"symbol\":\"BTC\",\"isolated\":false,\"leverage\":\"20\"}]");
    ok(pacifica_parse_margin_settings(v, &settings, err, sizeof err) == 0 && settings.count == 1 &&
       !settings.items[0].isolated && settings.items[0].leverage.value == 20, "older list shape");
    pacifica_margin_settings_free(&settings);
    json_decref(v);
    v = json("{\"auto_lend_disabled\":null}");
    ok(pacifica_parse_margin_settings(v, &settings, err, sizeof err) == 0 && settings.count == 0,
       "no margin_settings: every market has the defaults");
    json_decref(v);
    v = json("{\"margin_settings\":[{\"isolated\":true}]}");
    ok(pacifica_parse_margin_settings(v, &settings, err, sizeof err) != 0 &&
       strstr(err, "margin_settings[0].symbol: is missing"), "a setting without symbol is refused (%s)", err);
    json_decref(v);
    v = json("{\"margin_settings\":[7]}");
    ok(pacifica_parse_margin_settings(v, &settings, err, sizeof err) != 0 && strstr(err, "is not an object"),
       "a setting that is not an object is refused (%s)", err);
    json_decref(v);
    v = json("{\"margin_settings\":\"x\"}");
    ok(pacifica_parse_margin_settings(v, &settings, err, sizeof err) != 0 && strstr(err, "is not a list"),
       "margin_settings must be a list (%s)", err);
    json_decref(v);
}

int main(void) {
    test_bad_payloads();
    test_error_kinds();
    test_margin_settings();
    return done_testing();
}
