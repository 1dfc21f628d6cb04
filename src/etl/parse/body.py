"""Read an article body container into paragraphs and captioned images.

Every template ends in the same shape: a container of <p> elements with inline images. Photos
carry their caption in one of three places, tried in this order: the image's
data-original-title (e-paper, HTML), a `table.pci_c` right after it (e-paper, duplicates the
first), or the next centred <p> (portal, often equal to img@alt). A caption consumed here never
becomes a body paragraph.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from bs4 import Tag
from bs4.element import NavigableString

from etl.models import Image, Paragraph
from etl.parse.dom import absolute, ancestor, attr, is_centred, is_wholly_bold, make_soup, select, text_of
from etl.parse.furniture import furniture_reason, is_promotion_caption
from etl.text_grammar.byline import split_credit
from etl.text_grammar.normalise import has_word_characters, normalise_text

log = logging.getLogger(__name__)

SUBHEAD_MAX_CHARS = 40  # 小标题 are short; a long bold paragraph is emphasis, not a heading
CAPTION_MAX_CHARS = 200
_RX_HAN = re.compile("[\u4e00-\u9fff]")
_LAZY_SRC_ATTRS = ("data-src", "data-original", "data-lazy-src")
_BLOCK_TAGS = frozenset({"p", "div", "li", "tr", "section", "h1", "h2", "h3", "h4", "h5", "h6", "table"})


@dataclass
class _Photo:
    src: str
    alt: str
    caption: str | None = None
    credit: str | None = None

    @property
    def has_caption(self) -> bool:
        return self.caption is not None or self.credit is not None

    def set_caption(self, text: str) -> None:
        self.caption, self.credit = split_credit(text)

    def repeats_caption(self, text: str) -> bool:
        """The same caption printed again (table.pci_c after data-original-title, alt + line)."""
        known = normalise_text(" ".join(x for x in (self.caption, self.credit) if x)).replace(" ", "")
        return bool(known) and text.replace(" ", "") in (known, (self.caption or "").replace(" ", ""))


class BodyReader:
    """Walks one body container in document order. Create one per article."""

    def __init__(self, page_url: str, title: str) -> None:
        self._page_url = page_url
        self._title = title
        self._paragraphs: list[Paragraph] = []
        self._photos: list[_Photo] = []
        self._last_was_photo = False
        self._captioned: _Photo | None = None  # photo whose caption the previous <p> was
        self._saw_paragraph_text = False  # any <p> with text, captions included

    def read(self, container: Tag) -> tuple[tuple[Paragraph, ...], tuple[Image, ...]]:
        for node in select(container, "p, img, table.pci_c"):
            self._visit(node)
        if not self._saw_paragraph_text:
            self._read_loose_text(container)
        return tuple(self._paragraphs), tuple(self._images())

    # ---- walking ----------------------------------------------------------------------------------

    def _visit(self, node: Tag) -> None:
        if node.name != "table" and ancestor(node, "table", "pci_c") is not None:
            return  # read with its table
        if node.name == "table":
            self._caption_table(node)
        elif node.name == "img":
            if ancestor(node, "p") is None:
                self._add_photo(node)
        else:
            self._paragraph(node)

    def _paragraph(self, p: Tag) -> None:
        images = p.find_all("img")
        text = text_of(p)
        for img in images:
            if isinstance(img, Tag):
                self._add_photo(img)
        if not text:
            return
        self._saw_paragraph_text = True
        if self._last_was_photo and self._take_caption(p, text):
            return
        if self._take_credit(text):
            return
        if not images and _is_link_only(p, text):
            return  # promotion or related-article link, not copy
        self._paragraphs.append(Paragraph(text, is_subhead=self._is_subhead(p, text)))
        self._last_was_photo = False

    def _caption_table(self, table: Tag) -> None:
        for img in table.find_all("img"):
            if isinstance(img, Tag):
                self._add_photo(img)
        text = text_of(table)
        if not text:
            return
        if not self._photos:
            log.debug("caption table without a photo before it: %.40s", text)
            return
        photo = self._photos[-1]
        if not photo.has_caption:
            photo.set_caption(text)

    def _add_photo(self, img: Tag) -> None:
        src = _image_src(img)
        if not src:
            return
        if (reason := furniture_reason(img, src)) is not None:
            log.debug("not a photo (%s): %s", reason, src)
            return
        photo = _Photo(src=absolute(self._page_url, src), alt=normalise_text(attr(img, "alt")))
        if title_html := attr(img, "data-original-title"):
            caption = _html_fragment_text(title_html)
            if caption:
                photo.set_caption(caption)
        self._photos.append(photo)
        self._last_was_photo = True

    def _take_caption(self, p: Tag, text: str) -> bool:
        """Attach `text` to the photo just read when it is that photo's caption."""
        photo = self._photos[-1]
        if photo.repeats_caption(text):
            return True
        if photo.has_caption or len(text) > CAPTION_MAX_CHARS:
            return False
        repeats_alt = bool(photo.alt) and text.startswith(photo.alt)
        looks_like_caption = is_centred(p) or split_credit(text)[1] is not None
        if repeats_alt or (looks_like_caption and not self._is_subhead(p, text)):
            photo.set_caption(text)
            self._last_was_photo = False
            self._captioned = photo
            return True
        return False

    def _take_credit(self, text: str) -> bool:
        """A credit printed on its own line under the caption ("人民网记者 刘颖颖摄") joins that photo."""
        photo, self._captioned = self._captioned, None
        if photo is None or photo.credit is not None:
            return False
        caption, credit = split_credit(text)
        if caption is not None or credit is None:
            return False
        photo.credit = credit
        return True

    def _read_loose_text(self, container: Tag) -> None:
        """Bodies without <p> (old founder-content, <br>-separated text): one paragraph per line."""
        captions = {p.caption for p in self._photos} | {p.credit for p in self._photos}
        for line in _block_lines(container):
            if line and has_word_characters(line) and line not in captions:
                self._paragraphs.append(Paragraph(line))

    # ---- results ----------------------------------------------------------------------------------

    def _images(self) -> list[Image]:
        images: list[Image] = []
        seen: set[str] = set()
        for photo in self._photos:
            if photo.src in seen:
                continue
            seen.add(photo.src)
            if is_promotion_caption(photo.caption, photo.credit):
                log.debug("not a photo (promotion caption): %s", photo.src)
                continue
            if not photo.has_caption and self._alt_is_caption(photo.alt):
                photo.set_caption(photo.alt)
            images.append(
                Image(position=len(images), src=photo.src, caption=photo.caption, credit=photo.credit)
            )
        return images

    def _alt_is_caption(self, alt: str) -> bool:
        # The CMS fills alt with the caption, the title, or nothing; only the first is a caption.
        return len(alt) >= 5 and _RX_HAN.search(alt) is not None and alt != self._title

    @staticmethod
    def _is_subhead(p: Tag, text: str) -> bool:
        return len(text) <= SUBHEAD_MAX_CHARS and is_wholly_bold(p)


