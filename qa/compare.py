"""Questions across reports: one measure gathered from every report into a table, read for superlatives and growth.

A question that compares places or years (各地…对比, 漳州和龙岩…分别, 哪个城市…最多, 历年, 增长了多少) names a
measure: a counted noun and its kind (组建率 is a rate, 会员 a count of people). Every report about a place is
read for a figure bound to that noun (written right after it, in the same clause, in a fitting unit); the
figures are read as numbers by the one figure grammar (index.figures.quantity), so the table can be sorted and a
superlative or a change read from it, with ties and qualified figures (95%以上 against 95.6%) said as such.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from index.passage import Passage
from index.places.matcher import find_places, place
from index.text import figures
from index.text.normalise import segmenter
from index.text.split import clause_start, sentence_spans

from .question import (
    ACROSS,
    ASK_COUNT,
    GROWTH,
    RATE_WORD,
    SERIES,
    SUPERLATIVE,
    YEAR,
    Question,
    counted_unit,
    question_places,
)
from .scope import within
from .types import NOT_STATED, Citation, Hit, Row, Table, citation

# Words of the asking, not of the measure; cut as whole words of the segmenter (集体合同 keeps its 同).
_ASK_WORDS = frozenset(
    "分别 是 有 为 达到 达 共 一共 总共 的 和 与 及 以及 同 跟 各 各有 有着 呢 吗 了 哪个 哪些 哪座 哪 城市 地方 地区 "
    "工作报告 报告 中 里 之间 情况 数据 数字 如何 怎样 怎么样 谁 相比 相较 更 签订 建成 建立 拥有 现有 多少 几".split()
)
_ASK = re.compile(rf"是多少|有多少|{ASK_COUNT.pattern}|[、，,？?。！!\s]")
# Words for "how many of" a noun, cut from the measure's end: 会员人数 is 会员, 职工书屋数量 is 职工书屋.
AMOUNT_TAIL = re.compile(r"(?:人数|数量|总数|总量|数目|个数|家数|户数|规模|数)$")
_YEAR = re.compile(YEAR.pattern + r"(?:底|末|初)?")
# Words a report may leave off a measure the question names in full: a union report's 组建率 is its 工会组建率.
_IMPLIED = frozenset({"工会", "全市", "全县", "全区", "全省", "各级工会", "市总工会", "总工会"})
# A figure binds to the noun before it only across a short gap without a clause mark: 工会会员数达71.1万人,
# 组建率、职工会率均达95%以上 (the longest such gap in the seeds is 9 characters).
MAX_GAP = 12
_GAP_STOP = re.compile(
    r"[，,。；;！？!?：:（(）)“\"]"
)  # a closing quote may follow the noun: “职工书屋”109家
# A change, not a stock: 新增会员 is not the number of members (unless the question asks what was added).
# Whose rate it is, which a report may leave off: 职工入会率 is written 入会率 too.
_RATE_SUBJECTS = frozenset({"职工"})
_CHANGE = re.compile(r"(?:新增|新建|新发展|新吸收|净增|增加|增长|发展|吸收|新)$")
# A gap starting so lists measures that share the figure after them.
_SHARED = re.compile(r"^(?:、|和|及|与|以及)")
# Nouns that say "the amount of" the noun before them: 会员数达, 会员总数, 会员人数.
# 组织 restates the noun it follows: 基层工会组织达5866家 counts 基层工会.
_AMOUNT_WORDS = frozenset("数 总数 人数 数量 总量 规模 总额 总计 合计 累计 户数 家数 个数 组织".split())
_NOUN_TAGS = ("n", "nz", "vn", "an", "nw", "ORG")
_FUNCTION_CHARS = frozenset("的和及与、数为达是有共均总全")
_STANDALONE_BEFORE = _FUNCTION_CHARS | frozenset("市县区省计")


@dataclass(frozen=True)
class Measure:
    """What a cross-report question measures: its phrase, the forms a report may write, the unit it counts in."""

    phrase: str
    forms: tuple[str, ...]
    unit: str | None  # % for a rate; 名, 家, 元 … for a count; None: any unit the reports give


@dataclass(frozen=True)
class Plan:
    """How to answer a question across reports."""

    measure: Measure
    places: tuple[str, ...]  # codes the question names (most specific); () means every covered place
    mode: str  # compare, places, superlative, series, growth
    direction: int = 0  # superlative: 1 for the most, -1 for the least


def detect(q: Question) -> Plan | None:
    """The plan for a question across reports, None for a question about one report's figure (or no figure)."""
    asked = q.comparison
    superlative, growth, series, across = asked.superlative, asked.growth, asked.series, asked.across
    several = len(q.places) >= 2
    if not (superlative or growth or series or across or several):
        return None
    if q.kind not in ("number", "city") and not (superlative or growth or series or asked.rate):
        return None
    if q.kind == "city" and not superlative:
        return None  # 哪个市…被评为…: a name to find, not a figure to compare
    measure = measure_of(q)
    if measure is None:
        return None
    if superlative and not (len(q.places) == 1 and not across):
        return Plan(measure, q.places, "superlative", superlative)
    if growth:
        return Plan(measure, q.places, "growth")
    if series and len(q.places) <= 1:
        return Plan(measure, q.places, "series")
    if several:
        return Plan(measure, q.places, "places")
    if across and not _within_one_place(across, q.places):
        return Plan(measure, q.places, "compare")
    return None


