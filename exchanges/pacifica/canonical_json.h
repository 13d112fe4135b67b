/* JSON text for Pacifica: the canonical form that gets signed, and the compact form of bodies.
 *
 * Canonical form = what pacifica-fi/python-sdk does (recursive key sort, then
 * json.dumps(separators=(",", ":")) with ensure_ascii): members sorted by key byte order
 * (= code point order), no whitespace, strings escaped as \" \\ \b \f \n \r \t, other
 * characters below U+0020 and U+007F as \u00xx, non-ASCII as \uxxxx (surrogate pairs above
 * U+FFFF), '/' left alone. Integers are written exactly; JSON reals are refused, because
 * Python and JavaScript print them differently and the venue would reject the signature.
 * Strings are copied verbatim, so decimal strings ("0.00010") are never normalised. */
#ifndef HEDGE_EXCHANGES_PACIFICA_CANONICAL_JSON_H
#define HEDGE_EXCHANGES_PACIFICA_CANONICAL_JSON_H

#include <jansson.h>
#include <stddef.h>

#include "exchanges/pacifica/text_buffer.h"

enum pacifica_json_flags {
    PACIFICA_JSON_SORT_KEYS = 1u << 0,            /* members sorted (canonical); else insertion order */
    PACIFICA_JSON_PRINTABLE_ASCII_ONLY = 1u << 1  /* refuse keys/strings outside U+0020..U+007E */
};

/* Nesting deeper than this is refused rather than recursed into. */
#define PACIFICA_JSON_MAX_DEPTH 32

/* Appends the JSON text of value to out. Returns 0, or -1 with err naming the offending
 * member by path (path_prefix, e.g. "data", then ".take_profit.stop_price" or "[2]").
 * On failure out may hold a partial text. */
int pacifica_json_write(pacifica_text *out, const json_t *value, unsigned flags, const char *path_prefix,
                        char *err, size_t errcap);

/* The canonical text (sorted keys, Python escaping) of value: pacifica_json_write with
 * PACIFICA_JSON_SORT_KEYS. */
int pacifica_canonical_json_write(pacifica_text *out, const json_t *value, char *err, size_t errcap);

/* Appends a JSON string literal (quotes included) with the canonical escaping.
 * Returns 0, or -1 when PACIFICA_JSON_PRINTABLE_ASCII_ONLY is set and a character is outside
 * the printable range, or when bytes is not valid UTF-8 (err then gives the byte position). */
int pacifica_json_write_string(pacifica_text *out, const char *bytes, size_t length, unsigned flags,
                               char *err, size_t errcap);

#endif
