"""Where a figure applies: datelines, compound place names, the place that sets a paragraph's scene,
origins and reaches that are not the place of the figure."""

from __future__ import annotations

import datetime as dt

import pytest
from extract_helpers import extract

from etl.extract import extract_article
from etl.extract.regions import canonical, dominant_region, region_mentions
from etl.models import Article, Paragraph


def regions(text: str, hint: str | None = None) -> dict[str, str | None]:
    return {ind.raw: ind.region for ind in extract(text, region_hint=hint)}


# --- datelines ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "dateline",
    ["本报北京8月30日电（记者王明）", "新华社上海8月28日电 ", "本报广州9月1日讯　"],
)
def test_a_dateline_is_not_the_region_of_the_story(dateline: str) -> None:
    # a national body's release names no narrower place: the figure is national, not the dateline's
    text = f"{dateline}记者从国家统计局获悉：今年1至7月，规模以上工业增加值同比增长6.3%。"
    assert regions(text) == {"6.3%": "全国"}


def test_national_figures_after_a_dateline_are_national() -> None:
    text = "新华社上海8月28日电 今年前7个月，全国铁路完成货物发送量29.8亿吨，同比增长2.1%。"
    assert regions(text) == {"29.8亿吨": "全国", "2.1%": "全国"}


def test_a_dateline_does_not_make_the_dominant_region() -> None:
    text = "本报杭州8月30日电 全国快递业务量同比增长15%。全国快递网点超过40万个。"
    assert [m.name for m in region_mentions(text)] == ["全国", "全国"]
    assert dominant_region(text) is None


# --- compound names -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "region"),
    [
        ("今年上半年，宁波舟山港完成货物吞吐量7.1亿吨。", "浙江"),
        ("粤港澳大湾区内地9市地区生产总值超过11万亿元。", "粤港澳大湾区"),
        ("长三角地区新能源汽车产量占全国的四成以上。", "长三角"),
        ("京津冀三地技术合同成交额达到2100亿元。", "京津冀"),
        ("成渝地区双城经济圈去年实现地区生产总值8.6万亿元。", "成渝"),
        ("珠三角9市规上工业增加值增长4.8%。", "广东"),
    ],
)
def test_a_compound_place_name_is_one_place(text: str, region: str) -> None:
    assert set(regions(text).values()) == {region}


def test_compound_names_are_canonical() -> None:
    assert canonical("宁波舟山") == "浙江"
    assert canonical("长江三角洲") == "长三角"


def test_a_place_in_the_brackets_of_a_service_name() -> None:
    text = "中欧班列（成渝）上半年开行超过2800列，中欧班列（西安）开行2200列。"
    assert regions(text) == {"2800列": "成渝", "2200列": "西安"}


# --- the place that sets the scene --------------------------------------------------------------


def test_a_place_opening_a_paragraph_governs_its_figures() -> None:
    text = (
        "在江苏省苏州市工业园区，一批新型研发机构加快落地。园区现有研发机构420家，去年新增高新技术企业310家。\n"
        "全国高新技术企业数量超过46万家。"
    )
    assert regions(text, hint="北京") == {"420家": "苏州", "310家": "苏州", "46万家": "全国"}


def test_a_place_opening_a_sentence_governs_the_next_one() -> None:
    text = "合肥某产业园内，生产线正满负荷运转。今年以来，园区企业营收达到86亿元，同比增长15%。"
    assert regions(text, hint="上海") == {"86亿元": "合肥", "15%": "合肥"}


def test_the_scene_ends_when_another_place_is_named() -> None:
    text = "在福建厦门，跨境电商加快发展。全市跨境电商企业超过3000家。与此同时，泉州鞋服出口增长8%。"
    assert regions(text) == {"3000家": "厦门", "8%": "泉州"}


def test_a_place_inside_an_institution_name_sets_no_scene() -> None:
    text = "北京地铁新线开通试运营。全国城市轨道交通运营里程超过1万公里。"
    assert regions(text) == {"1万公里": "全国"}


