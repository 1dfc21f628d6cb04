"""How well the generic fallback reads article pages, against a general-purpose extractor.

Every article fixture page that a template reads is read again as if no template knew its layout,
by our generic reader (`etl.parse.generic`) and, when it is installed, by trafilatura's
`bare_extraction`; both bodies then go through our cleaning. Each is compared with the record the
page's template produces (tests/fixtures/expected/): body characters recalled and precise, whole
paragraphs recovered, title, date and source.

    .venv/bin/python benchmarks/generic_fallback.py    # pip install trafilatura to compare
"""

from __future__ import annotations

import difflib
import sys
from dataclasses import dataclass, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from fixture_pages import NOT_PARSEABLE, decoded, fixture_files, parsed, url_of  # noqa: E402

from etl.clean import clean_article  # noqa: E402
from etl.models import Article, Paragraph  # noqa: E402
from etl.parse.dom import make_soup  # noqa: E402
from etl.parse.generic import GenericArticle  # noqa: E402


@dataclass
class Score:
    pages: int = 0
    reference_chars: int = 0
    extracted_chars: int = 0
    matched_chars: int = 0
    paragraphs: int = 0
    paragraphs_found: int = 0
    titles: int = 0
    dates: int = 0
    sources: int = 0
    failures: int = 0

    def add(self, reference: Article, got: Article | None) -> None:
        self.pages += 1
        want = [_squash(p.text) for p in reference.paragraphs]
        self.paragraphs += len(want)
        self.reference_chars += len("\n".join(want))
        if got is None:
            self.failures += 1
            return
        have = [_squash(p.text) for p in got.paragraphs]
        self.extracted_chars += len("\n".join(have))
        blocks = difflib.SequenceMatcher(None, "\n".join(want), "\n".join(have), autojunk=False)
        self.matched_chars += sum(b.size for b in blocks.get_matching_blocks())
        self.paragraphs_found += len(set(want) & set(have))
        self.titles += got.title == reference.title
        self.dates += bool(got.published_at and reference.published_at) and (
            got.published_at.date() == reference.published_at.date()  # type: ignore[union-attr]
        )
        self.sources += got.source == reference.source

    def row(self, name: str) -> str:
        recall = self.matched_chars / max(self.reference_chars, 1)
        precision = self.matched_chars / max(self.extracted_chars, 1)
        return (
            f"| {name} | {self.pages - self.failures}/{self.pages} | {recall:.1%} | {precision:.1%} | "
            f"{self.paragraphs_found}/{self.paragraphs} | {self.titles}/{self.pages} | "
            f"{self.dates}/{self.pages} | {self.sources}/{self.pages} |"
        )


def _squash(text: str) -> str:
    return "".join(text.split())


def generic(html: str, url: str) -> Article | None:
    try:
        return clean_article(GenericArticle(make_soup(html), url).parse())
    except Exception:
        return None


def trafilatura_reader(html: str, url: str) -> Article | None:
    import datetime as dt

    from trafilatura import bare_extraction

    doc = bare_extraction(html, url=url, with_metadata=True, include_comments=False, include_tables=False)
    if doc is None or not doc.text:
        return None
    published = dt.datetime.fromisoformat(doc.date) if doc.date else None
    paragraphs = tuple(Paragraph(line) for line in doc.text.split("\n") if line.strip())
    article = Article(url=url, title=doc.title or "", template="trafilatura", paragraphs=paragraphs)
    return clean_article(replace(article, published_at=published, source=None))


def main() -> int:
    readers = {"generic (ours)": generic}
    try:
        import trafilatura  # noqa: F401

        readers["trafilatura bare_extraction"] = trafilatura_reader
    except ImportError:
        print("trafilatura is not installed: scoring the generic reader alone")
    scores = {name: Score() for name in readers}
    for name in fixture_files():
        if name in NOT_PARSEABLE:
            continue
        reference = parsed(name, url_of(name))
        if not isinstance(reference, Article) or reference.template == GenericArticle.name:
            continue
        html = decoded(name)
        for reader, read in readers.items():
            scores[reader].add(reference, read(html, url_of(name)))
    print("| reader | pages read | body recall | body precision | paragraphs | title | date | source |")
    print("|---|---|---|---|---|---|---|---|")
    for reader, score in scores.items():
        print(score.row(reader))
    return 0


if __name__ == "__main__":
    sys.exit(main())
