"""Features of a candidate span for the answer scorer: fit to the question, proximity, local words, position."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence

from index.text import figures
from index.text.patterns import HAN
from index.text.split import sentence_spans

from . import spans as sp
from .candidates import CLAUSE_MARK, head_asked
from .period import other_period
from .question import PHRASE_FILLER, Question, counted_unit, ordinals, per_units
from .types import Hit

TOP_PASSAGES = 5
# Fixed descriptions that the learned features are measured with (their weights are fit, these are not). Each was
# swept with the scorer refit on every value, leave-one-report-out (LOO) answer accuracy on the 268 gold
# questions from the candidates (eval.fit.scorer.simulated_accuracy; eval/REPORT.md, "constants"): the figure is flat
# around the value kept (one question either way), so none is tuned.
# Characters over which a question term's pull on a candidate halves: 3 -> LOO 0.867, 6 -> 0.863, 12 and 24 -> 0.859.
PROXIMITY_SCALE = 6.0
# Past this many characters a span is a passage dump, not an answer (eval/metrics.MAX_ANSWER_CHARS, the gold's rule).
LENGTH_CAP = 40
_FORM_FITS = (
    "items_echo",
    "gloss_of_named",
    "consequence_for_next",
    "condition_for_which",
    "role_fit",
    "post_fit",
    "partner_after_conjunction",
    "ordinal_fit",
    "means_fit",
)
_FORM_MISFITS = ("clause_not_consequence", "clause_not_condition", "gloss_other", "post_named")
# A plan or target, not what was done: 计划新建30个, 目标任务5000人.
_PLAN = re.compile(r"计划|目标|任务|拟|预计|力争|将要|规划")
# Also a target, and a figure written so is left out where a figure of what was done fits (qa.extract):
# 实现新增就业不少于26万人. Weighed as plan_mismatch too they made one held-out plan question take another
# target's 不少于5万名 (python -m eval --world); 争取 is not one (争取到4万元 was obtained).
_TARGET = re.compile(rf"{_PLAN.pattern}|不少于|不低于")
# Words that say a figure is a rise or a fall: 同比增长59.6%, 提高至, 减少了.
_CHANGE_BEFORE = re.compile(r"(?:增长|增加|提高|提升|下降|减少|上升|增幅|降幅|增速)(?:了|为|达|达到)?$")
# The counters of people are one unit: 多少名 is answered by 2725人 as exactly as by 2725名 (issue 18, class 1).
PEOPLE = frozenset({"人", "名", "位"})
_SUBSET = re.compile(r"其中|包括|含|内有")
# Marks that end the stretch of text a figure or name belongs to: 全国性先进9项、省级先进18项 are two stretches.
_SEGMENT_MARKS = "，,；;。、：:（()）！？!?﹐﹑﹔﹕"
_SEGMENT_END = re.compile(f"[{re.escape(_SEGMENT_MARKS)}]")


def _stretch_start(sentence: str, end: int, marks: str = _SEGMENT_MARKS) -> int:
    """Where the stretch of text ending at `end` begins: just after the last of `marks` before it (0 if none)."""
    return max(sentence.rfind(ch, 0, end) for ch in marks) + 1


def covered(positions_or_words, weight: Callable[[str], float]) -> float:
    """Weighted count of the question terms found, each once, at its strongest factor."""
    best: dict[str, float] = {}
    for term, factor in positions_or_words:
        best[term] = max(best.get(term, 0.0), factor)
    return sum(weight(t) * f for t, f in best.items())


def proximity(
    candidate: sp.Span,
    positions: list[tuple[str, int, int, float]],
    weight: Callable[[str], float],
    sentence: str,
) -> tuple[float, float, float]:
    """Pull of the question terms before the candidate, after it, and in the candidate's own clause."""
    before: dict[str, float] = {}
    after: dict[str, float] = {}
    clause: dict[str, float] = {}
    for term, pos, length, factor in positions:
        end = pos + length
        if candidate.start <= pos < candidate.end:
            continue  # the term is inside the candidate: it names the thing, it does not point at it
        if end <= candidate.start:
            gap, distance, side = sentence[end : candidate.start], candidate.start - end, before
        else:
            gap, distance, side = sentence[candidate.end : pos], pos - candidate.end, after
        pull = factor * weight(term) / (1.0 + max(0, distance) / PROXIMITY_SCALE)
        side[term] = max(side.get(term, 0.0), pull)
        if not CLAUSE_MARK.search(gap):
            clause[term] = max(clause.get(term, 0.0), factor * weight(term))
    return sum(before.values()), sum(after.values()), sum(clause.values())


def _counted_fit(q: Question, sentence: str, c: sp.Span) -> float:
    """+1 when the figure stands next to the noun the question counts, -1 when it counts a longer noun.

    23408人 after 困难职工 counts them; 2009名困难职工子女 counts 子女, not 困难职工.
    """
    if q.kind != "number" or not q.counted:
        return 0.0
    noun = q.counted
    after = sentence[c.end : c.end + len(noun) + 2]
    before = re.sub(
        r"(?:达到|达|为|有|共|计|约|超过|超|近|逾)$", "", sentence[max(0, c.start - len(noun) - 3) : c.start]
    )
    if after.startswith(noun):
        rest = sentence[c.end + len(noun) : c.end + len(noun) + 4]
        return -1.0 if _starts_with_noun(rest) else 1.0
    head = q.counted_head or noun
    if before.endswith(noun):
        return 1.0
    if len(noun) > len(head) and noun not in sentence:
        return 0.0  # 列席代表 asked: 参会代表477名 counts other 代表 (counted_partial)
    if len(head) >= 2 and before.endswith(head):
        return 1.0
    if len(head) >= 2 and sentence[c.end : c.end + len(head) + 1].lstrip("名个家位户").startswith(head):
        return 1.0
    return 0.0


def _starts_with_noun(text: str) -> bool:
    """Whether text opens with a noun: 困难职工|子女 (the figure counts 子女), not 新技术|得以推广."""
    from .lexical import words

    first = words(text)[:1]
    return bool(first) and first[0].tag in ("n", "nz", "PER", "ORG", "LOC", "vn")


