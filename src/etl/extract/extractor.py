"""One pass over a text: sentences -> candidate numbers -> the not-a-figure rules -> labels across the
paragraph -> indicators with period and region. explain() runs the same pass and reports, for every
candidate, the rule that dropped it or the metric it was kept with."""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from etl.extract.figures import INDICATOR_PATTERN, Figure, fraction_figure, qualified_figure
from etl.extract.labelling import LabelledFigure, ParagraphState, label_sentence
from etl.extract.limits import MAX_INDICATORS_PER_ARTICLE, TooManyFigures
from etl.extract.modality import modality_of
from etl.extract.periods import Period, PeriodResolver, Timeline, find_time_references, period_at
from etl.extract.regions import (
    national_scope,
    province_of,
    region_between,
    region_mentions,
    with_scope_words,
)
from etl.extract.rejections import Candidate, Rule, dropping_rule
from etl.extract.semantics import Measure, semantics_of
from etl.extract.sentences import Span, excerpt, paragraph_starts, split_sentences
from etl.models import Indicator


@dataclass(frozen=True, slots=True)
class CandidateVerdict:
    """What the extractor decided about one number it matched."""

    start: int  # offset of the match in the text
    raw: str  # the number as matched, with its unit
    rule: Rule | None  # the rule that dropped it; None when it was kept
    indicator: Indicator | None  # the row it became; None when it was dropped

    @property
    def verdict(self) -> str:
        return "dropped" if self.rule is not None else "kept"


def _figure(candidate: Candidate) -> Figure:
    """The figure of a candidate no rule dropped."""
    m, text = candidate.match, candidate.text
    if candidate.is_fraction:
        return fraction_figure(m, text, candidate.clause_begin)
    return qualified_figure(
        text, m, candidate.measured_unit, candidate.parsed, candidate.clause_begin, candidate.raw_end
    )


def _indicator(
    text: str,
    item: LabelledFigure,
    sentence: Span,
    period: Period | None,
    region: str | None,
    source: str,
    image_position: int | None,
    previous_subject: str,
) -> Indicator:
    f = item.figure
    what = semantics_of(
        text,
        sentence.start,
        f.context_start,
        f.unit,
        item.metric,
        period is not None,
        previous_subject,
        follows=text[f.raw_end : f.raw_end + 4],
    )
    value, unit = f.value, f.unit
    if what.measure is Measure.GROWTH and unit == "倍":
        value, unit = value * 100, "%"  # 增长1.5倍 is growth of 150 % (docs/indicators.md, convention v2)
    return Indicator(
        value=-value if what.negative else value,
        unit=unit,
        qualifier=f.qualifier,
        metric=what.metric,
        raw=text[f.raw_start : f.raw_end],
        sentence=excerpt(text, sentence, f.raw_start, f.raw_end),
        char_start=f.raw_start,
        char_end=f.raw_end,
        period=period.label if period else None,
        period_start=period.start if period else None,
        period_end=period.end if period else None,
        region=region,
        source=source,
        image_position=image_position,
        measure=str(what.measure),
        basis=str(what.basis),
        province=province_of(region),
    )


def _verdicts(
    text: str,
    published: dt.date | None,
    *,
    region_hint: str | None,
    source: str,
    image_position: int | None,
    figures_before: int = 0,
    max_figures: int | None = None,
) -> Iterator[CandidateVerdict]:
    """The verdict on every candidate of `text`. Once the figures kept, with the `figures_before` found
    earlier in the same article, are past `max_figures`, the rest are only counted and the text is
    refused at its end (TooManyFigures); without `max_figures` every figure is read."""
    references = find_time_references(text, PeriodResolver(published))
    timeline = Timeline(references)
    time_spans = sorted((r.start, r.end) for r in references if r.period is not None)
    mentions = with_scope_words(text, region_mentions(text), region_hint)
    subjects = [mention for mention in mentions if mention.subject]
    paragraphs = paragraph_starts(text)
    national = national_scope(text, paragraphs, mentions)
    state = ParagraphState()
    current_paragraph = -1
    found = figures_before
    previous_subject = ""  # the metric of the paragraph's previous row, for 较上届增长 / 完成全年目标的
    for sentence in split_sentences(text):
        paragraph = bisect.bisect_right(paragraphs, sentence.start)
        if paragraph != current_paragraph:
            state, current_paragraph = ParagraphState(), paragraph  # subjects do not cross paragraphs
            previous_subject = ""
        modality = modality_of(text, sentence)
        judged: list[tuple[Candidate, Rule | None]] = []
        figures: list[Figure] = []
        for m in INDICATOR_PATTERN.finditer(text, sentence.start, sentence.end):
            candidate = Candidate(text, m, sentence, modality, time_spans)
            rule = dropping_rule(candidate)
            judged.append((candidate, rule))
            if rule is None:
                figures.append(_figure(candidate))
        found += len(figures)
        if max_figures is not None and found > max_figures:
            continue  # past the cap the figures are only counted, for the refusal's message
        labelled = iter(label_sentence(text, sentence, figures, state) if figures else [])
        for candidate, rule in judged:
            indicator = None
            if rule is None:
                item = next(labelled)
                start = item.figure.raw_start
                paragraph_start = paragraphs[bisect.bisect_right(paragraphs, start) - 1]
                period = period_at(timeline, start, paragraph_start)
                region = (
                    region_between(text, subjects, sentence.start, start, paragraph_start)
                    or region_hint
                    or national.get(paragraph_start)
                )
                indicator = _indicator(
                    text, item, sentence, period, region, source, image_position, previous_subject
                )
                previous_subject = indicator.metric
            yield CandidateVerdict(candidate.start, candidate.match.group(), rule, indicator)
    if max_figures is not None and found > max_figures:
        raise TooManyFigures(found, max_figures)


def extract(
    text: str,
    published: dt.date | None,
    *,
    region_hint: str | None,
    source: str,
    image_position: int | None,
    figures_before: int = 0,
    max_figures: int | None = MAX_INDICATORS_PER_ARTICLE,
) -> list[Indicator]:
    """Indicators of `text`. `figures_before` counts those already found in the same article: past
    `max_figures` in all, the figures are only counted, and the article is refused (TooManyFigures).
    """
    verdicts = _verdicts(
        text,
        published,
        region_hint=region_hint,
        source=source,
        image_position=image_position,
        figures_before=figures_before,
        max_figures=max_figures,
    )
    return [v.indicator for v in verdicts if v.indicator is not None]


def explain(text: str, published: dt.date | None, region_hint: str | None = None) -> list[CandidateVerdict]:
    """Every number the extractor matched in `text`, with the rule that dropped it or the row it became."""
    return list(_verdicts(text, published, region_hint=region_hint, source="body", image_position=None))


__all__ = ["CandidateVerdict", "explain", "extract"]
