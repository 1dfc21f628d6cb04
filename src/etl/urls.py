"""What a People's Daily URL means, and the rest of the URL grammar the ETL relies on: pure functions
that never raise, whatever text they are given.

The site's URL patterns (the e-paper's old and new schemes, the portal's n1/n2 numbering) are known
here and nowhere else: what kind of page a URL is (``classify_url``), the date it carries
(``date_from_url``), the content id it names (``content_id_of``) and the key an article or 版面 is
stored under whatever host served it (``source_key``), the first page of a paginated portal article
(``canonical_article_url``, ``continuation_page``), the 版面 URL of a day (``epaper_layout_url``),
the channel a sitemap covers (``sitemap_channel``), the same URL on a mirror (``on_mirror``) and, the
other way round, the live site's URL of a page a mirror served (``live_url``).

Credentials in a URL (``http://user:pw@host/…``) are for the request only. ``split_credentials``
separates the URL the ETL stores, logs and keys rows on (``http://host/…``, identical whether or not
credentials were given) from the ``Credentials`` the fetcher sends to that origin alone.
The userinfo is cut out of the text as written, without re-assembling the URL, so nothing else in
it changes.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit, urlunsplit

from etl.models import PageKind, PageRef

_DEFAULT_PORTS = {"http": 80, "https": 443}

# The authority of a URL at the start of a string: what follows "scheme://" up to the path, read
# as urllib3 (and so requests) reads it, a backslash included among the characters that end it.
_AUTHORITY = re.compile(r"^\s*(?:[A-Za-z][A-Za-z0-9+.\-]*:)?//(?P<authority>[^/?#\\]*)")
# Userinfo of any URL inside free text (error messages, headers): the greedy run stops at the last
# "@" before the path, as URL parsers read it (a password may hold an unescaped "@").
_USERINFO_IN_TEXT = re.compile(r"(?P<scheme>[A-Za-z][A-Za-z0-9+.\-]*://)[^\s/?#\\@]*(?:@[^\s/?#\\@]*)*@")


@dataclass(frozen=True, slots=True)
class Credentials:
    """HTTP Basic credentials for one origin (``scheme://host:port``); the password never shows in
    a repr, so a logged config or traceback cannot reveal it."""

    origin: str
    username: str
    password: str = field(repr=False)


def origin(url: str) -> str:
    """``scheme://host:port`` of ``url`` (lower-case, default port filled in); "" when it has none."""
    try:
        parts = urlsplit(url.strip())
        scheme = parts.scheme.lower()
        host = (parts.hostname or "").rstrip(".").lower()
        port = parts.port or _DEFAULT_PORTS.get(scheme)
    except ValueError:  # a port that is not a number, an unbalanced "[" ...
        return ""
    if not scheme or not host or port is None:
        return ""
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    return f"{scheme}://{host}:{port}"


def split_credentials(url: str) -> tuple[str, Credentials | None]:
    """``url`` without its ``user:password@``, and the credentials it carried (percent-decoded).

    A URL without userinfo comes back unchanged with None.
    """
    m = _AUTHORITY.match(url)
    if m is None or "@" not in m.group("authority"):
        return url, None
    userinfo, _, host_port = m.group("authority").rpartition("@")
    bare = url[: m.start("authority")] + host_port + url[m.end("authority") :]
    username, _, password = userinfo.partition(":")
    return bare, Credentials(origin(bare), unquote(username), unquote(password))


def redact_url(url: str) -> str:
    """``url`` as it may be stored and logged: without userinfo."""
    return split_credentials(url)[0]


def redact_text(text: str) -> str:
    """``text`` with the userinfo of every URL in it removed (for error messages and log lines)."""
    return _USERINFO_IN_TEXT.sub(r"\g<scheme>", text)


def parse_credentials_list(text: str) -> tuple[tuple[Credentials, ...], tuple[str, ...]]:
    """Credentials from whitespace-separated ``scheme://user:password@host[:port]`` entries.

    Returns the credentials and a description of each entry that names no user or no origin
    ("entry 2 (http://host:80)"): never the entry itself, which may hold a password in a form that
    is not a URL.
    """
    found: list[Credentials] = []
    rejected: list[str] = []
    for number, entry in enumerate(text.split(), start=1):
        bare, credentials = split_credentials(entry)
        if credentials is None or not credentials.origin or not credentials.username:
            where = origin(bare)
            rejected.append(f"entry {number} ({where})" if where else f"entry {number}")
        else:
            found.append(credentials)
    return tuple(found), tuple(rejected)


def host_of(url: str) -> str:
    """The lower-cased host name of ``url`` without a trailing dot; "" if it has none or is malformed."""
    try:
        return (urlsplit(url).hostname or "").rstrip(".").lower()
    except ValueError:  # e.g. an unbalanced "[" of an IPv6 literal
        return ""


def path_of(url: str) -> str:
    """The path of `url`, or "" when it cannot be split (an unbalanced IPv6 "[", a host with
    characters that NFKC-normalise to URL delimiters, like a full-width ＃)."""
    try:
        return urlsplit(url).path
    except ValueError:
        return ""


def on_mirror(url: str, mirror: str | None) -> str:
    """`url` served from `mirror` (scheme and host of a copy of the site), path kept."""
    if not mirror:
        return url
    base, parts = urlsplit(mirror), urlsplit(url)
    return urlunsplit((base.scheme, base.netloc, parts.path, parts.query, ""))


# --- People's Daily URLs -------------------------------------------------------------------------

DEFAULT_EPAPER_BASE = "http://paper.people.com.cn"
# Where a portal path is published when the page came from a copy: the channel host (finance.,
# zj. …) is not part of the path, www is the portal's own host.
PORTAL_BASE = "http://www.people.com.cn"
# The hosts of the live site: people.com.cn, people.cn and their subdomains.
_LIVE_HOST = re.compile(r"(?:^|\.)people\.(?:com\.)?cn$")

# The e-paper's URL scheme changed on this day (/rmrb/html/…nbs.htm -> /rmrb/pc/layout/…node_NN.html).
NEW_EPAPER_SCHEME_SINCE = dt.date(2024, 12, 1)

# Page shapes, matched against the path only (hosts vary: mirrors, saved copies).
_EPAPER_NEW_LAYOUT = re.compile(r"/rmrb(?:hwb)?/(?:pc|pad)/layout/(\d{6})/(\d{2})/node_(\d{2})\.html$")
_EPAPER_NEW_CONTENT = re.compile(r"/rmrb(?:hwb)?/(?:pc|pad)/content/(\d{6})/(\d{2})/content_\d+\.html$")
_EPAPER_OLD_LAYOUT = re.compile(r"/rmrb/html/(\d{4})-(\d{2})/(\d{2})/nbs\.D110000renmrb_(\d{2})\.htm$")
_EPAPER_OLD_CONTENT = re.compile(r"/rmrb/html/\d{4}-\d{2}/\d{2}/nw\.D110000renmrb_(\d{8})_\d+-(\d{2})\.htm$")
_PORTAL_ARTICLE = re.compile(r"/n[123]?/(\d{4})/(\d{2})(\d{2})/c\d+-\d+(?:-\d+)?\.html$")

# Content ids, and the numbering each belongs to. An article is stored under its id within its
# numbering (source_key), so these shapes are narrow: a looser match could merge two articles.
_EPAPER_NEW_CONTENT_ID = re.compile(r"/(rmrb(?:hwb)?)/(?:pc|pad)/content/\d{6}/\d{2}/content_(\d+)\.html$")
# The old id is the issue date, the article's place on its page and the page: "20190301_3-04" of
# nw.D110000renmrb_20190301_3-04.htm (the D110000renmrb prefix names the paper, the same on every page).
_EPAPER_OLD_CONTENT_ID = re.compile(r"/nw\.D110000renmrb_(\d{8}_\d+-\d{2})\.htm$")
# n1 (national channels) and n2 (provincial, "L_" ids in the page meta) number their content apart.
_PORTAL_CONTENT_ID = re.compile(r"/(n[123]?)/\d{4}/\d{4}/c\d+-(\d+)(?:-\d+)?\.html$")

# Looser shapes the parsers accept for the content id of a page whose URL is not a key of its own
# (a saved copy renamed .htm, a special-topic path, another paper's old e-paper): the id only.
_ANY_EPAPER_CONTENT_ID = re.compile(r"content_(\d+)\.html?$")
_ANY_EPAPER_OLD_CONTENT_ID = re.compile(r"nw\.D\d+[a-z]+_(\d{8}_\d+-\d+)\.htm", re.IGNORECASE)
_ANY_PORTAL_CONTENT_ID = re.compile(r"/c\d+-(\d+)(?:-\d+)?\.html?$")
# Classic portal article URLs of the 2000s–2012: /GB/<node>[/<node>…]/<content id>.html.
_PORTAL_GB_CONTENT_ID = re.compile(r"/GB/\d+(?:/\d+)*/(\d{5,})\.html?$")
_LOOSE_CONTENT_IDS = (
    _ANY_EPAPER_CONTENT_ID,
    _ANY_EPAPER_OLD_CONTENT_ID,
    _ANY_PORTAL_CONTENT_ID,
    _PORTAL_GB_CONTENT_ID,
)

# A portal article's page: …/c1004-40556677.html is page 1, …/c1004-40556677-2.html page 2.
_PORTAL_PAGE_SUFFIX = re.compile(r"^(?P<base>.+/c\d+-\d+)(?:-(?P<page>\d+))?\.html?$")
_PORTAL_CONTINUATION = re.compile(r"(/c\d+-\d+)-\d+\.html$")
# The 版面 number in an old e-paper article URL (…renmrb_20190301_3-04.htm is on page 04).
_EPAPER_OLD_PAGE = re.compile(r"renmrb_\d{8}_\d+-(\d{2})\.htm")

# Dates carried by the URL path, in the order they are tried.
_URL_DATES = (
    re.compile(r"/n\d?/(\d{4})/(\d{2})(\d{2})/"),  # portal /n1/2024/0424/
    re.compile(r"/(?:content|layout)/(\d{4})(\d{2})/(\d{2})/"),  # e-paper /content/202412/25/
    re.compile(r"/html/(\d{4})-(\d{2})/(\d{2})/"),  # old e-paper /html/2017-10/16/
    re.compile(r"renmrb_(\d{4})(\d{2})(\d{2})"),  # nw.D110000renmrb_20171016_1-01.htm
)

# A sitemap's channel: …/sitemap/cn/politics/news_sitemap.xml.
_SITEMAP_CHANNEL = re.compile(r"/sitemap/(?:[a-z]+/)?([a-z0-9_-]+)/[^/]*sitemap[^/]*\.xml$", re.IGNORECASE)


def epaper_layout_url(day: dt.date, page_no: int, base_url: str = DEFAULT_EPAPER_BASE) -> str:
    """URL of 版面 `page_no` of the issue of `day`, in the scheme the site used on that day."""
    base = base_url.rstrip("/")
    if day >= NEW_EPAPER_SCHEME_SINCE:
        return f"{base}/rmrb/pc/layout/{day:%Y%m}/{day:%d}/node_{page_no:02d}.html"
    return f"{base}/rmrb/html/{day:%Y-%m}/{day:%d}/nbs.D110000renmrb_{page_no:02d}.htm"


def classify_url(url: str) -> PageKind | None:
    """What kind of page a URL is, judged from its path only (hosts vary: mirrors, saved copies)."""
    path = path_of(url)
    if _EPAPER_NEW_LAYOUT.search(path) or _EPAPER_OLD_LAYOUT.search(path):
        return PageKind.EPAPER_LAYOUT
    if _EPAPER_NEW_CONTENT.search(path) or _EPAPER_OLD_CONTENT.search(path):
        return PageKind.EPAPER_ARTICLE
    if _PORTAL_ARTICLE.search(path):
        return PageKind.PORTAL_ARTICLE
    return None


def _date(year: str, month: str, day: str) -> dt.date | None:
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None


def date_from_url(url: str) -> dt.date | None:
    """The date a URL's path carries (portal /n1/2024/0424/, e-paper /202412/25/ or /2017-10/16/), or
    None; a full URL or a bare path may be given."""
    for rx in _URL_DATES:
        m = rx.search(url)
        if m:
            return _date(*m.groups())
    return None


def canonical_article_url(url: str) -> str:
    """First-page URL of a paginated portal article (…c1004-40556677-2.html -> …c1004-40556677.html);
    a URL that cannot be split is returned as it is."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    path = _PORTAL_CONTINUATION.sub(r"\1.html", parts.path)
    return urlunsplit((parts.scheme, parts.netloc, path, parts.query, ""))


def continuation_page(url: str) -> tuple[str, int] | None:
    """The article a portal page belongs to (its URL up to the content id) and the page's number (1 for
    …c1004-40556677.html, 2 for …-2.html); None for a URL that is not a portal article page."""
    m = _PORTAL_PAGE_SUFFIX.match(url)
    if m is None:
        return None
    return m.group("base"), int(m.group("page") or 1)


def epaper_old_page_no(url: str) -> int | None:
    """The 版面 number of an old e-paper article URL (…renmrb_20190301_3-04.htm -> 4)."""
    m = _EPAPER_OLD_PAGE.search(url)
    return int(m.group(1)) if m else None


def _keyed_content_id(path: str) -> tuple[str, str] | None:
    """The numbering ("epaper:rmrb", "epaper-old", "portal:n1" …) and content id of an article path."""
    if m := _EPAPER_NEW_CONTENT_ID.search(path):
        return f"epaper:{m.group(1)}", m.group(2)
    if m := _EPAPER_OLD_CONTENT_ID.search(path):
        return "epaper-old", m.group(1)
    if m := _PORTAL_CONTENT_ID.search(path):
        return f"portal:{m.group(1)}", m.group(2)
    return None


def content_id_of(url: str) -> str | None:
    """The content id a URL names, in the one form the ETL stores: the e-paper's number
    ("30048054"), the old e-paper's date, place and page ("20190301_3-04"), the portal's number
    ("40223222"); the id inside `source_key` whenever the URL is keyed by one. None if it names none."""
    path = path_of(url)
    if keyed := _keyed_content_id(path):
        return keyed[1]
    for rx in (
        _ANY_EPAPER_CONTENT_ID,
        _ANY_EPAPER_OLD_CONTENT_ID,
        _ANY_PORTAL_CONTENT_ID,
        _PORTAL_GB_CONTENT_ID,
    ):
        if m := rx.search(path):
            return m.group(1)
    return None


def source_key(url: str) -> str:
    """What identifies an article or a 版面 whatever host or port served it: the e-paper's content id
    or date and page, the portal's content id within its numbering (n1 national, n2 provincial; one
    story is often published in several national channels under one id), else the
    URL itself. A mirror, a saved copy and the live site therefore load as one article.

    Article ids are hashes of this key: its output for a URL must never change, or a re-run would
    load that article a second time."""
    path = path_of(url)
    if keyed := _keyed_content_id(path):
        return f"{keyed[0]}:{keyed[1]}"
    if m := _EPAPER_NEW_LAYOUT.search(path):
        return f"epaper-page:{m.group(1)}{m.group(2)}:{m.group(3)}"
    if m := _EPAPER_OLD_LAYOUT.search(path):
        return f"epaper-page:{m.group(1)}{m.group(2)}{m.group(3)}:{m.group(4)}"
    return canonical_article_url(url)


def live_url(url: str) -> str | None:
    """The live site's URL of an article, whatever host served it: a URL on people.com.cn or
    people.cn is its own (first page, no fragment); an e-paper path from a mirror or saved copy is
    put on paper.people.com.cn, a portal path on www.people.com.cn (`PORTAL_BASE`). None for a page
    on another host whose path is not the paper's.

    warehouse/migrations/008_analyst_warehouse.sql computes the same for rows loaded before the
    column existed; tests/test_warehouse_urls.py holds the two to each other."""
    try:
        parts = urlsplit(canonical_article_url(url.strip()))
    except ValueError:
        return None
    host = (parts.hostname or "").rstrip(".").lower()
    if parts.scheme.lower() not in ("http", "https") or not host:
        return None
    if _LIVE_HOST.search(host):
        return urlunsplit((parts.scheme.lower(), host, parts.path, parts.query, ""))
    kind = classify_url(url)
    if kind in (PageKind.EPAPER_ARTICLE, PageKind.EPAPER_LAYOUT):
        return f"{DEFAULT_EPAPER_BASE}{parts.path}"
    if kind is PageKind.PORTAL_ARTICLE:
        return f"{PORTAL_BASE}{parts.path}"
    return None


def ref_for_url(url: str) -> PageRef:
    """A PageRef for an explicitly named URL (`etl ingest`, a failure retried); unknown shapes are
    tried as portal pages."""
    kind = classify_url(url) or PageKind.PORTAL_ARTICLE
    return PageRef(url, kind, issue_date=date_from_url(path_of(url)))


def sitemap_channel(sitemap_url: str) -> str | None:
    """`…/sitemap/cn/politics/news_sitemap.xml` -> "politics"."""
    m = _SITEMAP_CHANNEL.search(path_of(sitemap_url))
    return m.group(1).lower() if m else None


def epaper_layout_page_no(url: str) -> int | None:
    """The 版面 number of an e-paper 版面 URL (…/node_03.html, …/nbs.D110000renmrb_03.htm -> 3)."""
    path = path_of(url)
    if m := _EPAPER_NEW_LAYOUT.search(path):
        return int(m.group(3))
    if m := _EPAPER_OLD_LAYOUT.search(path):
        return int(m.group(4))
    return None
