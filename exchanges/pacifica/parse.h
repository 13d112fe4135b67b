/* Pacifica payloads (REST bodies and WebSocket frames, already parsed by jansson) as plain C
 * structs. Shapes follow specs/pacifica.md §2, §4, §6 and the fixtures in shared/fixtures.
 *
 * Numbers: every price, size, rate, balance and fee is kept as the payload's literal decimal
 * text (pacifica_decimal_text), checked to be a plain decimal, so nothing goes through a
 * double; feed it to rt_decimal_parse where arithmetic is needed. Integers (ids, timestamps,
 * counts) are int64 and are accepted both as JSON numbers and as digit strings (some
 * recorders stringify them). Absent and null values are "" / present = 0.
 * REST and WebSocket variants of the same thing (long keys "symbol", short keys "s") go
 * through the same function and give the same struct. Unknown keys are ignored, so a new
 * venue field never breaks parsing; a missing required field or a malformed value is an
 * error naming the field. Lists own their items: free them with the matching *_free. */
#ifndef HEDGE_EXCHANGES_PACIFICA_PARSE_H
#define HEDGE_EXCHANGES_PACIFICA_PARSE_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "exchanges/venue.h"

#define PACIFICA_DECIMAL_TEXT_CAP 48
#define PACIFICA_SYMBOL_CAP 32
#define PACIFICA_NAME_CAP 40       /* enum-like strings: order types, events, statuses, causes */
#define PACIFICA_ID_TEXT_CAP 72    /* client order ids, addresses, cursors */
#define PACIFICA_MESSAGE_CAP 512   /* venue error texts */

typedef struct pacifica_decimal_text {
    char text[PACIFICA_DECIMAL_TEXT_CAP]; /* "" when the payload had null or nothing */
} pacifica_decimal_text;

typedef venue_optional_int pacifica_optional_int;

typedef enum pacifica_side {
    PACIFICA_SIDE_NONE = 0,
    PACIFICA_SIDE_BID,   /* buy / long */
    PACIFICA_SIDE_ASK    /* sell / short */
} pacifica_side;

/* ---- the REST envelope ------------------------------------------------------------------ */

typedef struct pacifica_envelope {
    int has_success, success;            /* "success" key present / its value */
    int has_code;
    int64_t code;                        /* "code" (HTTP-like status or business code) */
    char error[PACIFICA_MESSAGE_CAP];    /* "error" text, "" when null/absent */
    const json_t *data;                  /* borrowed "data" member, NULL when absent */
    int data_is_null;
    char next_cursor[PACIFICA_ID_TEXT_CAP];
    int has_more_present, has_more;
    pacifica_optional_int last_order_id;
} pacifica_envelope;

int pacifica_parse_envelope(const json_t *root, pacifica_envelope *out, char *err, size_t errcap);

/* ---- market data ------------------------------------------------------------------------ */

typedef struct pacifica_market {
    char symbol[PACIFICA_SYMBOL_CAP];
    char base_asset[PACIFICA_SYMBOL_CAP];   /* "" on older payloads */
    int is_perpetual;                       /* instrument_type "perpetual", or absent (older payloads) */
    char instrument_type[PACIFICA_NAME_CAP];
    pacifica_decimal_text tick_size, min_tick, max_tick, lot_size;
    pacifica_decimal_text min_order_size, max_order_size;   /* USD notional */
    pacifica_decimal_text funding_rate, next_funding_rate;  /* per hour */
    int64_t max_leverage;
    int isolated_only;
    pacifica_optional_int created_at;
} pacifica_market;

typedef struct pacifica_market_list {
    size_t count;
    pacifica_market *items;
} pacifica_market_list;

/* data of GET /api/v1/info */
int pacifica_parse_markets(const json_t *data, pacifica_market_list *out, char *err, size_t errcap);
void pacifica_market_list_free(pacifica_market_list *list);

/* One symbol of GET /api/v1/info/prices or the WebSocket "prices" channel. */
typedef struct pacifica_price {
    char symbol[PACIFICA_SYMBOL_CAP];
    pacifica_decimal_text funding, next_funding;   /* last settled / estimate, per hour */
    pacifica_decimal_text mark, mid, oracle;
    pacifica_decimal_text open_interest, volume_24h, yesterday_price;
    pacifica_optional_int timestamp;
} pacifica_price;

typedef struct pacifica_price_list {
    size_t count;
    pacifica_price *items;
} pacifica_price_list;

int pacifica_parse_prices(const json_t *data, pacifica_price_list *out, char *err, size_t errcap);
void pacifica_price_list_free(pacifica_price_list *list);

/* GET /api/v1/funding_rate/history rows. */
typedef struct pacifica_funding_record {
    pacifica_decimal_text oracle_price, bid_impact_price, ask_impact_price;
    pacifica_decimal_text funding_rate, next_funding_rate;
    pacifica_optional_int created_at;
} pacifica_funding_record;

