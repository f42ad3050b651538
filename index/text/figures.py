"""The one number-and-unit grammar: figures (95%以上, 1.4亿元, 超2800万, 十六次, 三成), their units and values.

Indexing (tokens, layout, repair), questions (多少家, 几个月) and answering (candidate spans, unit fit) all read
figures through here, so a unit known to one is known to all.
"""

from __future__ import annotations

import importlib.util
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

# A word jionlp's measure-word list (see _packaged_units) marks a measure word in at least this share of its
# uses. Its two-character and longer words at 0.9 or more are units of measure (千米, 平方公里, 千瓦时, 立方米,
# 分钟, 公顷 …) plus a few counters (批次, 架次); its single characters are not taken: 点 分 度 级 层 also
# begin or end ordinary words, and the hand list below already holds those that count things.
PACKAGED_UNIT_SHARE = 0.9


def _packaged_units(share: float = PACKAGED_UNIT_SHARE) -> tuple[str, ...]:
    """Measure words of two Chinese characters or more from jionlp's list (dictionary/quantifiers_stat.txt:
    each word, its count in a POS-tagged corpus and the share of those uses tagged as a measure word), read
    as a data file without importing jionlp; () when the package is absent. Reduplications (个个, 年年) are
    not units."""
    spec = importlib.util.find_spec("jionlp")
    if spec is None or not spec.submodule_search_locations:
        return ()
    path = Path(next(iter(spec.submodule_search_locations))) / "dictionary" / "quantifiers_stat.txt"
    if not path.is_file():
        return ()
    words = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) != 3:
            continue
        word, _, prob = parts
        if (
            len(word) >= 2
            and float(prob) >= share
            and re.fullmatch(r"[\u4e00-\u9fff]+", word)
            and not (len(word) == 2 and word[0] == word[1])
        ):
            words.append(word)
    return tuple(words)


# Counting units, longest first when matched. Dates' units (年 月 日) are separate: a year is not a count.
_HAND_UNITS: tuple[str, ...] = tuple(
    (
        "个百分点 万元 亿元 万人次 人次 家次 户次 场次 元 家 个 人 名 户 项 件 场 次 起 岗 支 所 条 份 篇 期 天 册 座 "
        "批 届 间 台 辆 班 部 处 位 套 门 公里 平方米 亩 吨 小时 年 岁 成 倍 "
        # Measure words of counted things (36张门票, 2.4万瓶, 8000余斤): the figure is kept with its unit.
        "张 瓶 斤 公斤 千克 盒 袋 箱 块 本 棵 株 枚 方面 个月 个年头 幅 类 种 "
        # 平方公里's other name, which jionlp's list lacks (its 平方 alone would cut 10平方千米 after 平方).
        "平方千米"
    ).split()
)
UNITS: tuple[str, ...] = _HAND_UNITS + tuple(u for u in _packaged_units() if u not in _HAND_UNITS)
TIME_UNITS: tuple[str, ...] = ("年", "月", "日", "号")
# A year as reports and questions write it (1900-2099): the one pattern every date reading is built from.
YEAR = r"(?:19|20)\d{2}"
# A table's year column head: 2023, 2023年, or with a mark of estimate, actual or forecast (2023E, 2022A, 2024F).
YEAR_HEAD = re.compile(rf"^({YEAR})(?:年|[EAFe])?$")
# Units that do not begin longer words: where text is cut before the words are known (keyword tokens, line
# joins), 5部门 must not read as 5部 + 门, nor 位于, 处理, 批准, 届时, 班组, 门户 as units.
WORD_SAFE_UNITS: tuple[str, ...] = tuple(
    "个百分点 万元 亿元 万人次 人次 元 家 个 人 名 户 项 件 场 次 期 支 所 条 份 篇 起 岗 册 天 小时 岁 位 台 辆 座".split()
)
_DIGITS = r"\d+(?:[.,]\d+)*"
_CN_DIGIT = "零〇一二两三四五六七八九"
_CN_NUMERAL = rf"[{_CN_DIGIT}十百千万亿]*[{_CN_DIGIT}十][{_CN_DIGIT}十百千万亿]*"
# A magnitude, unless it begins a unit whose rest is no unit (千米, 千瓦时): 4,000万千米 is 4,000万 of 千米, not
# 4,000万千 and 米. 万元 and 万人次 still read as 万 and 元 or 人次, as they always have.
MAGNITUDE = (
    "(?:"
    + "|".join(
        m
        + "".join(f"(?!{re.escape(u[1:])})" for u in UNITS if u[0] == m and len(u) > 1 and u[1:] not in UNITS)
        for m in "万亿千百"
    )
    + ")"
)
APPROX = r"(?:多|余)"
PREFIX = r"(?:超过|超|近|逾|不少于|约)?"
SUFFIX = r"(?:以上|以下|左右|之多|多|余)?"


