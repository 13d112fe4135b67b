/* The interactive REPL (libedit on the loop). See repl.c. */
#ifndef HEDGE_BINDINGS_REPL_H
#define HEDGE_BINDINGS_REPL_H
#include <lua.h>

int hedge_repl_start(lua_State *L);      /* 0 ok, -1 with a message printed */
/* SIGINT while the REPL runs: cancels the running chunk or clears the prompt line.
 * Returns 1 when handled (the process must not exit). */
int hedge_repl_interrupt(void);
#endif
