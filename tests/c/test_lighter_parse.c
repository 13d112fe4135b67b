/* Lighter parsers (exchanges/lighter/parse.h, json_exact.h): the shared fixtures read through
 * the client's own literal-preserving loader (so "9.599999999999999e-05" arrives as exactly
 * 0.00009599999999999999, never through a double), and bad payloads: each must give an error
 * naming the member, never a crash or a silently wrong value. Error bodies are classified into
 * DESIGN §5 kinds. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exchanges/lighter/json_exact.h"
#include "exchanges/lighter/parse.h"
#include "tests/c/tap.h"

static char *read_file(const char *path, size_t *length) {
    *length = 0;
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *text = malloc((size_t)n + 1);
    *length = fread(text, 1, (size_t)n, f);
    text[*length] = '\0';
    fclose(f);
    return text;
}

/* The payload of a shared fixture, loaded from the file's raw text with lighter_json_load. */
static json_t *fixture_payload(const char *name) {
    const char *shared = getenv("SHARED");
    char path[512], err[256];
    snprintf(path, sizeof path, "%s/fixtures/lighter/%s.json", shared ? shared : "../shared", name);
    size_t length = 0;
    char *text = read_file(path, &length);
    if (!ok(text != NULL, "fixture %s readable", name)) return NULL;
    json_t *root = lighter_json_load(text, length, err, sizeof err);
    free(text);
    if (!ok(root != NULL, "fixture %s loads (%s)", name, root ? "" : err)) return NULL;
    json_t *payload = json_incref(json_object_get(root, "payload"));
    json_decref(root);
    return payload;
}

static json_t *load(const char *text) {
    char err[256];
    return lighter_json_load(text, strlen(text), err, sizeof err);
}

static void test_loader(void) {
    char err[256];
    json_t *v = load("{\"a\":1.50,\"b\":-2e-3,\"c\":12,\"s\":\"x 1.5 \\\" 2.5\",\"l\":[0.1,7]}");
    ok(v != NULL, "loader: mixed numbers load");
    is_str(json_string_value(json_object_get(v, "a")), "1.50", "loader: 1.50 keeps its text (trailing zero)");
    is_str(json_string_value(json_object_get(v, "b")), "-2e-3", "loader: an exponent literal keeps its text");
    ok(json_is_integer(json_object_get(v, "c")) && json_integer_value(json_object_get(v, "c")) == 12, "loader: integers stay integers");
    is_str(json_string_value(json_object_get(v, "s")), "x 1.5 \" 2.5", "loader: numbers inside strings are untouched");
    is_str(json_string_value(json_array_get(json_object_get(v, "l"), 0)), "0.1", "loader: reals in arrays too");
    json_decref(v);
    ok(lighter_json_load("", 0, err, sizeof err) == NULL && strstr(err, "empty") != NULL, "loader: empty body refused (%s)", err);
    ok(lighter_json_load("{\"a\":", 5, err, sizeof err) == NULL && strstr(err, "not JSON") != NULL, "loader: truncated body refused (%s)", err);
    ok(lighter_json_load("<html>502</html>", 16, err, sizeof err) == NULL, "loader: an HTML page is not JSON");
    ok(lighter_json_load("{\"a\":1,\"a\":2}", 13, err, sizeof err) == NULL, "loader: duplicate keys refused");
    char out[48];
    ok(lighter_decimal_plain("9.599999999999999e-05", 21, out, sizeof out) == 0, "plain: exponent form converts");
    is_str(out, "0.00009599999999999999", "plain: 9.599999999999999e-05 written out exactly");
    ok(lighter_decimal_plain("1.2.3", 5, out, sizeof out) != 0, "plain: 1.2.3 refused");
    ok(lighter_decimal_plain("abc", 3, out, sizeof out) != 0, "plain: text refused");
    ok(lighter_decimal_plain("1e999", 5, out, sizeof out) != 0, "plain: out of range refused");
}

