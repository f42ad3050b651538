"""Metric arithmetic: score one Answer against one gold question, and summarise many; no I/O, no model."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from index.text.normalise import compact

from .gold import KINDS, GoldItem

if TYPE_CHECKING:
    from qa.types import Answer, Citation

MAX_ANSWER_CHARS = 40  # a longer "answer" is a passage dump, not an answer...
ANSWER_SLACK = 10  # ...unless the gold answer itself is long: then up to its length plus this
HIT_CUTOFFS = (1, 3, 5)
MRR_CUTOFF = 10

# Prefecture-level cities and municipalities, to tell which city a question names. Kept here, not taken from qa/,
# so the evaluation does not grade the system with its own city reading.
_CITIES = """
北京 天津 上海 重庆 香港 澳门
石家庄 唐山 秦皇岛 邯郸 邢台 保定 张家口 承德 沧州 廊坊 衡水
太原 大同 阳泉 长治 晋城 朔州 晋中 运城 忻州 临汾 吕梁
呼和浩特 包头 乌海 赤峰 通辽 鄂尔多斯 呼伦贝尔 巴彦淖尔 乌兰察布
沈阳 大连 鞍山 抚顺 本溪 丹东 锦州 营口 阜新 辽阳 盘锦 铁岭 朝阳 葫芦岛
长春 四平 辽源 通化 白山 松原 白城
哈尔滨 齐齐哈尔 鸡西 鹤岗 双鸭山 大庆 伊春 佳木斯 七台河 牡丹江 黑河 绥化
南京 无锡 徐州 常州 苏州 南通 连云港 淮安 盐城 扬州 镇江 泰州 宿迁
杭州 宁波 温州 嘉兴 湖州 绍兴 金华 衢州 舟山 台州 丽水 义乌
合肥 芜湖 蚌埠 淮南 马鞍山 淮北 铜陵 安庆 黄山 滁州 阜阳 宿州 六安 亳州 池州 宣城
福州 厦门 莆田 三明 泉州 漳州 南平 龙岩 宁德 晋江 石狮 福清
南昌 景德镇 萍乡 九江 新余 鹰潭 赣州 吉安 宜春 抚州 上饶
济南 青岛 淄博 枣庄 东营 烟台 潍坊 济宁 泰安 威海 日照 临沂 德州 聊城 滨州 菏泽
郑州 开封 洛阳 平顶山 安阳 鹤壁 新乡 焦作 濮阳 许昌 漯河 三门峡 南阳 商丘 信阳 周口 驻马店
武汉 黄石 十堰 宜昌 襄阳 鄂州 荆门 孝感 荆州 黄冈 咸宁 随州
长沙 株洲 湘潭 衡阳 邵阳 岳阳 常德 张家界 益阳 郴州 永州 怀化 娄底
广州 韶关 深圳 珠海 汕头 佛山 江门 湛江 茂名 肇庆 惠州 梅州 汕尾 河源 阳江 清远 东莞 中山 潮州 揭阳 云浮
南宁 柳州 桂林 梧州 北海 防城港 钦州 贵港 玉林 百色 贺州 河池 来宾 崇左
海口 三亚 儋州
成都 自贡 攀枝花 泸州 德阳 绵阳 广元 遂宁 内江 乐山 南充 眉山 宜宾 广安 达州 雅安 巴中 资阳
贵阳 六盘水 遵义 安顺 毕节 铜仁
昆明 曲靖 玉溪 保山 昭通 丽江 普洱 临沧
拉萨 日喀则 昌都 林芝
西安 铜川 宝鸡 咸阳 渭南 延安 汉中 榆林 安康 商洛
兰州 嘉峪关 金昌 白银 天水 武威 张掖 平凉 酒泉 庆阳 定西 陇南
西宁 银川 石嘴山 吴忠 固原 中卫 乌鲁木齐 克拉玛依 吐鲁番 哈密
""".split()


@dataclass(frozen=True)
class Score:
    """How one answer fares against its gold question."""

    hit_rank: int | None  # 1-based rank of the first citation holding the evidence; None: no such citation
    correct: bool  # the answer contains a gold answer (always False for unanswerable questions)
    supported: bool | None  # the top citation contains the answer; None when nothing was answered
    declined: bool  # the assistant gave no answer
    wrong_city: bool  # an unanswerable question answered from a report of a city the question does not name

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def city_name(city: str | None) -> str | None:
    """A city as a bare name ("漳州市" -> "漳州"), so report metadata and question text compare equal."""
    if not city:
        return None
    city = compact(city)
    return city[:-1] if len(city) > 2 and city.endswith("市") else city


def cities_named(question: str, known: Iterable[str] = ()) -> frozenset[str]:
    """The cities a question names, from the built-in list plus `known` (e.g. the cities of the corpus)."""
    text = compact(question)
    names = {city_name(c) for c in (*_CITIES, *known)}
    # "安康杯" is a safety contest, not the city: a name directly followed by 杯 is a trophy.
    return frozenset(n for n in names if n and re.search(re.escape(n) + "(?!杯)", text))


def same_source(a: str, b: str) -> bool:
    """Whether two source names denote the same report file ("seeds/003_x.txt" matches "003_x.txt" and "003_x")."""
    a, b = a.replace("\\", "/").rsplit("/", 1)[-1], b.replace("\\", "/").rsplit("/", 1)[-1]
    return a == b or a.rsplit(".", 1)[0] == b.rsplit(".", 1)[0]


def is_hit(citation: Citation, item: GoldItem) -> bool:
    """A citation supports the gold question when it comes from (or is also in) a gold source and holds the evidence."""
    if not item.answerable:
        return False
    places = [citation.source, *(str(a.get("source", "")) for a in citation.also_in)]
    if not any(same_source(p, s) for p in places for s in item.sources):
        return False
    return compact(item.evidence) in compact(citation.text)


def first_hit_rank(citations: Sequence[Citation], item: GoldItem) -> int | None:
    """1-based position of the first supporting citation, or None."""
    for rank, citation in enumerate(citations, start=1):
        if is_hit(citation, item):
            return rank
    return None


def hit_at(rank: int | None, cutoff: int) -> float:
    """1.0 when the first hit is within the top `cutoff` citations."""
    return 1.0 if rank is not None and rank <= cutoff else 0.0


def reciprocal_rank(rank: int | None, cutoff: int = MRR_CUTOFF) -> float:
    """1/rank when the first hit is within `cutoff`, else 0."""
    return 1.0 / rank if rank is not None and rank <= cutoff else 0.0


def answer_correct(answer: Answer, item: GoldItem) -> bool:
    """The answer contains a gold answer, is short and is not a whole passage.

    Short: at most MAX_ANSWER_CHARS, or the longest gold answer plus ANSWER_SLACK when that is more.
    """
    if not item.answerable or answer.answer is None:
        return False
    got = compact(answer.answer)
    golds = [compact(gold) for gold in item.answers]
    # A list-like gold answer (a definition) may itself be near the cap: allow it a little framing text.
    if not got or len(got) > max(MAX_ANSWER_CHARS, max(map(len, golds)) + ANSWER_SLACK):
        return False
    if any(got == compact(c.text) for c in answer.citations):
        return False
    return any(gold in got for gold in golds)


def citation_supports(answer: Answer) -> bool | None:
    """The top citation's text contains the answer; None when nothing was answered."""
    if answer.answer is None:
        return None
    if not answer.citations:
        return False
    got = compact(answer.answer)
    return bool(got) and got in compact(answer.citations[0].text)


