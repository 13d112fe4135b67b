/* Lighter payloads (REST bodies and WebSocket frames) as plain C structs (lighter.md §3, §4, §9
 * and the fixtures in shared/fixtures/lighter).
 *
 * Input: a jansson tree from lighter_json_load (json_exact.h), in which every non-integer number
 * literal arrived as a string holding its exact text. Numbers: every price, size, rate, balance
 * and volume is kept as decimal text in plain notation (lighter_decimal_text; exponents are
 * written out exactly, trailing zeros kept), accepted as a JSON string or a JSON integer;
 * nothing goes through a double. Feed the text to rt_decimal_parse where arithmetic is needed.
 * Ids, indexes, counts and timestamps are int64, accepted as JSON integers or digit strings
 * (recorders stringify them). An empty string is kept as present-and-empty (the venue sends ""
 * for an empty book side or a missing mid), null and absence as not present. Unknown keys are
 * ignored; a missing required field or a malformed value is an error naming the field
 * ("order_books[2].supported_price_decimals: is missing"). Lists own their items: free them with
 * the matching *_free. */
#ifndef HEDGE_EXCHANGES_LIGHTER_PARSE_H
#define HEDGE_EXCHANGES_LIGHTER_PARSE_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "exchanges/venue.h"

#define LIGHTER_DECIMAL_TEXT_CAP 48
#define LIGHTER_SYMBOL_CAP 32
#define LIGHTER_NAME_CAP 48        /* statuses, types, channel kinds */
#define LIGHTER_ID_TEXT_CAP 128    /* order ids as text, cursors, request ids */
#define LIGHTER_HASH_TEXT_CAP 96   /* tx hashes (80 hex; older payloads 64 or 16) */
#define LIGHTER_MESSAGE_CAP 512
#define LIGHTER_PUBLIC_KEY_TEXT_CAP 96
#define LIGHTER_MAX_BATCH 50

typedef struct lighter_decimal_text {
    char text[LIGHTER_DECIMAL_TEXT_CAP];
    int present;                   /* 0: null or absent; 1: given (text may be "" when the venue sent "") */
} lighter_decimal_text;

typedef venue_optional_int lighter_optional_int;

/* ---- envelope and errors ----------------------------------------------------------------- */

/* Every REST answer carries "code" (200 = OK) and maybe "message" (§3.1). */
typedef struct lighter_envelope {
    lighter_optional_int code;
    char message[LIGHTER_MESSAGE_CAP];
} lighter_envelope;

int lighter_parse_envelope(const json_t *root, lighter_envelope *out, char *err, size_t errcap);

/* DESIGN §5 kind of a Lighter business code (§9), given the HTTP status it came with (0 when
 * none, e.g. over WebSocket); `cancelling` maps the "invalid order index" family to
 * order_not_found. */
venue_error_kind lighter_error_kind(int64_t code, int http_status, int cancelling);

/* Classifies an error answer from its HTTP status and raw body ({"code","message"}, the WS
 * {"error":{"code","message"}} form, or text such as an HTML gateway page). Always fills *out. */
void lighter_parse_error_body(const char *body, size_t length, int http_status, int cancelling, venue_error *out);

/* ---- market data ------------------------------------------------------------------------- */

/* GET orderBooks (order_books[]) and orderBookDetails (order_book_details[] and
 * spot_order_book_details[]): the market and, for details, margins and 24 h statistics. */
typedef struct lighter_market {
    char symbol[LIGHTER_SYMBOL_CAP];
    int64_t market_id;
    char market_type[LIGHTER_NAME_CAP];       /* "perp" / "spot"; "" in older payloads */
    char status[LIGHTER_NAME_CAP];
    int64_t size_decimals, price_decimals;    /* supported_size_decimals / supported_price_decimals */
    lighter_optional_int quote_decimals;
    lighter_decimal_text taker_fee, maker_fee, liquidation_fee;   /* percent */
    lighter_decimal_text min_base_amount, min_quote_amount, order_quote_limit;
    /* orderBookDetails only */
    lighter_optional_int default_initial_margin_fraction, min_initial_margin_fraction;
    lighter_optional_int maintenance_margin_fraction, closeout_margin_fraction;
    lighter_decimal_text last_trade_price, daily_base_volume, daily_quote_volume;
    lighter_decimal_text daily_price_low, daily_price_high, daily_price_change, open_interest;
    lighter_optional_int daily_trades_count;
} lighter_market;