def test_a_place_in_the_middle_of_a_clause_sets_no_scene() -> None:
    text = "年度峰会日前在湖南长沙闭幕。本届峰会共签约项目120个。"
    assert regions(text, hint="湖南") == {"120个": "湖南"}


# --- origin and reach ---------------------------------------------------------------------------


def test_the_origin_is_not_the_place_of_the_figure() -> None:
    text = "从昆明发来的冷链集装箱运抵钦州港，全程用时36小时。"
    assert regions(text) == {"36小时": "钦州"}
    assert regions("这批冷链集装箱由昆明发出，全程用时36小时。", hint="广西") == {"36小时": "广西"}


@pytest.mark.parametrize(
    "text",
    ["这家物流园的仓储网络辐射全国20个省份，年分拨快递包裹3亿件。", "当地茶叶销往全国各地，年产值达12亿元。"],
)
def test_the_reach_of_something_is_not_its_region(text: str) -> None:
    assert set(regions(text, hint="云南").values()) == {"云南"}


def test_extract_article_uses_the_dominant_region_without_the_dateline() -> None:
    # 成都 and 北京 are each named three times; one 北京 is the dateline, so the story is about 成都
    article = Article(
        url="http://paper.people.com.cn/rmrb/pc/content/202509/02/content_1.html",
        title="成都经营主体持续壮大",
        template="epaper_new",
        published_at=dt.datetime(2025, 9, 2, 5, 0),
        paragraphs=(
            Paragraph("本报北京9月1日电 今年上半年，成都新增经营主体21万户，增速比北京高2个百分点。"),
            Paragraph("成都高新区新增企业1.2万家，企业数量仅次于北京中关村。"),
            Paragraph("天府国际机场旅客吞吐量增长12%。"),
        ),
    )
    assert {ind.raw: ind.region for ind in extract_article(article)}["12%"] == "成都"


def test_the_scope_of_a_rank_is_not_the_region() -> None:
    text = "广州地铁运营里程达到705.9公里，居全国第四；新开通的地铁线路全长44.2公里。"
    assert regions(text) == {"705.9公里": "广州", "44.2公里": "广州"}


def test_the_country_in_a_predicate_is_not_the_region() -> None:
    text = "吉林是我国重要的商品粮基地，粮食商品率超过80%。"
    assert regions(text) == {"80%": "吉林"}


@pytest.mark.parametrize(
    ("text", "region"),
    [("其中山东新增就业48万人。", "山东"), ("其中卫星制造企业超过20家。", "安徽")],
)
def test_a_word_ending_in_zhong_does_not_begin_a_place(text: str, region: str) -> None:
    assert set(regions(text, hint="安徽").values()) == {region}


@pytest.mark.parametrize(
    ("text", "region"),
    [
        ("在闵行区，今年新增就业岗位2.1万个。", "上海"),
        ("浦东新区集成电路产业规模达到2800亿元。", "上海"),
        ("海淀区新增科技型企业1.3万家。", "北京"),
        ("在上海市闵行区，一批保障性租赁住房项目集中开工。新项目共提供房源3200套。", "上海"),
    ],
)
def test_a_district_resolves_to_its_city(text: str, region: str) -> None:
    assert set(regions(text, hint="江苏").values()) == {region}


def test_a_foreign_economy_stays_as_named_and_has_no_province() -> None:
    rows = extract("2月份，德国通胀率为2.3%。欧元区1月份失业率为6.2%。", region_hint="欧元区")
    assert [(r.region, r.province) for r in rows] == [("德国", None), ("欧元区", None)]


def test_a_trade_partner_is_not_the_region() -> None:
    rows = extract("前10个月，我国对美国出口2.9万亿元。")
    assert [(r.region, r.province) for r in rows] == [("全国", "全国")]


def test_a_places_own_statistics_office_releases_figures_about_the_place() -> None:
    text = "记者从杭州市统计局获悉，上半年全市地区生产总值同比增长5.6%。社会消费品零售总额增长4.1%。"
    assert [(r.region, r.province) for r in extract(text)] == [("杭州", "浙江"), ("杭州", "浙江")]


