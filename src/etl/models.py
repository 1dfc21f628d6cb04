"""Small typed records that flow between the stages.

discover -> fetch -> parse -> clean -> extract -> load. Every stage takes and returns these
records; none of them holds a connection, a session or a file handle, so each stage is a pure
function that tests can call on fixtures.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

# Seconds a run waits for another process to release the warehouse before it gives up (--lock-wait):
# the default of the run options and of every loader connection.
LOCK_WAIT_SECONDS = 60.0


class PageKind(StrEnum):
    """What a URL points at; decides which parser family handles the page."""

    EPAPER_LAYOUT = "epaper_layout"  # 版面: node_NN.html / nbs.D110000renmrb_NN.htm
    EPAPER_ARTICLE = "epaper_article"  # content_N.html / nw.D110000renmrb_…htm
    PORTAL_ARTICLE = "portal_article"  # …/n1/YYYY/MMDD/cNODE-ID.html
    PORTAL_LISTING = "portal_listing"  # sitemap index, channel news sitemap, channel list page


class FetchStatus(StrEnum):
    OK = "ok"
    NOT_MODIFIED = "not_modified"  # 304 to a conditional GET: nothing to re-parse
    NOT_FOUND = "not_found"  # 404/410: final (ends e-paper page probing)
    DISALLOWED = "disallowed"  # robots.txt or host allow-list said no
    FAILED = "failed"  # retries exhausted, too large, bad content type, ...


@dataclass(frozen=True, slots=True)
class PageRef:
    """A page to fetch, with what discovery already knows about it."""

    url: str
    kind: PageKind
    issue_date: dt.date | None = None
    page_no: int | None = None  # e-paper 版次
    page_name: str | None = None  # e-paper 版名 (要闻, 评论, ...)
    title_hint: str | None = None  # link text on the layout page
    editors: tuple[str, ...] = ()  # the 版面's 本版责编, for articles that do not name their own


@dataclass(frozen=True, slots=True)
class Validators:
    """What the warehouse remembers of an earlier fetch, for conditional GETs."""

    etag: str | None = None
    last_modified: str | None = None
    sha256: str | None = None


@dataclass(frozen=True, slots=True)
class FetchResult:
    url: str  # the URL asked for
    status: FetchStatus
    final_url: str | None = None  # after redirects
    http_status: int | None = None
    text: str | None = None  # decoded by us (UTF-8 or gb18030, by the bytes), never by requests
    encoding: str | None = None
    decode_errors: int = 0  # bytes of the body that did not decode and became U+FFFD
    sha256: str | None = None  # of the raw bytes; also the raw-archive key
    size: int | None = None
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    fetched_at: dt.datetime | None = None
    attempts: int = 0
    error: str | None = None  # one line, human readable, when status is not OK
    # The URL's own host is not one the run may fetch (a redirect's target refused is not this).
    host_not_allowed: bool = False


@dataclass(frozen=True, slots=True)
class LayoutEntry:
    """One article link on an e-paper 版面 page."""

    url: str  # absolute
    title: str


@dataclass(frozen=True, slots=True)
class LayoutPage:
    """A parsed e-paper 版面 page."""

    url: str
    issue_date: dt.date | None
    page_no: int | None
    page_name: str | None
    entries: tuple[LayoutEntry, ...]
    page_urls: tuple[str, ...] = ()  # every 版面 of the day, from the page switcher
    pdf_url: str | None = None
    template: str = ""
    editors: tuple[str, ...] = ()  # from the 本版责编 credit line listed among the entries


@dataclass(frozen=True, slots=True)
class Paragraph:
    text: str
    is_subhead: bool = False  # 小标题 inside the body, kept and marked


@dataclass(frozen=True, slots=True)
class Image:
    position: int  # 0-based order within the article
    src: str  # absolute URL
    caption: str | None = None  # cleaned caption without the credit
    credit: str | None = None  # "人民网记者 王初摄", "宝兴居民区供图"


@dataclass(frozen=True, slots=True)
class Article:
    url: str  # canonical URL (first page of a multi-page article)
    title: str
    # parser that produced it: portal_2016, portal_2020, portal_classic, epaper_new, epaper_old
    template: str
    pre_title: str | None = None  # 引题
    subtitle: str | None = None  # 副题
    published_at: dt.datetime | None = None  # naive, Asia/Shanghai wall time
    source: str | None = None  # 来源
    authors: tuple[str, ...] = ()  # byline (本报记者 …)
    editors: tuple[str, ...] = ()  # 责编
    page_no: int | None = None  # e-paper 版次
    page_name: str | None = None
    paragraphs: tuple[Paragraph, ...] = ()
    images: tuple[Image, ...] = ()
    next_pages: tuple[str, ...] = ()  # absolute URLs of …-2.html, …-3.html still to fetch
    content_id: str | None = None

    @property
    def body_text(self) -> str:
        """The cleaned body as stored: paragraphs joined by a newline (offsets index into this)."""
        return "\n".join(p.text for p in self.paragraphs)


class Qualifier(StrEnum):
    EXACT = "exact"
    APPROX = "approx"
    GT = "gt"
    LT = "lt"


@dataclass(frozen=True, slots=True)
class Indicator:
    value: float
    unit: str
    qualifier: Qualifier
    metric: str
    raw: str  # the original text of number and unit, e.g. "5150.6万标箱"
    sentence: str
    char_start: int  # span of `raw` in the text it was extracted from
    char_end: int
    period: str | None = None  # "2024", "2025-H1", "2025-Q1-Q3", "2025-09", "2024-M01-M10"
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    region: str | None = None
    source: str = "body"  # "body" or "caption"
    image_position: int | None = None  # set when source == "caption"
    measure: str = "level"  # level | growth | change | share | completion (docs/indicators.md, v2)
    basis: str = ""  # yoy | mom | base | "" : what a growth or change compares with
    province: str | None = None  # province-level unit containing `region`; 全国 for national figures


# The reason the fetch stage gives for a URL outside the allowed hosts ("host not allowed: <host>").
# Such a page is recorded with Retry.NEVER; the text also lets old failure rows be classified.
HOST_NOT_ALLOWED = "host not allowed"
# HTTP statuses that say a page does not exist: final for this run (they end the 版面 probe) and
# recorded with Retry.GONE.
NOT_FOUND_STATUSES = frozenset({404, 410})


class FailureStage(StrEnum):
    """Where a page stopped (stored as the value in `failures.stage`)."""

    FETCH = "fetch"  # no body: HTTP error, refusal, timeout, undecodable bytes, archive trouble
    PARSE = "parse"  # no template or generic reading, empty after cleaning, an error page
    EXTRACT = "extract"  # the extractor refused the text or failed on it
    LOAD = "load"  # a suspicious change held back, or a warehouse that refused the batch
    PENDING = "pending"  # named to an ingest run that has not dealt with it yet


class Retry(StrEnum):
    """What the next runs do about a failure, decided where it happens (stored in `failures.retry`)."""

    TRANSIENT = "transient"  # may pass by itself: retried by the following runs, up to a limit
    GONE = "gone"  # the server said 404/410: it may still appear (an issue published late), so a
    # few more tries only
    NEVER = "never"  # cannot load by itself (a host nobody named): listed, never retried


@dataclass(frozen=True, slots=True)
class Failure:
    """A page that did not make it, and why. Stored, listed by `etl failures`, retried next run."""

    url: str
    stage: FailureStage
    reason: str
    http_status: int | None = None
    attempts: int = 0
    kind: PageKind | None = None
    retry: Retry = Retry.TRANSIENT


@dataclass(frozen=True, slots=True)
class FetchedLayout:
    """A 版面 as asked for, fetched and read: what the 版面 probe (etl.discover.LayoutProbe) steps on.
    A 200 page that only says it does not exist comes as the NOT_FOUND fetch it stands for."""

    ref: PageRef
    fetch: FetchResult
    page: LayoutPage | Failure


@dataclass(slots=True)
class ProcessedArticle:
    """An article ready to load: the parsed record, its indicators, and when its page was fetched."""

    article: Article
    indicators: list[Indicator] = field(default_factory=list)
    fetched_at: dt.datetime | None = None
    # Digest of the one page it was read from and of what the 版面 page said about it
    # (compose.source_digest); None when continuation pages were merged in.
    source_digest: str | None = None


@dataclass(frozen=True, slots=True)
class SourceVersions:
    """What an article was made from: its source (the page body's sha256 and what the 版面 page
    said about it, as one digest) and the parser and extractor versions that read it. A page whose
    versions are all as stored needs no reading again."""

    source: str | None
    parser_version: str | None
    extractor_version: str | None


@dataclass(frozen=True, slots=True)
class ArchivedPage:
    """A fetched page whose raw body the archive keeps, as the `pages` table records it: enough to
    read the body again and parse it as the run that fetched it did (links resolve against
    `final_url`, and the encoding it was decoded with breaks a tie again)."""

    url: str
    kind: PageKind
    sha256: str
    final_url: str | None = None
    encoding: str | None = None
    fetched_at: dt.datetime | None = None


@dataclass(frozen=True, slots=True)
class ArchivedArticle:
    """One article to re-read from the archive: its first page with what discovery knew about it
    (the 版面's page number, name and editors for an e-paper article), and the archived pages its
    continuation links may name."""

    ref: PageRef
    first: ArchivedPage
    continuations: tuple[ArchivedPage, ...] = ()
