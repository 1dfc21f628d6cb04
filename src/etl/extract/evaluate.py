"""Score the indicator extractor against hand-labelled gold sets (tests/gold/, tests/gold_holdout/).

    python -m etl.extract.evaluate [GOLD_DIR ...] [--verbose] [--min-f1 0.9] [--min-metric-acc 0.85] ...

A predicted row matches a gold row when the magnitudes of the values agree (relative tolerance 1e-6),
the units are the same string and the spans overlap; matching is one-to-one. Precision, recall and F1
count matches on (value, unit); among the matched rows the report gives the share whose metric,
qualifier, period, region, measure, basis, sign (a decrease is negative) and province are right, and
a confusion table of the measure (convention v2, docs/indicators.md). Units are compared exactly:
标箱 and 标准箱 are different strings, because the extractor keeps the article's own word (see
tests/gold/README.md). Regions are compared exactly
too (a null region is right only against a null gold region); a gold row without a `region` key is
left out of the region score.

Without a directory the command reports tests/gold and the held-out split tests/gold_holdout, one
block each, and repeats each block's overall line at the end. The command is a report and exits 0,
unless a --min-* threshold is given and a directory does not reach it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import math
import re
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from etl.models import Indicator

logger = logging.getLogger(__name__)

QUALIFIERS = frozenset({"exact", "approx", "gt", "lt"})
MEASURES = frozenset({"level", "growth", "change", "share", "completion"})
BASES = frozenset({"yoy", "mom", "base", ""})
PERIOD_LABEL = re.compile(
    r"\d{4}(?:-(?:H[12]|Q[1-4]|Q1-Q[2-4]|(?:0[1-9]|1[0-2])|M(?:0[1-9]|1[0-2])-M(?:0[1-9]|1[0-2])))?"
)
VALUE_REL_TOL = 1e-6
# Quotes and spaces carry no meaning in a metric phrase: “水环”全长 and 水环全长 are the same metric.
_METRIC_NOISE = re.compile(r"[\s\u3000“”‘’\"'「」『』]")
_SENTENCE_END = "。！？；!?;\n"
_TESTS_DIR = Path(__file__).resolve().parents[3] / "tests"
_DEFAULT_GOLD_DIR = _TESTS_DIR / "gold"
# Articles the extractor has never been tuned on (tests/gold_holdout/README.md).
_DEFAULT_HOLDOUT_DIR = _TESTS_DIR / "gold_holdout"
_DEFAULT_WRITTEN_HOLDOUT_DIR = _TESTS_DIR / "gold_holdout_written"


class GoldFormatError(ValueError):
    """A gold file that does not follow tests/gold/README.md."""


class Extractor(Protocol):
    def __call__(
        self, text: str, published: dt.date | None, *, region_hint: str | None = None
    ) -> Sequence[Indicator]: ...


@dataclass(frozen=True, slots=True)
class GoldIndicator:
    raw: str
    start: int
    value: float
    unit: str
    qualifier: str
    metric: str
    metric_accept: tuple[str, ...] = ()
    period: str | None = None
    region: str | None = None
    # False when the gold file does not label the region of this row (older files); such a row is
    # left out of the region score instead of counting a null region as the answer.
    region_labelled: bool = True
    # Convention v2 (docs/indicators.md). A gold row without `measure` is left out of the measure,
    # basis and sign scores; one without `province` is left out of the province score.
    measure: str | None = None
    basis: str = ""
    province: str | None = None
    province_labelled: bool = False

    @property
    def end(self) -> int:
        return self.start + len(self.raw)


@dataclass(frozen=True, slots=True)
class GoldArticle:
    id: str
    published: dt.date | None
    region_hint: str | None
    title: str
    text: str
    indicators: tuple[GoldIndicator, ...]
    negatives: tuple[str, ...] = ()
    origin: str = ""


@dataclass(frozen=True, slots=True)
class Match:
    gold: GoldIndicator
    predicted: Indicator


def _metric_right(m: Match) -> bool:
    accepted = {normalise_metric(metric) for metric in (m.gold.metric, *m.gold.metric_accept)}
    return normalise_metric(m.predicted.metric) in accepted


def _region_right(m: Match) -> bool | None:
    """Exact, a null region right only against a null gold region; None when the gold row does not
    label one."""
    return m.predicted.region == m.gold.region if m.gold.region_labelled else None


def _sign_right(m: Match) -> bool | None:
    """A decrease is negative (convention v2); scored only on rows labelled to that convention."""
    return None if m.gold.measure is None else (m.predicted.value < 0) == (m.gold.value < 0)


@dataclass(frozen=True, slots=True)
class ScoredField:
    """A field of matched rows the report scores: the share of rows where `is_right` says yes, among
    those where it says anything (None: the gold row does not label the field)."""

    name: str  # in --min-NAME-acc, the WRONG lines and `accuracy(name)`
    column: str  # the table's column heading, six wide at most
    is_right: Callable[[Match], bool | None]
    # Labelled on every gold row: a report with no match at all scores 0.0 on it (so a threshold
    # on it fails) rather than nothing.
    every_row: bool = False


SCORED_FIELDS = (
    ScoredField("metric", "metric", _metric_right, every_row=True),
    ScoredField(
        "qualifier", "qual.", lambda m: str(m.predicted.qualifier) == m.gold.qualifier, every_row=True
    ),
    ScoredField("period", "period", lambda m: m.predicted.period == m.gold.period, every_row=True),
    ScoredField("region", "region", _region_right),
    ScoredField(
        "measure",
        "measur",
        lambda m: None if m.gold.measure is None else m.predicted.measure == m.gold.measure,
    ),
    ScoredField(
        "basis", "basis", lambda m: None if m.gold.measure is None else m.predicted.basis == m.gold.basis
    ),
    ScoredField("sign", "sign", _sign_right),
    ScoredField(
        "province",
        "prov.",
        lambda m: m.predicted.province == m.gold.province if m.gold.province_labelled else None,
    ),
)
_FIELD_BY_NAME = {f.name: f for f in SCORED_FIELDS}


@dataclass(frozen=True, slots=True)
class Spurious:
    predicted: Indicator
    negative: str | None  # the gold `negatives` entry the row overlaps, if any


@dataclass(frozen=True, slots=True)
class ArticleResult:
    article: GoldArticle
    matches: tuple[Match, ...]
    misses: tuple[GoldIndicator, ...]
    spurious: tuple[Spurious, ...]
    error: str | None = None  # the extractor raised on this article

    @property
    def tp(self) -> int:
        return len(self.matches)

    @property
    def fp(self) -> int:
        return len(self.spurious)

    @property
    def fn(self) -> int:
        return len(self.misses)

    @property
    def precision(self) -> float:
        return _precision(self.tp, self.fp)

    @property
    def recall(self) -> float:
        return _recall(self.tp, self.fn)

    @property
    def f1(self) -> float:
        return _f1(self.precision, self.recall)

    def accuracy(self, field: str) -> float | None:
        """The share of matched rows whose `field` (a SCORED_FIELDS name) is right; None when no
        matched row is scored on it."""
        return _labelled_share(self.matches, _FIELD_BY_NAME[field].is_right)


@dataclass(frozen=True, slots=True)
class EvalReport:
    articles: tuple[ArticleResult, ...]

    @property
    def tp(self) -> int:
        return sum(a.tp for a in self.articles)

    @property
    def fp(self) -> int:
        return sum(a.fp for a in self.articles)

    @property
    def fn(self) -> int:
        return sum(a.fn for a in self.articles)

    @property
    def precision(self) -> float:
        return _precision(self.tp, self.fp)

    @property
    def recall(self) -> float:
        return _recall(self.tp, self.fn)

    @property
    def f1(self) -> float:
        return _f1(self.precision, self.recall)

    @property
    def matches(self) -> list[Match]:
        return [m for a in self.articles for m in a.matches]

    def accuracy(self, field: str) -> float | None:
        """The share of matched rows whose `field` (a SCORED_FIELDS name) is right, over every
        article; None when no matched row is scored on it."""
        scored = _FIELD_BY_NAME[field]
        share = _labelled_share(self.matches, scored.is_right)
        return (share or 0.0) if scored.every_row else share

    def measure_confusion(self) -> dict[tuple[str, str], int]:
        """(gold measure, predicted measure) -> rows, over matched rows labelled with a measure."""
        table: dict[tuple[str, str], int] = {}
        for m in self.matches:
            if m.gold.measure is not None:
                key = (m.gold.measure, m.predicted.measure)
                table[key] = table.get(key, 0) + 1
        return table


def _precision(tp: int, fp: int) -> float:
    return tp / (tp + fp) if tp + fp else 1.0  # nothing predicted: nothing predicted wrongly


def _recall(tp: int, fn: int) -> float:
    return tp / (tp + fn) if tp + fn else 1.0  # nothing to find: nothing missed


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def _share(right: int, total: int) -> float | None:
    return right / total if total else None


def _labelled_share(matches: Iterable[Match], is_right: Callable[[Match], bool | None]) -> float | None:
    scored = [ok for ok in (is_right(m) for m in matches) if ok is not None]
    return _share(sum(scored), len(scored))


def normalise_metric(metric: str) -> str:
    return _METRIC_NOISE.sub("", metric)


# ---------------------------------------------------------------------------------------- loading


def _require(doc: dict[str, object], key: str, kind: type | tuple[type, ...], where: str) -> object:
    if key not in doc:
        raise GoldFormatError(f"{where}: missing {key!r}")
    value = doc[key]
    if not isinstance(value, kind):
        raise GoldFormatError(f"{where}: {key!r} has type {type(value).__name__}")
    return value


def _optional_str(doc: dict[str, object], key: str, where: str) -> str | None:
    value = doc.get(key)
    if value is not None and not isinstance(value, str):
        raise GoldFormatError(f"{where}: {key!r} must be a string or null")
    return value


def _parse_indicator(row: object, text: str, where: str) -> GoldIndicator:
    if not isinstance(row, dict):
        raise GoldFormatError(f"{where}: indicator is not an object")
    raw = str(_require(row, "raw", str, where))
    start = _require(row, "start", int, where)
    value = _require(row, "value", (int, float), where)
    assert isinstance(start, int) and isinstance(value, (int, float))  # narrowed by _require
    if text[start : start + len(raw)] != raw:
        raise GoldFormatError(f"{where}: text[{start}:{start + len(raw)}] is not {raw!r}")
    unit = str(_require(row, "unit", str, where))
    qualifier = str(_require(row, "qualifier", str, where))
    metric = str(_require(row, "metric", str, where))
    if not unit or not metric:
        raise GoldFormatError(f"{where}: empty unit or metric for {raw!r}")
    if qualifier not in QUALIFIERS:
        raise GoldFormatError(f"{where}: qualifier {qualifier!r} for {raw!r}")
    period = _optional_str(row, "period", where)
    if period is not None and not PERIOD_LABEL.fullmatch(period):
        raise GoldFormatError(f"{where}: period label {period!r} for {raw!r}")
    measure = _optional_str(row, "measure", where)
    if measure is not None and measure not in MEASURES:
        raise GoldFormatError(f"{where}: measure {measure!r} for {raw!r}")
    basis = _optional_str(row, "basis", where) or ""
    if basis not in BASES:
        raise GoldFormatError(f"{where}: basis {basis!r} for {raw!r}")
    accept = row.get("metric_accept", [])
    if not isinstance(accept, list) or not all(isinstance(a, str) for a in accept):
        raise GoldFormatError(f"{where}: metric_accept must be a list of strings")
    return GoldIndicator(
        raw=raw,
        start=start,
        value=float(value),
        unit=unit,
        qualifier=qualifier,
        metric=metric,
        metric_accept=tuple(accept),
        period=period,
        region=_optional_str(row, "region", where),
        region_labelled="region" in row,
        measure=measure,
        basis=basis,
        province=_optional_str(row, "province", where),
        province_labelled="province" in row,
    )


def parse_gold_document(doc: object, where: str = "gold") -> GoldArticle:
    """Turn one decoded gold JSON document into a GoldArticle; raise GoldFormatError when it is malformed."""
    if not isinstance(doc, dict):
        raise GoldFormatError(f"{where}: top level is not an object")
    text = str(_require(doc, "text", str, where))
    published_text = _optional_str(doc, "published", where)
    try:
        published = dt.date.fromisoformat(published_text) if published_text else None
    except ValueError as exc:
        raise GoldFormatError(f"{where}: published {published_text!r} is not an ISO date") from exc
    rows = _require(doc, "indicators", list, where)
    negatives = doc.get("negatives", [])
    if not isinstance(negatives, list) or not all(isinstance(n, str) for n in negatives):
        raise GoldFormatError(f"{where}: negatives must be a list of strings")
    assert isinstance(rows, list)
    return GoldArticle(
        id=str(_require(doc, "id", str, where)),
        published=published,
        region_hint=_optional_str(doc, "region_hint", where),
        title=str(_require(doc, "title", str, where)),
        text=text,
        indicators=tuple(_parse_indicator(row, text, f"{where} #{i}") for i, row in enumerate(rows)),
        negatives=tuple(negatives),
        origin=str(doc.get("origin", "")),
    )


def load_gold_article(path: Path) -> GoldArticle:
    return parse_gold_document(json.loads(path.read_text(encoding="utf-8")), where=path.name)


def load_gold_dir(gold_dir: Path) -> list[GoldArticle]:
    paths = sorted(gold_dir.glob("*.json"))
    if not paths:
        raise GoldFormatError(f"no gold files in {gold_dir}")
    return [load_gold_article(p) for p in paths]


# --------------------------------------------------------------------------------------- matching


def _overlap(a_start: int, a_end: int, b_start: int, b_end: int) -> int:
    return max(0, min(a_end, b_end) - max(a_start, b_start))


def _compatible(gold: GoldIndicator, predicted: Indicator) -> bool:
    return (
        predicted.unit == gold.unit
        # the sign is scored on its own (the `sign` scored field), so a wrong sign is not a missed figure
        and math.isclose(abs(predicted.value), abs(gold.value), rel_tol=VALUE_REL_TOL, abs_tol=1e-12)
        and _overlap(gold.start, gold.end, predicted.char_start, predicted.char_end) > 0
    )


def _maximum_matching(candidates: list[list[int]]) -> dict[int, int]:
    """Kuhn's augmenting paths: as many one-to-one pairs as the candidate lists allow.

    A greedy pass can strand a gold row whose only partner was taken by a neighbour that had another
    choice; augmenting paths cannot. Candidate lists come best-overlap first, so ties go to the
    tighter span. Returns {predicted index: gold index}.
    """
    owner: dict[int, int] = {}

    def augment(gold_index: int, seen: set[int]) -> bool:
        for p in candidates[gold_index]:
            if p in seen:
                continue
            seen.add(p)
            if p not in owner or augment(owner[p], seen):
                owner[p] = gold_index
                return True
        return False

    for gold_index in range(len(candidates)):
        augment(gold_index, set())
    return owner


def _negative_hit(article: GoldArticle, predicted: Indicator) -> str | None:
    for negative in article.negatives:
        for found in re.finditer(re.escape(negative), article.text):
            if _overlap(found.start(), found.end(), predicted.char_start, predicted.char_end):
                return negative
    return None


def match_article(article: GoldArticle, predicted: Sequence[Indicator]) -> ArticleResult:
    """Pair predicted rows with the gold rows of one article (one-to-one)."""
    candidates = []
    for gold in article.indicators:
        partners = [i for i, p in enumerate(predicted) if _compatible(gold, p)]
        partners.sort(
            key=lambda i: -_overlap(gold.start, gold.end, predicted[i].char_start, predicted[i].char_end)
        )
        candidates.append(partners)
    owner = _maximum_matching(candidates)
    matched_gold = {g: p for p, g in owner.items()}
    matches = tuple(
        Match(gold=g, predicted=predicted[matched_gold[i]])
        for i, g in enumerate(article.indicators)
        if i in matched_gold
    )
    misses = tuple(g for i, g in enumerate(article.indicators) if i not in matched_gold)
    spurious = tuple(
        Spurious(predicted=p, negative=_negative_hit(article, p))
        for i, p in enumerate(predicted)
        if i not in owner
    )
    return ArticleResult(article=article, matches=matches, misses=misses, spurious=spurious)


def _default_extractor() -> Extractor:
    # Imported late so that the evaluator (and its tests with a given extractor) load without the
    # extractor, and so that etl.extract's __init__ may import from this module without a cycle.
    from etl.extract import extract_indicators

    return extract_indicators


def evaluate_article(article: GoldArticle, extract: Extractor) -> ArticleResult:
    try:
        predicted = list(extract(article.text, article.published, region_hint=article.region_hint))
    except Exception as exc:  # a report must cover every article, so one crash is recorded, not raised
        # The table shows the error; the traceback is for whoever runs --verbose.
        logger.warning(
            "extractor failed on %s: %s", article.id, exc, exc_info=logger.isEnabledFor(logging.DEBUG)
        )
        error = f"{type(exc).__name__}: {exc}"
        return ArticleResult(article=article, matches=(), misses=article.indicators, spurious=(), error=error)
    return match_article(article, predicted)


def evaluate(gold_dir: Path, extract: Extractor | None = None) -> EvalReport:
    """Run the extractor (by default etl.extract.extract_indicators) over every gold file and score it."""
    extractor = extract if extract is not None else _default_extractor()
    return EvalReport(articles=tuple(evaluate_article(a, extractor) for a in load_gold_dir(gold_dir)))


# ---------------------------------------------------------------------------------------- report


def sentence_around(text: str, start: int, end: int) -> str:
    """The sentence of `text` holding [start, end): what a reviewer needs to judge a miss."""
    left = max(text.rfind(c, 0, start) for c in _SENTENCE_END) + 1
    rights = [i for i in (text.find(c, end) for c in _SENTENCE_END) if i != -1]
    right = min(rights) + 1 if rights else len(text)
    return text[left:right].strip()


def _pct(value: float | None) -> str:
    return "     -" if value is None else f"{value:6.1%}"  # six wide: 100.0% keeps the columns straight


_SCORE_COLUMNS = ("P", "R", "F1", *(f.column for f in SCORED_FIELDS))
_ARTICLE_WIDTH = 52  # held-out ids carry the page id (…_content_30170118), so wider than 44


def _counts_and_scores(name: str, gold: int, predicted: int, result: ArticleResult | EvalReport) -> str:
    return (
        f"{name[:_ARTICLE_WIDTH]:<{_ARTICLE_WIDTH}} {gold:>4} {predicted:>4} {result.tp:>4} {result.fp:>4}"
        f" {result.fn:>4}  {_pct(result.precision)}  {_pct(result.recall)}  {_pct(result.f1)}"
        + "".join(f"  {_pct(result.accuracy(f.name))}" for f in SCORED_FIELDS)
    )


def _header(first_column: str = "article") -> str:
    counts = f"{first_column:<{_ARTICLE_WIDTH}} {'gold':>4} {'pred':>4} {'TP':>4} {'FP':>4} {'FN':>4}"
    return counts + "".join(f"  {name:>6}" for name in _SCORE_COLUMNS)


def overall_line(report: EvalReport, name: str = "overall") -> str:
    """One line with the totals and scores of a whole report, in the table's columns."""
    return _counts_and_scores(name, report.tp + report.fn, report.tp + report.fp, report)


