"""Metrics: the short phrase, taken from the sentence, that a figure measures."""

from __future__ import annotations

import pytest
from extract_helpers import extract, one, raws

from etl.extract.metrics import METRIC_RULES, MetricContext, MetricResult, metric_for
from etl.models import Qualifier

SHANGHAI = (
    "2024年，上海全社会研发经费支出相当于全市生产总值比例4.4%左右，每万人口高价值发明专利拥有量提高到57.9件；"
    "2024年，上海港集装箱吞吐量5150.6万标箱，连续15年排名世界第一；上海机场航空货邮和旅客吞吐量分别达到"
    "420.6万吨、1.25亿人次；2024年上海接待入境旅游者突破600万人次。"
)

FINANCE = "2024年3650.3万亿元的金融市场成交额、1.8万亿元规模的三大先导产业基金。"
INDUSTRY = "上海累计培育30余个具有行业影响力的工业互联网平台，链接超1000万台工业设备。"


@pytest.mark.parametrize(
    ("text", "raw", "metric"),
    [
        (SHANGHAI, "5150.6万标箱", "集装箱吞吐量"),
        (SHANGHAI, "57.9件", "每万人口高价值发明专利拥有量"),
        (SHANGHAI, "600万人次", "接待入境旅游者"),
        (SHANGHAI, "4.4%", "全社会研发经费支出相当于全市生产总值比例"),
        (FINANCE, "3650.3万亿元", "金融市场成交额"),
        (FINANCE, "1.8万亿元", "三大先导产业基金规模"),
        ("2年间，这里入驻企业百余家，累计推动50个备案大模型落地。", "百余家", "入驻企业"),
        (INDUSTRY, "30余个", "累计培育工业互联网平台"),
        (INDUSTRY, "1000万台", "链接工业设备"),
        ("2024年，全国城镇新增就业1256万人，完成全年目标任务的104.7%。", "1256万人", "城镇新增就业"),
        (
            "2024年，全国城镇新增就业1256万人，完成全年目标任务的104.7%。",
            "104.7%",
            "城镇新增就业",
        ),  # a completion names what was done
        ("四人间，一张床位每月500元。", "500元", "一张床位每月"),
        ("户均面积12.6平方米。", "12.6平方米", "户均面积"),
        ("这座GDP突破5万亿元的超大城市。", "5万亿元", "GDP"),
        ("2024年，高校毕业生规模达1,179万人。", "1,179万人", "高校毕业生规模"),
        ("从签约到交付使用仅用了11个月。", "11个月", "从签约到交付使用用时"),
        ("全国人口140967万人，比上年末减少208万人。", "208万人", "人口"),
    ],
)
def test_metric(text: str, raw: str, metric: str) -> None:
    assert one(text, raw).metric == metric


def test_growth_rate_reuses_the_subject_before_it() -> None:
    text = "今年前10个月，我国货物贸易进出口总值36.02万亿元，同比增长5.2%，增速比前三季度加快0.1个百分点。"
    assert [i.metric for i in extract(text)] == ["货物贸易进出口总值", "货物贸易进出口总值", "增速"]


def test_share_names_its_denominator() -> None:
    text = "一般贸易进出口23.33万亿元，增长4.9%，占我国外贸总值的64.8%。"
    assert one(text, "64.8%").metric == "占我国外贸总值"


def test_streak_takes_the_rest_of_the_clause() -> None:
    assert one(SHANGHAI, "15年").metric == "集装箱吞吐量排名世界第一"
    assert one(SHANGHAI, "15年").value == 15 and one(SHANGHAI, "15年").unit == "年"


def test_fenbie_list_pairs_members_with_shared_tail() -> None:
    text = "截至2024年12月底，全国基本养老、失业、工伤保险参保人数分别为10.72亿人、2.48亿人、3.02亿人。"
    rows = [(i.raw, i.value, i.metric) for i in extract(text)]
    assert rows == [
        ("10.72亿人", 1.072e9, "基本养老保险参保人数"),
        ("2.48亿人", 2.48e8, "失业保险参保人数"),
        ("3.02亿人", 3.02e8, "工伤保险参保人数"),
    ]


def test_fenbie_list_with_head_noun_on_last_member() -> None:
    assert [i.metric for i in extract(SHANGHAI) if i.raw in ("420.6万吨", "1.25亿人次")] == [
        "航空货邮吞吐量",
        "旅客吞吐量",
    ]


