/* Regression tests for what the fuzz targets of tests/fuzz/ found (make fuzz). Each case is the
 * minimised input (or the shape of it) with the behaviour the fix guarantees; the crashing
 * inputs themselves stay in build/fuzz/crashes/<target>/, which make fuzz replays on every run. */
#include <jansson.h>
#include <string.h>

#include "exchanges/edgex/parse.h"
#include "exchanges/lighter/json_exact.h"
#include "exchanges/lighter/parse.h"
#include "exchanges/pacifica/parse.h"
#include "tests/c/tap.h"

/* fuzz_lighter_json_exact: the loader quoted every run of number characters that held a '.' or
 * an 'e', so malformed literals became strings and a bad payload was read as good:
 * "daily_price_change": --4.366 loaded as the string "--4.366", "1.e5" even as a decimal. Now
 * only whole, valid JSON reals in value positions are quoted; everything else fails as it
 * would in jansson. */
static void test_lighter_json_exact_malformed_numbers(void) {
    static const char *const refused[] = {
        "{\"daily_price_change\": --4.366136694955931}",  /* the fuzzer's find */
        "[1.e5]", "[01.5]", "[1.]", "[1.5.5]", "[1e]", "[1e+]", "[-.5]", "[+1.5]", "[1.5e3.2]", "[0x1.8p3]",
        "{1.5: 2}", "{\"a\": {2.5 : 1}}",                 /* a number where a key belongs */
        "[1.5-2]", "[- 1.5]",
    };
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        char err[256] = "";
        json_t *root = lighter_json_load(refused[i], strlen(refused[i]), err, sizeof err);
        ok(root == NULL && strncmp(err, "not JSON", 8) == 0, "lighter_json_load refuses %s (%s)", refused[i], err);
        json_decref(root);
    }

    const char *good = "{\"a\": [1.5, -0.25e-3, 3E+2, 0.0, -0, 12, 1e5], \"b\": {\"c\":7.50}, \"d\": \"1.e5\"}";
    char err[256] = "";
    json_t *root = lighter_json_load(good, strlen(good), err, sizeof err);
    ok(root != NULL, "valid reals still load (%s)", err);
    if (!root) return;
    const json_t *a = json_object_get(root, "a");
    static const char *const literals[] = {"1.5", "-0.25e-3", "3E+2", "0.0"};
    for (size_t i = 0; i < 4; i++)
        is_str(json_string_value(json_array_get(a, i)), literals[i], "real %zu keeps its literal", i);
    ok(json_is_integer(json_array_get(a, 4)) && json_is_integer(json_array_get(a, 5)), "integers stay integers");
    is_str(json_string_value(json_array_get(a, 6)), "1e5", "an exponent without a point is a real");
    is_str(json_string_value(json_object_get(json_object_get(root, "b"), "c")), "7.50", "nested real, trailing zero kept");
    is_str(json_string_value(json_object_get(root, "d")), "1.e5", "string contents are never touched");
    json_decref(root);
}

/* fuzz_lighter_json_exact: lighter_json_reals_to_text on a tree that is itself a real ("1e0")
 * returned 0 and left the real in place; it now reports that it could not convert it. */
static void test_lighter_reals_to_text_root(void) {
    json_t *real = json_real(1.0);
    is_int(lighter_json_reals_to_text(real), -1, "a bare real root is refused, not silently kept");
    json_decref(real);
    json_t *tree = json_pack("{s:f,s:[f,i]}", "a", 0.5, "b", 2.25, 3);
    ok(lighter_json_reals_to_text(tree) == 0, "a tree's reals are converted");
    is_str(json_string_value(json_object_get(tree, "a")), "0.5", "member real");
    is_str(json_string_value(json_array_get(json_object_get(tree, "b"), 0)), "2.25", "item real");
    json_decref(tree);
}

static int blank_message(const venue_error *e) { return e->message[0] == '\0'; }

/* fuzz_pacifica_parse: a body of control bytes ("\0...\b", a gateway's "\r\n") was cleaned to
 * nothing and the error had an empty message. venue_error_set now always says something; the
 * same holds for the Lighter and edgeX classifiers, whose blank "message"/"msg" fell through
 * the same way. */
static void test_blank_error_messages(void) {
    venue_error e;
    static const char control_body[] = "\0\0\0\0\0\0\0\b";
    pacifica_parse_error_body(control_body, sizeof control_body - 1, 503, &e);
    ok(!blank_message(&e), "pacifica: a body of control bytes gives a message");
    is_str(e.message, "HTTP 503 with no readable message", "pacifica: the message names the status");
    ok(e.kind == VENUE_ERROR_UNAVAILABLE, "pacifica: a 503 is still unavailable");

    pacifica_parse_error_body("\r\n", 2, 502, &e);
    is_str(e.message, "HTTP 502 with no readable message", "pacifica: a bare CRLF body");

    const char *lighter_body = "{\"code\": 21120, \"message\": \"\\n\\t \"}";
    lighter_parse_error_body(lighter_body, strlen(lighter_body), 400, 0, &e);
    ok(!blank_message(&e), "lighter: a blank message field still gives a message (%s)", e.message);

    const char *edgex_body = "{\"msg\": \"   \"}";
    char code[64];
    edgex_parse_error_body(edgex_body, strlen(edgex_body), 400, &e, code, sizeof code);
    ok(!blank_message(&e), "edgex: a blank msg still gives a message (%s)", e.message);
}

int main(void) {
    test_lighter_json_exact_malformed_numbers();
    test_lighter_reals_to_text_root();
    test_blank_error_messages();
    return done_testing();
}