typedef struct lighter_market_list {
    size_t count;
    lighter_market *items;
} lighter_market_list;

int lighter_parse_markets(const json_t *root, lighter_market_list *out, char *err, size_t errcap);
void lighter_market_list_free(lighter_market_list *list);

/* "0.01" for 2 decimals: the tick or step a decimals count stands for. -1 when out of 0..18. */
int lighter_decimals_step(int64_t decimals, char *out, size_t cap);

/* GET funding-rates: one row per (market, exchange); rate as the venue printed it (unit: §3.5). */
typedef struct lighter_funding_rate {
    int64_t market_id;
    char exchange[LIGHTER_NAME_CAP];
    char symbol[LIGHTER_SYMBOL_CAP];
    lighter_decimal_text rate;
} lighter_funding_rate;

typedef struct lighter_funding_rate_list {
    size_t count;
    lighter_funding_rate *items;
} lighter_funding_rate_list;

int lighter_parse_funding_rates(const json_t *root, lighter_funding_rate_list *out, char *err, size_t errcap);
void lighter_funding_rate_list_free(lighter_funding_rate_list *list);

/* GET fundings: settled funding, rate an unsigned percent for the hour, direction the side that
 * paid, value per unit of base in USDC, timestamp in seconds. */
typedef struct lighter_funding_record {
    int64_t timestamp;
    lighter_decimal_text value, rate;
    char direction[LIGHTER_NAME_CAP];   /* "long" / "short" */
} lighter_funding_record;

typedef struct lighter_funding_history {
    char resolution[LIGHTER_NAME_CAP];
    size_t count;
    lighter_funding_record *items;
} lighter_funding_history;

int lighter_parse_fundings(const json_t *root, lighter_funding_history *out, char *err, size_t errcap);
void lighter_funding_history_free(lighter_funding_history *history);

/* GET orderBookOrders: individual resting orders, best first. */
typedef struct lighter_book_order {
    int64_t order_index;
    char order_id[LIGHTER_ID_TEXT_CAP];
    lighter_optional_int owner_account_index, order_expiry;
    lighter_decimal_text initial_base_amount, remaining_base_amount, price;
} lighter_book_order;

typedef struct lighter_book_orders {
    lighter_optional_int total_asks, total_bids;
    size_t ask_count, bid_count;
    lighter_book_order *asks, *bids;
} lighter_book_orders;

int lighter_parse_book_orders(const json_t *root, lighter_book_orders *out, char *err, size_t errcap);
void lighter_book_orders_free(lighter_book_orders *book);

/* ---- WebSocket frames -------------------------------------------------------------------- */

/* Any frame: {"type", "channel", ...}. The channel "order_book:0" / "account_orders:0:281" is
 * split into its kind and numbers; WS sendtx answers carry "id" and maybe "error". */
typedef struct lighter_ws_frame {
    char type[LIGHTER_NAME_CAP];        /* "subscribed/order_book", "update/ticker", "pong", "error", ... */
    char channel[LIGHTER_ID_TEXT_CAP];  /* as sent, "" when none */
    char kind[LIGHTER_NAME_CAP];        /* channel part before the first ':' */
    int64_t channel_numbers[2];         /* numbers after the kind, in order */
    size_t channel_number_count;
    int is_snapshot;                    /* type starts with "subscribed/" */
    lighter_optional_int timestamp;
    char request_id[LIGHTER_ID_TEXT_CAP];
    lighter_optional_int code;          /* "code" of an error frame or a sendtx answer */
    char message[LIGHTER_MESSAGE_CAP];  /* error message */
} lighter_ws_frame;

int lighter_parse_ws_frame(const json_t *root, lighter_ws_frame *out, char *err, size_t errcap);

typedef struct lighter_level {
    lighter_decimal_text price, size;
} lighter_level;

