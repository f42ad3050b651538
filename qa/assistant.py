"""The assistant: validated questions in, extracted answers with citations out; a chat keeps follow-ups."""

from __future__ import annotations

import errno
import logging
import threading
from dataclasses import dataclass, field, replace
from pathlib import Path

from index.encode.encoder import Encoder
from index.errors import IndexMissingError, IndexStaleError
from index.loaded import Index, default_index_dir
from index.manifest import read_manifest, seeds_path
from index.passage import INFERRED_DATES
from index.settings import settings
from index.store.spec import StoreSpec
from index.text.normalise import use_jieba_table
from index.text.period import THIS_YEAR

from . import compare, dimension, head_fit, lists, table_cell, table_column, validate
from .extract import TOP_PASSAGES, Extraction, default_scorer, extract
from .question import MAX_QUESTION_CHARS, YEAR, Question, is_follow_up, parse, question_places
from .retriever import RetrievalConfig, Retriever, frequency_weights
from .scope import Scope, labels
from .scorer import Scorer
from .types import Answer, Citation, Hit, Variant, citation

log = logging.getLogger(__name__)

MIN_MARKED_WEIGHT = 1.0  # terms as common as 工会 are not marked in the citations


@dataclass
class Assistant:
    """Answers questions over the report index. Build one with `Assistant.load()`."""

    retriever: Retriever
    # The learned answer scorer (qa/scorer_weights.json); its threshold on the calibrated probability says
    # when the reports do not answer.
    scorer: Scorer = field(default_factory=default_scorer)
    _weight: object = field(default=None, repr=False)
    _held: frozenset[str] = field(default=frozenset(), repr=False)  # the index's words, read with the weights

    @classmethod
    def load(
        cls,
        index_dir: str | Path | None = None,
        *,
        build_if_missing: bool = False,
        warm_up: bool = False,
        embedder: Encoder | None = None,
        config: RetrievalConfig | None = None,
        seeds_dir: str | Path | None = None,
        store: StoreSpec | None = None,
        threads: int | None = None,
    ) -> Assistant:
        """Open the index; nothing process-wide changes unless asked (threads=).

        Args:
            index_dir: the index folder (default: $QA_INDEX_DIR, else .index/ in the project).
            build_if_missing: build the index from the seeds when it is missing or stale (else raise).
            warm_up: load the question readers (jieba's dictionary, the place matcher, LAC) in a thread while
                the index loads, then ask one question, so that the first real one is not slow.
            embedder: an encoder to share between assistants (default: the index's ONNX copy of the model,
                else the installed sentence-transformers model).
            config: which retrieval legs to use (default: hybrid with city awareness).
            store: FAISS or a Milvus URI (default: what the index was built with); another store rebuilds.
            seeds_dir: the reports to check against and build from (default: the folder the index was built
                from, else seeds/).
            threads: the encoder's threads and FAISS's OpenMP threads (process-wide); None leaves the process's
                settings alone (the ONNX encoder's own session then runs on one thread, which suits one question).
        Raises:
            IndexMissingError, IndexStaleError (without build_if_missing), IndexCorruptError: the message
            names the file and the command that fixes it.
        """
        config = config or RetrievalConfig()
        seeds = Path(seeds_dir) if seeds_dir else _built_from(index_dir)
        check = seeds if seeds is not None and seeds.is_dir() else None
        # Warming up reads the question readers' dictionaries and models while the index and its encoder load:
        # their onnxruntime sessions and checksums run outside the GIL, so on two cores the two overlap.
        use_jieba_table(Path(index_dir) if index_dir else default_index_dir())  # read when first needed
        readers = _Background(_load_readers) if warm_up else None
        try:
            try:
                retriever = Retriever.load(
                    index_dir, embedder=embedder, config=config, threads=threads, seeds_dir=check, store=store
                )
            except (IndexMissingError, IndexStaleError) as problem:
                if not build_if_missing:
                    raise
                from index.build import build_index  # only when there is something to build
                from index.encode.embedder import Embedder

                try:
                    build_index(
                        seeds,
                        index_dir,
                        embedder=embedder or Embedder.load(threads=threads),
                        quiet=True,
                        store=store,
                    )
                except OSError as exc:
                    if not isinstance(problem, IndexStaleError) or exc.errno not in _READ_ONLY:
                        raise
                    # A read-only index (a shared or mounted copy) still answers, from the reports it was built
                    # from; one line says so instead of a traceback.
                    log.warning(
                        "the reports changed since the index was built, but it cannot be rebuilt (%s: %s); "
                        "answering from the index as it was built",
                        exc.filename or index_dir,
                        exc.strerror,
                    )
                retriever = Retriever.load(
                    index_dir, embedder=embedder, config=config, threads=threads, store=store
                )
        finally:
            if readers is not None:
                readers.wait()  # no thread of ours outlives load(), whatever happened
        assistant = cls(retriever)
        if readers is not None:
            readers.raise_error()
        return assistant.warm_up() if warm_up else assistant

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
                    "year_inferred": bool(row["years"])
                    and all(by in INFERRED_DATES for by in row.get("dated_by", [])),
                    "year_evidence": row.get("date_evidence", [None])[0]
                    if row.get("date_evidence")
                    else None,
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
    def ask(
        self, question: str | Question, k: int = 5, *, city: str | None = None, source: str | None = None
    ) -> Answer:
        """Answer one question from the reports.

        Args:
            question: the question, 1 to 500 characters (longer input is cut, with a note), or a parsed Question.
            k: how many citations, 1 to the number of passages.
            city: only this city's reports; source: only this report file.
        Returns:
            Answer with the short answer (None when the reports do not answer it), its sentence and citations.
        Raises:
            ValueError: empty question, k out of range, unknown city or source.
            TypeError: a question, k, city or source of the wrong type (also a ValueError: ArgumentTypeError).
        """
        if not isinstance(question, Question):
            question = validate.question_text(question)
        k = self._validate(k, city, source)
        q = question if isinstance(question, Question) else parse(question, prefer=self.index.place_codes())
        q = lists.as_list_question(q)
        validate.readable(q.text)
        notes = [f"问题超过{MAX_QUESTION_CHARS}字，已截取前{MAX_QUESTION_CHARS}字"] if q.truncated else []
        scope = self.retriever.scope(q, city)
        if scope is not None and not scope.search:
            missing = "、".join(labels(scope.uncovered))
            notes.append(f"报告中没有覆盖{missing}的内容（现有：{'、'.join(self.cities())}）")
            return Answer(q.original, None, None, (), (), city or q.city, q.year, tuple(notes))
        if scope is not None and scope.uncovered:  # some places asked are covered, these are not
            notes.append(f"报告中没有覆盖{'、'.join(labels(scope.uncovered))}的内容")
        across = self._across(q, k, city, source, notes, scope)
        if across is not None:
            return across
        if scope is not None and scope.indirect:
            named = "、".join(labels(scope.indirect))
            notes.append(f"没有专门关于{named}的报告，只采用明确提到{named}的段落作答")
        hits = self.retrieve(q, k, city=city, source=source)
        absent = self.absent_terms(q)
        found = None if absent else self._extract(q, hits, scope)
        read = found  # the best reading, sure enough to state or not: a list may still be read around it
        if absent:
            notes.append(f"报告中没有出现问题里的“{'”“'.join(absent)}”，因此不给出答案，下面是最接近的段落")
        elif found is not None and not self._answers(q, hits[found.hit], found):
            notes.append(self._why_declined(q, found))
            found = None
        elif found is None and hits:
            unnamed = [u for u in q.units if not any(u in f"{h.passage.text}{h.passage.title}" for h in hits)]
            if unnamed:  # a zone, town or company no passage found names: no report is about it
                notes.append(f"报告中没有段落提到“{'”“'.join(unnamed)}”，因此不给出答案")
            else:
                notes.append(
                    "最相关的段落里没有与问题相符的数字或名称（单位、对象或职务对不上），因此不给出答案"
                )
        variants: tuple[Variant, ...] = ()
        if found is not None and not source and q.year is None:
            variants, found, hits = self._variants(q, hits, found, city)
        items = () if absent else self._items(q, hits, read, scope)
        citations = self._citations(hits, found, k, q)
        return Answer(
            question=q.original,
            # A list read around an answer not sure enough to state is given as items, not as the answer.
            answer=(lists.joined(items, self.index) if found else None) or (found.text if found else None),
            sentence=found.sentence if found else None,
            citations=citations,
            variants=variants,
            city=q.city or city or (citations[0].city if found and citations else None),
            year=q.year,
            notes=tuple(notes),
            items=items,
        )

    def _items(self, q: Question, hits: list[Hit], found: Extraction | None, scope: Scope | None):
        """Every item a list question asks for, read around the best reading (stated or not), else from the
        report of the first passage that may answer (its runs of headings)."""
        if found is not None:
            return lists.items_for(q, self.index, hits[found.hit].passage, found)
        allowed = [h for h in hits if scope is None or scope.may_answer(h.passage)]
        return lists.items_for(q, self.index, allowed[0].passage, None) if allowed else ()

    def _across(
        self, q: Question, k: int, city: str | None, source: str | None, notes: list[str], scope: Scope | None
    ) -> Answer | None:
        """A question across reports answered with a table of one measure, None for any other question."""
        if source is not None:
            return None
        passages = self.index.passages if city is None else [p for p in self.index.passages if p.city == city]
        got = compare.answer_table(q, passages, years_named=self.index.years_named)
        if got is None or sum(r.answer is not None for r in got[0].rows) < 2:
            # No two reports state it: a column of one report's table may (各乡镇…, 哪个乡镇…最高).
            column = table_column.answer_column(
                q, (p for p in passages if scope is None or scope.may_answer(p))
            )
            got = (column, []) if column is not None else got
        if got is None:
            return None
        table, more = got
        rows = [
            r for r in table.rows if r.answer is not None
        ]  # none: no report states it, said with the table
        return Answer(
            question=q.original,
            answer=compare.summary(table),
            sentence=rows[0].sentence if rows else None,
            citations=compare.citations(table, self.index.by_id, k=k),
            city=q.city or city,
            year=q.year,
            notes=tuple(notes + more),
            table=table,
        )

    def retrieve(
        self, q: Question, k: int = 5, *, city: str | None = None, source: str | None = None
    ) -> list[Hit]:
        """The passages ask() extracts from: at least TOP_PASSAGES of them."""
        return self.retriever.search(
            q, min(max(k, TOP_PASSAGES), self.passage_count), city=city, source=source
        )

    def _extract(self, q: Question, hits: list[Hit], scope: Scope | None) -> Extraction | None:
        """The answer from the hits that may give it: articles about the asked place, or passages naming it."""
        allowed = [i for i, h in enumerate(hits) if scope is None or scope.may_answer(h.passage)]
        if not allowed:
            return None
        cell = table_cell.read_cell(q.text, [hits[i].passage for i in allowed])
        if cell is not None:  # the row and the column the question names: the table says which figure
            passage = hits[allowed[cell.passage]].passage
            return Extraction(
                allowed[cell.passage], passage.text, cell.start, cell.end, cell.text, 0.0, 1.0, 1.0
            )
        found = extract(q, [hits[i] for i in allowed], self.weight, self.scorer)
        if found is None:
            return None
        found = replace(found, hit=allowed[found.hit])
        if scope is not None and not scope.sentence_ok(hits[found.hit].passage, found.sentence):
            return None  # a figure of a place inside the asked one is never the asked place's answer
        return found

    def absent_terms(self, q: Question) -> tuple[str, ...]:
        """The question's words when no passage of the index holds any of them (佛跳墙怎么做 on union reports),
        else (): whatever the scorer's confidence, such a question is about nothing the reports say.

        On the world's 972 gold questions only the one written out of domain has all its words absent; 228
        answerable ones have some absent (paraphrases: 穷孩子 for 困难学子), so one held word is enough."""
        words = [t for t in q.terms if self.weight(t) > 0]
        if any(t in self._held for t in words):
            return ()
        return tuple(t for t in words if not any(t != o and t in o for o in words))

    @property
    def weight(self):
        if self._weight is None:
            # The keyword index counted the same tokens at build time: no re-tokenising of every passage here.
            frequencies = self.index.document_frequencies()
            self._weight = frequency_weights(frequencies, len(self.index))
            self._held = frozenset(frequencies)
        return self._weight

    def _validate(self, k, city, source) -> int:
        """k as an int; ValueError/TypeError naming a bad k, city or source."""
        k = validate.count(k, self.passage_count)
        city, source = validate.optional_name(city, "city"), validate.optional_name(source, "source")
        if city is not None and city not in self.cities():
            raise ValueError(
                f"city={validate.shown(city)} is not in the reports; choose one of {', '.join(self.cities())} or None"
            )
        if source is not None and source not in {s["source"] for s in self.index.sources()}:
            raise ValueError(
                f"source={validate.shown(source)} is not an indexed report; `python -m index stats` lists them"
            )
        return k

    def _answers(self, q: Question, hit: Hit, found: Extraction) -> bool:
        """Whether the extraction is good enough to state, and about the year the question asks for."""
        if found.probability < self.scorer.threshold:
            return False
        if not dimension.fits(q, found.text) or not head_fit.fits(q, found.text):
            return False
        if q.year is not None:
            passage = hit.passage
            # An undated article may answer for a year it covers (names); a dated one only for its own year. A year
            # inferred from the text is the report's, not always the one it recounts (2018年，… makes a report of
            # 2019): such an article answers for the years it names, and for its own where the passage says 今年.
            named = q.year in self.index.years_named(passage)
            if passage.year_inferred:
                own = passage.year == q.year and THIS_YEAR.search(passage.text) is not None
                if str(q.year) not in passage.text and not named and not own:
                    return False
            elif (
                str(q.year) not in passage.text
                and passage.year != q.year
                and not (passage.year is None and named)
            ):
                return False
        return True

    def _why_declined(self, q: Question, found: Extraction) -> str:
        """The line the chat shows under the passages when the best candidate is not stated."""
        if found.probability < self.scorer.threshold:
            return (
                f"最接近的候选把握不足（{found.probability:.2f}，低于{self.scorer.threshold:.2f}），"
                "因此不给出数字，请查看下面最相关的段落"
            )
        if not dimension.fits(q, found.text):
            return f"最接近的候选“{found.text}”量的不是问题所问的量，因此不给出答案"
        if not head_fit.fits(q, found.text):
            return f"最接近的候选“{found.text}”不是问题所问的{q.asked_noun}，因此不给出答案"
        return f"最接近的候选出自不是{q.year}年的报告，因此不给出答案"

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
            marked = tuple(t for t in hit.matched if self.weight(t) >= MIN_MARKED_WEIGHT)
            out.append(citation(rank, hit, span=span, matched=marked))
        return tuple(out)


