/* exchanges/pacifica/parse.h against every file of shared/fixtures/pacifica/ (format in
 * shared/fixtures/README.md): each payload is parsed by the C parsers, the parsed structs are
 * rendered in the fixtures' "expect" vocabulary, and every fact the fixture lists must match
 * (a fact this test does not know how to produce is a failure, never a skip). Then bad
 * payloads: each must be refused with an error naming the member. */
#include <dirent.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "exchanges/pacifica/parse.h"
#include "tests/c/tap.h"

/* ---- facts in the fixtures' vocabulary ---------------------------------------------------- */

static json_t *decimal_fact(const pacifica_decimal_text *value) {
    return value->text[0] ? json_string(value->text) : json_null();
}

static json_t *text_fact(const char *text) {
    return text[0] ? json_string(text) : json_null();
}

static void set_int(json_t *object, const char *key, const pacifica_optional_int *value) {
    if (value->present) json_object_set_new(object, key, json_integer(value->value));
}

static void set_nullable_int(json_t *object, const char *key, const pacifica_optional_int *value) {
    json_object_set_new(object, key, value->present ? json_integer(value->value) : json_null());
}

static const char *order_side(pacifica_side side) {
    return side == PACIFICA_SIDE_BID ? "buy" : side == PACIFICA_SIDE_ASK ? "sell" : "none";
}

static const char *position_side(pacifica_side side) {
    return side == PACIFICA_SIDE_BID ? "long" : side == PACIFICA_SIDE_ASK ? "short" : "none";
}

static void set_paging(json_t *facts, const pacifica_envelope *envelope) {
    if (envelope->next_cursor[0]) json_object_set_new(facts, "next_cursor", json_string(envelope->next_cursor));
    if (envelope->has_more_present) json_object_set_new(facts, "has_more", json_boolean(envelope->has_more));
    set_int(facts, "last_order_id", &envelope->last_order_id);
}

static int facts_markets(const json_t *data, json_t *facts, char *err, size_t cap) {
    pacifica_market_list list;
    if (pacifica_parse_markets(data, &list, err, cap) != 0) return -1;
    json_t *samples = json_object();
    size_t perps = 0;
    for (size_t i = 0; i < list.count; i++) {
        const pacifica_market *m = &list.items[i];
        perps += (size_t)m->is_perpetual;
        char leverage[24];
        snprintf(leverage, sizeof leverage, "%" PRId64, m->max_leverage);
        json_object_set_new(samples, m->symbol,
            json_pack("{s:s,s:o,s:o,s:o,s:o,s:s,s:o,s:o,s:b,s:o,s:o,s:b}", "id", m->symbol,
                      "tick", decimal_fact(&m->tick_size), "step", decimal_fact(&m->lot_size),
                      "min_notional", decimal_fact(&m->min_order_size), "max_notional", decimal_fact(&m->max_order_size),
                      "max_leverage", leverage, "min_price", decimal_fact(&m->min_tick),
                      "max_price", decimal_fact(&m->max_tick), "isolated_only", m->isolated_only,
                      "funding_rate", decimal_fact(&m->funding_rate),
                      "next_funding_rate", decimal_fact(&m->next_funding_rate), "perpetual", m->is_perpetual));
    }
    json_object_set_new(facts, "count", json_integer((json_int_t)list.count));
    json_object_set_new(facts, "perp_count", json_integer((json_int_t)perps));
    json_object_set_new(facts, "samples", samples);
    pacifica_market_list_free(&list);
    return 0;
}