def _within_one_place(marker: str, places: Sequence[str]) -> bool:
    """各市县工会 in a question about one city names its own units, not places to compare (a province's 各市 does)."""
    return marker.startswith("各") and len(places) == 1 and place(places[0]).level != "province"


def measure_of(q: Question) -> Measure | None:
    """The measure a question names: the last noun phrase once places, years and asking words are cut out."""
    from .lexical import words

    text = q.text
    for m in reversed(question_places(text)):
        text = text[: m.start] + "|" + text[m.end :]
    for pattern in (_YEAR, ACROSS, SUPERLATIVE, GROWTH, SERIES, _ASK):
        text = pattern.sub("|", text)
    text = "".join("|" if token in _ASK_WORDS else token for token in segmenter().lcut(text))
    rate = _rate_phrase(text)
    if rate is not None:
        return rate
    phrase = None
    for chunk in reversed([c.strip() for c in text.split("|") if c.strip()]):
        runs, run = [], []
        for w in words(chunk):
            if w.tag in _NOUN_TAGS or w.text.endswith("率") or (run and w.tag == "a"):
                run.append(w.text)
            else:
                if run:
                    runs.append(run)
                run = []
        if run:
            runs.append(run)
        runs = [_without_amount(r) for r in runs]
        runs = [r for r in runs if len("".join(r)) >= 2]
        if runs:
            phrase = runs[-1]
            break
    if not phrase:
        return None
    joined = "".join(phrase)[-8:]
    forms = [joined]
    while len(phrase) > 1 and phrase[0] in _IMPLIED:
        phrase = phrase[1:]
        if len("".join(phrase)) >= 2:
            forms.append("".join(phrase))
    if joined.endswith("率") or (q.unit == "%" and RATE_WORD.search(joined)):
        unit: str | None = "%"
    elif q.unit and q.unit != "#":
        unit = q.unit
    else:
        unit = counted_unit(joined)
    return Measure(joined, tuple(dict.fromkeys(forms)), unit)


def _without_amount(words: list[str]) -> list[str]:
    """A noun phrase without the amount word at its end (工会 会员 人数 -> 工会 会员)."""
    words = list(words)
    while words and AMOUNT_TAIL.fullmatch(words[-1]):
        words.pop()
    if words and AMOUNT_TAIL.search(words[-1]) and len(words[-1]) > 2:
        words[-1] = AMOUNT_TAIL.sub("", words[-1])
    return words


def _rate_phrase(text: str) -> Measure | None:
    """A rate the question names, as one word of the segmenter (工会组建率, 职工入会率), with its shorter forms."""
    for chunk in reversed(text.split("|")):
        for token in reversed(segmenter().lcut(chunk)):
            if token.endswith("率") and len(token) >= 3:
                forms = [token]
                for prefix in sorted(_IMPLIED | _RATE_SUBJECTS, key=len, reverse=True):
                    if token.startswith(prefix) and len(token) - len(prefix) >= 3:
                        forms.append(token[len(prefix) :])
                return Measure(token, tuple(dict.fromkeys(forms)), "%")
    return None


