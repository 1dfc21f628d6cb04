"""What a reprocess changed in the indicators: pure functions over indicator rows (column -> value).

Two rows are the same fact when everything stored about the figure is equal (metric, value, unit,
period, region, measure, span, sentence …); the ids and the extractor version that stamped them are
not part of it. So a row whose metric an improved extractor corrects counts as one removed (under
the old metric) and one added (under the new one), and an upgrade that leaves an article's figures
as they were changes nothing here, though its rows are stamped again.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

# Columns that say which row or which extractor, not what the figure is.
_NOT_THE_FACT = frozenset({"indicator_id", "article_id", "extractor_version"})

Fact = tuple[tuple[str, Any], ...]


def fact_of(row: Mapping[str, Any]) -> Fact:
    return tuple(sorted((k, v) for k, v in row.items() if k not in _NOT_THE_FACT))


@dataclass(frozen=True, slots=True)
class MetricChange:
    metric: str
    added: int
    removed: int


@dataclass(slots=True)
class IndicatorChanges:
    """The tally of a reprocess run, article by article."""

    articles_reprocessed: int = 0
    articles_changed: int = 0  # articles whose indicators differ after the re-read
    added: int = 0
    removed: int = 0
    added_by_metric: Counter[str] = field(default_factory=Counter)
    removed_by_metric: Counter[str] = field(default_factory=Counter)

    def count_article(self, before: Iterable[Mapping[str, Any]], after: Iterable[Mapping[str, Any]]) -> None:
        """Add one rewritten article: its indicator rows as stored before and as written now."""
        old = Counter(fact_of(r) for r in before)
        new = Counter(fact_of(r) for r in after)
        added, removed = new - old, old - new
        if not added and not removed:
            return
        self.articles_changed += 1
        for facts, target in ((added, self.added_by_metric), (removed, self.removed_by_metric)):
            for fact, times in facts.items():
                target[dict(fact)["metric"]] += times
        self.added += added.total()
        self.removed += removed.total()

    def by_metric(self) -> list[MetricChange]:
        """Every metric with rows added or removed, the most changed first (then by name)."""
        metrics = set(self.added_by_metric) | set(self.removed_by_metric)
        changes = [MetricChange(m, self.added_by_metric[m], self.removed_by_metric[m]) for m in metrics]
        return sorted(changes, key=lambda c: (-(c.added + c.removed), c.metric))

    def counters(self) -> dict[str, int]:
        """As `runs` stores them (etl.load.REPROCESS_COUNTERS)."""
        return {
            "articles_reprocessed": self.articles_reprocessed,
            "articles_indicators_changed": self.articles_changed,
            "indicators_added": self.added,
            "indicators_removed": self.removed,
        }

    def metric_json(self, limit: int | None = None) -> dict[str, dict[str, int]]:
        """{metric: {"added": n, "removed": n}}, the most changed first, at most `limit` metrics."""
        top = self.by_metric()[:limit] if limit is not None else self.by_metric()
        return {c.metric: {"added": c.added, "removed": c.removed} for c in top}
