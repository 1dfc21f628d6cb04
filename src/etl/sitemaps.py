"""Discovery of 人民网 portal articles: the sitemap index, its per-channel news sitemaps, and channel
list pages as the fallback. Part of the discover stage; pure functions over fetched text.

The portal publishes `http://www.people.cn/sitemap_index.xml` (declared in its robots.txt), whose
children are `…/sitemap/cn/<channel>/news_sitemap.xml` with `<url><loc>…</loc><lastmod>…</lastmod>`
entries; the index lists some channels twice. www asks for a Crawl-delay of 120 s, so a run reads
the index and the sitemaps of the channels it follows once; the article pages live on the channel
subdomains, each with its own delay, and are crawled in parallel by the fetch stage.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import urljoin
from zoneinfo import ZoneInfo

from bs4 import BeautifulSoup
from lxml import etree

from etl.models import PageKind
from etl.urls import canonical_article_url, classify_url, sitemap_channel, source_key

DEFAULT_SITEMAP_INDEX = "http://www.people.cn/sitemap_index.xml"
# Channels followed when none are named: the national news channels. Each costs one sitemap read
# on www (120 s Crawl-delay), so an hourly run follows a handful, not all ~76.
DEFAULT_CHANNELS = ("politics", "world", "finance", "society", "legal", "opinion", "scitech", "culture")
# Channel list pages, read when the sitemap index cannot be: /GB/<node>/index.html of the channel's
# news list (politics 高层动态 1024, world 157278, opinion 人民网评 223228; finance lists its own
# article node, 1004).
CHANNEL_LIST_PAGES = {
    "politics": "http://politics.people.com.cn/GB/1024/index.html",
    "world": "http://world.people.com.cn/GB/157278/index.html",
    "opinion": "http://opinion.people.com.cn/GB/223228/index.html",
    "finance": "http://finance.people.com.cn/GB/1004/index.html",
}
# Sitemap entries without a zone are Beijing time.
BEIJING = ZoneInfo("Asia/Shanghai")
# Sitemaps past this many entries are cut: a news sitemap lists the last days, a few thousand URLs.
MAX_SITEMAP_ENTRIES = 50_000

_XML_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, recover=True, huge_tree=False)


@dataclass(frozen=True, slots=True)
class SitemapEntry:
    url: str
    lastmod: dt.datetime | None = None  # aware


@dataclass(frozen=True, slots=True)
class Sitemap:
    """A parsed sitemap file: an index of other sitemaps, or a set of page URLs."""

    is_index: bool
    entries: tuple[SitemapEntry, ...]


def read_sitemap(text: str) -> Sitemap:
    """Parse a sitemap or sitemap index (any namespace, entities never resolved); an unreadable file
    reads as an empty urlset."""
    try:
        root = etree.fromstring(text.lstrip().encode("utf-8"), parser=_XML_PARSER)
    except (etree.XMLSyntaxError, ValueError):
        return Sitemap(is_index=False, entries=())
    if root is None:
        return Sitemap(is_index=False, entries=())
    is_index = etree.QName(root).localname == "sitemapindex"
    item = "sitemap" if is_index else "url"
    entries: dict[str, SitemapEntry] = {}
    for node in root.iter():
        if not isinstance(node.tag, str) or etree.QName(node).localname != item:
            continue
        loc = lastmod = ""
        for child in node:
            if not isinstance(child.tag, str):
                continue
            name = etree.QName(child).localname
            if name == "loc":
                loc = (child.text or "").strip()
            elif name == "lastmod":
                lastmod = (child.text or "").strip()
        if loc.startswith(("http://", "https://")) and loc not in entries:
            entries[loc] = SitemapEntry(loc, parse_lastmod(lastmod))
        if len(entries) >= MAX_SITEMAP_ENTRIES:
            break
    return Sitemap(is_index=is_index, entries=tuple(entries.values()))


def parse_lastmod(text: str) -> dt.datetime | None:
    """W3C datetime ("2025-09-03", "2025-09-03T08:15:00+08:00", "…Z"); no zone means Beijing time."""
    value = text.strip().replace(" ", "T", 1)
    if not value:
        return None
    try:
        when = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo is not None else when.replace(tzinfo=BEIJING)


def channel_sitemaps(index: Sitemap, channels: Iterable[str] | None) -> list[str]:
    """The index's sitemaps for the channels followed (all of them when `channels` is None), each once."""
    wanted = {c.lower() for c in channels} if channels is not None else None
    found: dict[str, str] = {}
    for entry in index.entries:
        channel = sitemap_channel(entry.url)
        if wanted is None or channel in wanted:
            found.setdefault(channel or entry.url, entry.url)
    return list(found.values())


def new_articles(entries: Iterable[SitemapEntry], since: dt.datetime | None) -> list[str]:
    """Portal article URLs modified after `since` (entries without a lastmod are kept), in order, one
    per article whatever channel lists it."""
    seen: set[str] = set()
    urls: list[str] = []
    for entry in entries:
        if since is not None and entry.lastmod is not None and entry.lastmod <= since:
            continue
        url = canonical_article_url(entry.url)
        if classify_url(url) is not PageKind.PORTAL_ARTICLE:
            continue
        key = source_key(url)
        if key not in seen:
            seen.add(key)
            urls.append(url)
    return urls


def list_page_articles(html: str, page_url: str) -> list[str]:
    """Portal article links on a channel list page, in page order, each once."""
    soup = BeautifulSoup(html, "lxml")
    found: list[str] = []
    for link in soup.select("a[href]"):
        href = str(link.get("href") or "").strip()
        try:
            url = canonical_article_url(urljoin(page_url, href))
        except ValueError:  # a malformed link costs that link only
            continue
        if classify_url(url) is PageKind.PORTAL_ARTICLE and url not in found:
            found.append(url)
    return found


def list_pages_for(channels: Sequence[str]) -> list[str]:
    return [CHANNEL_LIST_PAGES[c] for c in channels if c in CHANNEL_LIST_PAGES]
