/* libFuzzer target: Pacifica's canonical JSON (exchanges/pacifica/canonical_json.c), the text
 * every signature is computed over.
 *
 * Any JSON value jansson reads is written canonically. It must succeed exactly when the value
 * has no float and is nested at most PACIFICA_JSON_MAX_DEPTH deep; the text must be printable
 * ASCII only (Python's ensure_ascii), read back (jansson) as an equal value, have every
 * object's keys in ascending byte order, and be a fixed point: canonical(read(text)) == text.
 * The insertion-order writer (request bodies) must read back as an equal value too.
 * Seeds: the signed payloads of shared/vectors/pacifica and the fixture payloads. */
#include "tests/fuzz/fuzz.h"

#include "exchanges/pacifica/canonical_json.h"

/* 1 when value holds a real anywhere; *depth gets its nesting (a scalar is 0, [] is 1). */
static int has_real(const json_t *value, int level, int *depth) {
    if (level > *depth) *depth = level;
    if (json_is_real(value)) return 1;
    int found = 0;
    if (json_is_object(value)) {
        const char *key;
        json_t *member;
        json_object_foreach((json_t *)value, key, member) found |= has_real(member, level + 1, depth);
    } else if (json_is_array(value)) {
        for (size_t i = 0; i < json_array_size(value); i++) found |= has_real(json_array_get(value, i), level + 1, depth);
    }
    return found;
}

/* jansson iterates an object in insertion order, i.e. the order of the text it read. */
static int keys_sorted(const json_t *value) {
    if (json_is_object(value)) {
        const char *key, *previous = NULL;
        size_t key_length, previous_length = 0;
        json_t *member;
        json_object_keylen_foreach((json_t *)value, key, key_length, member) {
            if (previous) {
                size_t common = previous_length < key_length ? previous_length : key_length;
                int order = memcmp(previous, key, common);
                if (order > 0 || (order == 0 && previous_length >= key_length)) return 0;
            }
            previous = key;
            previous_length = key_length;
            if (!keys_sorted(member)) return 0;
        }
    } else if (json_is_array(value)) {
        for (size_t i = 0; i < json_array_size(value); i++)
            if (!keys_sorted(json_array_get(value, i))) return 0;
    }
    return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    json_error_t error;
    json_t *value = json_loadb((const char *)data, size, JSON_DECODE_ANY | JSON_ALLOW_NUL, &error);
    if (!value) return 0;
    int depth = 0;
    int refusable = has_real(value, 0, &depth) || depth > PACIFICA_JSON_MAX_DEPTH;

    pacifica_text text = PACIFICA_TEXT_INIT, again = PACIFICA_TEXT_INIT, body = PACIFICA_TEXT_INIT;
    char err[512];
    int rc = pacifica_canonical_json_write(&text, value, err, sizeof err);
    fuzz_check_failure_text(rc, err, sizeof err, "pacifica_canonical_json_write");
    FUZZ_CHECK((rc != 0) == refusable, "canonical write %s a value %s", rc ? "refused" : "accepted",
               refusable ? "with a float or too deep" : "without float, not too deep");
    if (rc == 0) {
        for (size_t i = 0; i < text.length; i++)
            FUZZ_CHECK(text.data[i] >= 0x20 && text.data[i] < 0x7F, "byte 0x%02x at %zu of the canonical text",
                       (unsigned char)text.data[i], i);
        json_t *back = json_loadb(text.data, text.length, JSON_DECODE_ANY | JSON_ALLOW_NUL, &error);
        FUZZ_CHECK(back != NULL, "canonical text is not JSON: %s", error.text);
        FUZZ_CHECK(json_equal(back, value), "canonical text reads back as another value");
        FUZZ_CHECK(keys_sorted(back), "canonical text has keys out of order");
        FUZZ_CHECK(pacifica_canonical_json_write(&again, back, err, sizeof err) == 0, "second write failed: %s", err);
        FUZZ_CHECK(again.length == text.length && memcmp(again.data, text.data, text.length) == 0,
                   "canonical form is not a fixed point");
        json_decref(back);

        FUZZ_CHECK(pacifica_json_write(&body, value, 0, "body", err, sizeof err) == 0, "body write failed: %s", err);
        back = json_loadb(body.data, body.length, JSON_DECODE_ANY | JSON_ALLOW_NUL, &error);
        FUZZ_CHECK(back != NULL && json_equal(back, value), "body text reads back as another value");
        json_decref(back);
    }
    pacifica_text_free(&text);
    pacifica_text_free(&again);
    pacifica_text_free(&body);
    json_decref(value);
    return 0;
}
