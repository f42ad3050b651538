"""Candidate answer spans in a sentence: numbers with units, dates, person names, organisations, lists, quotes."""

from __future__ import annotations

import re
from dataclasses import dataclass

from index.places.matcher import chain, find_places
from index.text import figures
from index.text.patterns import HAN
from index.text.split import CLAUSE_END

from .lexical import JOINED, Word, entities, words

# The part of the day a date may carry (8月21日上午): a question asking when gets the whole of it.
_PART_OF_DAY = "(?:上午|下午|中午|晚上|傍晚|凌晨)?"
DATE = re.compile(
    rf"(?:每年的?)?(?:{figures.YEAR}年(?:\d{{1,2}}月(?:\d{{1,2}}日{_PART_OF_DAY})?|初|底|末|年中|上半年|下半年)?"
    rf"|(?:今年|去年|当年)?\d{{1,2}}月(?:\d{{1,2}}日{_PART_OF_DAY}|初|底|中旬|上旬|下旬)?)"
    # a decade: 上个世纪90年代中期, 2010年代初
    r"|(?:上个?世纪|本世纪|20世纪|二十世纪)?(?:(?:19|20)?\d0)年代(?:初期|中期|末期|中后期|前期|后期|初|中|末)?"
)

# --- people ---------------------------------------------------------------------------------------
_TITLES = (
    "党组书记 党组副书记 书记 副书记 常委 董事长 总经理 秘书长 劳模 全国劳模 省劳模 工匠 代表 同志 记者 主持人"
).split()
# A head of an office, its deputy and its executive deputy: 主席, 副主席, 常务副主席, 常务副县长, 副区长.
_HEADS = "主席 主任 省长 市长 州长 县长 区长 旗长 镇长 乡长 厅长 局长 部长 处长 科长 院长 校长 会长 厂长 矿长 段长".split()
_TITLE = (
    "(?:(?:常务)?副?(?:" + "|".join(_HEADS) + ")|" + "|".join(sorted(_TITLES, key=len, reverse=True)) + ")"
)

# --- organisations, places, documents, quoted names ------------------------------------------------
QUOTED = re.compile(r"[《“「]([^《》“”「」]{2,40})[》”」]")
HONOR = re.compile(
    r"(?:评为|授予|荣获|获得|获评|命名为|被评为|称为)([^，。；,;]{2,40}?)(?:称号|荣誉称号|荣誉|$|[，。；,;])"
)
# An item may hold a short bracket: 乡镇(街道)、村(社区)、企业.
_ITEM = r"(?:[^，。；：:,;、“”()（）《》]|[(（][^，。；：,;、()（）]{1,10}[)）]){1,16}"
ENUMERATION = re.compile(rf"{_ITEM}(?:、{_ITEM}){{1,12}}(?:(?:及|和|与|以及){_ITEM})?")
_PLACE_BEFORE = ("在", "于", "到", "赴")  # 在长汀宣告成立: a place where something happened


@dataclass(frozen=True)
class Span:
    """A candidate answer: [start, end) in the sentence, its text and what it is."""

    start: int
    end: int
    text: str
    kind: str  # number, date, person, people, org, headed, place, quote, honor, list, ordinal, tail, city,
    # clause, gloss, role
    unit: str | None = None
    label: str | None = None  # for a person, the title before the name
    body: str | None = None  # for a person, the body the title belongs to (市总工会 in 市总工会主席李某)


# Magnitudes alone (百万, 千, 亿): in brackets after a head they name its unit.
_UNIT_NOTE = re.compile(r"[十百千万亿]+")