typedef struct pacifica_funding_history {
    size_t count;
    pacifica_funding_record *items;
} pacifica_funding_history;

int pacifica_parse_funding_history(const json_t *data, pacifica_funding_history *out, char *err, size_t errcap);
void pacifica_funding_history_free(pacifica_funding_history *history);

typedef struct pacifica_book_level {
    pacifica_decimal_text price, amount;
    int64_t orders;   /* "n"; 0 when absent */
} pacifica_book_level;

/* GET /api/v1/book data and WebSocket "book" data: {"s","t","l":[bids, asks]}; also the
 * "bbo" channel ({"s","t","b","B","a","A"}), which gives one level per side. */
typedef struct pacifica_book {
    char symbol[PACIFICA_SYMBOL_CAP];
    pacifica_optional_int timestamp;
    size_t bid_count, ask_count;
    pacifica_book_level *bids;   /* best first (descending) */
    pacifica_book_level *asks;   /* best first (ascending) */
} pacifica_book;

int pacifica_parse_book(const json_t *data, pacifica_book *out, char *err, size_t errcap);
void pacifica_book_free(pacifica_book *book);

/* ---- account ---------------------------------------------------------------------------- */

/* GET /api/v1/account data (object, or the older one-element array) and WebSocket
 * "account_info" data (short keys ae, as, aw, b, f, mu, cm, oc, pb, pc, sc, t). */
typedef struct pacifica_account {
    pacifica_decimal_text balance, account_equity, available_to_spend, available_to_withdraw;
    pacifica_decimal_text pending_balance, total_margin_used, cross_mmr;
    pacifica_decimal_text maker_fee, taker_fee;   /* REST only, fractions */
    pacifica_optional_int fee_level;
    pacifica_optional_int positions_count, orders_count, stop_orders_count;
    pacifica_optional_int updated_at;             /* REST updated_at, WS t */
} pacifica_account;

int pacifica_parse_account(const json_t *data, pacifica_account *out, char *err, size_t errcap);

/* GET /api/v1/positions rows and WebSocket "account_positions" rows (s, d, a, p, m, f, i, l, t). */
typedef struct pacifica_position {
    char symbol[PACIFICA_SYMBOL_CAP];
    pacifica_side side;                       /* BID = long, ASK = short */
    pacifica_decimal_text amount;             /* unsigned base units */
    pacifica_decimal_text entry_price, margin, funding;
    pacifica_decimal_text liquidation_price;  /* "" when null (no liquidation price) */
    int isolated;
    pacifica_optional_int created_at, updated_at;
} pacifica_position;

typedef struct pacifica_position_list {
    size_t count;
    pacifica_position *items;
} pacifica_position_list;

int pacifica_parse_positions(const json_t *data, pacifica_position_list *out, char *err, size_t errcap);
void pacifica_position_list_free(pacifica_position_list *list);

/* GET /api/v1/account/settings: only the markets changed from the defaults (cross margin,
 * max leverage). data is {"margin_settings": [...], ...} today and was the bare list before;
 * both are accepted. A symbol not listed has the defaults. */
typedef struct pacifica_margin_setting {
    char symbol[PACIFICA_SYMBOL_CAP];
    int isolated;
    pacifica_optional_int leverage;
    pacifica_optional_int created_at, updated_at;
} pacifica_margin_setting;

typedef struct pacifica_margin_settings {
    size_t count;
    pacifica_margin_setting *items;
} pacifica_margin_settings;

int pacifica_parse_margin_settings(const json_t *data, pacifica_margin_settings *out, char *err, size_t errcap);
void pacifica_margin_settings_free(pacifica_margin_settings *settings);

/* Orders in every shape: GET /api/v1/orders (open orders), /orders/history and
 * /orders/history_by_id (one row per event), WebSocket "account_orders" (i, I, s, d, p, a, f,
 * c, ot, ro, sp, st, t) and "account_order_updates" (i, I, s, d, p = average fill price,
 * ip = initial price, a, f, oe, os, ot, sp, si, r = reduce-only, ct, ut). */
typedef struct pacifica_order {
    int64_t order_id;
    char client_order_id[PACIFICA_ID_TEXT_CAP];  /* "" when null */
    char symbol[PACIFICA_SYMBOL_CAP];
    pacifica_side side;
    pacifica_decimal_text price;          /* limit price (initial price for updates) */
    pacifica_decimal_text average_price;  /* average fill price, when the payload has one */
    pacifica_decimal_text amount, filled, cancelled;
    pacifica_decimal_text stop_price;     /* "" when null */
    char order_type[PACIFICA_NAME_CAP];
    char stop_type[PACIFICA_NAME_CAP];
    char event[PACIFICA_NAME_CAP];        /* history event_type / update oe */
    char status[PACIFICA_NAME_CAP];       /* order_status / os */
    char reason[PACIFICA_NAME_CAP];       /* history "reason" */
    char trigger_price_type[PACIFICA_NAME_CAP];
    int reduce_only;
    pacifica_optional_int history_id, stop_parent_order_id;
    pacifica_optional_int created_at, updated_at, timestamp;
} pacifica_order;

