"""The one place matcher: place names in a text, on word boundaries, longest first, resolved to divisions.

Indexing (an article's place), questions (the place asked about), answer spans and follow-ups all call
find_places(). Boundaries come from a jieba tokenizer of our own whose dictionary holds every written form
of every place (index.places.gazetteer), so 河南平顶山郏县 reads 河南 / 平顶山 / 郏县 and never yields 南平. A short
form that is also an everyday word (平和, 光泽, 开化, 永定) counts only with evidence: its full name elsewhere
in the text, or its parent named right before it (漳州平和).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from .gazetteer import Gazetteer, Place, gazetteer

# A place form outweighs the ordinary words it overlaps (河南|平顶山 against 河|南平|顶|山); jieba's own
# place words run from a few to a few thousand, so this puts every place on the footing of a common one.
PLACE_FREQ = 3000
# jieba's part-of-speech tags of everyday words: a place's short form tagged so (平和 a, 开化 v, 永定 d,
# 大同 d, 三元 m) needs evidence. A county's short form as frequent as this in jieba's dictionary needs it
# whatever its tag (新建 1000, 江南 4986, 长安 5355, 红旗 1052, 和平 7998); cities and provinces are exempt
# from the frequency rule, since their names are frequent because they are places (河南, 宁波, 中山).
_COMMON_TAGS = frozenset("a ad an d f m s v vn c p q r u".split())
# jieba tags many city names n or t (合肥, 烟台): for a county's short form those count as everyday too.
_COUNTY_COMMON_TAGS = _COMMON_TAGS | {"n", "t"}
COMMON_COUNTY_FREQ = 500

# One-character suffixes that make a noun of the word before them (期 period, 性 -ness, 化 -isation, 型 type,
# 率 rate, 度 degree, 感 sense, 式 style, 者 one who): a place's short form before one is part of a word.
BOUND_SUFFIXES = frozenset("期性化型率度感式者")

_lock = threading.Lock()


@dataclass(frozen=True)
class Mention:
    """A place named in a text: [start, end), the words as written and the division they name."""

    start: int
    end: int
    text: str
    place: Place


@lru_cache(maxsize=1)
def _matcher() -> tuple[object, frozenset[str]]:
    """Our own jieba tokenizer with every place form as a word, and the forms that need evidence."""
    from ..text.normalise import fresh_tokenizer

    g = gazetteer()
    tokenizer = fresh_tokenizer()
    tags = _jieba_tags(tokenizer, g.forms.keys())
    common = set()
    with _lock:
        for form, codes in g.forms.items():
            tag = tags.get(form)
            freq = tokenizer.FREQ.get(form, 0)  # jieba's frequency of the word (0: only a prefix of words)
            is_short = any(form == g.places[c].short != g.places[c].name for c in codes)
            county = all(g.places[c].level == "county" for c in codes)
            everyday = tag in (_COUNTY_COMMON_TAGS if county else _COMMON_TAGS)
            if is_short and (everyday or (county and freq >= COMMON_COUNTY_FREQ)):
                common.add(form)
                continue
            tokenizer.add_word(form, max(freq, PLACE_FREQ))
    return tokenizer, frozenset(common)


def _jieba_tags(tokenizer, forms: Iterable[str]) -> dict[str, str]:
    """jieba's part-of-speech tag of each of these words that its dictionary holds (one pass over dict.txt)."""
    wanted = set(forms)
    with tokenizer.get_dict_file() as fh:
        text = fh.read().decode("utf-8")
    tags = {}
    for line in text.splitlines():
        word, _, rest = line.partition(" ")
        if word in wanted:
            parts = rest.split()
            if len(parts) == 2:
                tags[word] = parts[1]
    return tags


def _tokens(text: str) -> list[tuple[str, int, int]]:
    tokenizer, _ = _matcher()
    return list(tokenizer.tokenize(text, HMM=False))


