"""Human-readable build summary and index statistics (what `python -m index` prints)."""

from __future__ import annotations

from .build import BuildSummary
from .loaded import Index
from .passage import Passage


def format_build(summary: BuildSummary) -> str:
    """The build summary: counts, articles with city and year, every join and every fragment left alone."""
    c = summary.corpus
    lines = [
        f"Index built at {summary.index_dir} in {summary.seconds:.1f} s",
        f"  files read           {len(c.files)}" + (f" ({len(c.skipped)} skipped)" if c.skipped else ""),
        f"  raw paragraphs       {c.raw_paragraphs}",
        f"  broken sentences joined {len(c.joins)} ({c.next_paragraph_joins} page breaks to the next paragraph, "
        f"{len(c.joins) - c.next_paragraph_joins} scrambled-order repairs)",
        f"  duplicates removed   {c.exact_duplicates + c.near_duplicates} "
        f"(exact {c.exact_duplicates}, near {c.near_duplicates})",
        f"  tiny fragments joined to a neighbour {c.tiny_joined}",
        f"  passages             {c.passages} ({c.captions} captions)",
        f"  embedded             {summary.embedded} new, {summary.reused} reused by content hash"
        + (f", {summary.passages_per_second:.1f} passages/s" if summary.embedded else ""),
    ]
    for name, reason in c.skipped:
        lines.append(f"  skipped {name}: {reason}")
    lines.append("Articles:")
    for a in c.articles:
        how = f" declared={','.join(a.declared)}" if a.declared else ""
        lines.append(
            f"  {a.source} #{a.number + 1}  place={' › '.join(reversed(a.place_chain)) or '?'}  "
            f"date={a.date or '?'}{how}  {a.title}"
        )
    lines.append("Joins (end of one paragraph | start of its continuation):")
    for source, j in c.joins:
        where = "next" if j.adjacent else "moved"
        lines.append(
            f"  {source} ¶{j.end_paragraph} -> ¶{j.start_paragraph} [{where}, {j.score:.1f}] "
            f"…{j.end_words} | {j.start_words}…  ({'; '.join(j.reasons[:3])})"
        )
    if c.unpaired_ends or c.unpaired_starts:
        lines.append("Fragments left alone (no partner found with confidence):")
        for source, b in c.unpaired_ends:
            lines.append(f"  {source} ¶{b.paragraph} ends mid-sentence: …{b.text[-14:]}")
        for source, b in c.unpaired_starts:
            lines.append(f"  {source} ¶{b.paragraph} starts mid-sentence: {b.text[:14]}…")
    if c.merges:
        lines.append("Duplicates merged (kept <- removed):")
        for kept, dropped, how in c.merges:
            lines.append(f"  {kept} <- {dropped} ({how})")
    return "\n".join(lines)


def format_stats(index: Index) -> str:
    m = index.manifest
    lines = [
        f"Index {index.directory} (format {m['format_version']}, built {m['built_at']})",
        f"  model {m['model']['name']} dim {m['model']['dim']} weights sha256 {m['model']['sha256'][:16]}…",
        f"  passages {len(index)}; " + ", ".join(f"{k} {v}" for k, v in m["counts"].items()),
    ]
    if m.get("store", {}).get("kind") == "milvus":
        store = m["store"]
        lines.append(f"  store Milvus at {store['uri']}: alias {store['alias']} -> {store['collection']}")
    for row in index.sources():
        own = [p for p in index.passages if p.source == row["source"]]
        declared = set(row["declared"])
        now = sorted(
            {p.place_now for p in own if p.place_now}
        )  # a place that no longer exists: what it is now
        lines.append(
            f"  {row['source']}: {len(own)} passages; "
            f"place {' / '.join(row['places']) or '?'} ({_how('place', declared, row['places'])}"
            + (f"; now part of {', '.join(now)}" if now else "")
            + "); "
            f"year {'/'.join(map(str, row['years'])) or '?'} ({_dated(row)}); "
            f"title {_how('title', declared, row['titles'])}; {' | '.join(row['titles'])}"
        )
    return "\n".join(lines)


def _how(field: str, declared: set[str], values: list) -> str:
    """Whether a report's field was declared in its sidecar, read from its text, or is unknown."""
    if field in declared:
        return "declared"
    return "inferred" if values else "unknown"


def _dated(row: dict) -> str:
    """How a report's year was found: declared, page header, dateline, or inferred with its sentence."""
    how = {
        "declared": "declared",
        "header": "page header",
        "dateline": "dateline",
        "title": "inferred from the title",
    }
    shown = [how.get(by, "inferred from the text") for by in row.get("dated_by", [])]
    shown += [f"「{e[:60]}」" for e in row.get("date_evidence", []) if e not in row["titles"]]
    return ", ".join(dict.fromkeys(shown)) or "unknown"


def format_passage(passage: Passage) -> str:
    lines = [
        f"{passage.id}  [{passage.kind}]  {passage.source} ¶{passage.paragraph}",
        f"  title: {passage.title}",
        f"  place: {' › '.join(reversed(passage.place_chain)) or '?'}  date: {passage.date or '?'}"
        + (f" (推断: {passage.date_evidence})" if passage.year_inferred and passage.date_evidence else "")
        + (f"  now part of {passage.place_now}" if passage.place_now else "")
        + (f"  declared: {', '.join(passage.declared)}" if passage.declared else ""),
        "  from: " + ", ".join(f"{p.source} ¶{p.paragraph} [{p.start}:{p.end}]" for p in passage.parts),
    ]
    if passage.ocr:
        confidence = "?" if passage.ocr_confidence is None else f"{passage.ocr_confidence:.1f}"
        lines.append(f"  read by OCR: page {passage.page or '?'}, mean confidence {confidence}/100")
    if passage.also_in:
        lines.append(
            "  also in: "
            + ", ".join(f"{p.source} ¶{p.paragraph} [{p.start}:{p.end}]" for p in passage.also_in)
        )
    lines += ["", passage.text]
    return "\n".join(lines)
