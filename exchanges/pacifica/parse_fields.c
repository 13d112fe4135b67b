/* Field readers for the Pacifica parsers (see parse_fields.h). */
#include "exchanges/pacifica/parse_fields.h"

#include <string.h>

const json_t *pf_member(const json_t *object, const char *long_name, const char *short_name) {
    const json_t *value = long_name ? json_object_get(object, long_name) : NULL;
    if (!value && short_name) value = json_object_get(object, short_name);
    return value;
}

const char *pf_name(const char *long_name, const char *short_name) {
    return long_name ? long_name : short_name;
}

int pf_decimal(const json_t *object, const char *long_name, const char *short_name, pacifica_decimal_text *out,
               int required, const jfield_where *where) {
    const char *name = pf_name(long_name, short_name);
    const json_t *value = pf_member(object, long_name, short_name);
    out->text[0] = '\0';
    int absent = jfield_absent(value, required, where, name);
    if (absent) return absent < 0 ? -1 : 0;
    /* The venue sends every decimal as a string (spec §2). A number in its place means the
     * payload is not what we think it is: refuse it rather than guess. */
    if (json_is_integer(value)) return jfield_fail(where, name, "is a JSON number; expected a decimal string");
    if (json_is_real(value))
        return jfield_fail(where, name, "is a JSON float (its exact text is lost); expected a decimal string");
    if (!json_is_string(value)) return jfield_fail(where, name, "is not a decimal string");
    return jfield_copy_plain_decimal(json_string_value(value), json_string_length(value), name, out->text,
                                     sizeof out->text, where);
}

int pf_int(const json_t *object, const char *long_name, const char *short_name, pacifica_optional_int *out,
           int required, const jfield_where *where) {
    return jfield_int(pf_member(object, long_name, short_name), pf_name(long_name, short_name), out, required, where);
}

int pf_bool(const json_t *object, const char *long_name, const char *short_name, int *out, int required,
            const jfield_where *where) {
    return jfield_bool(pf_member(object, long_name, short_name), pf_name(long_name, short_name), out, required, where);
}

int pf_text(const json_t *object, const char *long_name, const char *short_name, char *out, size_t cap,
            int required, const jfield_where *where) {
    return jfield_text(pf_member(object, long_name, short_name), pf_name(long_name, short_name), out, cap, required,
                       where);
}

int pf_side(const json_t *object, const char *long_name, const char *short_name, pacifica_side *out, int required,
            const jfield_where *where) {
    char text[16];
    *out = PACIFICA_SIDE_NONE;
    if (pf_text(object, long_name, short_name, text, sizeof text, required, where) != 0) return -1;
    if (!text[0]) return 0;
    if (!strcmp(text, "bid") || !strcmp(text, "buy") || !strcmp(text, "long")) *out = PACIFICA_SIDE_BID;
    else if (!strcmp(text, "ask") || !strcmp(text, "sell") || !strcmp(text, "short")) *out = PACIFICA_SIDE_ASK;
    else return jfield_fail(where, pf_name(long_name, short_name), "is not \"bid\" or \"ask\"");
    return 0;
}

int pf_list(const json_t *data, size_t *count, const jfield_where *where) {
    *count = json_is_array(data) ? json_array_size(data) : 0;
    if (json_is_array(data)) return 0;
    return jfield_fail(where, NULL, !data || json_is_null(data) ? "no data" : "is not a list");
}
