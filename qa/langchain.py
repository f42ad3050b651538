"""A LangChain retriever over the reports: `Document`s carrying the citation (source, title, place, year, paragraph, span).

Optional: needs langchain-core (`pip install "union-reports-qa[langchain]"`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

try:
    from langchain_core.callbacks import CallbackManagerForRetrieverRun
    from langchain_core.documents import Document
    from langchain_core.retrievers import BaseRetriever
except ImportError as exc:  # pragma: no cover - depends on the environment
    raise ImportError(
        'qa.langchain needs langchain-core; install it with pip install "union-reports-qa[langchain]" '
        "(or pip install langchain-core)"
    ) from exc

from .assistant import Assistant
from .types import Answer, Citation


def citation_document(citation: Citation, answer: Answer) -> Document:
    """One cited passage as a Document; metadata["answer"] is the answer when it lies in this passage.

    A question across reports adds the whole "table" ({measure, rows: [{place, year, answer, value, unit,
    source, passage_id, sentence}]}) and this passage's "rows"; a list question the whole "items"
    ([{text, source, passage_id}]) and this passage's "passage_items".
    """
    span = list(citation.span) if citation.span else None
    table = answer.table.to_dict() if answer.table else None
    items = [i.to_dict() for i in answer.items]
    return Document(
        page_content=citation.text,
        id=citation.passage_id,
        metadata={
            "source": citation.source,
            "title": citation.title,
            "place": citation.city,
            "city": citation.city,
            "year": citation.year,
            "paragraph": citation.paragraph,
            "span": span,
            "answer": citation.text[span[0] : span[1]] if span else None,
            "passage_id": citation.passage_id,
            "rank": citation.rank,
            "score": citation.score,
            "question": answer.question,
            "table": table,
            "rows": [r for r in table["rows"] if r["passage_id"] == citation.passage_id] if table else [],
            "items": items,
            "passage_items": [i for i in items if i["passage_id"] == citation.passage_id],
        },
    )


class ReportRetriever(BaseRetriever):
    """The assistant's cited passages for a question, best first (the answer's passage leads when there is one).

    Example:
        retriever = ReportRetriever.load(k=3)
        docs = retriever.invoke("南平工会组建率是多少")
        docs[0].metadata["answer"], docs[0].metadata["source"], docs[0].metadata["span"]
    """

    assistant: Assistant
    k: int = 5
    city: str | None = None
    source: str | None = None

    @classmethod
    def load(
        cls, index_dir: str | Path | None = None, *, k: int = 5, city: str | None = None, **load: Any
    ) -> ReportRetriever:
        """A retriever on an index; `load` goes to qa.Assistant.load (build_if_missing=, threads=, …)."""
        return cls(assistant=Assistant.load(index_dir, **load), k=k, city=city)

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun
    ) -> list[Document]:
        answer = self.assistant.ask(query, self.k, city=self.city, source=self.source)
        return [citation_document(c, answer) for c in answer.citations]


__all__ = ["ReportRetriever", "citation_document"]
