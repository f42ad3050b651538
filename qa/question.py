"""Reading a question once: clean it, find its places and year, the kind and unit of answer, what it asks for
(a list, a comparison, a role, a form of answer) and its key terms."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from index.places.matcher import Mention, find_places
from index.text import bylines, figures
from index.text.normalise import normalize, to_simplified, tokenize
from index.text.patterns import HAN, NUMERALS, quoted

from .spans import TITLE_CHAIN, TITLE_WORD, body_before, title_in, titles_of
from .validate import MAX_QUESTION_CHARS, RAW_QUESTION_CHARS

# A year as a question writes it (2021年, 2021): its digits in group 1.
YEAR = re.compile(rf"({figures.YEAR})\s*年?")
_LATEST = re.compile(r"最新|目前|现在|当前|最近|如今|现阶段")
# Order matters: a date question may say 几月, a number question 几.
_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "date",
        re.compile(
            r"何时|什么时候|哪天|哪一天|哪一年|哪年|几月|几号|哪个月|什么时间|日期|何年|哪一日|什么日子|起始时间|时间是"
        ),
    ),
    ("city", re.compile(r"哪个市|哪个城市|哪些城市|哪座城市|哪些市|哪一个市")),
    # 由谁主持, 由谁带队: a person leads a meeting or a team (由谁主办 asks for an organisation, read below).
    ("person", re.compile(r"由谁(?:来)?(?:主持|带队|带领|率队|率领|领队|致辞|讲话|宣读|颁奖|作报告)")),
    (
        "place",
        re.compile(
            r"什么称号|什么荣誉|什么奖|什么文件|什么名字|叫什么|什么平台|什么单位|什么机构|哪个工会|哪级工会|哪个部门|哪个组织|哪个机构|哪所|哪家|哪个单位|哪些单位|被谁|由谁"
        ),
    ),
    ("person", re.compile(r"谁|哪位|哪几位|姓名")),
    (
        "number",
        re.compile(
            r"多少|几|比例|比率|占比|百分之|[^效频]率(?:是|为|达|有)?|数量|规模|金额|标准|多高|多大|多长|总数|人数|户数"
        ),
    ),
    (
        "place",
        re.compile(
            r"哪里|哪儿|哪家|哪个单位|哪些单位|哪个部门|哪些部门|什么地方|在哪|何地|哪个地方|哪所|哪个机构|什么单位|哪些企业|哪个企业|哪个村|哪个学院|和谁|与谁|被谁|谁评"
        ),
    ),
    ("definition", re.compile(r"什么|哪些|怎样|如何|怎么|内容|含义|指的是|是指|包括|有哪")),
)
# 多少/几 with a magnitude and a measure word of the one figure grammar (index.text.figures.UNITS), so a question
# counts in the units figures are written in: 多少家 -> 家, 多少万元 -> 万元, 几个月 -> 个月. Group 1 is the
# magnitude, group 2 the measure word (read by how_many: it must end a word).
_HOW_MANY = rf"(?:多少|几)\s*({figures.MAGNITUDE})?\s*"
ASK_COUNT = re.compile(_HOW_MANY + rf"({figures.UNIT_WORD})?")
# 多少钱 asks for money whatever noun follows (多少钱给职工孩子…: not a count of 工会 or 孩子).
_ASKS_MONEY = re.compile(_HOW_MANY + r"(?:钱|资金|经费|金额|款|费用)")
_RATE = re.compile(r"率|比例|占比|百分之|覆盖面|百分比")
_MONEY = re.compile(r"资金|金额|经费|钱|元|补助金|慰问金|助学金|款|津贴|效益|费|收益|价值")
_NUMBER_LIKE = re.compile(r"号码|编号|电话是多少|热线是多少")
# The head word of the noun a count question counts tells its unit: 工会会员 counts people (会员), 基层工会
# counts organisations (工会), 就业岗位 counts 个.
_HEAD_UNITS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(?:钱|资金|经费|会费|金额|款|补助|补贴|津贴|慰问金|助学金|效益|收益)$"), "元"),
    (
        re.compile(
            r"(?:职工|人|人数|学生|会员|劳模|农民工|子女|干部|律师|工匠|劳动者|员工|孩子|先进|代表|主席|人员|者|人才|志愿者)$"
        ),
        "名",
    ),
    (
        re.compile(
            r"(?:企业|单位|公司|工会|组织|基地|站点|驿站|园区|书屋|工作室|集体|协会|联合会|学校|医院|机构)$"
        ),
        "家",
    ),
    (re.compile(r"(?:家庭|户|户数)$"), "户"),
    (re.compile(r"(?:岗位|项目|平台|阵地)$"), "个"),
)
# What a "what X" question asks for: 什么宣讲团, 哪所学校, 哪个村.
_ASKED_NOUN = re.compile(
    rf"(?:什么|哪个|哪所|哪家|哪一个|哪一家|哪些|哪位|哪级|哪座|哪(?![里儿]))({HAN}{{1,6}}?)"
    r"(?:[?？。，,]|$|的|在|是|被|来|举办|联合|合办|开展|获得|进行|完成|命名|办|主办|承办|颁发|授予)"
)
_NAMED_AS = re.compile(rf"({HAN}{{2,10}})(?:叫|名叫|称为|叫做)什么")
_GENERIC_NOUNS = frozenset("名字 名称 称号 荣誉 东西 内容 样 么 些 方面 里 儿 时候 时间 年 天 一年".split())


_NOUN_TAGS = ("n", "nz", "vn", "an", "ORG", "LOC", "nw")


def _noun_runs(words) -> list[str]:
    """Consecutive noun words joined: [困难职工家庭, 孩子] for 困难职工家庭的孩子; a verb right before a noun
    modifies it (列席代表, 参会代表)."""
    runs, run = [], ""
    words = list(words)
    for n, w in enumerate(words):
        modifier = not run and w.tag == "v" and n + 1 < len(words) and words[n + 1].tag in _NOUN_TAGS
        if w.tag in _NOUN_TAGS or (not run and w.tag == "a") or modifier:
            run += w.text
        else:
            if run:
                runs.append(run)
            run = ""
            if w.tag not in ("u",):  # X的Y counts Y: read on over 的
                break
    if run:
        runs.append(run)
    return runs


@dataclass(frozen=True)
class HowMany:
    """Where a question asks how many (多少, 几), and the magnitude and measure word it counts in."""

    start: int
    end: int  # after the measure word when there is one, else after 多少/几 (and a magnitude)
    magnitude: str | None  # 万, 亿, 千, 百
    unit: str | None  # the measure word as written: 家, 人次, 万元, 个月


def how_many(text: str) -> HowMany | None:
    """The first 多少/几 of a question with the magnitude and measure word after it, or None.

    A measure word that may begin a longer word (figures.WORD_SAFE_UNITS lists those that do not) is one only
    where a word ends with it: 多少场劳动竞赛 counts in 场, 多少部门 and 多少成员单位 count 部门 and 成员单位.
    """
    match = ASK_COUNT.search(text)
    if not match:
        return None
    unit = match.group(2)
    if unit and unit not in figures.WORD_SAFE_UNITS and not _ends_word(text, match.end(2)):
        return HowMany(match.start(), match.start(2), match.group(1), None)
    return HowMany(match.start(), match.end(), match.group(1), unit)


def _ends_word(text: str, end: int) -> bool:
    """Whether a word of the text (the segmenter's) ends at `end`."""
    from index.text.normalise import segmenter

    position = 0
    for word in segmenter().cut(text):
        position += len(word)
        if position >= end:
            return position == end
    return True


def counted_noun(text: str) -> str | None:
    """The noun a count question counts: the nouns after 多少/几 and its measure word (多少项新技术 -> 新技术,
    多少个困难职工家庭的孩子 -> 孩子), else the noun right before them (工会会员有多少 -> 会员)."""
    from .lexical import words

    asked = how_many(text)
    if asked is None:
        return None
    runs = [r for r in _noun_runs(words(text[asked.end : asked.end + 14])) if len(r) >= 2]
    if runs:
        return runs[-1][:8]
    before = [w for w in words(text[: asked.start]) if w.tag != "w"]
    while before and before[-1].tag in ("v", "p", "d", "r") and len(before) > 1:
        before.pop()  # 会员共有多少, 人数是多少
    if before and before[-1].tag in _NOUN_TAGS and len(before[-1].text) >= 2:
        return before[-1].text
    return None


def head_word(noun: str) -> str:
    """The last word of a noun phrase (工会会员 -> 会员, 基层工会 -> 工会), or the phrase when it is one word."""
    from index.text.normalise import segmenter

    parts = [w for w in segmenter().lcut(noun) if w.strip()]
    return parts[-1] if parts and len(parts[-1]) >= 2 else noun


def counted_unit(noun: str) -> str | None:
    """The unit a counted noun is counted in, read from its head word."""
    head = head_word(noun)
    for pattern, unit in _HEAD_UNITS:
        if pattern.search(head) or pattern.search(noun):
            return unit
    return None


def asked_noun(text: str) -> str | None:
    """The noun a "what X" question asks for (什么宣讲团 -> 宣讲团, 哪所学校 -> 学校), None when it names none."""
    match = _ASKED_NOUN.search(text)
    noun = match.group(1) if match else None
    if noun is None or noun in _GENERIC_NOUNS:
        named = _NAMED_AS.search(text)
        noun = head_word(named.group(1)) if named else None
    if not noun or noun in _GENERIC_NOUNS:
        return None
    return noun if len(noun) <= 4 else head_word(noun)


# A question about an article itself: who wrote it, who took its photo, when it appeared. Such facts stand in
# the article's byline cards (index.text.bylines), which only these questions search; the card's label for the fact
# joins the question's terms.
_ABOUT: tuple[tuple[str, re.Pattern[str], str], ...] = (
    ("photo", re.compile(r"谁拍|拍摄|摄影|谁摄|(?:照片|图片|相片).{0,8}谁"), bylines.PHOTO),
    ("author", re.compile(r"谁写|谁撰|作者|撰文|撰写|撰稿|执笔|署名|记者是谁|谁采写"), bylines.AUTHOR),
    (
        "date",
        re.compile(
            r"刊登|刊发|刊载|发表|见报|登报|登载|出版|(?:这篇|该篇|此篇).{0,12}(?:哪天|哪一天|何时|日期)"
        ),
        bylines.DATE,
    ),
)


_ASKS_WHO = re.compile(r"是谁|叫什么|是哪位|由谁|姓名|姓什么")


def asked_titles(text: str) -> tuple[tuple[str, ...], str | None]:
    """The titles a person question asks for and the body they belong to: 东营市总工会党组书记、常务副主席是谁 ->
    ((党组书记, 常务副主席), 东营市总工会). The chain right before the asking words, else every title named."""
    ask = _ASKS_WHO.search(text)
    head = text[: ask.start()] if ask else text
    chain = TITLE_CHAIN.search(head)
    if chain:
        return tuple(titles_of(chain.group(1))), body_before(head[: chain.start()])
    return tuple(titles_of("、".join(TITLE_WORD.findall(text)))), None


def asks_about_article(text: str, kind: str) -> tuple[str | None, str | None]:
    """Which fact of an article a question asks for (author, photo, date) and the card's label for it."""
    for about, pattern, label in _ABOUT:
        if pattern.search(text) and (about != "date" or kind == "date"):
            return about, label
    return None, None


# --- what a question asks for, read once here (the extractor, lists and comparisons read these fields) -----------
# A list: every item of something (有哪些, 哪几项, 包括什么), not a figure.
_LIST_Q = re.compile(r"有哪些|哪几|哪些|都有什么|都有啥|包括什么|包括哪|包含哪|分别是什么|分别有什么|有什么")
# 哪几类/哪几个 asks for the items though the kind reader counts its 几 as a number.
_WHICH_FEW = re.compile(r"哪几")
# A term the question quotes (“五勤”, 《意见》): an answer restates nothing the question already names.
_QUOTED = quoted(20)
# 组长由谁担任: whoever the text makes 组长 (以市委分管领导为组长).
_ROLE_Q = re.compile(rf"(?:的)?({HAN}{{2,3}}?)由谁(?:来)?(?:担任|出任|任)")
# "…最关键的是什么": the text's "最关键的是 X" answers it with X.
_COPULA_Q = re.compile(rf"({HAN}{{2,6}}?)(?:的)?(?:是|为|指)(?:什么|哪些|哪个)[？?]?$")
# "…在法院设立的什么": the object the text gives that verb (设立维护职工权益合议庭).
_VERB_OBJECT_Q = re.compile(rf"({HAN}{{2}})的(?:是)?(?:什么|哪些)[？?]?$")
# The item a 第N… question asks for (第三送), or the last quoted “N…” (“五送”里的“三送”).
_ORDINAL = re.compile(rf"第([{NUMERALS}])({HAN})")
_QUOTED_ORDINAL = re.compile(rf"[“\"]([{NUMERALS}])({HAN})[”\"]")
# A numbered term names how many items it has (五勤 -> 5, 三法宝 -> 3) and, quoted, the word each repeats.
_COUNTED_TERM = re.compile(r"([一二两三四五六七八九十])(?:大|项|个|级|种|条|化|心|勤|比|送|法宝|免|提|进)")
_NUMBERED_TERM = re.compile(rf"[一二两三四五六七八九十]({HAN}{{1,2}})$")
# Per unit, asked or written before a figure (features.py): 每人, 人均.
PER_UNIT = re.compile(r"每个?(?:月|年|天|周|学期)|每[人名位户家个次生]|人均|户均|平均")
_PER_SAME = {"名": "人", "位": "人", "生": "人", "人均": "人", "户均": "户"}


def per_units(text: str) -> set[str]:
    """What a text's figures are per: 每人每月 -> {人, 月}, 人均 -> {人}, 平均 -> {平均} (any per fits it)."""
    out = set()
    for m in PER_UNIT.finditer(text):
        word = re.sub(r"^每个?(?=月|年|天|周|学期)|^每", "", m.group())
        out.add(_PER_SAME.get(word, word))
    return out


# Nouns that name what a thing is held to (its aim, rule, theme): the text frames the answer with them, 以X为宗旨,
# 按照X的要求, 向X的目标迈进, and a quote or a neighbouring clause in the sentence is not the answer.
_FRAME_NOUN = "宗旨|要求|目标|主题|理念|原则|思路|方针|模式|机制|口号|定位|愿景|格局|路径"
_FRAME_Q = re.compile(
    rf"({_FRAME_NOUN})(?:是|为)?(?:什么|哪些)|(?:什么|哪些|怎样|何种)(?:样的?)?{HAN}{{0,4}}?({_FRAME_NOUN})"
)


def frame_noun(text: str) -> str | None:
    """The noun a "what is its aim/rule/theme" question asks by: 办会宗旨是什么 -> 宗旨, 按照什么样的运作要求 -> 要求."""
    match = _FRAME_Q.search(text)
    return (match.group(1) or match.group(2)) if match else None


# The word that asks (多少, 几, 什么, 哪, 谁): the question terms around it say what the answer stands next to.
_ASK_WORD = re.compile(r"多少|几|什么|哪|谁|何时|怎样|怎么|如何")
# Where the phrase around the asking word stops: 受理的劳动争议案件中|调解成功了多少起, 多少项省级先进|？
_FOCUS_STOP = re.compile(r"[的中里被把在将为向对从，,、？?。！!]")
PHRASE_FILLER = re.compile(r"(?:了|有|是|共|一共|总共|共有|累计|达到|达|的|为|约|大概|大约|已经|已)+$")
_PHRASE_STOP = re.compile(r"[，,、；;。？?！!：:的中里被把在将向对从]")

# What makes a question one across reports (qa/compare.py).
ACROSS = re.compile(
    r"对比|比较|各地|各市|各县|各区|各城市|各个城市|各个地方|排名|排第几|排序|"
    r"哪个城市|哪座城市|哪个市|哪些城市|哪些市|哪个地方|哪个地区|哪个县|哪里"
)
SUPERLATIVE = re.compile(r"最(多|高|大|少|低|小)")
GROWTH = re.compile(r"(?:增长|增加|提高|提升|减少|下降)了?多少|增幅|增量")
SERIES = re.compile(r"历年|逐年|历次|变化|趋势|走势")
RATE_WORD = re.compile(r"率|比例|占比|覆盖面|百分比")
_CHANGE_ASKED = re.compile(r"新增|新建|新发展|新吸收|净增|增加|发展|吸收")


@dataclass(frozen=True)
class Comparison:
    """What the words of a question across places or years say: 对比/各地, 最多, 增长了多少, 历年."""

    across: str | None = None  # the words that compare (对比, 各地, 哪个城市), None when there are none
    superlative: int = 0  # 最多/最高/最大: 1, 最少/最低/最小: -1
    growth: bool = False  # 增长了多少, 增幅
    series: bool = False  # 历年, 变化, 趋势
    rate: bool = False  # it names a rate (率, 比例, 占比)
    change: bool = False  # it asks what was added (新增, 新建): a change, not a stock, is its figure


@dataclass(frozen=True)
class Form:
    """The form of answer a question's words ask for, each a cue of the extractor's features (_FORM_WORDS)."""

    several: bool = False  # more than one name or item: a list or several names may be the answer
    post: bool = False  # a post a named person holds
    where: bool = False
    org: bool = False  # which unit or partner organisation
    honor: bool = False
    document: bool = False
    next: bool = False  # what follows
    condition: bool = False  # under what condition
    partner: bool = False  # with whom
    subset: bool = False  # a part of a total
    per: bool = False  # per unit
    average: bool = False
    who_holds: bool = False  # who holds the title it names (主席是谁)
    means: bool = False  # by what means: 怎么发到…手里, 通过什么平台


# The words that raise each flag of Form.
_FORM_WORDS: tuple[tuple[str, str], ...] = (
    ("several", r"哪些|哪几|哪两|哪三|哪四|哪五|哪六|哪七|哪八|分别|几项|几个方面|包括|都有谁|有哪"),
    ("post", r"什么职务|哪些职务|什么职位|什么身份|什么头衔|担任什么|任什么职|还是什么"),
    ("where", r"哪里|在哪|何地|什么地方|哪个地方|哪儿"),
    ("org", r"哪个单位|哪些单位|哪个部门|哪些部门|哪个机构|什么单位|什么机构|哪个组织|和谁|与谁|联合"),
    ("honor", r"什么称号|什么荣誉|什么奖|(?:评为|授予|命名为|获得|荣获)了?什么"),
    ("document", r"文件|意见|办法|通知|方案|规定|条例"),
    ("next", r"接下来|然后|之后会|会怎样|会怎么|怎么办|怎么处理|如何处理|结果|后果"),
    ("condition", r"什么情况|什么条件|何种情况|哪种情况|什么前提|什么时候就|才能"),
    ("partner", r"(?:和|与|同|跟|会同|携手|联合)(?:哪|什么|谁)"),
    ("subset", r"其中|中有|之中|当中|里有|中的"),
    ("per", PER_UNIT.pattern),
    ("average", r"平均|人均|户均"),
    (
        "means",
        r"怎么|怎样|如何|什么方式|什么形式|什么途径|什么渠道|什么平台|哪个平台|什么办法|通过什么|通过哪|用什么|用哪|靠什么",
    ),
)
_FORMS = tuple((name, re.compile(words)) for name, words in _FORM_WORDS)


def _form(text: str, title: str | None) -> Form:
    flags = {name: bool(pattern.search(text)) for name, pattern in _FORMS}
    holds = bool(title and re.search(re.escape(title) + r"(?:是谁|叫什么|是哪位)", text))
    return Form(**flags, who_holds=holds)


def _comparison(text: str) -> Comparison:
    across = ACROSS.search(text)
    superlative = SUPERLATIVE.search(text)
    return Comparison(
        across=across.group() if across else None,
        superlative=(1 if superlative.group(1) in "多高大" else -1) if superlative else 0,
        growth=bool(GROWTH.search(text)),
        series=bool(SERIES.search(text)),
        rate=bool(RATE_WORD.search(text)),
        change=bool(_CHANGE_ASKED.search(text)),
    )


def asks_for_list(text: str, kind: str) -> bool:
    """Whether the question asks for every item of something (有哪些, 哪几项, 包括什么), not for a figure."""
    # 哪些城市… asks which reports say something (a question across reports), not for a list inside one;
    # 哪几类/哪几个 asks for a list though the question reader counts its 几 as a number.
    if kind == "number":
        return bool(_WHICH_FEW.search(text)) and "多少" not in text
    return kind not in ("city", "date") and bool(_LIST_Q.search(text))


def _ordinal(text: str) -> tuple[str, str] | None:
    """The numeral and word of the item a 第N…/“N…” question asks for (第三送, the last of “五送”里的“三送”)."""
    quoted = list(_QUOTED_ORDINAL.finditer(text))
    match = _ORDINAL.search(text) or (quoted[-1] if quoted else None)
    return (match.group(1), match.group(2)) if match else None


def _numbered(text: str, quoted: tuple[str, ...]) -> tuple[int | None, str | None]:
    """How many items a numbered term expects (五勤 -> 5, 三法宝 -> 3) and the word each item repeats (“五勤” -> 勤)."""
    match = _COUNTED_TERM.search(text)
    size = figures.chinese_value(match.group(1)) if match else None
    echo = None
    for term in reversed(quoted):
        found = _NUMBERED_TERM.search(term)
        if found:
            echo = found.group(1)
            break
    return size, echo


def _copula(text: str) -> tuple[str | None, str | None]:
    """The subject of "X是什么" (最关键的是什么 -> 最关键) and the verb of "V的什么" (设立的什么 -> 设立)."""
    copula = _COPULA_Q.search(text)
    verb = _VERB_OBJECT_Q.search(text)
    if copula and "是什么" in text[-5:]:
        verb = None
    return (copula.group(1) if copula else None), (verb.group(1) if verb else None)


def _focus(text: str) -> str:
    """The phrase around the asking word: 案件中调解成功了多少起 -> 调解成功了多少起."""
    match = _ASK_WORD.search(text)
    if not match:
        return ""
    stops = list(_FOCUS_STOP.finditer(text[: match.start()]))
    start = stops[-1].end() if stops else 0
    after = _FOCUS_STOP.search(text, match.end())
    return text[start : after.start() if after else len(text)]


def _asked_phrases(text: str) -> tuple[str, str]:
    """The phrase right before 多少 and right after it: 调解成功|了多少起 -> 调解成功, 多少项|省级先进 -> 省级先进."""
    asked = how_many(text)
    if asked is None:
        return "", ""
    before = PHRASE_FILLER.sub("", text[: asked.start])
    stops = list(_PHRASE_STOP.finditer(before))
    before = before[stops[-1].end() if stops else 0 :]
    after = text[asked.end :]
    stop = _PHRASE_STOP.search(after)
    after = after[: stop.start() if stop else len(after)]
    return before[-8:], after[:8]


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\ufeff\ud800-\udfff]")
_FILLER = re.compile(
    r"[那么呢吗的又和跟与请问市呀啊吧哦，,。？?！!、\s]|怎么样|如何|情况|的话|方面|这个|那个|工会|总工会"
)


