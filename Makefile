# Thin wrapper: install what is missing, configure, build, run.
# `make demo` opens the console on a live local site; `make test` runs every test.

BUILD    ?= build
ASAN     ?= build-asan
FUZZ     ?= build-fuzz
FUZZTIME ?= 60
JOBS     ?= 2
# Tests mostly wait on timers, sockets and ptys: four at a time on two cores.
TESTJOBS ?= 4
WERROR   ?= $(if $(CI),ON,OFF)
CMAKE_ARGS = -DCMAKE_BUILD_TYPE=RelWithDebInfo -DIMAPADM_WERROR=$(WERROR)

PREFIX   ?= /usr/local
DESTDIR  ?=

.PHONY: all deps build demo test test-sanitize bench fuzz install deb clean

all: build

deps:
	@scripts/install-deps

build: deps
	@cmake -S . -B $(BUILD) $(CMAKE_ARGS) >/dev/null
	@cmake --build $(BUILD) -j$(JOBS)

demo: build
	@scripts/demo $(BUILD)/imapadm

test: build
	ctest --test-dir $(BUILD) --output-on-failure -j$(TESTJOBS)

# The same suite built with AddressSanitizer + UndefinedBehaviorSanitizer.
test-sanitize: deps
	@cmake -S . -B $(ASAN) $(CMAKE_ARGS) -DIMAPADM_SANITIZE=ON >/dev/null
	@cmake --build $(ASAN) -j$(JOBS)
	ASAN_OPTIONS=detect_leaks=1 ctest --test-dir $(ASAN) --output-on-failure -j$(TESTJOBS)

bench: build
	@scripts/bench $(BUILD)

# libFuzzer targets (clang): FUZZTIME seconds each on the parsers.
fuzz: deps
	tests/fuzz/run $(FUZZTIME) $(FUZZ)

# The binary, man page, reload helper and docs under PREFIX; /etc/imapadm/
# imapadm.conf (kept if it exists) and /var/lib/imapadm; all under DESTDIR.
install: build
	DESTDIR="$(DESTDIR)" cmake --install $(BUILD) --prefix $(PREFIX)

clean:
	rm -rf $(BUILD) $(ASAN) $(FUZZ)

# A Debian package of the same layout (/usr prefix), in ../ as dpkg does;
# lintian must report no error.
deb:
	@scripts/install-deps --deb
	dpkg-buildpackage -us -uc -b
	debian/rules clean
	lintian --fail-on error ../imapadm_$$(dpkg-parsechangelog -S Version)_$$(dpkg --print-architecture).deb
