"""python -m index add / remove / list on a real index (real model, real FAISS): answers, atomicity, names."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from sample_reports import REPORT_A, REPORT_B

from index.__main__ import main
from index.build import build_index
from index.errors import MetadataError, ReportReadError
from index.loaded import Index
from index.places.metadata import make_meta, read_sidecar
from index.reports import add_reports, check_new_name, safe_name
from tests import documents as docs

QUESTION = "宁德市新建职工书屋多少个"


def _state(seeds: Path, index_dir: Path) -> dict[str, str]:
    """sha256 of every file in the seeds folder and of the index's manifest: what a failed add must not change."""
    state = {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(seeds.iterdir()) if p.is_file()
    }
    state["<manifest>"] = hashlib.sha256((index_dir / "manifest.json").read_bytes()).hexdigest()
    state["<index target>"] = str(index_dir.resolve())
    return state


@pytest.fixture()
def small_index(tmp_path, embedder):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "a.txt").write_text(REPORT_A, encoding="utf-8")
    (seeds / "b.txt").write_text(REPORT_B, encoding="utf-8")
    index_dir = tmp_path / "idx"
    build_index(seeds, index_dir, embedder=embedder, quiet=True)
    return seeds, index_dir


def _ask(index_dir: Path, embedder, question: str = QUESTION):
    from qa import Assistant

    return Assistant.load(index_dir, embedder=embedder).ask(question, k=2)


def test_add_answers_from_the_new_report_then_remove_takes_it_away(small_index, tmp_path, embedder, capsys):
    seeds, index_dir = small_index
    before = _ask(index_dir, embedder)
    assert all("宁德" not in c.source for c in before.citations)
    pdf = docs.make_pdf(tmp_path / "宁德 2021年 工作报告.pdf", columns=2)
    where = ["--seeds", str(seeds), "--index-dir", str(index_dir), "--quiet"]
    assert main(["add", str(pdf), "--place", "宁德", "--date", "2021-12", *where[:-1]]) == 0
    out, err = capsys.readouterr()
    # Progress on stderr: the file's pages as they are read, then the passages embedded.
    assert "宁德 2021年 工作报告.pdf: reading page 1 of 1" in err
    assert "宁德_2021年_工作报告.pdf: reading page 1 of 1" in err and " passages embedded" in err
    stored = seeds / "宁德_2021年_工作报告.pdf"
    assert stored.read_bytes() == pdf.read_bytes()
    assert json.loads((seeds / (stored.name + ".meta.json")).read_text(encoding="utf-8")) == {
        "place": "宁德",
        "date": "2021-12",
    }
    index = Index.load(index_dir)
    new = [p for p in index.passages if p.source == stored.name]
    # Incremental: only the new report's passages were embedded, the others' vectors were reused.
    assert f"{len(new)} embedded, {len(index) - len(new)} reused" in out
    answer = _ask(index_dir, embedder)
    assert answer.answer == "136个" and answer.citations[0].source == stored.name

    assert main(["list", "--seeds", str(seeds), "--index-dir", str(index_dir)]) == 0
    listing = capsys.readouterr().out
    row = next(line for line in listing.splitlines() if line.startswith(stored.name))
    assert f"| {docs.TITLE} | 宁德* | 2021-12* | {len(new)} |" in row

    assert main(["remove", stored.name, *where]) == 0
    assert sorted(p.name for p in seeds.iterdir() if not p.name.startswith(".")) == [
        "a.txt",
        "b.txt",
    ]
    assert all(p.source != stored.name for p in Index.load(index_dir).passages)
    assert all(c.source != stored.name for c in _ask(index_dir, embedder).citations)


def test_word_and_web_page_added_together_with_wrong_and_missing_suffixes(small_index, tmp_path, embedder):
    seeds, index_dir = small_index
    word = tmp_path / "宁德报告.pdf"  # a Word file with a PDF's name
    word.write_bytes(docs.make_docx(tmp_path / "w.docx").read_bytes())
    page = docs.make_html(
        tmp_path / "news",
        title="莆田市总工会工作报告",
        paragraphs=["莆田市总工会建成户外劳动者驿站87个，服务职工12万人次。"],
    )
    added, summary = add_reports([word, page], seeds_dir=seeds, index_dir=index_dir, embedder=embedder)
    assert [(a.name, a.preview.kind, a.preview.city) for a in added] == [
        ("宁德报告.pdf", "docx", "宁德"),
        ("news.html", "html", "莆田"),
    ]
    assert summary.reused > 0
    assert _ask(index_dir, embedder, "莆田户外劳动者驿站有多少个").answer == "87个"


