"""List answers: every item a question asking 有哪些 / 哪几项 / 包括 asks for, each with the passage it is written in.

Items come from the answer's own writing: a run of a report's headings (创新品牌之一…之七), an enumeration by
ordinals (一是…二是…), the quoted names a sentence lists (被评为“…”，授予“…”等荣誉称号), or a 、/和 list
around the answer. Nothing is listed unless the text lists it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from index.errors import IndexProblem
from index.passage import Passage
from index.text import figures
from index.text.patterns import HAN, NUMERALS, quoted
from index.text.split import CLAUSE_END, clause_start

from .question import Question
from .types import Item

# A heading numbered within a run: 创新品牌之一:, 亮点之三
_RUN_HEADING = re.compile(
    rf"^\s*(?P<stem>[^\n，。；]{{2,16}}?)之(?P<n>[{NUMERALS}]{{1,3}})\s*[:：]?\s*(?P<rest>[^\n]*)$", re.M
)
# An ordinal leading a clause: 一是…, 二送医疗… (after the start, a clause mark or a space).
_ORDINAL_LEAD = re.compile(rf"(?:^|(?<=[，,；;。：:\s]))(?P<n>[{NUMERALS}])(?=是|{HAN}{{2}})")
_ITEM_END = re.compile(r"[；;。]")
_FIRST_CLAUSE_END = re.compile(r"[，,；;。：:]")
_NUMBERED = re.compile(rf"^\s*(?:[（(](?P<a>[{NUMERALS}]{{1,2}})[）)]|(?P<b>[{NUMERALS}]{{1,2}})、)")
_QUOTED = quoted(40)
_LIST_SEP = re.compile(r"、")
_LAST_JOIN = re.compile(r"(?:和|及|以及|与)")
MAX_ITEM_CHARS = 40
# Words that may join two quoted names of one list: "，连续五年被全总授予" (10) and "，市总工会经审会三次被评为" (13)
# join 南平's honours; a longer stretch starts another statement.
MAX_JOIN_CHARS = 14
# Words that introduce a list's first item: 即A、B, 包括A、B.
_LEAD_WORD = re.compile(r"^(?:即|是|为|包括|包含|有|分别为|分别是|主要有|主要是|涵盖)")


def as_list_question(q: Question) -> Question:
    """A list question read as asking for names, not a figure (哪几类竞赛项目 is not a count)."""
    if q.kind == "number" and q.lists:
        return replace(q, kind="definition", unit=None, counted=None, counted_head=None)
    return q


def items_for(q: Question, index, passage: Passage, found) -> tuple[Item, ...]:
    """Every item of what a list question asks for, read from the answer's report and sentence; () otherwise.

    Args:
        q: the parsed question; index: the Index; passage: the passage the answer comes from (or the first
            that may answer, when no single answer was sure enough);
        found: the extraction (its sentence and span inside the passage), None when there is none: then only
            the report's heading runs are read.
    """
    if not q.lists:
        return ()
    readers = (_heading_run, _ordinals, _quoted, _enumeration) if found is not None else (_heading_run,)
    for reader in readers:
        items = list({i.text: i for i in reader(q, index, passage, found)}.values())
        if len(items) >= 2:
            return tuple(items)
    return ()


def joined(items: Sequence[Item], index) -> str | None:
    """The items as one answer line: the text as written when they are one stretch of a passage (A、B及C),
    else joined with 、; None for no list."""
    if len(items) < 2:
        return None
    spans = [i.span for i in items]
    if len({i.passage_id for i in items}) == 1 and all(spans) and spans == sorted(spans):
        text = index.by_id(items[0].passage_id).text
        stretch = text[spans[0][0] : spans[-1][1]]
        if len(stretch) <= sum(len(i.text) for i in items) + 3 * len(items):  # only the joining words between
            return stretch
    return "、".join(dict.fromkeys(i.text for i in items))


def _wanted_words(q: Question) -> list[str]:
    words = [w for w in (q.asked_noun, *q.terms) if w and len(w) >= 2]
    return sorted(set(words), key=len, reverse=True)


def _heading_run(q: Question, index, passage: Passage, found) -> list[Item]:
    """创新品牌之一…之七 in the report: each heading's title (the rest of its line, else the next line)."""
    try:
        from index.original import original_text

        text = original_text(index, passage.source)
    except (IndexProblem, OSError):
        return []
    wanted = _wanted_words(q)
    runs: dict[str, list[re.Match]] = {}
    for m in _RUN_HEADING.finditer(text):
        runs.setdefault(m["stem"].strip(), []).append(m)
    for stem, heads in runs.items():
        if len(heads) < 2 or not any(w in stem or stem in w for w in wanted):
            continue
        heads.sort(key=lambda m: _cn_number(m["n"]))
        own = [p for p in index.passages if p.source == passage.source and p.parts]
        items = []
        for m in heads:
            title = m["rest"].strip()
            if not title:
                after = text[m.end() :].lstrip("\n")
                title = after.split("\n", 1)[0].strip()
            if not title or len(title) > MAX_ITEM_CHARS:
                continue
            cited = next((p for p in own if p.parts[0].start >= m.end()), passage)
            items.append(Item(title, cited.source, cited.id))
        if len(items) >= 2:
            return items
    return []