@dataclass(frozen=True)
class _Found:
    passage: Passage
    sentence: str
    start: int  # the figure in the passage text
    end: int
    text: str
    quantity: figures.Quantity
    rank: tuple  # lower is better


def find_in_passage(measure: Measure, passage: Passage, *, change_asked: bool = False) -> list[_Found]:
    """Every figure of this measure the passage states, bound to one of its forms.

    A figure binds to the noun right before it (会员72.7万人, 组建率达90.7%), else to the noun it stands right
    before (51643个基层工会). Not when the noun is a change (新增会员, 新建基层工会: unless the question asks
    for one) nor when its clause names another place (福建省11万多个基层工会组织, in a 龙岩 report).
    """
    out = []
    text = passage.text
    for a, b in sentence_spans(text):
        sentence = text[a:b]
        for form_rank, form in enumerate(measure.forms):
            for occurrence in re.finditer(re.escape(form), sentence):
                shortened = form_rank > 0
                if _qualified_by_other_word(
                    sentence, occurrence.start(), occurrence.end(), form, shortened=shortened
                ):
                    continue
                got = _figure_after(sentence, occurrence.end(), measure.unit, occurrence.start())
                before = occurrence.start()
                if got is None:
                    got = _figure_before(sentence, occurrence.start(), measure.unit)
                    before = got[0] if got else before
                if got is None:
                    continue
                start, end, written, qty = got
                if not change_asked and _CHANGE.search(sentence[max(0, before - 4) : before]):
                    continue
                if _names_another_place(sentence, start, passage):
                    continue
                rank = (form_rank, a + occurrence.start())
                out.append(_Found(passage, sentence.strip(), a + start, a + end, written, qty, rank))
    return out


def _figure_before(sentence: str, noun_start: int, unit: str | None):
    """A figure ending right where the noun starts (338家工会驿站), if its unit fits."""
    for m in figures.NUMBER.finditer(sentence, max(0, noun_start - 20), noun_start):
        if m.end() != noun_start:
            continue
        qty = figures.quantity(m.group())
        if qty is None or qty.unit in ("年", "月", "日", "%"):
            return None
        if unit is not None and not (figures.units_compatible(unit, qty.unit) or qty.unit == unit):
            return None
        return m.start(), m.end(), m.group(), qty
    return None


def _names_another_place(sentence: str, figure_start: int, passage: Passage) -> bool:
    """Whether the clause holding the figure speaks of another place: it names one, and not the article's own
    place or one inside it (福建省11万多个基层工会组织 in a 龙岩 article is the province's figure)."""
    clause = sentence[clause_start(sentence, figure_start) : figure_start]
    if passage.place is None:
        return False
    named = [m.place.code for m in find_places(clause, prefer=(passage.place,))]
    if any(code == passage.place or within(code, passage.place) for code in named):
        return False
    return bool(named)


def _qualified_by_other_word(
    sentence: str, start: int, end: int, form: str, *, shortened: bool = False
) -> bool:
    """Whether the noun here is part of another one: 女会员, 农家书屋 (a one-character or fused modifier).

    A shortened form (会员 for 工会会员) must stand alone: after a mark, a function word or a place's 全市, not
    after another modifier (入会会员, 新会员), which would make it another measure.
    """
    if start == 0:
        return False
    if (
        shortened
        and "\u4e00" <= sentence[start - 1] <= "\u9fff"
        and sentence[start - 1] not in _STANDALONE_BEFORE
    ):
        return True
    position = 0
    for token in segmenter().lcut(sentence):
        token_end = position + len(token)
        if position < start < token_end:  # the form starts inside a word
            if token_end < end:  # the words only overlap (基层工会|会员 for 工会会员): no modifier fused on
                return False
            return sentence[position:start] not in _IMPLIED
        if token_end == start:
            one_char = len(token) == 1 and "\u4e00" <= token <= "\u9fff"
            return one_char and token not in _FUNCTION_CHARS and token not in figures.UNITS
        position = token_end
        if position > start:
            break
    return False