def test_a_place_carries_forward_through_its_paragraph_only() -> None:
    text = "上半年，苏州规模以上工业增加值同比增长8.2%。全市进出口增长5%。\n全国进出口增长3%。"
    assert [r.region for r in extract(text)] == ["苏州", "苏州", "全国"]


# --- 全省 / 全市 / 全区: the whole of the article's province or city -------------------------------------


def places(text: str, hint: str | None = None) -> list[tuple[str, str | None, str | None]]:
    return [(ind.raw, ind.region, ind.province) for ind in extract(text, region_hint=hint)]


def test_a_province_word_mid_list_is_the_province_not_the_city_before_it() -> None:
    text = "2024年，南京地区生产总值1.9万亿元，增长4.5%，全省规模以上工业增加值增长8.1%。"
    assert places(text, "江苏") == [
        ("1.9万亿元", "南京", "江苏"),
        ("4.5%", "南京", "江苏"),
        ("8.1%", "江苏", "江苏"),
    ]
    # the province of the city named before it, when the article names no region of its own
    text = "上半年，杭州社会消费品零售总额增长4.1%，全省规模以上工业增加值增长6.1%。"
    assert places(text) == [("4.1%", "杭州", "浙江"), ("6.1%", "浙江", "浙江")]


def test_a_city_word_is_the_city_the_provincial_article_is_about() -> None:
    # the article's region is the province; the city is the one it names (its dateline included)
    text = (
        "本报珠海11月17日电 航展为珠海带来了人气。\n"
        "航展期间，全市主要商圈客流量同比增长25%，酒店平均入住率在九成以上。"
    )
    assert places(text, "广东") == [("25%", "珠海", "广东"), ("九成", "珠海", "广东")]


def test_a_city_word_in_a_city_article_is_that_city() -> None:
    assert places("上半年，全市进出口总额1.2万亿元，同比增长5%。", "苏州") == [
        ("1.2万亿元", "苏州", "江苏"),
        ("5%", "苏州", "江苏"),
    ]
    assert places("上半年，全市社会消费品零售总额增长4%。", "重庆") == [("4%", "重庆", "重庆")]


def test_a_city_word_is_the_city_named_before_it_in_its_paragraph() -> None:
    text = "上半年，江苏经济稳中向好。苏州是外贸大市，全市进出口总额1.2万亿元。"
    assert places(text, "江苏") == [("1.2万亿元", "苏州", "江苏")]


def test_a_region_word_is_the_autonomous_region() -> None:
    text = "2025年，全区新能源发电量3215.6亿千瓦时，同比增长29.4%。"
    assert places(text, "内蒙古") == [
        ("3215.6亿千瓦时", "内蒙古", "内蒙古"),
        ("29.4%", "内蒙古", "内蒙古"),
    ]


def test_the_country_stays_the_country() -> None:
    text = "上半年，全省规模以上工业增加值增长6.1%，高于全国规模以上工业增加值增速0.3个百分点，全国增长5.8%。"
    assert [region for _, region, _ in places(text, "江苏")] == ["江苏", "江苏", "全国"]


def test_a_province_word_carries_through_its_paragraph_only() -> None:
    text = (
        "上半年，南京进出口增长3%。全省社会消费品零售总额增长4%。限额以上单位零售额增长5%。\n"
        "南京固定资产投资增长2%。"
    )
    assert [region for _, region, _ in places(text, "江苏")] == ["南京", "江苏", "江苏", "南京"]


@pytest.mark.parametrize(
    "text",
    [
        "上半年，全市场成交额增长20%。",  # the whole market, not the whole city
        "今年以来，全区域客流量增长20%。",  # the whole area
    ],
)
def test_words_that_only_begin_with_a_scope_word_are_no_place(text: str) -> None:
    assert [region for _, region, _ in places("苏州是外贸大市。\n" + text, "江苏")] == ["江苏"]


def test_a_share_of_the_province_is_about_the_place_before_it() -> None:
    text = "上半年，苏州进出口总额1.2万亿元，占全省的比重为50%。"
    assert [region for _, region, _ in places(text, "江苏")] == ["苏州", "苏州"]
