/* libFuzzer target: the Lua face of the three venue parsers (bindings/{pacifica,lighter,edgex}_
 * parse.c, the C glue every payload crosses on its way to a strategy).
 *
 * The first byte of an input picks one call — a venue's response(kind, body) for one kind, its
 * ws(text) or its error(body, status) — and the rest is the payload. (Handing every input to all
 * 42 calls made an execution 42 parses: under 1,000 executions a second. One call per execution
 * lets the fuzzer learn which payload suits which parser and runs ~30x more executions.) Every
 * call must return a table or nil plus a message, never raise (a raise is a crash of the calling
 * task), and a classified error must have a kind and a non-empty message. Seeds: the payloads of
 * all shared fixtures, each behind every selector of its venue (tests/fuzz/seeds.mjs). */
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
    "local calls = {}\n"
    "for _, v in ipairs(venues) do\n"
    "  for _, kind in ipairs(v.kinds) do\n"
    "    calls[#calls + 1] = { what = v.name .. '.response(' .. kind .. ')', fn = function(t) return v.mod.response(kind, t) end }\n"
    "  end\n"
    "  calls[#calls + 1] = { what = v.name .. '.ws', fn = v.mod.ws }\n"
    "  calls[#calls + 1] = { what = v.name .. '.error', classify = v.mod.error }\n"
    "end\n"
    "assert(#calls == 42, 'tests/fuzz/seeds.mjs assumes 42 selectors')\n"
    "function fuzz_one(input)\n"
    "  if #input == 0 then return end\n"
    "  local call = calls[input:byte(1) % #calls + 1]\n"
    "  local text = input:sub(2)\n"
    "  if call.classify then\n"
    "    local e = call.classify(text, 400 + #text % 200)\n"
    "    if type(e) ~= 'table' or type(e.kind) ~= 'string' or type(e.msg) ~= 'string' or e.msg == '' then\n"
    "      error(call.what .. ': not a classified error with a message', 0)\n"
    "    end\n"
    "    return\n"
    "  end\n"
    "  local value, err = call.fn(text)\n"
    "  if value == nil and type(err) ~= 'string' and type(err) ~= 'table' then\n"
    "    error(call.what .. ': neither a value nor an error', 0)\n"
    "  end\n"
    "  if value ~= nil and type(value) ~= 'table' then error(call.what .. ': a ' .. type(value) .. ', not a table', 0) end\n"
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
