/* edgeX parsers with bad and unusual input: every malformed member is refused with an error
 * naming it (never a crash, never a guessed value), lists are released on failure, empty
 * strings stay apart from absent members, error bodies are classified onto the DESIGN §5
 * kinds, and WebSocket frames of every type are recognised. The shared fixtures (real
 * payloads) are checked by tests/run_fixtures. */
#include <jansson.h>
#include <string.h>

#include "exchanges/edgex/parse.h"
#include "tests/c/tap.h"

static json_t *load(const char *text) {
    json_error_t e;
    json_t *j = json_loads(text, JSON_DECODE_ANY, &e);
    if (!j) diag("test JSON does not parse: %s", e.text);
    return j;
}

#define REFUSED(parse_fn, out_type, free_fn, json_text, needle, what)                                   \
    do {                                                                                                \
        json_t *j_ = load(json_text);                                                                  \
        out_type out_;                                                                                  \
        char err_[512] = "";                                                                           \
        int rc_ = parse_fn(j_, &out_, err_, sizeof err_);                                              \
        ok(rc_ == -1 && strstr(err_, needle) != NULL, "%s: refused naming '%s' (%s)", what, needle, err_); \
        if (rc_ == 0) free_fn(&out_);                                                                  \
        json_decref(j_);                                                                               \
    } while (0)

#define CONTRACT \
    "{\"contractId\":\"30000001\",\"contractName\":\"BTCUSDC\",\"quoteCoinId\":\"1000\",\"tickSize\":\"0.1\"," \
    "\"stepSize\":\"0.001\",\"minOrderSize\":\"0.001\",\"fundingRateIntervalMin\":\"240\",\"enableTrade\":true%s}"

static void metadata(void) {
    char text[1024], err[512];
    edgex_metadata m;
    char contract[512];
    snprintf(contract, sizeof contract, CONTRACT, ",\"riskTierList\":[{\"maxLeverage\":\"20\"},{\"maxLeverage\":\"100\"}]");
    snprintf(text, sizeof text, "{\"global\":{\"nativeChainId\":\"\",\"chainId\":\"3343\",\"contractAddress\":\"0xabc\"},"
             "\"contractList\":[%s]}", contract);
    json_t *j = load(text);
    is_int(edgex_parse_metadata(j, &m, err, sizeof err), 0, "metadata: parses (%s)", err);
    is_str(m.chain_id, "3343", "metadata: an empty nativeChainId falls back to chainId");
    is_int(m.contracts[0].max_leverage, 100, "metadata: the highest leverage of the risk tiers");
    is_str(m.contracts[0].symbol, "BTC", "metadata: symbol from BTCUSDC");
    ok(m.contracts[0].enable_open_position == 1, "metadata: no enableOpenPosition -> opening allowed when trading is");
    edgex_metadata_free(&m);
    json_decref(j);

    snprintf(contract, sizeof contract, CONTRACT, ",\"tickSize\":\"0.1\"");
    snprintf(text, sizeof text, "{\"contractList\":[%s, 7]}", contract);
    REFUSED(edgex_parse_metadata, edgex_metadata, edgex_metadata_free, text, "contractList[1]: is not an object", "metadata: a list item that is a number");
    REFUSED(edgex_parse_metadata, edgex_metadata, edgex_metadata_free, "{\"contractList\":{}}", "contractList: is not a list", "metadata: contractList an object");
    REFUSED(edgex_parse_metadata, edgex_metadata, edgex_metadata_free, "{}", "contractList: is missing", "metadata: no contracts");
    snprintf(contract, sizeof contract, CONTRACT, ",\"starkExSyntheticAssetId\":\"BTC-10\"");
    snprintf(text, sizeof text, "{\"contractList\":[%s]}", contract);
    REFUSED(edgex_parse_metadata, edgex_metadata, edgex_metadata_free, text, "starkExSyntheticAssetId", "metadata: an asset id that is not hex");
    snprintf(contract, sizeof contract, CONTRACT, ",\"riskTierList\":[{\"maxLeverage\":\"lots\"}]");
    snprintf(text, sizeof text, "{\"contractList\":[%s]}", contract);
    REFUSED(edgex_parse_metadata, edgex_metadata, edgex_metadata_free, text, "riskTierList[0].maxLeverage", "metadata: a leverage that is not a number");

    char symbol[16];
    edgex_symbol_of_contract_name("ethusdt", symbol, sizeof symbol);
    is_str(symbol, "ETH", "symbol: lower-case name");
    edgex_symbol_of_contract_name("USD", symbol, sizeof symbol);
    is_str(symbol, "USD", "symbol: a name that is only a quote stays whole");
    edgex_symbol_of_contract_name("VERYLONGCOINNAMEUSD", symbol, sizeof symbol);
    is_str(symbol, "VERYLONGCOINNAM", "symbol: cut to the buffer, never overrun");
}

