"""Plain-text rendering of an answer for the terminal (the web chat renders its own HTML)."""

from __future__ import annotations

from .types import NOT_STATED, Answer

MARK_OPEN, MARK_CLOSE = "【", "】"


def format_answer(answer: Answer) -> str:
    """The answer line, a table's rows or a list's items, notes, per-report values, then the numbered citations."""
    lines = [f"答：{answer.answer}" if answer.answer else "答：报告中没有找到这个问题的答案。"]
    if answer.sentence and answer.table is None:
        lines.append(f"原文：{answer.sentence}")
    if answer.table is not None:
        lines.append(f"{answer.table.measure}：")
        for r in answer.table.rows:
            year = f"{r.year}年" if r.year else "年份不明"
            lines.append(
                f"  {r.place} {year} {r.answer or NOT_STATED}" + (f"（{r.source}）" if r.source else "")
            )
    for number, item in enumerate(answer.items, 1):
        lines.append(f"  {number}. {item.text}（{item.source}）")
    for note in answer.notes:
        lines.append(f"注：{note}")
    if answer.variants:
        lines.append("各报告的说法：")
        for v in answer.variants:
            lines.append(f"  {v.answer} —— {v.city or ''} {v.year or ''}年《{v.title}》（{v.source}）")
    for c in answer.citations:
        text = c.text
        if c.span:
            a, b = c.span
            text = text[:a] + MARK_OPEN + text[a:b] + MARK_CLOSE + text[b:]
        year = f"{c.year}（推断）" if c.year and c.year_inferred else (c.year or "?")
        city = f"{c.city}（今{c.place_now}）" if c.city and c.place_now else (c.city or "?")
        lines.append(f"[{c.rank}] {c.title} | {city} {year} | {c.source} 第{c.paragraph}段")
        lines.append(f"    {text}")
        if c.also_in:
            where = "，".join(f"{loc['source']} 第{loc['paragraph']}段" for loc in c.also_in)
            lines.append(f"    （同一段文字也见于：{where}）")
    return "\n".join(lines)