def test_fenbie_list_without_enumeration_reuses_earlier_figures() -> None:
    text = "上半年，全市发放住房公积金个人住房贷款2.1万笔、金额107.6亿元，同比分别增长18.2%和21.5%。"
    metrics = {i.raw: i.metric for i in extract(text)}
    assert metrics["18.2%"] == metrics["2.1万笔"] == "发放住房公积金个人住房贷款"
    assert metrics["21.5%"] == "金额"


def test_fenbie_list_of_products_drops_the_category() -> None:
    text = "新能源汽车、太阳能电池、服务机器人等产品产量分别增长30.3%、54.0%、23.3%。"
    assert [i.metric for i in extract(text)] == ["新能源汽车产量", "太阳能电池产量", "服务机器人产量"]


def test_durations_that_are_the_news() -> None:
    text = "2020年6月26日，宝兴里1136户持证居民100%自主签约、100%自主搬迁，仅用172天，刷新旧改纪录。"
    rows = [(i.raw, i.value, i.unit, i.metric) for i in extract(text)]
    assert rows == [
        ("1136户", 1136, "户", "持证居民"),
        ("100%", 100, "%", "自主签约"),
        ("100%", 100, "%", "自主搬迁"),
        ("172天", 172, "天", "用时"),
    ]
    assert one("仅仅38天,园区从毛坯到“拎包入住”。", "38天").metric == "园区从毛坯到“拎包入住”"


def test_gap_to_a_comparison_base_belongs_to_the_subject() -> None:
    text = "今年以来，浙江出口增长8.5%，比全国高0.6个百分点。"
    assert [(i.raw, i.metric, i.unit, i.value) for i in extract(text)] == [
        ("8.5%", "出口", "%", 8.5),
        ("0.6个百分点", "出口", "百分点", 0.6),
    ]


def test_gap_after_a_change_in_growth_rate_keeps_the_rate() -> None:
    text = "前三季度，江苏地区生产总值同比增长5.6%，增速比上半年加快0.1个百分点，高于全国0.4个百分点。"
    assert [i.metric for i in extract(text)] == ["地区生产总值", "增速", "增速"]


def test_planned_outcomes_and_attributive_ages_are_not_rows() -> None:
    text = "该项目总投资约45亿元，建成后年产值可达100亿元。72岁的老党员王建国30年如一日清扫街道。"
    assert [(i.raw, i.metric) for i in extract(text)] == [("45亿元", "项目总投资")]


def test_price_index_change() -> None:
    text = "全市PM2.5平均浓度为28微克/立方米，居民消费价格指数同比上涨0.4%。"
    assert [(i.raw, i.unit, i.metric) for i in extract(text)] == [
        ("28微克/立方米", "微克/立方米", "PM2.5平均浓度"),
        ("0.4%", "%", "居民消费价格指数"),
    ]


def test_both_ends_of_a_change() -> None:
    text = "该村人均年收入从2012年的3000元增长到2024年的2.8万元。"
    rows = [(i.raw, i.value, i.metric, i.period) for i in extract(text)]
    assert rows == [("3000元", 3000, "人均年收入", None), ("2.8万元", 28000, "人均年收入", "2024")]


def test_subject_does_not_leak_into_the_next_sentence_for_counts() -> None:
    text = "全市共有5A级景区12家。他今年72岁。"
    assert [i.metric for i in extract(text)] == ["5A级景区", "年龄"]


def test_growth_takes_the_counted_thing_not_the_verb_that_holds_it() -> None:
    text = "目前，园区已集聚生物医药企业560家，同比增长12%；全市已投用充电桩4.6万个，比上年增长35%。"
    assert [(i.raw, i.metric) for i in extract(text)] == [
        ("560家", "集聚生物医药企业"),
        ("12%", "生物医药企业"),
        ("4.6万个", "投用充电桩"),
        ("35%", "充电桩"),
    ]


@pytest.mark.parametrize(
    ("second", "raw", "metric"),
    [
        ("这一比重比上年提高0.4个百分点。", "0.4个百分点", "文化产业增加值占地区生产总值的比重"),
        ("该比例已连续三年提高。", "三年", "文化产业增加值占地区生产总值的比重提高"),
        ("上述比重较上年提高0.3个百分点。", "0.3个百分点", "文化产业增加值占地区生产总值的比重"),
    ],
)
def test_an_anaphor_resolves_to_the_metric_named_before_it(second: str, raw: str, metric: str) -> None:
    text = "全市文化产业增加值占地区生产总值的比重为6.1%。" + second
    assert one(text, raw).metric == metric


