/* The state store's tables: the column descriptions the code checks values against, and the
 * SQL migrations that create them. A migration is never edited once released; a later schema
 * is a new entry that moves the data forward. The SQL repeats the rules the descriptions
 * enforce (CHECK constraints, STRICT types) so that the file stays consistent even if some
 * other tool writes to it; tests/c/test_store.c checks that the two agree. */
#include <string.h>

#include "runtime/store_internal.h"

#define COUNT(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* ---- enumerations ----------------------------------------------------------------------------- */

/* HALTED: the bot stopped for the operator (scripts/bot/recovery.lua) and refuses to trade until restarted. */
static const char *const bot_states[] = {"IDLE", "ANALYZING", "OPENING", "HOLDING", "CLOSING", "WAITING", "ERROR",
                                         "SHUTDOWN", "HALTED", NULL};
/* "closed" is reached only through rt_store_hedge_clear. */
static const char *const hedge_statuses[] = {"opening", "open", "closing", "unwinding", "closed", NULL};
static const char *const sides[] = {"buy", "sell", NULL};
static const char *const position_sides[] = {"long", "short", NULL};
static const char *const order_types[] = {"limit", "market", NULL};
static const char *const purposes[] = {"open", "close", "unwind", "trim", "emergency", NULL};
static const char *const intent_statuses[] = {"pending", "sent", "filled", "partially_filled", "rejected", "unknown",
                                              "resolved", NULL};
static const char *const liquidities[] = {"maker", "taker", NULL};
static const char *const event_levels[] = {"info", "warn", "error", NULL};

int store_intent_status_is_final(const char *status, size_t len) {
    static const char *const final[] = {"filled", "rejected", "resolved"};
    for (size_t i = 0; i < sizeof final / sizeof final[0]; i++)
        if (strlen(final[i]) == len && memcmp(final[i], status, len) == 0) return 1;
    return 0;
}

/* ---- columns ---------------------------------------------------------------------------------- */

#define AUTO RT_STORE_COL_AUTO
#define REQ RT_STORE_COL_REQUIRED
#define FIXED RT_STORE_COL_FIXED
#define POS RT_STORE_COL_POSITIVE
#define NONNEG RT_STORE_COL_NONNEG
#define NOW RT_STORE_COL_NOW

#define ID_COLUMN {"id", RT_STORE_T_ID, AUTO, NULL, 0}
#define CREATED {"created_at_ms", RT_STORE_T_INTEGER, AUTO, NULL, 0}
#define UPDATED {"updated_at_ms", RT_STORE_T_INTEGER, AUTO, NULL, 0}

static const rt_store_column state_columns[] = {
    ID_COLUMN,
    {"state", RT_STORE_T_ENUM, REQ, bot_states, 0},
    {"cycle", RT_STORE_T_INTEGER, NONNEG, NULL, 0},
    {"since_ms", RT_STORE_T_INTEGER, NONNEG, NULL, 0},
    {"last_error", RT_STORE_T_TEXT, 0, NULL, 0},
    {"last_error_at_ms", RT_STORE_T_INTEGER, NONNEG, NULL, 0},
    UPDATED,
};