def _counts_asked_noun(q: Question, sentence: str, c: sp.Span) -> bool:
    """A figure in another measure word that counts the very noun asked: 3个建档立卡贫困户 for 几户建档立卡贫困户;
    30.67万人(次) for 多少职工 (the bracket says it counts people, some more than once)."""
    if c.text.endswith(("人(次)", "人（次）")) and figures.units_compatible(q.unit, "人"):
        return True
    noun = q.counted
    return bool(noun) and len(noun) >= 2 and sentence[c.end :].startswith(noun)


def focus_terms(q: Question, terms: Sequence[str]) -> list[str]:
    """The question terms in the phrase around the asking word: 案件中调解成功了多少起 -> 调解, 成功."""
    return [t for t in terms if t in q.focus] if q.focus else []


def adjacent_match(c: sp.Span, sentence: str, phrases: tuple[str, str]) -> float:
    """How much of the asked phrase stands right against the figure, in characters over 4 (at most 1).

    Before the figure, the end of either phrase (省级先进18项 for 多少项省级先进, 调解成功197起 for 调解成功了多少起);
    after it, the start of the counted phrase (3万多名职工 for 多少名职工参加). 全国性先进9项 matches 先进 only: 0.5.
    """
    left = PHRASE_FILLER.sub("", sentence[max(0, c.start - 12) : c.start])
    right = sentence[c.end : c.end + 12]
    best = 0
    for phrase in phrases:
        best = max([best] + [n for n in range(2, len(phrase) + 1) if left.endswith(phrase[-n:])])
    after = phrases[1]
    best = max([best] + [n for n in range(2, len(after) + 1) if right.startswith(after[:n])])
    return min(best, 4) / 4


def predicate_before(q: Question, sentence: str, c: sp.Span) -> bool:
    """Whether the whole phrase the question puts before 多少 (调解成功 of 调解成功了多少起), at least two
    characters, stands right before the figure, fillers (了, 共, 达到) aside."""
    asked = q.phrases[0]
    if len(asked) < 2 or c.start < 0:
        return False
    return PHRASE_FILLER.sub("", sentence[max(0, c.start - 12) : c.start]).endswith(asked)


# Characters that tie a figure to nothing in particular (达到, 共有, 其中, 的): left out of its own words.
_LOCAL_FILLER = frozenset("的了是有在为达到共计约其中和与及等并已把被对从向将于年月日")
# A figure's own words: at most this many characters each side, within its stretch. Swept with the unweighted
# share, scorer refit each time (eval.fit.scorer.simulated_accuracy, 268 questions): 5 -> LOO 0.871, 8 -> 0.879,
# 12 -> 0.883 but three unanswerable questions more answered (no-answer ok 0.80 -> 0.70); 8 kept.
LOCAL_CHARS = 8


def _local_words(c: sp.Span, others: Sequence[sp.Span], sentence: str) -> tuple[str, str]:
    """The words right before a figure and right after it, inside its stretch (between 、，；… and other figures):
    职工入会率达到|77.1%, 8199名|职工发放保障金."""
    start = _stretch_start(sentence, c.start)
    start = max([start, c.start - LOCAL_CHARS] + [o.end for o in others if o.end <= c.start])
    m = _SEGMENT_END.search(sentence, c.end)
    end = min(m.start() if m else len(sentence), c.end + LOCAL_CHARS)
    end = min([end] + [o.start for o in others if o.start >= c.end])
    return sentence[start : c.start], sentence[c.end : end]


def char_rarity(hits: Sequence[Hit]) -> Callable[[str], float]:
    """A character's idf over the sentences of the top passages: 职 and 工 are in most, 晋 and 档 in few."""
    df: dict[str, int] = {}
    n = 0
    for hit in hits[:TOP_PASSAGES]:
        text = hit.passage.text
        for a, b in sentence_spans(text):
            n += 1
            for ch in set(text[a:b]):
                df[ch] = df.get(ch, 0) + 1
    return lambda ch: math.log((n + 1) / (df.get(ch, 0) + 0.5))


def local_word_overlap(
    q: Question, c: sp.Span, others: Sequence[sp.Span], sentence: str, rarity: Callable[[str], float]
) -> float:
    """Share of a figure's own words (the few characters against it) that the question holds, character by
    character, each weighed by its rarity in the top passages: 入会率 beside 77.1% shares 入会 with 入了工会,
    组建率 beside 90.7% nothing; a paraphrase that rewrites the sentence still keeps some of the figure's own
    characters (建了档 ~ 建立…档案), and 职工, after most counts of people, tells one figure from another little."""
    before, after = _local_words(c, others, sentence)
    chars = {ch for ch in before + after if "\u4e00" <= ch <= "\u9fff" and ch not in _LOCAL_FILLER}
    if not chars:
        return 0.0
    asked = set(q.text)
    total = sum(rarity(ch) for ch in chars)
    # Over at least four characters of middling rarity (in half the sentences): two shared characters of a
    # two-character phrase are not a whole match.
    return sum(rarity(ch) for ch in chars if ch in asked) / max(total, 4 * math.log(2))


# The marks that end a figure's clause (、 does not: 9项、省级… is one clause of two figures).
_CLAUSE_MARKS = "，,；;。！？!?：:﹐﹔﹕"
_CLAUSE_MARK = re.compile(f"[{_CLAUSE_MARKS}]")
# Characters that ask rather than say: left out of the question's own characters.
_ASKING = frozenset("多少几什么哪谁怎样如何吗呢")


def own_clause_chars(
    asked: str, c: sp.Span, others: Sequence[sp.Span], sentence: str, rarity: Callable[[str], float]
) -> float:
    """Share of the asked words' characters, each weighed by its rarity, that stand in a figure's own clause
    (between clause marks and the sentence's other figures). Character by character, so an abbreviation or a
    rewording still counts (职代会 in 职工代表大会, 获得金奖 in 获金奖项目), and only the clause the figure
    heads or ends: in 1.33万家单位建立了职工代表大会制度，1.26万家单位推行了厂务公开制度 each figure's words
    are its own. Weighed for the whole question (clause_chars) and for the phrase around the asking word
    (focus_chars), with each sentence's leader by either: held out on the world (python -m eval --world, 972
    questions) accuracy 0.859 -> 0.862 and coverage 0.895 -> 0.898 at precision 0.951."""
    chars = {
        ch for ch in asked if "\u4e00" <= ch <= "\u9fff" and ch not in _LOCAL_FILLER and ch not in _ASKING
    }
    if not chars or c.start < 0:
        return 0.0
    start = max(
        [_stretch_start(sentence, c.start, _CLAUSE_MARKS)] + [o.end for o in others if o.end <= c.start]
    )
    m = _CLAUSE_MARK.search(sentence, c.end)
    end = min([m.start() if m else len(sentence)] + [o.start for o in others if o.start >= c.end])
    own = set(sentence[start : c.start] + sentence[c.end : end])
    total = sum(rarity(ch) for ch in chars)
    return sum(rarity(ch) for ch in chars if ch in own) / total if total > 0 else 0.0