def _figure_after(sentence: str, pos: int, unit: str | None, noun_start: int):
    """The first figure after a measure's noun within MAX_GAP characters of the same clause, if its unit fits
    and no other noun stands between them (建立全国职工书屋示范点22家 counts 示范点, not 书屋)."""
    for m in figures.NUMBER.finditer(sentence, pos):
        gap = sentence[pos : m.start()]
        if len(gap) > MAX_GAP or _GAP_STOP.search(gap):
            return None
        written = m.group()
        qty = figures.quantity(written)
        if qty is None:
            return None
        if qty.unit == "年" and unit != "年":  # a date (到2012年底) stands between: read on
            continue
        if unit is not None and not (figures.units_compatible(unit, qty.unit) or qty.unit == unit):
            return None
        if unit is None and qty.unit in ("月", "日"):
            return None
        if _other_noun_between(sentence[noun_start : m.start()], pos - noun_start):
            return None
        return m.start(), m.end(), written, qty
    return None


def _other_noun_between(text: str, gap_start: int) -> bool:
    """Whether the words after the noun (text[gap_start:]) name another counted thing, read in context.

    A list of measures sharing one figure (组建率、职工会率均达95%以上) and words for an amount (会员数达,
    会员总数) do not.
    """
    gap = text[gap_start:]
    if not gap or _SHARED.match(gap):
        return False
    from .lexical import words

    return any(
        w.start >= gap_start
        and w.tag in _NOUN_TAGS
        and w.text not in _AMOUNT_WORDS
        and not re.search(r"\d", w.text)
        for w in words(text)
    )


def gather(
    plan: Plan,
    passages: Sequence[Passage],
    *,
    year: int | None = None,
    change_asked: bool = False,
    years_named: Callable[[Passage], Iterable[int]] = lambda p: (),
) -> tuple[list[Row], list[str]]:
    """A row per report (place and source) stating the measure, a NOT_STATED row per covered place that does
    not, and notes (places asked that no report covers).

    A row's year is the report's declared or inferred one, else the latest year its sentence names, else the
    latest year its article names (`years_named`: what the article covers, so it was written then or after).
    """
    covered: dict[str, str] = {}
    for p in passages:
        if p.place and p.city:
            covered.setdefault(p.place, p.city)
    notes = []
    wanted = set(covered)
    if plan.places:
        wanted = {c for c in covered if any(c == a or within(c, a) for a in plan.places)}
        # A place asked that no article is about, but that holds or lies in covered ones, is left out.
        missing = [a for a in plan.places if not any(c == a or within(c, a) for c in covered)]
        if missing:
            notes.append(f"报告中没有覆盖{'、'.join(place(c).label for c in missing)}的内容")
    best: dict[tuple[str, str], _Found] = {}
    for p in passages:
        if p.place not in wanted:
            continue
        for found in find_in_passage(plan.measure, p, change_asked=change_asked):
            if year is not None and _year_of(found, years_named) != year:
                continue
            key = (p.place, p.source)
            if key not in best or found.rank < best[key].rank:
                best[key] = found
    rows = [_row(f, _year_of(f, years_named)) for f in best.values()]
    stated = {r.place_code for r in rows}
    for code in sorted(wanted - stated, key=lambda c: covered[c]):
        rows.append(Row(covered[code], year, None, None, None, None, None, None, place_code=code))
    return rows, notes


def _year_of(found: _Found, years_named: Callable[[Passage], Iterable[int]]) -> int | None:
    if found.passage.year is not None:
        return found.passage.year
    years = [int(y) for y in re.findall(f"({figures.YEAR})年", found.sentence)]
    years = years or list(years_named(found.passage))
    return max(years) if years else None


def _row(f: _Found, year: int | None) -> Row:
    p = f.passage
    return Row(
        place=p.city or "",
        year=year,
        answer=f.text,
        value=f.quantity.value,
        unit=f.quantity.unit,
        source=p.source,
        passage_id=p.id,
        sentence=f.sentence,
        qualifiers=f.quantity.qualifiers,
        span=(f.start, f.end),
        place_code=p.place,
    )


