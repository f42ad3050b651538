"""The assistant: validated questions in, extracted answers with citations out; a chat keeps follow-ups."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from index.embedder import Embedder
from index.errors import IndexMissingError, IndexStaleError
from index.manifest import read_manifest
from index.places import ALIASES, CITIES
from index.store import DEFAULT_SEEDS, Index, default_index_dir
from index.textnorm import tokenize

from .extract import TOP_PASSAGES, Extraction, default_scorer, extract, idf_weights
from .question import MAX_QUESTION_CHARS, Question, is_follow_up, parse
from .retriever import Hit, RetrievalConfig, Retriever
from .scorer import Scorer
from .types import Answer, Citation, Variant

MIN_MARKED_WEIGHT = 1.0  # terms as common as 工会 are not marked in the citations


@dataclass
class Assistant:
    """Answers questions over the report index. Build one with `Assistant.load()`."""

    retriever: Retriever
    # The learned answer scorer (qa/scorer_weights.json); its threshold on the calibrated probability says
    # when the reports do not answer.
    scorer: Scorer = field(default_factory=default_scorer)
    _weight: object = field(default=None, repr=False)

    @classmethod
    def load(
        cls,
        index_dir: str | Path | None = None,
        *,
        embedder: Embedder | None = None,
        config: RetrievalConfig | None = None,
        seeds_dir: str | Path | None = None,
    ) -> Assistant:
        """Open the index (default directory unless index_dir), building it from the seeds when missing or stale.

        Args:
            index_dir: the index folder (default: $QA_INDEX_DIR or .index/).
            embedder: a loaded Embedder to share between assistants.
            config: which retrieval legs to use (default: hybrid with city awareness).
            seeds_dir: the reports to build from (default: the folder the index was built from, else seeds/).
        """
        embedder = embedder or Embedder.load()
        seeds = Path(seeds_dir) if seeds_dir else _built_from(index_dir)
        try:
            index = Index.load(
                index_dir, model_sha256=embedder.sha256, seeds_dir=seeds if seeds.is_dir() else None
            )
        except (IndexMissingError, IndexStaleError):
            from index.build import build_index  # only when there is something to build

            build_index(seeds, index_dir, embedder=embedder, quiet=True)
            index = Index.load(index_dir, model_sha256=embedder.sha256)
        retriever = Retriever(index, embedder, config or RetrievalConfig())
        return cls(retriever).warm_up()

    def warm_up(self) -> Assistant:
        """Load the tokeniser dictionaries, the term weights and the model now, not on the first question."""
        self.ask("工会组建率是多少", 1)
        return self

    # --- what the index covers ----------------------------------------------------------------
    @property
    def index(self) -> Index:
        return self.retriever.index

    @property
    def passage_count(self) -> int:
        return len(self.index)

    def cities(self) -> list[str]:
        return self.index.cities()

    def sources(self) -> list[dict]:
        """One row per report: source, title (first article's), city, year, plus every article's."""
        rows = []
        for row in self.index.sources():
            rows.append(
                {
                    "source": row["source"],
                    "title": row["titles"][0] if row["titles"] else "",
                    "city": row["cities"][0] if row["cities"] else None,
                    "year": max(row["years"]) if row["years"] else None,
                    "titles": row["titles"],
                    "cities": row["cities"],
                    "years": row["years"],
                }
            )
        return rows

    def chat(self) -> Chat:
        """A conversation that resolves follow-ups (那龙岩呢？) against the previous question."""
        return Chat(self)

    # --- asking -----------------------------------------------------------------------------------
    def ask(self, question: str, k: int = 5, *, city: str | None = None, source: str | None = None) -> Answer:
        """Answer one question from the reports.

        Args:
            question: the question, 1 to 500 characters (longer input is cut, with a note).
            k: how many citations, 1 to the number of passages.
            city: only this city's reports; source: only this report file.
        Returns:
            Answer with the short answer (None when the reports do not answer it), its sentence and citations.
        Raises:
            ValueError: empty or non-string question, k out of range, unknown city or source.
        """
        self._validate(question, k, city, source)
        q = parse(question)
        notes = [f"问题超过{MAX_QUESTION_CHARS}字，已截取前{MAX_QUESTION_CHARS}字"] if q.truncated else []
        asked_cities = [city] if city else list(q.cities)
        uncovered = [c for c in asked_cities if c not in self.cities()]
        if asked_cities and len(uncovered) == len(asked_cities):
            notes.append(f"报告中没有覆盖{'、'.join(uncovered)}的内容（现有：{'、'.join(self.cities())}）")
            return Answer(q.original, None, None, (), (), asked_cities[0], q.year, tuple(notes))
        hits = self.retrieve(q, k, city=city, source=source)
        found = extract(q, hits, self.weight, self.scorer) if hits else None
        if found is not None and not self._answers(q, hits[found.hit], found):
            found = None
        variants: tuple[Variant, ...] = ()
        if found is not None and not source and q.year is None:
            variants, found, hits = self._variants(q, hits, found, city)
        citations = self._citations(hits, found, k, q)
        return Answer(
            question=q.original,
            answer=found.text if found else None,
            sentence=found.sentence if found else None,
            citations=citations,
            variants=variants,
            city=q.city or city or (citations[0].city if found and citations else None),
            year=q.year,
            notes=tuple(notes),
        )

    def retrieve(
        self, q: Question, k: int = 5, *, city: str | None = None, source: str | None = None
    ) -> list[Hit]:
        """The passages ask() extracts from: at least TOP_PASSAGES of them."""
        return self.retriever.search(
            q, min(max(k, TOP_PASSAGES), self.passage_count), city=city, source=source
        )

    @property
    def weight(self):
        if self._weight is None:
            self._weight = idf_weights([tokenize(p.text) for p in self.index.passages])
        return self._weight

    def _validate(self, question, k, city, source) -> None:
        if not isinstance(question, str):
            raise ValueError(f"question must be a string, not {type(question).__name__}")
        if not question.strip():
            raise ValueError("question is empty; ask something like 南平工会组建率是多少")
        if not isinstance(k, int) or isinstance(k, bool) or not 1 <= k <= self.passage_count:
            raise ValueError(
                f"k={k!r} is outside 1..{self.passage_count} (the passages in the index); pass k in that range"
            )
        if city is not None and city not in self.cities():
            raise ValueError(
                f"city={city!r} is not in the reports; choose one of {', '.join(self.cities())} or None"
            )
        if source is not None and source not in {s["source"] for s in self.index.sources()}:
            raise ValueError(
                f"source={source!r} is not an indexed report; `python -m index stats` lists them"
            )

    def _answers(self, q: Question, hit: Hit, found: Extraction) -> bool:
        """Whether the extraction is good enough to state, and about the year the question asks for."""
        if found.probability < self.scorer.threshold:
            return False
        if q.year is not None:
            passage = hit.passage
            if str(q.year) not in passage.text and passage.year != q.year:
                return False
        return True

    def _variants(self, q: Question, hits: list[Hit], found: Extraction, city: str | None):
        """When several reports of the answer's city answer too, each value with its report (latest first if asked)."""
        answer_hit = hits[found.hit]
        the_city = answer_hit.passage.city
        sources = {h.passage.source for h in hits if h.passage.city == the_city}
        if len(sources) < 2:
            return (), found, hits
        per_source: list[tuple[Extraction, Hit, list[Hit]]] = []
        for src in sorted(sources):
            own = [h for h in hits if h.passage.source == src and h.passage.city == the_city]
            got = extract(q, own, self.weight, self.scorer)
            if got is not None and self._answers(q, own[got.hit], got):
                per_source.append((got, own[got.hit], own))
        if len(per_source) < 2 or len({g.text for g, _, _ in per_source}) < 2:
            return (), found, hits
        per_source.sort(key=lambda item: -(item[1].passage.year or 0))
        variants = tuple(
            Variant(g.text, h.passage.source, h.passage.title, h.passage.city, h.passage.year, h.passage.id)
            for g, h, _ in per_source
        )
        if q.latest:
            got, hit, _ = per_source[0]
            reordered = [hit] + [h for h in hits if h.row != hit.row]
            found = replace(got, hit=0)
            return variants, found, reordered
        return variants, found, hits

    def _citations(
        self, hits: list[Hit], found: Extraction | None, k: int, q: Question
    ) -> tuple[Citation, ...]:
        ordered = list(hits)
        if found is not None and found.hit > 0:
            ordered.insert(0, ordered.pop(found.hit))  # the passage the answer comes from is cited first
        out = []
        for rank, hit in enumerate(ordered[:k], 1):
            p = hit.passage
            span = None
            if found is not None:
                if hit is hits[found.hit] and found.start >= 0:
                    span = (found.start, found.end)
                elif found.text in p.text:
                    start = p.text.index(found.text)
                    span = (start, start + len(found.text))
            out.append(
                Citation(
                    rank=rank,
                    passage_id=p.id,
                    source=p.source,
                    title=p.title,
                    city=p.city,
                    year=p.year,
                    paragraph=p.paragraph,
                    text=p.text,
                    score=round(hit.score, 4),
                    span=span,
                    matched=tuple(t for t in hit.matched if self.weight(t) >= MIN_MARKED_WEIGHT),
                    legs=hit.legs,
                    also_in=tuple(loc.to_dict() for loc in p.also_in),
                    kind=p.kind,
                )
            )
        return tuple(out)


def _built_from(index_dir: str | Path | None) -> Path:
    """The seeds folder an existing index was built from (its manifest says), else the project's seeds/."""
    try:
        return Path(read_manifest(Path(index_dir) if index_dir else default_index_dir())["seeds_dir"])
    except (OSError, ValueError, KeyError, TypeError):
        return DEFAULT_SEEDS


_PLACE_MENTION = re.compile(
    "|".join(map(re.escape, sorted(set(CITIES) | set(ALIASES), key=len, reverse=True))) + "市?"
)
_YEAR_MENTION = re.compile(r"(?:19|20)\d{2}\s*年?")


def resolve_follow_up(previous: str, follow_up: str) -> str:
    """The previous question with the follow-up's city and/or year put in (那龙岩呢？ after 南平…)."""
    new_cities = [m.group() for m in _PLACE_MENTION.finditer(follow_up)]
    new_year = _YEAR_MENTION.search(follow_up)
    text = previous
    if new_cities:
        city = new_cities[0]
        if _PLACE_MENTION.search(text):
            text = _PLACE_MENTION.sub("", text, count=0)
        text = city + text
    if new_year:
        year = new_year.group().strip()
        year = year if year.endswith("年") else year + "年"
        text = _YEAR_MENTION.sub(year, text, count=1) if _YEAR_MENTION.search(text) else year + text
    return text


class Chat:
    """A conversation: each question either starts a topic or, as a bare city/year follow-up, reuses the last one."""

    def __init__(self, assistant: Assistant):
        self.assistant = assistant
        self.history: list[tuple[str, str, Answer]] = []  # (asked, resolved, answer)

    def ask(self, question: str, k: int = 5, *, city: str | None = None, source: str | None = None) -> Answer:
        """Ask within the conversation; a follow-up is answered as the previous question about the new city/year."""
        resolved = question
        if isinstance(question, str) and self.history and is_follow_up(question):
            resolved = resolve_follow_up(self.history[-1][1], question)
        answer = self.assistant.ask(resolved, k, city=city, source=source)
        if resolved != question:
            answer = replace(answer, question=question, notes=answer.notes + (f"按上一问理解为：{resolved}",))
        self.history.append((question, resolved, answer))
        return answer

    def reset(self) -> None:
        """Forget the conversation."""
        self.history.clear()
