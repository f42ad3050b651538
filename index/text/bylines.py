"""An article's own facts as citable cards: who wrote it, when it appeared, who took its photos.

Layout parsing marks bylines (■ 黄益水 黄子泉, 本版撰文:阮向民, a name under the subtitle), page headers
(4 2013年10月15日 星期二), datelines and photo credits (黄秀珍 摄); they are not body text, so no paragraph
passage holds them. A card says them in one labelled sentence, with the article's title, so that a question
about the article itself (这篇报道的作者是谁, 哪天刊登的, 那张照片是谁拍的) has a passage to be answered from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .articles import Article
from .figures import YEAR
from .layout import CAPTION_MAX, Block

KIND = "byline"  # the Passage.kind of a card
# Labels a card puts before each fact; qa.question adds the same words to a question that asks for the fact.
AUTHOR, DATE, PHOTO = "作者", "日期", "照片"
# A role word before the names (记者 张三, 本版撰文:阮向民); 文/图/编辑 only with their mark (文/张三), since 文
# ends many names (章恭文).
_ROLE = re.compile(
    r"(?:本版|本报|特约)?(?:撰文|撰稿|执笔|作者|记者|通讯员)\s*[/:：]?\s*|(?:文字|文|编辑)\s*[/:：]\s*"
)
_CREDIT_MARK = re.compile(r"\s*(?:(?:摄影|图片?|摄)\s*[/:：]\s*|[/／]?\s*摄影?\s*$)")
_DECORATION = re.compile(r"^[■□●◆▲★☆◎※\s]+|[（(【\[]|[）)】\]]")
_PAGE_NUMBER = re.compile(r"^\d{1,3}\s+")


@dataclass(frozen=True)
class Card:
    """One card: its text and the file blocks it says (for the citation's locations)."""

    text: str
    blocks: tuple[Block, ...]


def _names(line: str) -> tuple[str, str]:
    """A byline or credit without its decoration: (the names, the roles it named)."""
    line = _DECORATION.sub(" ", line)
    roles = [m.group().strip(" /:：") for m in _ROLE.finditer(line)]
    names = _CREDIT_MARK.sub(" ", _ROLE.sub(" ", line))
    return " ".join(names.split()), "、".join(dict.fromkeys(r for r in roles if r))


def _caption_for(blocks: tuple[Block, ...], i: int) -> Block | None:
    """The photo a credit belongs to: the nearest caption before it, else the short line right before it."""
    for block in reversed(blocks[max(0, i - 3) : i]):
        if block.kind == "caption":
            return block
    before = blocks[i - 1] if i > 0 else None
    if before is not None and before.kind in ("body", "short") and len(before.text) <= CAPTION_MAX:
        return before
    return None


def cards(article: Article, header: Block | None = None) -> list[Card]:
    """The article's cards: one for its byline and date, one per photo credit. None when it has neither.

    `header`: the file's page header, which dates every article of the file.
    """
    title = f"《{article.title}》" if article.title else ""
    facts: list[str] = []
    used: list[Block] = []
    for block in article.blocks:
        if block.kind == "byline":
            names, roles = _names(block.text)
            if names:
                facts.append(f"{AUTHOR}：{names}" + (f"（{roles}）" if roles else ""))
                used.append(block)
    dated = header if header is not None and header.date else None
    dated = dated or next((b for b in article.blocks if b.kind == "header" and b.date), None)
    if dated is not None:
        facts.append(f"刊登{DATE}：{_PAGE_NUMBER.sub('', dated.text).strip()}")
        used.append(dated)
    else:
        line = next((b for b in article.blocks if b.kind == "label" and article.date and _is_date(b)), None)
        if line is not None:
            facts.append(f"{DATE}：{line.text.strip(' （()）【】[]—-')}")
            used.append(line)
    out = [Card(f"{title}{'；'.join(facts)}。", tuple(used))] if facts else []
    for i, block in enumerate(article.blocks):
        if block.kind != "credit":
            continue
        names, _ = _names(block.text)
        caption = _caption_for(article.blocks, i)
        shown = caption.text.rstrip("。．.") if caption is not None else ""
        text = f"{title}{PHOTO}：{shown}（{names} 摄）。"
        out.append(Card(text, ((caption,) if caption is not None else ()) + (block,)))
    return out


def _is_date(block: Block) -> bool:
    return bool(re.search(YEAR + r"\s*年", block.text)) and len(block.text) <= 30
