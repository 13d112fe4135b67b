/* libFuzzer target: the literal-keeping JSON loader of the Lighter client
 * (exchanges/lighter/json_exact.c), differentially against jansson itself.
 *
 *   - lighter_json_load accepts a text exactly when jansson does (same flags): quoting number
 *     literals must neither make a bad text good nor a good one bad (exceptions, both jansson's:
 *     a real too large for a double, which JSON allows and jansson refuses, and a NUL byte after
 *     a bare number, which jansson takes and the quoted form does not);
 *   - the two trees have the same shape, strings and integers, and where jansson has a real
 *     the loader has a string holding the literal, which strtod reads as that same double;
 *   - lighter_json_reals_to_text on jansson's tree leaves strings that read back as the doubles;
 *   - lighter_decimal_plain of any string it accepts is a plain decimal of the same value (or,
 *     beyond 38 digits, a plain decimal the arithmetic reports as too long).
 * Seeds: the payloads of shared/fixtures/lighter (with their number literals). */
#include "tests/fuzz/fuzz.h"

#include "exchanges/lighter/json_exact.h"

#define LOAD_FLAGS (JSON_DECODE_ANY | JSON_REJECT_DUPLICATES)

static double read_double(const char *text) {
    char *end;
    double value = strtod(text, &end);
    FUZZ_CHECK(*end == '\0', "\"%s\" is not a whole number text", text);
    return value;
}

static void check_plain(const char *text, size_t length) {
    char plain[64];
    if (lighter_decimal_plain(text, length, plain, sizeof plain) != 0) return;
    if (length == 0) {
        FUZZ_CHECK(plain[0] == '\0', "empty text became \"%s\"", plain);
        return;
    }
    for (const char *p = plain; *p; p++)
        FUZZ_CHECK((*p >= '0' && *p <= '9') || *p == '.' || (*p == '-' && p == plain), "\"%s\" is not plain", plain);
    rt_decimal original, converted;
    /* A plain text is kept as text: one beyond 38 digits is legal here (the caller that needs
     * its value reports the overflow), a malformed one is not. */
    int status = rt_decimal_parse(&original, text, length, NULL, 0);
    FUZZ_CHECK(status == RT_DECIMAL_OK || status == RT_DECIMAL_OVERFLOW,
               "\"%.*s\" became the plain decimal \"%s\", but it reads as status %d", (int)length, text, plain, status);
    if (status == RT_DECIMAL_OVERFLOW) return;
    FUZZ_CHECK(rt_decimal_parse(&converted, plain, strlen(plain), NULL, 0) == RT_DECIMAL_OK &&
                   rt_decimal_cmp(&original, &converted) == 0,
               "plain form \"%s\" is another value", plain);
}

/* exact: the loader's tree; reference: jansson's. */
static void same_tree(const json_t *exact, const json_t *reference) {
    if (json_is_real(reference)) {
        FUZZ_CHECK(json_is_string(exact), "a real literal did not become a string");
        FUZZ_CHECK(read_double(json_string_value(exact)) == json_real_value(reference), "literal \"%s\" is not %.17g",
                   json_string_value(exact), json_real_value(reference));
        check_plain(json_string_value(exact), json_string_length(exact));
        return;
    }
    FUZZ_CHECK(json_typeof(exact) == json_typeof(reference), "types differ (%d, %d)", (int)json_typeof(exact),
               (int)json_typeof(reference));
    switch (json_typeof(reference)) {
    case JSON_OBJECT: {
        FUZZ_CHECK(json_object_size(exact) == json_object_size(reference), "object sizes differ");
        const char *key;
        json_t *member;
        json_object_foreach((json_t *)reference, key, member) {
            const json_t *other = json_object_get(exact, key);
            FUZZ_CHECK(other != NULL, "member \"%s\" lost", key);
            same_tree(other, member);
        }
        break;
    }
    case JSON_ARRAY:
        FUZZ_CHECK(json_array_size(exact) == json_array_size(reference), "array sizes differ");
        for (size_t i = 0; i < json_array_size(reference); i++)
            same_tree(json_array_get(exact, i), json_array_get(reference, i));
        break;
    case JSON_STRING:
        FUZZ_CHECK(json_equal(exact, reference), "a string changed");
        check_plain(json_string_value(exact), json_string_length(exact));
        break;
    default:
        FUZZ_CHECK(json_equal(exact, reference), "a scalar changed");
    }
}

/* After lighter_json_reals_to_text, `converted` has no reals; each former real is a string
 * that reads back as the double of `reference`. */
static void check_converted(const json_t *converted, const json_t *reference) {
    if (json_is_real(reference)) {
        FUZZ_CHECK(json_is_string(converted), "a real was left in place");
        FUZZ_CHECK(read_double(json_string_value(converted)) == json_real_value(reference),
                   "\"%s\" does not read back as %.17g", json_string_value(converted), json_real_value(reference));
        return;
    }
    if (json_is_object(reference)) {
        const char *key;
        json_t *member;
        json_object_foreach((json_t *)reference, key, member) check_converted(json_object_get(converted, key), member);
    } else if (json_is_array(reference)) {
        for (size_t i = 0; i < json_array_size(reference); i++)
            check_converted(json_array_get(converted, i), json_array_get(reference, i));
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char err[256];
    json_error_t error;
    json_t *exact = lighter_json_load((const char *)data, size, err, sizeof err);
    json_t *reference = json_loadb((const char *)data, size, LOAD_FLAGS, &error);
    fuzz_check_failure_text(exact ? 0 : -1, err, sizeof err, "lighter_json_load");
    /* JSON has no range limit on numbers; jansson refuses a real beyond a double, the loader
     * keeps its text. That one difference is by design. */
    int jansson_range_limit = !reference && strstr(error.text, "overflow") != NULL;
    /* A raw NUL byte is never valid JSON text, but jansson takes one right after a bare number
     * ("1\0") while refusing it after a string ("\"1\"\0"): no reference for such inputs. */
    int has_nul = memchr(data, '\0', size) != NULL;
    FUZZ_CHECK(jansson_range_limit || has_nul || (exact != NULL) == (reference != NULL), "lighter_json_load %s what jansson %s (%s)",
               exact ? "accepts" : "refuses", reference ? "accepts" : "refuses", exact ? error.text : err);
    if (exact && reference) {
        same_tree(exact, reference);
        json_t *converted = json_deep_copy(reference);
        if (converted && lighter_json_reals_to_text(converted) == 0) check_converted(converted, reference);
        json_decref(converted);
    }
    json_decref(exact);
    json_decref(reference);
    return 0;
}
