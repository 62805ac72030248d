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
include docs/man/rules.mk
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

# Installing like a daemon: PREFIX (default /usr/local) and DESTDIR are
# honoured; the configuration goes to SYSCONFDIR/fgate/fgated.conf only when
# none is there (an existing one is never overwritten). Suite install checks
# the tree a staged install writes.
PREFIX     ?= /usr/local
SYSCONFDIR ?= $(if $(filter /usr,$(PREFIX)),/etc,$(PREFIX)/etc)
UNITDIR    ?= $(if $(filter /usr,$(PREFIX)),/lib/systemd/system,$(PREFIX)/lib/systemd/system)
INSTALL_SBIN := fgated fgatectl
INSTALL_BIN  := fgate-pcap fgate-bench

.PHONY: install uninstall
install: all
	install -d $(DESTDIR)$(PREFIX)/sbin $(DESTDIR)$(PREFIX)/bin \
		$(DESTDIR)$(PREFIX)/share/man/man1 $(DESTDIR)$(PREFIX)/share/man/man8 \
		$(DESTDIR)$(UNITDIR) $(DESTDIR)$(SYSCONFDIR)/fgate $(DESTDIR)$(PREFIX)/share/doc/fgate
	install -m 0755 $(INSTALL_SBIN:%=$(BUILD)/bin/%) $(DESTDIR)$(PREFIX)/sbin/
	install -m 0755 $(INSTALL_BIN:%=$(BUILD)/bin/%) $(DESTDIR)$(PREFIX)/bin/
	install -m 0644 $(filter %.1,$(MAN_PAGES)) $(DESTDIR)$(PREFIX)/share/man/man1/
	install -m 0644 $(filter %.8,$(MAN_PAGES)) $(DESTDIR)$(PREFIX)/share/man/man8/
	sed -e 's|@SBINDIR@|$(PREFIX)/sbin|g' -e 's|@SYSCONFDIR@|$(SYSCONFDIR)|g' \
		host/daemon/fgated.service.in > $(DESTDIR)$(UNITDIR)/fgated.service
	chmod 0644 $(DESTDIR)$(UNITDIR)/fgated.service
	install -m 0644 docs/examples/fgated.conf $(DESTDIR)$(PREFIX)/share/doc/fgate/fgated.conf.example
	install -m 0644 README.md $(wildcard docs/*.md) $(DESTDIR)$(PREFIX)/share/doc/fgate/
	test -e $(DESTDIR)$(SYSCONFDIR)/fgate/fgated.conf || \
		install -m 0600 docs/examples/fgated.conf $(DESTDIR)$(SYSCONFDIR)/fgate/fgated.conf

# Removes what install wrote, except the configuration.
uninstall:
	rm -f $(INSTALL_SBIN:%=$(DESTDIR)$(PREFIX)/sbin/%) $(INSTALL_BIN:%=$(DESTDIR)$(PREFIX)/bin/%) \
		$(addprefix $(DESTDIR)$(PREFIX)/share/man/man1/,$(notdir $(filter %.1,$(MAN_PAGES)))) \
		$(addprefix $(DESTDIR)$(PREFIX)/share/man/man8/,$(notdir $(filter %.8,$(MAN_PAGES)))) \
		$(DESTDIR)$(UNITDIR)/fgated.service
	rm -rf $(DESTDIR)$(PREFIX)/share/doc/fgate

SUITES += install
.PHONY: check-install
check-install: all
	@tests/scripts/check-install.sh