static int facts_prices(const json_t *data, json_t *facts, char *err, size_t cap) {
    pacifica_price_list list;
    if (pacifica_parse_prices(data, &list, err, cap) != 0) return -1;
    for (size_t i = 0; i < list.count; i++) {
        const pacifica_price *p = &list.items[i];
        json_t *one = json_pack("{s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "rate", decimal_fact(&p->funding),
                                "predicted_rate", decimal_fact(&p->next_funding), "mark", decimal_fact(&p->mark),
                                "index", decimal_fact(&p->oracle), "mid", decimal_fact(&p->mid),
                                "volume_24h", decimal_fact(&p->volume_24h),
                                "open_interest", decimal_fact(&p->open_interest),
                                "yesterday_price", decimal_fact(&p->yesterday_price));
        set_int(one, "timestamp", &p->timestamp);
        json_object_set_new(facts, p->symbol, one);
    }
    json_object_set_new(facts, "count", json_integer((json_int_t)list.count));
    pacifica_price_list_free(&list);
    return 0;
}

static int facts_funding_history(const json_t *data, json_t *facts, char *err, size_t cap) {
    pacifica_funding_history history;
    if (pacifica_parse_funding_history(data, &history, err, cap) != 0) return -1;
    json_object_set_new(facts, "count", json_integer((json_int_t)history.count));
    if (history.count) {
        const pacifica_funding_record *r = &history.items[0];
        json_t *first = json_pack("{s:o,s:o,s:o,s:o,s:o}", "funding_rate", decimal_fact(&r->funding_rate),
                                  "next_funding_rate", decimal_fact(&r->next_funding_rate),
                                  "oracle_price", decimal_fact(&r->oracle_price),
                                  "bid_impact_price", decimal_fact(&r->bid_impact_price),
                                  "ask_impact_price", decimal_fact(&r->ask_impact_price));
        set_int(first, "created_at", &r->created_at);
        json_object_set_new(facts, "first", first);
    }
    pacifica_funding_history_free(&history);
    return 0;
}

static json_t *best_level(const pacifica_book_level *levels, size_t count) {
    if (!count) return json_null();
    return json_pack("[o,o]", decimal_fact(&levels[0].price), decimal_fact(&levels[0].amount));
}

static int facts_book(const json_t *data, json_t *facts, char *err, size_t cap) {
    pacifica_book book;
    if (pacifica_parse_book(data, &book, err, cap) != 0) return -1;
    json_object_set_new(facts, "best_bid", best_level(book.bids, book.bid_count));
    json_object_set_new(facts, "best_ask", best_level(book.asks, book.ask_count));
    json_object_set_new(facts, "bid_levels", json_integer((json_int_t)book.bid_count));
    json_object_set_new(facts, "ask_levels", json_integer((json_int_t)book.ask_count));
    json_object_set_new(facts, "symbol", text_fact(book.symbol));
    set_int(facts, "timestamp", &book.timestamp);
    pacifica_book_free(&book);
    return 0;
}

static int facts_account(const json_t *data, json_t *facts, char *err, size_t cap) {
    pacifica_account a;
    if (pacifica_parse_account(data, &a, err, cap) != 0) return -1;
    json_object_set_new(facts, "equity", decimal_fact(&a.account_equity));
    json_object_set_new(facts, "available", decimal_fact(&a.available_to_spend));
    json_object_set_new(facts, "available_to_withdraw", decimal_fact(&a.available_to_withdraw));
    json_object_set_new(facts, "margin_used", decimal_fact(&a.total_margin_used));
    json_object_set_new(facts, "balance", decimal_fact(&a.balance));
    json_object_set_new(facts, "pending_balance", decimal_fact(&a.pending_balance));
    json_object_set_new(facts, "cross_mmr", decimal_fact(&a.cross_mmr));
    json_object_set_new(facts, "maker_fee", decimal_fact(&a.maker_fee));
    json_object_set_new(facts, "taker_fee", decimal_fact(&a.taker_fee));
    set_int(facts, "fee_tier", &a.fee_level);
    set_int(facts, "fee_level", &a.fee_level);
    set_int(facts, "positions_count", &a.positions_count);
    set_int(facts, "orders_count", &a.orders_count);
    set_int(facts, "stop_orders_count", &a.stop_orders_count);
    set_int(facts, "timestamp", &a.updated_at);
    set_int(facts, "updated_at", &a.updated_at);
    return 0;
}

