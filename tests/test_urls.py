"""URL-level credential handling: split, redact, origins, and the operator's credentials setting."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from etl.config import CREDENTIALS_ENV, accept_url, http_credentials
from etl.urls import (
    Credentials,
    origin,
    parse_credentials_list,
    redact_text,
    redact_url,
    split_credentials,
)


def test_split_credentials_keeps_the_rest_of_the_url_as_written() -> None:
    bare, credentials = split_credentials("http://reader:pa%40ss@127.0.0.1:8080/n1/a.html?x=1#top")
    assert bare == "http://127.0.0.1:8080/n1/a.html?x=1#top"
    assert credentials == Credentials("http://127.0.0.1:8080", "reader", "pa@ss")


def test_split_credentials_reads_the_last_at_sign_as_the_end_of_userinfo() -> None:
    bare, credentials = split_credentials("https://reader:p@ss@Mirror.Example/x?")
    assert bare == "https://Mirror.Example/x?"
    assert credentials is not None
    assert (credentials.origin, credentials.username, credentials.password) == (
        "https://mirror.example:443",
        "reader",
        "p@ss",
    )


def test_a_url_without_userinfo_comes_back_unchanged() -> None:
    for url in ("http://host/a@b", "http://host/?q=a@b", "http://host", "not a url", ""):
        assert split_credentials(url) == (url, None)
        assert redact_url(url) == url


def test_the_password_never_shows_in_a_repr() -> None:
    _, credentials = split_credentials("http://reader:Tr0ub4dor@host/")
    assert "Tr0ub4dor" not in repr(credentials)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://Host.Example./a", "http://host.example:80"),
        ("https://host:8443/a", "https://host:8443"),
        ("http://u:p@[::1]:81/", "http://[::1]:81"),
        ("http://host:notaport/", ""),
        ("http://[::1", ""),
        ("//host/a", ""),
        ("ftp://host/a", ""),
        ("", ""),
    ],
)
def test_origin(url: str, expected: str) -> None:
    assert origin(url) == expected


@given(st.text())
def test_malformed_input_never_raises_and_never_keeps_userinfo(text: str) -> None:
    bare, credentials = split_credentials(text)
    assert redact_url(bare) == bare
    if credentials is None:
        assert bare == text
    origin(text)
    redact_text(text)


@given(st.text(alphabet=st.characters(blacklist_characters="/?#\\@", blacklist_categories=("Z", "C"))))
def test_any_password_is_cut_out_of_url_and_text(password: str) -> None:
    url = f"http://reader:{password}@127.0.0.1:8080/a.html"
    assert redact_url(url) == "http://127.0.0.1:8080/a.html"
    assert redact_text(f"GET {url} failed") == "GET http://127.0.0.1:8080/a.html failed"


def test_redact_text_removes_userinfo_from_every_url_in_a_message() -> None:
    message = "invalid URL http://reader:pw@host:x/a; Location: https://a:b@c@elsewhere/p, mail@x.org"
    assert redact_text(message) == "invalid URL http://host:x/a; Location: https://elsewhere/p, mail@x.org"


def test_parse_credentials_list_reports_bad_entries_without_their_password() -> None:
    found, rejected = parse_credentials_list(
        " https://reader:pw1@mirror.example\n http://other.example:8080 http://:pw2@nouser.example x "
    )
    assert found == (Credentials("https://mirror.example:443", "reader", "pw1"),)
    assert rejected == (
        "entry 2 (http://other.example:8080)",
        "entry 3 (http://nouser.example:80)",
        "entry 4",
    )


def test_credentials_setting_and_given_urls(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(CREDENTIALS_ENV, "https://ops:env-pw@mirror.example")
    assert Credentials("https://mirror.example:443", "ops", "env-pw") in http_credentials()
    assert accept_url("http://reader:given-pw@127.0.0.9:8080/a") == "http://127.0.0.9:8080/a"
    assert Credentials("http://127.0.0.9:8080", "reader", "given-pw") in http_credentials()

    monkeypatch.setenv(CREDENTIALS_ENV, "https://ops:env-pw@mirror.example mirror.example:secret-pw")
    with pytest.raises(ValueError) as error:
        http_credentials()
    message = str(error.value)
    assert CREDENTIALS_ENV in message and "\n" not in message
    assert "env-pw" not in message and "secret-pw" not in message