static const rt_store_column hedge_columns[] = {
    ID_COLUMN,
    {"cycle", RT_STORE_T_INTEGER, NONNEG | FIXED, NULL, 0},
    {"symbol", RT_STORE_T_SYMBOL, REQ | FIXED, NULL, 0},
    {"status", RT_STORE_T_ENUM, REQ, hedge_statuses, 0},
    {"long_venue", RT_STORE_T_NAME, REQ | FIXED, NULL, 0},
    {"long_size", RT_STORE_T_DECIMAL, NONNEG, NULL, 0},
    {"long_entry_price", RT_STORE_T_DECIMAL, POS, NULL, 0},
    {"long_client_id", RT_STORE_T_TOKEN, 0, NULL, 0},
    {"short_venue", RT_STORE_T_NAME, REQ | FIXED, NULL, 0},
    {"short_size", RT_STORE_T_DECIMAL, NONNEG, NULL, 0},
    {"short_entry_price", RT_STORE_T_DECIMAL, POS, NULL, 0},
    {"short_client_id", RT_STORE_T_TOKEN, 0, NULL, 0},
    {"notional", RT_STORE_T_DECIMAL, NONNEG, NULL, 0},
    {"leverage", RT_STORE_T_DECIMAL, POS, NULL, 0},
    {"stop_loss_percent", RT_STORE_T_DECIMAL, POS, NULL, 0},
    {"stop_loss_usd", RT_STORE_T_DECIMAL, POS, NULL, 0},
    {"expected_net_apr", RT_STORE_T_DECIMAL, 0, NULL, 0},
    /* Each venue's equity just before the open: the balance side of the cycle's PnL. */
    {"long_equity_before", RT_STORE_T_DECIMAL, 0, NULL, 0},
    {"short_equity_before", RT_STORE_T_DECIMAL, 0, NULL, 0},
    {"funding_interval_ms", RT_STORE_T_INTEGER, RT_STORE_COL_POSITIVE, NULL, 0},
    {"opened_at_ms", RT_STORE_T_INTEGER, NONNEG, NULL, 0},
    {"target_close_ms", RT_STORE_T_INTEGER, NONNEG, NULL, 0},
    {"adopted", RT_STORE_T_BOOLEAN, 0, NULL, 0},
    /* Why a close was started (status closing), so a restart finishes it for the same reason. */
    {"closing_reason", RT_STORE_T_TEXT, 0, NULL, 0},
    /* What the strategy needs to resume that has no column of its own (funding intervals, market ids). */
    {"details", RT_STORE_T_JSON, 0, NULL, 0},
    {"closed_at_ms", RT_STORE_T_INTEGER, AUTO, NULL, 0},
    {"close_reason", RT_STORE_T_TEXT, AUTO, NULL, 0},
    CREATED,
    UPDATED,
};

static const rt_store_column intent_columns[] = {
    ID_COLUMN,
    {"hedge_id", RT_STORE_T_ID, FIXED, NULL, RT_STORE_HEDGE},
    {"cycle", RT_STORE_T_INTEGER, NONNEG | FIXED, NULL, 0},
    {"venue", RT_STORE_T_NAME, REQ | FIXED, NULL, 0},
    {"client_id", RT_STORE_T_TOKEN, REQ | FIXED, NULL, 0},
    {"symbol", RT_STORE_T_SYMBOL, REQ | FIXED, NULL, 0},
    {"side", RT_STORE_T_ENUM, REQ | FIXED, sides, 0},
    {"size", RT_STORE_T_DECIMAL, REQ | FIXED | POS, NULL, 0},
    {"price", RT_STORE_T_DECIMAL, FIXED | POS, NULL, 0},
    {"order_type", RT_STORE_T_ENUM, FIXED, order_types, 0},
    {"reduce_only", RT_STORE_T_BOOLEAN, REQ | FIXED, NULL, 0},
    {"purpose", RT_STORE_T_ENUM, REQ | FIXED, purposes, 0},
    {"status", RT_STORE_T_ENUM, 0, intent_statuses, 0},
    {"resolution", RT_STORE_T_TEXT, 0, NULL, 0},
    {"venue_order_id", RT_STORE_T_TOKEN, 0, NULL, 0},
    {"filled_size", RT_STORE_T_DECIMAL, NONNEG, NULL, 0},
    {"avg_price", RT_STORE_T_DECIMAL, POS, NULL, 0},
    {"sent_at_ms", RT_STORE_T_INTEGER, NONNEG, NULL, 0},
    CREATED,
    UPDATED,
};

static const rt_store_column fill_columns[] = {
    ID_COLUMN,
    {"intent_id", RT_STORE_T_ID, 0, NULL, RT_STORE_INTENT},
    {"hedge_id", RT_STORE_T_ID, 0, NULL, RT_STORE_HEDGE},
    {"cycle", RT_STORE_T_INTEGER, NONNEG, NULL, 0},
    {"venue", RT_STORE_T_NAME, REQ, NULL, 0},
    {"symbol", RT_STORE_T_SYMBOL, REQ, NULL, 0},
    {"side", RT_STORE_T_ENUM, REQ, sides, 0},
    {"size", RT_STORE_T_DECIMAL, REQ | POS, NULL, 0},
    {"price", RT_STORE_T_DECIMAL, REQ | POS, NULL, 0},
    {"fee", RT_STORE_T_DECIMAL, 0, NULL, 0},
    {"liquidity", RT_STORE_T_ENUM, 0, liquidities, 0},
    {"trade_id", RT_STORE_T_TOKEN, 0, NULL, 0},
    {"venue_order_id", RT_STORE_T_TOKEN, 0, NULL, 0},
    {"client_id", RT_STORE_T_TOKEN, 0, NULL, 0},
    {"filled_at_ms", RT_STORE_T_INTEGER, NONNEG | NOW, NULL, 0},
    CREATED,
};