def term_stretches(
    c: sp.Span,
    others: Sequence[sp.Span],
    positions: list[tuple[str, int, int, float]],
    weight: Callable[[str], float],
    sentence: str,
) -> tuple[float, float]:
    """Question terms between a figure and the figure or clause mark before it, and after it up to the next.

    有123家企业被…命名为市级和谐企业，其中有8家被评为省级…: 市级 belongs to 123家, not to 8家.
    """
    start = _stretch_start(sentence, c.start, _CLAUSE_MARKS)
    start = max([start] + [o.end for o in others if o.end <= c.start])
    m = _CLAUSE_MARK.search(sentence, c.end)
    # Words after a figure are its own only when they follow it directly (123家企业被…), not after 、 (9项、省级…).
    end = m.start() if m else len(sentence)
    if c.end < len(sentence) and not re.match(HAN, sentence[c.end]):
        end = c.end
    end = min([end] + [o.start for o in others if o.start >= c.end])
    before: dict[str, float] = {}
    after: dict[str, float] = {}
    for term, pos, length, factor in positions:
        side = (
            before
            if start <= pos and pos + length <= c.start
            else after
            if c.end <= pos and pos + length <= end
            else None
        )
        if side is not None:
            side[term] = max(side.get(term, 0.0), factor * weight(term))
    return sum(before.values()), sum(after.values())


def segment_pull(
    c: sp.Span,
    positions: list[tuple[str, int, int, float]],
    weight: Callable[[str], float],
    sentence: str,
    focus: Sequence[str],
) -> tuple[float, float]:
    """Question terms in the candidate's own stretch of text (between 、，；…): all of them, and the focus ones."""
    a = _stretch_start(sentence, c.start)
    m = _SEGMENT_END.search(sentence, c.end)
    b = m.start() if m else len(sentence)
    found: dict[str, float] = {}
    for term, pos, length, factor in positions:
        if a <= pos and pos + length <= b and not (c.start <= pos < c.end):
            found[term] = max(found.get(term, 0.0), factor * weight(term))
    return sum(found.values()), sum(v for t, v in found.items() if t in focus)


def clause_before_pull(
    c: sp.Span, positions: list[tuple[str, int, int, float]], weight: Callable[[str], float], sentence: str
) -> float:
    """Question terms in the clause right before a clause candidate."""
    end = c.start - 1
    while end > 0 and sentence[end] not in "，,；;：:":
        end -= 1
    start = _stretch_start(sentence, end, "，,；;：:。")
    found: dict[str, float] = {}
    for term, pos, length, factor in positions:
        if start <= pos and pos + length <= end:
            found[term] = max(found.get(term, 0.0), factor * weight(term))
    return sum(found.values())


def planned(sentence: str, start: int) -> bool:
    """Whether the figure at `start` is a plan or target: a planning word in its clause (计划新建30个, 新增就业不少于
    26万人), or in the clause that opens the list it stands in (主要预期目标是：生产总值增长5%左右，收入增长5%)."""
    if _TARGET.search(sentence[_stretch_start(sentence, start, "，,；;：:") : start]):
        return True
    colon = max(sentence.rfind("：", 0, start), sentence.rfind(":", 0, start))
    if colon < 0 or re.search(r"[。；;]", sentence[colon:start]):
        return False
    return bool(_TARGET.search(sentence[_stretch_start(sentence, colon, "，,；;。") : colon]))


