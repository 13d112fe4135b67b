/* libFuzzer target: the Lua face of the three venue parsers (bindings/{pacifica,lighter,edgex}_
 * parse.c, the C glue every payload crosses on its way to a strategy).
 *
 * Each input is handed to every venue's response(kind, body) for every kind, to ws(text) and
 * to error(body, status). They must return a table or nil plus a message, never raise (a raise
 * is a crash of the calling task), and a classified error must have a kind and a non-empty
 * message. Seeds: the payloads of all shared fixtures. */
/* link: bindings/pacifica_parse.c bindings/lighter_parse.c bindings/edgex_parse.c bindings/lua_push.c */
#include "tests/fuzz/lua_host.h"

int luaopen_pacifica_parse(lua_State *L);
int luaopen_lighter_parse(lua_State *L);
int luaopen_edgex_parse(lua_State *L);

static const fuzz_lua_module modules[] = {
    {"pacifica.parse", luaopen_pacifica_parse},
    {"lighter.parse", luaopen_lighter_parse},
    {"edgex.parse", luaopen_edgex_parse},
    {NULL, NULL},
};

static const char chunk[] =
    "local venues = {\n"
    "  { name = 'pacifica', mod = require 'pacifica.parse', kinds = { 'markets', 'prices', 'book', 'account',\n"
    "    'positions', 'orders', 'trades', 'funding_history', 'settings', 'order_result' } },\n"
    "  { name = 'lighter', mod = require 'lighter.parse', kinds = { 'markets', 'funding_rates', 'fundings',\n"
    "    'book_orders', 'accounts', 'orders', 'trades', 'next_nonce', 'api_keys', 'tx_result', 'envelope', 'raw' } },\n"
    "  { name = 'edgex', mod = require 'edgex.parse', kinds = { 'metadata', 'server_time', 'tickers', 'depth',\n"
    "    'funding', 'funding_page', 'account_asset', 'account', 'orders', 'order_page', 'fill_page',\n"
    "    'create_order', 'cancel', 'none' } },\n"
    "}\n"
    "local function answer(what, value, err)\n"
    "  if value == nil and type(err) ~= 'string' and type(err) ~= 'table' then\n"
    "    error(what .. ': neither a value nor an error', 0)\n"
    "  end\n"
    "  if value ~= nil and type(value) ~= 'table' then error(what .. ': a ' .. type(value) .. ', not a table', 0) end\n"
    "end\n"
    "function fuzz_one(text)\n"
    "  local status = 400 + #text % 200\n"
    "  for _, v in ipairs(venues) do\n"
    "    for _, kind in ipairs(v.kinds) do\n"
    "      answer(v.name .. '.response(' .. kind .. ')', v.mod.response(kind, text))\n"
    "    end\n"
    "    answer(v.name .. '.ws', v.mod.ws(text))\n"
    "    local e = v.mod.error(text, status)\n"
    "    if type(e) ~= 'table' or type(e.kind) ~= 'string' or type(e.msg) ~= 'string' or e.msg == '' then\n"
    "      error(v.name .. '.error: not a classified error with a message', 0)\n"
    "    end\n"
    "  end\n"
    "end\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static lua_State *L;
    if (!L) {
        L = fuzz_lua_new(modules);
        fuzz_lua_define(L, chunk, "fuzz_parse_bindings");
    }
    fuzz_lua_call(L, data, size);
    return 0;
}
