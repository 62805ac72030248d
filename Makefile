# fgate top-level build. Everything is built under build/ (git-ignored).
#
#   make test        install missing packages, build, run every suite, print
#                    one closing line "N passed, N failed"
#   make check-NAME  run one suite alone (make list-suites shows the names)
#   make demo        the end-to-end demo (see README.md)
#   make synth       FPGA resource and Fmax report into docs/hdl.md
#   make board BOARD=limesdr-mini-v2   bitstream, utilisation and Fmax
#   make fuzz FUZZ=NAME  libFuzzer run of one parser (tests/fuzz)
#
# Each part of the tree adds its sources, binaries and suites through its own
# rules.mk fragment; this file only holds the shared flags and the drivers.

.DEFAULT_GOAL := all
SHELL := /bin/bash

BUILD   := build
TOP     := $(CURDIR)

CC      ?= cc
CXX     ?= c++
CFLAGS_COMMON := -std=c11 -Wall -Wextra -Werror -O2 -g -D_GNU_SOURCE
CXXFLAGS_COMMON := -std=c++14 -Wall -Wextra -Werror -O2 -g
SAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

VERILATOR ?= verilator
YOSYS     ?= yosys

# Suites register themselves with SUITES += name and a check-name target.
SUITES :=
# Everything `make all` builds.
ALL_TARGETS :=

include hdl/rules.mk
include $(wildcard hdl/synth/engine.mk)
include sim/rules.mk
include board/rules.mk
include host/rules.mk
include host/daemon/rules.mk
include host/tools/rules.mk
include $(filter-out host/tools/rules.mk,$(wildcard host/tools/*.mk))
include tests/unit/rules.mk
include tests/hdl/rules.mk
include tests/fuzz/rules.mk
include tests/interop/rules.mk
include $(wildcard tests/system/*.mk)


.PHONY: all deps test list-suites demo synth clean
all: $(ALL_TARGETS)

deps:
	@tests/scripts/install-deps.sh test

# The test driver builds first (one failure stops here with make's error),
# then runs every suite even when one fails, and sums the counts.
test: deps
	@$(MAKE) --no-print-directory all
	@tests/scripts/run-suites.sh $(SUITES)

list-suites:
	@printf '%s\n' $(SUITES)

demo:
	@tests/system/demo.sh

clean:
	rm -rf $(BUILD)