def test_an_anaphor_does_not_reach_into_the_previous_paragraph() -> None:
    text = "全市文化产业增加值占地区生产总值的比重为6.1%。\n这一比例在县域达到45%。"
    assert "文化产业" not in one(text, "45%").metric


@pytest.mark.parametrize(
    ("text", "raw", "metric"),
    [
        ("去年，规上工业营业收入超过千亿元的城市有8个。", "8个", "规上工业营业收入超过千亿元的城市"),
        ("全国出口额超过千亿美元的省份达到9个。", "9个", "出口额超过千亿美元的省份"),
        ("年产值超百亿元的企业增至36家。", "36家", "年产值超百亿元的企业"),
    ],
)
def test_a_generic_noun_keeps_the_phrase_that_qualifies_it(text: str, raw: str, metric: str) -> None:
    assert [i.raw for i in extract(text)] == [raw]
    assert one(text, raw).metric == metric


# --- durations: offsets ------------------------------------------------------------------------


def test_offset_metric_keeps_the_offset_verb() -> None:
    assert one("全市供热管网改造提前一个月完工。", "一个月").metric == "提前完工"


# --- leading material is trimmed, the head noun phrase kept ---------------------------------------


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


def test_parenthesis_inside_a_phrase_stays_with_it() -> None:
    assert one("每千人口执业（助理）医师3.4人。", "3.4人").metric == "每千人口执业（助理）医师"


def test_short_counted_noun_keeps_its_verb() -> None:
    assert one("本届博览会有860家企业参展。", "860家").metric == "企业参展"


# --- work reports, ports and per-person standards -------------------------------------------------


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


def test_gaodeng_is_not_a_list_of_examples() -> None:
    assert one("高等教育毛入学率达到61%。", "61%").metric == "高等教育毛入学率"


def test_modal_reach_and_better_than_are_not_part_of_the_metric() -> None:
    assert one("改种蔬菜后，每亩收入能到6000元。", "6000元").metric == "每亩收入"
    ind = one("升级后，定位精度优于3米。", "3米")
    assert (ind.metric, ind.qualifier.value) == ("定位精度", "lt")


def test_counted_noun_stops_before_the_verb_phrase() -> None:
    assert one("合作社带动260户果农抱团发展。", "260户").metric == "带动果农"


# --- words are never cut --------------------------------------------------------------------------


def test_place_starting_an_institution_name_stays() -> None:
    text = "湖北省博物馆新馆开馆半年多来，累计接待观众120万人次。"
    assert one(text, "半年多").metric.startswith("湖北省博物馆")


@pytest.mark.parametrize(
    ("text", "raw", "metric"),
    [
        ("景区单日客流最高达8.6万人次。", "8.6万人次", "景区单日客流最高"),
        ("湖北实验室累计承担国家重大科技任务120项。", "120项", "湖北实验室累计承担国家重大科技任务"),
        ("景区日接待量最多达到3万人次。", "3万人次", "景区日接待量最多"),
        ("城市绿化覆盖率甚至达45%。", "45%", "城市绿化覆盖率"),
        ("该企业年营收规模远超10亿元。", "10亿元", "企业年营收规模"),
    ],
)
def test_a_metric_keeps_whole_words_and_named_institutions(text: str, raw: str, metric: str) -> None:
    assert one(text, raw).metric == metric


# --- counted nouns --------------------------------------------------------------------------------


def test_the_counted_noun_is_the_metric() -> None:
    assert one("这项改革惠及5600多万参保群众。", "5600多万").metric == "惠及参保群众"


def test_the_group_keeps_its_bound_in_the_metric() -> None:
    assert one("全国有12个研发经费超过千亿元的省份。", "12个").metric == "研发经费超过千亿元的省份"
    assert one("研发经费投入超过千亿元的省份达到12个。", "12个").metric == "研发经费投入超过千亿元的省份"


