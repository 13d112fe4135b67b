/* libFuzzer target: the files people edit — bot_config.json through hedge.json_strict and the
 * configuration schema (scripts/lib/config.lua, bindings/lua/hedge/schema.lua), and .env files
 * through hedge.env's reader. Run by the real modules from the source tree in a bare Lua state.
 *
 * Whatever the text, json_strict.decode returns a value or nil plus {line, column, msg};
 * config.parse returns a configuration or nil plus an error with a message; parse_dotenv returns
 * its entries and a list of messages. None of them may raise. Seeds: the example configuration,
 * the demo's .env example, and JSON payloads of the shared fixtures. */
/* link: bindings/log_binding.c */
#include "tests/fuzz/lua_host.h"

int luaopen_hedge_log(lua_State *L);

static const fuzz_lua_module modules[] = {
    {"hedge.log", luaopen_hedge_log},
    {NULL, NULL},
};

static const char chunk[] =
    "local J = require 'hedge.json_strict'\n"
    "local config = require 'lib.config'\n"
    "local env = require 'hedge.env'\n"
    "function fuzz_one(text)\n"
    "  local value, info = J.decode(text)\n"
    "  if value == nil and (type(info) ~= 'table' or type(info.msg) ~= 'string' or type(info.line) ~= 'number'\n"
    "      or type(info.column) ~= 'number') then\n"
    "    error('json_strict.decode: no {line, column, msg} with its nil', 0)\n"
    "  end\n"
    "  local cfg, err = config.parse(text, 'fuzz.json')\n"
    "  if cfg == nil and (type(err) ~= 'table' or type(err.msg) ~= 'string' or err.msg == '') then\n"
    "    error('config.parse: nil without an error message', 0)\n"
    "  end\n"
    "  local entries, problems = env.parse_dotenv(text, 'fuzz.env')\n"
    "  if type(entries) ~= 'table' or type(problems) ~= 'table' then error('parse_dotenv: not two tables', 0) end\n"
    "  for _, p in ipairs(problems) do\n"
    "    if type(p) ~= 'string' or not p:find('^fuzz%.env:%d+: ') then error('parse_dotenv: a message without its line', 0) end\n"
    "  end\n"
    "end\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static lua_State *L;
    if (!L) {
        L = fuzz_lua_new(modules);
        fuzz_lua_define(L, chunk, "fuzz_config");
    }
    fuzz_lua_call(L, data, size);
    return 0;
}