static void values(void) {
    char err[512];
    edgex_funding_list f;
    json_t *j = load("[{\"contractId\":\"1\",\"fundingRate\":\"0.0001\",\"forecastFundingRate\":\"\",\"isSettlement\":true}]");
    is_int(edgex_parse_fundings(j, &f, err, sizeof err), 0, "funding: parses");
    ok(f.items[0].forecast_funding_rate.state == EDGEX_VALUE_EMPTY, "funding: \"\" is EMPTY, not absent");
    ok(f.items[0].previous_funding_rate.state == EDGEX_VALUE_ABSENT, "funding: a missing member is ABSENT");
    ok(f.items[0].interval_min == 0, "funding: no interval in the row -> 0 (the contract's applies)");
    edgex_funding_list_free(&f);
    json_decref(j);
    REFUSED(edgex_parse_fundings, edgex_funding_list, edgex_funding_list_free, "[{\"contractId\":\"1\",\"fundingRate\":\"\"}]",
            "fundingRate: is empty", "funding: an empty required rate");
    REFUSED(edgex_parse_fundings, edgex_funding_list, edgex_funding_list_free, "[{\"contractId\":\"1\",\"fundingRate\":\"+0.1\"}]",
            "not a plain decimal", "funding: a plus sign");
    REFUSED(edgex_parse_fundings, edgex_funding_list, edgex_funding_list_free, "[{\"contractId\":\"1\",\"fundingRate\":\".1\"}]",
            "not a plain decimal", "funding: no leading digit");
    REFUSED(edgex_parse_fundings, edgex_funding_list, edgex_funding_list_free, "[{\"contractId\":\"1\",\"fundingRate\":\"1.\"}]",
            "not a plain decimal", "funding: a trailing point");
    REFUSED(edgex_parse_fundings, edgex_funding_list, edgex_funding_list_free, "[{\"contractId\":\"1\",\"fundingRate\":true}]",
            "fundingRate: is not a decimal string", "funding: a boolean rate");
    REFUSED(edgex_parse_fundings, edgex_funding_list, edgex_funding_list_free,
            "[{\"contractId\":\"123456789012345678901\",\"fundingRate\":\"0\"}]", "contractId", "funding: an id of 21 digits");
    REFUSED(edgex_parse_fundings, edgex_funding_list, edgex_funding_list_free,
            "[{\"contractId\":\"-1\",\"fundingRate\":\"0\"}]", "contractId", "funding: a negative id");
    REFUSED(edgex_parse_fundings, edgex_funding_list, edgex_funding_list_free,
            "[{\"contractId\":\"1\",\"fundingRate\":\"0\",\"fundingTime\":\"12a\"}]", "fundingTime", "funding: a time with a letter");

    char long_text[200];
    memset(long_text, 0, sizeof long_text);
    strcpy(long_text, "[{\"contractId\":\"1\",\"fundingRate\":\"0.");
    memset(long_text + strlen(long_text), '1', 90);
    strcat(long_text, "\"}]");
    REFUSED(edgex_parse_fundings, edgex_funding_list, edgex_funding_list_free, long_text, "too long", "funding: a 92-character decimal");

    /* depth: REST objects and WS pairs; a failure half way frees what was parsed */
    edgex_depth_list d;
    j = load("[{\"contractId\":\"1\",\"depthType\":\"CHANGED\",\"startVersion\":\"7\",\"endVersion\":\"9\",\"bids\":[[\"1\",\"0\"]],\"asks\":[]}]");
    is_int(edgex_parse_depths(j, &d, err, sizeof err), 0, "depth: WS pairs parse");
    ok(!d.items[0].is_snapshot && d.items[0].start_version.value == 7 && d.items[0].bid_count == 1, "depth: CHANGED, versions, one level");
    edgex_depth_list_free(&d);
    json_decref(j);
    REFUSED(edgex_parse_depths, edgex_depth_list, edgex_depth_list_free,
            "[{\"contractId\":\"1\",\"bids\":[[\"1\",\"2\"]]},{\"contractId\":\"2\",\"bids\":[[\"1\"]]}]", "[1].bids[0]: is not [price, size]",
            "depth: a pair of one (the first book is released)");
    REFUSED(edgex_parse_depths, edgex_depth_list, edgex_depth_list_free, "[{\"contractId\":\"1\",\"asks\":[[1,\"2\"]]}]",
            "asks[0].price: is a JSON number", "depth: a number price");
}

