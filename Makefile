# Fanzha — build, test, run. See README.md.
#
#   make            release build of build/release/fanzha (gcc)
#   make run        install missing Debian packages, build, run the demo scan
#   make test       install missing packages, then every test (tests/run.sh)
#   make MODE=san   ASan + UBSan build (clang) in build/san; MODE=clang a clang
#                   release build; MODE=fuzz the libFuzzer targets (make MODE=fuzz fuzzers)
#   make bench      the benchmarks in bench/ (needs ../shared/data)
#
# Sources are found by wildcard: a new src/<module>/<file>.c is built into
# libfanzha.a, a new tests/unit/test_<name>.c becomes a test binary.

MODE ?= release
CC ?= cc
ifeq ($(MODE),san)
  CC := clang
  MODE_CFLAGS := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
  MODE_LDFLAGS := -fsanitize=address,undefined
else ifeq ($(MODE),clang)
  CC := clang
  MODE_CFLAGS := -O3 -g
else ifeq ($(MODE),fuzz)
  CC := clang
  MODE_CFLAGS := -O1 -g -fno-omit-frame-pointer -fsanitize=fuzzer-no-link,address,undefined
  MODE_LDFLAGS := -fsanitize=fuzzer,address,undefined
else ifeq ($(MODE),debug)
  MODE_CFLAGS := -O0 -g
else
  MODE_CFLAGS := -O3 -g
endif

B := build/$(MODE)
INC := $(addprefix -I,$(wildcard src/*))
CFLAGS_ALL := -std=c17 -D_GNU_SOURCE -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
              -Wvla -pipe $(MODE_CFLAGS) $(INC) $(CFLAGS)
LDLIBS_ALL := -lxgboost -lmicrohttpd -lsqlite3 -lsodium -lpthread -lz -ljansson -lm $(LDLIBS)

LIB_SRC := $(filter-out src/cli/%,$(wildcard src/*/*.c))
CLI_SRC := $(wildcard src/cli/*.c)
TEST_SRC := $(wildcard tests/unit/test_*.c)
BENCH_SRC := $(wildcard bench/bench_*.c)
FUZZ_SRC := $(wildcard tests/fuzz/fuzz_*.c)

LIB_OBJ := $(LIB_SRC:%.c=$(B)/%.o)
CLI_OBJ := $(CLI_SRC:%.c=$(B)/%.o)
TEST_BIN := $(TEST_SRC:tests/unit/%.c=$(B)/tests/%)
BENCH_BIN := $(BENCH_SRC:bench/%.c=$(B)/bench/%)
FUZZ_BIN := $(FUZZ_SRC:tests/fuzz/%.c=$(B)/fuzz/%)

.PHONY: all deps run test tests bench fuzzers clean
all: $(B)/fanzha

$(B)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -MMD -MP -c $< -o $@

$(B)/libfanzha.a: $(LIB_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

$(B)/fanzha: $(CLI_OBJ) $(B)/libfanzha.a
	$(CC) $(MODE_LDFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS_ALL)

$(B)/tests/%: tests/unit/%.c $(B)/libfanzha.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -Itests/unit $(MODE_LDFLAGS) -o $@ $< $(B)/libfanzha.a $(LDLIBS_ALL) -lcmocka

$(B)/bench/%: bench/%.c $(wildcard bench/*.h) $(B)/libfanzha.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -Ibench $(MODE_LDFLAGS) -o $@ $< $(B)/libfanzha.a $(LDLIBS_ALL)

tests: $(TEST_BIN) $(B)/fanzha

# libFuzzer targets: make MODE=fuzz fuzzers
$(B)/fuzz/%: tests/fuzz/%.c $(B)/libfanzha.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $(MODE_LDFLAGS) -o $@ $< $(B)/libfanzha.a $(LDLIBS_ALL)

fuzzers: $(FUZZ_BIN)

deps:
	@sh scripts/deps.sh

run: deps
	@$(MAKE) --no-print-directory all
	@sh scripts/demo.sh $(B)/fanzha

test: deps
	@sh tests/run.sh

bench:
	@$(MAKE) --no-print-directory MODE=release $(BENCH_BIN) build/release/fanzha
	@sh bench/run.sh

clean:
	rm -rf build

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d)
