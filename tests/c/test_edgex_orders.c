/* edgeX order and request signing with bad input: every malformed field is refused with an
 * error naming it (never a crash, never a signature over a guessed value), inexact amounts are
 * refused under the exact rule, and the bodies are valid JSON that round-trips client order ids
 * with quotes, backslashes and non-ASCII text. Also the v2 auth helpers' rendering rules. */
#include <jansson.h>
#include <string.h>

#include "exchanges/edgex/sign.h"
#include "tests/c/tap.h"

#define STARK_KEY "04a787a45c81df4d32a612cbed36d7d809bce582380b77819fdf3f4b830e8159"
#define SIGNER_KEY "1b1abd2526be3aaaea2ed0f74d9a99b68bb4876788e003b8284d5550cd7a6711"

static const edgex_v1_market BTC_V1 = {
    .contract_id = "10000001",
    .synthetic_asset_id = "0x425443322d31300000000000000000",
    .synthetic_resolution = "0x2540be400",
    .collateral_asset_id = "0x33bda5c923bae4e84825b74762d5482889b9512465fbffc50d1ae4b82e345c3",
    .collateral_resolution = "0xf4240",
    .tick_size = "0.1",
};

static const edgex_v2_market BTC_V2 = {
    .contract_id = "30000001", .quote_coin_id = "1000", .synthetic_resolution = "10000000000",
    .collateral_resolution = "1000000", .tick_size = "0.1", .taker_fee_rate = "0.00038", .maker_fee_rate = "0.00015",
};

static edgex_stark_key stark_key;
static edgex_eth_key eth_key;
static uint8_t domain[32];

static edgex_v1_order_input v1_base(void) {
    return (edgex_v1_order_input){
        .market = &BTC_V1, .account_id = "700000000000000001", .side = EDGEX_BUY, .kind = EDGEX_LIMIT,
        .price = "97444.5", .size = "0.001", .client_order_id = "edgex-vec-0001", .fee_rate = "0.00055",
        .fee_rounding = EDGEX_FEE_CEIL_INTEGER, .value_rule = EDGEX_VALUE_ROUND_BY_SIDE, .now_ms = 1763700000000LL,
        .expiry_rule = EDGEX_V1_EXPIRY_GO_SDK,
    };
}

static edgex_v2_order_input v2_base(void) {
    return (edgex_v2_order_input){
        .market = &BTC_V2, .domain_separator = domain, .account_id = "700000000000000001", .side = EDGEX_BUY,
        .kind = EDGEX_LIMIT, .price = "97444.5", .size = "0.001", .client_order_id = "edgex-v2-vec-0001",
        .now_ms = 1795000000000LL, .value_rule = EDGEX_VALUE_EXACT,
    };
}

/* Signs in; expects code and an error mentioning `needle`; the order must carry no signature. */
static void v1_refused(edgex_v1_order_input in, int code, const char *needle, const char *what) {
    edgex_v1_order order;
    edgex_error err = {0, ""};
    edgex_v1_order_init(&order);
    is_int(edgex_v1_order_sign(&order, &in, &stark_key, NULL, &err), code, "v1 %s: refused", what);
    ok(strstr(err.message, needle) != NULL, "v1 %s: error mentions '%s' (%s)", what, needle, err.message);
    ok(order.signature_hex[0] == '\0' && order.body.len == 0, "v1 %s: no signature or body produced", what);
    edgex_v1_order_free(&order);
}

static void v2_refused(edgex_v2_order_input in, int code, const char *needle, const char *what) {
    edgex_v2_order order;
    edgex_error err = {0, ""};
    edgex_v2_order_init(&order);
    is_int(edgex_v2_order_sign(&order, &in, &eth_key, &err), code, "v2 %s: refused", what);
    ok(strstr(err.message, needle) != NULL, "v2 %s: error mentions '%s' (%s)", what, needle, err.message);
    ok(order.signature_hex[0] == '\0' && order.body.len == 0, "v2 %s: no signature or body produced", what);
    edgex_v2_order_free(&order);
}

