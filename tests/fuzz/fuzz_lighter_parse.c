/* libFuzzer target: every Lighter payload parser (exchanges/lighter/parse*.c) on arbitrary
 * bytes, loaded the way the client loads them (lighter_json_load, which keeps number literals),
 * each parser on the root and the subtrees below it; the raw bytes also go through the
 * error-body classifier. Accepted decimals must be decimals, failures must say why, classified
 * errors must be one printable line. Seeds: the payloads of shared/fixtures/lighter. */
#include "tests/fuzz/fuzz.h"

#include "exchanges/lighter/json_exact.h"
#include "exchanges/lighter/parse.h"

#define CHECK_DECIMAL(field, who) fuzz_check_decimal_text((field).text, sizeof (field).text, who)
#define CHECKED(call, who)                                              \
    do {                                                                \
        rc = (call);                                                    \
        fuzz_check_failure_text(rc, err, sizeof err, who);              \
    } while (0)

static void check_levels(const lighter_level *levels, size_t count) {
    for (size_t i = 0; i < count; i++) {
        CHECK_DECIMAL(levels[i].price, "lighter ws book price");
        CHECK_DECIMAL(levels[i].size, "lighter ws book size");
    }
}

static void run_parsers(const json_t *value) {
    char err[256];
    int rc;

    lighter_envelope envelope;
    CHECKED(lighter_parse_envelope(value, &envelope, err, sizeof err), "lighter_parse_envelope");

    lighter_market_list markets;
    CHECKED(lighter_parse_markets(value, &markets, err, sizeof err), "lighter_parse_markets");
    if (rc == 0) {
        for (size_t i = 0; i < markets.count; i++) {
            char step[40];
            lighter_decimals_step(markets.items[i].size_decimals, step, sizeof step);
            CHECK_DECIMAL(markets.items[i].min_base_amount, "lighter market min_base_amount");
            CHECK_DECIMAL(markets.items[i].last_trade_price, "lighter market last_trade_price");
        }
        lighter_market_list_free(&markets);
    }

    lighter_funding_rate_list rates;
    CHECKED(lighter_parse_funding_rates(value, &rates, err, sizeof err), "lighter_parse_funding_rates");
    if (rc == 0) {
        for (size_t i = 0; i < rates.count; i++) CHECK_DECIMAL(rates.items[i].rate, "lighter funding rate");
        lighter_funding_rate_list_free(&rates);
    }

    lighter_funding_history history;
    CHECKED(lighter_parse_fundings(value, &history, err, sizeof err), "lighter_parse_fundings");
    if (rc == 0) lighter_funding_history_free(&history);

    lighter_book_orders book_orders;
    CHECKED(lighter_parse_book_orders(value, &book_orders, err, sizeof err), "lighter_parse_book_orders");
    if (rc == 0) lighter_book_orders_free(&book_orders);

    lighter_ws_frame frame;
    CHECKED(lighter_parse_ws_frame(value, &frame, err, sizeof err), "lighter_parse_ws_frame");

    lighter_ws_book book;
    CHECKED(lighter_parse_ws_book(value, &book, err, sizeof err), "lighter_parse_ws_book");
    if (rc == 0) {
        check_levels(book.asks, book.ask_count);
        check_levels(book.bids, book.bid_count);
        lighter_ws_book_free(&book);
    }

    lighter_market_stats_list stats;
    CHECKED(lighter_parse_market_stats(value, &stats, err, sizeof err), "lighter_parse_market_stats");
    if (rc == 0) {
        for (size_t i = 0; i < stats.count; i++) CHECK_DECIMAL(stats.items[i].mark_price, "lighter stats mark_price");
        lighter_market_stats_list_free(&stats);
    }

    lighter_position_list positions;
    CHECKED(lighter_parse_positions(value, &positions, err, sizeof err), "lighter_parse_positions");
    if (rc == 0) {
        for (size_t i = 0; i < positions.count; i++)
            CHECK_DECIMAL(positions.items[i].position, "lighter position size");
        lighter_position_list_free(&positions);
    }

    lighter_account_list accounts;
    CHECKED(lighter_parse_accounts(value, &accounts, err, sizeof err), "lighter_parse_accounts");
    if (rc == 0) lighter_account_list_free(&accounts);

    lighter_user_stats user_stats;
    CHECKED(lighter_parse_user_stats(value, &user_stats, err, sizeof err), "lighter_parse_user_stats");

    lighter_order_list orders;
    CHECKED(lighter_parse_orders(value, &orders, err, sizeof err), "lighter_parse_orders");
    if (rc == 0) {
        for (size_t i = 0; i < orders.count; i++) CHECK_DECIMAL(orders.items[i].price, "lighter order price");
        lighter_order_list_free(&orders);
    }
    CHECKED(lighter_parse_order_response(value, &orders, err, sizeof err), "lighter_parse_order_response");
    if (rc == 0) lighter_order_list_free(&orders);

    lighter_trade_list trades;
    CHECKED(lighter_parse_trades(value, &trades, err, sizeof err), "lighter_parse_trades");
    if (rc == 0) lighter_trade_list_free(&trades);

    int64_t nonce;
    CHECKED(lighter_parse_next_nonce(value, &nonce, err, sizeof err), "lighter_parse_next_nonce");

    lighter_api_key_list keys;
    CHECKED(lighter_parse_api_keys(value, &keys, err, sizeof err), "lighter_parse_api_keys");
    if (rc == 0) lighter_api_key_list_free(&keys);

    lighter_tx_result tx;
    CHECKED(lighter_parse_tx_result(value, &tx, err, sizeof err), "lighter_parse_tx_result");
    if (rc == 0) FUZZ_CHECK(tx.hash_count <= LIGHTER_MAX_BATCH, "lighter tx result: %zu hashes", tx.hash_count);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    int status = fuzz_http_statuses[size % FUZZ_HTTP_STATUS_COUNT];
    venue_error e;
    lighter_parse_error_body((const char *)data, size, status, (int)(size & 1), &e);
    fuzz_check_venue_error(&e, "lighter_parse_error_body");

    char err[256];
    json_t *root = lighter_json_load((const char *)data, size, err, sizeof err);
    fuzz_check_failure_text(root ? 0 : -1, err, sizeof err, "lighter_json_load");
    if (!root) return 0;
    const json_t *candidates[FUZZ_MAX_CANDIDATES];
    size_t count = fuzz_candidates(root, candidates);
    for (size_t i = 0; i < count; i++) run_parsers(candidates[i]);
    json_decref(root);
    return 0;
}