static void test_fixture_literals(void) {
    char err[256];
    json_t *p = fixture_payload("funding_rates__funding_rates_eth_ccxt");
    lighter_funding_rate_list rates;
    if (p && ok(lighter_parse_funding_rates(p, &rates, err, sizeof err) == 0, "funding-rates parse (%s)", err)) {
        is_str(rates.items[0].rate.text, "0.00009599999999999999", "funding-rates: the float artefact kept digit for digit");
        is_str(rates.items[0].exchange, "lighter", "funding-rates: exchange");
        lighter_funding_rate_list_free(&rates);
    }
    json_decref(p);

    p = fixture_payload("ticker__orderbookdetails_eth_ccxt");
    lighter_market_list markets;
    if (p && ok(lighter_parse_markets(p, &markets, err, sizeof err) == 0, "orderBookDetails parse (%s)", err)) {
        const lighter_market *m = &markets.items[0];
        is_str(m->daily_quote_volume.text, "1671431095.263844", "details: 24 h quote volume literal");
        is_str(m->daily_price_change.text, "0.5294300840859545", "details: price change literal (16 digits)");
        is_str(m->last_trade_price.text, "3550.69", "details: last trade price");
        ok(m->order_quote_limit.present && m->order_quote_limit.text[0] == '\0', "details: empty order_quote_limit kept as empty, not an error");
        is_int(m->min_initial_margin_fraction.value, 200, "details: min IMF 200 (50x)");
        lighter_market_list_free(&markets);
    }
    json_decref(p);

    p = fixture_payload("ws_market_stats__docs_market_stats_0");
    lighter_market_stats_list stats;
    if (p && ok(lighter_parse_market_stats(p, &stats, err, sizeof err) == 0, "market_stats parse (%s)", err)) {
        is_str(stats.items[0].daily_base_volume.text, "230206.48999999944", "market_stats: volume literal with its float artefact");
        is_str(stats.items[0].current_funding_rate.text, "0.0057", "market_stats: current funding rate");
        lighter_market_stats_list_free(&stats);
    }
    json_decref(p);

    p = fixture_payload("ws_market_stats__spot_empty_mid_testnet_live");
    if (p && ok(lighter_parse_market_stats(p, &stats, err, sizeof err) == 0, "spot market_stats parse (%s)", err)) {
        ok(stats.items[0].is_spot && stats.items[0].mid_price.present && !stats.items[0].mid_price.text[0], "spot: empty mid kept as \"\"");
        is_str(stats.items[0].daily_quote_volume.text, "0", "spot: integer 0 volume as \"0\"");
        lighter_market_stats_list_free(&stats);
    }
    json_decref(p);

    p = fixture_payload("positions__account_1077_eth_long_ccxt");
    lighter_account_list accounts;
    if (p && ok(lighter_parse_accounts(p, &accounts, err, sizeof err) == 0, "account parse (%s)", err)) {
        const lighter_position *pos = &accounts.items[0].positions.items[0];
        is_str(pos->liquidation_price.text, "2191.1107231380406", "position: liquidation price literal");
        is_str(accounts.items[0].total_asset_value.text, "15298.072264000002", "account: equity literal");
        ok(pos->is_open && pos->sign == 1, "position: open long");
        lighter_account_list_free(&accounts);
    }
    json_decref(p);

    p = fixture_payload("balance__account_zero_valued_nautilus");
    if (p && ok(lighter_parse_accounts(p, &accounts, err, sizeof err) == 0, "zero account parse (%s)", err)) {
        ok(accounts.items[0].positions.count == 1 && !accounts.items[0].positions.items[0].is_open, "a flat market is listed but not open");
        lighter_account_list_free(&accounts);
    }
    json_decref(p);
}

/* A parse that must fail, with err mentioning `needle`. */
#define REFUSE(call, needle, what)                                                                    \
    do {                                                                                             \
        char err[256] = "";                                                                          \
        int rc = (call);                                                                             \
        ok(rc != 0 && strstr(err, needle) != NULL, "refused: %s (%s)", what, err);                  \
    } while (0)

