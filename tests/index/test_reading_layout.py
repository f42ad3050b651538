"""How real documents are laid out, read right: Word's automatic numbering, a table of contents, running
headers and two-column pages. Each document is written by the test (python-docx, reportlab)."""

from __future__ import annotations

from index.readers.numbering import format_number
from index.readers.read import read_report
from tests import documents as docs


def _lines(text: str) -> list[str]:
    return [line for line in text.split("\n") if line.strip()]


def test_word_automatic_numbering_is_kept_before_its_paragraphs(tmp_path):
    path = docs.make_numbered_docx(
        tmp_path / "std.docx",
        [
            ("范围", "section", 0),
            ("本文件规定了福州市职工书屋建设的要求。", None, 0),
            ("规范性引用文件", "section", 0),
            ("基本要求", "section", 1),
            ("场地要求", "section", 1),
            ("职工书屋面积不少于30平方米。", "chinese", 0),
            ("藏书不少于1500册。", "chinese", 0),
            ("管理", "section", 0),
            ("职工书屋建设情况统计表", "appendix", 0),
            ("职工书屋借阅登记表", "appendix", 0),
        ],
    )
    assert _lines(read_report(path)) == [
        "# 1 范围",
        "本文件规定了福州市职工书屋建设的要求。",
        "## 2 规范性引用文件",
        "## 2.1 基本要求",
        "## 2.2 场地要求",
        "（一）职工书屋面积不少于30平方米。",
        "（二）藏书不少于1500册。",
        "## 3 管理",
        "## 附录A 职工书屋建设情况统计表",
        "## 附录B 职工书屋借阅登记表",
    ]


def test_word_number_formats():
    assert [format_number(n, "chineseCounting") for n in (1, 10, 12, 20, 35, 105)] == [
        "一", "十", "十二", "二十", "三十五", "一百零五",
    ]  # fmt: skip
    assert [format_number(n, "upperLetter") for n in (1, 26, 27)] == ["A", "Z", "AA"]
    assert format_number(4, "lowerRoman") == "iv" and format_number(3, "ideographTraditional") == "丙"
    assert format_number(2, "decimalEnclosedCircle") == "②"
