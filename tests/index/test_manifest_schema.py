"""A malformed manifest, or any file of the index that cannot be read, is an IndexProblem naming the file and fix."""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path

import pytest

from index.errors import IndexCorruptError, IndexProblem, IndexStaleError
from index.loaded import Index
from index.manifest import FORMAT_VERSION, MANIFEST

FIX = "python -m index build --index-dir"


@pytest.fixture(scope="module")
def copied(index_dir, tmp_path_factory) -> tuple[Path, dict]:
    """A private copy of the session index (a plain folder) and its manifest as built."""
    target = tmp_path_factory.mktemp("schema") / "idx"
    shutil.copytree(index_dir.resolve(), target)
    return target, json.loads((target / MANIFEST).read_text(encoding="utf-8"))


def _renamed(old: str, new: str):
    return lambda m: {(new if k == old else k): v for k, v in m.items()}


def _without(key: str):
    return lambda m: {k: v for k, v in m.items() if k != key}


def _set(path: str, value):
    def change(m):
        m = copy.deepcopy(m)
        *parents, last = path.split(".")
        node = m
        for part in parents:
            node = node[part]
        node[last] = value
        return m

    return change


def _files_only(*names: str):
    return lambda m: {**m, "files": {n: e for n, e in m["files"].items() if n in names}}


CASES = {
    "a list": lambda m: [],
    "null": lambda m: None,
    "a string": lambda m: "manifest",
    "a number": lambda m: 3,
    "an empty object": lambda m: {},
    "files as a list": _set("files", []),
    "files empty": _set("files", {}),
    "files missing": _without("files"),
    "files renamed": _renamed("files", "file"),
    "model missing": _without("model"),
    "model renamed": _renamed("model", "modle"),
    "model as a list": _set("model", []),
    "model.dim a string": _set("model.dim", "512"),
    "model.dim a bool": _set("model.dim", True),
    "model.dim zero": _set("model.dim", 0),
    "model.sha256 not a digest": _set("model.sha256", "abc"),
    "model.name missing": lambda m: {**m, "model": {k: v for k, v in m["model"].items() if k != "name"}},
    "sources renamed": _renamed("sources", "source"),
    "sources values not strings": _set("sources", {"a.txt": 1}),
    "counts missing": _without("counts"),
    "counts a string value": _set("counts.passages", "12"),
    "seeds_dir a number": _set("seeds_dir", 7),
    "format_version missing": _without("format_version"),
    "format_version a string": _set("format_version", "1"),
    "format_version a bool": _set("format_version", True),
    "a file entry a string": lambda m: {**m, "files": {n: "x" for n in m["files"]}},
    "a file size a string": lambda m: {
        **m,
        "files": {n: {**e, "bytes": str(e["bytes"])} for n, e in m["files"].items()},
    },
    "a file outside the folder": lambda m: {
        **m,
        "files": {**m["files"], "../../etc/hostname": {"sha256": "0" * 64, "bytes": 1}},
    },
    "dense.faiss not listed": lambda m: {
        **m,
        "files": {n: e for n, e in m["files"].items() if n != "dense.faiss"},
    },
    "no keyword file listed": _files_only("dense.faiss", "passages.jsonl"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_malformed_manifest_is_an_index_problem_naming_the_file_and_fix(copied, case):
    target, manifest = copied
    path = target / MANIFEST
    try:
        path.write_text(json.dumps(CASES[case](copy.deepcopy(manifest))), encoding="utf-8")
        with pytest.raises(IndexCorruptError) as caught:
            Index.load(target)
        assert str(path) in str(caught.value) and FIX in str(caught.value)
    finally:
        path.write_text(json.dumps(manifest), encoding="utf-8")
    assert len(Index.load(target)) > 0  # the restored manifest loads: the case, not the copy, was at fault


def test_another_format_version_is_stale(copied):
    target, manifest = copied
    path = target / MANIFEST
    try:
        path.write_text(json.dumps({**manifest, "format_version": 99}), encoding="utf-8")
        with pytest.raises(IndexStaleError, match=f"format 99, this code reads {FORMAT_VERSION}.*{FIX}"):
            Index.load(target)
    finally:
        path.write_text(json.dumps(manifest), encoding="utf-8")


def test_an_empty_files_list_no_longer_hides_a_corrupted_faiss_file(copied):
    target, manifest = copied
    path, faiss_file = target / MANIFEST, target / "dense.faiss"
    data = faiss_file.read_bytes()
    try:
        faiss_file.write_bytes(data[:-8] + b"\0" * 8)
        path.write_text(json.dumps({**manifest, "files": {}}), encoding="utf-8")
        with pytest.raises(IndexCorruptError, match="'files' is empty"):
            Index.load(target)
        path.write_text(json.dumps(manifest), encoding="utf-8")
        with pytest.raises(IndexCorruptError, match="dense.faiss fails its sha256"):
            Index.load(target)
    finally:
        faiss_file.write_bytes(data)
        path.write_text(json.dumps(manifest), encoding="utf-8")


def _garbage(path: Path) -> None:
    path.write_bytes(b"\xff\xfe not what this file should hold \x00\x01")


READ_FAILURES = {
    "manifest.json not UTF-8": ("manifest.json", _garbage),
    "passages.jsonl not UTF-8": ("passages.jsonl", _garbage),
    "passages.jsonl a JSON list per line": ("passages.jsonl", lambda p: p.write_text("[]\n[1]\n")),
    "dense.faiss garbage": ("dense.faiss", _garbage),
    "keyword params garbage": ("keyword/params.index.json", _garbage),
    "keyword vocab a list": ("keyword/vocab.index.json", lambda p: p.write_text("[]")),
    "keyword matrix garbage": ("keyword/data.csc.index.npy", _garbage),
    "keyword matrix missing": ("keyword/indptr.csc.index.npy", lambda p: p.unlink()),
    "keyword folder a file": ("keyword", lambda p: (shutil.rmtree(p), p.write_text("x"))),
    "passages.jsonl a folder": ("passages.jsonl", lambda p: (p.unlink(), p.mkdir())),
}


@pytest.mark.parametrize("case", sorted(READ_FAILURES))
def test_every_unreadable_file_is_an_index_problem_even_unverified(index_dir, tmp_path, case):
    target = tmp_path / "idx"
    shutil.copytree(index_dir.resolve(), target)
    name, spoil = READ_FAILURES[case]
    spoil(target / name)
    for verify in (True, False):  # the checksums catch these first; without them the readers must too
        with pytest.raises(IndexProblem) as caught:
            Index.load(target, verify=verify)
        assert FIX in str(caught.value) and str(target) in str(caught.value)