/* order_book frames (snapshot or update: absolute sizes, "0" removes a level) and ticker
 * frames (one level a side; an empty side is sent as "" price and size and gives 0 levels). */
typedef struct lighter_ws_book {
    int64_t market_id;                  /* from the channel; -1 when the channel has none */
    char symbol[LIGHTER_SYMBOL_CAP];    /* ticker "s" */
    int is_snapshot, is_ticker;
    lighter_optional_int offset, nonce, begin_nonce, timestamp, last_updated_at;
    size_t ask_count, bid_count;
    lighter_level *asks, *bids;
} lighter_ws_book;

int lighter_parse_ws_book(const json_t *root, lighter_ws_book *out, char *err, size_t errcap);
void lighter_ws_book_free(lighter_ws_book *book);

/* market_stats / spot_market_stats frames: one market, or "all" (an object keyed by id). Funding
 * rates as the venue printed them (believed percent per hour, signed; §3.5). */
typedef struct lighter_market_stats {
    int64_t market_id;
    char symbol[LIGHTER_SYMBOL_CAP];
    int is_spot;
    lighter_decimal_text index_price, mark_price, mid_price, last_trade_price, best_bid_price, best_ask_price;
    lighter_decimal_text open_interest, open_interest_limit;
    lighter_decimal_text current_funding_rate, funding_rate, funding_clamp_small, funding_clamp_big, base_interest_rate;
    lighter_optional_int funding_timestamp;
    lighter_decimal_text daily_base_volume, daily_quote_volume, daily_price_low, daily_price_high, daily_price_change;
} lighter_market_stats;

typedef struct lighter_market_stats_list {
    size_t count;
    lighter_market_stats *items;
} lighter_market_stats_list;

int lighter_parse_market_stats(const json_t *root, lighter_market_stats_list *out, char *err, size_t errcap);
void lighter_market_stats_list_free(lighter_market_stats_list *list);

/* ---- account ----------------------------------------------------------------------------- */

/* A position row of GET account (positions[]) or account_all_positions ({"<market>": row}). The
 * size is unsigned; the side is in sign (+1 long, -1 short). Flat markets are listed too. */
typedef struct lighter_position {
    int64_t market_id;
    char symbol[LIGHTER_SYMBOL_CAP];
    int64_t sign;
    int is_open;                        /* position is not zero */
    lighter_decimal_text position, avg_entry_price, position_value, unrealized_pnl, realized_pnl;
    lighter_decimal_text liquidation_price, initial_margin_fraction, allocated_margin, total_funding_paid_out;
    lighter_optional_int margin_mode, open_order_count;
} lighter_position;

typedef struct lighter_position_list {
    size_t count;
    lighter_position *items;
} lighter_position_list;

int lighter_parse_positions(const json_t *positions, lighter_position_list *out, char *err, size_t errcap);
void lighter_position_list_free(lighter_position_list *list);

/* GET account: accounts[] with balances and positions. */
typedef struct lighter_account {
    int64_t index;
    lighter_optional_int account_type, account_trading_mode, status;
    lighter_decimal_text collateral, available_balance, total_asset_value, cross_asset_value;
    lighter_decimal_text cross_initial_margin_requirement, cross_maintenance_margin_requirement;
    lighter_position_list positions;
} lighter_account;

typedef struct lighter_account_list {
    lighter_optional_int total;
    size_t count;
    lighter_account *items;
} lighter_account_list;

int lighter_parse_accounts(const json_t *root, lighter_account_list *out, char *err, size_t errcap);
void lighter_account_list_free(lighter_account_list *list);

/* user_stats frames: the balances at the top level of "stats". */
typedef struct lighter_user_stats {
    int64_t account;                    /* from the channel */
    lighter_decimal_text collateral, portfolio_value, leverage, available_balance, margin_usage, buying_power;
    lighter_optional_int account_trading_mode;
} lighter_user_stats;

int lighter_parse_user_stats(const json_t *root, lighter_user_stats *out, char *err, size_t errcap);

/* The Order object (§4.3) of accountActiveOrders / accountInactiveOrders / accountOrders and of
 * the account_*orders channels. The side comes from is_ask ("side" is sometimes ""). */
