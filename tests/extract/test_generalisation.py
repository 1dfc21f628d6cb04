"""Grammar classes found on copy the extractor was not tuned on: offsets and half durations, measure
words of statistics reporting, leading material trimmed from metrics, and metrics that are never empty."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from extract_helpers import extract, one, raws

from etl import clean, fetch, parse
from etl.extract import extract_article, extract_indicators
from etl.parse.errors import ParseError

TESTS = Path(__file__).resolve().parents[1]
SITE = TESTS / "fixtures" / "site"


# --- durations: offsets never date a paragraph, halves count -------------------------------------


@pytest.mark.parametrize("offset", ["提前一个月", "提前两个月", "推迟一个月", "历时三个月", "提前10个月"])
def test_offset_duration_is_not_a_month_reference(offset: str) -> None:
    text = f"今年全县新建村道86公里，{offset}完成年度任务，改造危房320户。"
    rows = extract(text)
    assert {i.period for i in rows} == {"2025"}
    assert [i.raw for i in rows if i.unit == "月"] == [offset[2:]]


def test_offset_metric_keeps_the_offset_verb() -> None:
    assert one("全市供热管网改造提前一个月完工。", "一个月").metric == "提前完工"


@pytest.mark.parametrize(
    ("text", "raw", "value", "unit"),
    [
        ("这家书店开业不到半年，会员已有3000多人。", "半年", 0.5, "年"),
        ("新航站楼历时两年半建成投用。", "两年半", 2.5, "年"),
        ("抢修队伍用时一个半月恢复供电。", "一个半月", 1.5, "月"),
        ("大桥合龙仅用了三天半。", "三天半", 3.5, "天"),
    ],
)
def test_half_durations(text: str, raw: str, value: float, unit: str) -> None:
    ind = one(text, raw)
    assert (ind.value, ind.unit) == (value, unit)


def test_upper_half_of_year_is_a_period_not_a_duration() -> None:
    assert raws("上半年，全县新增市场主体1.2万户。") == ["1.2万户"]


def test_eligibility_rule_is_not_a_row() -> None:
    assert raws("当地为毕业不满3年的大学生提供免费住宿。") == []


def test_range_with_units_on_both_ends_is_not_a_row() -> None:
    assert raws("部分线路延长运营时间半小时至2小时。") == []
    assert raws("游客量较平日增长两到三倍。") == []


# --- measure words -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "raw", "value", "unit"),
    [
        ("新线开通后日均客流超过45万乘次。", "45万乘次", 4.5e5, "乘次"),
        ("每周执飞国际航班约260班。", "260班", 260, "班"),
        ("港口全年接靠国际邮轮86艘次。", "86艘次", 86, "艘次"),
        ("铁路部门加开夜间列车120列。", "120列", 120, "列"),
        ("植保无人机作业面积1800万亩次。", "1800万亩次", 1.8e7, "亩次"),
        ("央行年内累计下调政策利率50个基点。", "50个基点", 50, "基点"),
        ("全市今年查处食品安全案件360起。", "360起", 360, "起"),
        ("动车组日均开行超过80对。", "80对", 80, "对"),
        ("年节约能源12万吨标准煤。", "12万吨标准煤", 1.2e5, "吨标准煤"),
        ("黄金储备报7300万盎司。", "7300万盎司", 7.3e7, "盎司"),
        ("新建光伏电站装机容量达到3.5GW。", "3.5GW", 3.5, "GW"),
        ("全县新打机井260眼。", "260眼", 260, "眼"),
    ],
)
def test_reporting_measure_words(text: str, raw: str, value: float, unit: str) -> None:
    ind = one(text, raw)
    assert (ind.value, ind.unit) == (pytest.approx(value), unit)


@pytest.mark.parametrize(
    "text",
    [
        "这支年轻的班子带出了新气象。",
        "两大港口对接合作不断深化。",
        "沿边5口岸客货通关顺畅。",
    ],
)
def test_measure_words_inside_words_are_not_units(text: str) -> None:
    assert raws(text) == []


def test_implied_units_from_the_subject_or_the_noun_after() -> None:
    assert (one("假期观影人次逾3100万。", "3100万").unit) == "人次"
    assert (one("近2000万农村人口喝上了自来水。", "2000万").unit) == "人"


# --- metrics: trim leading material, keep the head noun phrase ------------------------------------


@pytest.mark.parametrize(
    ("text", "raw", "metric"),
    [
        ("今年以来江西新开通国际货运航线9条。", "9条", "新开通国际货运航线"),
        ("春运以来民航日均保障航班1.6万架次。", "1.6万架次", "民航日均保障航班"),
        ("全市各级法院共审结民事案件8.7万件。", "8.7万件", "审结民事案件"),
        ("全省已组建应急救援队伍2300支。", "2300支", "组建应急救援队伍"),
        ("电力部门在重点区域投放移动储能车46台。", "46台", "投放移动储能车"),
        ("一季度该市地区生产总值按可比价格计算增长5.9%。", "5.9%", "地区生产总值"),
        ("去年，这一比例为37%。", "37%", "比例"),
        ("该站日均办理集装箱超1300标箱。", "1300标箱", "日均办理集装箱"),
        ("景区通过发放消费券等方式吸引游客12万人次。", "12万人次", "吸引游客"),
        ("向高校毕业生等群体发放租房补贴2.3亿元。", "2.3亿元", "发放租房补贴"),
        ("全市新引进研发机构、孵化平台等项目41个。", "41个", "新引进项目"),
        ("全县新引进各类高层次人才600余人。", "600余人", "新引进各类高层次人才"),
        ("港区自动化岸桥已投用28台。", "28台", "港区自动化岸桥已投用"),
    ],
)
def test_leading_material_is_trimmed(text: str, raw: str, metric: str) -> None:
    assert one(text, raw).metric == metric


def test_counted_noun_stops_before_verb_or_qualifier() -> None:
    text = "全市纳入统计的45个民宿集群接待游客近80万人次。"
    assert raws(text) == ["80万人次"]  # the monitored sample is the group, not a row
    assert one(text, "80万人次").metric == "民宿集群接待游客"
    assert one("120个示范村接待游客超过60万人次。", "120个").metric == "示范村"


def test_an_institution_keeps_its_place() -> None:
    assert one("上半年，西安地铁累计运送乘客6.1亿人次。", "6.1亿人次").metric == "西安地铁累计运送乘客"
    assert one("上半年，西安累计接待游客1.3亿人次。", "1.3亿人次").metric == "累计接待游客"


def test_average_takes_the_activity_of_the_total_before_it() -> None:
    text = "假期全国边检机关累计查验出入境人员1500万人次，日均214万人次。"
    assert one(text, "214万人次").metric == "日均查验出入境人员"


def test_multiple_of_an_earlier_period_belongs_to_the_subject() -> None:
    text = "其中入境游客82万人次，是去年同期的1.8倍。"
    assert one(text, "1.8倍").metric == "入境游客"
    assert one(text, "1.8倍").period is None


def test_fenbie_members_share_a_de_phrase() -> None:
    text = "从主要城市看，成都、重庆、西安的客流量分别增长12%、9%和7%。"
    assert [i.metric for i in extract(text)] == ["成都的客流量", "重庆的客流量", "西安的客流量"]


def test_exchange_rate_base_is_not_a_row() -> None:
    text = "月末人民币汇率中间价为1美元对人民币7.18元。"
    assert [(i.raw, i.metric) for i in extract(text)] == [("7.18元", "人民币汇率中间价")]


def test_forecasts_and_caps_are_not_rows() -> None:
    assert raws("机构预计，明年该国经济增速将在2%左右。") == []
    assert raws("到2030年，全市公共充电桩将达到20万个。") == []
    assert raws("博物馆每日限流2万人。") == []


def test_threshold_of_a_counted_class_is_not_a_row() -> None:
    text = "营业收入超过百亿元的企业有15家。"
    rows = extract(text)
    assert [i.raw for i in rows] == ["15家"]
    assert rows[0].metric == "营业收入超过百亿元的企业"


def test_qianyue_is_not_a_qualifier() -> None:
    ind = one("全县65岁以上老年人签约40万人。", "40万人")
    assert ind.qualifier.value == "exact" and ind.metric.endswith("签约")


def test_parenthesis_inside_a_phrase_stays_with_it() -> None:
    assert one("每千人口执业（助理）医师3.4人。", "3.4人").metric == "每千人口执业（助理）医师"


def test_short_counted_noun_keeps_its_verb() -> None:
    assert one("本届博览会有860家企业参展。", "860家").metric == "企业参展"


# --- no row ever has an empty metric --------------------------------------------------------------


def _gold_texts() -> list[tuple[str, dt.date | None]]:
    texts = []
    for path in sorted((TESTS / "gold").glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        published = dt.date.fromisoformat(doc["published"]) if doc.get("published") else None
        texts.append((doc["text"], published))
    texts.append(((TESTS / "fixtures" / "seed_article.txt").read_text(encoding="utf-8"), dt.date(2025, 9, 3)))
    return texts


def test_no_empty_metric_on_gold_and_sample_texts() -> None:
    empty = [
        (ind.raw, ind.sentence)
        for text, published in _gold_texts()
        for ind in extract_indicators(text, published)
        if len(ind.metric.strip()) < 2
    ]
    assert empty == []


def _site_articles() -> list[Path]:
    pages = sorted((SITE / "rmrb" / "pc" / "content").rglob("*.html"))
    pages += sorted((SITE / "n1").rglob("*.html")) + sorted((SITE / "n2").rglob("*.html"))
    return pages


def test_no_empty_metric_on_demo_site_articles() -> None:
    rows = []
    for page in _site_articles():
        rel = page.relative_to(SITE).as_posix()
        host = "paper.people.com.cn" if rel.startswith("rmrb") else "finance.people.com.cn"
        try:
            article = clean.clean_article(
                parse.parse_article(fetch.decode_html(page.read_bytes()).text, f"http://{host}/{rel}")
            )
        except ParseError:
            continue  # a page whose body is empty has nothing to extract
        rows.extend(extract_article(article))
    assert len(rows) > 100
    assert [(i.raw, i.sentence) for i in rows if len(i.metric.strip()) < 2] == []


def test_clause_without_a_subject_falls_back_to_the_unit_category() -> None:
    assert one("他今年72岁。", "72岁").metric == "年龄"


# --- work reports, ports and per-person standards -------------------------------------------------


def test_targets_of_a_work_report_are_not_rows() -> None:
    text = "今年主要预期目标是：地区生产总值增长5%左右，城镇新增就业50万人以上。"
    assert raws(text) == []


def test_per_person_standard_leaves_the_per_words_out_of_the_metric() -> None:
    text = "居民医保财政补助标准提高到每人每年700元。"
    assert one(text, "700元").metric == "居民医保财政补助标准"


def test_light_verb_after_the_subject_is_trimmed_but_kept_for_durations() -> None:
    assert one("全省托育服务试点已开展12批。", "12批").metric == "托育服务试点"
    assert one("异地就医直接结算实施三年多。", "三年多").metric == "异地就医直接结算实施"


def test_place_before_a_port_word_is_not_a_port_name() -> None:
    text = "一季度，河北港口完成货物吞吐量3.2亿吨。"
    assert one(text, "3.2亿吨").metric == "港口货物吞吐量"
    assert one("码头每小时最高可作业40自然箱。", "40自然箱").unit == "自然箱"


def test_past_year_of_a_work_report_is_the_last_calendar_year() -> None:
    text = "过去一年，全市地区生产总值增长5.4%。"
    assert one(text, "5.4%", published=dt.date(2026, 1, 20)).period == "2025"
    assert one(text, "5.4%", published=dt.date(2026, 7, 20)).period is None


def test_gaodeng_is_not_a_list_of_examples() -> None:
    assert one("高等教育毛入学率达到61%。", "61%").metric == "高等教育毛入学率"


def test_count_of_the_group_a_share_is_measured_over_is_not_a_row() -> None:
    assert raws("全国300多个城市空气质量优良天数比例为86%。") == ["86%"]


def test_modal_reach_and_better_than_are_not_part_of_the_metric() -> None:
    assert one("改种蔬菜后，每亩收入能到6000元。", "6000元").metric == "每亩收入"
    ind = one("升级后，定位精度优于3米。", "3米")
    assert (ind.metric, ind.qualifier.value) == ("定位精度", "lt")


def test_counted_noun_stops_before_the_verb_phrase() -> None:
    assert one("合作社带动260户果农抱团发展。", "260户").metric == "带动果农"


def test_change_and_result_joined_by_zhi_are_two_rows() -> None:
    text = "9月出口额同比增长5.1%至2.3万亿元，为连续3个月增长。"
    rows = [(i.raw, i.metric) for i in extract(text)]
    assert rows == [("5.1%", "出口额"), ("2.3万亿元", "出口额"), ("3个月", "出口额增长")]
    assert raws("每户补贴5至8万元。") == []


def test_hotline_word_before_a_count_with_magnitude() -> None:
    assert one("全年拦截诈骗电话12亿次。", "12亿次").metric == "拦截诈骗电话"


def test_thousand_hectares() -> None:
    ind = one("农作物受灾面积860千公顷。", "860千公顷")
    assert (ind.value, ind.unit) == (860000, "公顷")


def test_population_a_count_is_taken_from_is_not_a_row() -> None:
    assert raws("40个重点城市中，房价环比上涨的城市有9个。") == ["9个"]


def test_place_starting_an_institution_name_stays() -> None:
    text = "湖北省博物馆新馆开馆半年多来，累计接待观众120万人次。"
    assert one(text, "半年多").metric.startswith("湖北省博物馆")