@pytest.mark.parametrize(
    ("text", "raw", "metric"),
    [
        ("全市共有博物馆85家，其中42家实现免费开放。", "42家", "实现免费开放的博物馆"),
        ("今年共排查老旧小区320个，已有186个完成改造。", "186个", "完成改造的老旧小区"),
        ("全省今年实施重点项目560个，其中已有120个项目建成投产。", "120个", "建成投产的项目"),
        ("其中12项实现提前竣工。", "12项", "实现提前竣工的项目"),
    ],
)
def test_a_subset_count_names_what_the_subset_did(text: str, raw: str, metric: str) -> None:
    assert one(text, raw).metric == metric


# --- shares ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "raw", "value", "qualifier", "metric"),
    [
        ("园区入驻企业860家，其中近六成为科技型中小企业。", "六成", 60.0, Qualifier.LT, "科技型中小企业"),
        ("新增就业岗位中，约八成为服务业岗位。", "八成", 80.0, Qualifier.APPROX, "服务业岗位"),
    ],
)
def test_share_followed_by_the_copula(
    text: str, raw: str, value: float, qualifier: Qualifier, metric: str
) -> None:
    ind = one(text, raw)
    assert (ind.value, ind.unit, ind.qualifier, ind.metric) == (value, "%", qualifier, metric)


# --- changes --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "raw", "metric"),
    [
        ("全市粮食总产量120亿斤，比上年增加3.6亿斤。", "3.6亿斤", "粮食总产量"),
        ("全省进出口总值1.2万亿元，增长8.5%，增加930亿元。", "930亿元", "进出口总值"),
        ("PM2.5平均浓度为25微克/立方米，下降2微克/立方米。", "2微克/立方米", "PM2.5平均浓度"),
        ("货物进出口总额达2.3万亿元，同比增加1500亿元。", "1500亿元", "货物进出口总额"),
    ],
)
def test_a_change_stated_as_an_amount_names_the_subject_and_is_a_change(
    text: str, raw: str, metric: str
) -> None:
    # convention v2: the comparison words move to measure / basis; the metric is the subject alone
    row = one(text, raw)
    assert (row.metric, row.measure) == (metric, "change")


@pytest.mark.parametrize(
    ("text", "raw", "metric"),
    [
        ("全省进出口总值1.2万亿元，增长8.5%。", "8.5%", "进出口总值"),
        ("空气优良天数比例为95.2%，提高1.8个百分点。", "1.8个百分点", "空气优良天数比例"),
    ],
)
def test_a_rate_of_change_keeps_the_levels_metric(text: str, raw: str, metric: str) -> None:
    assert one(text, raw).metric == metric


@pytest.mark.parametrize(
    ("text", "raw", "metric"),
    [
        ("PM2.5平均浓度回落至28微克/立方米。", "28微克/立方米", "PM2.5平均浓度"),
        ("全省粮食产量攀升至1400亿斤。", "1400亿斤", "粮食产量"),
    ],
)
def test_a_change_to_a_new_level_gives_the_level(text: str, raw: str, metric: str) -> None:
    assert one(text, raw).metric == metric


def test_metric_rules_have_distinct_names_and_the_last_always_answers() -> None:
    names = [rule.name for rule in METRIC_RULES]
    assert len(names) == len(set(names))
    nothing = MetricContext(
        before="", after="", unit="个", is_count=False, is_duration=False, previous_subject=""
    )
    assert metric_for(nothing) == MetricResult("", "", 0)


RND = "2024年，我国共投入研究与试验发展（R&D）经费3.6万亿元，比上年增长8.3%。"


@pytest.mark.parametrize(
    ("text", "raw", "metric"),
    [
        # a Latin abbreviation glossing the words before it
        (RND, "3.6万亿元", "研究与试验发展经费"),
        (RND, "8.3%", "研究与试验发展经费"),
        ("前三季度，全省地区生产总值（GDP）2.1万亿元，同比增长5.4%。", "2.1万亿元", "地区生产总值"),
        ("上半年，全市居民消费价格指数(CPI)同比上涨0.4%。", "0.4%", "居民消费价格指数"),
        # what is or is not included, however long
        ("全年社会消费品零售总额（含网上零售额）4.8万亿元。", "4.8万亿元", "社会消费品零售总额"),
        ("全省发明专利拥有量（不含港澳台企业）12.3万件。", "12.3万件", "发明专利拥有量"),
        # the short name the article uses later
        ("示范区国际贸易中心（以下简称贸易中心）进出口额320亿元。", "320亿元", "示范区国际贸易中心进出口额"),
        # the basis of a calculation
        ("全市进出口总值（按人民币计价）5000亿元，增长3%。", "3%", "进出口总值"),
    ],
)
def test_a_glossing_parenthesis_is_no_part_of_the_metric(text: str, raw: str, metric: str) -> None:
    assert one(text, raw).metric == metric


