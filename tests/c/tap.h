/* Minimal TAP producer for the C tests (read by prove). Header-only: each test program
 * includes it once. Checks print a diagnostic with the expected and found values. */
#ifndef HEDGE_TESTS_TAP_H
#define HEDGE_TESTS_TAP_H
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static int tap_count, tap_failed;

__attribute__((unused)) static void tap_plan(int n) { printf("1..%d\n", n); }

static void tap_vresult(int ok, const char *fmt, va_list ap) {
    tap_count++;
    if (!ok) tap_failed++;
    printf("%sok %d - ", ok ? "" : "not ", tap_count);
    vprintf(fmt, ap);
    printf("\n");
    fflush(stdout);
}

__attribute__((format(printf, 2, 3), unused))
static int ok(int cond, const char *fmt, ...) {
    va_list ap; va_start(ap, fmt); tap_vresult(cond, fmt, ap); va_end(ap);
    return cond;
}

__attribute__((format(printf, 3, 4), unused))
static int is_int(long long found, long long expected, const char *fmt, ...) {
    va_list ap; va_start(ap, fmt); tap_vresult(found == expected, fmt, ap); va_end(ap);
    if (found != expected) printf("#   found:    %lld\n#   expected: %lld\n", found, expected);
    return found == expected;
}

__attribute__((format(printf, 3, 4), unused))
static int is_str(const char *found, const char *expected, const char *fmt, ...) {
    int same = found && expected ? strcmp(found, expected) == 0 : found == expected;
    va_list ap; va_start(ap, fmt); tap_vresult(same, fmt, ap); va_end(ap);
    if (!same) printf("#   found:    '%s'\n#   expected: '%s'\n", found ? found : "(null)", expected ? expected : "(null)");
    return same;
}

__attribute__((format(printf, 1, 2), unused))
static void diag(const char *fmt, ...) {
    va_list ap; va_start(ap, fmt);
    printf("# "); vprintf(fmt, ap); printf("\n");
    va_end(ap);
}

/* Ends a test whose plan was not given up front; returns the process exit status. */
__attribute__((unused)) static int done_testing(void) {
    printf("1..%d\n", tap_count);
    return tap_failed ? 1 : 0;
}

__attribute__((unused)) static int tap_exit_status(void) { return tap_failed ? 1 : 0; }
#endif