static int facts_positions(const json_t *data, json_t *facts, char *err, size_t cap) {
    pacifica_position_list list;
    if (pacifica_parse_positions(data, &list, err, cap) != 0) return -1;
    json_t *samples = json_array();
    for (size_t i = 0; i < list.count; i++) {
        const pacifica_position *p = &list.items[i];
        /* The vocabulary counts OPEN positions; a flat row is not one. */
        if (strspn(p->amount.text, "0.") == strlen(p->amount.text)) continue;
        json_t *one = json_pack("{s:s,s:s,s:o,s:o,s:o,s:o,s:o,s:b}", "symbol", p->symbol, "side",
                                position_side(p->side), "size", decimal_fact(&p->amount),
                                "entry_price", decimal_fact(&p->entry_price),
                                "liquidation_price", decimal_fact(&p->liquidation_price),
                                "funding", decimal_fact(&p->funding), "margin", decimal_fact(&p->margin),
                                "isolated", p->isolated);
        set_int(one, "timestamp", &p->updated_at);
        set_int(one, "created_at", &p->created_at);
        set_int(one, "updated_at", &p->updated_at);
        json_array_append_new(samples, one);
    }
    json_object_set_new(facts, "count", json_integer((json_int_t)json_array_size(samples)));
    json_object_set_new(facts, "samples", samples);
    pacifica_position_list_free(&list);
    return 0;
}

static int facts_orders(const json_t *data, json_t *facts, char *err, size_t cap) {
    pacifica_order_list list;
    if (pacifica_parse_orders(data, &list, err, cap) != 0) return -1;
    json_t *orders = json_array();
    for (size_t i = 0; i < list.count; i++) {
        const pacifica_order *o = &list.items[i];
        json_t *one = json_pack("{s:I,s:o,s:s,s:s,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:b,s:o,s:o,s:o}",
                                "order_id", (json_int_t)o->order_id, "client_order_id", text_fact(o->client_order_id),
                                "symbol", o->symbol, "side", order_side(o->side), "price", decimal_fact(&o->price),
                                "size", decimal_fact(&o->amount), "filled", decimal_fact(&o->filled),
                                "cancelled", decimal_fact(&o->cancelled), "stop_price", decimal_fact(&o->stop_price),
                                "order_type", text_fact(o->order_type), "status", text_fact(o->status),
                                "reduce_only", o->reduce_only, "event", text_fact(o->event),
                                "event_type", text_fact(o->event), "reason", text_fact(o->reason));
        if (o->average_price.text[0]) json_object_set_new(one, "avg_price", decimal_fact(&o->average_price));
        set_int(one, "history_id", &o->history_id);
        set_int(one, "created_at", &o->created_at);
        set_int(one, "updated_at", &o->updated_at);
        set_int(one, "timestamp", &o->timestamp);
        json_array_append_new(orders, one);
    }
    json_object_set_new(facts, "count", json_integer((json_int_t)list.count));
    json_object_set_new(facts, "orders", orders);
    pacifica_order_list_free(&list);
    return 0;
}

static int facts_trades(const json_t *data, json_t *facts, char *err, size_t cap) {
    pacifica_trade_list list;
    if (pacifica_parse_trades(data, &list, err, cap) != 0) return -1;
    json_object_set_new(facts, "count", json_integer((json_int_t)list.count));
    if (list.count) {
        const pacifica_trade *t = &list.items[0];
        const char *role = !strcmp(t->event_type, "fulfill_maker") ? "maker"
                         : !strcmp(t->event_type, "fulfill_taker") ? "taker" : "";
        json_t *first = json_pack("{s:s,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "symbol", t->symbol,
                                  "price", decimal_fact(&t->price), "size", decimal_fact(&t->amount),
                                  "entry_price", decimal_fact(&t->entry_price), "fee", decimal_fact(&t->fee),
                                  "pnl", decimal_fact(&t->pnl), "role", text_fact(role), "side", text_fact(t->side),
                                  "cause", text_fact(t->cause), "account", text_fact(t->account),
                                  "client_order_id", text_fact(t->client_order_id));
        set_int(first, "history_id", &t->history_id);
        set_int(first, "order_id", &t->order_id);
        set_int(first, "created_at", &t->created_at);
        set_int(first, "timestamp", &t->created_at);
        json_object_set_new(facts, "first", first);
    }
    pacifica_trade_list_free(&list);
    return 0;
}