static void v1_orders(void) {
    edgex_v1_order_input in;
    edgex_v1_market m;

    in = v1_base(); in.market = NULL; v1_refused(in, EDGEX_E_INPUT, "market", "no market");
    in = v1_base(); in.account_id = "70000000000000000x"; v1_refused(in, EDGEX_E_INPUT, "account_id", "account id with a letter");
    in = v1_base(); in.account_id = "18446744073709551616"; v1_refused(in, EDGEX_E_INPUT, "account_id", "account id above 2^64");
    in = v1_base(); in.account_id = NULL; v1_refused(in, EDGEX_E_INPUT, "account_id", "missing account id");
    in = v1_base(); in.price = "abc"; v1_refused(in, EDGEX_E_INPUT, "price", "price not a number");
    in = v1_base(); in.price = "-97444.5"; v1_refused(in, EDGEX_E_INPUT, "price", "negative price");
    in = v1_base(); in.price = "0"; v1_refused(in, EDGEX_E_INPUT, "price", "zero price");
    in = v1_base(); in.price = NULL; v1_refused(in, EDGEX_E_INPUT, "price", "missing price");
    in = v1_base(); in.size = "0.0001"; in.size = "0.00000000001"; v1_refused(in, EDGEX_E_INEXACT, "size", "size below the resolution");
    in = v1_base(); in.size = ""; v1_refused(in, EDGEX_E_INPUT, "size", "empty size");
    in = v1_base(); in.client_order_id = ""; v1_refused(in, EDGEX_E_INPUT, "client_order_id", "empty client id");
    in = v1_base(); in.client_order_id = "line\nbreak"; v1_refused(in, EDGEX_E_INPUT, "client_order_id", "control character in client id");
    char long_id[200];
    memset(long_id, 'a', sizeof long_id - 1);
    long_id[sizeof long_id - 1] = '\0';
    in = v1_base(); in.client_order_id = long_id; v1_refused(in, EDGEX_E_INPUT, "client_order_id", "client id of 199 bytes");
    in = v1_base(); in.fee_rate = "-0.001"; v1_refused(in, EDGEX_E_INPUT, "fee_rate", "negative fee rate");
    in = v1_base(); in.fee_rate = NULL; v1_refused(in, EDGEX_E_INPUT, "fee_rate", "missing fee rate");
    in = v1_base(); in.time_in_force = "GTC"; v1_refused(in, EDGEX_E_INPUT, "time_in_force", "unknown time in force");
    in = v1_base(); in.kind = EDGEX_MARKET; in.time_in_force = "GOOD_TIL_CANCEL"; in.oracle_price = "100000";
    v1_refused(in, EDGEX_E_INPUT, "MARKET", "GTC market order");
    in = v1_base(); in.kind = EDGEX_MARKET; in.oracle_price = NULL; v1_refused(in, EDGEX_E_INPUT, "oracle_price", "market buy without oracle price");
    in = v1_base(); in.kind = EDGEX_MARKET; in.worst_price = "97444.55";
    v1_refused(in, EDGEX_E_INPUT, "tick_size", "market worst price off the tick");
    in = v1_base(); in.side = (edgex_side)7; v1_refused(in, EDGEX_E_INPUT, "side", "side out of range");
    in = v1_base(); in.kind = (edgex_order_kind)9; v1_refused(in, EDGEX_E_INPUT, "type", "type out of range");
    in = v1_base(); in.now_ms = 0; v1_refused(in, EDGEX_E_INPUT, "now_ms", "no clock");
    in = v1_base(); in.expiry_rule = EDGEX_V1_EXPIRY_EXPLICIT; in.expire_time_ms = 1764045600000LL;
    in.l2_expire_time_ms = 1764045600000LL + 7 * EDGEX_MS_PER_DAY;
    v1_refused(in, EDGEX_E_INPUT, "8 days", "l2 expiry less than 8 days after expiry");

    m = BTC_V1; m.synthetic_asset_id = "0xnothex"; in = v1_base(); in.market = &m;
    v1_refused(in, EDGEX_E_INPUT, "synthetic asset id", "asset id not hex");
    m = BTC_V1; m.collateral_asset_id = "0x0800000000000011000000000000000000000000000000000000000000000001"; in = v1_base(); in.market = &m;
    v1_refused(in, EDGEX_E_INPUT, "collateral asset id", "asset id = p");
    m = BTC_V1; m.synthetic_resolution = "0"; in = v1_base(); in.market = &m;
    v1_refused(in, EDGEX_E_INPUT, "synthetic resolution", "zero resolution");
    m = BTC_V1; m.collateral_resolution = "0x10000000000000000"; in = v1_base(); in.market = &m;
    v1_refused(in, EDGEX_E_INPUT, "collateral resolution", "resolution of 2^64");
    m = BTC_V1; m.contract_id = "BTCUSDT"; in = v1_base(); in.market = &m;
    v1_refused(in, EDGEX_E_INPUT, "contract_id", "contract name instead of id");
    m = BTC_V1; m.collateral_resolution = "3000000"; in = v1_base(); in.market = &m; in.price = "0.0123457"; in.size = "777";
    v1_refused(in, EDGEX_E_INPUT, "power of ten", "side rounding with a non-decimal resolution");
    in = v1_base(); in.price = "0.0123457"; in.size = "777"; in.value_rule = EDGEX_VALUE_EXACT;
    v1_refused(in, EDGEX_E_INEXACT, "l2Value", "7-decimal value under the exact rule");

    /* a valid order with an awkward client id: the body is valid JSON carrying it unchanged */
    const char *awkward = "q\"uote\\slash/é€";
    in = v1_base(); in.client_order_id = awkward;
    edgex_v1_order order;
    edgex_error err;
    edgex_v1_order_init(&order);
    is_int(edgex_v1_order_sign(&order, &in, &stark_key, NULL, &err), EDGEX_OK, "v1 awkward client id: signed");
    json_error_t jerr;
    json_t *body = json_loads(edgex_text_str(&order.body), 0, &jerr);
    ok(body != NULL, "v1 awkward client id: body parses as JSON (%s)", body ? "ok" : jerr.text);
    is_str(json_string_value(json_object_get(body, "clientOrderId")), awkward, "v1 awkward client id: round-trips");
    edgex_text generic;
    edgex_text_init(&generic);
    edgex_render_json_body(&generic, body, &err);
    is_str(edgex_text_str(&order.rendered_params), edgex_text_str(&generic), "v1 awkward client id: fixed rendering == generic rendering");
    json_decref(body);
    /* the signature verifies against the message hash */
    is_int(edgex_stark_verify(&order.hashes.msg_hash, &order.signature, &stark_key.public_key, &err), EDGEX_OK,
           "v1 awkward client id: signature verifies");
    /* the asset cache gives the same hashes as the uncached path, also on the second use */
    edgex_v1_asset_cache cache;
    edgex_v1_asset_cache_init(&cache);
    edgex_v1_order cached;
    edgex_v1_order_init(&cached);
    int same = 1;
    for (int i = 0; i < 3; i++) {
        in.side = i % 2 ? EDGEX_SELL : EDGEX_BUY;
        edgex_v1_order_sign(&order, &in, &stark_key, NULL, &err);
        edgex_v1_order_sign(&cached, &in, &stark_key, &cache, &err);
        same &= !edgex_u256_cmp(&order.hashes.msg_hash, &cached.hashes.msg_hash) &&
                !strcmp(order.signature_hex, cached.signature_hex);
    }
    ok(same, "v1 asset cache: same hash and signature as without the cache (buy, sell, buy)");
    edgex_v1_order_free(&cached);
    edgex_text_free(&generic);
    edgex_v1_order_free(&order);
}

