"""Candidate answer spans in a sentence: numbers with units, dates, person names, organisations, lists, quotes."""

from __future__ import annotations

import re
from dataclasses import dataclass

from index.places import chain, find_places
from index.textnorm import pos_segmenter

# --- a small unit grammar for Chinese figures ----------------------------------------------------
_NUM = r"\d+(?:[.,]\d+)*"
_MULT = r"(?:万|亿|千|百)"
_APPROX = r"(?:多|余)"
UNITS = (
    "个百分点 万元 亿元 万人次 人次 家次 户次 场次 元 家 个 人 名 户 项 件 场 次 起 岗 支 所 条 份 篇 期 天 册 座 批 届 "
    "间 台 辆 班 部 处 位 套 门 里 公里 平方米 亩 吨 小时 年"
).split()
_UNIT = "(?:" + "|".join(sorted(map(re.escape, UNITS), key=len, reverse=True)) + r")(?:\((?:次|人次)\))?"
_PREFIX = r"(?:超过|超|近|逾|不少于)?"
_SUFFIX = r"(?:以上|以下|左右|之多|多|余)?"
_QUANTITY = rf"{_NUM}{_MULT}?{_APPROX}?{_MULT}?(?:%|‰|{_UNIT})?{_SUFFIX}"
NUMBER = re.compile(rf"{_PREFIX}(?:{_QUANTITY}\s*(?:至|到|-|~|～)\s*{_QUANTITY}|{_QUANTITY})")
_CN_COUNT = re.compile(r"[一二两三四五六七八九十]{1,3}(?:次|年|个|项|家|名|批|届|级|类|大|支)")

DATE = re.compile(
    r"(?:每年的?)?(?:(?:19|20)\d{2}年(?:\d{1,2}月(?:\d{1,2}日)?|初|底|末|年中|上半年|下半年)?|(?:今年|去年|当年)?\d{1,2}月(?:\d{1,2}日|初|底|中旬|上旬|下旬)?)"
)

# --- people ---------------------------------------------------------------------------------------
_TITLES = (
    "常务副主席 副主席 主席 党组书记 书记 副书记 副主任 主任 副市长 市长 常委 局长 院长 校长 董事长 总经理 "
    "劳模 全国劳模 省劳模 工匠 代表 同志 记者 主持人"
).split()
_SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
    "姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤俞修兰章阮"
)
_AFTER_NAME = set("在为表说等如的和与到是于对、，,（(。；;")
_TITLE = "(?:" + "|".join(sorted(_TITLES, key=len, reverse=True)) + ")"
# A chain of titles may stand before one name: 党组书记、常务副主席徐雄强.
PERSON = re.compile(rf"({_TITLE}(?:、(?:市总工会|总工会)?{_TITLE})*)([\u4e00-\u9fff]{{2,3}})")

# --- organisations, places, documents, quoted names ------------------------------------------------
_ORG_SUFFIX = (
    "有限公司 股份公司 公司 集团 学院 大学 学校 中学 总工会 工会联合会 工会 委员会 领导小组 办公室 管理局 监督管理局 局 "
    "研究院 医院 中心 基地 园区 协会 联合会 平台 村 社区 街道 县 区 镇 乡 服务队 服务团 工作室 驿站 书屋"
).split()
ORG = re.compile(
    r"[\u4e00-\u9fff“”\"]{2,16}?(?:"
    + "|".join(sorted(map(re.escape, _ORG_SUFFIX), key=len, reverse=True))
    + ")"
)
QUOTED = re.compile(r"[《“「]([^《》“”「」]{2,40})[》”」]")
HONOR = re.compile(
    r"(?:评为|授予|荣获|获得|获评|命名为|被评为|称为)([^，。；,;]{2,40}?)(?:称号|荣誉称号|荣誉|$|[，。；,;])"
)
_ITEM = r"[^，。；：:,;、“”()（）《》]{1,16}"
ENUMERATION = re.compile(rf"{_ITEM}(?:、{_ITEM}){{1,12}}(?:(?:及|和|与|以及){_ITEM})?")
_PLACE_BEFORE = ("在", "于", "到", "赴")  # 在长汀宣告成立: a place where something happened


@dataclass(frozen=True)
class Span:
    """A candidate answer: [start, end) in the sentence, its text and what it is."""

    start: int
    end: int
    text: str
    kind: str  # number, date, person, org, quote, honor, list, place, tail
    unit: str | None = None
    label: str | None = None  # for a person, the title before the name


def _unit_of(text: str) -> str | None:
    if "%" in text or "‰" in text or "百分点" in text:
        return "%"
    per_time = re.search(r"(人|家|户)[(（]次[)）]$", text)
    if per_time:
        return per_time.group(1) + "次"  # 138万人(次): person-times
    tail = re.sub(r"(?:以上|以下|左右|之多|多|余|\((?:次|人次)\))+$", "", text)
    for unit in sorted(UNITS, key=len, reverse=True):
        if tail.endswith(unit):
            return unit
    return None