def test_a_failed_add_leaves_the_seeds_folder_and_the_index_as_they_were(
    small_index, tmp_path, embedder, capsys
):
    seeds, index_dir = small_index
    where = ["--seeds", str(seeds), "--index-dir", str(index_dir), "--quiet"]
    good = docs.make_docx(tmp_path / "good.docx")
    before = _state(seeds, index_dir)
    failures = {
        "OCR": ["add", str(docs.make_scanned_pdf(tmp_path / "scan.pdf"))],
        "YYYY-MM": ["add", str(good), "--date", "2021/06"],
        "2021-02-30": ["add", str(good), "--date", "2021-02-30"],
        "not a Chinese administrative division": ["add", str(good), "--place", "亚特兰蒂斯"],
        "did you mean 福建省三明市永安市": ["add", str(good), "--place", "永安"],
        "place is empty": ["add", str(good), "--place", " "],
        "clashes with a.txt": ["add", str(good), "--name", "a.pdf"],
        "not a plain file name": ["add", str(good), "--name", "../escape.docx"],
        "one --title for 2 files": ["add", str(good), str(good), "--title", "x"],
        "is not a file": ["add", str(tmp_path / "missing.pdf")],
    }
    for message, argv in failures.items():
        assert main([*argv, *where]) == 2, message
        assert message in capsys.readouterr().err
        assert _state(seeds, index_dir) == before, message

    def failing(*args, **kwargs):
        """Embedding fails as a full disk or a killed worker would (the build embeds with the ONNX encoder)."""
        raise OSError("No space left on device")

    from index.encode.encoder import OnnxEncoder

    with pytest.MonkeyPatch.context() as patch, pytest.raises(OSError, match="No space left"):
        patch.setattr(OnnxEncoder, "encode_passages", failing)
        add_reports(
            [good], seeds_dir=seeds, index_dir=index_dir, meta=make_meta(place="宁德"), embedder=embedder
        )
    assert _state(seeds, index_dir) == before


def test_remove_refuses_anything_but_a_report_of_the_seeds_folder(small_index, tmp_path, capsys):
    seeds, index_dir = small_index
    outside = tmp_path / "outside.txt"
    outside.write_text(REPORT_A, encoding="utf-8")
    (seeds / "a.txt.meta.json").write_text('{"place": "南平"}', encoding="utf-8")
    before = _state(seeds, index_dir)
    where = ["--seeds", str(seeds), "--index-dir", str(index_dir), "--quiet"]
    for name in ("../outside.txt", str(outside), "a.txt.meta.json", "nothing.txt", "..", ""):
        assert main(["remove", name, *where]) == 2, name
        assert "not a report" in capsys.readouterr().err
    assert outside.exists() and _state(seeds, index_dir) == before


def test_names_are_made_safe_and_metadata_is_validated(tmp_path):
    assert safe_name("../../etc/passwd", ".txt") == "passwd.txt"
    assert safe_name("C:\\报告\\龙岩 2019 报告.DOCX", ".docx") == "龙岩_2019_报告.DOCX"
    assert safe_name("scan.doc", ".docx") == "scan.doc.docx"
    assert safe_name("x" * 300 + ".pdf", ".pdf") == "x" * 116 + ".pdf"
    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    for bad in ("A.TXT", "a.pdf", ".hidden.txt", "a.txt.meta.json", "b.exe"):
        with pytest.raises(Exception, match="clashes|plain file name|must end"):
            check_new_name(tmp_path, bad)
    meta = make_meta(title=" 宁德市总工会  工作报告 ", place="宁德", date="2013")
    assert meta.to_dict() == {"title": "宁德市总工会 工作报告", "place": "宁德", "date": "2013"}
    for kwargs in (
        {"date": "13-06"},
        {"date": "2013-13"},
        {"date": "1899"},
        {"title": "x" * 201},
        {"place": ""},
    ):
        with pytest.raises(MetadataError):
            make_meta(**kwargs)
    from index.places.metadata import write_sidecar

    write_sidecar(tmp_path / "a.txt", make_meta(place="宁德", date="2013-06-15"))
    assert read_sidecar(tmp_path / "a.txt") == make_meta(place="宁德", date="2013-06-15")