def _number_features(q: Question, sentence: str, c: sp.Span) -> dict[str, float]:
    f: dict[str, float] = {}
    unit = c.unit
    if c.kind == "ordinal":  # 第十届 for 第几次: which one of a series, counted in its own word
        f["unit_exact" if unit == q.ordinal_asked else "unit_compatible"] = 1.0
    elif q.unit == "#":
        f["unit_none_wanted"] = 1.0 if unit is None else -1.0
    elif q.unit:
        if (
            unit == q.unit
            or (unit is not None and q.writes_unit(unit))
            or (q.unit in PEOPLE and unit in PEOPLE)
            or (not q.unit_written and figures.units_compatible(q.unit, unit))
        ):
            f["unit_exact"] = 1.0
        elif (
            figures.units_compatible(q.unit, unit)
            and not (q.unit_written and figures.generic_counters(q.unit, unit))
        ) or (_any_counter(q, unit) and _counts_asked_noun(q, sentence, c)):
            f["unit_compatible"] = 1.0
        elif unit is None:
            # A bare 2800万 may count what the sentence counts (阅读量超2800万次 is written 超2800万).
            magnitude = bool(re.search(r"[万亿]", c.text))
            f["unit_missing_magnitude" if magnitude else "unit_missing"] = 1.0
        else:
            f["unit_mismatch"] = 1.0
    elif unit is None:
        f["unit_missing"] = 1.0
    elif unit is not None and _counter_other(q, unit):
        # 几个获得金奖 asked (个 read as no unit): 69项 counts the entries, 18个 the winners
        f["counter_other"] = 1.0
    counted = _counted_fit(q, sentence, c)
    if counted > 0:
        f["counted_fit"] = 1.0
    elif counted < 0:
        # a misfit of its own, not the lack of a fit: 2009名困难职工子女 counts 子女 when 困难职工 is asked
        f["counted_longer"] = 1.0
    head = q.counted_head
    if _other_modifier(q, sentence, c):
        f["counted_other_modifier"] = 1.0  # 特邀代表 asked: 参会代表477名, 47名列席代表 count other 代表
    if head and len(head) >= 2 and not any(w in sentence for w in (head, *q.synonyms.get(head, ()))):
        # Not a veto: the counted noun read from a question is often a paraphrase (穷孩子 for 贫困学子).
        f["counted_absent"] = 1.0
    clause_start = _stretch_start(sentence, c.start, "，,；;：:")
    asks_per = asked_per_units(q)
    has_per = per_units(sentence[max(clause_start, c.start - 20) : c.start])  # 为每名…子女发放助学金2000元
    if asks_per - has_per - {"平均"} or (has_per and not asks_per) or ("平均" in asks_per and not has_per):
        # each "per" the question asks must be the figure's: 每个基地 is not 每年 (每年投入100万元扶助20个基地)
        f["per_unit_mismatch"] = 1.0
    if _SUBSET.search(sentence[clause_start : c.start]):
        f["subset_cue"] = 1.0  # 其中859项: a part of the figure before it
        if q.form.subset:
            f["subset_asked"] = 1.0  # 项目中有几个获得金奖: the part is what is asked
    if re.search(r"[至到~～\-—–]", c.text):
        f["range"] = 1.0
    if q.counted and head and len(q.counted) > len(head) and q.counted not in sentence and head in sentence:
        f["counted_partial"] = 1.0  # 列席代表 asked, only 代表 (参会代表477名) written
    f.update(_quote_features(q, sentence, c))
    if q.unit != "#" and code_like(sentence, c):
        f["code_like"] = 1.0  # 浙象渔24025: a name's number, not a count
    asks_plan = bool(_PLAN.search(q.text))
    if asks_plan != bool(_PLAN.search(sentence[clause_start : c.start])):
        f["plan_mismatch"] = 1.0  # a plan for what was done, or what was done for a plan
    target = planned(sentence, c.start) or bool(_TARGET.search(c.text))  # 不少于26万人 is one span
    if not asks_plan and target:
        # Read (and dropped) by qa.extract's preference, never weighed. One way only: a plan section's figures
        # mostly carry no planning word (its heading says it), so an unmarked figure is no sign of a done one;
        # preferring unmarked figures for plan questions took a held-out question's answer (python -m eval --world).
        f["target_mismatch"] = 1.0
    asked = asked_level(q.text)
    if asked and _level_side(sentence, c) not in (None, asked):
        # 由每人2000元提高至3000元: the level before the change for the level it reached (提高到每人多少), or after
        # it for the one before (以前每人能拿多少); a question naming neither takes either
        f["other_level"] = 1.0
    if q.asks_change:
        f[
            "change_fit"
            if _CHANGE_BEFORE.search(sentence[max(0, c.start - 6) : c.start])
            else "change_missing"
        ] = 1.0
    if figures.is_chinese(c.text):
        f["chinese_numeral"] = 1.0
    return f


# --- the figure asked among a sentence's figures: its counter, its counted noun's modifier, its "per" -------------


def _any_counter(q: Question, unit: str | None) -> bool:
    """Whether a figure's measure word may count whatever noun follows it (个, 项, 件 …, or none): 3个建档立卡贫困户
    answers 几户建档立卡贫困户, but 200场次竞赛 does not answer 多少类竞赛 (场次 counts events, not kinds)."""
    return unit is None or not q.unit_written or _generic(unit)


def _counter_other(q: Question, unit: str) -> bool:
    """The question writes 个 (read as no unit: 个 counts anything) and the figure another generic counter."""
    return q.unit is None and q.written_unit == "个" and unit != "个" and _generic(unit)


def _generic(unit: str) -> bool:
    """个, 项, 件, 条 …: the counters any thing takes."""
    return unit == "个" or figures.generic_counters("个", unit)


# Words between a figure and the noun it counts that say nothing of the noun: 参会代表共有477名, 职工人数达36.59万名.
_OWN_FILLER = re.compile(
    r"(?:人数|总数|数量|数|共有|共计|总计|累计|合计|达到|达|为|有|共|计|约|超过|超|近|逾|的)+$"
)
_OWN_NOUN_TAGS = ("n", "nz", "vn", "an", "ORG", "nw")


def _own_nouns(sentence: str, c: sp.Span) -> tuple[str, str]:
    """The noun phrase right before a figure in its stretch and the one right after it (its counted noun)."""
    from .lexical import words

    start = _stretch_start(sentence, c.start)
    before = _OWN_FILLER.sub("", sentence[max(start, c.start - 10) : c.start])
    run: list[str] = []
    for w in reversed(words(before)):
        if w.tag not in _OWN_NOUN_TAGS and not (
            run and w.tag in ("v", "a") and not _OWN_FILLER.fullmatch(w.text)
        ):
            break
        run.insert(0, w.text)
        if w.tag in ("v", "a"):
            break  # a verb or adjective opens the phrase (列席代表, 困难职工)
    after_text = sentence[c.end : c.end + 8]
    m = _SEGMENT_END.search(after_text)
    after = ""
    for w in words(after_text[: m.start() if m else len(after_text)]):
        if w.tag not in _OWN_NOUN_TAGS and not (not after and w.tag in ("v", "a")):
            break
        after += w.text
    return "".join(run), after


def _other_modifier(q: Question, sentence: str, c: sp.Span) -> bool:
    """The figure counts the asked noun with another modifier: 特邀代表 asked, 参会代表477名 or 47名列席代表 written
    (the same head 代表, neither noun the other's tail)."""
    counted = q.counted
    if q.kind != "number" or not counted or len(counted) < 3 or c.start < 0:
        return False
    tail = counted[-2:]
    return any(
        noun.endswith(tail) and not noun.endswith(counted) and not counted.endswith(noun)
        for noun in _own_nouns(sentence, c)
    )


# A level changed to another: 由X提高至Y, 从X增加到Y. The question asks the level reached (提高到多少) or the one
# before (以前, 往年, 原来: not 2012年以前, a period).
_CHANGE_VERB = r"(?:提高|提升|增加|增长|上调|调高|调整|扩大|降低|下调|减少|降至|增至)"
_TO_BEFORE = re.compile(_CHANGE_VERB + r"(?:了)?(?:到|至|为)?$")
_TO_AFTER = re.compile(r"^(?:已)?" + _CHANGE_VERB + r"(?:了)?(?:到|至|为)?")
_ASKS_TO = re.compile(_CHANGE_VERB + r"(?:了)?(?:到|至|为)")
_ASKS_FROM = re.compile(r"(?<![\d年])(?:以前|往年|原来|原先|先前)")