def _load_readers() -> None:
    """Load what reading questions and passages needs: jieba's dictionary, the place matcher, OpenCC, LAC, 词林."""
    from index.places.matcher import find_places
    from index.text.normalise import segmenter, to_simplified

    from .lexical import words
    from .thesaurus import related

    segmenter()
    find_places("南平")
    to_simplified("工會")
    words("工会")
    related("工会")


class _Background:
    """A function run in a thread of its own from now on; wait() joins it, raise_error() raises what it raised."""

    def __init__(self, function):
        self._error: BaseException | None = None
        self._thread = threading.Thread(
            target=self._run, args=(function,), name="qa-load-readers", daemon=True
        )
        self._thread.start()

    def _run(self, function) -> None:
        try:
            function()
        except BaseException as exc:  # handed to the loading thread, which raises it
            self._error = exc

    def wait(self) -> None:
        self._thread.join()

    def raise_error(self) -> None:
        if self._error is not None:
            raise self._error


_READ_ONLY = (errno.EACCES, errno.EPERM, errno.EROFS)


def _built_from(index_dir: str | Path | None) -> Path | None:
    """The seeds folder an existing index was built from (its manifest says), else the settings' (seeds/)."""
    directory = Path(index_dir) if index_dir else default_index_dir()
    try:
        return seeds_path(read_manifest(directory), directory) or settings().seeds_dir
    except (OSError, ValueError, TypeError, AttributeError):
        return settings().seeds_dir