typedef struct pacifica_order_list {
    size_t count;
    pacifica_order *items;
} pacifica_order_list;

int pacifica_parse_orders(const json_t *data, pacifica_order_list *out, char *err, size_t errcap);
void pacifica_order_list_free(pacifica_order_list *list);

/* Fills: GET /api/v1/trades/history, public GET /api/v1/trades, WebSocket "trades"
 * (h, s, p, a, d, tc, t, u) and "account_trades" (h, i, I, s, ts, p, a, o, te, tc, n, f, u, t). */
typedef struct pacifica_trade {
    pacifica_optional_int history_id, order_id;
    char client_order_id[PACIFICA_ID_TEXT_CAP];
    char symbol[PACIFICA_SYMBOL_CAP];
    pacifica_decimal_text price, amount, entry_price, fee, pnl;
    char event_type[PACIFICA_NAME_CAP];   /* fulfill_maker / fulfill_taker */
    char side[PACIFICA_NAME_CAP];         /* open_long, open_short, close_long, close_short */
    char cause[PACIFICA_NAME_CAP];        /* normal, market_liquidation, ... */
    char account[PACIFICA_ID_TEXT_CAP];
    pacifica_optional_int created_at;     /* REST created_at, WS t */
} pacifica_trade;

typedef struct pacifica_trade_list {
    size_t count;
    pacifica_trade *items;
} pacifica_trade_list;

int pacifica_parse_trades(const json_t *data, pacifica_trade_list *out, char *err, size_t errcap);
void pacifica_trade_list_free(pacifica_trade_list *list);

/* ---- results of signed calls ------------------------------------------------------------ */

typedef struct pacifica_action_result {
    int success;
    pacifica_optional_int order_id;
    char error[PACIFICA_MESSAGE_CAP];
} pacifica_action_result;

/* Answer of a REST order call: create (data.order_id, else top-level order_id, else data.i),
 * stop/TP-SL (data may be null), cancel, cancel_all (data.cancelled_count), batch
 * (data.results[]), leverage/margin ({"success":true}), or an error body. */
typedef struct pacifica_order_result {
    pacifica_envelope envelope;
    pacifica_optional_int order_id;
    pacifica_optional_int cancelled_count;
    size_t result_count;
    pacifica_action_result *results;   /* batch only */
} pacifica_order_result;

int pacifica_parse_order_result(const json_t *root, pacifica_order_result *out, char *err, size_t errcap);
void pacifica_order_result_free(pacifica_order_result *result);

/* Answer to a WebSocket trading request: {"code","data":{"I","i","s"}|{"cancelled_count"}|
 * {"results"},"id","t","type"} or an error {"code","error"|"err","id"?,...}. */
typedef struct pacifica_ws_answer {
    int64_t code;                                 /* 200 on success */
    char request_id[PACIFICA_ID_TEXT_CAP];        /* "" when the venue did not echo it */
    char type[PACIFICA_NAME_CAP];
    pacifica_optional_int order_id;               /* data.i (null when cancelled by client id) */
    char client_order_id[PACIFICA_ID_TEXT_CAP];   /* data.I */
    char symbol[PACIFICA_SYMBOL_CAP];             /* data.s */
    pacifica_optional_int cancelled_count;
    pacifica_optional_int timestamp;              /* t */
    char error[PACIFICA_MESSAGE_CAP];
    size_t result_count;
    pacifica_action_result *results;
} pacifica_ws_answer;

int pacifica_parse_ws_answer(const json_t *root, pacifica_ws_answer *out, char *err, size_t errcap);
void pacifica_ws_answer_free(pacifica_ws_answer *answer);

/* ---- errors ----------------------------------------------------------------------------- */

/* Classifies an error answer from its HTTP status and raw body, which may be JSON
 * ({"error","code"} with or without "success") or bare text ("Verification failed"), onto the
 * venue-neutral kinds of exchanges/venue.h (spec §8 table). Always fills *out; the message is
 * the venue's own text, or "HTTP <status> with an empty body". */
void pacifica_parse_error_body(const char *body, size_t length, int http_status, venue_error *out);

/* ---- WebSocket frames ------------------------------------------------------------------- */

/* {"channel": "...", "data": ...}: the channel name and a borrowed pointer to data. Trading
 * answers have no channel: they are recognised by "id"/"code"/"type" (is_trading_answer). */
typedef struct pacifica_ws_message {
    char channel[PACIFICA_NAME_CAP];
    const json_t *data;
    int is_trading_answer;
} pacifica_ws_message;

int pacifica_parse_ws_message(const json_t *root, pacifica_ws_message *out, char *err, size_t errcap);

#endif
