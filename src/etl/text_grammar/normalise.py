"""Text normalisation shared by the parsers and the clean stage.

People's Daily copy indents paragraphs with full-width spaces (U+3000), pads datelines with
&nbsp; and sprinkles zero-width characters from the CMS editor. None of that is content.
"""

from __future__ import annotations

import re

# Zero-width and BOM characters that the CMS editor leaves in titles and paragraphs.
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")
# \s covers \u3000, \xa0 and the other Unicode spaces in Python's re.
_WHITESPACE = re.compile(r"\s+")


def normalise_text(s: str) -> str:
    """Collapse every run of whitespace (full-width, no-break, newlines) to one space and trim.

    Full-width punctuation is kept as it is: NFKC would turn "，" into "," and change the copy.
    """
    return _WHITESPACE.sub(" ", _INVISIBLE.sub("", s)).strip()


def has_word_characters(s: str) -> bool:
    """True when the text holds at least one letter, digit or CJK character (not only symbols)."""
    return any(ch.isalnum() for ch in s)
