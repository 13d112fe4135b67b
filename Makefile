# hedge — build, test, sanitizers, benchmarks, demo.
#
# Sources are discovered by wildcard so that adding a file never needs a Makefile edit:
#   runtime/*.c, exchanges/*.c, exchanges/*/*.c  -> build/$(FLAVOUR)/libhedge_core.a (Lua-free)
#   bindings/*.c + bindings/lua/**/*.lua         -> ./hedge (Lua modules embedded)
#   tests/c/test_*.c                             -> build/$(FLAVOUR)/tests/test_* (TAP programs)
#   tests/vectors/*.c                            -> tests/run_vectors (the shared vector runner)
#   tests/fixtures/*.c                           -> tests/run_fixtures (real venue payloads -> facts)
#   bench/bench_*.c                              -> build/$(FLAVOUR)/bench/bench_*
# `make asan` builds the same tree with sanitizers into build/asan and runs the suite against it.

FLAVOUR   ?= release
BUILD     := build/$(FLAVOUR)
SHARED    ?= ../shared

PKGS      := luajit libuv libcurl libwebsockets jansson libsodium libcrypto libsecp256k1 sqlite3 libedit
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)

CC        ?= cc
WARN      := -Wall -Wextra -Werror -Wno-unused-parameter -Wshadow -Wstrict-prototypes -Wformat=2
CFLAGS_release := -O2 -g
CFLAGS_asan    := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
LDFLAGS_asan   := -fsanitize=address,undefined
CFLAGS     = -std=gnu11 $(WARN) $(CFLAGS_$(FLAVOUR)) -D_GNU_SOURCE -I. $(PKG_CFLAGS) $(EXTRA_CFLAGS)
# -Wl,-E: LuaJIT's FFI resolves our exported C functions by name through the host's symbol table.
LDFLAGS   := $(LDFLAGS_$(FLAVOUR)) -Wl,-E
LDLIBS    := $(PKG_LIBS) -lm

VERSION   := $(shell git describe --always --dirty 2>/dev/null || echo unknown)

