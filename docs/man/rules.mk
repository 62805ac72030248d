# Man pages, generated from the Markdown sources in docs/man/ (one source,
# readable on the web and as man pages) by docs/man/md2man.py.
#
#   build/man/<page>.<section>     make all builds them
#   make check-man-pages           (suite man-pages) every page renders
#                                  without groff warnings, and names every
#                                  long option its tool's --help prints.

MAN_SRCS  := $(sort $(wildcard docs/man/*.[18].md))
MAN_PAGES := $(MAN_SRCS:docs/man/%.md=$(BUILD)/man/%)

# The date in a page is its source's last commit (the mtime outside git).
$(BUILD)/man/%: docs/man/%.md docs/man/md2man.py
	@mkdir -p $(@D)
	@SOURCE_DATE_EPOCH=$$(git log -1 --format=%ct -- $< 2>/dev/null) ; \
	[ -n "$$SOURCE_DATE_EPOCH" ] || unset SOURCE_DATE_EPOCH; export SOURCE_DATE_EPOCH; \
	python3 docs/man/md2man.py $< $@

ALL_TARGETS += $(MAN_PAGES)

SUITES += man-pages
.PHONY: check-man-pages
check-man-pages: $(MAN_PAGES) $(ALL_TARGETS)
	@tests/scripts/check-man-pages.sh $(BUILD)/man $(BUILD)/bin
