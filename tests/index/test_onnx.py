"""The index's ONNX copy of the model gives sentence-transformers' vectors, and the manifest vouches for it."""

from __future__ import annotations

import numpy as np
import pytest

from index.encode.encoder import OnnxEncoder, query_encoder
from index.errors import IndexCorruptError
from index.loaded import Index, embed_text
from index.manifest import sha256_file


@pytest.fixture(scope="module")
def index(index_dir) -> Index:
    return Index.load(index_dir)


def test_onnx_vectors_match_sentence_transformers_on_every_passage(index, embedder):
    onnx = query_encoder(index)
    assert isinstance(onnx, OnnxEncoder)
    texts = [embed_text(p) for p in index.passages]
    ours = onnx.encode_passages(texts, batch_size=16)
    theirs = embedder.encode_passages(texts)
    cosines = np.sum(ours * theirs, axis=1)
    assert len(cosines) == len(index) and cosines.min() >= 0.999, cosines.min()
    # and the stored vectors (made by sentence-transformers at build time) are what the query side sees
    stored = np.stack([index.store.dense.reconstruct(i) for i in range(len(index))])
    assert np.sum(ours * stored, axis=1).min() >= 0.999
    questions = ["南平工会组建率是多少", "龙岩职工医疗互助", "衢州有多少支职工技术服务队"]
    for q in questions:
        assert float(onnx.encode_query(q) @ embedder.encode_query(q)) >= 0.999


def test_the_manifest_holds_the_onnx_files_sha256(index):
    block = index.manifest["model"]["onnx"]
    path = index.directory / block["file"]
    assert block["sha256"] == sha256_file(path) == index.manifest["files"][block["file"]]["sha256"]
    assert block["tokenizer"] in index.manifest["files"]
    assert block["dim"] == index.manifest["model"]["dim"]


def test_a_changed_onnx_file_is_refused(index_dir, tmp_path):
    import shutil

    target = tmp_path / "idx"
    shutil.copytree(index_dir.resolve(), target)
    with (target / "encoder.onnx").open("r+b") as fh:
        fh.seek(1000)
        byte = fh.read(1)
        fh.seek(1000)
        fh.write(bytes([byte[0] ^ 0xFF]))
    with pytest.raises(IndexCorruptError, match="encoder.onnx"):
        Index.load(target)