def _sort_key(row: Row, direction: int = 1):
    if row.value is None:
        return (1, 0.0, row.place, row.year or 0)
    return (0, -direction * row.value, row.place, row.year or 0)


def build_table(plan: Plan, rows: list[Row]) -> Table:
    """The table, sorted for its question (by value, or by place and year for a series), with its reading."""
    if plan.mode in ("series", "growth", "places"):
        order = {c: i for i, c in enumerate(plan.places)}
        ordered = sorted(
            rows,
            key=lambda r: (
                order.get(_asked_code(r.place_code, plan.places), len(order)),
                r.place,
                r.value is None,
                r.year is None,
                r.year or 0,
            ),
        )
    else:
        ordered = sorted(rows, key=lambda r: _sort_key(r, plan.direction or 1))
    table = Table(plan.measure.phrase, tuple(ordered), plan.mode)
    if plan.mode == "superlative":
        best, verdict = superlative(ordered, plan.direction)
        table = Table(table.measure, table.rows, table.mode, best, verdict)
    elif plan.mode == "growth":
        table = Table(table.measure, table.rows, table.mode, (), growth(ordered))
    return table


def _asked_code(code: str | None, asked: Sequence[str]) -> str | None:
    for a in asked:
        if code == a or (code and within(code, a)):
            return a
    return code


def superlative(rows: Sequence[Row], direction: int) -> tuple[tuple[str, ...], str | None]:
    """The place with the most (direction 1) or least (-1), read from every stated row of the table.

    Returns (places, verdict): best when one row beats every other place's rows whatever their qualifiers say,
    tie when equal exact figures share the top, incomparable when a qualifier (95%以上) or a unit leaves it open.
    """
    stated = [r for r in rows if r.value is not None]
    if not stated:
        return (), None
    units = {r.unit for r in stated}
    if len(units) > 1 and not all(figures.units_compatible(a, b) for a in units for b in units):
        return tuple(dict.fromkeys(r.place for r in stated)), "incomparable"
    top = max(stated, key=lambda r: (direction * r.value, r.year or 0))
    low, high = _bounds(top)
    rivals: dict[str, Row] = {}
    for r in stated:
        if r.place == top.place:
            continue
        r_low, r_high = _bounds(r)
        if (r_high >= low) if direction > 0 else (r_low <= high):
            rivals.setdefault(r.place, r)
    if not rivals:
        return (top.place,), "best"
    tied = all(r.value == top.value and not r.qualifiers and not top.qualifiers for r in rivals.values())
    return (top.place, *rivals), "tie" if tied else "incomparable"


def top_rows(table: Table) -> list[Row]:
    """The row shown for each place a superlative names: its first in the table, which is sorted for the question."""
    out: dict[str, Row] = {}
    for r in table.rows:
        if r.place in table.best and r.value is not None and r.place not in out:
            out[r.place] = r
    return [out[p] for p in table.best if p in out]


def _bounds(row: Row) -> tuple[float, float]:
    qty = figures.quantity(row.answer or "")
    if qty is None:
        return (row.value or 0.0, row.value or 0.0)
    return qty.low, qty.high


def growth(rows: Sequence[Row]) -> str | None:
    """The change between a place's earliest and latest cited figures, both shown; None without two years."""
    stated = [r for r in rows if r.value is not None and r.year is not None]
    places = list(dict.fromkeys(r.place for r in stated))
    parts = []
    undated = {r.place for r in rows if r.value is not None and r.year is None}
    for name in dict.fromkeys(r.place for r in rows if r.place in undated):
        if sum(1 for r in rows if r.place == name and r.value is not None) > 1:
            parts.append(f"{name}：有的报告年份不明，无法算出增长，各报告的数字见表")
            places = [p for p in places if p != name]
    for name in places:
        own = sorted((r for r in stated if r.place == name), key=lambda r: r.year)
        first, last = own[0], own[-1]
        if first.year == last.year or not figures.units_compatible(first.unit, last.unit):
            continue
        diff = last.value - first.value
        word = "增长" if diff >= 0 else "减少"
        amount = _format_amount(abs(diff), first, last)
        text = f"{name}：{first.year}年{first.answer} → {last.year}年{last.answer}，{word}{amount}"
        if first.unit != "%" and first.value:
            text += f"（{word}{abs(diff) / first.value * 100:.1f}%）"
        if first.qualifiers or last.qualifiers:
            text += "，其中有约数，差值仅供参考"
        parts.append(text)
    return "；".join(parts) or None


