"""The hand-labelled gold sets, the evaluator that scores against them, and the scores themselves.

tests/gold/ is the development set; tests/gold_holdout/ is the frozen held-out split (articles of the
offline demo site, body text exactly as the pipeline stores it), which the extractor is never tuned on.
The gold files are checked here on their own terms (JSON shape, offsets, labels), independently of the
evaluator's loader, so a mistake in one cannot hide a mistake in the other.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import math
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from etl import clean, parse
from etl.extract.evaluate import (
    EvalReport,
    GoldArticle,
    GoldFormatError,
    evaluate,
    format_report,
    load_gold_article,
    load_gold_dir,
    match_article,
    sentence_around,
)
from etl.fetch import decode_html
from etl.models import Indicator, Qualifier

REPO = Path(__file__).resolve().parents[2]
GOLD_DIR = REPO / "tests" / "gold"
GOLD_FILES = sorted(GOLD_DIR.glob("*.json"))
HOLDOUT_DIR = REPO / "tests" / "gold_holdout"
HOLDOUT_FILES = sorted(HOLDOUT_DIR.glob("*.json"))
WRITTEN_DIR = REPO / "tests" / "gold_holdout_written"
WRITTEN_FILES = sorted(WRITTEN_DIR.glob("*.json"))
FROZEN_FILES = HOLDOUT_FILES + WRITTEN_FILES

MIN_F1 = 0.90
MIN_FIELD_ACCURACY = 0.85
# The held-out split measures generalisation: a lower bar than the development set, which the
# extractor has been fitted to. A floor against regressions, not a target to tune towards.
HOLDOUT_MIN_F1 = 0.85
HOLDOUT_MIN_FIELD_ACCURACY = 0.70
# Issue #10 targets on the development set (convention v2, docs/indicators.md)
DEVELOPMENT_MIN_F1 = 0.97
DEVELOPMENT_FLOORS = {
    "metric": 0.95,
    "measure": 0.95,
    "basis": 0.95,
    "sign": 0.99,
    "region": 0.90,
    "province": 0.95,
    "period": 0.97,
    "qualifier": 0.97,
}
MEASURES = {"level", "growth", "change", "share", "completion"}
BASES = {"yoy", "mom", "base", ""}

QUALIFIERS = {"exact", "approx", "gt", "lt"}
PERIOD_LABEL = re.compile(
    r"\d{4}"  # a year
    r"(-H[12]"  # 上半年 / 下半年
    r"|-Q[1-4]"  # 一季度 … 四季度
    r"|-Q1-Q[2-4]"  # 前两/三季度
    r"|-(0[1-9]|1[0-2])"  # 9月份
    r"|-M(0[1-9]|1[0-2])-M(0[1-9]|1[0-2]))?"  # 前10个月, 1至10月
)
TOP_LEVEL: dict[str, type | tuple[type, ...]] = {
    "id": str,
    "origin": str,
    "published": str,
    "region_hint": (str, type(None)),
    "title": str,
    "text": str,
    "indicators": list,
    "negatives": list,
}
ROW: dict[str, type | tuple[type, ...]] = {
    "raw": str,
    "start": int,
    "value": (int, float),
    "unit": str,
    "qualifier": str,
    "metric": str,
    "period": (str, type(None)),
    "region": (str, type(None)),
}


def _read(path: Path) -> dict[str, Any]:
    raw_bytes = path.read_bytes()
    doc: dict[str, Any] = json.loads(raw_bytes.decode("utf-8"))  # strict: the files must be UTF-8
    return doc


# ------------------------------------------------------------------------------------ the gold set


def test_gold_set_is_big_enough() -> None:
    docs = [_read(p) for p in GOLD_FILES]
    assert len(docs) >= 12
    assert sum(len(d["indicators"]) for d in docs) >= 200


@pytest.mark.parametrize(
    "path",
    GOLD_FILES + FROZEN_FILES,
    ids=[p.stem for p in GOLD_FILES] + [f"holdout-{p.stem}" for p in FROZEN_FILES],
)
def test_gold_file_is_valid(path: Path) -> None:
    text_of_file = path.read_text(encoding="utf-8")
    assert "\n  " in text_of_file, "pretty-print gold files (indent=2) so reviewers can diff them"
    doc = _read(path)
    for key, kind in TOP_LEVEL.items():
        assert isinstance(doc.get(key), kind), f"{key!r} missing or of the wrong type"
    assert doc["id"] == path.stem
    dt.date.fromisoformat(doc["published"])
    text: str = doc["text"]
    paragraphs = text.split("\n")
    assert all(p and p == p.strip() for p in paragraphs), "paragraphs are non-empty and stripped"
    assert "Play Video" not in text

    previous_end = 0
    for row in doc["indicators"]:
        for key, kind in ROW.items():
            assert isinstance(row.get(key), kind), f"{row.get('raw')!r}: {key!r} missing or of the wrong type"
        raw, start = row["raw"], row["start"]
        assert text[start : start + len(raw)] == raw, f"{raw!r} is not at offset {start}"
        assert start >= previous_end, f"{raw!r} overlaps or precedes the row before it"
        previous_end = start + len(raw)
        assert math.isfinite(row["value"]) and row["value"] != 0, raw
        # convention v2: every row says what kind of figure it is; only a decrease is negative
        assert row["measure"] in MEASURES and row["basis"] in BASES, raw
        assert row["basis"] == "" or row["measure"] in ("growth", "change"), raw
        assert row["value"] > 0 or row["measure"] in ("growth", "change"), raw
        assert "province" in row and "region" in row, raw
        assert row["unit"].strip() == row["unit"] != "", raw
        assert row["metric"].strip() != "", raw
        assert row["qualifier"] in QUALIFIERS, raw
        assert row["period"] is None or PERIOD_LABEL.fullmatch(row["period"]), f"{raw!r}: {row['period']!r}"
        accept = row.get("metric_accept", [])
        assert isinstance(accept, list) and all(isinstance(a, str) and a for a in accept), raw
        assert not re.search(r"[万亿]", row["unit"]), f"{raw!r}: the magnitude belongs in the value"

    spans = [(r["start"], r["start"] + len(r["raw"])) for r in doc["indicators"]]
    for negative in doc["negatives"]:
        assert isinstance(negative, str) and negative in text, f"negative {negative!r} is not in the text"
        for found in re.finditer(re.escape(negative), text):
            clashes = [s for s in spans if s[0] < found.end() and found.start() < s[1]]
            assert not clashes, f"negative {negative!r} overlaps a gold row at {clashes}"


# ------------------------------------------------------------------------------------ the held-out split


def test_holdout_split_is_complete() -> None:
    docs = [_read(p) for p in HOLDOUT_FILES]
    assert len(docs) == 7, "the seven articles of the offline demo site"
    assert sum(len(d["indicators"]) for d in docs) >= 100
    stems = {p.stem for p in GOLD_FILES}
    assert not stems & {p.stem for p in HOLDOUT_FILES}, "an article is in one split only"
    gold_texts = {_read(p)["text"] for p in GOLD_FILES}
    assert not gold_texts & {d["text"] for d in docs}


@pytest.mark.parametrize("path", FROZEN_FILES, ids=[p.stem for p in FROZEN_FILES])
def test_holdout_rows_label_their_region(path: Path) -> None:
    # Region is scored on the held-out split, so every row must say where it applies (null included).
    for row in _read(path)["indicators"]:
        assert "region" in row, f"{row['raw']!r} has no region key"
        assert row["region"] is None or row["region"].strip() == row["region"] != "", row["raw"]


@pytest.mark.parametrize("path", HOLDOUT_FILES, ids=[p.stem for p in HOLDOUT_FILES])
def test_holdout_text_is_the_pipeline_body(path: Path) -> None:
    """The split is the pipeline's own output for the demo-site pages: parse, merge pages, clean.

    If parse or clean changes a body, the split has to be re-derived (and its offsets recomputed), or
    the held-out score would measure text the pipeline no longer produces.
    """
    doc = _read(path)
    pages = doc["pages"]
    assert isinstance(pages, list) and pages
    parsed = []
    for page in pages:
        html = decode_html((REPO / page["fixture"]).read_bytes()).text
        parsed.append(parse.parse_article(html, page["url"]))
    article = clean.clean_article(parse.merge_pages(parsed[0], parsed[1:]) if len(parsed) > 1 else parsed[0])
    assert article.published_at is not None
    assert article.published_at.date().isoformat() == doc["published"]
    assert article.title == doc["title"]
    assert article.body_text == doc["text"], f"{path.name}: the pipeline's cleaned body changed"


def test_evaluator_loads_every_gold_file() -> None:
    articles = load_gold_dir(GOLD_DIR)
    assert [a.id for a in articles] == [p.stem for p in GOLD_FILES]
    seed = next(a for a in articles if a.id.startswith("seed_"))
    assert seed.published == dt.date(2025, 9, 3)
    first = seed.indicators[0]
    assert seed.text[first.start : first.end] == first.raw
    holdout = load_gold_dir(HOLDOUT_DIR)
    assert [a.id for a in holdout] == [p.stem for p in HOLDOUT_FILES]
    assert all(g.region_labelled for a in holdout for g in a.indicators)


def test_loader_rejects_a_wrong_offset(tmp_path: Path) -> None:
    doc = _read(GOLD_FILES[0])
    row = next(r for d in map(_read, GOLD_FILES) for r in d["indicators"])
    doc = dict(doc, indicators=[dict(row, start=row["start"] + 1)])
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(GoldFormatError, match="not"):
        load_gold_article(bad)


def test_loader_rejects_an_unknown_qualifier_and_period(tmp_path: Path) -> None:
    doc = next(d for d in map(_read, GOLD_FILES) if d["indicators"])
    row = doc["indicators"][0]
    for broken in ({"qualifier": "about"}, {"period": "2024年"}):
        path = tmp_path / "bad.json"
        path.write_text(json.dumps(dict(doc, indicators=[dict(row, **broken)]), ensure_ascii=False), "utf-8")
        with pytest.raises(GoldFormatError):
            load_gold_article(path)


# ------------------------------------------------------------------------------------ matching


@pytest.fixture(scope="module")
def seed() -> GoldArticle:
    return next(a for a in load_gold_dir(GOLD_DIR) if a.id.startswith("seed_"))


def _as_predicted(article: GoldArticle) -> list[Indicator]:
    """The gold rows of `article` written as extractor output."""
    return [
        Indicator(
            value=g.value,
            unit=g.unit,
            qualifier=Qualifier(g.qualifier),
            metric=g.metric,
            raw=g.raw,
            sentence=sentence_around(article.text, g.start, g.end),
            char_start=g.start,
            char_end=g.end,
            period=g.period,
            region=g.region,
        )
        for g in article.indicators
    ]


def test_gold_rows_as_predictions_score_perfectly(seed: GoldArticle) -> None:
    result = match_article(seed, _as_predicted(seed))
    assert (result.tp, result.fp, result.fn) == (len(seed.indicators), 0, 0)
    assert (
        result.f1
        == result.accuracy("metric")
        == result.accuracy("qualifier")
        == result.accuracy("period")
        == 1.0
    )


def test_value_unit_and_span_must_all_agree(seed: GoldArticle) -> None:
    teu = next(g for g in seed.indicators if g.raw == "5150.6万标箱")
    right = _as_predicted(dataclasses.replace(seed, indicators=(teu,)))[0]
    wrong_value = dataclasses.replace(right, value=5150.6)  # magnitude not applied
    other_unit = dataclasses.replace(right, unit="标准箱")  # units are compared exactly
    elsewhere = dataclasses.replace(right, char_start=teu.end + 5, char_end=teu.end + 9)
    close_value = dataclasses.replace(right, value=teu.value * (1 + 1e-9), char_start=teu.start - 3)
    for predicted in (wrong_value, other_unit, elsewhere):
        result = match_article(seed, [predicted])
        assert result.tp == 0 and result.fp == 1 and result.fn == len(seed.indicators)
    assert match_article(seed, [close_value]).tp == 1


def test_matching_is_one_to_one_and_maximal(seed: GoldArticle) -> None:
    predicted = _as_predicted(seed)
    doubled = match_article(seed, [*predicted, predicted[0]])
    assert (doubled.tp, doubled.fp, doubled.fn) == (len(predicted), 1, 0)
    # Two gold rows with the same value and unit. A wide prediction covers both; a partial one covers
    # the tail of the first only. The first gold row prefers the wide one (more overlap), but the only
    # full matching gives it the partial one and leaves the wide one to the second row.
    pcts = [g for g in seed.indicators if g.raw == "100%"][:2]
    wide = dataclasses.replace(
        predicted[0], value=100, unit="%", char_start=pcts[0].start, char_end=pcts[1].end
    )
    partial = dataclasses.replace(wide, char_start=pcts[0].start + 2, char_end=pcts[0].end)
    two = dataclasses.replace(seed, indicators=tuple(pcts))
    assert match_article(two, [wide, partial]).tp == 2


def test_fields_are_scored_on_matched_rows_only(seed: GoldArticle) -> None:
    predicted = _as_predicted(seed)
    bent = [
        dataclasses.replace(predicted[0], metric=f"“{predicted[0].metric}” "),  # quotes/spaces: still right
        dataclasses.replace(predicted[1], metric="别的指标"),
        dataclasses.replace(
            predicted[2], qualifier=Qualifier.GT if predicted[2].qualifier != Qualifier.GT else Qualifier.LT
        ),
        dataclasses.replace(predicted[3], period="1999"),
        *predicted[4:],
    ]
    result = match_article(seed, bent)
    n = len(predicted)
    assert result.tp == n
    assert result.accuracy("metric") == pytest.approx((n - 1) / n)
    assert result.accuracy("qualifier") == pytest.approx((n - 1) / n)
    assert result.accuracy("period") == pytest.approx((n - 1) / n)


def test_region_is_scored_exactly_and_null_matches_null(seed: GoldArticle) -> None:
    predicted = _as_predicted(seed)
    n = len(predicted)
    assert match_article(seed, predicted).accuracy("region") == 1.0
    elsewhere = [dataclasses.replace(predicted[0], region="全国"), *predicted[1:]]
    assert match_article(seed, elsewhere).accuracy("region") == pytest.approx((n - 1) / n)
    # A gold row with region null is right only when the prediction is null too.
    first = dataclasses.replace(seed.indicators[0], region=None)
    nulled = dataclasses.replace(seed, indicators=(first, *seed.indicators[1:]))
    assert match_article(nulled, predicted).accuracy("region") == pytest.approx((n - 1) / n)
    unplaced = [dataclasses.replace(predicted[0], region=None), *predicted[1:]]
    assert match_article(nulled, unplaced).accuracy("region") == 1.0


def test_rows_without_a_region_label_are_left_out_of_the_region_score(tmp_path: Path) -> None:
    doc = next(d for d in map(_read, GOLD_FILES) if len(d["indicators"]) >= 2)
    first, *rest = doc["indicators"]
    unlabelled = {k: v for k, v in first.items() if k != "region"}
    path = tmp_path / "partly_labelled.json"
    path.write_text(json.dumps(dict(doc, indicators=[unlabelled, *rest]), ensure_ascii=False), "utf-8")
    article = load_gold_article(path)
    assert not article.indicators[0].region_labelled and article.indicators[1].region_labelled
    predicted = [dataclasses.replace(p, region="别处") for p in _as_predicted(article)]
    result = match_article(article, predicted)
    assert result.tp == len(article.indicators)
    assert result.accuracy("region") == 0.0  # only the labelled rows count, and they are all wrong
    only_unlabelled = dataclasses.replace(article, indicators=article.indicators[:1])
    assert match_article(only_unlabelled, predicted[:1]).accuracy("region") is None
    assert EvalReport(articles=(match_article(only_unlabelled, predicted[:1]),)).accuracy("region") is None


def test_spurious_rows_on_negatives_are_marked(seed: GoldArticle) -> None:
    at = seed.text.index("228街坊")
    row = Indicator(
        value=228,
        unit="个",
        qualifier=Qualifier.EXACT,
        metric="街坊",
        raw="228",
        sentence="",
        char_start=at,
        char_end=at + 3,
    )
    result = match_article(seed, [row])
    assert result.fp == 1 and result.spurious[0].negative == "228街坊"
    report = format_report(EvalReport(articles=(result,)))
    assert "SPURIOUS" in report and "negative '228街坊'" in report and "MISS" in report


def test_report_counts_every_gold_row_when_nothing_is_predicted() -> None:
    report = evaluate(GOLD_DIR, lambda text, published, *, region_hint=None: [])
    total = sum(len(_read(p)["indicators"]) for p in GOLD_FILES)
    assert (report.tp, report.fp, report.fn) == (0, 0, total)
    assert report.f1 == 0.0 and report.accuracy("metric") == 0.0


# ------------------------------------------------------------------------------------ the score


def test_extractor_meets_the_gold_thresholds() -> None:
    report = evaluate(GOLD_DIR)
    summary = format_report(report, verbose=True)
    assert report.f1 >= MIN_F1, summary
    assert report.accuracy("metric") >= MIN_FIELD_ACCURACY, summary
    assert report.accuracy("qualifier") >= MIN_FIELD_ACCURACY, summary
    assert report.accuracy("period") >= MIN_FIELD_ACCURACY, summary


def test_extractor_meets_the_convention_v2_targets_on_the_development_set() -> None:
    report = evaluate(GOLD_DIR)
    scores = {"f1": report.f1, **{name: report.accuracy(name) for name in DEVELOPMENT_FLOORS}}
    floors = {"f1": DEVELOPMENT_MIN_F1, **DEVELOPMENT_FLOORS}
    low = {name: score for name, score in scores.items() if (score or 0.0) < floors[name]}
    assert not low, format_report(report, verbose=True)


def test_written_holdout_split_is_separate() -> None:
    docs = [_read(p) for p in WRITTEN_FILES]
    assert len(docs) >= 6 and sum(len(d["indicators"]) for d in docs) >= 100
    others = {_read(p)["text"] for p in GOLD_FILES + HOLDOUT_FILES}
    assert not others & {d["text"] for d in docs}, "an article is in one split only"


@pytest.mark.parametrize("frozen_dir", [HOLDOUT_DIR, WRITTEN_DIR], ids=["demo-site", "written"])
def test_extractor_keeps_above_the_holdout_floor(frozen_dir: Path) -> None:
    report = evaluate(frozen_dir)
    summary = format_report(report, verbose=True)
    # Region accuracy is in the summary but not asserted yet: the convention for it is new.
    assert report.f1 >= HOLDOUT_MIN_F1, summary
    assert report.accuracy("metric") >= HOLDOUT_MIN_FIELD_ACCURACY, summary
    assert report.accuracy("qualifier") >= HOLDOUT_MIN_FIELD_ACCURACY, summary
    assert report.accuracy("period") >= HOLDOUT_MIN_FIELD_ACCURACY, summary


def test_command_line_reports_and_enforces_thresholds() -> None:
    command = [sys.executable, "-m", "etl.extract.evaluate", str(GOLD_DIR)]
    plain = subprocess.run(command, capture_output=True, text=True, check=False)
    assert plain.returncode == 0, plain.stderr
    assert "overall" in plain.stdout and "seed_shanghai_2025-09-03" in plain.stdout
    strict = subprocess.run([*command, "--min-f1", "1.01"], capture_output=True, text=True, check=False)
    assert strict.returncode == 1 and "below threshold: F1" in strict.stderr
    for field in ("measure", "basis", "sign", "region", "province"):
        strict = subprocess.run(
            [*command, f"--min-{field}-acc", "1.01"], capture_output=True, text=True, check=False
        )
        assert strict.returncode == 1 and f"below threshold: {field} accuracy" in strict.stderr
    assert "measure confusion" in plain.stdout


def test_command_line_reports_every_split_by_default() -> None:
    command = [sys.executable, "-m", "etl.extract.evaluate"]
    plain = subprocess.run(command, capture_output=True, text=True, check=False, cwd=REPO)
    assert plain.returncode == 0, plain.stderr
    blocks = plain.stdout.split("\n== ")
    assert plain.stdout.startswith("== tests/gold\n")
    assert [b.split("\n", 1)[0] for b in blocks[1:]] == [
        "tests/gold_holdout",
        "tests/gold_holdout_written",
        "overall per directory",
    ]
    assert "seed_shanghai_2025-09-03" in blocks[0] and HOLDOUT_FILES[0].stem in blocks[1]
    assert "region" in blocks[0].split("\n")[1], "the table has a region column"
    summary = blocks[3].splitlines()
    assert [line.split()[0] for line in summary[3:]] == [
        "tests/gold",
        "tests/gold_holdout",
        "tests/gold_holdout_written",
    ]


def test_command_line_takes_several_directories_and_checks_each() -> None:
    command = [
        sys.executable,
        "-m",
        "etl.extract.evaluate",
        str(GOLD_DIR),
        str(HOLDOUT_DIR),
        "--min-f1",
        "1.01",
    ]
    strict = subprocess.run(command, capture_output=True, text=True, check=False)
    assert strict.returncode == 1
    failures = [line for line in strict.stderr.splitlines() if line.startswith("below threshold: F1")]
    assert len(failures) == 2 and "gold_holdout" in failures[1], strict.stderr


def test_the_frozen_split_shows_scores_but_not_its_sentences() -> None:
    from etl.extract.evaluate import evaluate, format_reports

    def nothing(text: str, published: dt.date | None, *, region_hint: str | None = None) -> list[Indicator]:
        return []  # every gold row becomes a miss, which the report would list with its sentence

    report = evaluate(HOLDOUT_DIR, nothing)
    first_gold_raw = json.loads(HOLDOUT_FILES[0].read_text(encoding="utf-8"))["indicators"][0]["raw"]
    hidden = format_reports([("tests/gold_holdout", report)])
    shown = format_reports([("tests/gold_holdout", report)], show_frozen=True)
    assert "overall" in hidden and first_gold_raw not in hidden
    assert first_gold_raw in shown