def numbers(sentence: str) -> list[Span]:
    """Figures with their qualifiers and units (95%以上, 14690家, 1.4亿元, 36元至100元, 十六次); dates left out."""
    spans = []
    in_dates = [(d.start, d.end) for d in dates(sentence)]
    for m in figures.NUMBER.finditer(sentence):
        text = m.group().strip()
        if not re.search(r"\d", text) or any(a <= m.start() and m.end() <= b for a, b in in_dates):
            continue
        after = sentence[m.end() : m.end() + 1]
        unit = figures.unit_of(text)
        if unit == "年" and re.fullmatch(figures.YEAR + "年", text):
            continue  # a calendar year, not a count
        if after in "月" and unit is None:
            continue
        spans.append(Span(m.start(), m.start() + len(text), text, "number", unit))
    for m in figures.CHINESE_NUMBER.finditer(sentence):
        if _UNIT_NOTE.fullmatch(m.group(1)) and sentence[m.start() - 1 : m.start()] in ("(", "（"):
            continue  # 总市值(百万元): the unit a table head's figures are in, not a million
        if figures.chinese_value(m.group(1)) is not None:
            spans.append(Span(m.start(), m.end(), m.group(), "number", figures.unit_of(m.group())))
    return spans


def dates(sentence: str) -> list[Span]:
    return [
        Span(m.start(), m.end(), m.group(), "date")
        for m in DATE.finditer(sentence)
        if re.search(r"\d", m.group())
    ]


_TITLE_BEFORE = re.compile(rf"({_TITLE}(?:、(?:市总工会|总工会)?{_TITLE})*)$")
_TITLE_ANY = re.compile(_TITLE)
TITLE_CHAIN, TITLE_WORD = _TITLE_BEFORE, _TITLE_ANY  # for reading a question's titles (qa.question)


def title_in(text: str) -> str | None:
    """The first title a text names (主席, 常务副主席): what a person question asks for."""
    match = _TITLE_ANY.search(text)
    return match.group() if match else None


def titles_of(chain: str | None) -> list[str]:
    """The titles of a chain as a label holds it: 党组书记、市总工会常务副主席 -> [党组书记, 常务副主席]."""
    return [_TITLE_ANY.search(t).group() for t in (chain or "").split("、") if _TITLE_ANY.search(t)]


# The body a title belongs to, as the words right before it write it: 省总工会, 市总工会, 北汽集团工会, 市委. Only its
# level and its kind are read (市 + 总工会): the name before them (北汽集团, 发改) tells nothing a question checks.
_BODY = re.compile(
    r"(省|自治区|市|州|盟|县|区|旗|镇|乡)?(总工会|工会联合会|工会|人大常委会|政协|政府|党委|委员会|委|局|厅|部|办|院|"
    r"公司|集团|协会)$"
)


def body_before(text: str) -> str | None:
    """The body a title right after `text` belongs to (…,省总工会| -> 省总工会), None when none is written."""
    start = max(text.rfind(ch) for ch in "，,、；;。：:（(") + 1
    match = _BODY.search(text[start:])
    return match.group() if match else None


def _chain_body(sentence: str, chain: re.Match[str]) -> str | None:
    """The body of a chain's last title: its own (人大常委会副主任、市总工会主席 -> 市总工会), else the chain's."""
    last = chain.group(1).split("、")[-1]
    own = _TITLE_ANY.search(last)
    return body_before(last[: own.start()] if own else "") or body_before(sentence[: chain.start()])


def same_body(asked: str | None, given: str | None) -> bool:
    """Whether a title's body fits the one a question names: 市总工会 fits 赣州市总工会, not 省总工会 or 北汽集团工会.

    Unknown on either side fits; a level (省, 市, 县…) counts only when both write one.
    """
    if not asked or not given:
        return True
    a, g = _BODY.search(asked), _BODY.search(given)
    if not a or not g:
        return True
    kind_a, kind_g = a.group(2), g.group(2)
    if kind_a != kind_g and not (
        kind_a.endswith("工会") and kind_g.endswith("工会") and "总" not in kind_a + kind_g
    ):
        return False
    return not (a.group(1) and g.group(1) and a.group(1) != g.group(1))


# The most common Chinese surnames (over 85% of people; the Ministry of Public Security's 2020 count): a name LAC
# misses right after a title (全国劳模高孔长) is taken only when it starts with one of them.
_SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
    "姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤修兰阮章"
)
_AFTER_NAME = re.compile(r"[、，,。；;：:（(）)和与及等同]|$")