def _alternation(words: tuple[str, ...]) -> str:
    return "(?:" + "|".join(sorted(map(re.escape, set(words)), key=len, reverse=True)) + ")"


# Units of measure in Latin letters, by the SI's own grammar rather than a list: a prefix (k M G T m μ n c; u
# and µ for μ, K for k as typed) and a unit symbol (m, t, W, Wh, Hz, L; g, B and bps only with a prefix: 4g
# and 5g are networks), m² and m³ (or m2, m3), kW·h. A real research report's 80um and 47GW were read as bare
# numbers, cut from their units. Not a letter alone that is no unit (5G基站, 3A级, 2022E, 22Q1), and never
# followed by another Latin letter.
LATIN_UNIT = r"(?:[kKMGTmunμµc]?(?:Wh|W·h|W|Hz|m[²³23]?|t|L|l)|[kKmunμµ]g|[kKMGT](?:B|bps))(?![A-Za-z])"
# A measure word alone (家, 万元, 个月: what a question counts in, qa.question.how_many), and as a figure writes
# it (人(次) too, and Latin units of measure).
UNIT_WORD = _alternation(UNITS)
UNIT = "(?:" + UNIT_WORD + r"(?:\((?:次|人次)\))?|" + LATIN_UNIT + ")"
# A rate's second unit (120公里/小时, 0.39元/kwh, 85元/平方米): kept in the figure's text; the figure still counts
# in the first (unit_of, quantity), as it did when the text stopped at the slash.
PER = rf"(?:[/／](?:{UNIT_WORD}|[A-Za-z]{{1,5}}))"
_QUANTITY = rf"{_DIGITS}{MAGNITUDE}?{APPROX}?{MAGNITUDE}?(?:%|‰|{UNIT}{PER}?)?{SUFFIX}"
# An Arabic figure with its qualifiers and unit, or a range of two.
NUMBER = re.compile(rf"{PREFIX}(?:{_QUANTITY}\s*(?:至|到|-|—|–|~|～)\s*{_QUANTITY}|{_QUANTITY})")
# A bare magnitude counts only as a round figure: 千余人次, 百万人次, 上千名 (千家万户 is a phrase, not 1000 homes).
_CN_ROUND = rf"(?<![\d.])(?:[百千万](?={APPROX})|[百千]万|(?<=[上近超逾])[百千万])"
# A Chinese-numeral figure needs its unit (十六次, 二千一百零五个, 三成, 超百万人次): bare 一 is a word, not a
# figure. Not after 第 (an ordinal) nor inside words such as 统一, 之一. Group 1 is the numeral.
CHINESE_NUMBER = re.compile(
    rf"(?<![第统之唯万千百]){PREFIX}({_CN_NUMERAL}|{_CN_ROUND}){APPROX}?({UNIT_WORD})"
)
# A figure with its unit anywhere in a line (layout: a heading carries none), at a line start, a number at a line end.
_SAFE_UNIT = _alternation(WORD_SAFE_UNITS)
FIGURE = re.compile(rf"{_DIGITS}\s*{MAGNITUDE}?(?:%|‰|{_SAFE_UNIT})")
FIGURE_START = re.compile(rf"^{_DIGITS}{MAGNITUDE}?{APPROX}?(?:%|‰|{_SAFE_UNIT})")
NUMBER_END = re.compile(rf"\d(?:\.\d+)?{MAGNITUDE}?{APPROX}?$")
UNIT_START = re.compile(rf"^(?:%|‰|{MAGNITUDE}|{_SAFE_UNIT}|号)")
# A keyword token: a figure stays whole with its qualifier and unit (95.6%, 14690家, 2012年, 1.4亿元).
TOKEN = re.compile(
    rf"{_DIGITS}(?:%|‰|{APPROX})?{MAGNITUDE}?{APPROX}?(?:%|{_alternation(WORD_SAFE_UNITS + TIME_UNITS)}|{MAGNITUDE})?"
)