typedef struct lighter_order {
    int64_t order_index;
    char order_id[LIGHTER_ID_TEXT_CAP];
    lighter_optional_int client_order_index;
    char client_order_id[LIGHTER_ID_TEXT_CAP];
    int64_t market_index;
    lighter_optional_int owner_account_index, nonce, order_expiry, timestamp, created_at, updated_at;
    lighter_decimal_text initial_base_amount, price, remaining_base_amount, filled_base_amount, filled_quote_amount;
    lighter_decimal_text trigger_price;
    int is_ask, reduce_only;
    char type[LIGHTER_NAME_CAP], time_in_force[LIGHTER_NAME_CAP], status[LIGHTER_NAME_CAP];
} lighter_order;

typedef struct lighter_order_list {
    size_t count;
    lighter_order *items;
    char next_cursor[LIGHTER_ID_TEXT_CAP];
} lighter_order_list;

/* orders: an array of Order objects, or an object keyed by market id whose values are arrays
 * (WS). lighter_parse_order_response reads a REST answer {"orders", "next_cursor"?}. */
int lighter_parse_orders(const json_t *orders, lighter_order_list *out, char *err, size_t errcap);
int lighter_parse_order_response(const json_t *root, lighter_order_list *out, char *err, size_t errcap);
void lighter_order_list_free(lighter_order_list *list);

/* A trade (REST trades / recentTrades, WS trade and account_all_trades). Fees are integers in
 * 1e-6 of notional and omitted when zero. */
typedef struct lighter_trade {
    int64_t trade_id;
    char tx_hash[LIGHTER_HASH_TEXT_CAP];
    char type[LIGHTER_NAME_CAP];
    int64_t market_id;
    lighter_decimal_text size, price, usd_amount;
    lighter_optional_int ask_id, bid_id, ask_client_id, bid_client_id, ask_account_id, bid_account_id;
    int is_maker_ask;
    lighter_optional_int taker_fee, maker_fee, timestamp, block_height;
} lighter_trade;

typedef struct lighter_trade_list {
    size_t count;
    lighter_trade *items;
    char next_cursor[LIGHTER_ID_TEXT_CAP];
} lighter_trade_list;

/* trades: an array, or an object keyed by market id whose values are arrays (WS). */
int lighter_parse_trades(const json_t *trades, lighter_trade_list *out, char *err, size_t errcap);
void lighter_trade_list_free(lighter_trade_list *list);

/* ---- nonces, keys, transactions ------------------------------------------------------------ */

int lighter_parse_next_nonce(const json_t *root, int64_t *nonce, char *err, size_t errcap);

typedef struct lighter_api_key {
    int64_t account_index, api_key_index;
    lighter_optional_int nonce;
    char public_key[LIGHTER_PUBLIC_KEY_TEXT_CAP];   /* 80 hex, "0x" removed, lower case */
} lighter_api_key;

typedef struct lighter_api_key_list {
    size_t count;
    lighter_api_key *items;
} lighter_api_key_list;

int lighter_parse_api_keys(const json_t *root, lighter_api_key_list *out, char *err, size_t errcap);
void lighter_api_key_list_free(lighter_api_key_list *list);

/* sendTx / sendTxBatch answers (REST) and jsonapi/sendtx(batch) answers (WS): accepted = code
 * 200 and a tx hash; "message" may itself be JSON ({"ratelimit": "..."}), whose text is lifted. */
typedef struct lighter_tx_result {
    lighter_optional_int code;
    int accepted;
    char message[LIGHTER_MESSAGE_CAP];
    char ratelimit[LIGHTER_MESSAGE_CAP];
    size_t hash_count;
    char tx_hashes[LIGHTER_MAX_BATCH][LIGHTER_HASH_TEXT_CAP];
    lighter_optional_int predicted_execution_time_ms, volume_quota_remaining;
    char request_id[LIGHTER_ID_TEXT_CAP];
} lighter_tx_result;

int lighter_parse_tx_result(const json_t *root, lighter_tx_result *out, char *err, size_t errcap);

#endif