def _table(report: EvalReport) -> list[str]:
    header = _header()
    lines = [header, "-" * len(header)]
    for a in report.articles:
        line = _counts_and_scores(a.article.id, len(a.article.indicators), a.tp + a.fp, a)
        lines.append(line + (f"  ERROR {a.error}" if a.error else ""))
    lines.append("-" * len(header))
    lines.append(overall_line(report))
    lines.extend(_confusion(report))
    return lines


def _confusion(report: EvalReport) -> list[str]:
    """Gold measure (rows) against predicted measure (columns), over matched rows."""
    table = report.measure_confusion()
    if not table:
        return []
    names = sorted(MEASURES)
    lines = ["", "measure confusion (gold \\ predicted)", f"{'':<11}" + "".join(f"{n:>11}" for n in names)]
    for gold in names:
        counts = [table.get((gold, predicted), 0) for predicted in names]
        lines.append(f"{gold:<11}" + "".join(f"{c:>11}" for c in counts))
    return lines


def _describe_gold(g: GoldIndicator) -> str:
    region = (g.region or "-") if g.region_labelled else "?"
    province = (g.province or "-") if g.province_labelled else "?"
    kind = f"{g.measure}/{g.basis or '-'}" if g.measure is not None else "?"
    return (
        f"{g.raw!r} = {g.value:g} {g.unit} [{g.qualifier}] {g.metric} <{kind}>"
        f" ({g.period or '-'}; {region}; {province})"
    )


