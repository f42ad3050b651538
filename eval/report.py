"""Evaluation results as Markdown tables (terminal and report file) and a bar chart of the configurations."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from .markdown import table
from .runner import DEFAULT_CONFIG, RunResult

# (summary key, column title) of the comparison table and chart.
COMPARE_COLUMNS = (
    ("hit@1", "hit@1"),
    ("hit@3", "hit@3"),
    ("hit@5", "hit@5"),
    ("mrr@10", "MRR@10"),
    ("answer_acc", "answer acc"),
    ("no_answer_ok", "no-answer ok"),
)
KIND_COLUMNS = (
    ("hit@1", "hit@1"),
    ("hit@5", "hit@5"),
    ("mrr@10", "MRR@10"),
    ("answer_acc", "answer acc"),
    ("citation_support", "citation support"),
    ("false_decline", "wrongly declined"),
    ("no_answer_ok", "declined ok"),
    ("wrong_city", "wrong city"),
)


def main_run(runs: Sequence[RunResult]) -> RunResult:
    """The run whose details are shown: the default configuration when present, else the last one."""
    return next((r for r in runs if r.name == DEFAULT_CONFIG), runs[-1])


def compare_table(runs: Sequence[RunResult]) -> str:
    """Rows: configurations; columns: the comparison measures and median latency."""
    header = ["configuration", *(title for _, title in COMPARE_COLUMNS), "median ms"]
    rows = []
    for run in runs:
        s = run.summary()
        rows.append([run.name, *(s.get(key) for key, _ in COMPARE_COLUMNS), _ms(s["latency_median_ms"])])
    return table(header, rows)


def summary_table(run: RunResult) -> str:
    """One configuration's overall measures, one per row."""
    s = run.summary()
    rows = [
        (
            "questions (answerable / unanswerable)",
            f"{s['questions']} ({s['answerable']} / {s['unanswerable']})",
        ),
        *((f"retrieval {key}", s[key]) for key in s if key.startswith("hit@")),
        ("retrieval MRR@10", s["mrr@10"]),
        ("answer accuracy", s["answer_acc"]),
        ("citation support (top citation contains the answer)", s["citation_support"]),
        ("unanswerable correctly declined", s["no_answer_ok"]),
        ("answerable wrongly declined", s["false_decline"]),
        ("unanswerable answered from another city's report", s["wrong_city"]),
        ("ask() latency median / p95 (ms)", f"{_ms(s['latency_median_ms'])} / {_ms(s['latency_p95_ms'])}"),
    ]
    return table(["measure", "value"], rows)


def kind_table(run: RunResult) -> str:
    """One row per question kind."""
    rows = [
        [kind, s["questions"], *(s.get(key) for key, _ in KIND_COLUMNS)] for kind, s in run.by_kind().items()
    ]
    return table(["kind", "n", *(title for _, title in KIND_COLUMNS)], rows)


def failures_table(run: RunResult) -> str:
    """Every failed question with what came back; a line saying so when there are none."""
    failures = run.failures()
    if not failures:
        return "No failing questions."
    rows = [
        [
            f["id"],
            f["kind"],
            f["question"],
            " / ".join(f["gold"]) or "(none)",
            f["answer"] if f["answer"] is not None else "(declined)",
            f["top_source"],
            f["top_city"],
            f["hit_rank"],
            "; ".join(f["reasons"]),
        ]
        for f in failures
    ]
    header = ["id", "kind", "question", "gold", "returned", "top citation", "city", "hit rank", "why"]
    return table(header, rows, left=len(header))


def render(
    runs: Sequence[RunResult], *, gold: str | Path, chart: str | None = None, title: bool = False
) -> str:
    """All tables as Markdown: the comparison (when several runs), then the main run's details.

    Args:
        runs: one or more configuration runs over the same questions.
        gold: the gold file's path, named in the text.
        chart: a PNG path, relative to the Markdown file, to embed under the comparison.
        title: start with a title and the date (for the report file).
    """
    run = main_run(runs)
    parts = []
    if title:
        parts += [
            "# Evaluation report",
            f"Generated {dt.date.today().isoformat()} by `python -m eval --compare --report` over `{gold}` "
            f"({len(run.results)} questions), k={run.k}; retrieval measures count a citation as a hit when it "
            "comes from a gold source and its text contains the gold evidence.",
        ]
    if len(runs) > 1:
        parts += ["## Retrieval configurations", compare_table(runs)]
        if chart:
            parts.append(f"![configurations]({chart})")
    parts += [
        f"## Results: {run.name}",
        summary_table(run),
        "## By question kind",
        kind_table(run),
        "## Failing questions",
        failures_table(run),
    ]
    return "\n\n".join(parts) + "\n"


def plot_compare(runs: Sequence[RunResult], path: str | Path) -> Path:
    """A grouped bar chart (one group per measure, one bar per configuration) written as PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    path = Path(path)
    width = 0.8 / max(len(runs), 1)
    fig, ax = plt.subplots(figsize=(10, 4.5), dpi=110)
    for i, run in enumerate(runs):
        s = run.summary()
        values = [s.get(key) or 0.0 for key, _ in COMPARE_COLUMNS]
        xs = [x + (i - (len(runs) - 1) / 2) * width for x in range(len(COMPARE_COLUMNS))]
        bars = ax.bar(xs, values, width, label=run.name)
        ax.bar_label(bars, labels=[f"{v:.2f}" for v in values], fontsize=7, padding=1)
    ax.set_xticks(range(len(COMPARE_COLUMNS)), [title for _, title in COMPARE_COLUMNS])
    ax.set_ylim(0, 1.1)
    ax.set_ylabel("share of questions")
    ax.set_title(f"Retrieval configurations over {len(runs[0].results)} gold questions" if runs else "")
    ax.legend(
        loc="upper center", bbox_to_anchor=(0.5, -0.08), ncol=max(len(runs), 1), fontsize=8, frameon=False
    )
    ax.grid(axis="y", alpha=0.3)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    plt.close(fig)
    return path


def write_report(
    runs: Sequence[RunResult], path: str | Path, *, gold: str | Path
) -> tuple[Path, Path | None]:
    """Write the Markdown report and, when several configurations ran, the chart beside it (same name, .png)."""
    path = Path(path)
    chart = plot_compare(runs, path.with_suffix(".png")) if len(runs) > 1 else None
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        render(runs, gold=gold, chart=chart.name if chart else None, title=True), encoding="utf-8"
    )
    return path, chart


def _ms(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"