def test_replace_swaps_in_a_corrected_version_and_a_failed_replace_keeps_the_old(
    small_index, tmp_path, embedder
):
    seeds, index_dir = small_index
    first = docs.make_docx(tmp_path / "宁德.docx")
    add_reports([first], seeds_dir=seeds, index_dir=index_dir, meta=make_meta(date="2021"), embedder=embedder)
    assert _ask(index_dir, embedder).answer == "136个"
    fixed = docs.make_docx(
        tmp_path / "fixed.docx", paragraphs=[p.replace("136个", "140个") for p in docs.PARAGRAPHS]
    )
    with pytest.raises(Exception, match="clashes with 宁德.docx"):
        add_reports([fixed], seeds_dir=seeds, index_dir=index_dir, names=["宁德.docx"], embedder=embedder)
    added, _ = add_reports(
        [fixed],
        seeds_dir=seeds,
        index_dir=index_dir,
        names=["宁德.docx"],
        replace=True,
        meta=make_meta(place="宁德"),
    )
    assert (seeds / "宁德.docx").read_bytes() == fixed.read_bytes()
    assert read_sidecar(seeds / "宁德.docx") == make_meta(place="宁德", date="2021")  # old keys kept
    assert _ask(index_dir, embedder).answer == "140个"
    before = _state(seeds, index_dir)
    with pytest.raises(ReportReadError, match="OCR"):
        add_reports(
            [docs.make_scanned_pdf(tmp_path / "s.pdf")],
            seeds_dir=seeds,
            index_dir=index_dir,
            names=["宁德.docx"],
            replace=True,
        )

    def failing(*args, **kwargs):
        raise OSError("No space left on device")

    from index.encode.encoder import OnnxEncoder

    with pytest.MonkeyPatch.context() as patch, pytest.raises(OSError):
        patch.setattr(OnnxEncoder, "encode_passages", failing)
        add_reports(
            [first],
            seeds_dir=seeds,
            index_dir=index_dir,
            names=["宁德.docx"],
            replace=True,
            embedder=embedder,
        )
    assert _state(seeds, index_dir) == before
    with pytest.raises(Exception, match="not a report"):
        add_reports([first], seeds_dir=seeds, index_dir=index_dir, names=["新.docx"], replace=True)


def test_declared_metadata_round_trips_through_the_build(small_index, tmp_path, embedder, capsys):
    seeds, index_dir = small_index
    word = docs.make_docx(tmp_path / "fuan.docx")
    where = ["--seeds", str(seeds), "--index-dir", str(index_dir), "--quiet"]
    argv = ["add", str(word), "--title", "福安市总工会工作报告", "--place", "福安", "--date", "2013-06"]
    assert main([*argv, *where]) == 0
    passages = [p for p in Index.load(index_dir).passages if p.source == "fuan.docx"]
    assert passages and {(p.title, p.city, p.date, p.year) for p in passages} == {
        ("福安市总工会工作报告", "福安", "2013-06", 2013)
    }
    assert all(set(p.declared) == {"title", "place", "date"} for p in passages)
    capsys.readouterr()
    assert main(["list", "--seeds", str(seeds), "--index-dir", str(index_dir)]) == 0
    assert "fuan.docx | 福安市总工会工作报告* | 福安* | 2013-06* |" in capsys.readouterr().out


def test_a_copied_project_reads_its_own_seeds_and_an_old_absolute_manifest_still_reads(
    small_index, tmp_path, tmp_path_factory
):
    import shutil

    from index.original import original_text
    from index.reports import seeds_of

    seeds, index_dir = small_index
    assert json.loads((index_dir / "manifest.json").read_text(encoding="utf-8"))["seeds_dir"] == "seeds"
    copy = tmp_path_factory.mktemp("copied") / "project"
    shutil.copytree(tmp_path, copy, symlinks=True)  # the index is a relative symlink to its build
    shutil.rmtree(seeds)  # the original is gone: the copy must not need it
    assert seeds_of(copy / "idx") == copy / "seeds"
    assert original_text(Index.load(copy / "idx"), "a.txt") == REPORT_A.replace("\r\n", "\n")
    # A running app opens a newly published build by its resolved path (inside .idx.builds/): same seeds.
    build = (copy / "idx").resolve()
    assert build.parent.name == ".idx.builds"
    assert original_text(Index.load(build), "a.txt") == REPORT_A.replace("\r\n", "\n")

    manifest_file = (copy / "idx").resolve() / "manifest.json"
    manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
    manifest["seeds_dir"] = str(tmp_path / "elsewhere")  # as builds before relative paths wrote it
    manifest_file.write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    assert seeds_of(copy / "idx") == tmp_path / "elsewhere"
