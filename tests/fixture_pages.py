"""The catalogue of fixture pages: every saved page under tests/fixtures (real, pages, site), the
URL it lives at on the web, and how the pipeline reads it (parse, then clean for articles).

Shared by the tests that hold on every page and by `regenerate_expected.py`.
"""

from __future__ import annotations

import functools
from pathlib import Path

from etl.clean import clean_article
from etl.fetch import decode_html
from etl.models import Article, LayoutPage
from etl.parse import detect_template, parse_article, parse_layout

FIXTURES = Path(__file__).parent / "fixtures"

# Where each saved page lives on the web. The offline site answers the live paths (its README).
SITE_HOSTS = {
    "rmrb": "paper.people.com.cn",
    "n1": "finance.people.com.cn",
    "n2": "zj.people.com.cn",
    "GB": "finance.people.com.cn",
}
PAGE_URLS = {
    "real/people_culture_n1_2019-06-15_c1013-31153719.html": "http://culture.people.com.cn/n1/2019/0615/c1013-31153719.html",
    "real/people_finance_n1_2024-05-10_c1004-40232587.html": "http://finance.people.com.cn/n1/2024/0510/c1004-40232587.html",
    "real/people_health_n1_2024-05-17_c14739-40237861.html": "http://health.people.com.cn/n1/2024/0517/c14739-40237861.html",
    "real/people_js_n2_2022-02-13_c360307-35131671.gbk.html": "http://js.people.com.cn/n2/2022/0213/c360307-35131671.html",
    "real/people_politics_n1_2024-04-24_c1001-40223222.html": "http://politics.people.com.cn/n1/2024/0424/c1001-40223222.html",
    "real/rmrb_pc_layout_2024-12-25_node_01.html": "http://paper.people.com.cn/rmrb/pc/layout/202412/25/node_01.html",
    "pages/people_capital_n1_2020-12-29_c405954-31982904.html": "http://capital.people.com.cn/n1/2020/1229/c405954-31982904.html",
    "pages/people_cpc_n1_2019-06-18_c64094-31164218.html": "http://cpc.people.com.cn/n1/2019/0618/c64094-31164218.html",
    "pages/people_dangshi_n1_2017-09-15_c85037-29537490.html": "http://dangshi.people.com.cn/n1/2017/0915/c85037-29537490.html",
    "pages/people_dangshi_n1_2018-01-22_c85037-29778215.html": "http://dangshi.people.com.cn/n1/2018/0122/c85037-29778215.html",
    "pages/people_finance_n1_2026-10-03_c1004-41250388.html": "http://finance.people.com.cn/n1/2026/1003/c1004-41250388.html",
    "pages/people_pic_n1_2020-01-13_c426981-31546602.html": "http://pic.people.com.cn/n1/2020/0113/c426981-31546602.html",
    "pages/people_politics_GB_1024_2011-08-12_15385519.html": "http://politics.people.com.cn/GB/1024/15385519.html",
    "pages/people_kpzg_n1_2026-10-20_c404214-41260012.unseen_layout.html": "http://kpzg.people.com.cn/n1/2026/1020/c404214-41260012.html",
    "pages/people_politics_GB_1024_index.html": "http://politics.people.com.cn/GB/1024/index.html",
    "pages/people_politics_n1_2026-09-16_c1001-41233990.title_only.html": "http://politics.people.com.cn/n1/2026/0916/c1001-41233990.html",
    "pages/people_politics_n1_2026-10-03_c1001-41250207.html": "http://politics.people.com.cn/n1/2026/1003/c1001-41250207.html",
    "pages/people_sc_n2_2026-09-16_c345167-41234567.html": "http://sc.people.com.cn/n2/2026/0916/c345167-41234567.html",
    "pages/people_sc_n2_2026-09-16_c345167-41234567-2.html": "http://sc.people.com.cn/n2/2026/0916/c345167-41234567-2.html",
    "pages/people_society_n1_2018-05-12_c1008-29983215.html": "http://society.people.com.cn/n1/2018/0512/c1008-29983215.html",
    "pages/people_society_n1_2018-05-12_c1008-29983215-2.html": "http://society.people.com.cn/n1/2018/0512/c1008-29983215-2.html",
    "pages/people_theory_n1_2026-10-03_c40531-41250166.html": "http://theory.people.com.cn/n1/2026/1003/c40531-41250166.html",
    "pages/people_theory_n_2015-03-06_c40531-26647112.html": "http://theory.people.com.cn/n/2015/0306/c40531-26647112.html",
    "pages/rmrb_html_2019-03-01_nbs.D110000renmrb_04.htm": "http://paper.people.com.cn/rmrb/html/2019-03/01/nbs.D110000renmrb_04.htm",
    "pages/rmrb_html_2019-03-01_nw.D110000renmrb_20190301_3-04.htm": "http://paper.people.com.cn/rmrb/html/2019-03/01/nw.D110000renmrb_20190301_3-04.htm",
    "pages/rmrb_html_2022-07-22_nbs.D110000renmrb_02.htm": "http://paper.people.com.cn/rmrb/html/2022-07/22/nbs.D110000renmrb_02.htm",
    "pages/rmrb_html_2022-07-22_nw.D110000renmrb_20220722_6-02.htm": "http://paper.people.com.cn/rmrb/html/2022-07/22/nw.D110000renmrb_20220722_6-02.htm",
    "pages/rmrb_pc_content_2026-09-17_content_30181577.html": "http://paper.people.com.cn/rmrb/pc/content/202609/17/content_30181577.html",
    "pages/rmrb_pc_content_2026-09-18_content_30181702.html": "http://paper.people.com.cn/rmrb/pc/content/202609/18/content_30181702.html",
    "pages/rmrb_pc_layout_index.html": "http://paper.people.com.cn/rmrb/pc/layout/index.html",
}  # fmt: skip
# Pages that must not parse as an article or a layout (what they test is in tests/fixtures/*/README.md).
NOT_PARSEABLE = {
    "pages/people_politics_GB_1024_index.html",  # a channel list page
    "pages/people_politics_n1_2026-09-16_c1001-41233990.title_only.html",  # boilerplate-only body
    "site/rmrb/pc/content/202509/03/content_30170123.html",  # the 本版责编 pseudo-article
    "site/GB/1004/index.html",  # a channel list page
}


def fixture_files() -> list[str]:
    found = [
        p
        for d in ("real", "pages", "site")
        for p in (FIXTURES / d).rglob("*")
        if p.suffix in (".html", ".htm")
    ]
    return sorted(str(p.relative_to(FIXTURES)) for p in found)


def url_of(name: str) -> str:
    if name.startswith("site/"):
        path = name.removeprefix("site")
        return f"http://{SITE_HOSTS[path.split('/')[1]]}{path}"
    return PAGE_URLS[name]


def decoded(name: str) -> str:
    """The page's text as the fetch stage decodes it."""
    return decode_html((FIXTURES / name).read_bytes()).text


@functools.cache
def parsed(name: str, url: str) -> Article | LayoutPage:
    html = decoded(name)
    if (detect_template(html) or "").startswith(("epaper_layout", "epaper_issue_index")):
        return parse_layout(html, url)
    return clean_article(parse_article(html, url))
