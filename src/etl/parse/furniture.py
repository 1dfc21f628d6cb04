"""Page furniture that sits inside article bodies and must never be stored as an article photo.

Channels put their WeChat QR code (div.tjewm, "关注公众号：…"), logos, icons and promotion banners
inside or right after the body container. Only the article's own photos are photos: an image is
furniture when a named rule below says so, judged from the DOM (container, declared size, what
follows it) and from its caption; the first rule that applies is the reason, logged at DEBUG.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from bs4 import Tag

from etl.parse.dom import attr, select, text_of

# Containers that hold only furniture: QR codes and follow-us boxes. Removed before the body is read,
# with their text ("关注公众号：人民网健康").
FURNITURE_CONTAINERS = (
    ".tjewm",
    ".ewm",
    ".erweima",
    ".qrcode",
    ".qr-code",
    "[class*=qrcode]",
    "[id*=qrcode]",
    "[class*=QRcode]",
    ".code_wx",
)

# Template images: 2016/2020 template icons, e-paper template images, pager and share buttons.
_RX_CHROME_SRC = re.compile(
    r"/img/(?:20\d\d[a-z]\w*|(?:next|prev)_page)|/tplimg/|(?:next|prev)_page\.(?:jpe?g|gif|png)|/share[^/]*\.png$",
    re.IGNORECASE,
)
# What a logo, icon or QR code is called in its file name, class or alt text.
_RX_FURNITURE_NAME = re.compile(
    r"(?:^|[^a-z])(?:logo|icon|qrcode|qr_code|erweima|ewm|code_wx|weixin|wechat)|二维码|标识|图标",
    re.IGNORECASE,
)
# Captions of promotion images: follow us, scan, download the app.
RX_PROMOTION = re.compile(
    r"公众号|客户端|扫码|扫一扫|二维码|长按识别|下载\s*(?:APP|App|app)|关注.{0,8}(?:微信|微博|抖音)"
)
# A photo is at least thumbnail-sized; a declared size below this on both sides is an icon or a QR code.
THUMBNAIL_MIN_PX = 120
# Wider than this many times its height: a banner strip, not a news photo.
BANNER_MIN_ASPECT = 4.0
_BLOCKS = ("p", "div", "center", "table")


def _declared_size(img: Tag) -> tuple[int | None, int | None]:
    def number(name: str) -> int | None:
        value = attr(img, name).strip().lower().removesuffix("px")
        return int(value) if value.isdigit() else None

    return number("width"), number("height")


def _template_chrome(img: Tag, src: str) -> bool:
    return bool(_RX_CHROME_SRC.search(src))


def _smaller_than_a_thumbnail(img: Tag, src: str) -> bool:
    width, height = _declared_size(img)
    if width is not None and height is not None:
        return max(width, height) < THUMBNAIL_MIN_PX
    known = width if width is not None else height
    return known is not None and known <= 40  # one side declared, and tiny: a spacer or icon


def _banner_shaped(img: Tag, src: str) -> bool:
    width, height = _declared_size(img)
    return width is not None and bool(height) and width / (height or 1) >= BANNER_MIN_ASPECT


def _named_like_furniture(img: Tag, src: str) -> bool:
    file_name = src.rsplit("/", 1)[-1]
    classes = " ".join(attr(img, "class").split())
    return any(_RX_FURNITURE_NAME.search(s) for s in (file_name, classes, attr(img, "alt")) if s)


def _promotion_alt(img: Tag, src: str) -> bool:
    return bool(RX_PROMOTION.search(attr(img, "alt")))


def _above_a_link_list(img: Tag, src: str) -> bool:
    """A banner heading a related-links list: the image's block is followed by links and nothing else."""
    block = img.find_parent(_BLOCKS) or img
    following = block.find_next_sibling()
    if not isinstance(following, Tag) or following.name not in ("ul", "ol", "div", "p"):
        return False
    links = select(following, "a[href]")
    text = text_of(following).replace(" ", "")
    linked = "".join(text_of(a) for a in links).replace(" ", "")
    return len(links) >= 2 and bool(text) and linked == text


FurnitureRule = tuple[str, Callable[[Tag, str], bool]]

# In order; the first that applies names the reason.
IMAGE_RULES: tuple[FurnitureRule, ...] = (
    ("template chrome", _template_chrome),
    ("smaller than a thumbnail", _smaller_than_a_thumbnail),
    ("banner-shaped", _banner_shaped),
    ("named like a logo, icon or QR code", _named_like_furniture),
    ("promotion alt text", _promotion_alt),
    ("banner above a list of links", _above_a_link_list),
)


def furniture_reason(img: Tag, src: str) -> str | None:
    """Why this image is page furniture, or None for an article photo."""
    for name, applies in IMAGE_RULES:
        if applies(img, src):
            return name
    return None


def is_promotion_caption(*texts: str | None) -> bool:
    """A caption that promotes an account or an app: the image above it is furniture."""
    return any(text and RX_PROMOTION.search(text) for text in texts)
