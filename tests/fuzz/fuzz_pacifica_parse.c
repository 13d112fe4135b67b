/* libFuzzer target: every Pacifica payload parser (exchanges/pacifica/parse*.c) on arbitrary
 * bytes. The input is loaded as the Lua binding loads an answer (json_loadb, any value), then
 * every parser runs on the root and on the subtrees below it, so one REST body or WS frame
 * exercises all shapes; the raw bytes also go through the error-body classifier. Accepted
 * decimals must be decimals, failures must say why, classified errors must be one printable
 * line. Seeds: the payloads of shared/fixtures/pacifica. */
#include "tests/fuzz/fuzz.h"

#include "exchanges/pacifica/parse.h"

#define CHECK_DECIMAL(field, who) fuzz_check_decimal_text((field).text, sizeof (field).text, who)

static void check_book(const pacifica_book *book) {
    for (size_t i = 0; i < book->bid_count; i++) {
        CHECK_DECIMAL(book->bids[i].price, "pacifica book bid price");
        CHECK_DECIMAL(book->bids[i].amount, "pacifica book bid amount");
    }
    for (size_t i = 0; i < book->ask_count; i++) {
        CHECK_DECIMAL(book->asks[i].price, "pacifica book ask price");
        CHECK_DECIMAL(book->asks[i].amount, "pacifica book ask amount");
    }
}

static void run_data_parsers(const json_t *data) {
    char err[256];
    int rc;

    pacifica_market_list markets;
    rc = pacifica_parse_markets(data, &markets, err, sizeof err);
    fuzz_check_failure_text(rc, err, sizeof err, "pacifica_parse_markets");
    if (rc == 0) {
        for (size_t i = 0; i < markets.count; i++) {
            CHECK_DECIMAL(markets.items[i].tick_size, "pacifica market tick_size");
            CHECK_DECIMAL(markets.items[i].lot_size, "pacifica market lot_size");
            CHECK_DECIMAL(markets.items[i].funding_rate, "pacifica market funding_rate");
        }
        pacifica_market_list_free(&markets);
    }

    pacifica_price_list prices;
    rc = pacifica_parse_prices(data, &prices, err, sizeof err);
    fuzz_check_failure_text(rc, err, sizeof err, "pacifica_parse_prices");
    if (rc == 0) {
        for (size_t i = 0; i < prices.count; i++) {
            CHECK_DECIMAL(prices.items[i].mark, "pacifica price mark");
            CHECK_DECIMAL(prices.items[i].funding, "pacifica price funding");
        }
        pacifica_price_list_free(&prices);
    }

    pacifica_funding_history history;
    rc = pacifica_parse_funding_history(data, &history, err, sizeof err);
    fuzz_check_failure_text(rc, err, sizeof err, "pacifica_parse_funding_history");
    if (rc == 0) pacifica_funding_history_free(&history);

    pacifica_book book;
    rc = pacifica_parse_book(data, &book, err, sizeof err);
    fuzz_check_failure_text(rc, err, sizeof err, "pacifica_parse_book");
    if (rc == 0) {
        check_book(&book);
        pacifica_book_free(&book);
    }

    pacifica_account account;
    rc = pacifica_parse_account(data, &account, err, sizeof err);
    fuzz_check_failure_text(rc, err, sizeof err, "pacifica_parse_account");
    if (rc == 0) CHECK_DECIMAL(account.account_equity, "pacifica account equity");

    pacifica_position_list positions;
    rc = pacifica_parse_positions(data, &positions, err, sizeof err);
    fuzz_check_failure_text(rc, err, sizeof err, "pacifica_parse_positions");
    if (rc == 0) {
        for (size_t i = 0; i < positions.count; i++) {
            CHECK_DECIMAL(positions.items[i].amount, "pacifica position amount");
            CHECK_DECIMAL(positions.items[i].entry_price, "pacifica position entry_price");
        }
        pacifica_position_list_free(&positions);
    }

    pacifica_margin_settings settings;
    rc = pacifica_parse_margin_settings(data, &settings, err, sizeof err);
    fuzz_check_failure_text(rc, err, sizeof err, "pacifica_parse_margin_settings");
    if (rc == 0) pacifica_margin_settings_free(&settings);

    pacifica_order_list orders;
    rc = pacifica_parse_orders(data, &orders, err, sizeof err);
    fuzz_check_failure_text(rc, err, sizeof err, "pacifica_parse_orders");
    if (rc == 0) {
        for (size_t i = 0; i < orders.count; i++) {
            CHECK_DECIMAL(orders.items[i].price, "pacifica order price");
            CHECK_DECIMAL(orders.items[i].amount, "pacifica order amount");
            CHECK_DECIMAL(orders.items[i].filled, "pacifica order filled");
        }
        pacifica_order_list_free(&orders);
    }

    pacifica_trade_list trades;
    rc = pacifica_parse_trades(data, &trades, err, sizeof err);
    fuzz_check_failure_text(rc, err, sizeof err, "pacifica_parse_trades");
    if (rc == 0) {
        for (size_t i = 0; i < trades.count; i++) CHECK_DECIMAL(trades.items[i].price, "pacifica trade price");
        pacifica_trade_list_free(&trades);
    }
}

static void run_root_parsers(const json_t *root) {
    char err[256];
    int rc;

    pacifica_envelope envelope;
    rc = pacifica_parse_envelope(root, &envelope, err, sizeof err);
    fuzz_check_failure_text(rc, err, sizeof err, "pacifica_parse_envelope");
    if (rc == 0 && envelope.data) run_data_parsers(envelope.data);

    pacifica_order_result result;
    rc = pacifica_parse_order_result(root, &result, err, sizeof err);
    fuzz_check_failure_text(rc, err, sizeof err, "pacifica_parse_order_result");
    if (rc == 0) pacifica_order_result_free(&result);

    pacifica_ws_answer answer;
    rc = pacifica_parse_ws_answer(root, &answer, err, sizeof err);
    fuzz_check_failure_text(rc, err, sizeof err, "pacifica_parse_ws_answer");
    if (rc == 0) pacifica_ws_answer_free(&answer);

    pacifica_ws_message message;
    rc = pacifica_parse_ws_message(root, &message, err, sizeof err);
    fuzz_check_failure_text(rc, err, sizeof err, "pacifica_parse_ws_message");
    if (rc == 0 && message.data) run_data_parsers(message.data);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    venue_error e;
    pacifica_parse_error_body((const char *)data, size, fuzz_http_statuses[size % FUZZ_HTTP_STATUS_COUNT], &e);
    fuzz_check_venue_error(&e, "pacifica_parse_error_body");

    json_error_t error;
    json_t *root = json_loadb((const char *)data, size, JSON_DECODE_ANY, &error);
    if (!root) return 0;
    const json_t *candidates[FUZZ_MAX_CANDIDATES];
    size_t count = fuzz_candidates(root, candidates);
    run_root_parsers(root);
    for (size_t i = 0; i < count; i++) run_data_parsers(candidates[i]);
    json_decref(root);
    return 0;
}