def _describe_predicted(p: Indicator) -> str:
    return (
        f"{p.raw!r} = {p.value:g} {p.unit} [{p.qualifier}] {p.metric} <{p.measure}/{p.basis or '-'}>"
        f" ({p.period or '-'}; {p.region or '-'}; {p.province or '-'})"
    )


def _errors(report: EvalReport, verbose: bool) -> list[str]:
    lines: list[str] = []
    for a in report.articles:
        text = a.article.text
        for g in a.misses:
            lines.append(f"MISS      {a.article.id} @{g.start}: {_describe_gold(g)}")
            lines.append(f"          | {sentence_around(text, g.start, g.end)}")
        for s in a.spurious:
            where = f"{a.article.id} @{s.predicted.char_start}"
            mark = f" (negative {s.negative!r})" if s.negative else ""
            lines.append(f"SPURIOUS  {where}{mark}: {_describe_predicted(s.predicted)}")
            lines.append(f"          | {s.predicted.sentence}")
        if verbose:
            lines.extend(_attribute_errors(a))
    return lines


def _wrong_fields(m: Match) -> list[str]:
    return [f.name for f in SCORED_FIELDS if f.is_right(m) is False]  # an unlabelled field is not wrong


def _attribute_errors(a: ArticleResult) -> list[str]:
    lines = []
    for m in a.matches:
        wrong = _wrong_fields(m)
        if wrong:
            lines.append(f"WRONG {'/'.join(wrong):<23} {a.article.id} @{m.gold.start}")
            lines.append(f"          gold {_describe_gold(m.gold)}")
            lines.append(f"          pred {_describe_predicted(m.predicted)}")
    return lines