def is_wrong_city(answer: Answer, item: GoldItem, known_cities: Iterable[str] = ()) -> bool:
    """An unanswerable question answered from a report whose city is not one the question names."""
    if item.answerable or answer.answer is None or not answer.citations:
        return False
    top = city_name(answer.citations[0].city)
    named = cities_named(item.question, known_cities)
    return top is not None and bool(named) and top not in named


def score(answer: Answer, item: GoldItem, *, known_cities: Iterable[str] = ()) -> Score:
    """All per-question measures at once."""
    known_cities = tuple(known_cities)
    return Score(
        hit_rank=first_hit_rank(answer.citations, item),
        correct=answer_correct(answer, item),
        supported=citation_supports(answer) if item.answerable else None,
        declined=answer.answer is None,
        wrong_city=is_wrong_city(answer, item, known_cities),
    )


def percentile(values: Sequence[float], q: float) -> float | None:
    """The q-th percentile (0..100) with linear interpolation, as numpy's default; None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q / 100.0
    low, high = math.floor(pos), math.ceil(pos)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def _mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def summarize(scored: Sequence[tuple[GoldItem, Score]], *, k: int = 5) -> dict[str, Any]:
    """Aggregate scores: retrieval and answer measures over answerable questions, no-answer measures over both.

    Shares are floats in [0, 1], or None where a measure has no questions to average over.
    """
    answerable = [(i, s) for i, s in scored if i.answerable]
    unanswerable = [(i, s) for i, s in scored if not i.answerable]
    ranks = [s.hit_rank for _, s in answerable]
    out: dict[str, Any] = {
        "questions": len(scored),
        "answerable": len(answerable),
        "unanswerable": len(unanswerable),
    }
    for cutoff in sorted({*HIT_CUTOFFS, k}):
        out[f"hit@{cutoff}"] = _mean([hit_at(r, cutoff) for r in ranks])
    out[f"mrr@{MRR_CUTOFF}"] = _mean([reciprocal_rank(r) for r in ranks])
    out["answer_acc"] = _mean([float(s.correct) for _, s in answerable])
    supported = [float(s.supported) for _, s in answerable if s.supported is not None]
    out["citation_support"] = _mean(supported)
    out["no_answer_ok"] = _mean([float(s.declined) for _, s in unanswerable])
    out["false_decline"] = _mean([float(s.declined) for _, s in answerable])
    out["wrong_city"] = sum(1 for _, s in unanswerable if s.wrong_city)
    return out


def summarize_by_kind(scored: Sequence[tuple[GoldItem, Score]], *, k: int = 5) -> dict[str, dict[str, Any]]:
    """summarize() per question kind, in the order of KINDS (kinds with no questions left out)."""
    return {
        kind: summarize([(i, s) for i, s in scored if i.kind == kind], k=k)
        for kind in KINDS
        if any(i.kind == kind for i, _ in scored)
    }


def failure_reasons(item: GoldItem, s: Score, *, k: int = 5) -> list[str]:
    """Why a question counts as failed (empty list: it passed)."""
    reasons = []
    if item.answerable:
        if s.hit_rank is None or s.hit_rank > k:
            where = f"first at rank {s.hit_rank}" if s.hit_rank else "not in the citations"
            reasons.append(f"evidence not in the top {k} ({where})")
        if s.declined:
            reasons.append("declined an answerable question")
        elif not s.correct:
            reasons.append("answer does not contain a gold answer")
        if s.supported is False:
            reasons.append("top citation does not contain the answer")
    elif not s.declined:
        reasons.append(
            "answered an unanswerable question" + (" from another city's report" if s.wrong_city else "")
        )
    return reasons
