"""Turn raw page bytes into text without trusting any declared charset.

People's Daily portal pages declare ``charset=GB2312`` whatever their bytes really are: older pages are
GBK/GB18030, newer and provincial ones are UTF-8. HTTP headers usually carry no charset, so requests
falls back to ISO-8859-1 and ``apparent_encoding`` guesses wrong on short pages. Chinese text in
GBK is practically never valid UTF-8, so a strict UTF-8 attempt followed by gb18030 (a superset of
GB2312 and GBK) decodes every page the sites serve.
"""

from __future__ import annotations

import codecs

UTF8 = "utf-8"
GB18030 = "gb18030"


def decode_html(raw: bytes) -> tuple[str, str]:
    """Decode page bytes as strict UTF-8, else gb18030; return ``(text, encoding)``.

    A leading byte-order mark is dropped. gb18030 decoding replaces undecodable bytes rather than
    failing, because one damaged character should not cost the whole article.
    """
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8) :]
    try:
        return raw.decode(UTF8), UTF8
    except UnicodeDecodeError:
        text = raw.decode(GB18030, errors="replace")
        # gb18030 has its own byte-order mark (0x84 0x31 0x95 0x33), which decodes to U+FEFF.
        return text.removeprefix("\ufeff"), GB18030