static void test_bad_payloads(void) {
    lighter_market_list markets;
    lighter_funding_history fundings;
    lighter_order_list orders;
    lighter_account_list accounts;
    lighter_ws_book book;
    lighter_tx_result tx;
    int64_t nonce;
    json_t *v;

    v = load("{\"code\":200,\"order_books\":[{\"symbol\":\"ETH\",\"market_id\":0,\"supported_size_decimals\":4,\"min_base_amount\":\"0.005\",\"min_quote_amount\":\"10\"}]}");
    REFUSE(lighter_parse_markets(v, &markets, err, sizeof err), "order_books[0].supported_price_decimals: is missing", "a market without price decimals");
    json_decref(v);
    v = load("{\"order_books\":[{\"symbol\":\"ETH\",\"market_id\":0,\"supported_size_decimals\":40,\"supported_price_decimals\":2,\"min_base_amount\":\"0.005\",\"min_quote_amount\":\"10\"}]}");
    REFUSE(lighter_parse_markets(v, &markets, err, sizeof err), "outside 0..18", "40 size decimals");
    json_decref(v);
    v = load("{\"order_books\":[{\"symbol\":\"ETH\",\"market_id\":\"zero\",\"supported_size_decimals\":4,\"supported_price_decimals\":2,\"min_base_amount\":\"0.005\",\"min_quote_amount\":\"10\"}]}");
    REFUSE(lighter_parse_markets(v, &markets, err, sizeof err), "market_id: is a string that is not an integer", "a text market id");
    json_decref(v);
    v = load("{\"order_books\":null}");
    REFUSE(lighter_parse_markets(v, &markets, err, sizeof err), "order_books: is null", "a null market list");
    json_decref(v);
    v = load("[1,2]");
    REFUSE(lighter_parse_markets(v, &markets, err, sizeof err), "is not an object", "an array instead of an object");
    json_decref(v);

    v = load("{\"fundings\":[{\"timestamp\":1,\"rate\":\"-0.01\",\"direction\":\"long\"}]}");
    REFUSE(lighter_parse_fundings(v, &fundings, err, sizeof err), "fundings[0].rate: is negative", "a signed fundings rate");
    json_decref(v);
    v = load("{\"fundings\":[{\"timestamp\":1,\"rate\":\"0.01\",\"direction\":\"up\"}]}");
    REFUSE(lighter_parse_fundings(v, &fundings, err, sizeof err), "direction", "an unknown paying side");
    json_decref(v);
    v = load("{\"fundings\":[{\"timestamp\":1,\"rate\":\"1,5\",\"direction\":\"long\"}]}");
    REFUSE(lighter_parse_fundings(v, &fundings, err, sizeof err), "is not a decimal number", "a comma decimal");
    json_decref(v);

    v = load("{\"orders\":[{\"order_index\":1,\"market_index\":0,\"initial_base_amount\":\"1\",\"price\":\"1\",\"remaining_base_amount\":\"1\",\"is_ask\":\"maybe\",\"status\":\"open\"}]}");
    REFUSE(lighter_parse_order_response(v, &orders, err, sizeof err), "orders[0].is_ask: is not true or false", "is_ask neither true nor false");
    json_decref(v);
    v = load("{\"orders\":{\"0\":[{\"order_index\":1,\"market_index\":0,\"price\":\"1\",\"remaining_base_amount\":\"1\",\"is_ask\":true,\"status\":\"open\"}]}}");
    REFUSE(lighter_parse_order_response(v, &orders, err, sizeof err), "orders.0[0].initial_base_amount: is missing", "a WS order without its size");
    json_decref(v);

    v = load("{\"accounts\":[{\"index\":1,\"collateral\":\"1\",\"available_balance\":\"1\",\"total_asset_value\":\"1\",\"positions\":[{\"market_id\":0,\"sign\":1,\"position\":\"-1\"}]}]}");
    REFUSE(lighter_parse_accounts(v, &accounts, err, sizeof err), "accounts[0].positions[0].position: is negative", "a signed position size");
    json_decref(v);
    v = load("{\"accounts\":[{\"index\":1,\"collateral\":\"1\",\"available_balance\":\"1\",\"total_asset_value\":\"1\",\"positions\":[{\"market_id\":0,\"sign\":7,\"position\":\"1\"}]}]}");
    REFUSE(lighter_parse_accounts(v, &accounts, err, sizeof err), "sign: is not 1 or -1", "sign 7");
    json_decref(v);

    v = load("{\"channel\":\"order_book:0\",\"type\":\"update/order_book\",\"order_book\":{\"asks\":[{\"price\":\"1\"}],\"bids\":[]}}");
    REFUSE(lighter_parse_ws_book(v, &book, err, sizeof err), "asks[0].size: is missing", "a level without a size");
    json_decref(v);
    v = load("{\"channel\":\"order_book:0\",\"type\":\"update/order_book\"}");
    REFUSE(lighter_parse_ws_book(v, &book, err, sizeof err), "order_book: is missing", "a book frame without its book");
    json_decref(v);
    v = load("{\"hello\":1}");
    lighter_ws_frame frame;
    REFUSE(lighter_parse_ws_frame(v, &frame, err, sizeof err), "neither type, channel, id nor error", "a frame of unknown shape");
    json_decref(v);

    v = load("{\"nonce\":-1}");
    REFUSE(lighter_parse_next_nonce(v, &nonce, err, sizeof err), "nonce: is negative", "a negative nonce");
    json_decref(v);
    v = load("{\"code\":200,\"nonce\":\"12\"}");
    char msg[128];
    ok(lighter_parse_next_nonce(v, &nonce, msg, sizeof msg) == 0 && nonce == 12, "a stringified nonce reads as 12");
    json_decref(v);
    v = load("{\"code\":200,\"tx_hash\":7}");
    REFUSE(lighter_parse_tx_result(v, &tx, err, sizeof err), "tx_hash: is not a string", "a numeric tx hash");
    json_decref(v);
    v = load("{\"code\":200,\"tx_hash\":[\"aa\",\"bb\"],\"message\":\"plain text\"}");
    ok(lighter_parse_tx_result(v, &tx, msg, sizeof msg) == 0 && tx.accepted && tx.hash_count == 2 && !tx.ratelimit[0],
       "a batch answer: two hashes, a plain-text message is fine");
    json_decref(v);

    /* A tree loaded by plain jansson still has its reals as doubles: refused, not guessed. */
    json_error_t jerr;
    v = json_loads("{\"funding_rates\":[{\"market_id\":0,\"exchange\":\"lighter\",\"symbol\":\"ETH\",\"rate\":0.0001}]}", 0, &jerr);
    lighter_funding_rate_list rates;
    REFUSE(lighter_parse_funding_rates(v, &rates, err, sizeof err), "exact text is lost", "a double from a plain jansson load");
    ok(lighter_json_reals_to_text(v) == 0, "reals_to_text converts the tree");
    ok(lighter_parse_funding_rates(v, &rates, msg, sizeof msg) == 0 && strcmp(rates.items[0].rate.text, "0.0001") == 0, "and the shortest text is 0.0001");
    lighter_funding_rate_list_free(&rates);
    json_decref(v);
}

