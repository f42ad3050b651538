"""Run gold questions through the qa API, one retrieval configuration at a time, and score every answer."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, is_dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import metrics
from .gold import GoldItem

if TYPE_CHECKING:
    from qa.types import Answer

MRR_K = metrics.MRR_CUTOFF

# name -> (dense, keyword, city_aware, rerank); the last one is the assistant's default configuration.
CONFIGS: dict[str, tuple[bool, bool, bool, bool]] = {
    "dense only": (True, False, False, False),
    "keyword only": (False, True, False, False),
    "hybrid": (True, True, False, False),
    "hybrid + city": (True, True, True, False),
    "hybrid + city + rerank": (True, True, True, True),
}
DEFAULT_CONFIG = "hybrid + city + rerank"


@dataclass(frozen=True)
class QuestionResult:
    """One gold question, what the assistant returned, its score and how long ask() took."""

    item: GoldItem
    answer: Answer
    score: metrics.Score
    seconds: float

    def reasons(self, k: int) -> list[str]:
        return metrics.failure_reasons(self.item, self.score, k=k)

    def brief(self, k: int) -> dict[str, Any]:
        """The question with what came back, in a few fields (for failure lists)."""
        top = self.answer.citations[0] if self.answer.citations else None
        return {
            "id": self.item.id,
            "kind": self.item.kind,
            "question": self.item.question,
            "gold": list(self.item.answers),
            "answer": self.answer.answer,
            "top_source": f"{top.source} ¶{top.paragraph}" if top else None,
            "top_city": top.city if top else None,
            "hit_rank": self.score.hit_rank,
            "reasons": self.reasons(k),
        }

    def to_dict(self, k: int) -> dict[str, Any]:
        return {
            "item": self.item.to_dict(),
            "score": self.score.to_dict(),
            "seconds": round(self.seconds, 4),
            "reasons": self.reasons(k),
            "returned": self.answer.to_dict(),
        }


@dataclass(frozen=True)
class RunResult:
    """Every question's result under one retrieval configuration."""

    name: str
    config: dict[str, Any]
    k: int
    results: tuple[QuestionResult, ...]

    def _scored(self, kind: str | None = None) -> list[tuple[GoldItem, metrics.Score]]:
        return [(r.item, r.score) for r in self.results if kind is None or r.item.kind == kind]

    def summary(self) -> dict[str, Any]:
        """Overall measures plus ask() latency (milliseconds)."""
        out = metrics.summarize(self._scored(), k=self.k)
        millis = [r.seconds * 1000 for r in self.results]
        out["latency_median_ms"] = metrics.percentile(millis, 50)
        out["latency_p95_ms"] = metrics.percentile(millis, 95)
        return out

    def by_kind(self) -> dict[str, dict[str, Any]]:
        return metrics.summarize_by_kind(self._scored(), k=self.k)

    def failures(self) -> list[dict[str, Any]]:
        return [r.brief(self.k) for r in self.results if r.reasons(self.k)]

    def to_dict(self, *, questions: bool = True) -> dict[str, Any]:
        data = {
            "name": self.name,
            "config": self.config,
            "k": self.k,
            "summary": self.summary(),
            "by_kind": self.by_kind(),
            "failures": self.failures(),
        }
        if questions:
            data["questions"] = [r.to_dict(self.k) for r in self.results]
        return data


def run_questions(
    assistant: Any,
    items: Sequence[GoldItem],
    *,
    k: int = 5,
    name: str = DEFAULT_CONFIG,
    config: Any = None,
    warmup: bool = True,
    progress: Callable[[int, int], None] | None = None,
) -> RunResult:
    """Ask every question once and score the answers.

    Args:
        assistant: a loaded qa.Assistant (anything with ask(question, k=...) -> Answer).
        items: the gold questions.
        k: the cutoff for hit@k and failure lists; retrieval runs with max(k, 10) citations for MRR@10.
        name: the configuration's label in tables.
        config: the RetrievalConfig used, recorded in the result.
        warmup: ask the first question once, untimed, so one-time lazy loading is not counted as latency.
        progress: called with (done, total) after each question.

    Returns:
        A RunResult holding every question's answer, score and latency.
    """
    if k < 1:
        raise ValueError(f"k={k} must be at least 1")
    ask_k = max(k, MRR_K)
    count = getattr(assistant, "passage_count", None)  # a small index (a few reports) holds fewer passages
    ask_k = min(ask_k, count) if isinstance(count, int) and count > 0 else ask_k
    if warmup and items:
        assistant.ask(items[0].question, k=ask_k)
    answered: list[tuple[GoldItem, Answer, float]] = []
    for n, item in enumerate(items, start=1):
        start = time.perf_counter()
        answer = assistant.ask(item.question, k=ask_k)
        answered.append((item, answer, time.perf_counter() - start))
        if progress:
            progress(n, len(items))
    # The corpus's own cities join the built-in list, so a question naming any covered city is read right.
    known = {c.city for _, a, _ in answered for c in a.citations if c.city}
    results = tuple(
        QuestionResult(item, answer, metrics.score(answer, item, known_cities=known), seconds)
        for item, answer, seconds in answered
    )
    return RunResult(name=name, config=_config_dict(config), k=k, results=results)


def run_configs(
    items: Sequence[GoldItem],
    *,
    index_dir: str | Path | None = None,
    k: int = 5,
    names: Sequence[str] = (DEFAULT_CONFIG,),
    embedder: Any = None,
    progress: Callable[[str, int, int], None] | None = None,
    store: Any = None,
) -> list[RunResult]:
    """Load an Assistant per named configuration (sharing one embedder) and run the questions through each.

    Args:
        items: the gold questions.
        index_dir: the index directory; None lets the assistant use (or build) its default index.
        k: see run_questions.
        names: keys of CONFIGS, in table order.
        embedder: an encoder to use (e.g. a loaded index.encode.embedder.Embedder); None: the index's own ONNX
            copy of the model when it has one, else sentence-transformers.
        progress: called with (config name, done, total).
        store: an index.store.spec.StoreSpec (FAISS or Milvus); None uses what the index was built with.

    Returns:
        One RunResult per configuration, in the order of `names`.
    """
    from qa import Assistant, RetrievalConfig

    unknown = [n for n in names if n not in CONFIGS]
    if unknown:
        raise ValueError(f"unknown configuration {unknown[0]!r}; choose from {', '.join(CONFIGS)}")
    runs = []
    for name in names:
        dense, keyword, city_aware, rerank = CONFIGS[name]
        config = RetrievalConfig(dense=dense, keyword=keyword, city_aware=city_aware, rerank=rerank)
        assistant = Assistant.load(
            index_dir, config=config, embedder=embedder, build_if_missing=True, store=store
        )
        embedder = assistant.retriever.embedder or embedder  # one encoder for every configuration
        report = (lambda done, total, _n=name: progress(_n, done, total)) if progress else None
        runs.append(run_questions(assistant, items, k=k, name=name, config=config, progress=report))
    return runs


def _config_dict(config: Any) -> dict[str, Any]:
    if config is None:
        return {}
    if is_dataclass(config) and not isinstance(config, type):
        return asdict(config)
    return {key: value for key, value in vars(config).items() if not key.startswith("_")}