@dataclass(frozen=True)
class Question:
    """A question as the retriever and the extractor see it."""

    text: str  # cleaned (simplified, NFKC), cut to MAX_QUESTION_CHARS
    original: str
    cities: tuple[str, ...]  # labels of the places it names, most specific only (郏县 for 河南平顶山郏县)
    year: int | None
    latest: bool
    kind: str  # number, date, person, place, definition
    unit: str | None  # the unit a number question counts in, e.g. 家, %, 元
    terms: tuple[str, ...]  # content tokens, cities and question words left out
    truncated: bool = False
    counted: str | None = None  # the noun a count question counts: 多少名困难职工 -> 困难职工
    synonyms: dict[str, tuple[str, ...]] = field(
        default_factory=dict
    )  # term -> the report's other words for it
    counted_head: str | None = None  # the counted noun's head word: 工会会员 -> 会员
    asked_noun: str | None = None  # the noun a "what X" question asks for: 什么宣讲团 -> 宣讲团
    places: tuple[str, ...] = ()  # division codes of the places it names, most specific only
    about: str | None = None  # a fact of the article itself it asks for: author, photo or date
    units: tuple[
        str, ...
    ] = ()  # zones, towns and companies it names, as a passage must write them (named_units)
    lists: bool = False  # it asks for every item of something (有哪些, 哪几项, 包括什么)
    comparison: Comparison = field(default_factory=Comparison)
    form: Form = field(default_factory=Form)
    quoted: tuple[str, ...] = ()  # the terms it quotes (“五勤”, 《意见》)
    title: str | None = None  # the title it names (主席, 常务副主席)
    role: str | None = None  # the role whose holder it asks for: 组长由谁担任 -> 组长
    ordinal: tuple[str, str] | None = None  # the item a 第N… question asks for: 第三送 -> (三, 送)
    numbered: int | None = None  # how many items a numbered term it names has: 五勤 -> 5
    echo: str | None = None  # the word each item of a quoted numbered term repeats: “五勤” -> 勤
    copula: str | None = None  # the subject of "X是什么": 最关键的是什么 -> 最关键
    verb: str | None = None  # the verb of "V的什么": 在法院设立的什么 -> 设立
    focus: str = ""  # the phrase around the asking word: 案件中调解成功了多少起 -> 调解成功了多少起
    phrases: tuple[str, str] = (
        "",
        "",
    )  # the phrase before 多少 and after it: 多少项省级先进 -> ("", 省级先进)
    titles: tuple[str, ...] = ()  # the titles a person question asks for: 党组书记、常务副主席是谁
    title_body: str | None = None  # the body those titles belong to: 市总工会 in 赣州市总工会主席是谁
    ordinals: tuple[
        tuple[int, str], ...
    ] = ()  # which of a series it asks about: 第五次代表大会 -> ((5, 次),)
    asks_change: bool = False  # 增长了多少: a rise or fall, not the level
    frame: str | None = None  # the noun a definition asks by: 宗旨是什么 -> 宗旨 (answered by 以X为宗旨)
    ordinal_asked: str | None = None  # the series whose member it asks for: 第几届 -> 届 (answered by 第三届)
    written_unit: str | None = (
        None  # the measure word after 多少/几, with its magnitude: 多少万元 -> 万元, 几个县 -> 个
    )

    @property
    def city(self) -> str | None:
        return self.cities[0] if self.cities else None

    @property
    def unit_written(self) -> bool:
        """Whether the question writes its unit (多少名), rather than it being read from the counted noun
        (多少职工 -> 名, which 1.9万人 answers as well as 3万多名)."""
        return bool(self.unit) and self.writes_unit(self.unit)

    def writes_unit(self, unit: str) -> bool:
        """Whether the question counts in this unit in its own words: 多少个职工家庭 writes 个 (300多个 fits it though
        a family is counted in 户), 几个县 writes 个 (2个, though the question is about 万元)."""
        written = self.written_unit
        return bool(written) and unit in (written, written.lstrip("万亿千百"))


