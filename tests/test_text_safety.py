"""Page-supplied text made safe for a Markdown table cell and for a terminal line."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from etl.text_safety import MAX_CELL_CHARS, markdown_cell, terminal_line

HOSTILE = "a|b `code` <script>alert(1)</script> [x](javascript:alert(1)) \x1b[2J\rover\nnext\u202eevil\x9b"
# Characters a terminal acts on instead of printing.
TERMINAL_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _unescaped(cell: str) -> str:
    """The characters of ``cell`` that Markdown reads as themselves, not as backslash escapes."""
    out: list[str] = []
    escaped = False
    for ch in cell:
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        else:
            out.append(ch)
    return "".join(out)


def test_terminal_line_shows_controls_instead_of_obeying_them() -> None:
    line = terminal_line(HOSTILE)
    assert not TERMINAL_CONTROLS.search(line)
    assert "\\x1b[2J\\x0dover next\\u202eevil\\x9b" in line
    assert terminal_line("tab\there") == "tab here"
    assert terminal_line("普通的标题 | ok") == "普通的标题 | ok"


def test_markdown_cell_leaves_no_markup_active() -> None:
    cell = markdown_cell(HOSTILE)
    assert not TERMINAL_CONTROLS.search(cell)
    active = _unescaped(cell)
    for markup in ("|", "`", "[", "]", "<", ">"):
        assert markup not in active
    assert "&lt;script&gt;" in cell
    assert markdown_cell("a & b") == "a &amp; b"
    assert markdown_cell("5150.6万标箱") == "5150.6万标箱"


def test_markdown_cell_is_capped() -> None:
    cell = markdown_cell("长" * 5000)
    assert cell == "长" * (MAX_CELL_CHARS - 1) + "…"


@given(st.text())
def test_any_text_gives_one_safe_cell_and_one_safe_line(text: str) -> None:
    line = terminal_line(text)
    assert not TERMINAL_CONTROLS.search(line)
    cell = markdown_cell(text)
    assert not TERMINAL_CONTROLS.search(cell)
    assert not set("|`[]<>") & set(_unescaped(cell))