static json_t *results_fact(const pacifica_action_result *results, size_t count) {
    json_t *list = json_array();
    for (size_t i = 0; i < count; i++) {
        json_t *one = json_pack("{s:b,s:o}", "success", results[i].success, "error", text_fact(results[i].error));
        set_nullable_int(one, "order_id", &results[i].order_id);
        json_array_append_new(list, one);
    }
    return list;
}

static int facts_rest_result(const json_t *payload, json_t *facts, char *err, size_t cap) {
    pacifica_order_result r;
    if (pacifica_parse_order_result(payload, &r, err, cap) != 0) return -1;
    if (r.envelope.has_success) json_object_set_new(facts, "success", json_boolean(r.envelope.success));
    if (r.envelope.has_code) json_object_set_new(facts, "code", json_integer(r.envelope.code));
    json_object_set_new(facts, "error", text_fact(r.envelope.error));
    set_nullable_int(facts, "order_id", &r.order_id);
    set_int(facts, "cancelled_count", &r.cancelled_count);
    if (r.envelope.data_is_null) json_object_set_new(facts, "data", json_null());
    if (r.results) json_object_set_new(facts, "results", results_fact(r.results, r.result_count));
    pacifica_order_result_free(&r);
    return 0;
}

static int facts_ws_answer(const json_t *payload, json_t *facts, char *err, size_t cap) {
    pacifica_ws_answer a;
    if (pacifica_parse_ws_answer(payload, &a, err, cap) != 0) return -1;
    json_object_set_new(facts, "code", json_integer(a.code));
    json_object_set_new(facts, "request_id", text_fact(a.request_id));
    json_object_set_new(facts, "type", text_fact(a.type));
    set_nullable_int(facts, "order_id", &a.order_id);
    json_object_set_new(facts, "client_order_id", text_fact(a.client_order_id));
    json_object_set_new(facts, "symbol", text_fact(a.symbol));
    json_object_set_new(facts, "error", text_fact(a.error));
    set_int(facts, "timestamp", &a.timestamp);
    set_int(facts, "cancelled_count", &a.cancelled_count);
    if (a.results) json_object_set_new(facts, "results", results_fact(a.results, a.result_count));
    json_object_set_new(facts, "success", json_boolean(a.code == 200));
    pacifica_ws_answer_free(&a);
    return 0;
}

typedef int (*facts_builder)(const json_t *data, json_t *facts, char *err, size_t cap);

static const struct { const char *kind; facts_builder build; int needs_envelope_data; } builders[] = {
    {"markets", facts_markets, 1},           {"funding_rates", facts_prices, 1},
    {"ws_prices", facts_prices, 1},          {"funding_history", facts_funding_history, 1},
    {"order_book", facts_book, 1},           {"ws_order_book", facts_book, 1},
    {"balance", facts_account, 1},           {"ws_account", facts_account, 1},
    {"positions", facts_positions, 1},       {"ws_positions", facts_positions, 1},
    {"open_orders", facts_orders, 1},        {"ws_orders", facts_orders, 1},
    {"account_trades", facts_trades, 1},     {"ws_trades", facts_trades, 1},
    {"order_result", facts_rest_result, 0},  {"cancel_result", facts_rest_result, 0},
    {"leverage_result", facts_rest_result, 0}, {"error", facts_rest_result, 0},
};

