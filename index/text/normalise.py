"""Text normalisation and Chinese tokenisation: the one place indexing, querying and evaluation share."""

from __future__ import annotations

import hashlib
import json
import logging
import re
import threading
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import jieba

from ..manifest import MANIFEST
from . import figures
from .vocabulary import UNION_TERMS

if TYPE_CHECKING:
    import jieba.posseg

_SPACES = re.compile(r"\s+")
# A number with its qualifier and unit stays one token: 95.6%, 14690家, 2012年, 1.4亿元 (index/text/figures.py).
NUMBER_TOKEN = figures.TOKEN
_PUNCT = set("，。！？；：、“”‘’（）()《》〈〉【】[]「」『』,.!?;:'\"-—…·~～/\\|*#_ ")
_STOPWORDS = frozenset(
    "的 了 和 与 及 是 在 为 吗 呢 啊 吧 呀 么 有 都 被 把 对 从 就 也 而 之 其 或 等 这 那 哪 "
    "多少 什么 哪些 哪个 哪家 哪里 哪儿 哪年 哪一年 几 几个 怎么 怎样 如何 为何 为什么 是否 请问 一下 "
    "情况 是多少 有多少 有哪些 是什么 哪天 何时 何 谁 几年 一年 哪一天 一天 几家 几名 几项 几次 一共 共 总共 "
    "大概 大约 当年 那个 这个 这些 那些 以来 多大 多高 多长 叫 名字 称号 哪所 哪位 哪种 什么样 "
    "哪一个 一个".split()
)


_SEGMENTER_LOCK = threading.Lock()


@lru_cache(maxsize=1)
def segmenter() -> jieba.Tokenizer:
    """Our own jieba tokenizer with the trade-union terms: jieba's default dictionary is left as it was.

    Every segmenting user (keyword tokens, the repair's word tests, POS tags) goes through this one instance,
    so they all see the same dictionary.
    """
    tokenizer = fresh_tokenizer()
    for term in UNION_TERMS:
        tokenizer.add_word(term, freq=20000, tag="n")
    return tokenizer


def fresh_tokenizer() -> jieba.Tokenizer:
    """A new jieba tokenizer with jieba's own dictionary in it, and nothing of ours yet.

    The dictionary is read once per process (about 0.6 s); each tokenizer gets its own copy of the table
    (about 25 ms), so the place matcher's tokenizer no longer reads it a second time.
    """
    freq, total = _jieba_dictionary()
    tokenizer = jieba.Tokenizer()
    tokenizer.FREQ, tokenizer.total = dict(freq), total
    tokenizer.initialized = True
    return tokenizer


# jieba's dictionary as a build saved it in the index folder: read in about a third of the time jieba's own
# cache takes (0.2 s against 0.6 s), since one JSON parse makes the 500,000 words instead of marshal.
JIEBA_TABLE = "jieba.json"
_TABLE_FOLDERS: list[Path] = []


def write_jieba_table(folder: Path) -> None:
    """Save jieba's dictionary, as our tokenizers start from it, into an index folder being built."""
    (Path(folder) / JIEBA_TABLE).write_bytes(_jieba_table())


@lru_cache(maxsize=1)
def _jieba_table() -> bytes:
    """The table's bytes, made once a process like the dictionary they come from (0.13 s a build, 2026-12-03)."""
    freq, total = _jieba_dictionary()
    table = {
        "jieba": jieba.__version__,
        "dictionary_sha256": _dictionary_sha256(),
        "total": total,
        "words": list(freq),
        "freqs": list(freq.values()),
    }
    return json.dumps(table, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def use_jieba_table(folder: Path) -> None:
    """Read jieba's dictionary from this index folder's table when it is first needed in this process.

    The table is used only when the folder's manifest lists it with its sha256 and it was made from the
    installed jieba's dictionary; otherwise jieba loads its own, as without a table.
    """
    with _SEGMENTER_LOCK:
        _TABLE_FOLDERS[:] = [Path(folder)]


def _dictionary_sha256() -> str:
    with jieba.Tokenizer().get_dict_file() as fh:
        return hashlib.sha256(fh.read()).hexdigest()


def _read_table(folder: Path) -> tuple[dict[str, int], int] | None:
    """The table a build saved in `folder`, if the manifest vouches for it and it matches jieba; else None."""
    try:
        listed = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))["files"][JIEBA_TABLE]
        raw = (folder / JIEBA_TABLE).read_bytes()
        if hashlib.sha256(raw).hexdigest() != listed["sha256"]:
            return None
        table = json.loads(raw)
        if table["jieba"] != jieba.__version__ or table["dictionary_sha256"] != _dictionary_sha256():
            return None
        words, freqs = table["words"], table["freqs"]
        if len(words) != len(freqs):
            return None
        return dict(zip(words, freqs, strict=True)), int(table["total"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


@lru_cache(maxsize=1)
def _jieba_dictionary() -> tuple[dict[str, int], int]:
    """jieba's own dictionary as its tokenizers hold it: word (and every prefix of one) -> frequency, and the total.

    Read from an index's table when one was offered (use_jieba_table), else by jieba (its cache in the temp
    folder). Kept unchanged: tokenizers take copies, and our words go into those.
    """
    with _SEGMENTER_LOCK:
        for folder in _TABLE_FOLDERS:
            table = _read_table(folder)
            if table is not None:
                return table
        tokenizer = jieba.Tokenizer()
        jieba_log = logging.getLogger("jieba")
        level = jieba_log.level
        jieba_log.setLevel(logging.WARNING)  # its dictionary-loading chatter; the caller's level is restored
        try:
            tokenizer.initialize()
        finally:
            jieba_log.setLevel(level)
        return tokenizer.FREQ, tokenizer.total


@lru_cache(maxsize=1)
def pos_segmenter() -> jieba.posseg.POSTokenizer:
    """Part-of-speech tagging (a jieba.posseg.POSTokenizer) over segmenter()'s dictionary.

    Imported on first use: jieba.posseg's tables take a second to load and most questions never need them.
    """
    import jieba.posseg

    return jieba.posseg.POSTokenizer(segmenter())


def normalize(text: str) -> str:
    """NFKC (full-width digits and punctuation to ASCII) and whitespace collapsed to single spaces."""
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", text)).strip()


def compact(text: str) -> str:
    """normalize() with all whitespace removed: the form used to compare texts and spans."""
    return _SPACES.sub("", unicodedata.normalize("NFKC", text))


@lru_cache(maxsize=1)
def _t2s():
    from opencc import OpenCC

    return OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional characters to simplified (queries may come in either)."""
    return _t2s().convert(text)


def tokenize(text: str, *, keep_stopwords: bool = False) -> list[str]:
    """jieba search-mode tokens of the normalised text; numbers with units stay whole tokens."""
    text = normalize(text).lower()
    tokens: list[str] = []
    pos = 0
    for match in NUMBER_TOKEN.finditer(text):
        if not match.group():
            continue
        tokens.extend(_words(text[pos : match.start()], keep_stopwords))
        whole = match.group().rstrip(",.")
        tokens.append(whole)
        bare = re.match(r"\d+(?:\.\d+)?", whole)
        if bare and bare.group() != whole:
            tokens.append(bare.group())
        pos = match.end()
    tokens.extend(_words(text[pos:], keep_stopwords))
    return tokens


def _words(segment: str, keep_stopwords: bool) -> list[str]:
    out = []
    for word in segmenter().cut_for_search(segment):
        word = word.strip()
        if not word or all(ch in _PUNCT for ch in word):
            continue
        if not keep_stopwords and word in _STOPWORDS:
            continue
        out.append(word)
    return out
