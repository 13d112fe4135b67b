/* The parameter rendering that both edgeX generations sign (spec 6.1 and V.5):
 *   query:  parameters sorted by name (byte order), "name=value" joined by "&";
 *   body:   the JSON object with keys sorted, "key=R(value)" joined by "&", nested objects
 *           inline, arrays joined by "&", strings as they are, true/false, null -> empty.
 * The rendered query is also the query string that goes on the wire, so what is signed is
 * exactly what is sent; for that, names and values are restricted to A-Z a-z 0-9 . _ - , whose
 * raw and percent-decoded forms coincide (the SDKs disagree on encoding anything else). */
#ifndef HEDGE_EXCHANGES_EDGEX_REQUEST_RENDER_H
#define HEDGE_EXCHANGES_EDGEX_REQUEST_RENDER_H

#include <jansson.h>
#include <stddef.h>

#include "exchanges/edgex/error.h"
#include "exchanges/edgex/text.h"

typedef struct edgex_query_param {
    const char *name;
    const char *value;
} edgex_query_param;

/* Parameters with an empty value are left out (the Go SDK and the docs' helper drop them, the
 * Python SDK signs "name=": a client must never send one); keep_empty = 1 reproduces the
 * Python rendering for comparison only. Fails naming a parameter with an unsafe character or
 * a duplicate name. */
int edgex_render_query(edgex_text *out, const edgex_query_param *params, size_t count, int keep_empty,
                       edgex_error *err);

/* body must be a JSON object. JSON numbers are refused (send every number as a string: the
 * SDKs and the server may print numbers differently). */
int edgex_render_json_body(edgex_text *out, const json_t *body, edgex_error *err);

/* path, or path + "?" + rendered query when the query is not empty. */
int edgex_request_target(edgex_text *out, const char *path, const char *rendered_query, edgex_error *err);

/* Checks shared by the signers: method is upper-case letters, path starts with "/" and has no
 * "?" or "#" and no whitespace. */
int edgex_check_method_and_path(const char *method, const char *path, edgex_error *err);

#endif