def asked_level(question: str) -> str | None:
    """Which level of a change a question asks: "to" (提高到每人多少), "from" (以前每人能拿多少), or None."""
    if _ASKS_TO.search(question):
        return "to"
    return "from" if _ASKS_FROM.search(question) else None


def _level_side(sentence: str, c: sp.Span) -> str | None:
    """Whether a figure is the level a change starts from (由X提高至…) or the one it reaches (…提高至Y)."""
    clause_start = _stretch_start(sentence, c.start, "，,；;：:。")
    if _TO_BEFORE.search(sentence[max(clause_start, c.start - 6) : c.start]):
        return "to"
    if re.search("由|从", sentence[clause_start : c.start]) and _TO_AFTER.match(sentence[c.end : c.end + 6]):
        return "from"
    return None


# A question asking what one period costs or brings (一年得交多少钱, 一个月能领多少) asks a figure per that period.
_ONE_PERIOD = re.compile(r"一(?:个)?(年|月|天|周|学期)(?=[得要能可需就才该应交缴领拿发补给])")
# 每个 before a person (每个受助学生, 每个困难职工) is 每人; a figure written 每人 answers it.
_EACH_PERSON = re.compile(r"每个([\u4e00-\u9fff]{2,6})")


def asked_per_units(q: Question) -> set[str]:
    """What the figure a question asks for is per: 每人每月 -> {人, 月}; 一年得交多少钱 -> {年}; 每个受助学生 -> {人}."""
    out = per_units(q.text)
    out |= {m.group(1) for m in _ONE_PERIOD.finditer(q.text)}
    for m in _EACH_PERSON.finditer(q.text):
        noun = m.group(1)
        if "个" in out and any(counted_unit(noun[:n]) in PEOPLE for n in range(2, len(noun) + 1)):
            out = (out - {"个"}) | {"人"}
    return out


_QUOTE_BEFORE = re.compile(r"[“\"]([^”\"]{2,20})[”\"][^，,；;。、“”\"]{0,4}$")
_QUOTE_AFTER = re.compile(r"^[^，,；;。、“”\"\d]{0,3}[“\"]([^”\"]{2,20})[”\"]")


# Characters a count may follow directly (达5866, 超2800万, 共计120): after any other word a bare number is part of a
# name or a code (浙象渔24025, 热线12351).
_BEFORE_COUNT = frozenset("达到为有共计约超近逾余是至和及与了在于第、，,；;：:（(")


def code_like(sentence: str, c: sp.Span) -> bool:
    """A figure with no unit glued to the word before it: a ship's, a line's or a model's number."""
    if c.unit is not None or c.start <= 0 or re.search(r"[万亿%]", c.text):
        return False
    before = sentence[c.start - 1]
    return bool(re.match(r"[\u4e00-\u9fffA-Za-z]", before)) and before not in _BEFORE_COUNT


def _quote_features(q: Question, sentence: str, c: sp.Span) -> dict[str, float]:
    """A figure that counts a quoted name: the one the question quotes (“济南大工匠”5名) fits, another quoted name
    beside it (“济南工匠”240名) does not."""
    quoted = q.quoted
    if not quoted:
        return {}
    names = [m.group(1) for m in (_QUOTE_BEFORE.search(sentence[max(0, c.start - 26) : c.start]),) if m]
    names += [m.group(1) for m in (_QUOTE_AFTER.match(sentence[c.end : c.end + 26]),) if m]
    if not names:
        return {}
    return {"quote_fit" if any(n in quoted for n in names) else "quote_other": 1.0}


def ordinal_mismatch(q: Question, sentence: str) -> bool:
    """The sentence is about another one of the series the question names: 第六次代表大会 for 第五次, 第三批 for 第二批."""
    if not q.ordinals:
        return False
    found = ordinals(sentence)
    return any(any(m == measure for _, m in found) and (n, measure) not in found for n, measure in q.ordinals)


def _title_features(q: Question, c: sp.Span) -> dict[str, float]:
    """The titles a question asks for must be the candidate's titles: 常务副主席 is not 主席, 党组书记、主任 is not
    党组书记、常务副主席; and of the body it names (市总工会, not 省总工会 or a company's 工会)."""
    asked = q.titles
    titles = sp.titles_of(c.label)
    f: dict[str, float] = {}
    if c.body and q.title_body:
        f["body_fit" if sp.same_body(q.title_body, c.body) else "body_other"] = 1.0
    if asked and all(t in titles for t in asked):
        f["title_match"] = 1.0
    elif asked and titles:
        f["title_other"] = 1.0
    elif asked:
        f["title_absent"] = 1.0
    elif titles and all("副" in t for t in titles):
        f["deputy_unasked"] = 1.0
    return f