def people(sentence: str) -> list[Span]:
    """Person names (LAC's PER, and a surname-led name right after a title LAC misses), each with the chain of
    titles right before it, if any, as its label (else a title right after it: 王彤标主席)."""
    tagged = words(sentence)
    found = [
        (w.start, _whole_name(sentence, tagged, w))
        for w in entities(sentence, "PER")
        if 2 <= len(w.text) <= 4
    ]
    starts = {w.start for w in tagged} | {len(sentence)}
    for m in _TITLE_ANY.finditer(sentence):
        e = m.end()
        if e >= len(sentence) or sentence[e] not in _SURNAMES or any(a <= e < b for a, b in found):
            continue
        for n in (3, 2):
            name = sentence[e : e + n]
            # A word that is not a name (主席团, 主任委员) is no name; LAC reads some three-character names
            # before 和/、 as verbs (工会主席许中兴和…): those are names.
            one_word = any(
                w.start == e
                and w.end == e + n
                and w.tag not in ("PER", "nr")
                and not (n == 3 and w.tag == "v" and _AFTER_NAME.match(sentence, e + n))
                for w in tagged
            )
            if (
                re.fullmatch(HAN + "+", name)
                and len(name) == n
                and e + n in starts
                and not one_word
                and (
                    _AFTER_NAME.match(sentence, e + n)
                    or any(w.start == e + n and w.tag == "v" for w in tagged)
                )
            ):
                found.append((e, e + n))
                break
    out = []
    for a, b in sorted(set(found)):
        title = _TITLE_BEFORE.search(sentence[:a])
        if title:
            label, body = title.group(1), _chain_body(sentence, title)
        else:  # 通化市总工会王彤标主席: the title after the name, the body before it
            after = _TITLE_AFTER.match(sentence, b)
            label, body = (after.group(), body_before(sentence[:a])) if after else (None, None)
        out.append(Span(a, b, sentence[a:b], "person", label=label, body=body))
    return out


_TITLE_AFTER = re.compile(
    rf"(?:常务)?副?(?:{'|'.join(_HEADS)})|党组书记|党组副书记|书记|副书记|董事长|总经理|秘书长"
)


def _whole_name(sentence: str, tagged: tuple[Word, ...], name: Word) -> int:
    """The end of a two-character name LAC cut before its last character, which it glued to the next word
    (严龙|平日前 -> 严龙平|日前, 王彤|标主席 -> 王彤标|主席): the rest of that word must be a word of its own."""
    if len(name.text) != 2:
        return name.end
    glued = next((w for w in tagged if w.start == name.end), None)
    if glued is None or len(glued.text) < 3 or not re.match(HAN, glued.text):
        return name.end
    rest = words(sentence[glued.start + 1 :])
    if rest and rest[0].end == len(glued.text) - 1 and rest[0].tag not in ("u", "p", "c", "w"):
        return name.end + 1
    return name.end


# Between two names of one list: a joiner, and the next name's title (高孔长、全国劳模兰华雄、省劳模修连金).
_NAME_GAP = re.compile(rf"[、，,和与及\s]{{1,2}}(?:{HAN}{{0,6}}?{_TITLE})?")


def name_lists(names: list[Span], sentence: str | None = None) -> list[Span]:
    """Runs of names joined by 、/和/与/及, titles between them kept (都有谁 asks for every one), one span each.

    With the sentence, the span is its text from the first name to the last; without, the names joined by 、.
    """
    out = []
    run: list[Span] = []
    for span in sorted(names, key=lambda s: s.start) + [None]:
        if span is not None and run and run[-1].end <= span.start:
            gap = sentence[run[-1].end : span.start] if sentence is not None else None
            joined = (
                _NAME_GAP.fullmatch(gap) is not None if gap is not None else span.start - run[-1].end <= 2
            )
            if joined:
                run.append(span)
                continue
        if len(run) > 1:
            text = (
                sentence[run[0].start : run[-1].end]
                if sentence is not None
                else "、".join(s.text for s in run)
            )
            out.append(Span(run[0].start, run[-1].end, text, "people", label=str(len(run))))
        run = [span] if span is not None else []
    return out