static void account(void) {
    char err[512];
    edgex_account_asset a;
    json_t *j = load("{\"account\":{\"id\":\"7\",\"l2Key\":\"\",\"contractIdToTradeSetting\":{\"30000001\":{\"isSetFeeRate\":true,"
                     "\"takerFeeRate\":\"0.0005\"}}},\"collateralList\":[],\"positionList\":[{\"contractId\":\"30000001\","
                     "\"openSize\":\"-1.5\",\"openValue\":\"-150\"}],\"collateralAssetModelList\":[{\"coinId\":\"1000\","
                     "\"totalEquity\":\"10\",\"availableAmount\":\"5\"}]}");
    is_int(edgex_parse_account_asset(j, &a, err, sizeof err), 0, "account asset: parses (%s)", err);
    ok(a.has_account && a.account.l2_key[0] == '\0' && a.account.setting_count == 1, "account asset: empty l2Key, one contract setting");
    is_str(a.account.settings[0].setting.taker_fee_rate.text, "0.0005", "account asset: the contract's own taker rate");
    is_str(a.positions[0].open_size.text, "-1.5", "account asset: signed size kept as text");
    edgex_account_asset_free(&a);
    json_decref(j);
    REFUSED(edgex_parse_account_asset, edgex_account_asset, edgex_account_asset_free,
            "{\"account\":{\"id\":\"7\",\"contractIdToTradeSetting\":{\"BTC\":{}}},\"collateralList\":[],\"positionList\":[],"
            "\"collateralAssetModelList\":[]}", "not a contract id", "account asset: a setting keyed by a name");
    REFUSED(edgex_parse_account_asset, edgex_account_asset, edgex_account_asset_free,
            "{\"collateralList\":[],\"positionList\":[{\"contractId\":\"1\",\"openSize\":\"1\"}],\"collateralAssetModelList\":[]}",
            "positionList[0].openValue: is missing", "account asset: a position without its value");

    edgex_order_list o;
    REFUSED(edgex_parse_orders, edgex_order_list, edgex_order_list_free,
            "[{\"id\":\"1\",\"contractId\":\"1\",\"side\":\"LONG\",\"type\":\"LIMIT\",\"status\":\"OPEN\",\"size\":\"1\"}]",
            "side: is not BUY or SELL", "orders: an unknown side");
    j = load("[{\"id\":\"1\",\"contractId\":\"1\",\"side\":\"UNKNOWN_ORDER_SIDE\",\"type\":\"LIMIT\",\"status\":\"OPEN\",\"size\":\"1\"}]");
    is_int(edgex_parse_orders(j, &o, err, sizeof err), 0, "orders: the venue's UNKNOWN side of an unused leg reads as none");
    edgex_order_list_free(&o);
    json_decref(j);

    edgex_cancel_result c;
    j = load("{\"cancelResultMap\":{\"2\":\"FAILED_ORDER_NOT_FOUND\",\"1\":\"SUCCESS_ORDER_CANCELING\"}}");
    is_int(edgex_parse_cancel_result(j, &c, err, sizeof err), 0, "cancel: parses");
    ok(c.count == 2 && !c.items[0].ok && c.items[1].ok && strcmp(c.items[0].id, "2") == 0, "cancel: payload order, per-id result");
    edgex_cancel_result_free(&c);
    json_decref(j);
    REFUSED(edgex_parse_cancel_result, edgex_cancel_result, edgex_cancel_result_free, "{\"cancelResultMap\":null}", "is missing",
            "cancel: a null map");
    REFUSED(edgex_parse_page, edgex_page, (void), "{\"dataList\":[],\"nextPageOffsetData\":\"08 80\"}", "not a plain cursor",
            "page: a cursor that would need encoding in the signed query");
}

