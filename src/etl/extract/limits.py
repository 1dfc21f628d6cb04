"""Bounds that keep extraction's memory and time in proportion to real article prose.

A page that is not prose (a table dump, a generated list, a corrupted body) must cost one failure
row, never the run: the extractor refuses it with ExtractionRefused, whose message is the one-line
reason stored in `failures`. None of these bounds is ever reached by a real article; the margins
below are against the longest seen in tests/gold*/ and the fixture pages.
"""

from __future__ import annotations

# Real article bodies are under 30,000 characters (the longest fixture is 3,485); the extractor's
# work grows with the text, so a text past this is refused before any of it is read.
MAX_TEXT_CHARS = 200_000

# A real article reports at most a few hundred figures (the most in the fixtures and gold is 52).
# An article past the cap is refused whole rather than cut to its first rows: a page with thousands
# of figures is a table or a generated list, whose rows would be misread as prose, and keeping the
# first N would store a silently truncated article under a version that claims it is complete.
MAX_INDICATORS_PER_ARTICLE = 2_000

# Every indicator row stores the sentence it came from. A sentence up to this length (the longest
# real one is under 300 characters) is stored whole; a longer one as an excerpt of at most this
# many characters around the figure, so one sentence of thousands of figures does not copy itself
# into every row.
MAX_SENTENCE_CHARS = 1_000

# How far a clause is read before and after a figure (for its metric, qualifier and the words that
# rule it out). Real clauses are under 100 characters; the bound keeps the work per figure constant,
# so a list of thousands of figures joined by 、 is read in linear time.
CLAUSE_REACH = 500

# How far back a 全省 / 全市 looks for the place named before it in its paragraph (南京…，全省…). Real
# paragraphs are under 1,000 characters; the bound keeps the work per scope word constant.
SCOPE_REACH = 1_000


class ExtractionRefused(ValueError):
    """The text is not article prose the extractor can read within its bounds; the message says why."""


def too_long(chars: int) -> ExtractionRefused:
    return ExtractionRefused(
        f"{chars:,} characters of text in one article (cap {MAX_TEXT_CHARS:,}): not article prose"
    )


class TooManyFigures(ExtractionRefused):
    """More figures than an article holds; `figures` counts them all, so the message says how many."""

    def __init__(self, figures: int, cap: int = MAX_INDICATORS_PER_ARTICLE) -> None:
        super().__init__(f"{figures:,} figures in one article (cap {cap:,}): not article prose")
        self.figures = figures