def format_report(report: EvalReport, verbose: bool = False, *, details: bool = True) -> str:
    """The per-article table, the overall line, then misses and spurious rows (and, verbose, wrong
    fields). Without `details` only the scores: a frozen split must not show its sentences."""
    lines = _table(report)
    errors = _errors(report, verbose) if details else []
    if errors:
        lines += ["", *errors]
    elif not details:
        lines += ["", "(frozen split: rows not shown; pass --show-frozen to list them)"]
    return "\n".join(lines) + "\n"


def is_frozen(name: str) -> bool:
    """A held-out split, scored but never read while tuning the extractor."""
    return "holdout" in Path(name).name


def format_reports(
    reports: Sequence[tuple[str, EvalReport]], verbose: bool = False, *, show_frozen: bool = False
) -> str:
    """One block per gold directory, then every block's overall line together so they can be compared."""
    blocks = [
        f"== {name}\n{format_report(report, verbose, details=show_frozen or not is_frozen(name))}"
        for name, report in reports
    ]
    if len(reports) > 1:
        header = _header("directory")
        summary = [header, "-" * len(header), *(overall_line(report, name) for name, report in reports)]
        blocks.append("== overall per directory\n" + "\n".join(summary) + "\n")
    return "\n".join(blocks)


def _thresholds_failed(report: EvalReport, args: argparse.Namespace) -> list[str]:
    checks = [("F1", report.f1, args.min_f1)]
    checks += [
        (f"{f.name} accuracy", report.accuracy(f.name) or 0.0, getattr(args, f"min_{f.name}_acc"))
        for f in SCORED_FIELDS
    ]
    return [f"{name} {got:.3f} < {want:.3f}" for name, got, want in checks if want is not None and got < want]