def _cn_number(numeral: str) -> int:
    from index.text.figures import chinese_value

    return chinese_value(numeral) or 0


def _ordinals(q: Question, index, passage: Passage, found) -> list[Item]:
    """一是…；二是… or 一送慰问，…；二送医疗，…: the run of clauses led by 一, 二, 三 … in the answer's passage.

    After 是 the item is the whole clause; otherwise the words up to the first comma (一送慰问).
    """
    text = passage.text
    starts = [m for m in _ORDINAL_LEAD.finditer(text)]
    runs: list[list[re.Match]] = []
    for m in starts:
        number = _cn_number(m["n"])
        if number == 1:
            runs.append([m])
        elif runs and number == len(runs[-1]) + 1:
            runs[-1].append(m)
    runs = [r for r in runs if len(r) >= 2]
    if not runs:
        return []
    anchor = found.start if found is not None and found.start >= 0 else -1
    # The run the answer lies in, or that starts in the answer's sentence: not one elsewhere in the passage.
    sentence_at = text.find(found.sentence) if found is not None else -1
    sentence_end = sentence_at + len(found.sentence) if sentence_at >= 0 else -1
    around = [
        r
        for r in runs
        if r[0].start() - 1 <= anchor <= _ITEM_END.search(text + "。", r[-1].end()).end()
        or sentence_at <= r[0].start() < sentence_end
    ]
    if not around:
        return []
    run = around[0]
    items = []
    for m in run:
        body_start = m.end("n")
        rest = text[body_start:]
        led_by_shi = rest.startswith("是")
        if led_by_shi:
            body_start += 1
            rest = rest[1:]
        stop = _ITEM_END if led_by_shi else _FIRST_CLAUSE_END
        end_match = stop.search(rest)
        body = rest[: end_match.start()] if end_match else rest
        body = body.strip("，,、 ")
        if not led_by_shi:
            body = m["n"] + body if len(body) < 2 else body
        if body and len(body) <= MAX_ITEM_CHARS:
            items.append(Item(body, passage.source, passage.id, (body_start, body_start + len(body))))
    return items


def _quoted(q: Question, index, passage: Passage, found) -> list[Item]:
    """The quoted names a sentence lists around the answer (被评为“A”，授予“B”…等荣誉称号): the run of quotes
    holding it whose neighbours are joined by a few words without figures."""
    sentence = found.sentence
    names = list(_QUOTED.finditer(sentence))
    answer = found.text
    at = next((k for k, m in enumerate(names) if answer in m.group(1) or m.group(1) in answer), None)
    if at is None or "、" in names[at].group(1):
        return []  # a quoted list (“一流工作、一流服务…”) is read as an enumeration
    first = last = at
    while first > 0 and _joins(sentence[names[first - 1].end() : names[first].start()]):
        first -= 1
    while last + 1 < len(names) and _joins(sentence[names[last].end() : names[last + 1].start()]):
        last += 1
    if last == first:
        return []
    offset = passage.text.find(sentence)
    items = []
    for m in names[first : last + 1]:
        span = (offset + m.start(1), offset + m.end(1)) if offset >= 0 else None
        items.append(Item(m.group(1), passage.source, passage.id, span))
    return items


def _joins(between: str) -> bool:
    """Whether the words between two quoted names join items of one list (、 ， 和, 被评为…), not two statements."""
    return len(between) <= MAX_JOIN_CHARS and not re.search(r"[\d。；;！？!?]", between)


