"""Discovery: which URLs to fetch for a day of the e-paper, and what an arbitrary URL is.

Pure functions. The e-paper has no index we can trust for past days, so 版面 URLs are built from the
date (NN = 01, 02, ... until a 404) and article links come from each parsed 版面 page.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import replace
from urllib.parse import urlsplit, urlunsplit

from etl.models import LayoutPage, PageKind, PageRef

# One reading of the dates URLs carry, shared with the parsers (they fall back on it too).
from etl.parse.patterns import RX_CREDIT_ENTRY, date_from_url

DEFAULT_EPAPER_BASE = "http://paper.people.com.cn"

# The URL scheme changed on this day (/rmrb/html/…nbs.htm -> /rmrb/pc/layout/…node_NN.html).
NEW_EPAPER_SCHEME_SINCE = dt.date(2024, 12, 1)

# A 版面 number is two digits; no issue has come close to 99 pages, so this only stops a runaway probe.
# It also bounds the 版面 of one day reached through page switchers.
MAX_EPAPER_PAGES = 60

# Caps on what one hostile or broken page can make a run fetch. A real 版面 lists about 30 entries
# and a long portal article a handful of continuation pages; beyond these, the page is not one we
# understand, and following it would cost a request (and usually a failure row retried by every
# later run) per link.
MAX_ENTRIES_PER_LAYOUT = 200
MAX_CONTINUATION_PAGES = 20

_AD_PAGE = re.compile(r"广告")

_EPAPER_NEW_LAYOUT = re.compile(r"/rmrb(?:hwb)?/(?:pc|pad)/layout/(\d{6})/(\d{2})/node_(\d{2})\.html$")
_EPAPER_NEW_CONTENT = re.compile(r"/rmrb(?:hwb)?/(?:pc|pad)/content/(\d{6})/(\d{2})/content_\d+\.html$")
_EPAPER_OLD_LAYOUT = re.compile(r"/rmrb/html/(\d{4})-(\d{2})/(\d{2})/nbs\.D110000renmrb_(\d{2})\.htm$")
_EPAPER_OLD_CONTENT = re.compile(r"/rmrb/html/\d{4}-\d{2}/\d{2}/nw\.D110000renmrb_(\d{8})_\d+-(\d{2})\.htm$")
_EPAPER_NEW_CONTENT_ID = re.compile(r"/(rmrb(?:hwb)?)/(?:pc|pad)/content/\d{6}/\d{2}/content_(\d+)\.html$")
_EPAPER_OLD_CONTENT_ID = re.compile(r"/nw\.D110000renmrb_(\d{8}_\d+-\d{2})\.htm$")
# n1 (national channels) and n2 (provincial, "L_" ids in the page meta) number their content apart.
_PORTAL_CONTENT_ID = re.compile(r"/(n[123]?)/\d{4}/\d{4}/c\d+-(\d+)(?:-\d+)?\.html$")
_PORTAL_ARTICLE = re.compile(r"/n[123]?/(\d{4})/(\d{2})(\d{2})/c\d+-\d+(?:-\d+)?\.html$")


def epaper_layout_url(day: dt.date, page_no: int, base_url: str = DEFAULT_EPAPER_BASE) -> str:
    """URL of 版面 `page_no` of the issue of `day`, in the scheme the site used on that day."""
    base = base_url.rstrip("/")
    if day >= NEW_EPAPER_SCHEME_SINCE:
        return f"{base}/rmrb/pc/layout/{day:%Y%m}/{day:%d}/node_{page_no:02d}.html"
    return f"{base}/rmrb/html/{day:%Y-%m}/{day:%d}/nbs.D110000renmrb_{page_no:02d}.htm"


def epaper_layout_refs(day: dt.date, base_url: str = DEFAULT_EPAPER_BASE) -> list[PageRef]:
    """Every 版面 URL worth probing for `day`, in order; the caller stops at the first 404."""
    return [
        PageRef(epaper_layout_url(day, n, base_url), PageKind.EPAPER_LAYOUT, issue_date=day, page_no=n)
        for n in range(1, MAX_EPAPER_PAGES + 1)
    ]


def capped_entries(layout: LayoutPage) -> tuple[LayoutPage, int]:
    """The 版面 with at most MAX_ENTRIES_PER_LAYOUT entries (in page order), and how many were cut."""
    dropped = len(layout.entries) - MAX_ENTRIES_PER_LAYOUT
    if dropped <= 0:
        return layout, 0
    return replace(layout, entries=layout.entries[:MAX_ENTRIES_PER_LAYOUT]), dropped


def switcher_urls_of_day(layout: LayoutPage, day: dt.date | None) -> list[str]:
    """The 版面 URLs of `layout`'s page switcher that belong to `day`: a switcher that lists other
    days (an archive calendar, a broken template) must not walk the crawl into them."""
    if day is None:
        return []
    return [url for url in dict.fromkeys(layout.page_urls) if date_from_url(_path_of(url)) == day]


def is_ad_page(layout: LayoutPage) -> bool:
    return bool(layout.page_name and _AD_PAGE.search(layout.page_name))


def is_credit_entry(title: str) -> bool:
    return bool(RX_CREDIT_ENTRY.search(title))


def article_refs(layouts: Iterable[LayoutPage], day: dt.date | None = None) -> list[PageRef]:
    """Article pages to fetch from a day's parsed 版面 pages: no 广告 pages, no 责编 credit lines,
    each URL once (a story that jumps pages is linked from both)."""
    seen: set[str] = set()
    refs: list[PageRef] = []
    for layout in layouts:
        if is_ad_page(layout):
            continue
        for entry in layout.entries:
            if is_credit_entry(entry.title) or entry.url in seen:
                continue
            seen.add(entry.url)
            refs.append(
                PageRef(
                    entry.url,
                    PageKind.EPAPER_ARTICLE,
                    issue_date=layout.issue_date or day,
                    page_no=layout.page_no,
                    page_name=layout.page_name,
                    title_hint=entry.title,
                    editors=layout.editors,
                )
            )
    return refs


def _path_of(url: str) -> str:
    """The path of `url`, or "" when it cannot be split (an unbalanced IPv6 "[", a host with
    characters that NFKC-normalise to URL delimiters, like a full-width ＃)."""
    try:
        return urlsplit(url).path
    except ValueError:
        return ""


def classify_url(url: str) -> PageKind | None:
    """What kind of page a URL is, judged from its path only (hosts vary: mirrors, saved copies)."""
    path = _path_of(url)
    if _EPAPER_NEW_LAYOUT.search(path) or _EPAPER_OLD_LAYOUT.search(path):
        return PageKind.EPAPER_LAYOUT
    if _EPAPER_NEW_CONTENT.search(path) or _EPAPER_OLD_CONTENT.search(path):
        return PageKind.EPAPER_ARTICLE
    if _PORTAL_ARTICLE.search(path):
        return PageKind.PORTAL_ARTICLE
    return None


def ref_for_url(url: str) -> PageRef:
    """A PageRef for an explicitly named URL (`etl ingest`); unknown shapes are tried as portal pages."""
    kind = classify_url(url) or PageKind.PORTAL_ARTICLE
    return PageRef(url, kind, issue_date=date_from_url(_path_of(url)))


def canonical_article_url(url: str) -> str:
    """First-page URL of a paginated portal article (…c1004-40556677-2.html -> …c1004-40556677.html);
    a URL that cannot be split is returned as it is."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    path = re.sub(r"(/c\d+-\d+)-\d+\.html$", r"\1.html", parts.path)
    return urlunsplit((parts.scheme, parts.netloc, path, parts.query, ""))


def source_key(url: str) -> str:
    """What identifies an article or a 版面 whatever host or port served it: the e-paper's content id
    or date and page, the portal's content id within its numbering (n1 national, n2 provincial; one
    story is often published in several national channels under one id), else the
    URL itself. A mirror, a saved copy and the live site therefore load as one article."""
    path = _path_of(url)
    if m := _EPAPER_NEW_CONTENT_ID.search(path):
        return f"epaper:{m.group(1)}:{m.group(2)}"
    if m := _EPAPER_OLD_CONTENT_ID.search(path):
        return f"epaper-old:{m.group(1)}"
    if m := _PORTAL_CONTENT_ID.search(path):
        return f"portal:{m.group(1)}:{m.group(2)}"
    if m := _EPAPER_NEW_LAYOUT.search(path):
        return f"epaper-page:{m.group(1)}{m.group(2)}:{m.group(3)}"
    if m := _EPAPER_OLD_LAYOUT.search(path):
        return f"epaper-page:{m.group(1)}{m.group(2)}{m.group(3)}:{m.group(4)}"
    return canonical_article_url(url)
