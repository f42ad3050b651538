"""Hybrid retrieval: the dense leg (FAISS) and the keyword leg (BM25) fused, with city and year awareness."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from index.encode.encoder import Encoder, query_encoder
from index.loaded import Index, default_index_dir
from index.store.base import Related
from index.store.faiss import set_search_threads
from index.store.spec import StoreSpec
from index.text import bylines
from index.text.normalise import use_jieba_table

from . import validate
from .question import Question, parse
from .rerank import DEPTH, WEIGHTS_FILE, Reranker, softmax_scores
from .rerank import features as rerank_features
from .scope import Scope, scope_for
from .thesaurus import domain_related
from .types import Hit

SYNONYM_WEIGHT = 0.5  # BM25 weight of the thesaurus words added to a query, against 1 for its own words
# Only the domain list's words widen the search; 词林's are weighed when reading the answer (qa/candidates.py), not
# here: with them in the query too, held out on the world (python -m eval --world, 972 questions) accuracy 0.873
# against 0.877 and precision 0.953 against 0.954, and one seed paraphrase's passage fell out of the first five.


@dataclass(frozen=True)
class RetrievalConfig:
    """Which legs run and how they are fused.

    dense_weight: share of the dense leg in score fusion (keyword gets the rest); measured on the gold
    set (eval --compare): keyword alone beats dense alone on these reports, so the dense share is low.
    """

    dense: bool = True
    keyword: bool = True
    city_aware: bool = True
    fusion: str = "score"  # "score" (min-max normalised, weighted) or "rrf"
    dense_weight: float = 0.2
    rrf_k: int = 60
    year_boost: float = 0.1
    rerank: bool = True  # rerank the fused top passages by qa/rerank_weights.json (when the file is there)

    @property
    def label(self) -> str:
        legs = "+".join(n for n, on in (("dense", self.dense), ("keyword", self.keyword)) if on)
        return legs + (" +city" if self.city_aware else "") + (" +rerank" if self.rerank else "")


def _minmax(values: dict[int, float]) -> dict[int, float]:
    if not values:
        return {}
    lo, hi = min(values.values()), max(values.values())
    if hi - lo < 1e-9:
        return {k: 1.0 for k in values}
    return {k: (v - lo) / (hi - lo) for k, v in values.items()}


class Retriever:
    """Search the index for a question; `search` returns scored passages, best first."""

    def __init__(
        self,
        index: Index,
        embedder: Encoder | None,
        config: RetrievalConfig | None = None,
        reranker: Reranker | None = None,
    ):
        self.index = index
        self.embedder = embedder
        self.config = config or RetrievalConfig()
        # The shipped weights unless given; none (fused order) when the config says so or no file was fit yet.
        if reranker is None and self.config.rerank and WEIGHTS_FILE.exists():
            reranker = Reranker.load()
        self.reranker = reranker if self.config.rerank else None
        self._weight = None
        if self.config.dense and embedder is None:
            raise ValueError(
                "the dense leg needs an embedder; pass embedder= or RetrievalConfig(dense=False)"
            )

    @classmethod
    def load(
        cls,
        index_dir: str | Path | None = None,
        *,
        embedder: Encoder | None = None,
        config: RetrievalConfig | None = None,
        threads: int | None = None,
        seeds_dir: str | Path | None = None,
        store: StoreSpec | None = None,
    ) -> Retriever:
        """Open an existing index (see `qa.Assistant.load` to build it when missing).

        Questions are encoded by `embedder` when given, else by the index's ONNX copy of the model
        (no torch), else by the installed sentence-transformers model. `threads` sets the encoder's
        threads and FAISS's (process-wide) only when given (without it the ONNX encoder's own session runs on
        one thread, nothing process-wide changes); `seeds_dir`, when given, is checked for changes;
        `store` (FAISS or a Milvus URI) must be the one the index was built with (IndexStaleError otherwise).
        """
        config = config or RetrievalConfig()
        use_jieba_table(Path(index_dir) if index_dir else default_index_dir())  # read when first needed
        index = Index.load(
            index_dir, model_sha256=embedder.sha256 if embedder else None, seeds_dir=seeds_dir, store=store
        )
        encoder = query_encoder(index, embedder, threads=threads) if config.dense else embedder
        if threads is not None:
            set_search_threads(threads)
        return cls(index, encoder, config)

    def scope(self, q: Question, city: str | None = None) -> Scope | None:
        """What a question may search and what may answer it: by the `city` filter, else the places it names."""
        if city is not None:
            code = self.index.place_of(city)
            return scope_for([code], self.index.place_codes()) if code else None
        if not self.config.city_aware:
            return None
        return scope_for(q.places, self.index.place_codes())

    def search(
        self,
        question: str | Question,
        k: int = 10,
        *,
        city: str | None = None,
        source: str | None = None,
    ) -> list[Hit]:
        """The k best passages for a question.

        Args:
            question: the question text (or an already parsed Question).
            k: how many passages, 1 to the number of passages in the index.
            city: only passages of this city's articles (otherwise the cities the question names, if city-aware).
            source: only passages of this report file.
        Returns:
            Hits, best first; empty when the question names only cities no report covers.
        Raises:
            ValueError: an empty question or k out of range; TypeError (also a ValueError): a wrong type.
        """
        if not isinstance(question, Question):
            question = validate.question_text(question)
        k = validate.count(k, len(self.index))
        city, source = validate.optional_name(city, "city"), validate.optional_name(source, "source")
        q = question if isinstance(question, Question) else parse(question, prefer=self.index.place_codes())
        validate.readable(q.text)
        ranked, dense, keyword = self._fused(q, k, city, source)
        if self.reranker is not None and ranked:
            ranked = self._rerank(q, ranked, dense, keyword)
        return [self._hit(row, score, dense, keyword, q) for row, score in ranked[:k]]

    def _fused(
        self, q: Question, k: int, city: str | None, source: str | None
    ) -> tuple[list[tuple[int, float]], dict[int, float], dict[int, float]]:
        """Every passage either leg found, by fused score (year boost included), and each leg's scores."""
        scope = self.scope(q, city)
        if city is not None and scope is None:
            rows = self.index.rows_for(city=city, source=source)  # a city label without a place code
        elif scope is not None and not scope.search:
            return [], {}, {}  # only places no article is about, or inside or around
        else:
            rows = self.index.rows_for(places=scope.search if scope else None, source=source)
        if rows is not None and len(rows) == 0:
            return [], {}, {}
        pool = len(self.index) if rows is None else len(rows)
        depth = min(pool, max(50, k * 5))
        dense = (
            dict(self.index.store.search_dense(self.embedder.encode_query(q.text), depth, rows))
            if self.config.dense
            else {}
        )
        related = Related([w for t in q.terms for w in domain_related(t) if w not in q.terms], SYNONYM_WEIGHT)
        keyword = (
            dict(self.index.store.search_keyword(list(q.terms), depth, rows, related))
            if self.config.keyword
            else {}
        )
        fused = self._fuse(dense, keyword)
        if not q.about:  # an article's byline card answers only questions about the article itself
            fused = {r: s for r, s in fused.items() if self.index.passages[r].kind != bylines.KIND}
        if q.year and self.config.city_aware:
            for row in fused:
                p = self.index.passages[row]
                if p.year == q.year or str(q.year) in p.text:
                    fused[row] += self.config.year_boost
        return sorted(fused.items(), key=lambda item: (-item[1], item[0])), dense, keyword

    def pool(
        self, q: Question, fused: list[tuple[int, float]], dense: dict[int, float], keyword: dict[int, float]
    ) -> list[tuple[int, dict[str, float]]]:
        """The fused top passages (reranker depth) with the features they are reranked by."""
        depth = self.reranker.depth if self.reranker is not None else DEPTH
        top = fused[:depth]
        d = _minmax({row: dense[row] for row, _ in top if row in dense})
        best_kw = max((keyword.get(row, 0.0) for row, _ in top), default=0.0) or 1.0
        best = top[0][1] if top and top[0][1] > 0 else 1.0
        weight = self.weight
        return [
            (
                row,
                rerank_features(
                    q,
                    self.index.passages[row],
                    keyword=keyword.get(row, 0.0) / best_kw,
                    dense=d.get(row, 0.0),
                    fused=score / best,
                    rank=rank,
                    weight=weight,
                ),
            )
            for rank, (row, score) in enumerate(top)
        ]

    def _rerank(
        self, q: Question, fused: list[tuple[int, float]], dense: dict[int, float], keyword: dict[int, float]
    ) -> list[tuple[int, float]]:
        """The reranker's order over its depth; its scores as exp(score - best) so the first is 1.0."""
        scored = [(row, self.reranker.score(f)) for row, f in self.pool(q, fused, dense, keyword)]
        scored.sort(key=lambda item: (-item[1], item[0]))
        shown = softmax_scores([s for _, s in scored])
        return [(row, s) for (row, _), s in zip(scored, shown, strict=True)]

    def candidates(
        self, q: Question, *, city: str | None = None, source: str | None = None
    ) -> list[tuple[int, dict[str, float]]]:
        """The fused top passages with their rerank features, in fused order (eval/fit/rerank.py fits on them)."""
        ranked, dense, keyword = self._fused(q, 5, city, source)  # the legs' depth of a 5-passage search
        return self.pool(q, ranked, dense, keyword) if ranked else []

    @property
    def weight(self):
        """Term weights (idf) from the keyword index's document frequencies, computed once."""
        if self._weight is None:
            self._weight = frequency_weights(self.index.document_frequencies(), len(self.index))
        return self._weight

    def _fuse(self, dense: dict[int, float], keyword: dict[int, float]) -> dict[int, float]:
        cfg = self.config
        if cfg.fusion == "rrf":
            fused: dict[int, float] = {}
            for leg in (dense, keyword):
                for rank, row in enumerate(sorted(leg, key=lambda r: -leg[r])):
                    fused[row] = fused.get(row, 0.0) + 1.0 / (cfg.rrf_k + rank + 1)
            return fused
        if not keyword:
            return dict(dense)
        if not dense:
            return dict(keyword)
        d, kw = _minmax(dense), {r: s / max(keyword.values()) for r, s in keyword.items()}
        return {
            row: cfg.dense_weight * d.get(row, 0.0) + (1 - cfg.dense_weight) * kw.get(row, 0.0)
            for row in set(d) | set(kw)
        }

    def _hit(self, row: int, score: float, dense: dict, keyword: dict, q: Question) -> Hit:
        passage = self.index.passages[row]
        legs = tuple(
            name for name, leg in (("dense", dense), ("keyword", keyword)) if row in leg and leg[row] > 0
        )
        text = passage.text.lower()
        matched = tuple(t for t in q.terms if len(t) > 1 and t in text)
        return Hit(row, passage, float(score), dense.get(row), keyword.get(row), legs, matched)

    def with_config(self, config: RetrievalConfig) -> Retriever:
        """The same index and model under another configuration (for comparisons)."""
        return Retriever(self.index, self.embedder, config, self.reranker if config.rerank else None)


__all__ = ["Hit", "RetrievalConfig", "Retriever"]


def frequency_weights(df: dict[str, int], n: int) -> Callable[[str], float]:
    """A term weight (BM25 idf) from the keyword index's document frequencies; an unseen term: half the mean."""
    idf = {t: math.log((n - d + 0.5) / (d + 0.5) + 1.0) for t, d in df.items()}
    unseen = sum(idf.values()) / len(idf) if idf else 1.0

    def weight(term: str) -> float:
        if len(term) < 2 and not term.isdigit():
            return 0.0
        return idf.get(term, 0.5 * unseen)

    return weight