CORE_SRC    := $(sort $(wildcard runtime/*.c exchanges/*.c exchanges/*/*.c))
BIND_SRC    := $(sort $(wildcard bindings/*.c))
LUA_MODULES := $(sort $(wildcard bindings/lua/*.lua bindings/lua/*/*.lua))
TEST_SRC    := $(sort $(wildcard tests/c/test_*.c))
TEST_SUPPORT_SRC := $(sort $(wildcard tests/c/support_*.c))
VECTOR_SRC  := $(sort $(wildcard tests/vectors/*.c))
FIXTURE_SRC := $(sort $(wildcard tests/fixtures/*.c))
BENCH_SRC   := $(sort $(wildcard bench/bench_*.c))

CORE_OBJ    := $(CORE_SRC:%.c=$(BUILD)/obj/%.o)
BIND_OBJ    := $(BIND_SRC:%.c=$(BUILD)/obj/%.o) $(BUILD)/obj/gen/lua_modules.o $(BUILD)/obj/gen/c_modules.o
TEST_SUPPORT_OBJ := $(TEST_SUPPORT_SRC:%.c=$(BUILD)/obj/%.o)
VECTOR_OBJ  := $(VECTOR_SRC:%.c=$(BUILD)/obj/%.o)
FIXTURE_OBJ := $(FIXTURE_SRC:%.c=$(BUILD)/obj/%.o)
TEST_BIN    := $(TEST_SRC:tests/c/%.c=$(BUILD)/tests/%)
BENCH_BIN   := $(BENCH_SRC:bench/%.c=$(BUILD)/bench/%)
CORE_LIB    := $(BUILD)/libhedge_core.a

ifeq ($(FLAVOUR),release)
HEDGE       := hedge
RUN_VECTORS := tests/run_vectors
RUN_FIXTURES := tests/run_fixtures
else
HEDGE       := $(BUILD)/hedge
RUN_VECTORS := $(BUILD)/run_vectors
RUN_FIXTURES := $(BUILD)/run_fixtures
endif

.PHONY: FORCE all deps test asan bench demo clean sim-deps check-deps fuzz faults crash
.DEFAULT_GOAL := all

all: $(HEDGE) $(RUN_VECTORS) $(RUN_FIXTURES) $(TEST_BIN) $(BENCH_BIN)

# ---- dependencies ---------------------------------------------------------------------------
deps:
	@tools/install-deps

check-deps:
	@tools/install-deps --check

sim-deps: tests/sim/node_modules/.package-lock.json

tests/sim/node_modules/.package-lock.json: tests/sim/package-lock.json tests/sim/package.json
	cd tests/sim && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# ---- build ----------------------------------------------------------------------------------
Q := $(if $(V),,@)
$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(V),,echo "  CC      $<")
	$(Q)$(CC) $(CFLAGS) -MMD -MP -c $< -o $@

$(CORE_LIB): $(CORE_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@
	ar rcs $@ $^

$(BUILD)/tools/embed: tools/embed.c
	@mkdir -p $(dir $@)
	$(CC) -std=gnu11 $(WARN) -O1 $< -o $@

# Lua modules of bindings/lua are compiled into the binary: bindings/lua/hedge/http.lua -> "hedge.http".
$(BUILD)/gen/lua_modules.c: $(LUA_MODULES) $(BUILD)/tools/embed
	@mkdir -p $(dir $@)
	$(BUILD)/tools/embed bindings/lua $(LUA_MODULES) > $@.tmp && mv $@.tmp $@

# C modules announce themselves with HEDGE_LUA_MODULE("name", luaopen_fn) in bindings/*.c.
$(BUILD)/gen/c_modules.c: $(BIND_SRC) tools/gen-c-modules
	@mkdir -p $(dir $@)
	tools/gen-c-modules $(BIND_SRC) > $@.tmp && mv $@.tmp $@

$(BUILD)/obj/gen/%.o: $(BUILD)/gen/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c $< -o $@

# The version string is rewritten only when it changes, so host.o rebuilds exactly then.
$(BUILD)/gen/version.h: FORCE
	@mkdir -p $(dir $@)
	@echo '#define HEDGE_VERSION "$(VERSION)"' > $@.tmp
	@cmp -s $@.tmp $@ && rm -f $@.tmp || mv $@.tmp $@
$(BUILD)/obj/bindings/host.o: $(BUILD)/gen/version.h
$(BUILD)/obj/bindings/host.o: EXTRA_CFLAGS += -include $(BUILD)/gen/version.h
FORCE:

# The whole core library goes in so that Lua's FFI can reach any exported rt_* function by name.
$(HEDGE): $(BIND_OBJ) $(CORE_LIB)
	$(CC) $(LDFLAGS) $(BIND_OBJ) -Wl,--whole-archive $(CORE_LIB) -Wl,--no-whole-archive $(LDLIBS) -o $@

$(RUN_VECTORS): $(VECTOR_OBJ) $(CORE_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) $(VECTOR_OBJ) $(CORE_LIB) $(LDLIBS) -o $@

$(RUN_FIXTURES): $(FIXTURE_OBJ) $(CORE_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) $(FIXTURE_OBJ) $(CORE_LIB) $(LDLIBS) -o $@

$(BUILD)/tests/%: $(BUILD)/obj/tests/c/%.o $(TEST_SUPPORT_OBJ) $(CORE_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) $< $(TEST_SUPPORT_OBJ) $(CORE_LIB) $(LDLIBS) -o $@

$(BUILD)/bench/%: $(BUILD)/obj/bench/%.o $(CORE_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) $< $(CORE_LIB) $(LDLIBS) -o $@

-include $(shell find build -name '*.d' 2>/dev/null)

# ---- tests ----------------------------------------------------------------------------------
# tests/run dispatches each test file by kind (C program, Lua script run by hedge, vector set).
PROVE_JOBS ?= 2
test: deps sim-deps
	@$(MAKE) --no-print-directory all
	@rm -rf $(BUILD)/test-output
	HEDGE_BIN=$(abspath $(HEDGE)) RUN_VECTORS=$(abspath $(RUN_VECTORS)) RUN_FIXTURES=$(abspath $(RUN_FIXTURES)) TEST_BUILD=$(abspath $(BUILD)) SHARED=$(abspath $(SHARED)) \
	  TEST_OUTPUT_DIR=$(abspath $(BUILD))/test-output \
	  prove -j$(PROVE_JOBS) --exec tests/run $(TEST_BIN) $(sort $(wildcard tests/lua/*.lua tests/tools/*.lua tests/bot/*.lua tests/faults/*.lua tests/crash/*.lua)) \
	    $(sort $(wildcard tests/vectors/*.set tests/fixtures/*.set tests/conformance/*.lua tests/sim/t/*.mjs tests/*/*.pl tests/*/*.sh))
	@# after the whole suite: no canary key in any test's output or kept artefact, in any encoding
	@$(abspath $(HEDGE)) tests/secrets/suite_scan.lua $(BUILD)/test-output $(BUILD)/artefacts

asan:
	$(MAKE) FLAVOUR=asan test

# The on-demand campaigns of issue 10 (make test runs their CI-sized subsets).
#   make fuzz   FUZZ_SECONDS=60 FUZZ_RUNS=...   libFuzzer targets (tools/install-deps --fuzz for clang)
#   make faults                                 the whole fault matrix (venue x phase x fault)
#   make crash  CRASH_KILLS=200                 kill -9 at random points with random faults
fuzz: deps
	tests/fuzz/run

faults: deps sim-deps
	@$(MAKE) --no-print-directory all
	HEDGE_BIN=$(abspath $(HEDGE)) TEST_BUILD=$(abspath $(BUILD)) SHARED=$(abspath $(SHARED)) HEDGE_FAULTS=full \
	  $(abspath $(HEDGE)) tests/faults/matrix.lua

CRASH_KILLS ?= 200
crash: deps sim-deps
	@$(MAKE) --no-print-directory all
	HEDGE_BIN=$(abspath $(HEDGE)) TEST_BUILD=$(abspath $(BUILD)) SHARED=$(abspath $(SHARED)) HEDGE_KILLS=$(CRASH_KILLS) \
	  $(abspath $(HEDGE)) tests/crash/campaign.lua

bench: deps sim-deps
	@$(MAKE) --no-print-directory all
	HEDGE_BIN=$(abspath $(HEDGE)) BENCH_DIR=$(abspath $(BUILD)/bench) bench/run

demo: deps sim-deps
	@$(MAKE) --no-print-directory all
	tools/demo

clean:
	rm -rf build hedge tests/run_vectors tests/run_fixtures