def span_fit_features(q: Question, sentence: str, c: sp.Span) -> dict[str, float]:
    f: dict[str, float] = {f"kind:{q.kind}:{c.kind}": 1.0}
    core = c.text.strip("“”《》「」")
    if q.kind == "number":
        f.update(_number_features(q, sentence, c))
    if q.kind == "person":
        f.update(_title_features(q, c))
    head = head_asked(q)
    if head and q.kind in ("place", "definition") and c.kind not in ("list", "tail", "ordinal"):
        fits = core.endswith(head) or bool(sp.head_family(head) and core.endswith(sp.head_family(head)))
        if c.kind == "quote" and _ASKS_NAME.search(q.text) and sentence[c.end :].startswith(head):
            # 活动叫什么: “健康进园区”(活动) is the name asked; 什么宣讲团 asks for “闽东工匠”宣讲团, ending on its head
            fits = True
        f["head_fit" if fits else "head_misfit"] = 1.0
    if q.kind == "place":
        if q.form.where and c.kind in ("place", "city", "locative"):
            f["place_for_where"] = 1.0
        if c.start > 0 and sentence[c.start - 1] in "在于到赴":
            f["after_locative"] = 1.0  # 在永安开幕
        if re.sub(r"[市县区省]$", "", core) in q.text:
            f["named_in_question"] = (
                1.0  # 三明市 for a question about 三明's contest: the setting, not the answer
            )
        if q.form.org and c.kind in ("org", "headed"):
            f["org_for_which_unit"] = 1.0
        if q.form.honor and c.kind in ("honor", "quote"):
            f["honor_for_honor"] = 1.0
        if q.form.document and c.text.startswith("《"):
            f["document_for_document"] = 1.0
    if c.kind in ("list", "people"):
        f["list_wanted" if q.form.several else "list_unwanted"] = 1.0
    echo = q.echo
    if echo and c.kind == "list":
        items = sp.list_items(core)
        f["items_echo"] = sum(echo in i for i in items) / len(items)  # 手勤、脚勤、嘴勤 for “五勤”
    if c.kind == "gloss" and c.label:
        # The bracket explains the term the question asks about (its last quote) when that term closes right
        # before it: “五心五勤”作风（即…） explains 五心五勤, and only in part the 五勤 a question asks for.
        quotes = q.quoted
        named = bool(quotes) and re.search(
            r"(?:^|[^\u4e00-\u9fff])" + re.escape(quotes[-1]) + r"[”\"》]?[^“”\"《》]{0,6}$", c.label
        )
        f["gloss_of_named" if named else "gloss_other"] = 1.0
    if c.kind == "clause":
        labels = (c.label or "").split()
        if q.form.next:
            f["consequence_for_next" if "consequence" in labels else "clause_not_consequence"] = 1.0
        if q.form.condition:
            f["condition_for_which" if "condition" in labels else "clause_not_condition"] = 1.0
    if c.kind in ("role", "copula", "object"):
        f["role_fit"] = 1.0
    if c.kind == "ordinal":
        f["ordinal_fit"] = 1.0  # 三送教育 for 第三送/“三送”是什么
    if c.kind == "means":
        f["means_fit"] = 1.0  # 银行转账 of 通过银行转账的方式 for 怎么发到…手里
    if c.kind == "post":
        asked = q.title
        f["post_named" if asked and asked in core else "post_fit"] = 1.0
    if q.form.partner and c.start > 0:
        before = sentence[max(0, c.start - 2) : c.start]
        if re.search(r"(?:与|和|同|跟|会同|联合|携手)$", before):
            f["partner_after_conjunction"] = 1.0  # 与信访局联合建立: the partner follows 与
    size = q.numbered
    if size and c.kind == "list":
        f["list_size_fit" if c.label == str(size) else "list_size_misfit"] = 1.0
    for quoted in q.quoted:
        if quoted in c.text and core != quoted and c.kind != "ordinal":
            f["restates_quote"] = 1.0  # an answer restates nothing the question already names
    f.update(entity_fit_features(q, sentence, c))
    f["length"] = min(len(core), LENGTH_CAP) / 20.0
    if len(core) > LENGTH_CAP:
        f["overlong"] = (len(core) - LENGTH_CAP) / 20.0
    # Each question form that a construction of the text answers (a gloss for "X指什么", the clause after a
    # condition for "接下来会怎样", 以X为组长 for "组长由谁担任", …) is met by few gold questions: one shared
    # weight says "the text's grammar answers this form", so a form seen in one report counts in another.
    fits = [f.pop(n) for n in _FORM_FITS if n in f]
    if fits:
        f["form_fit"] = max(fits)
    misfits = [f.pop(n) for n in _FORM_MISFITS if n in f]
    if misfits:
        f["form_misfit"] = max(misfits)
    f.update(asked_checks(q, sentence, c))
    return f


# --- names, places, organisations, definitions (issue 18, classes 3 and 7) ---------------------------------
# A question that asks for a name, a slogan, a title or a theme: a quoted phrase may answer it; any other
# question (谁, 哪里, 哪个单位, 什么宣讲团) is answered by a name, a place, a body or a phrase on the asked head.
_ASKS_NAME = re.compile(
    r"叫什么|名字|名称|称号|口号|主题|标语|理念|荣誉|品牌|什么奖|命名|简称|全称|提法|说法|表述|称为"
)
# The words of a question that name the head of what it asks for: 什么平台小程序 -> 平台, 哪支执法队伍 -> 执法.
_ASKED_HEAD = re.compile(rf"(?:什么|哪个|哪家|哪所|哪支|哪类|哪种|哪一|哪级|哪些)({HAN}{{2}})")
# A body of trade unions: the union of the report (or the asker's), rarely the unit a sentence ties a person to.
_UNION = re.compile(r"总工会$|工会联合会$")


def _heads_written(q: Question) -> tuple[str, ...]:
    """The asked head nouns a text may write after a candidate: 平台 of 什么平台, 单位 and 公司, 局… of 哪个单位."""
    heads = {m.group(1) for m in _ASKED_HEAD.finditer(q.text)}
    noun = head_asked(q)
    if noun:
        heads.add(noun)
    # a family's one-character heads (局, 会, 办) start too many words after a name (大会, 办公) to tell a cut
    family = {h for n in list(heads) for h in sp.head_family(n) if len(h) >= 2}
    return tuple(h for h in heads | family if h)