@pytest.mark.parametrize(
    ("text", "raw", "metric"),
    [
        # a parenthesis that narrows or spells out the noun stays
        ("上半年，中欧班列（成渝）开行超过2,800列。", "2,800列", "中欧班列（成渝）开行"),
        ("截至年底，充电基础设施（枪）总数达到1,895万个。", "1,895万个", "充电基础设施（枪）总数"),
    ],
)
def test_a_parenthesis_that_narrows_the_noun_stays(text: str, raw: str, metric: str) -> None:
    assert one(text, raw).metric == metric


@pytest.mark.parametrize(
    ("text", "raw", "metric"),
    [
        ("2024年，全省共投入财政科技经费320亿元。", "320亿元", "财政科技经费"),
        ("前三季度，全省完成地区生产总值2.1万亿元。", "2.1万亿元", "地区生产总值"),
        ("上半年，规上工业企业实现营业收入1.2万亿元，同比增长6%。", "1.2万亿元", "规上工业企业营业收入"),
        ("2024年，全市累计完成固定资产投资2.3万亿元，同比增长3.1%。", "2.3万亿元", "固定资产投资"),
        ("2024年，全市累计完成固定资产投资2.3万亿元，同比增长3.1%。", "3.1%", "固定资产投资"),
        ("截至年底，全省累计发电装机容量达到1.2亿千瓦。", "1.2亿千瓦", "发电装机容量"),
        # the verb after the noun goes as well
        ("2024年，快递业务量完成1750亿件，同比增长21%。", "1750亿件", "快递业务量"),
        ("2024年，邮政行业业务收入实现1.7万亿元。", "1.7万亿元", "邮政行业业务收入"),
    ],
)
def test_a_verb_of_action_is_not_part_of_the_subject(text: str, raw: str, metric: str) -> None:
    assert one(text, raw).metric == metric


@pytest.mark.parametrize(
    ("text", "raw", "metric"),
    [
        # what was done to something counted keeps its verb: the count is of that action
        ("全省累计建成5G基站16.3万个。", "16.3万个", "累计建成5G基站"),
        ("全省投入秋收的各类农机具达110万台。", "110万台", "投入秋收的各类农机具"),
        # 投入 heading a noun compound is the noun
        ("2024年，全省研发投入强度达到2.6%。", "2.6%", "研发投入强度"),
        # a bare head says what it is only with its verb
        ("2025年，全县累计投入资金1.86亿元。", "1.86亿元", "累计投入资金"),
        ("上半年，全市完成投资1230亿元。", "1230亿元", "完成投资"),
        # the verb of a relative clause belongs to it
        ("截至年底，完成改造的老旧小区数量达到1200个。", "1200个", "完成改造的老旧小区数量"),
        ("全省研发经费投入强度为2.68%。", "2.68%", "研发经费投入强度"),
    ],
)
def test_a_verb_that_names_the_counted_action_stays(text: str, raw: str, metric: str) -> None:
    assert one(text, raw).metric == metric


@pytest.mark.parametrize(
    ("text", "raw", "metric"),
    [
        # the figure's own clause names its subject; the clause before it is about something else
        (
            "2024年，全市粮食产量100万吨，社会消费品零售总额（含限额以下单位网上零售额）同比增长4.5%。",
            "4.5%",
            "社会消费品零售总额",
        ),
        ("2024年，全市经济总量稳步扩大，研究与试验发展经费比上年增长8.3%。", "8.3%", "研究与试验发展经费"),
        ("2024年，全市服务业较快发展，文化与旅游产业增加值增长9.1%。", "9.1%", "文化与旅游产业增加值"),
        # 与…相比 still compares
        ("2024年，全市地区生产总值与上年相比增长5%。", "5%", "地区生产总值"),
    ],
)
def test_the_metric_comes_from_the_figures_own_clause(text: str, raw: str, metric: str) -> None:
    assert one(text, raw).metric == metric