def clean(text: str) -> tuple[str, bool]:
    """Simplified, NFKC-normalised text without control characters, cut to MAX_QUESTION_CHARS.

    The raw text is cut to RAW_QUESTION_CHARS before anything else, so the cost is bounded whatever its length.
    """
    raw = text.strip()
    text = normalize(to_simplified(_CONTROL.sub(" ", raw[:RAW_QUESTION_CHARS])))
    truncated = len(raw) > RAW_QUESTION_CHARS or len(text) > MAX_QUESTION_CHARS
    return text[:MAX_QUESTION_CHARS], truncated


def question_kind(text: str) -> str:
    if re.search(f"{TITLE_WORD.pattern}(?:叫什么名字|叫什么|的名字|的姓名|姓什么)", text):
        return "person"  # 主席叫什么名字 asks for a person, not a name of a thing
    for kind, pattern in _KINDS:
        if pattern.search(text):
            return kind
    return "definition"


def _written_unit(text: str) -> str | None:
    """The measure word a question counts in, as written after 多少/几 with its magnitude (多少万元 -> 万元)."""
    asked = how_many(text)
    return (asked.magnitude or "") + asked.unit if asked and asked.unit else None


def unit_hint(text: str, kind: str) -> str | None:
    if kind != "number":
        return None
    if _NUMBER_LIKE.search(text):
        return "#"
    if _ASKS_CHANGE.search(text):
        return "%" if re.search(r"增幅|降幅|增速|百分", text) else None
    if _ASKS_MONEY.search(text):
        return "元"
    asked = how_many(text)
    if asked and asked.unit and asked.unit != "个":  # 个 counts anything: read the noun after it instead
        unit = figures.unit_of(asked.unit)  # as a figure's unit is read: 个百分点 -> %
        scaled = (asked.magnitude or "") + unit
        return scaled if unit == "元" and scaled in figures.UNITS else unit  # 多少万元 -> 万元
    counted = counted_noun(text)
    if counted and counted_unit(counted) and not _RATE.search(text):
        return counted_unit(counted)
    if _RATE.search(text):
        return "%"
    if _MONEY.search(text):
        return "元"
    return None