def organisations(sentence: str) -> list[Span]:
    """Organisations (LAC's ORG), two joined by 联合/和/与/及 cut apart, one name LAC cuts in two read whole."""
    found = entities(sentence, "ORG")
    tagged = {w.start: w for w in words(sentence)}
    out: list[Span] = []
    for w in found:
        start, end = w.start, w.end
        if (
            out
            and out[-1].end == start
            and not JOINED.match(sentence, start)
            and not _JOINED_END.search(out[-1].text)
        ):
            start = out.pop().start  # LAC's two ORG words of one name: 中国能建|江西电建三公司
        after = tagged.get(end)
        if (
            after is not None
            and after.tag == "n"
            and len(after.text) <= 3
            and _ORG_SUFFIX.fullmatch(after.text)
        ):
            end = after.end  # the organisation word LAC left out: …三公司检修|公司
        out.append(Span(start, end, sentence[start:end], "org"))
    return [o for o in out if len(o.text) >= 2]


# A noun that ends an organisation's name (公司, 集团, 分会, 中心, 工会). Joining LAC's cut ORG words and this noun, held
# out on the world (python -m eval --world, 972 questions): entity accuracy 0.879 -> 0.887, one name cut short
# (…|公司) now whole; all 0.877 -> 0.878 at precision 0.956.
_ORG_SUFFIX = re.compile(rf"{HAN}{{0,2}}(?:公司|集团|中心|工会|分会|协会|委员会|厂|局|院|所)")
# An ORG word LAC ends with the word that joins it to the next (宁德市总工会联合|市卫计委): two bodies, never one name.
_JOINED_END = re.compile(f"(?:{JOINED.pattern})$")


def places(sentence: str) -> list[Span]:
    """Places: LAC's LOC, and the divisions index.places.matcher knows after 在/于/到/赴."""
    out = [Span(w.start, w.end, w.text, "place") for w in entities(sentence, "LOC") if len(w.text) >= 2]
    for m in find_places(sentence):
        if m.start > 0 and sentence[m.start - 1] in _PLACE_BEFORE:
            out.append(Span(m.start, m.end, m.text, "place"))
    return out


# Words that lead a place: 在, 到, 位于, 搬至 (LAC tags the verbs v, the prepositions p).
_LOCATIVE = re.compile(r"来到|位于|设在|搬至|搬到|迁至|迁到|落户|在|于|到|至|赴")


def locatives(sentence: str) -> list[Span]:
    """Where something is or happens: the run of name words after 在/到/位于/搬至… (在集安市工人文化宫广场举办 ->
    集安市工人文化宫广场, 来到通化市职工服务中心 -> the centre, 位于通化市劳模馆内的 -> …馆内)."""
    tagged = words(sentence)
    starts = {w.start: i for i, w in enumerate(tagged)}
    out = []
    for m in _LOCATIVE.finditer(sentence):
        i = starts.get(m.end())
        if i is None or m.start() not in starts:
            continue  # 在 inside a word (现在, 存在) leads nothing
        j = i
        while j < len(tagged) and tagged[j].tag in _NAME_TAGS and tagged[j].end - m.end() <= 24:
            j += 1
        end = tagged[j - 1].end if j > i else m.end()
        if end - m.end() >= 2:
            out.append(Span(m.end(), end, sentence[m.end() : end], "locative"))
    return out


# Words that may stand in a name before its head noun: nouns, names, places, numerals, adjectives.
_NAME_TAGS = ("n", "nz", "ns", "nt", "nw", "PER", "LOC", "ORG", "j", "m", "a", "an", "vn", "f", "s", "b")
_HEAD_FAMILIES: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("学校", "院校", "大学", "高校"), ("学院", "大学", "学校", "中学", "小学", "院校")),
    (("企业", "公司"), ("公司", "集团", "企业", "厂")),
    (("工会组织", "工会"), ("工会", "工会联合会", "联合会")),
    (("单位", "部门", "机构", "组织"), ("局", "委", "厅", "办", "部", "院", "会", "中心", "公司", "集团")),
)
# A one-word owner before 的 that belongs to a name (党的二十大精神, 党的建设): kept with the phrase it heads.
_OWNER_TAGS = ("n", "nz", "nt", "ORG", "j")


