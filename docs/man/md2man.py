#!/usr/bin/env python3
"""Turn a man page written in a small Markdown subset into roff (man(7)).

The subset, enough for the pages in docs/man/ and readable as Markdown:

  % NAME SECTION "footer"        first line: the .TH title line
  # HEADING                      .SH
  ## Subheading                  .SS
  plain lines                    a paragraph (blank line ends it)
  TERM                           a line followed by lines starting ': '
  : text                         is a tagged paragraph (.TP)
  - item                         bullet list item
  ```  ...  ```                  literal block
  **bold**  *italic*  `code`     inline fonts (code is set in bold)

Usage: md2man.py SOURCE.md OUTPUT   (the date comes from SOURCE_DATE_EPOCH
or the source's modification time, so output is reproducible).
"""
import datetime
import os
import re
import sys


def escape(text):
    text = text.replace("\\", "\\e")
    text = text.replace("-", "\\-")
    return text


def inline(text):
    text = escape(text)
    text = re.sub(r"\*\*(.+?)\*\*", r"\\fB\1\\fR", text)
    text = re.sub(r"`(.+?)`", r"\\fB\1\\fR", text)
    text = re.sub(r"(?<![\w\\])\*(.+?)\*(?!\w)", r"\\fI\1\\fR", text)
    return text


def line_out(text):
    # roff treats a leading . or ' as a request
    return "\\&" + text if text[:1] in (".", "'") else text


def convert(src, date):
    lines = src.splitlines()
    if not lines or not lines[0].startswith("% "):
        raise ValueError("first line must be '% NAME SECTION \"footer\"'")
    head = lines[0][2:].split(None, 2)
    if len(head) < 2:
        raise ValueError("title line needs NAME and SECTION")
    footer = head[2].strip('"') if len(head) > 2 else "fgate"
    out = ['.TH "%s" "%s" "%s" "%s"' % (head[0], head[1], date, footer)]
    i, n = 1, len(lines)
    while i < n:
        ln = lines[i]
        if ln.startswith("```"):
            out.append(".PP\n.nf\n.RS 4")
            i += 1
            while i < n and not lines[i].startswith("```"):
                out.append(line_out(escape(lines[i])))
                i += 1
            if i == n:
                raise ValueError("unterminated ``` block")
            out.append(".RE\n.fi")
        elif ln.startswith("## "):
            out.append(".SS " + inline(ln[3:]))
        elif ln.startswith("# "):
            out.append(".SH " + inline(ln[2:].upper()))
        elif ln.startswith("- "):
            out.append(".IP \\(bu 2\n" + line_out(inline(ln[2:])))
        elif ln.strip() == "":
            pass
        elif i + 1 < n and lines[i + 1].startswith(": "):
            out.append(".TP\n" + line_out(inline(ln)))
            i += 1
            while i < n and lines[i].startswith(": "):
                out.append(line_out(inline(lines[i][2:])))
                i += 1
            continue
        else:
            if i == 1 or lines[i - 1].strip() == "" or lines[i - 1].startswith(("#", "```")):
                out.append(".PP")
            out.append(line_out(inline(ln)))
        i += 1
    return "\n".join(out) + "\n"


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: md2man.py SOURCE.md OUTPUT")
    src_path, dst_path = sys.argv[1:]
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    stamp = int(epoch) if epoch else int(os.stat(src_path).st_mtime)
    date = datetime.datetime.fromtimestamp(stamp, datetime.timezone.utc).strftime("%Y-%m-%d")
    with open(src_path, encoding="utf-8") as f:
        try:
            text = convert(f.read(), date)
        except ValueError as e:
            sys.exit("%s: %s" % (src_path, e))
    with open(dst_path, "w", encoding="utf-8") as f:
        f.write(text)


if __name__ == "__main__":
    main()
