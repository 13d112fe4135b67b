/* libFuzzer target: every edgeX payload parser (exchanges/edgex/parse*.c) on arbitrary bytes,
 * loaded as the Lua binding loads an answer (json_loadb, any value), each parser on the root
 * and on the subtrees below it (data, data.dataList, content.data, ...); the raw bytes also go
 * through the error-body classifier. Accepted decimals must be decimals (and "" exactly when
 * not set), failures must say why, classified errors must be one printable line.
 * Seeds: the payloads of shared/fixtures/edgex. */
#include "tests/fuzz/fuzz.h"

#include "exchanges/edgex/parse.h"

static void check_decimal(const edgex_decimal_text *d, const char *who) {
    fuzz_check_decimal_text(d->text, sizeof d->text, who);
    FUZZ_CHECK((d->state == EDGEX_VALUE_SET) == (d->text[0] != '\0'), "%s: state %d with text \"%s\"", who,
               (int)d->state, d->text);
}

static void check_levels(const edgex_book_level *levels, size_t count) {
    for (size_t i = 0; i < count; i++) {
        check_decimal(&levels[i].price, "edgex depth price");
        check_decimal(&levels[i].size, "edgex depth size");
    }
}

#define CHECKED(call, who)                                              \
    do {                                                                \
        rc = (call);                                                    \
        fuzz_check_failure_text(rc, err, sizeof err, who);              \
    } while (0)

static void run_data_parsers(const json_t *data) {
    char err[256];
    int rc;

    edgex_page page;
    CHECKED(edgex_parse_page(data, &page, err, sizeof err), "edgex_parse_page");

    edgex_metadata metadata;
    CHECKED(edgex_parse_metadata(data, &metadata, err, sizeof err), "edgex_parse_metadata");
    if (rc == 0) {
        for (size_t i = 0; i < metadata.contract_count; i++) {
            check_decimal(&metadata.contracts[i].tick_size, "edgex contract tickSize");
            check_decimal(&metadata.contracts[i].step_size, "edgex contract stepSize");
        }
        edgex_metadata_free(&metadata);
    }

    edgex_ticker_list tickers;
    CHECKED(edgex_parse_tickers(data, &tickers, err, sizeof err), "edgex_parse_tickers");
    if (rc == 0) {
        for (size_t i = 0; i < tickers.count; i++) {
            check_decimal(&tickers.items[i].mark_price, "edgex ticker markPrice");
            check_decimal(&tickers.items[i].funding_rate, "edgex ticker fundingRate");
        }
        edgex_ticker_list_free(&tickers);
    }

    edgex_depth_list depths;
    CHECKED(edgex_parse_depths(data, &depths, err, sizeof err), "edgex_parse_depths");
    if (rc == 0) {
        for (size_t i = 0; i < depths.count; i++) {
            check_levels(depths.items[i].bids, depths.items[i].bid_count);
            check_levels(depths.items[i].asks, depths.items[i].ask_count);
        }
        edgex_depth_list_free(&depths);
    }

    edgex_funding_list fundings;
    CHECKED(edgex_parse_fundings(data, &fundings, err, sizeof err), "edgex_parse_fundings");
    if (rc == 0) {
        for (size_t i = 0; i < fundings.count; i++)
            check_decimal(&fundings.items[i].funding_rate, "edgex funding fundingRate");
        edgex_funding_list_free(&fundings);
    }

    edgex_public_trade_list public_trades;
    CHECKED(edgex_parse_public_trades(data, &public_trades, err, sizeof err), "edgex_parse_public_trades");
    if (rc == 0) edgex_public_trade_list_free(&public_trades);

    int64_t server_time;
    CHECKED(edgex_parse_server_time(data, &server_time, err, sizeof err), "edgex_parse_server_time");

    edgex_account account;
    CHECKED(edgex_parse_account(data, &account, err, sizeof err), "edgex_parse_account");
    if (rc == 0) edgex_account_free(&account);

    edgex_account_asset asset;
    CHECKED(edgex_parse_account_asset(data, &asset, err, sizeof err), "edgex_parse_account_asset");
    if (rc == 0) {
        for (size_t i = 0; i < asset.position_count; i++)
            check_decimal(&asset.positions[i].open_size, "edgex position openSize");
        edgex_account_asset_free(&asset);
    }

    edgex_collateral_list collaterals;
    CHECKED(edgex_parse_collaterals(data, &collaterals, err, sizeof err), "edgex_parse_collaterals");
    if (rc == 0) edgex_collateral_list_free(&collaterals);

    edgex_position_list positions;
    CHECKED(edgex_parse_positions(data, &positions, err, sizeof err), "edgex_parse_positions");
    if (rc == 0) {
        for (size_t i = 0; i < positions.count; i++)
            check_decimal(&positions.items[i].open_size, "edgex position openSize");
        edgex_position_list_free(&positions);
    }

    edgex_order_list orders;
    CHECKED(edgex_parse_orders(data, &orders, err, sizeof err), "edgex_parse_orders");
    if (rc == 0) {
        for (size_t i = 0; i < orders.count; i++) {
            check_decimal(&orders.items[i].price, "edgex order price");
            check_decimal(&orders.items[i].size, "edgex order size");
        }
        edgex_order_list_free(&orders);
    }

    edgex_fill_list fills;
    CHECKED(edgex_parse_fills(data, &fills, err, sizeof err), "edgex_parse_fills");
    if (rc == 0) edgex_fill_list_free(&fills);

    edgex_id_text order_id;
    CHECKED(edgex_parse_create_order(data, &order_id, err, sizeof err), "edgex_parse_create_order");

    edgex_cancel_result cancel;
    CHECKED(edgex_parse_cancel_result(data, &cancel, err, sizeof err), "edgex_parse_cancel_result");
    if (rc == 0) edgex_cancel_result_free(&cancel);
}

static void run_root_parsers(const json_t *root) {
    char err[256];
    int rc;

    edgex_envelope envelope;
    CHECKED(edgex_parse_envelope(root, &envelope, err, sizeof err), "edgex_parse_envelope");
    if (rc == 0) {
        FUZZ_CHECK(envelope.success == (strcmp(envelope.code, "SUCCESS") == 0), "edgex envelope success flag");
        if (envelope.data) run_data_parsers(envelope.data);
    }

    edgex_ws_message message;
    CHECKED(edgex_parse_ws_message(root, &message, err, sizeof err), "edgex_parse_ws_message");
    if (rc == 0) {
        edgex_channel_kind(message.channel);
        if (message.data) run_data_parsers(message.data);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    venue_error e;
    char code[64];
    edgex_parse_error_body((const char *)data, size, fuzz_http_statuses[size % FUZZ_HTTP_STATUS_COUNT], &e, code,
                           sizeof code);
    fuzz_check_venue_error(&e, "edgex_parse_error_body");
    FUZZ_CHECK(memchr(code, '\0', sizeof code) != NULL, "edgex error code name not terminated");

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