# 增长了多少 asks a change: a rate (同比增长59.6%) or an amount, whatever the thing that grew is counted in.
_ASKS_CHANGE = re.compile(
    r"(?:增长|增加|提高|提升|下降|减少|上升|增幅|降幅|增速)(?:了)?(?:多少|几)"
    rf"(?!{figures.MAGNITUDE}?{figures.UNIT_WORD})"
)
# 第十四次代表大会, 第三批“南京工匠”, 第二十届竞赛: which one of a series a question is about.
ORDINAL = re.compile(r"第([一二两三四五六七八九十百零〇\d]{1,5})(次|届|批|期)")
# 第几次代表大会, 哪一届委员会: which one of a series a question asks for (answered by 第六次, 第三届).
_ORDINAL_ASKED = re.compile(r"(?:第几|哪一|哪)(次|届|批|期)")


def ordinal_value(numeral: str) -> int | None:
    """十四 -> 14, 19 -> 19."""
    from index.text import figures

    return int(numeral) if numeral.isdigit() else figures.chinese_value(numeral)


def ordinals(text: str) -> tuple[tuple[int, str], ...]:
    """The numbered items of a series a text names, as (number, series): 第十四次代表大会 -> (14, 次代表), 第三批 ->
    (3, 批). 次 counts anything (第一次走进), so its series is read with the two characters after it."""
    out = []
    for m in ORDINAL.finditer(text):
        value = ordinal_value(m.group(1))
        if value is not None:
            out.append((value, m.group(2) + (text[m.end() : m.end() + 2] if m.group(2) == "次" else "")))
    return tuple(dict.fromkeys(out))