def _is_link_only(p: Tag, text: str) -> bool:
    """A short paragraph that is nothing but a link elsewhere ("点击进入“文艺星青年”>>", related items)."""
    if len(text) > SUBHEAD_MAX_CHARS:
        return False
    linked = "".join(text_of(a) for a in select(p, "a[href]") if not attr(a, "href").startswith("#"))
    return normalise_text(linked).replace(" ", "") == text.replace(" ", "")


def _image_src(img: Tag) -> str:
    src = attr(img, "src").strip()
    if not src or src.startswith("data:"):
        src = next((attr(img, a).strip() for a in _LAZY_SRC_ATTRS if attr(img, a).strip()), "")
    return src


def _html_fragment_text(fragment: str) -> str:
    """data-original-title holds HTML (<p>caption</p><p>credit</p>): read it as text."""
    soup = make_soup(fragment)
    paragraphs = [text_of(p) for p in soup.find_all("p") if isinstance(p, Tag)]
    text = " ".join(t for t in paragraphs if t) if paragraphs else text_of(soup)
    return normalise_text(text)


def _block_lines(container: Tag) -> list[str]:
    parts: list[str] = []
    for element in container.descendants:
        if isinstance(element, Tag) and (element.name == "br" or element.name in _BLOCK_TAGS):
            parts.append("\n")
        elif type(element) is NavigableString and ancestor(element, "table", "pci_c") is None:
            parts.append(str(element))
    return [normalise_text(line) for line in "".join(parts).split("\n")]
