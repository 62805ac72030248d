#!/usr/bin/env python3
"""Generate the C header, the Verilog include and the docs tables of the
host <-> device protocol from hdl/protocol/protocol.def (the one source).

  gen_protocol.py DEF --c OUT.h --v OUT.vh [--doc docs/protocol.md] [--check-doc]

--doc rewrites the text between <!-- protocol:begin --> and
<!-- protocol:end --> in the given markdown file; with --check-doc it only
compares and exits 1 if the file is out of date.
"""
import argparse
import re
import sys

LINE = re.compile(r'^(const|enum|field)\s+(.*?)\s+"([^"]*)"\s*$')


def fail(path, lineno, msg):
    sys.exit(f"{path}:{lineno}: {msg}")


def number(path, lineno, text):
    try:
        return int(text, 0)
    except ValueError:
        fail(path, lineno, f"bad number '{text}'")


def parse(path):
    consts, enums, layouts = [], {}, {}
    seen = set()
    with open(path) as f:
        for lineno, raw in enumerate(f, 1):
            line = raw.strip()
            if not line or line.startswith('#'):
                continue
            m = LINE.match(line)
            if not m:
                fail(path, lineno, "expected: const|enum|field ... \"meaning\"")
            kind, rest, doc = m.group(1), m.group(2).split(), m.group(3)
            if kind == 'const':
                if len(rest) != 2:
                    fail(path, lineno, "const NAME VALUE")
                name, value = rest[0], number(path, lineno, rest[1])
                key = name
                consts.append((name, value, doc))
            elif kind == 'enum':
                if len(rest) != 3:
                    fail(path, lineno, "enum GROUP NAME VALUE")
                group, name, value = rest[0], rest[1], number(path, lineno, rest[2])
                key = f"{group}_{name}"
                if any(v == value for _, v, _ in enums.get(group, [])):
                    fail(path, lineno, f"{group} value {value} used twice")
                enums.setdefault(group, []).append((name, value, doc))
            else:
                if len(rest) != 4:
                    fail(path, lineno, "field LAYOUT NAME OFFSET BYTES")
                layout, name = rest[0], rest[1]
                off, size = number(path, lineno, rest[2]), number(path, lineno, rest[3])
                key = f"{layout}_{name}"
                fields = layouts.setdefault(layout, [])
                end = fields[-1][1] + fields[-1][2] if fields else 0
                if off != end:
                    fail(path, lineno, f"{key} at offset {off}, expected {end} (no gaps or overlaps)")
                fields.append((name, off, size, doc))
            if not re.fullmatch(r'[A-Z][A-Z0-9_]*', key):
                fail(path, lineno, f"bad name '{key}'")
            if key in seen:
                fail(path, lineno, f"'{key}' defined twice")
            seen.add(key)
    return consts, enums, layouts


def gen_c(consts, enums, layouts):
    out = ["/* Generated from hdl/protocol/protocol.def by gen_protocol.py: do not edit. */",
           "#ifndef FGATE_PROTOCOL_H", "#define FGATE_PROTOCOL_H", ""]
    for name, value, doc in consts:
        out.append(f"#define FGP_{name} {value}u /* {doc} */")
    for group, items in enums.items():
        g = group.lower()
        out += ["", f"enum fgp_{g} {{"]
        out += [f"\tFGP_{group}_{n} = {v}, /* {d} */" for n, v, d in items]
        out += ["};", "",
                f"static inline const char *fgp_{g}_name(unsigned v)", "{",
                "\tswitch (v) {"]
        out += [f"\tcase {v}: return \"{n}\";" for n, v, _ in items]
        out += ["\t}", "\treturn \"UNKNOWN\";", "}"]
    for layout, fields in layouts.items():
        out.append("")
        total = fields[-1][1] + fields[-1][2]
        out.append(f"#define FGP_{layout}_SIZE {total}u")
        for name, off, size, doc in fields:
            out.append(f"#define FGP_{layout}_{name}_OFF {off}u /* {doc} */")
            out.append(f"#define FGP_{layout}_{name}_LEN {size}u")
    out += ["", "#endif", ""]
    return "\n".join(out)


def gen_v(consts, enums, layouts):
    out = ["// Generated from hdl/protocol/protocol.def by gen_protocol.py: do not edit.",
           "// Include inside a module body; each module uses only some of these.",
           "/* verilator lint_off UNUSEDPARAM */"]
    for name, value, doc in consts:
        out.append(f"localparam integer FGP_{name} = {value}; // {doc}")
    for group, items in enums.items():
        for n, v, d in items:
            out.append(f"localparam [7:0] FGP_{group}_{n} = 8'h{v:02x}; // {d}")
    for layout, fields in layouts.items():
        total = fields[-1][1] + fields[-1][2]
        out.append(f"localparam integer FGP_{layout}_SIZE = {total};")
        for name, off, size, doc in fields:
            out.append(f"localparam integer FGP_{layout}_{name}_OFF = {off}; // {doc}")
            out.append(f"localparam integer FGP_{layout}_{name}_LEN = {size};")
    out += ["/* verilator lint_on UNUSEDPARAM */", ""]
    return "\n".join(out)


def gen_doc(consts, enums, layouts):
    def esc(text):
        return text.replace("|", "\\|")

    out = ["<!-- protocol:begin (generated from hdl/protocol/protocol.def) -->", ""]
    out += ["### Constants", "", "| name | value | meaning |", "|---|---|---|"]
    out += [f"| `{n}` | {v:#x} ({v}) | {esc(d)} |" if v > 9 else f"| `{n}` | {v} | {esc(d)} |"
            for n, v, d in consts]
    for group, items in enums.items():
        out += ["", f"### {group} codes", "", "| name | value | meaning |", "|---|---|---|"]
        out += [f"| `{n}` | {v:#04x} | {esc(d)} |" for n, v, d in items]
    for layout, fields in layouts.items():
        total = fields[-1][1] + fields[-1][2]
        out += ["", f"### {layout} layout ({total} bytes, big-endian)", "",
                "| offset | bytes | field | meaning |", "|---|---|---|---|"]
        out += [f"| {o} | {s} | `{n}` | {esc(d)} |" for n, o, s, d in fields]
    out += ["", "<!-- protocol:end -->"]
    return "\n".join(out)


def write_if_changed(path, text):
    try:
        with open(path) as f:
            if f.read() == text:
                return
    except FileNotFoundError:
        pass
    with open(path, "w") as f:
        f.write(text)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("definition")
    ap.add_argument("--c")
    ap.add_argument("--v")
    ap.add_argument("--doc")
    ap.add_argument("--check-doc", action="store_true")
    args = ap.parse_args()
    spec = parse(args.definition)
    if args.c:
        write_if_changed(args.c, gen_c(*spec))
    if args.v:
        write_if_changed(args.v, gen_v(*spec))
    if args.doc:
        with open(args.doc) as f:
            text = f.read()
        pat = re.compile(r"<!-- protocol:begin.*?<!-- protocol:end -->", re.S)
        if not pat.search(text):
            sys.exit(f"{args.doc}: no <!-- protocol:begin --> ... <!-- protocol:end --> markers")
        new = pat.sub(lambda _: gen_doc(*spec), text)
        if args.check_doc:
            if new != text:
                sys.exit(f"{args.doc} is out of date with {args.definition}: run make protocol-doc")
            print("protocol-doc: 1 passed, 0 failed")
        else:
            write_if_changed(args.doc, new)


if __name__ == "__main__":
    main()
