"""URL grammar the ETL relies on: pure functions that never raise, whatever text they are given.

Credentials in a URL (``http://user:pw@host/…``) are for the request only. ``split_credentials``
separates the URL the ETL stores, logs and keys rows on (``http://host/…``, identical whether or not
credentials were given) from the ``Credentials`` the fetcher sends to that origin alone.
The userinfo is cut out of the text as written, without re-assembling the URL, so nothing else in
it changes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

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