static const rt_store_column funding_columns[] = {
    ID_COLUMN,
    {"hedge_id", RT_STORE_T_ID, 0, NULL, RT_STORE_HEDGE},
    {"cycle", RT_STORE_T_INTEGER, NONNEG, NULL, 0},
    {"venue", RT_STORE_T_NAME, REQ, NULL, 0},
    {"symbol", RT_STORE_T_SYMBOL, REQ, NULL, 0},
    {"side", RT_STORE_T_ENUM, 0, position_sides, 0},
    {"amount", RT_STORE_T_DECIMAL, REQ, NULL, 0},
    {"rate", RT_STORE_T_DECIMAL, 0, NULL, 0},
    {"position_size", RT_STORE_T_DECIMAL, NONNEG, NULL, 0},
    {"payment_id", RT_STORE_T_TOKEN, 0, NULL, 0},
    {"paid_at_ms", RT_STORE_T_INTEGER, REQ | NONNEG, NULL, 0},
    CREATED,
};

static const rt_store_column cycle_columns[] = {
    ID_COLUMN,
    {"cycle", RT_STORE_T_INTEGER, REQ | NONNEG, NULL, 0},
    {"hedge_id", RT_STORE_T_ID, 0, NULL, RT_STORE_HEDGE},
    {"symbol", RT_STORE_T_SYMBOL, REQ, NULL, 0},
    {"long_venue", RT_STORE_T_NAME, REQ, NULL, 0},
    {"short_venue", RT_STORE_T_NAME, REQ, NULL, 0},
    {"opened_at_ms", RT_STORE_T_INTEGER, NONNEG, NULL, 0},
    {"closed_at_ms", RT_STORE_T_INTEGER, NONNEG | NOW, NULL, 0},
    {"close_reason", RT_STORE_T_NAME, REQ, NULL, 0},
    {"size", RT_STORE_T_DECIMAL, NONNEG, NULL, 0},
    {"notional", RT_STORE_T_DECIMAL, NONNEG, NULL, 0},
    {"long_funding_pnl", RT_STORE_T_DECIMAL, 0, NULL, 0},
    {"long_price_pnl", RT_STORE_T_DECIMAL, 0, NULL, 0},
    {"long_fees", RT_STORE_T_DECIMAL, 0, NULL, 0},
    {"short_funding_pnl", RT_STORE_T_DECIMAL, 0, NULL, 0},
    {"short_price_pnl", RT_STORE_T_DECIMAL, 0, NULL, 0},
    {"short_fees", RT_STORE_T_DECIMAL, 0, NULL, 0},
    {"funding_pnl", RT_STORE_T_DECIMAL, REQ, NULL, 0},
    {"price_pnl", RT_STORE_T_DECIMAL, REQ, NULL, 0},
    {"fees", RT_STORE_T_DECIMAL, REQ, NULL, 0},
    {"total_pnl", RT_STORE_T_DECIMAL, 0, NULL, 0},
    CREATED,
};

static const rt_store_column event_columns[] = {
    ID_COLUMN,
    {"at_ms", RT_STORE_T_INTEGER, NONNEG | NOW, NULL, 0},
    {"kind", RT_STORE_T_NAME, REQ, NULL, 0},
    {"level", RT_STORE_T_ENUM, 0, event_levels, 0},
    {"cycle", RT_STORE_T_INTEGER, NONNEG, NULL, 0},
    {"hedge_id", RT_STORE_T_ID, 0, NULL, RT_STORE_HEDGE},
    {"symbol", RT_STORE_T_SYMBOL, 0, NULL, 0},
    {"venue", RT_STORE_T_NAME, 0, NULL, 0},
    {"message", RT_STORE_T_TEXT, REQ, NULL, 0},
    {"data", RT_STORE_T_JSON, 0, NULL, 0},
};