static void v2_orders(void) {
    edgex_v2_order_input in;
    edgex_v2_market m;
    in = v2_base(); in.domain_separator = NULL; v2_refused(in, EDGEX_E_INPUT, "domain", "no EIP-712 domain");
    in = v2_base(); in.market = NULL; v2_refused(in, EDGEX_E_INPUT, "market", "no market");
    in = v2_base(); in.size = "0.0000000000001"; v2_refused(in, EDGEX_E_INEXACT, "size", "size below the resolution");
    in = v2_base(); in.price = "0.0000123"; in.size = "7"; m = BTC_V2; m.synthetic_resolution = "1"; in.market = &m;
    v2_refused(in, EDGEX_E_INEXACT, "l2Value", "value with 7 decimals (exact rule)");
    m = BTC_V2; m.quote_coin_id = "-1"; in = v2_base(); in.market = &m; v2_refused(in, EDGEX_E_INPUT, "quote_coin_id", "negative coin id");
    m = BTC_V2; m.taker_fee_rate = "fast"; in = v2_base(); in.market = &m; v2_refused(in, EDGEX_E_INPUT, "taker fee rate", "fee rate not a number");
    in = v2_base(); in.account_fee_rate = "-1"; v2_refused(in, EDGEX_E_INPUT, "account fee rate", "negative account fee rate");
    in = v2_base(); in.client_order_id = NULL; v2_refused(in, EDGEX_E_INPUT, "client_order_id", "missing client id");
    in = v2_base(); in.kind = EDGEX_MARKET; in.side = EDGEX_SELL; m = BTC_V2; m.tick_size = "tick"; in.market = &m;
    v2_refused(in, EDGEX_E_INPUT, "tick_size", "market sell with a bad tick size");
    in = v2_base(); in.now_ms = -5; v2_refused(in, EDGEX_E_INPUT, "now_ms", "negative clock");
    in = v2_base(); in.kind = EDGEX_MARKET; in.worst_price = "101000.05";
    v2_refused(in, EDGEX_E_INPUT, "tick_size", "market worst price off the tick");
    in = v2_base(); in.kind = EDGEX_MARKET; in.worst_price = "0"; v2_refused(in, EDGEX_E_INPUT, "worst_price", "zero worst price");

    /* the account's own higher rate raises the fee cap */
    edgex_v2_order order;
    edgex_error err;
    edgex_v2_order_init(&order);
    in = v2_base(); in.size = "12.345"; in.price = "123456.7";
    is_int(edgex_v2_order_sign(&order, &in, &eth_key, &err), EDGEX_OK, "v2 large order: signed");
    is_str(order.l2_limit_fee, "580", "v2 large order: cap from max(taker, maker) = 0.00038");
    in.account_fee_rate = "0.0006";
    is_int(edgex_v2_order_sign(&order, &in, &eth_key, &err), EDGEX_OK, "v2 large order with account rate: signed");
    is_str(order.l2_limit_fee, "915", "v2 large order: cap uses the account's 0.0006");
    /* a market order with a bounded worst price signs that price: value and fee cap follow it,
     * the oracle price is not needed, and the body still says price "0" */
    in = v2_base(); in.kind = EDGEX_MARKET; in.worst_price = "101000.1"; in.oracle_price = NULL;
    is_int(edgex_v2_order_sign(&order, &in, &eth_key, &err), EDGEX_OK, "v2 bounded market buy: signed");
    is_str(order.l2_price, "101000.1", "v2 bounded market buy: signs the worst price");
    is_str(order.l2_value, "101.0001", "v2 bounded market buy: value at the worst price");
    is_str(order.l2_limit_fee, "1", "v2 bounded market buy: fee cap from that value");
    ok(strstr(edgex_text_str(&order.body), "\"price\":\"0\"") != NULL, "v2 bounded market buy: body price \"0\"");
    in.side = EDGEX_SELL; in.worst_price = "99000";
    is_int(edgex_v2_order_sign(&order, &in, &eth_key, &err), EDGEX_OK, "v2 bounded market sell: signed");
    is_str(order.l2_value, "99", "v2 bounded market sell: value at the worst price (not the tick)");
    uint8_t recovered[20];
    is_int(edgex_eth_recover_address(recovered, order.digest, &order.signature, &err), EDGEX_OK, "v2: signature recovers");
    ok(memcmp(recovered, eth_key.address, 20) == 0, "v2: recovered address is the signer");
    edgex_v2_order_free(&order);

    edgex_v2_margin margin;
    edgex_v2_margin_init(&margin);
    edgex_v2_margin_input mi = {.domain_separator = domain, .account_id = "1", .contract_id = "30000001", .margin_mode = 2,
                                .client_id = "x", .now_ms = 1795000000000LL};
    is_int(edgex_v2_margin_sign(&margin, &mi, &eth_key, &err), EDGEX_E_INPUT, "v2 margin mode 2: refused");
    ok(strstr(err.message, "margin_mode") != NULL, "v2 margin mode 2: names margin_mode (%s)", err.message);
    mi.margin_mode = 1;
    mi.contract_id = "";
    is_int(edgex_v2_margin_sign(&margin, &mi, &eth_key, &err), EDGEX_E_INPUT, "v2 margin without contract: refused");
    edgex_v2_margin_free(&margin);

    uint8_t sep[32];
    is_int(edgex_eip712_domain_separator(sep, NULL, "EdgeX", "1", "33x", "0x1ae109ea449cfe0bed08bfe8911e968a49a919b1", &err),
           EDGEX_E_INPUT, "domain: chain id with a letter refused");
    is_int(edgex_eip712_domain_separator(sep, NULL, "EdgeX", "1", "3343", "0x1ae109ea449cfe0bed08bfe8911e968a49a919", &err),
           EDGEX_E_INPUT, "domain: 19-byte contract address refused");
    is_int(edgex_eip712_domain_separator(sep, NULL, "EdgeX", "1", NULL, "0x1ae109ea449cfe0bed08bfe8911e968a49a919b1", &err),
           EDGEX_E_INPUT, "domain: missing chain id refused");
}

