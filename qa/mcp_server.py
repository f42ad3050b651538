"""The assistant as Model Context Protocol tools (ask, search, list_reports, get_passage) and `union-qa mcp` (stdio).

Needs the [mcp] extra (the official `mcp` SDK); importing the rest of qa does not import this module.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from pydantic import Field

from index.errors import IndexProblem

from . import validate
from .types import hit_dict
from .validate import K_MAX, MAX_NAME_CHARS, MAX_QUESTION_CHARS

log = logging.getLogger("qa.mcp")

NAME = "union-reports-qa"
INSTRUCTIONS = (
    "工会工作报告问答：答案只摘自报告原文，并附出处（报告、段落）。先用 list_reports 看有哪些报告，"
    "用 ask 提问，用 search 找段落，用 get_passage 读某段原文。\n"
    "Trade-union work reports QA: answers are extracted from the reports' own text, with citations. "
    "list_reports shows the reports, ask answers a question, search finds passages, get_passage reads one."
)
MAX_PASSAGE_ID = 200

Question = Annotated[
    str,
    Field(
        min_length=1,
        max_length=MAX_QUESTION_CHARS,
        description="问题（中文），例如 南平工会组建率是多少 / the question, in Chinese",
    ),
]
K = Annotated[int, Field(ge=1, le=K_MAX, description="引用或段落数 / how many citations or passages (1..10)")]
Place = Annotated[
    str | None,
    Field(
        max_length=MAX_NAME_CHARS,
        description="只看这个地方的报告，例如 南平；list_reports 列出全部 / only this place's reports",
    ),
]
Report = Annotated[
    str | None,
    Field(
        max_length=MAX_NAME_CHARS,
        description="只看这份报告（list_reports 的 source）/ only this report file (a source from list_reports)",
    ),
]
PassageId = Annotated[
    str,
    Field(
        min_length=1,
        max_length=MAX_PASSAGE_ID,
        description="段落编号（ask 的 citations 或 search 的 hits 里的 passage_id）/ a passage_id",
    ),
]


class Tools:
    """The four tools over the assistant that `current()` returns now (a web app swaps it on add and remove).

    `run(fn, *args)` runs the answering work (the web app passes its answering threads; default: here).
    Bad input and an unusable index raise ToolError with a one-line message; anything else is a bug.
    """

    def __init__(
        self,
        current: Callable[[], Any | None],
        *,
        run: Callable[..., Any] | None = None,
        load_error: str | None = None,
    ):
        self.current, self.load_error = current, load_error
        self.run = run or (lambda fn, *args: fn(*args))

    def _assistant(self) -> Any:
        assistant = self.current()
        if assistant is None:
            raise ToolError(f"索引不可用 / the index is unavailable: {self.load_error or 'not loaded'}")
        return assistant

    def _query(
        self, question: Any, k: Any, place: Any, report: Any
    ) -> tuple[str, int, str | None, str | None]:
        """The JSON API's rules (qa.validate): a non-empty question of at most 500 characters, k in 1..10,
        place and report strings of at most 200 characters."""
        question = validate.question_text(question).strip()
        validate.bounded(question, MAX_QUESTION_CHARS, "question")
        k = validate.count(k, K_MAX)
        names = []
        for value, name in ((place, "place"), (report, "report")):
            value = validate.optional_name(value, name)
            validate.bounded(value, MAX_NAME_CHARS, name)
            names.append(value.strip() or None if value is not None else None)
        return question, k, names[0], names[1]

    def _call(self, fn: Callable[..., Any], *args: Any) -> Any:
        try:
            return self.run(fn, *args)
        except ToolError:
            raise
        except IndexProblem as exc:
            raise ToolError(f"索引不可用 / the index is unavailable: {exc}") from None
        except ValueError as exc:  # bad input, ArgumentTypeError included
            raise ToolError(str(exc)) from None

    def ask(self, question: Question, k: K = 5, place: Place = None, report: Report = None) -> dict[str, Any]:
        def answer() -> dict[str, Any]:
            q, n, city, source = self._query(question, k, place, report)
            assistant = self._assistant()
            return assistant.ask(q, k=min(n, assistant.passage_count), city=city, source=source).to_dict()

        return self._call(answer)

    def search(
        self, question: Question, k: K = 5, place: Place = None, report: Report = None
    ) -> dict[str, Any]:
        def passages() -> dict[str, Any]:
            q, n, city, source = self._query(question, k, place, report)
            assistant = self._assistant()
            if city is not None and city not in assistant.cities():
                raise ValueError(
                    f"place={city!r} is not in the reports; choose one of {', '.join(assistant.cities())}"
                )
            if source is not None and source not in {s["source"] for s in assistant.sources()}:
                raise ValueError(f"report={source!r} is not an indexed report; list_reports lists them")
            hits = assistant.retriever.search(q, min(n, assistant.passage_count), city=city, source=source)
            return {"question": q, "hits": [hit_dict(rank, hit) for rank, hit in enumerate(hits, 1)]}

        return self._call(passages)

    def list_reports(self) -> list[dict[str, Any]]:
        def reports() -> list[dict[str, Any]]:
            assistant = self._assistant()
            counts: dict[str, int] = {}
            for p in assistant.index.passages:
                counts[p.source] = counts.get(p.source, 0) + 1
            return [
                {
                    "source": row["source"],
                    "title": row["title"],
                    "place": row["city"],
                    "year": row["year"],
                    "passages": counts.get(row["source"], 0),
                    "titles": row["titles"],
                }
                for row in assistant.sources()
            ]

        return self._call(reports)

    def get_passage(self, passage_id: PassageId) -> dict[str, Any]:
        def passage() -> dict[str, Any]:
            if not isinstance(passage_id, str) or not passage_id.strip():
                raise ValueError("passage_id must be a passage_id from ask's citations or search's hits")
            validate.bounded(passage_id, MAX_PASSAGE_ID, "passage_id")
            try:
                p = self._assistant().index.by_id(passage_id.strip())
            except KeyError:
                raise ValueError(
                    f"no passage {validate.shown(passage_id)} in the index (a report removed or replaced?); "
                    "ask again for current passage ids"
                ) from None
            return {
                "passage_id": p.id,
                "text": p.text,
                "source": p.source,
                "title": p.title,
                "place": p.city,
                "year": p.year,
                "paragraph": p.paragraph,
                "kind": p.kind,
                "parts": [loc.to_dict() for loc in p.parts],
            }

        return self._call(passage)


DESCRIPTIONS = {
    "ask": (
        "回答一个关于工会工作报告的问题，答案摘自报告原文并附出处。返回 answer（答案）、sentence（所在句子）、"
        "citations（出处：报告、标题、地方、年份、段落、原文）、notes；跨报告比较的问题另有 table，列举类问题另有 items。"
        "答不出时 answer 为空并在 notes 中说明。\n"
        "Answer a question from the trade-union work reports: answer, sentence, citations (report, title, "
        "place, year, paragraph, text), notes; plus table for a comparison across reports and items for a list "
        "question. An empty answer means the reports do not say; notes tell why."
    ),
    "search": (
        "找出与问题最相关的段落（不抽取答案）：hits 按相关度排列，每条有 passage_id、报告、地方、年份、段落号和原文。\n"
        "The passages that best match a question, without extracting an answer: ranked hits with passage_id, "
        "report, place, year, paragraph number and text."
    ),
    "list_reports": (
        "列出已收录的报告：source（文件名）、title（标题）、place（地方）、year（年份）、passages（段落数）。\n"
        "The indexed reports: source (file name), title, place, year and number of passages."
    ),
    "get_passage": (
        "按 passage_id 读取一个段落的原文，附所在报告、标题、地方、年份和段落位置。\n"
        "One passage's text by passage_id, with its report, title, place, year and position (paragraph)."
    ),
}


def build_server(tools: Tools) -> MCPServer:
    """An MCP server offering the four tools (serve it with run_stdio_async or streamable_http_app)."""
    from . import __version__

    server = MCPServer(
        NAME, title="工会工作报告问答", instructions=INSTRUCTIONS, version=__version__, log_level="WARNING"
    )
    for name in ("ask", "search", "list_reports", "get_passage"):
        server.add_tool(getattr(tools, name), name=name, description=DESCRIPTIONS[name])
    return server


def main(argv: list[str] | None = None) -> int:
    """`union-qa mcp`: the tools over stdio, for desktop clients (Claude Desktop, Cherry Studio, Cursor)."""
    parser = argparse.ArgumentParser(
        prog="union-qa mcp",
        description="The QA assistant as an MCP server on stdin/stdout (for desktop clients).",
    )
    parser.add_argument(
        "--index-dir", type=Path, default=None, help="index directory (default: the qa default)"
    )
    args = parser.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    # stdout carries the protocol: every log line and progress message goes to stderr.
    logging.basicConfig(
        level=logging.WARNING, stream=sys.stderr, format="%(levelname)s %(name)s: %(message)s"
    )
    from .assistant import Assistant

    assistant, load_error = None, None
    try:
        with contextlib.redirect_stdout(sys.stderr):  # a first build's progress lines
            assistant = Assistant.load(index_dir=args.index_dir, build_if_missing=True)
    except IndexProblem as exc:
        load_error = str(exc)
        print(f"error: the index cannot be used: {exc}", file=sys.stderr)
    import anyio

    server = build_server(Tools(lambda: assistant, load_error=load_error))
    try:
        anyio.run(server.run_stdio_async)
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