static const rt_store_table tables[RT_STORE_KIND_COUNT] = {
    {RT_STORE_STATE, "bot_state", "state", state_columns, COUNT(state_columns)},
    {RT_STORE_HEDGE, "hedges", "hedge", hedge_columns, COUNT(hedge_columns)},
    {RT_STORE_INTENT, "intents", "intent", intent_columns, COUNT(intent_columns)},
    {RT_STORE_FILL, "fills", "fill", fill_columns, COUNT(fill_columns)},
    {RT_STORE_FUNDING, "funding_payments", "funding", funding_columns, COUNT(funding_columns)},
    {RT_STORE_CYCLE, "cycles", "cycle", cycle_columns, COUNT(cycle_columns)},
    {RT_STORE_EVENT, "events", "event", event_columns, COUNT(event_columns)},
};

_Static_assert(COUNT(hedge_columns) <= RT_STORE_MAX_COLUMNS, "hedge columns fit a record");
_Static_assert(COUNT(intent_columns) <= RT_STORE_MAX_COLUMNS, "intent columns fit a record");
_Static_assert(COUNT(cycle_columns) <= RT_STORE_MAX_COLUMNS, "cycle columns fit a record");

const rt_store_table *rt_store_table_get(rt_store_kind kind) {
    if ((int)kind < 0 || kind >= RT_STORE_KIND_COUNT) return NULL;
    return &tables[kind];
}

int rt_store_column_index(const rt_store_table *table, const char *name) {
    if (!table || !name) return -1;
    for (int i = 0; i < table->column_count; i++)
        if (strcmp(table->columns[i].name, name) == 0) return i;
    return -1;
}

/* ---- migrations ------------------------------------------------------------------------------- */

/* Decimal text: digits, at most one point, an optional leading minus (checked fully in C). */
#define DEC(c) "(" c " IS NULL OR (" c " <> '' AND " c " NOT GLOB '*[^0-9.-]*'))"
#define BOOL(c) "(" c " IN (0, 1))"