def entity_fit_features(q: Question, sentence: str, c: sp.Span) -> dict[str, float]:
    """Whether a name, place, body or phrase fits the kind a question asks for (issue 18, classes 3 and 7).

    quote_unasked: a quoted slogan or title (“匠心筑梦”) for a question that asks no name and whose head it does not
    end on; quote_for_name: one for 叫什么/口号/主题. head_cut: the text writes the asked head right after the span
    (佛山…工会|平台 for 什么平台): the answer stops before its head. union_for_unit: a 总工会 for 来自哪个单位.
    most_of_sentence: a span holding most of a long sentence is a passage, not a name or a definition.
    term_itself: for a definition, the asked term with at most a verb or a head around it.
    """
    f: dict[str, float] = {}
    if q.kind not in ("place", "definition", "person") or c.start < 0:
        return f
    core = c.text.strip("“”《》「」")
    asks_name = bool(_ASKS_NAME.search(q.text))
    heads = _heads_written(q)
    head_written = any(h in sentence for h in heads)
    if c.kind in ("quote", "honor"):
        # a quote naming the asked head (“惠工汇”平台, “健康进园区”活动) is that thing's name
        on_head = bool(heads) and (core.endswith(heads) or sentence[c.end :].startswith(heads))
        if asks_name:
            f["quote_for_name"] = 1.0
        elif not on_head and not q.form.honor and (q.kind != "definition" or head_written):
            f["quote_unasked"] = 1.0
    if c.kind not in ("list", "people", "ordinal", "gloss", "quote"):
        after = sentence[c.end : c.end + 6]
        if any(after.startswith(h) for h in heads) and not core.endswith(heads):
            f["head_cut"] = 1.0
    if q.kind == "definition":
        rest = core
        for term in q.quoted:
            rest = rest.replace(term, "")
        # 建立“园区枫桥”机制 for what “园区枫桥” achieves: the term with a verb or a head, not what it states
        if rest != core and len(re.sub(r"[“”《》「」\"]", "", rest)) <= 4:
            f["term_itself"] = 1.0
    if (
        q.form.org
        and _UNION.search(core)
        and not re.search(r"(?:哪个|哪级|什么|哪些)[^，,？?]{0,4}工会", q.text)
    ):
        f["union_for_unit"] = 1.0
    body = sentence.rstrip("。！？!?；; ")
    if c.kind not in ("list", "people") and len(body) >= 24 and len(core) >= 0.6 * len(body):
        f["most_of_sentence"] = len(core) / len(body)
    return f


def inside_question(q: Question, c: sp.Span) -> bool:
    core = c.text.strip("“”《》「」")
    return core in q.text or (q.kind != "number" and len(core) < 2)


def places_asked(q: Question) -> list[str]:
    """The places the question names (the one place matcher's labels: 龙岩 for 闽西, 衢江 for 衢江区)."""
    return list(q.cities)


_AVERAGE = re.compile(r"平均|人均|户均|每[人名户家个起次位]")
# A span of years written bare (2020-2021, a table's or chart's column head): a period, never an amount.
_YEAR_SPAN = re.compile(r"(?:19|20)\d\d\s*[-—–~～至到]\s*(?:19|20)?\d\d")


def misfit(q: Question, sentence: str, c: sp.Span, features: dict[str, float]) -> bool:
    """A candidate that by its meaning does not answer the question, whatever the scorer would say.

    A figure counted in a unit the question's unit cannot be (多少个职工书屋: not 万元); a figure written for
    another period than the question names (qa/period.py); a 副主席, or a person
    given another title or none, for 主席是谁; a total for a question asking an average (平均每家…) when nothing
    before the figure makes it one.
    """
    if features.get("unit_mismatch") or features.get("other_level") or ordinal_mismatch(q, sentence):
        return True
    if q.kind == "number" and _YEAR_SPAN.fullmatch(c.text.strip()):
        return True  # 当前价格是多少 is not answered by a column head 2020-2021
    if q.kind == "number" and c.start >= 0 and other_period(q.text, q.year, sentence, c.start):
        return True  # 从2019年0.8元降低到2022年Q1的0.39元: the 2019 figure is no answer for 2022年一季度
    if features.get("quote_other") and any(name in sentence for name in q.quoted):
        return True  # “鹰潭工匠”120名 when “鹰潭大工匠” asked stands in the sentence with its own figure
    if q.kind == "person" and c.kind in ("person", "people") and q.titles:
        # 主席是谁 asks who holds the title: a 副主席, a person the sentence gives another title or none, or the
        # title of another body (省总工会 for 市总工会, 集团工会 for 市总工会), is not the answer.
        asked = q.titles[-1]
        titles = sp.titles_of(c.label)
        if "副" not in asked and asked not in titles and any(t.endswith(asked) and "副" in t for t in titles):
            return True
        if re.search(re.escape(asked) + r"(?:是谁|叫什么|是哪位)", q.text) and not all(
            t in titles for t in q.titles
        ):
            return True
        if not sp.same_body(q.title_body, c.body):
            return True
    if q.kind == "number" and q.form.average and c.start >= 0:
        if not _AVERAGE.search(sentence[max(0, c.start - 16) : c.start]):
            return True
    return False


# --- The decision's checks of what is asked (branch `decline`): flags only the veto reads (qa.scorer
# DECISION_ONLY keeps them out of the chooser's fit, VETO declines a pick carrying one).

_STOCK_ASKED = re.compile(r"有多少|有几")
_FLOW_ASKED = re.compile(r"发展|新建|新增|加入|入会|入了|吸纳|参加")
_FLOW_BEFORE = re.compile(r"(?:新建|新增|发展|吸纳|新发展|加入|入会)[^，,；;。]{0,6}$")
_FLOW_AFTER = re.compile(r"^[^，,；;。]{0,8}?(?:加入|入会)")
_RANGE = re.compile(r"\d[^，,；;。\d]{0,3}[至到~～\-—–]")
_BODY_LEVEL = re.compile(r"^(?:省|自治区|市|州|盟|县|区|旗|镇|乡)")
# A part of a group asked (助学对象中有多少名大学新生), a level of honour (省级劳动模范) or a 的-modifier of the
# counted noun (有多少名因灾致贫的困难职工): session 6, branch `group`.
_PART_ASKED = re.compile(
    rf"({HAN}{{2,8}})(?:中|当中|之中)(?:有|共有)?(?:多少|几)(?:名|个|人|位|户|家)?({HAN}{{2,8}}?)(?:获得|得到|受到|参加|是|？|\?|$)"
)
# The unions' seasonal campaigns (春送岗位, 夏送清凉, 冬送温暖): one asked, the sentence's figure is another's.
_SEASON_CAMPAIGN = re.compile(rf"[春夏秋冬]送{HAN}{{2}}")
_LEVEL_ASKED = re.compile(r"国家级|全国|省级|市级|州级|县级|区级")
_MODIFIER_ASKED = re.compile(
    rf"(?:多少|几)(?:名|个|人|位|户|家)({HAN}{{2,8}})的({HAN}{{2,6}}?)(?:获得|得到|受到|参加|？|\?|$)"
)