# Units that answer the same question: 多少人 is answered by 名 and 位 too.
_GROUPS: tuple[frozenset[str], ...] = (
    frozenset({"人", "名", "位"}),
    frozenset({"人次", "万人次"}),  # visits, not people
    frozenset({"家", "家次", "个", "所"}),
    frozenset({"户", "户次", "家"}),
    frozenset({"元", "万元", "亿元"}),
    frozenset({"场", "场次", "次", "期"}),
    frozenset({"%", "成"}),
    frozenset({"年", "个年头"}),
    frozenset({"月", "个月"}),
    frozenset({"个", "项", "支", "条", "件", "篇", "份", "批"}),
)


def unit_of(text: str) -> str | None:
    """The counting unit of a figure (138万人(次) -> 人次, 95%以上 -> %, 1.4亿元 -> 亿元), None for a bare one."""
    if "%" in text or "‰" in text or "百分点" in text:
        return "%"
    text = re.sub(rf"{PER}", "", text, count=1)
    per_time = re.search(r"(人|家|户)[(（]次[)）]$", text)
    if per_time:
        return per_time.group(1) + "次"
    tail = re.sub(r"(?:以上|以下|左右|之多|多|余|\((?:次|人次)\))+$", "", text)
    latin = re.search(rf"(?<=[\d万亿千百多余])({LATIN_UNIT})$", tail)
    if latin:
        return latin.group(1).replace("µ", "μ")
    for unit in sorted(UNITS, key=len, reverse=True):
        if tail.endswith(unit):
            return unit
    return None


# What a unit of measure measures, read from how units are built rather than listed: Chinese units by their
# morphemes (平方… 平米 and 亩 公顷 area, 立方… and …升 volume, …米 and …里 length, …克 …斤 吨 mass, …瓦时 energy,
# …瓦 power), Latin ones by their SI symbol. Counters, money, time and shares have none here.
_LATIN_DIMENSION = re.compile(
    r"^[kKMGTmunμµc]?(?:(?P<area>m[²2])|(?P<volume>m[³3]|[Ll])|(?P<length>m)|"
    r"(?P<mass>g|t)|(?P<energy>Wh|W·h)|(?P<power>W)|(?P<frequency>Hz)|(?P<data>B|bps))$"
)


def dimension(unit: str | None) -> str | None:
    """What a unit measures (area, volume, length, mass, energy, power, frequency, data), None for counters,
    money, time, shares and bare numbers: 平方公里 -> area, 微米 and um -> length, 千瓦时 and kWh -> energy."""
    if not unit:
        return None
    latin = _LATIN_DIMENSION.match(unit)
    if latin:
        return next(name for name, part in latin.groupdict().items() if part)
    if unit.startswith("平") or unit in ("亩", "公顷"):  # 平方米 and its short form 平米
        return "area"
    if unit.startswith("立方") or unit.endswith("升"):
        return "volume"
    if unit.endswith(("米", "里")):
        return "length"
    if unit.endswith(("克", "斤", "吨")):
        return "mass"
    if unit.endswith("瓦时"):
        return "energy"
    if unit.endswith("瓦"):
        return "power"
    return None


def units_compatible(asked: str | None, found: str | None) -> bool:
    """Whether a figure's unit answers a question counting in `asked` (None: anything goes)."""
    if asked is None:
        return True
    if asked == "#":
        return found is None
    if found is None:
        return False
    return asked == found or any(asked in g and found in g for g in _GROUPS)


def generic_counters(asked: str, found: str) -> bool:
    """Whether two different measure words are both of the counters any thing takes (个, 项, 份 …): a question
    writing one (多少份保险) is not answered by a figure in another (23个) unless the figure counts its noun."""
    return asked != found and asked in _GROUPS[-1] and found in _GROUPS[-1]


def is_chinese(text: str) -> bool:
    """Whether a figure is written in Chinese numerals (十六次)."""
    return not re.search(r"\d", text) and bool(re.search(f"[{_CN_DIGIT}十百千]", text))


@lru_cache(maxsize=4096)
def chinese_value(numeral: str) -> int | None:
    """二千一百零五 -> 2105, 十六 -> 16 (cn2an); None when it is not a numeral."""
    import cn2an  # only when a Chinese numeral is met

    if re.fullmatch("[百千万]+", numeral):
        numeral = "一" + numeral  # a round figure: 千 is 一千, 百万 is 一百万
    try:
        return int(cn2an.cn2an(numeral, "smart"))
    except (ValueError, KeyError, TypeError):
        return None