def head_family(noun: str) -> tuple[str, ...]:
    """Heads that name the same kind of thing as the asked noun: 学校 -> 学院, 大学, …; () when none."""
    for nouns, heads in _HEAD_FAMILIES:
        if noun in nouns:
            return heads
    return ()


def headed(sentence: str, noun: str | None) -> list[Span]:
    """Noun phrases headed by the asked noun or its family (什么宣讲团 -> …宣讲团, 哪所学校 -> …学院)."""
    heads = (noun,) + head_family(noun) if noun else ()
    if not any(head in sentence for head in heads):
        return []  # nothing to head a phrase: no need to tag the sentence
    tagged = words(sentence)
    ends = {w.end for w in tagged}
    out = []
    for head in heads:
        pos = sentence.find(head)
        while pos >= 0:
            end = pos + len(head)
            first = next((i for i, w in enumerate(tagged) if w.start <= pos < w.end), None)
            # 联合督办 ends in 办 but is a verb, not a body: a head inside a verb heads nothing
            if end in ends and first is not None and tagged[first].tag != "v":
                j = first
                while (
                    j > 0
                    and end - tagged[j - 1].start <= 24
                    and (tagged[j - 1].tag in _NAME_TAGS or tagged[j - 1].text in "“”《》")
                ):
                    j -= 1
                if (
                    j >= 2
                    and tagged[j - 1].text == "的"
                    and tagged[j - 2].tag in _OWNER_TAGS
                    and len(tagged[j - 2].text) == 1
                    and (j < 3 or tagged[j - 3].tag not in _NAME_TAGS)
                ):
                    j -= 2  # 落实|党的二十大精神: the owner word is part of the name
                start = min(tagged[j].start, pos)
                if end - start > len(head):
                    out.append(Span(start, end, sentence[start:end], "headed"))
            pos = sentence.find(head, pos + 1)
    return out


def quoted(sentence: str) -> list[Span]:
    out = [Span(m.start(), m.end(), m.group(), "quote") for m in QUOTED.finditer(sentence)]
    for m in HONOR.finditer(sentence):
        text = m.group(1).strip()
        if text:
            out.append(Span(m.start(1), m.start(1) + len(text), text, "honor"))
    return out


# What may open a list's first item without being part of it: 要手勤、脚勤 -> 手勤, 即服务基层、… -> 服务基层.
_LIST_LEAD = re.compile(r"^.*(?:的是|即|是|为|要|有|包括|包含|分别|主要|等|的)")


def enumerations(sentence: str) -> list[Span]:
    """Lists of items joined by 、 (and a last 及/和); `label` holds the item count.

    When the first item opens with a lead-in (要手勤, 即服务…, …建立的全总), the list without it is offered too.
    """
    out = []
    for m in ENUMERATION.finditer(sentence):
        items = re.split(r"、|及|以及|和|与", m.group())
        out.append(Span(m.start(), m.end(), m.group(), "list", label=str(len(items))))
        lead = _LIST_LEAD.match(items[0])
        cut = lead.end() if lead and len(items[0]) - lead.end() >= 1 else 0
        # …or with a verb and what comes before it (市总工会健全乡镇(街道)、村(社区)、企业 -> 乡镇(街道)、…)
        tagged = words(sentence)
        first = [w for w in tagged if m.start() + cut <= w.start < m.start() + len(items[0])]
        verbs = [i for i, w in enumerate(first[:-1]) if w.tag == "v"]
        # …when the other items are nouns (干革命走前头、搞建设争上游 is a list of verb phrases: kept whole)
        rest = [w for w in tagged if m.start() + len(items[0]) <= w.start < m.end()]
        if verbs and not any(w.tag == "v" for w in rest):
            cut = first[verbs[-1] + 1].start - m.start()
        if cut:
            start = m.start() + cut
            out.append(Span(start, m.end(), sentence[start : m.end()], "list", label=str(len(items))))
    return out


def list_items(text: str) -> list[str]:
    """The items of a list span."""
    return [i for i in re.split(r"、|及|以及|和|与|，|,", text) if i]


