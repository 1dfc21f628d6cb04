"""Plain-text tables for `etl extract-text`: the indicators, or with --explain every candidate number
and the rule that dropped it."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from etl.extract.extractor import CandidateVerdict
from etl.models import Indicator

_COLUMNS = (
    "value",
    "unit",
    "qual",
    "metric",
    "measure",
    "basis",
    "period",
    "region",
    "province",
    "raw",
    "at",
)


def display_width(text: str) -> int:
    """Terminal columns: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - display_width(text))


def format_value(value: float) -> str:
    return f"{value:,.0f}" if value == int(value) else f"{value:,.6g}" if abs(value) >= 1e6 else f"{value:g}"


def _row(ind: Indicator) -> tuple[str, ...]:
    where = f"{ind.source}:{ind.char_start}" + (
        f"@img{ind.image_position}" if ind.image_position is not None else ""
    )
    return (
        format_value(ind.value),
        ind.unit,
        ind.qualifier.value,
        ind.metric,
        ind.measure,
        ind.basis,
        ind.period or "",
        ind.region or "",
        ind.province or "",
        ind.raw,
        where,
    )


def format_table(indicators: Sequence[Indicator]) -> str:
    rows = [_COLUMNS, *(_row(ind) for ind in indicators)]
    widths = [max(display_width(row[i]) for row in rows) for i in range(len(_COLUMNS))]
    lines = ["  ".join(_pad(cell, widths[i]) for i, cell in enumerate(row)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    lines.append(f"{len(indicators)} indicator(s)")
    return "\n".join(lines)


_EXPLAIN_COLUMNS = ("at", "raw", "verdict", "rule", "metric")


def _verdict_row(v: CandidateVerdict) -> tuple[str, ...]:
    metric = v.indicator.metric if v.indicator is not None else ""
    return (str(v.start), v.raw, v.verdict, v.rule.name if v.rule is not None else "-", metric)


def format_explanation(verdicts: Sequence[CandidateVerdict]) -> str:
    """One row per candidate number, then what each rule that dropped one means."""
    rows = [_EXPLAIN_COLUMNS, *(_verdict_row(v) for v in verdicts)]
    widths = [max(display_width(row[i]) for row in rows) for i in range(len(_EXPLAIN_COLUMNS))]
    lines = ["  ".join(_pad(cell, widths[i]) for i, cell in enumerate(row)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    kept = sum(v.rule is None for v in verdicts)
    lines.append(f"{len(verdicts)} candidate(s): {kept} kept, {len(verdicts) - kept} dropped")
    used = {v.rule.name: v.rule.why for v in verdicts if v.rule is not None}
    lines.extend(f"  {name}: {why}" for name, why in used.items())
    return "\n".join(lines)