# What a qualifier says about the true value: at least (以上, 超过, 多, 余), at most (以下), about (约, 左右) or
# just under (近). 约 and 近 are read as within a tenth: a reading convention for comparing, not a measurement.
_AT_LEAST = ("以上", "之多", "超过", "超", "逾", "不少于", "多", "余")
_AT_LEAST_ROUND = ("多", "余")  # 多 and 余 round a figure down to its last written digit
_AT_MOST = ("以下",)
_ABOUT = ("约", "左右")
_NEAR = ("近",)
APPROXIMATE_SHARE = 0.1
# Units that are another unit times a magnitude: 万元 is 10,000 元.
_SCALED_UNITS = {"万元": ("元", 1e4), "亿元": ("元", 1e8), "万人次": ("人次", 1e4)}
_MAGNITUDES = {"百": 1e2, "千": 1e3, "万": 1e4, "亿": 1e8}
_QUANTITY_PARTS = re.compile(
    rf"^(?P<pre>超过|超|近|逾|不少于|约)?(?P<num>{_DIGITS})(?P<mag1>{MAGNITUDE})?(?P<approx>{APPROX})?"
    rf"(?P<mag2>{MAGNITUDE})?(?P<unit>%|‰|{UNIT})?(?:{PER})?(?P<suf>以上|以下|左右|之多|多|余)?$"
)


@dataclass(frozen=True)
class Quantity:
    """A figure read as a number: 3万多名 -> value 30000, unit 名, qualifiers (多,), bounds [30000, 40000)."""

    value: float
    unit: str | None  # the unit the value counts in: 1.4亿元 -> 元, 95%以上 -> %
    qualifiers: tuple[str, ...]  # as written: 超, 近, 多, 余, 以上 …
    low: float
    high: float

    @property
    def exact(self) -> bool:
        return not self.qualifiers


def _last_digit_step(number: str) -> float:
    """The place of the last non-zero digit written: 131 -> 1, 3000 -> 1000, 1.1 -> 0.1, 12000 -> 1000."""
    number = number.replace(",", "")
    if "." in number:
        return 10.0 ** -len(number.split(".", 1)[1].rstrip("0") or "")
    stripped = number.rstrip("0")
    return 10.0 ** (len(number) - len(stripped)) if stripped else 1.0


def quantity(text: str) -> Quantity | None:
    """The value of one figure as written (71.1万人, 95%以上, 近60名, 1.4亿元, 十六次), None when it is not one.

    Ranges (3至5万) and bare numbers without a unit give None: they do not compare as one value.
    """
    text = text.strip().replace(",", "")
    match = _QUANTITY_PARTS.match(text)
    if match:
        value = float(match["num"])
        step = _last_digit_step(match["num"])
        for part in ("mag1", "mag2"):
            if match[part]:
                value *= _MAGNITUDES[match[part]]
                step *= _MAGNITUDES[match[part]]
        unit = match["unit"]
        qualifiers = tuple(q for q in (match["pre"], match["approx"], match["suf"]) if q)
    else:
        chinese = CHINESE_NUMBER.fullmatch(text)
        if not chinese:
            return None
        number = chinese_value(chinese.group(1))
        if number is None:
            return None
        value, unit = float(number), chinese.group(2)
        step = _last_digit_step(str(number))
        qualifiers = tuple(
            q for q in (*_AT_LEAST, *_NEAR, *_ABOUT) if q in text.replace(chinese.group(2), "")
        )
    if unit is None:
        return None
    unit = unit.replace("µ", "μ")  # the micro sign and the Greek letter look alike
    if unit.endswith(")"):  # 人(次)
        unit = unit.split("(")[0] + "次"
    if unit == "‰":
        unit, value, step = "%", value / 10, step / 10
    if unit in _SCALED_UNITS:
        unit, scale = _SCALED_UNITS[unit]
        value, step = value * scale, step * scale
    low, high = value, value
    if any(q in _AT_LEAST_ROUND for q in qualifiers):
        # 131万多 and 3000多万 are under the next step of their last written digit: under 132万, under 4000万.
        high = value + step
    if any(q in _AT_LEAST for q in qualifiers if q not in _AT_LEAST_ROUND):
        high = math.inf
    elif any(q in _AT_MOST for q in qualifiers):
        low = 0.0
    elif any(q in _NEAR for q in qualifiers):
        low = value * (1 - APPROXIMATE_SHARE)
    elif any(q in _ABOUT for q in qualifiers):
        low, high = value * (1 - APPROXIMATE_SHARE), value * (1 + APPROXIMATE_SHARE)
    return Quantity(value, unit, qualifiers, low, high)