def _enumeration(q: Question, index, passage: Passage, found) -> list[Item]:
    """A 、 list around the answer (A、B以及C和D等): its items, the first cut where the list begins.

    The list is bounded by the innermost brackets or quotes around the answer that hold a 、 and no clause mark
    (“六比”(比项目进度、…、比安全生产), “进机关、…、进学校”), else by the clause marks around it. Within that, 等
    ends a list, and a middle item that reads as "noun + verb + new noun" (首席技师赴企业开展技术帮扶) ends one list
    and starts another (the one after the question's own verb is taken); the last item stops where the words
    after the list begin (技能培训为载体, 新北市总工会签订…, 王国成5位…).
    """
    text = passage.text
    if found.start < 0:
        return []
    start, end, enclosed = _list_bounds(text, found.start, found.end)
    beside = False  # the list is beside the answer, not around it
    asked_clause = _clause_after_asked_verb(q, text, found)
    if asked_clause is not None and not (asked_clause[0] <= found.start < asked_clause[1]):
        # The sentence lists things right after the question's own verb (举办读书会、座谈会…, 创设职工之家、…):
        # that list, not the one the answer happens to lie in.
        (start, end), enclosed, beside = asked_clause, False, True
    if not enclosed:
        inner = [m for m in _ENCLOSED_LIST.finditer(text, start, end)]
        if len(inner) == 1 and text.count("、", start, end) == inner[0].group(1).count("、"):
            # every 、 of the clause lies in one quoted list (实现“协商共谋、机制共建…”的…): the quotes bound it
            start, end, enclosed = inner[0].start(1), inner[0].end(1), True
    if "、" not in text[start:end]:
        # The answer is not in a list, but its sentence holds one quoted or bracketed list: that one
        # (集“摸底、建档、入户、公示、帮扶”为一体, the answer being the “精准帮扶” before it).
        at = max((m.end() for m in _SENTENCE_END.finditer(text, 0, found.start)), default=0)
        stop = _SENTENCE_END.search(text, found.end)
        sentence = text[
            at : stop.start() if stop else len(text)
        ]  # whole, not cut at commas as found.sentence
        lists = list(_ENCLOSED_LIST.finditer(sentence))
        if len(lists) != 1:
            return []
        start, end, enclosed, beside = at + lists[0].start(1), at + lists[0].end(1), True, True
    pieces = _pieces(text, start, end)
    lists: list[list[tuple[int, int]]] = [[]]
    verbs: list[str] = [""]  # the verb each list follows, or what follows its 等 (等荣誉称号, 等多项重点工作)
    closing = [k for k, (a, b) in enumerate(pieces) if text.find("等", a, b) >= 0]
    for k, (a, b) in enumerate(pieces):
        stop = text.find("等", a, b)
        if stop >= 0:
            lists[-1].append((a, stop))
            verbs[-1] += "等" + text[stop + 1 : stop + 9]
            lists.append([])
            verbs.append("")
            continue
        previous = [text[x:y] for x, y in lists[-1]]
        # A run closed by 等 is one list whatever verbs its items hold (技能培训促就业、…、强保障促和谐等活动).
        if 0 < k < len(pieces) - 1 and not any(c > k for c in closing):
            cut = _verb_cut(text[a:b], previous, [text[x:y] for x, y in pieces[k + 1 :]])
            if cut:
                lists[-1].append((a, a + cut[0]))
                lists.append([])
                verbs.append(text[a + cut[0] : a + cut[1]])
                a += cut[1]
        lists[-1].append((a, b))
    runs = [
        ([(a, b) for a, b in run if text[a:b].strip()], verb) for run, verb in zip(lists, verbs, strict=True)
    ]
    runs = [(run, verb) for run, verb in runs if len(run) >= 2]
    asked = [
        run for run, verb in runs if verb and any(w in q.text for w in _verb_words(verb) + _terms_in(q, verb))
    ]
    holding = [run for run, _ in runs if any(a < found.end and found.start < b for a, b in run)]  # overlaps
    chosen = (asked or holding or ([run for run, _ in runs] if beside else []) or [None])[0]
    if chosen is None:
        return []
    closed = any("等" in verb for run, verb in runs if run is chosen)
    texts = [text[a:b] for a, b in chosen]
    if not enclosed:
        first = _list_start(texts[0], texts[1:])
        chosen[0] = (chosen[0][1] - len(first), chosen[0][1])
        texts[0] = first
    a, _ = chosen[-1]
    last = _without_count(texts[-1], texts[:-1])
    joined = _join_word(last)
    # A list closed by 等 ends there; otherwise the last item may run on into the sentence.
    tail = (lambda piece, others: piece) if closed else _without_tail
    if joined is not None:  # A、B和C: the last piece holds two items
        final = tail(last[joined[1] :], texts[:-1])
        chosen[-1:] = [(a, a + joined[0]), (a + joined[1], a + joined[1] + len(final))]
    else:
        chosen[-1] = (a, a + len(tail(last, texts[:-1])))
    items = []
    for a, b in chosen:
        part = text[a:b]
        lead = len(part) - len(part.lstrip())
        part = part.strip()
        if not part or len(part) > MAX_ITEM_CHARS:
            return []
        items.append(Item(part, passage.source, passage.id, (a + lead, a + lead + len(part))))
    return items