/* Parses the fixture payload into facts: WebSocket frames through pacifica_parse_ws_message,
 * REST bodies through the envelope (paging facts come from it). */
static json_t *build_facts(const char *kind, const json_t *payload, char *err, size_t cap) {
    const size_t builder_count = sizeof builders / sizeof builders[0];
    size_t b = 0;
    while (b < builder_count && strcmp(builders[b].kind, kind) != 0) b++;
    if (b == builder_count) {
        snprintf(err, cap, "no parser for kind %s", kind);
        return NULL;
    }
    json_t *facts = json_object();
    pacifica_ws_message frame;
    int rc;
    if (json_object_get(payload, "channel") || json_object_get(payload, "id")) {
        rc = pacifica_parse_ws_message(payload, &frame, err, cap);
        if (rc == 0 && frame.is_trading_answer) rc = facts_ws_answer(payload, facts, err, cap);
        else if (rc == 0) rc = builders[b].build(frame.data, facts, err, cap);
    } else if (!builders[b].needs_envelope_data) {
        rc = builders[b].build(payload, facts, err, cap);
    } else {
        pacifica_envelope envelope;
        rc = pacifica_parse_envelope(payload, &envelope, err, cap);
        if (rc == 0) rc = builders[b].build(envelope.data, facts, err, cap);
        if (rc == 0) set_paging(facts, &envelope);
    }
    if (rc != 0) {
        json_decref(facts);
        return NULL;
    }
    return facts;
}

/* ---- comparison ----------------------------------------------------------------------- */

/* Integers may be stringified on one side (the ccxt recorder); decimals are literal text. */
static int same_scalar(const json_t *expected, const json_t *found) {
    char text[32];
    if (json_is_string(expected) && json_is_integer(found)) {
        snprintf(text, sizeof text, "%" JSON_INTEGER_FORMAT, json_integer_value(found));
        return strcmp(text, json_string_value(expected)) == 0;
    }
    if (json_is_integer(expected) && json_is_string(found)) {
        snprintf(text, sizeof text, "%" JSON_INTEGER_FORMAT, json_integer_value(expected));
        return strcmp(text, json_string_value(found)) == 0;
    }
    return json_equal((json_t *)expected, (json_t *)found);
}

/* Every fact in expected must be in found; returns the number of facts checked, or -1 with
 * why naming the first difference. */
static long compare_facts(const json_t *expected, const json_t *found, const char *path, char *why, size_t cap) {
    if (json_is_object(expected)) {
        if (!json_is_object(found)) { snprintf(why, cap, "%s: expected an object", path); return -1; }
        long checked = 0;
        const char *key;
        json_t *value;
        json_object_foreach((json_t *)expected, key, value) {
            if (strcmp(key, "notes") == 0) continue;
            char child[256];
            snprintf(child, sizeof child, "%s%s%s", path, *path ? "." : "", key);
            const json_t *mine = json_object_get(found, key);
            if (!mine) { snprintf(why, cap, "%s: the parser gives no such fact", child); return -1; }
            long n = compare_facts(value, mine, child, why, cap);
            if (n < 0) return -1;
            checked += n;
        }
        return checked;
    }
    if (json_is_array(expected)) {
        if (!json_is_array(found) || json_array_size(found) != json_array_size(expected)) {
            snprintf(why, cap, "%s: expected %zu items, found %zu", path, json_array_size(expected), json_array_size(found));
            return -1;
        }
        long checked = 0;
        for (size_t i = 0; i < json_array_size(expected); i++) {
            char child[256];
            snprintf(child, sizeof child, "%s[%zu]", path, i);
            long n = compare_facts(json_array_get(expected, i), json_array_get(found, i), child, why, cap);
            if (n < 0) return -1;
            checked += n;
        }
        return checked;
    }
    if (same_scalar(expected, found)) return 1;
    char *want = json_dumps(expected, JSON_ENCODE_ANY), *have = json_dumps(found, JSON_ENCODE_ANY);
    snprintf(why, cap, "%s: expected %s, found %s", path, want ? want : "?", have ? have : "?");
    free(want);
    free(have);
    return -1;
}