# Two things joined before the figure that counts them both: 大病和医疗救助款110万元.
_JOINT_BEFORE = re.compile(rf"({HAN}{{2,4}})(?:和|及|与)({HAN}{{3,8}})$")
# A quantity that counts nothing exactly (一批, 若干批, 一些): no answer to 多少, unless batches are asked.
_VAGUE_AMOUNT = re.compile(r"^(?:一|几|数|若干)(?:批|些)$")
# The same before the noun asked (设立若干个职工创新工作室): the sentence gives no figure for it, and its other
# figures with no counted noun of their own (新建基层工会120家，) are not the asked noun's either.
_VAGUE_BEFORE = re.compile(
    r"(?<![\d〇一二三四五六七八九十百千万亿两余])(?:若干|一批|一些|部分|多个|一系列)(?:个|家|名|所|座|处|项)?[^，,；;。\d]{0,6}$"
)


def _vague_for_asked(counted: str, sentence: str) -> bool:
    """The sentence writes the noun asked with no figure, only a vague amount (一批2022年市级职工书屋)."""
    at = sentence.find(counted)
    return at >= 0 and bool(_VAGUE_BEFORE.search(sentence[max(0, at - 12) : at]))


def _one_of_joint(q: Question, sentence: str, c: sp.Span) -> bool:
    """The figure counts two things written as one (大病和医疗救助款110万元) and the question asks one of them alone
    (医疗救助款), without the other: the sum is no answer for its part."""
    m = _JOINT_BEFORE.search(_OWN_FILLER.sub("", sentence[max(0, c.start - 24) : c.start]))
    return bool(m) and m.group(2) in q.text and m.group(1)[-2:] not in q.text


def asked_checks(q: Question, sentence: str, c: sp.Span) -> dict[str, float]:
    """What the question asks that the pick's sentence states otherwise: how many there are (有多少会员) asked and
    the figure counts those newly joined or founded (发展会员5000人, 300名环卫工人加入工会); the title of a body
    other than the union (市政协主席) asked and the sentence never names that body (文联主席 in its place); an
    average asked (平均每名) and the figure a range; a part of a group asked (对象中有多少名新生) and the sentence
    writes the group, not the part; a level asked (省级劳模) and the sentence counts all levels (各级劳模); a
    的-modifier asked before the counted noun and the figure written with another (符合条件的66名困难职工); a
    seasonal campaign asked (夏送清凉) and the sentence's figure another's (冬送温暖)."""
    f: dict[str, float] = {}
    if q.kind == "number" and c.start >= 0 and _STOCK_ASKED.search(q.text) and not _FLOW_ASKED.search(q.text):
        if _FLOW_BEFORE.search(sentence[: c.start]) or _FLOW_AFTER.search(sentence[c.end :]):
            f["flow_for_stock"] = 1.0
    if q.kind == "number" and _VAGUE_AMOUNT.match(c.text) and q.written_unit != "批":
        f["vague_amount"] = 1.0
    if q.kind == "number" and q.counted and len(q.counted) >= 2 and _vague_for_asked(q.counted, sentence):
        f["vague_for_asked"] = 1.0
    if q.kind == "number" and c.start >= 0 and _one_of_joint(q, sentence, c):
        f["one_of_joint"] = 1.0
    if q.kind == "number" and q.form.average and _RANGE.search(c.text):
        f["range_for_average"] = 1.0  # 平均每名 asked, 每人3000元至5000元不等 written: a range is no average
    if q.kind == "person" and q.title_body:
        body = _BODY_LEVEL.sub("", q.title_body)
        if body and "工会" not in body and body not in sentence:
            f["title_body_unwritten"] = 1.0
    if q.kind == "number" and c.start >= 0:
        if (
            (m := _PART_ASKED.search(q.text))
            and m.group(1)[-2:] in sentence
            and m.group(2)[-2:] not in sentence
        ):
            f["whole_for_part"] = 1.0
        if (m := _LEVEL_ASKED.search(q.text)) and m.group() not in sentence and "各级" in sentence:
            f["all_levels_for_one"] = 1.0
        if (m := _SEASON_CAMPAIGN.search(q.text)) and m.group() not in sentence:
            if any(other != m.group() for other in _SEASON_CAMPAIGN.findall(sentence)):
                f["other_campaign"] = 1.0
        if _other_counted_noun(q, sentence, c):
            f["other_counted_noun"] = 1.0  # 30家市级“工人先锋号” when the sentence's 职工创新工作室 is asked
        m = _MODIFIER_ASKED.search(q.text)
        if m and m.group(1) not in sentence and sentence[: c.start].endswith("的"):
            if sentence[c.end :].startswith(m.group(2)):
                f["other_modifier"] = 1.0  # the counted noun with a 的-modifier of its own, not the asked one
    return f


# A figure's stretch runs to the next clause mark, past 、 (50家高耗能、减排任务重的重点企业).
_CLAUSE_STOP = re.compile(r"[，,；;。：:！!？?]")
# A count right before a noun: 16464户困难家庭, 若干个工作室.
_COUNT_BEFORE = re.compile(
    r"(?:\d|[一二两三四五六七八九十百千万亿]|若干|多|几)[多余]?[个家名户位项件人支所座处间]?$"
)


def _other_counted_noun(q: Question, sentence: str, c: sp.Span) -> bool:
    """The figure counts a noun of its own (30家区级…, 26004户单亲困难职工) while the noun asked stands elsewhere
    in the sentence with a count of its own (若干个职工创新工作室, 16464户困难家庭): the figure is a neighbouring
    fact's, not the answer."""
    head = q.counted_head or q.counted
    if not q.counted or not head or len(head) < 2:
        return False
    names = (q.counted, head, *q.synonyms.get(head, ()))
    before, after = _own_nouns(sentence, c)
    if len(after) < 2 or any(n in after or after.endswith(n[-2:]) for n in names):
        return False
    start = _stretch_start(sentence, c.start)
    stop = _CLAUSE_STOP.search(sentence, c.end)
    end = stop.start() if stop else len(sentence)
    if any(n in sentence[start:end] for n in names) or (before and before.endswith(head[-2:])):
        return False
    for name in names:
        for m in re.finditer(re.escape(name), sentence):
            if not start <= m.start() < end and _COUNT_BEFORE.search(
                sentence[max(0, m.start() - 4) : m.start()]
            ):
                return True
    return False