def _display_name(gold_dir: Path) -> str:
    # Relative to the working directory when possible: `make eval` prints tests/gold, not a long path.
    try:
        return str(gold_dir.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(gold_dir)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m etl.extract.evaluate", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument(
        "gold_dirs",
        nargs="*",
        type=Path,
        metavar="GOLD_DIR",
        help="directories of gold files (default: tests/gold and the held-out splits)",
    )
    parser.add_argument(
        "--verbose", "-v", action="store_true", help="also list matched rows with a wrong field"
    )
    parser.add_argument(
        "--show-frozen",
        action="store_true",
        help="also list the misses and spurious rows of held-out splits (only when reviewing labels)",
    )
    parser.add_argument("--min-f1", type=float, default=None)
    for scored in SCORED_FIELDS:
        parser.add_argument(f"--min-{scored.name}-acc", type=float, default=None)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    if args.verbose:
        logger.setLevel(logging.DEBUG)
    gold_dirs: list[Path] = args.gold_dirs or [
        _DEFAULT_GOLD_DIR,
        _DEFAULT_HOLDOUT_DIR,
        _DEFAULT_WRITTEN_HOLDOUT_DIR,
    ]
    extractor = _default_extractor()
    reports = [(_display_name(d), evaluate(d, extractor)) for d in gold_dirs]
    sys.stdout.write(format_reports(reports, verbose=args.verbose, show_frozen=args.show_frozen))
    failed = [f"{reason} ({name})" for name, report in reports for reason in _thresholds_failed(report, args)]
    for reason in failed:
        sys.stderr.write(f"below threshold: {reason}\n")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