def numbers(sentence: str) -> list[Span]:
    """Figures with their qualifiers and units (95%以上, 14690家, 1.4亿元, 36元至100元); dates are left out."""
    spans = []
    in_dates = [(d.start, d.end) for d in dates(sentence)]
    for m in NUMBER.finditer(sentence):
        text = m.group().strip()
        if not re.search(r"\d", text) or any(a <= m.start() and m.end() <= b for a, b in in_dates):
            continue
        after = sentence[m.end() : m.end() + 1]
        unit = _unit_of(text)
        if unit == "年" and re.fullmatch(r"(?:19|20)\d{2}年", text):
            continue  # a calendar year, not a count
        if after in "月" and unit is None:
            continue
        spans.append(Span(m.start(), m.start() + len(text), text, "number", unit))
    for m in _CN_COUNT.finditer(sentence):
        spans.append(Span(m.start(), m.end(), m.group(), "number", _unit_of(m.group())))
    return spans


def dates(sentence: str) -> list[Span]:
    return [
        Span(m.start(), m.end(), m.group(), "date")
        for m in DATE.finditer(sentence)
        if re.search(r"\d", m.group())
    ]


def people(sentence: str) -> list[Span]:
    out = []
    for m in PERSON.finditer(sentence):
        name = m.group(2)
        if name[0] not in _SURNAMES:
            continue
        if len(name) == 3 and name[2] in _AFTER_NAME:
            name = name[:2]
        out.append(Span(m.start(2), m.start(2) + len(name), name, "person", label=m.group(1)))
    return out


_NAME_PARTS = ("n", "ns", "nt", "nz", "nr", "j", "m", "a", "ng", "b", "l", "eng")


def organisations(sentence: str) -> list[Span]:
    """Names ending in an organisation or place suffix, extended left over the nouns before them."""
    out = []
    words = [(w.word, w.flag) for w in pos_segmenter().cut(sentence)]
    starts = []
    pos = 0
    for word, _ in words:
        starts.append(pos)
        pos += len(word)
    for i, (word, flag) in enumerate(words):
        if not any(word.endswith(suffix) for suffix in _ORG_SUFFIX) or not flag.startswith(("n", "j", "l")):
            continue
        j = i
        while (
            j > 0 and words[j - 1][1].startswith(_NAME_PARTS) and starts[i] + len(word) - starts[j - 1] <= 24
        ):
            j -= 1
        text = sentence[starts[j] : starts[i] + len(word)]
        if len(text) >= 3:
            out.append(Span(starts[j], starts[i] + len(word), text, "org"))
    for m in find_places(sentence):
        if m.start > 0 and sentence[m.start - 1] in _PLACE_BEFORE:
            out.append(Span(m.start, m.end, m.text, "place"))
    return out


def quoted(sentence: str) -> list[Span]:
    out = [Span(m.start(), m.end(), m.group(), "quote") for m in QUOTED.finditer(sentence)]
    for m in HONOR.finditer(sentence):
        text = m.group(1).strip()
        if text:
            out.append(Span(m.start(1), m.start(1) + len(text), text, "honor"))
    return out


def enumerations(sentence: str) -> list[Span]:
    """Lists of items joined by 、 (and a last 及/和); `label` holds the item count."""
    out = []
    for m in ENUMERATION.finditer(sentence):
        items = len(re.split(r"、|及|以及|和|与", m.group()))
        out.append(Span(m.start(), m.end(), m.group(), "list", label=str(items)))
    return out


def ordinal_items(sentence: str, numeral: str, head: str) -> list[Span]:
    """The item a 第N… question asks for: from "N<head>" to the end of its clause (八送温馨)."""
    out = []
    for m in re.finditer(re.escape(numeral + head), sentence):
        end = re.search(r"[，,。；;：:]", sentence[m.start() :])
        stop = m.start() + (end.start() if end else len(sentence) - m.start())
        if stop - m.start() <= 20:
            out.append(Span(m.start(), stop, sentence[m.start() : stop], "ordinal"))
    return out


def units_compatible(asked: str | None, found: str | None) -> bool:
    """Whether a figure's unit answers a question counting in `asked` (None: anything goes)."""
    if asked is None:
        return True
    if asked == "#":
        return found is None
    if found is None:
        return False
    groups = (
        {"人", "名", "位"},
        {"人次", "万人次"},  # visits, not people
        {"家", "家次", "个", "所"},
        {"户", "户次", "家"},
        {"元", "万元", "亿元"},
        {"场", "场次", "次", "期"},
        {"%"},
        {"个", "项", "支", "条", "件", "篇", "份", "批"},
    )
    if asked == found:
        return True
    return any(asked in g and found in g for g in groups)


def city_mentions(sentence: str) -> list[Span]:
    """Cities named in the sentence, as the city (a county, district or nickname counts for its city)."""
    out = []
    for m in find_places(sentence):
        city = next((p for p in chain(m.place.code) if p.level != "county"), m.place)
        if city.level == "province" and not city.name.endswith("市"):
            continue  # 哪个市 is answered by a city (a municipality is one), not a province
        out.append(Span(m.start, m.end, city.label, "place"))
    return out