def _clause_after_asked_verb(q: Question, text: str, found) -> tuple[int, int] | None:
    """The clause of the answer's sentence that lists things after a verb of the question: [start, end)."""
    at = max((m.end() for m in _SENTENCE_END.finditer(text, 0, found.start)), default=0)
    stop = _SENTENCE_END.search(text, found.end)
    end = stop.start() if stop else len(text)
    position = at
    for clause in re.split(r"([，,；;：:])", text[at:end]):
        if clause and clause not in "，,；;：:" and "、" in clause:
            intro = clause[: clause.index("、")]
            if any(w in q.text for w in _verb_words(intro)):
                return position, position + len(clause)
        position += len(clause)
    return None


def _join_word(piece: str) -> tuple[int, int] | None:
    """Where 和/及/与 joins two items in a piece, as a word of its own (not the 和 of 和谐): (start, end)."""
    from index.text.normalise import segmenter

    position = 0
    for token in segmenter().lcut(piece):
        if token in ("和", "及", "与") and position > 0:
            return position, position + len(token)
        position += len(token)
    return None


def _terms_in(q: Question, text: str) -> list[str]:
    """The question's terms (two characters or more) found in a stretch of text."""
    return [t for t in q.terms if len(t) >= 2 and t in text]


def _verb_words(verb_text: str) -> list[str]:
    from .lexical import words

    return [w.text for w in words(verb_text) if w.tag == "v" and len(w.text) >= 2]


