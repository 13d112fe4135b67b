/* Loading Lighter payloads without losing number literals (lighter.md §2: "Decimal strings in
 * REST/WS should be parsed as exact decimals, not doubles").
 *
 * Lighter sends many prices, volumes and rates as bare JSON numbers (`"last_trade_price":
 * 3550.69`, `"rate": 9.599999999999999e-05`). jansson turns those into doubles, and the text is
 * gone. lighter_json_load quotes every number literal that has a fraction or an exponent before
 * jansson sees it, so those members arrive as strings holding the venue's exact text; integers
 * stay jansson integers (exact int64). The parsers accept a decimal as a string either way, so
 * "the venue sent a number" and "the venue sent a string" read the same. */
#ifndef HEDGE_EXCHANGES_LIGHTER_JSON_EXACT_H
#define HEDGE_EXCHANGES_LIGHTER_JSON_EXACT_H

#include <jansson.h>
#include <stddef.h>

/* Parses text (any JSON value). Returns a new reference, or NULL with err naming the problem
 * ("not JSON: ... at byte N", "empty"). */
json_t *lighter_json_load(const char *text, size_t length, char *err, size_t errcap);

/* For a tree jansson already parsed (the literals are gone): replaces every real with the
 * shortest decimal text that reads back as the same double. That equals the venue's literal
 * whenever the venue printed the shortest form (JavaScript, Go and Python all do), which is
 * why the fixture runner, which hands parsers pre-parsed trees, can still check literals.
 * Returns 0, or -1 when a value could not be converted (out of the decimal range, or a
 * bare real at the root, which cannot be replaced in place). */
int lighter_json_reals_to_text(json_t *root);

/* A decimal string from a payload in plain notation: "12.50" stays "12.50" (trailing zeros
 * kept), "9.5e-05" becomes "0.000095"; "" stays "". Returns 0, or -1 when text is not a
 * decimal number or does not fit cap. */
int lighter_decimal_plain(const char *text, size_t length, char *out, size_t cap);

#endif