static const char schema_v1[] =
    "CREATE TABLE bot_state (\n"
    "  id INTEGER PRIMARY KEY CHECK (id = 1),\n"
    "  state TEXT NOT NULL CHECK (state IN ('IDLE','ANALYZING','OPENING','HOLDING','CLOSING','WAITING','ERROR','SHUTDOWN','HALTED')),\n"
    "  cycle INTEGER NOT NULL DEFAULT 0 CHECK (cycle >= 0),\n"
    "  since_ms INTEGER CHECK (since_ms >= 0),\n"
    "  last_error TEXT,\n"
    "  last_error_at_ms INTEGER CHECK (last_error_at_ms >= 0),\n"
    "  updated_at_ms INTEGER NOT NULL\n"
    ") STRICT;\n"
    "INSERT INTO bot_state (id, state, cycle, since_ms, updated_at_ms) VALUES (1, 'IDLE', 0, NULL, 0);\n"
    "\n"
    "CREATE TABLE hedges (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  is_current INTEGER DEFAULT 1 CHECK (is_current IS NULL OR is_current = 1),\n"
    "  cycle INTEGER CHECK (cycle >= 0),\n"
    "  symbol TEXT NOT NULL,\n"
    "  status TEXT NOT NULL CHECK (status IN ('opening','open','closing','unwinding','closed')),\n"
    "  long_venue TEXT NOT NULL,\n"
    "  long_size TEXT CHECK " DEC("long_size") ",\n"
    "  long_entry_price TEXT CHECK " DEC("long_entry_price") ",\n"
    "  long_client_id TEXT,\n"
    "  short_venue TEXT NOT NULL,\n"
    "  short_size TEXT CHECK " DEC("short_size") ",\n"
    "  short_entry_price TEXT CHECK " DEC("short_entry_price") ",\n"
    "  short_client_id TEXT,\n"
    "  notional TEXT CHECK " DEC("notional") ",\n"
    "  leverage TEXT CHECK " DEC("leverage") ",\n"
    "  stop_loss_percent TEXT CHECK " DEC("stop_loss_percent") ",\n"
    "  stop_loss_usd TEXT CHECK " DEC("stop_loss_usd") ",\n"
    "  expected_net_apr TEXT CHECK " DEC("expected_net_apr") ",\n"
    "  long_equity_before TEXT CHECK " DEC("long_equity_before") ",\n"
    "  short_equity_before TEXT CHECK " DEC("short_equity_before") ",\n"
    "  funding_interval_ms INTEGER CHECK (funding_interval_ms > 0),\n"
    "  opened_at_ms INTEGER CHECK (opened_at_ms >= 0),\n"
    "  target_close_ms INTEGER CHECK (target_close_ms >= 0),\n"
    "  adopted INTEGER NOT NULL DEFAULT 0 CHECK " BOOL("adopted") ",\n"
    "  closing_reason TEXT,\n"
    "  details TEXT CHECK (details IS NULL OR json_valid(details)),\n"
    "  closed_at_ms INTEGER,\n"
    "  close_reason TEXT,\n"
    "  created_at_ms INTEGER NOT NULL,\n"
    "  updated_at_ms INTEGER NOT NULL,\n"
    "  CHECK (long_venue <> short_venue),\n"
    "  CHECK ((is_current IS 1) = (status <> 'closed'))\n"
    ") STRICT;\n"
    "CREATE UNIQUE INDEX hedges_one_current ON hedges (is_current);\n"
    "\n"
    "CREATE TABLE intents (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  hedge_id INTEGER REFERENCES hedges (id),\n"
    "  cycle INTEGER CHECK (cycle >= 0),\n"
    "  venue TEXT NOT NULL,\n"
    "  client_id TEXT NOT NULL,\n"
    "  symbol TEXT NOT NULL,\n"
    "  side TEXT NOT NULL CHECK (side IN ('buy','sell')),\n"
    "  size TEXT NOT NULL CHECK " DEC("size") ",\n"
    "  price TEXT CHECK " DEC("price") ",\n"
    "  order_type TEXT CHECK (order_type IN ('limit','market')),\n"
    "  reduce_only INTEGER NOT NULL CHECK " BOOL("reduce_only") ",\n"
    "  purpose TEXT NOT NULL CHECK (purpose IN ('open','close','unwind','trim','emergency')),\n"
    "  status TEXT NOT NULL DEFAULT 'pending'\n"
    "    CHECK (status IN ('pending','sent','filled','partially_filled','rejected','unknown','resolved')),\n"
    "  resolution TEXT,\n"
    "  venue_order_id TEXT,\n"
    "  filled_size TEXT CHECK " DEC("filled_size") ",\n"
    "  avg_price TEXT CHECK " DEC("avg_price") ",\n"
    "  sent_at_ms INTEGER CHECK (sent_at_ms >= 0),\n"
    "  created_at_ms INTEGER NOT NULL,\n"
    "  updated_at_ms INTEGER NOT NULL,\n"
    "  UNIQUE (venue, client_id)\n"
    ") STRICT;\n"
    "CREATE INDEX intents_open ON intents (status) WHERE status IN " STORE_OPEN_INTENT_STATUSES ";\n"
    "CREATE INDEX intents_hedge ON intents (hedge_id);\n"
    "\n"
    "CREATE TABLE fills (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  intent_id INTEGER REFERENCES intents (id),\n"
    "  hedge_id INTEGER REFERENCES hedges (id),\n"
    "  cycle INTEGER CHECK (cycle >= 0),\n"
    "  venue TEXT NOT NULL,\n"
    "  symbol TEXT NOT NULL,\n"
    "  side TEXT NOT NULL CHECK (side IN ('buy','sell')),\n"
    "  size TEXT NOT NULL CHECK " DEC("size") ",\n"
    "  price TEXT NOT NULL CHECK " DEC("price") ",\n"
    "  fee TEXT CHECK " DEC("fee") ",\n"
    "  liquidity TEXT CHECK (liquidity IN ('maker','taker')),\n"
    "  trade_id TEXT,\n"
    "  venue_order_id TEXT,\n"
    "  client_id TEXT,\n"
    "  filled_at_ms INTEGER NOT NULL CHECK (filled_at_ms >= 0),\n"
    "  created_at_ms INTEGER NOT NULL,\n"
    "  UNIQUE (venue, trade_id)\n"
    ") STRICT;\n"
    "CREATE INDEX fills_intent ON fills (intent_id);\n"
    "CREATE INDEX fills_hedge ON fills (hedge_id);\n"
    "\n"
    "CREATE TABLE funding_payments (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  hedge_id INTEGER REFERENCES hedges (id),\n"
    "  cycle INTEGER CHECK (cycle >= 0),\n"
    "  venue TEXT NOT NULL,\n"
    "  symbol TEXT NOT NULL,\n"
    "  side TEXT CHECK (side IN ('long','short')),\n"
    "  amount TEXT NOT NULL CHECK " DEC("amount") ",\n"
    "  rate TEXT CHECK " DEC("rate") ",\n"
    "  position_size TEXT CHECK " DEC("position_size") ",\n"
    "  payment_id TEXT,\n"
    "  paid_at_ms INTEGER NOT NULL CHECK (paid_at_ms >= 0),\n"
    "  created_at_ms INTEGER NOT NULL,\n"
    "  UNIQUE (venue, payment_id),\n"
    "  UNIQUE (venue, symbol, paid_at_ms)\n"
    ") STRICT;\n"
    "CREATE INDEX funding_hedge ON funding_payments (hedge_id);\n"
    "\n"
    "CREATE TABLE cycles (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  cycle INTEGER NOT NULL UNIQUE CHECK (cycle >= 0),\n"
    "  hedge_id INTEGER REFERENCES hedges (id),\n"
    "  symbol TEXT NOT NULL,\n"
    "  long_venue TEXT NOT NULL,\n"
    "  short_venue TEXT NOT NULL,\n"
    "  opened_at_ms INTEGER CHECK (opened_at_ms >= 0),\n"
    "  closed_at_ms INTEGER NOT NULL CHECK (closed_at_ms >= 0),\n"
    "  close_reason TEXT NOT NULL,\n"
    "  size TEXT CHECK " DEC("size") ",\n"
    "  notional TEXT CHECK " DEC("notional") ",\n"
    "  long_funding_pnl TEXT CHECK " DEC("long_funding_pnl") ",\n"
    "  long_price_pnl TEXT CHECK " DEC("long_price_pnl") ",\n"
    "  long_fees TEXT CHECK " DEC("long_fees") ",\n"
    "  short_funding_pnl TEXT CHECK " DEC("short_funding_pnl") ",\n"
    "  short_price_pnl TEXT CHECK " DEC("short_price_pnl") ",\n"
    "  short_fees TEXT CHECK " DEC("short_fees") ",\n"
    "  funding_pnl TEXT NOT NULL CHECK " DEC("funding_pnl") ",\n"
    "  price_pnl TEXT NOT NULL CHECK " DEC("price_pnl") ",\n"
    "  fees TEXT NOT NULL CHECK " DEC("fees") ",\n"
    "  total_pnl TEXT NOT NULL CHECK " DEC("total_pnl") ",\n"
    "  created_at_ms INTEGER NOT NULL\n"
    ") STRICT;\n"
    "\n"
    "CREATE TABLE events (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  at_ms INTEGER NOT NULL CHECK (at_ms >= 0),\n"
    "  kind TEXT NOT NULL,\n"
    "  level TEXT NOT NULL DEFAULT 'info' CHECK (level IN ('info','warn','error')),\n"
    "  cycle INTEGER CHECK (cycle >= 0),\n"
    "  hedge_id INTEGER REFERENCES hedges (id),\n"
    "  symbol TEXT,\n"
    "  venue TEXT,\n"
    "  message TEXT NOT NULL,\n"
    "  data TEXT CHECK (data IS NULL OR json_valid(data))\n"
    ") STRICT;\n"
    "CREATE INDEX events_kind ON events (kind);\n";

const store_migration store_migrations[] = {
    {1, schema_v1},
};
const int store_migration_count = COUNT(store_migrations);