static void test_error_bodies(void) {
    venue_error e;
    struct {
        const char *body;
        int status, cancelling;
        const char *kind;
        long long code;
        const char *message;
    } cases[] = {
        {"{\"code\":21104,\"message\":\"invalid nonce\"}", 400, 0, "invalid_order", 21104, "invalid nonce"},
        {"{\"code\":21120,\"message\":\"invalid signature\"}", 400, 0, "auth", 21120, "invalid signature"},
        {"{\"code\":21739,\"message\":\"not enough margin to create the order\"}", 400, 0, "insufficient_funds", 21739, "not enough margin to create the order"},
        {"{\"code\":21602,\"message\":\"invalid market index\"}", 400, 0, "bad_symbol", 21602, "invalid market index"},
        {"{\"code\":21700,\"message\":\"invalid order index\"}", 400, 1, "order_not_found", 21700, "invalid order index"},
        {"{\"code\":21700,\"message\":\"invalid order index\"}", 400, 0, "invalid_order", 21700, "invalid order index"},
        {"{\"code\":23000,\"message\":\"Too Many Requests!\"}", 429, 0, "rate_limited", 23000, "Too Many Requests!"},
        {"{\"code\":21506,\"message\":\"too many pending txs, try again later\"}", 400, 0, "rate_limited", 21506, "too many pending txs, try again later"},
        {"{\"code\":29500,\"message\":\"internal server error\"}", 500, 0, "unavailable", 29500, "internal server error"},
        {"{\"code\":20013,\"message\":\"invalid auth: expired\"}", 401, 0, "auth", 20013, "invalid auth: expired"},
        {"{\"error\":{\"code\":21104,\"message\":\"invalid nonce\"},\"id\":\"r1\"}", 0, 0, "invalid_order", 21104, "invalid nonce"},
        {"<html><body><h1>502 Bad Gateway</h1></body></html>", 502, 0, "unavailable", -1, "HTTP 502: <html><body><h1>502 Bad Gateway</h1></body></html>"},
        {"", 503, 0, "unavailable", -1, "HTTP 503"},
        {"{\"code\":501,\"message\":\"not simulated\"}", 501, 0, "not_supported", 501, "not simulated"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        lighter_parse_error_body(cases[i].body, strlen(cases[i].body), cases[i].status, cases[i].cancelling, &e);
        is_str(venue_error_kind_name(e.kind), cases[i].kind, "error %zu: kind %s", i, cases[i].kind);
        is_int(e.has_code ? e.code : -1, cases[i].code, "error %zu: code", i);
        is_str(e.message, cases[i].message, "error %zu: message", i);
    }
    lighter_parse_error_body("{\"code\":23000}", 14, 429, 0, &e);
    ok(e.retryable && e.kind == VENUE_ERROR_RATE_LIMITED, "rate limits are retryable");
}

int main(void) {
    test_loader();
    test_fixture_literals();
    test_bad_payloads();
    test_error_bodies();
    printf("1..%d\n", tap_count);
    return tap_failed ? 1 : 0;
}
