"""Making page-supplied text safe to show: in a Markdown table cell and on a terminal line.

URLs, titles, Content-Type headers and the reasons built from them come from the sites we crawl.
Shown as they are, a "|" breaks a Markdown table, "<script>" or "[x](javascript:…)" becomes markup
in the Prefect UI, and an ESC sequence or a carriage return rewrites the operator's terminal.
Stored data keeps the original text; these functions are applied where text is shown.
"""

from __future__ import annotations

import re

MAX_CELL_CHARS = 300

# C0 controls, DEL and C1 controls, and the Unicode formatting characters that reorder or hide
# text on a terminal (bidirectional overrides and isolates, line and paragraph separators).
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
# Line breaks and tabs: shown as one space.
_BREAKS = re.compile("[\n\t\u2028\u2029]+")
# Characters that Markdown (GitHub flavour, as the Prefect UI renders it) reads as markup in a
# table cell: "|" ends the cell, "`" opens code, "[" "]" make links, "<" ">" HTML and autolinks,
# "*" "_" "~" emphasis, "\\" escapes the next one. "&" is escaped so entities show as written.
_MARKDOWN_SPECIAL = re.compile(r"([\\|`\[\]*_~])")


def _visible_control(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def terminal_line(text: object) -> str:
    """``text`` as one terminal line: newlines and tabs become spaces, and every other control character
    (ESC, CR, backspace, C1, bidirectional overrides) is written out visibly, e.g. ``\\x1b``."""
    return _CONTROL.sub(_visible_control, _BREAKS.sub(" ", str(text)))


def markdown_cell(text: object, max_chars: int = MAX_CELL_CHARS) -> str:
    """``text`` as the literal content of one Markdown table cell: one line, at most ``max_chars``
    characters of the original, with no markup, HTML or link left active."""
    line = " ".join(terminal_line(text).split())
    if len(line) > max_chars:
        line = line[: max_chars - 1] + "…"
    line = line.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MARKDOWN_SPECIAL.sub(r"\\\1", line)