_VAGUE_TIME = re.compile(r"这几年|近几年|前几年|几年来|这些年|多年来|近年来|这两年")


_HAN_CHAR = re.compile(HAN)


def question_places(text: str, prefer=()) -> list[Mention]:
    """The places a (cleaned) question names: the one place matcher, reading it as a question, less the short
    forms that end a person's name (王万荣 is a person, not 万荣县)."""
    found = find_places(text, prefer=prefer, question=True)
    return [m for m in found if not _ends_a_name(text, m, found)]


def _ends_a_name(text: str, m: Mention, found: list[Mention]) -> bool:
    """A place's short form right after a surname-like character or two, the whole a person's name by LAC (PER):
    王万荣, 刘凯里. The form alone (万荣有多少…) or written in full (万荣县) stays a place."""
    if (
        m.text != m.place.short
        or m.text == m.place.name
        or m.start == 0
        or not _HAN_CHAR.fullmatch(text[m.start - 1])
    ):
        return False
    if any(o.start < m.start <= o.end for o in found if o is not m):  # right after a place: 宁波慈溪
        return False
    from .lexical import words

    return any(w.tag == "PER" and m.start - 2 <= w.start < m.start and w.end == m.end for w in words(text))


# Places and organisations no division dataset lists: development zones, towns and streets, companies, mines,
# oil fields, railway units. A question about one is answered only from a passage that names it.
_UNIT_SUFFIX = (
    r"(?:经济技术开发区|高新技术产业开发区|高新技术产业示范区|经济开发区|开发区|高新区|保税区|新区|起步区|示范区|"
    r"投资区|合作区|试验区|实验区|旅游区|度假区|管理区|港区|片区|"
    r"工业园区|产业园区|园区|有限责任公司|股份有限公司|有限公司|公司|集团|油田|铁路局|工务段|煤矿|矿|镇|乡|街道)"
)
_UNIT_AFTER_PLACE = re.compile(rf"^({HAN}{{0,8}}?){_UNIT_SUFFIX}")
_UNIT_OWN = re.compile(rf"(?:^|[，,、的])({HAN}{{2,14}}?){_UNIT_SUFFIX}(?=总工会|工会)")
_NOT_A_NAME = re.compile(r"工会|职工|全市|全县|全区|全省|各级|基层")