static void check_fixture(const char *path) {
    const char *name = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    json_error_t error;
    json_t *fixture = json_load_file(path, 0, &error);
    const char *kind = json_string_value(json_object_get(fixture, "kind"));
    const json_t *payload = json_object_get(fixture, "payload"), *expect = json_object_get(fixture, "expect");
    char err[512] = "", why[1024] = "";
    if (!fixture || !kind || !payload || !expect) {
        ok(0, "%s: readable fixture (%s)", name, fixture ? "missing kind/payload/expect" : error.text);
        json_decref(fixture);
        return;
    }
    json_t *facts = build_facts(kind, payload, err, sizeof err);
    long checked = facts ? compare_facts(expect, facts, "", why, sizeof why) : -1;
    if (!facts) ok(0, "%s: parses (%s)", name, err);
    else if (checked > 0) ok(1, "%s: all %ld facts match", name, checked);
    else ok(0, "%s: facts differ: %s", name, why);

    /* Error bodies also go through the classifier the client uses. */
    if (facts && strcmp(kind, "error") == 0) {
        char *body = json_dumps(payload, JSON_COMPACT);
        const json_t *status = json_object_get(expect, "http_status");
        pacifica_error classified;
        pacifica_parse_error_body(body, strlen(body), status ? (int)json_integer_value(status) : 400, &classified);
        is_str(classified.message, json_string_value(json_object_get(expect, "error")), "%s: error message", name);
        free(body);
    }
    json_decref(facts);
    json_decref(fixture);
}

static int compare_names(const struct dirent **a, const struct dirent **b) {
    return strcmp((*a)->d_name, (*b)->d_name);
}

static void test_fixtures(void) {
    const char *shared = getenv("SHARED") ? getenv("SHARED") : "../shared";
    char folder[1024];
    snprintf(folder, sizeof folder, "%s/fixtures/pacifica", shared);
    struct dirent **entries;
    int n = scandir(folder, &entries, NULL, compare_names);
    if (!ok(n > 2, "fixture folder %s is readable", folder)) return;
    int files = 0;
    for (int i = 0; i < n; i++) {
        size_t length = strlen(entries[i]->d_name);
        if (length > 5 && strcmp(entries[i]->d_name + length - 5, ".json") == 0) {
            char path[1400];
            snprintf(path, sizeof path, "%s/%s", folder, entries[i]->d_name);
            check_fixture(path);
            files++;
        }
        free(entries[i]);
    }
    free(entries);
    ok(files >= 28, "every fixture was checked (%d files)", files);
}

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

    pacifica_error classified;
    pacifica_parse_error_body("Verification failed", 19, 400, &classified);
    is_str(classified.kind, "auth", "bare 'Verification failed' is an auth error");
    is_str(classified.message, "Verification failed", "bare text kept as the message");
    pacifica_parse_error_body("{\"success\":false,\"error\":\"Order not found\",\"code\":5}", 50, 422, &classified);
    is_str(classified.kind, "order_not_found", "422 Order not found");
    pacifica_parse_error_body("", 0, 429, &classified);
    is_str(classified.kind, "rate_limited", "429 is rate_limited");
    ok(classified.retryable, "rate limits are retryable");
    pacifica_parse_error_body("<html>bad gateway</html>", 24, 502, &classified);
    is_str(classified.kind, "unavailable", "502 is unavailable");
    pacifica_parse_error_body("{\"error\":\"not a multiple of tick size 1\",\"code\":400}", 51, 400, &classified);
    is_str(classified.kind, "invalid_order", "tick violation is invalid_order");
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

int main(void) {
    (void)tap_plan;
    (void)tap_exit_status;
    test_fixtures();
    test_bad_payloads();
    return done_testing();
}