def find_places(
    text: str, *, prefer: Iterable[str] = (), question: bool = False, strict: bool = False
) -> list[Mention]:
    """Every place named in the text, in order.

    Args:
        text: any text (a question, a paragraph, a title).
        prefer: codes of places to favour when a name is ambiguous (鼓楼 is in four cities): the covered ones.
        question: a question names a city or province as such (大连工会…): those need no evidence there;
            a county's everyday-word name (新建, 开化) still does.
        strict: a short form glued to a bound suffix is a word, not the place (长寿期, a plant's long-life
            period, is not 长寿区): what deciding which place a whole report is about asks for.
    Returns:
        Mentions, each resolved to one division: by its parent named in the text, then by `prefer`,
        then by level (a province before a city before a county).
    """
    g = gazetteer()
    _, common = _matcher()
    tokens = _tokens(text)
    found: list[tuple[int, int, str, tuple[str, ...]]] = []
    for i, (word, start, end) in enumerate(tokens):
        codes = g.forms.get(word)
        if not codes:
            continue
        if strict and _glued(g, word, codes, tokens[i + 1][0] if i + 1 < len(tokens) else ""):
            continue
        if word in common and not _evidenced(g, word, codes, text, tokens[i - 1][0] if i else ""):
            if not (question and any(g.places[c].level != "county" for c in codes)):
                continue
        found.append((start, end, word, codes))
    context = {c for *_, codes in found if len(codes) == 1 for c in codes}
    context |= {p.code for c in list(context) for p in g.chain(c)[1:]}
    preferred = set(prefer)
    out = []
    for start, end, word, codes in found:
        out.append(Mention(start, end, word, g.places[_resolve(g, codes, context, preferred)]))
    return out


def _glued(g: Gazetteer, word: str, codes: tuple[str, ...], after: str) -> bool:
    """A short form followed by a bound suffix that makes a noun of it (长寿期, 长寿型): a word, not a place."""
    return after in BOUND_SUFFIXES and all(word != g.places[c].name for c in codes)


def _evidenced(g: Gazetteer, word: str, codes: tuple[str, ...], text: str, before: str) -> bool:
    """An everyday word is a place when its full name is in the text or its parent stands right before it."""
    for code in codes:
        place = g.places[code]
        if place.name in text:
            return True
        parent_forms = {f for p in g.chain(code)[1:] for f in (p.name, p.short)}
        if before in parent_forms:
            return True
    return False


def _resolve(g: Gazetteer, codes: tuple[str, ...], context: set[str], prefer: set[str]) -> str:
    if len(codes) == 1:
        return codes[0]
    for pool in (context, prefer):
        # The place under the most specific one named: 莱芜 beside 济南 is its 莱芜区, not the former 莱芜市 of
        # the same province.
        depth = {c: max((len(p_chain) for p_chain in _pool_chains(g, c, pool)), default=0) for c in codes}
        inside = [c for c in codes if depth[c]]
        if inside:
            return max(inside, key=lambda c: depth[c])  # max keeps the first of equals: codes' own order
    return codes[0]  # sorted by level: 吉林 the province before 吉林 the city


def _pool_chains(g: Gazetteer, code: str, pool: set[str]):
    """The chains (place and parents) of the code itself and of each of its parents that is in the pool."""
    line = g.chain(code)
    return [line[i:] for i, p in enumerate(line) if p.code in pool]


def places_in(text: str, *, prefer: Iterable[str] = ()) -> list[Place]:
    """The places named in the text, in order of first mention, without repeats."""
    seen: dict[str, Place] = {}
    for m in find_places(text, prefer=prefer):
        seen.setdefault(m.place.code, m.place)
    return list(seen.values())


def place(code: str) -> Place:
    """The division with this code."""
    return gazetteer().places[code]


def chain(code: str) -> tuple[Place, ...]:
    """A place and its ancestors, most specific first."""
    return gazetteer().chain(code)


def ancestors(code: str) -> frozenset[str]:
    """The codes of a place's parents, now and, for one moved out of a place that no longer exists, then
    (钢城区: 济南 and 山东, and 莱芜市 of before 2019)."""
    out: set[str] = set()
    for p in chain(code):
        out |= {q.code for q in chain(p.was_in)} if p.was_in else set()
        if p.code != code:
            out.add(p.code)
    return frozenset(out)


def present_name(code: str) -> str | None:
    """For a place that no longer exists, the current place it became part of (济南市莱芜区); else None."""
    now = place(code).now if code in gazetteer().places else None
    return "".join(p.name for p in reversed(chain(now)) if p.level != "province") if now else None


def resolve_name(name: str) -> Place | None:
    """The place a written name stands for (慈溪, 慈溪市, 浙江省宁波市慈溪市: the most specific), or None."""
    found = places_in(name)
    if not found:
        return None
    return max(found, key=lambda p: len(chain(p.code)))