def _pieces(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The stretch cut at 、 and at 以及: [start, end) of each."""
    cuts = [start]
    for m in re.finditer(r"、|以及", text[start:end]):
        cuts += [start + m.start(), start + m.end()]
    cuts.append(end)
    return [(cuts[i], cuts[i + 1]) for i in range(0, len(cuts), 2)]


def _verb_cut(piece: str, previous: Sequence[str], following: Sequence[str] = ()) -> tuple[int, int] | None:
    """Where a verb inside a middle item ends one list and starts another: (end of the item, start of the next).

    Not when the item ends as an earlier one does (…优秀单位 after …先进单位: a noun with a verb inside), nor when
    the verb ends the item (技能帮扶) or would leave a one-character item (夏送清凉). When the items after it lead
    with a verb (疏通管道、宣传节水知识), the new list starts at the verb (清洁河道), which may read as an adjective.
    """
    from .lexical import words

    if any(len(p.strip()) >= 2 and p.strip()[-2:] == piece.strip()[-2:] for p in previous):
        return None
    found = words(piece)
    if not found or found[0].tag == "v":
        return None
    verb_led = bool(following) and all((w := words(f.strip())) and w[0].tag == "v" for f in following)
    tags = ("v", "a") if verb_led else ("v",)
    verbs = [w for w in found if w.tag in tags and len(piece) - w.end >= 2]
    if not verbs or verbs[0].start < 2:
        return None
    return (verbs[0].start, verbs[0].start) if verb_led else (verbs[0].start, verbs[-1].end)


_SENTENCE_END = re.compile(r"[。！？!?]")
_ENCLOSED_LIST = re.compile(r"[“(（]([^“”()（），,。；;：:]*、[^“”()（），,。；;：:]*)[”)）]")
_INTRO_MARKS = frozenset("，,：:；;“”‘’《》「」")
_COUNT_AFTER = re.compile(r"[\d一二三四五六七八九十两百千万]+[个位名项类种家支条大]")


def _without_count(last: str, others: Sequence[str]) -> str:
    """The last piece without a figure or count the other items lack (技艺革新1200余次, 王国成5位“济南大工匠”…,
    工作推进类四大类…)."""
    if any(_COUNT_AFTER.search(o) or figures.NUMBER.search(o) for o in others):
        return last
    found = [
        m.start() for m in (figures.NUMBER.search(last), _COUNT_AFTER.search(last)) if m and m.start() >= 2
    ]
    return last[: min(found)] if found else last


def _without_tail(last: str, others: Sequence[str]) -> str:
    """The last item without the words after the list, when it runs longer than the others: from its first verb
    or preposition on (技能培训为载体, 新北市总工会签订…)."""
    from .lexical import words

    longest = max((len(o.strip()) for o in others), default=0)
    if len(last.strip()) > longest + 2:
        # a verb of two characters or more: one-character ones are as often part of a name (修连金)
        verb = next(
            (
                w
                for w in words(last)
                if (w.tag == "p" or (w.tag == "v" and len(w.text) >= 2)) and w.start >= 2
            ),
            None,
        )
        if verb is not None:
            return last[: verb.start]
    return last


_OPEN, _CLOSE = "“(（《「", "”)）》」"


def _list_bounds(text: str, start: int, end: int) -> tuple[int, int, bool]:
    """The innermost bracketed or quoted stretch around [start, end) holding a 、 (True), else the clause (False)."""
    depth_open = []
    for i in range(start - 1, max(-1, start - 200), -1):
        ch = text[i]
        if ch in _CLOSE:
            depth_open.append(ch)
        elif ch in _OPEN:
            if depth_open:
                depth_open.pop()
                continue
            closing = _CLOSE[_OPEN.index(ch)]
            close_at = text.find(closing, end)
            inside = text[i + 1 : close_at]
            if close_at > 0 and "、" in inside and not CLAUSE_END.search(inside) and close_at - i < 200:
                return i + 1, close_at, True
            break
        elif ch in "。；;":
            break
    end_match = CLAUSE_END.search(text, end)
    return clause_start(text, start), end_match.start() if end_match else len(text), False


def _common_prefix(items: Sequence[str]) -> str:
    if len(items) < 2:
        return ""
    prefix = items[0]
    for item in items[1:]:
        while not item.startswith(prefix):
            prefix = prefix[:-1]
    return prefix if prefix and len(prefix) < min(len(i) for i in items) else ""


def _list_start(first: str, others: Sequence[str]) -> str:
    """The first item without the words that introduce the list (推荐全国劳动奖章 -> 全国劳动奖章).

    The introduction ends after its first verb or preposition and after its last 的 (扎实开展春送岗位 ->
    春送岗位; 坚守岗位的网约配送员 -> 网约配送员). Items sharing a lead (比项目进度、比工程质量) keep it; when the
    other items begin with a verb (促规范、带活动), the first keeps its last verb (帮助找差距 -> 找差距).
    """
    from .lexical import words

    shared = _common_prefix([o.strip() for o in others])
    if shared and shared in first:  # parallel items: the first starts where its lead does
        return first[first.rindex(shared) :]
    bracket = min((first.find(c) for c in "(（“《" if c in first), default=len(first))
    found = [w for w in words(first) if w.end <= bracket]
    verbs_lead = sum(1 for o in others if (w := words(o.strip())) and w[0].tag == "v") > len(others) / 2
    if verbs_lead:
        verbs = [w for w in found if w.tag == "v"]
        cut = verbs[-1].start if verbs else 0
    else:
        # after the last word that introduces: a verb of two characters (开展, 推荐; not the 送 of 春送岗位), a
        # preposition, 的, 了, a copula, or a mark
        cut = max(
            [0]
            + [
                w.end
                for w in found
                if (w.tag == "v" and len(w.text) >= 2)
                or w.tag == "p"
                or w.text in ("的", "了", "是", "为")
                or (w.tag == "w" and w.text in _INTRO_MARKS)
            ]
        )
    first = first[cut:] if cut < len(first) else first
    return _LEAD_WORD.sub("", first) or first