def resolve_follow_up(previous: str, follow_up: str) -> str:
    """The previous question with the follow-up's place and/or year put in (那龙岩呢？ after 南平…)."""
    new_places = question_places(follow_up)
    new_year = YEAR.search(follow_up)
    text = previous
    if new_places:
        old = question_places(text)
        for m in reversed(old):  # every place of the previous question goes (河南平顶山郏县 as a whole)
            text = text[: m.start] + text[m.end :]
        text = new_places[0].text + text
    if new_year:
        year = new_year.group().strip()
        year = year if year.endswith("年") else year + "年"
        text = YEAR.sub(year, text, count=1) if YEAR.search(text) else year + text
    return text


class Chat:
    """A conversation: each question either starts a topic or, as a bare city/year follow-up, reuses the last one."""

    def __init__(self, assistant: Assistant):
        self.assistant = assistant
        self.history: list[tuple[str, str, Answer]] = []  # (asked, resolved, answer)

    def ask(self, question: str, k: int = 5, *, city: str | None = None, source: str | None = None) -> Answer:
        """Ask within the conversation; a follow-up is answered as the previous question about the new city/year."""
        question = validate.question_text(question)
        resolved, asked = question, question
        if self.history:
            # parsed once: read for the follow-up test, and answered as it is
            asked = parse(question, prefer=self.assistant.index.place_codes())
            if is_follow_up(asked):
                resolved = asked = resolve_follow_up(self.history[-1][1], question)
        answer = self.assistant.ask(asked, k, city=city, source=source)
        if resolved != question:
            answer = replace(answer, question=question, notes=answer.notes + (f"按上一问理解为：{resolved}",))
        self.history.append((question, resolved, answer))
        return answer

    def reset(self) -> None:
        """Forget the conversation."""
        self.history.clear()