def _format_amount(amount: float, first: Row, last: Row) -> str:
    if first.unit == "%":
        return f"{_number(amount)}个百分点"
    unit = _written_unit(last.answer or "") or last.unit or ""
    if "亿" in (first.answer or "") + (last.answer or "") and amount >= 1e8:
        return f"{_number(amount / 1e8)}亿{unit}"
    if "万" in (first.answer or "") + (last.answer or "") and amount >= 1e4:
        return f"{_number(amount / 1e4)}万{unit}"
    return f"{_number(amount)}{unit}"


def _written_unit(answer: str) -> str | None:
    unit = figures.unit_of(answer)
    if unit in ("万元", "亿元"):
        return "元"
    if unit == "万人次":
        return "人次"
    return unit


def _number(value: float) -> str:
    return f"{round(value, 2):g}"


def summary(table: Table) -> str | None:
    """The table read as one line: the answer shown above the table."""
    stated = [r for r in table.rows if r.answer is not None]
    if not stated:
        return None
    if table.mode == "superlative":
        shown = "、".join(f"{r.place}（{r.answer}）" for r in top_rows(table))
        if table.verdict == "best":
            return shown
        if table.verdict == "tie":
            return f"{shown}并列"
        return f"无法比较：{shown}"
    if table.mode == "growth" and table.verdict:
        return table.verdict
    per_place: dict[str, list[Row]] = {}
    for r in table.rows:
        per_place.setdefault(r.place, []).append(r)
    parts = []
    for name, own in per_place.items():
        values = [f"{r.answer}（{r.year}年）" if r.year else r.answer for r in own if r.answer is not None]
        parts.append(f"{name}：{'、'.join(values) if values else NOT_STATED}")
    return "；".join(parts)


def citations(table: Table, passages_by_id, *, k: int) -> tuple[Citation, ...]:
    """A citation per stated row, in the table's order (all of them, even past k: each row cites its own)."""
    out: list[Citation] = []
    seen = set()
    for r in table.rows:
        if r.passage_id is None or r.passage_id in seen:
            continue
        seen.add(r.passage_id)
        hit = Hit(
            row=-1,
            passage=passages_by_id(r.passage_id),
            score=1.0,
            dense=None,
            keyword=None,
            legs=(),
            matched=(),
        )
        out.append(citation(len(out) + 1, hit, span=r.span))
    return tuple(out[: max(k, len(out))])


def answer_table(
    q: Question,
    passages: Sequence[Passage],
    *,
    years_named: Callable[[Passage], Iterable[int]] = lambda p: (),
) -> tuple[Table, list[str]] | None:
    """The table for a question across reports, with notes; None when it is not one, or when no report states the
    measure and the question names its places (then the single answer is read as for any question). A comparison
    or superlative that no report can answer gets its table of 报告中未提及 rows, never an unrelated word."""
    plan = detect(q)
    if plan is None:
        return None
    rows, notes = gather(
        plan, passages, year=q.year, change_asked=q.comparison.change, years_named=years_named
    )
    if plan.mode == "places" and len({r.place for r in rows}) < 2:
        return None  # one of the places named is covered: a question about it (厦门…请来台湾的…)
    if plan.mode == "growth" and len({(r.place, r.year) for r in rows if r.answer is not None}) < 2:
        return None  # one figure gives no change: the single answer reads a change the report states (同比增长23.5%)
    if not any(r.answer is not None for r in rows):
        if plan.mode in ("growth", "series", "places"):
            return None  # a report may state the change itself (比上年增加9.09%): the single answer reads it
        if plan.mode == "compare" and len({r.place for r in rows}) < 2:
            # One place's reports stating nothing compare nothing (海南省 asked of 各市县, only the province's own
            # reports): the single answer reads them, as for any question.
            return None
        notes.append(f"报告中没有找到{plan.measure.phrase}的数字")
    return build_table(plan, rows), notes