static void rendering(void) {
    edgex_text out;
    edgex_error err;
    edgex_text_init(&out);
    edgex_query_param good[] = {{"size", "50"}, {"accountId", "7"}, {"offsetData", ""}};
    is_int(edgex_render_query(&out, good, 3, 0, &err), EDGEX_OK, "query: renders");
    is_str(edgex_text_str(&out), "accountId=7&size=50", "query: sorted, empty value dropped");
    edgex_query_param spaced[] = {{"accountId", "7"}, {"clientOrderIdList", "a b"}};
    is_int(edgex_render_query(&out, spaced, 2, 0, &err), EDGEX_E_INPUT, "query: space in a value refused");
    ok(strstr(err.message, "clientOrderIdList") != NULL, "query: error names the parameter (%s)", err.message);
    edgex_query_param amp[] = {{"id", "1&admin=1"}};
    is_int(edgex_render_query(&out, amp, 1, 0, &err), EDGEX_E_INPUT, "query: '&' in a value refused (would change the query)");
    edgex_query_param dup[] = {{"id", "1"}, {"id", "2"}};
    is_int(edgex_render_query(&out, dup, 2, 0, &err), EDGEX_E_INPUT, "query: duplicate name refused");
    edgex_query_param noname[] = {{NULL, "1"}};
    is_int(edgex_render_query(&out, noname, 1, 0, &err), EDGEX_E_INPUT, "query: missing name refused");

    json_t *body = json_pack("{s:s, s:i}", "accountId", "7", "leverage", 3);
    is_int(edgex_render_json_body(&out, body, &err), EDGEX_E_INPUT, "body: JSON number refused");
    ok(strstr(err.message, "leverage") != NULL, "body: error names the field (%s)", err.message);
    json_decref(body);
    body = json_pack("[s]", "x");
    is_int(edgex_render_json_body(&out, body, &err), EDGEX_E_INPUT, "body: a top-level array is refused");
    json_decref(body);
    body = json_pack("{s:s, s:{s:s, s:b}, s:n, s:[s,s], s:[]}", "b", "2", "a", "z", "y", "x", 1, "n", "l", "p", "q", "e");
    is_int(edgex_render_json_body(&out, body, &err), EDGEX_OK, "body: nested values render");
    is_str(edgex_text_str(&out), "a=x=true&z=y&b=2&e=&l=p&q&n=", "body: sorted keys, inline objects, arrays, null");
    json_decref(body);

    edgex_v1_request_auth auth;
    edgex_v1_request_auth_init(&auth);
    is_int(edgex_v1_request_sign(&auth, &stark_key, 1763700001137LL, "get", "/api/v1/private/x", "", &err), EDGEX_E_INPUT,
           "v1 request: lower-case method refused");
    is_int(edgex_v1_request_sign(&auth, &stark_key, 1763700001137LL, "GET", "/api/v1/private/x?a=1", "", &err), EDGEX_E_INPUT,
           "v1 request: query in the path refused");
    is_int(edgex_v1_request_sign(&auth, &stark_key, 0, "GET", "/api/v1/private/x", "", &err), EDGEX_E_INPUT,
           "v1 request: zero timestamp refused");
    is_int(edgex_v1_request_sign(&auth, &stark_key, 1763700001137LL, "GET", "/api/v1/private/x", "", &err), EDGEX_OK,
           "v1 request: valid request signs");
    is_int((long long)strlen(auth.signature_hex), 128, "v1 request: 128 hex characters");
    edgex_v1_request_auth_free(&auth);
    edgex_text_free(&out);
}

int main(void) {
    edgex_error err;
    if (edgex_stark_key_parse(&stark_key, STARK_KEY, "test stark key", &err) ||
        edgex_eth_key_parse(&eth_key, SIGNER_KEY, "test signer key", &err) ||
        edgex_eip712_domain_separator(domain, NULL, "EdgeX", "1", "33431", "0x1ae109ea449cfe0bed08bfe8911e968a49a919b1", &err)) {
        diag("setup failed: %s", err.message);
        return 1;
    }
    v1_orders();
    v2_orders();
    rendering();
    edgex_stark_key_wipe(&stark_key);
    edgex_eth_key_wipe(&eth_key);
    return done_testing();
}