_CONNECTIVE = re.compile(r"^(?:则|就|即|并|而|又|也|再|还|便|将|可|才|随即|然后|之后|最后)")
# A clause that states a condition: 在其生病住院形成住院清单之后, 经调解一个月不成协议的, 如果…
_CONDITION = re.compile(
    r"^(?:如果|若|只要|凡|一旦|假如)|^(?:在|当|经).*(?:后|时|前|的|下)$|(?:的|之后|以后|之时|时)$"
)


def clauses(sentence: str) -> list[Span]:
    """Each clause of the sentence (between commas, semicolons and colons), a leading connective dropped.

    label: "condition" when the clause states one, "consequence" when the clause before it does
    (经调解一个月不成协议的，交由法院继续审理), "condition consequence" for both, None otherwise.
    """
    out = []
    start = 0
    previous_condition = False
    for m in list(CLAUSE_END.finditer(sentence)) + [None]:
        end = m.start() if m else len(sentence)
        raw = sentence[start:end]
        lead = _CONNECTIVE.match(raw)
        offset = start + (lead.end() if lead else 0)
        text = sentence[offset:end].strip()
        is_condition = bool(_CONDITION.search(text))
        if 2 <= len(text):
            label = " ".join(
                n for n, on in (("condition", is_condition), ("consequence", previous_condition)) if on
            )
            out.append(Span(offset, offset + len(text), text, "clause", label=label or None))
        previous_condition = is_condition
        start = end + 1
    return out


_GLOSS = re.compile(r"[（(]([^（）()]{2,80})[）)]")
_GLOSS_LEAD = re.compile(r"^(?:即|指|也就是|就是|是指|包括)")


def glosses(sentence: str) -> list[Span]:
    """What a bracket right after a term says it means: “五心五勤”作风（即…） -> the text inside, 即 dropped.

    label: the 24 characters before the bracket (the term it explains).
    """
    out = []
    for m in _GLOSS.finditer(sentence):
        lead = _GLOSS_LEAD.match(m.group(1))
        start = m.start(1) + (lead.end() if lead else 0)
        text = sentence[start : m.end(1)]
        if len(text) >= 2:
            out.append(
                Span(start, m.end(1), text, "gloss", label=sentence[max(0, m.start() - 24) : m.start()])
            )
    return out


def role_holders(sentence: str, role: str) -> list[Span]:
    """Who holds a role: 以市委分管领导为组长, 组长由X担任, 由X担任组长 -> X."""
    r = re.escape(role)
    return captured(
        sentence,
        (
            rf"以([^，,；;。以]{{2,16}}?)为{r}",
            rf"{r}由([^，,；;。]{{2,16}}?)担任",
            rf"由([^，,；;。由]{{2,16}}?)(?:担任|任){r}",
        ),
        "role",
    )


def captured(sentence: str, patterns, kind: str) -> list[Span]:
    """The first group of every match of each pattern, as a candidate of `kind`."""
    return [
        Span(m.start(1), m.end(1), m.group(1), kind)
        for pattern in patterns
        for m in re.finditer(pattern, sentence)
    ]


def ordinal_items(sentence: str, numeral: str, head: str) -> list[Span]:
    """The item a 第N… question asks for: from "N<head>" to the end of its clause (八送温馨)."""
    out = []
    for m in re.finditer(re.escape(numeral + head), sentence):
        end = re.search(r"[，,。；;：:]", sentence[m.start() :])
        stop = m.start() + (end.start() if end else len(sentence) - m.start())
        if stop - m.start() <= 20:
            out.append(Span(m.start(), stop, sentence[m.start() : stop], "ordinal"))
    return out


units_compatible = figures.units_compatible


def city_mentions(sentence: str) -> list[Span]:
    """Cities named in the sentence, as the city (a county, district or nickname counts for its city)."""
    out = []
    for m in find_places(sentence):
        city = next((p for p in chain(m.place.code) if p.level != "county"), m.place)
        if city.level == "province" and not city.name.endswith("市"):
            continue  # 哪个市 is answered by a city (a municipality is one), not a province
        out.append(Span(m.start, m.end, city.label, "place"))
    return out