static void errors(void) {
    venue_error e;
    char code[48];
    static const struct { const char *body; int status; venue_error_kind kind; const char *message; } cases[] = {
        {"{\"code\":\"INSUFFICIENT_BALANCE\",\"msg\":\"insufficient balance\"}", 200, VENUE_ERROR_INSUFFICIENT_FUNDS,
         "INSUFFICIENT_BALANCE: insufficient balance"},
        {"{\"code\":\"GATEWAY_HEADER_REQUIRED\",\"msg\":null}", 400, VENUE_ERROR_AUTH, "GATEWAY_HEADER_REQUIRED"},
        {"{\"code\":\"INVALID_API_KEY\",\"msg\":\"invalid api key\"}", 401, VENUE_ERROR_AUTH, "INVALID_API_KEY: invalid api key"},
        {"{\"code\":\"SOMETHING_NEW\",\"msg\":\"x\"}", 200, VENUE_ERROR_INVALID_ORDER, "SOMETHING_NEW: x"},
        {"{\"code\":\"INTERNAL_ERROR\",\"msg\":\"boom\"}", 500, VENUE_ERROR_UNAVAILABLE, "INTERNAL_ERROR: boom"},
        {"\r\n<html>\r\n<head><title>503 Service Temporarily Unavailable</title>", 503, VENUE_ERROR_UNAVAILABLE,
         "HTTP 503: <html>"},
        {"", 504, VENUE_ERROR_UNAVAILABLE, "HTTP 504 with an empty body"},
        {"{\"code\":\"NOT_FOUND\",\"msg\":\"no such endpoint\"}", 404, VENUE_ERROR_NOT_SUPPORTED, "NOT_FOUND: no such endpoint"},
        {"[1,2]", 200, VENUE_ERROR_BAD_RESPONSE, "HTTP 200: [1,2]"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        edgex_parse_error_body(cases[i].body, strlen(cases[i].body), cases[i].status, &e, code, sizeof code);
        ok(e.kind == cases[i].kind && strcmp(e.message, cases[i].message) == 0, "error %zu (HTTP %d) -> %s (%s, '%s')", i,
           cases[i].status, venue_error_kind_name(cases[i].kind), venue_error_kind_name(e.kind), e.message);
    }
    const char *broken = "{\"code\":\"X\",\"msg\":\"line\\nbreak\"}";
    edgex_parse_error_body(broken, strlen(broken), 400, &e, code, sizeof code);
    is_str(e.message, "X: line break", "error: control characters become spaces (one printable line)");
}

static void frames(void) {
    static const struct { const char *text; edgex_ws_type type; } good[] = {
        {"{\"type\":\"connected\",\"sid\":\"a\"}", EDGEX_WS_CONNECTED},
        {"{\"type\":\"subscribed\",\"channel\":\"depth.1.15\"}", EDGEX_WS_SUBSCRIBED},
        {"{\"type\":\"ping\",\"time\":1700000000000}", EDGEX_WS_PING},
        {"{\"type\":\"pong\",\"time\":\"1\"}", EDGEX_WS_PONG},
        {"{\"type\":\"error\",\"content\":{\"code\":\"INVALID_CHANNEL\",\"msg\":\"x\"}}", EDGEX_WS_ERROR},
        {"{\"type\":\"quote-event\",\"channel\":\"ticker.1\",\"content\":{\"dataType\":\"Changed\",\"data\":[]}}", EDGEX_WS_QUOTE},
        {"{\"type\":\"payload\",\"content\":{\"dataType\":\"Snapshot\",\"channel\":\"depth.1.15\",\"data\":[]}}", EDGEX_WS_QUOTE},
        {"{\"type\":\"trade-event\",\"content\":{\"event\":\"Snapshot\",\"version\":\"5\",\"data\":{}}}", EDGEX_WS_TRADE_EVENT},
    };
    char err[512];
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        json_t *j = load(good[i].text);
        edgex_ws_message m;
        int rc = edgex_parse_ws_message(j, &m, err, sizeof err);
        ok(rc == 0 && m.type == good[i].type, "frame %zu: %s", i, good[i].text);
        json_decref(j);
    }
    json_t *j = load("{\"type\":\"ping\",\"time\":1700000000000}");
    edgex_ws_message m;
    edgex_parse_ws_message(j, &m, err, sizeof err);
    is_str(m.time, "1700000000000", "ping: a numeric time is kept as its digits");
    json_decref(j);
    j = load("{\"type\":\"payload\",\"content\":{\"dataType\":\"Snapshot\",\"channel\":\"depth.1.15\",\"data\":[]}}");
    edgex_parse_ws_message(j, &m, err, sizeof err);
    ok(strcmp(m.channel, "depth.1.15") == 0 && m.is_snapshot, "quote: the channel from the content when the frame has none");
    is_str(edgex_channel_kind(m.channel), "depth", "channel kind: depth");
    ok(edgex_channel_kind("kline.LAST_PRICE.1.MINUTE_1") == NULL, "channel kind: kline is not read");
    json_decref(j);
    static const struct { const char *text, *needle; } bad[] = {
        {"[]", "is not a JSON object"},
        {"{\"channel\":\"x\"}", "type: is missing"},
        {"{\"type\":\"quote-event\",\"channel\":\"depth.1.15\"}", "content: is not an object"},
        {"{\"type\":\"quote-event\",\"channel\":\"depth.1.15\",\"content\":{\"data\":{}}}", "data: is not a list"},
        {"{\"type\":\"trade-event\",\"content\":{\"version\":\"1\",\"data\":{}}}", "event: is missing"},
        {"{\"type\":\"trade-event\",\"content\":{\"event\":\"ORDER_UPDATE\",\"data\":[]}}", "data: is not an object"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        j = load(bad[i].text);
        int rc = edgex_parse_ws_message(j, &m, err, sizeof err);
        ok(rc == -1 && strstr(err, bad[i].needle) != NULL, "bad frame %zu refused naming '%s' (%s)", i, bad[i].needle, err);
        json_decref(j);
    }
}

int main(void) {
    metadata();
    values();
    account();
    errors();
    frames();
    return done_testing();
}