def named_units(text: str, mentions) -> tuple[str, ...]:
    """The zones, towns and companies a question names, each as the words a passage about it must hold.

    Right after a place (慈溪市观海卫镇 -> 观海卫, 宝鸡高新区 -> 高新区) or before 工会 (开滦集团工会 -> 开滦): the
    name without its suffix when it has one of two or more characters, else the suffix itself.
    """
    out = []
    for m in mentions:
        found = _UNIT_AFTER_PLACE.match(text[m.end :])
        if found:
            name = found.group(1)
            out.append(name if len(name) >= 2 else found.group()[len(name) :])
    for found in _UNIT_OWN.finditer(text):
        name = found.group(1)
        if not any(m.start <= found.start(1) < m.end for m in mentions):
            out.append(name)
    places = {t for m in mentions for t in (m.text, m.place.name, m.place.short) if t}
    # A name never holds the asking word: 慈溪有多少个镇(街道) counts towns and 萧山区在哪个镇 asks for one,
    # neither names a town (read as one, no passage named it and the question was declined).
    return tuple(
        dict.fromkeys(
            u for u in out if u and u not in places and not _NOT_A_NAME.search(u) and not _ASK_WORD.search(u)
        )
    )


def parse(text: str, *, prefer=()) -> Question:
    """Read a question (already validated as a non-empty string).

    `prefer`: codes of the covered places, to read an ambiguous name (鼓楼) as the covered one.
    """
    from .scope import most_specific

    cleaned, truncated = clean(text)
    asked = _VAGUE_TIME.sub("", cleaned)  # "这几年…多少" asks a figure, not a number of years
    mentions = question_places(cleaned, prefer)
    codes = most_specific(m.place.code for m in mentions)
    cities = tuple(next(m.place.label for m in mentions if m.place.code == c) for c in codes)
    year_match = YEAR.search(cleaned)
    year = int(year_match.group(1)) if year_match else None
    kind = question_kind(asked)
    named = {m.text for m in mentions} | {f for m in mentions for f in (m.place.name, m.place.short)}
    # Place names are cut out before tokenising (漳州市级劳模 would give 州市/级, losing 市级), and years are
    # left to the retriever's year awareness: as terms they would outweigh the topic.
    topic = _cut(asked, question_places(asked, prefer))
    terms = tuple(
        t
        for t in dict.fromkeys(tokenize(topic))
        if t not in named and not any(c in t for c in named) and not YEAR.fullmatch(t)
    )
    about, label = asks_about_article(asked, kind)
    if label and label not in terms:
        terms += (label,)
    counted = counted_noun(asked)
    from .thesaurus import related

    synonyms = {t: related(t) for t in terms if related(t)}
    quoted = tuple(_QUOTED.findall(cleaned))
    title = title_in(cleaned)
    role = _ROLE_Q.search(cleaned)
    numbered, echo = _numbered(cleaned, quoted)
    copula, verb = _copula(cleaned)
    titles, title_body = asked_titles(asked) if kind == "person" else ((), None)
    return Question(
        lists=asks_for_list(cleaned, kind),
        comparison=_comparison(cleaned),
        form=_form(cleaned, title),
        quoted=quoted,
        title=title,
        role=role.group(1) if role else None,
        ordinal=_ordinal(cleaned),
        numbered=numbered,
        echo=echo,
        copula=copula,
        verb=verb,
        focus=_focus(cleaned),
        phrases=_asked_phrases(cleaned),
        titles=titles,
        title_body=title_body,
        ordinals=ordinals(asked),
        ordinal_asked=next(iter(_ORDINAL_ASKED.findall(asked)), None),
        written_unit=_written_unit(asked),
        asks_change=bool(_ASKS_CHANGE.search(asked)),
        frame=frame_noun(asked) if kind == "definition" else None,
        units=named_units(cleaned, mentions),
        synonyms=synonyms,
        counted=counted if kind == "number" else None,
        counted_head=head_word(counted) if counted and kind == "number" else None,
        asked_noun=asked_noun(asked) if kind in ("place", "definition", "person") else None,
        text=cleaned,
        original=text,
        cities=cities,
        year=year,
        latest=bool(_LATEST.search(cleaned)),
        kind=kind,
        unit=unit_hint(asked, kind),
        terms=terms,
        truncated=truncated,
        places=codes,
        about=about,
    )


def _cut(text: str, mentions: list[Mention], replacement: str = " ") -> str:
    out, pos = [], 0
    for m in mentions:
        out += [text[pos : m.start], replacement]
        pos = m.end
    return "".join(out) + text[pos:]


def is_follow_up(text: str | Question) -> bool:
    """A bare city or year with 那…呢 (那龙岩呢？, 衢州呢, 2018年呢): it reuses the previous question.

    A parsed Question is read as it is, so a chat cleans each question once.
    """
    cleaned = text.text if isinstance(text, Question) else clean(text)[0]
    found = question_places(cleaned)
    rest = YEAR.sub("", _cut(cleaned, found, ""))
    rest = _FILLER.sub("", rest)
    mentions = bool(found) or bool(YEAR.search(cleaned))
    return mentions and len(rest) <= 1 and len(cleaned) <= 20
