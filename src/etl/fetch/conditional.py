"""Conditional GETs: ask for a 304 only when the page can be read again without its body.

The validators (ETag, Last-Modified and the sha256 of the body last archived) are what the warehouse
remembers of each URL; the caller reads them there and passes them in. A 304 carries no body, so
it is only asked for when the archive still holds an intact copy to re-parse, and that copy is put
back into the answer.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from etl.fetch.archive import ArchiveCorrupt, RawArchive
from etl.fetch.decoding import Undecodable, decode_html
from etl.fetch.fetcher import Fetcher
from etl.models import FetchResult, FetchStatus, Validators


def reusable_validators(known: Mapping[str, Validators], archive: RawArchive) -> dict[str, Validators]:
    """The validators worth sending: those whose body the archive holds intact. An entry that is
    missing or does not verify means an unconditional GET, whose answer replaces the entry."""
    return {url: v for url, v in known.items() if v.sha256 and archive.has(v.sha256)}


def with_archived_body(fetch: FetchResult, sent: Validators | None, archive: RawArchive) -> FetchResult:
    """A 304 answer with the body archived when the page was last downloaded (`sent`: the validators
    the request carried); any other answer as it is.

    A copy that was damaged since it was checked, or that no longer decodes, makes the page a fetch
    failure (never a crashed batch); a damaged entry no longer verifies, so the next run downloads
    the page unconditionally and archives it afresh.
    """
    if fetch.status is not FetchStatus.NOT_MODIFIED or sent is None or not sent.sha256:
        return fetch
    try:
        decoded = decode_html(archive.get(sent.sha256))
    except KeyError:
        return fetch  # gone since it was checked: a failure saying there is nothing to re-parse
    except (ArchiveCorrupt, Undecodable) as exc:
        reason = " ".join(f"not modified, but {exc}; the next run downloads it again".split())
        return replace(fetch, status=FetchStatus.FAILED, error=reason)
    return replace(
        fetch,
        text=decoded.text,
        encoding=decoded.encoding,
        decode_errors=decoded.replaced,
        sha256=sent.sha256,
    )


def fetch_conditionally(
    fetcher: Fetcher,
    urls: Sequence[str],
    known: Mapping[str, Validators],
    archive: RawArchive,
    *,
    refresh: bool = False,
    missing_ok: bool = False,
) -> list[FetchResult]:
    """Fetch `urls` (results in order), conditionally where `known` has validators the archive can
    back; an unchanged page comes back with its archived text. `refresh` downloads everything;
    `missing_ok` says a 404 is an answer the caller expects (logged as information)."""
    sent = {} if refresh else reusable_validators(known, archive)
    results = fetcher.fetch_many(list(urls), sent, refresh=refresh, missing_ok=missing_ok)
    return [with_archived_body(result, sent.get(result.url), archive) for result in results]
