"""The Milvus store (real pymilvus + Milvus Lite): build, search with filters pushed down, atomic alias switch."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("pymilvus")
pytest.importorskip("milvus_lite")

from index.build import build_index  # noqa: E402
from index.errors import IndexStaleError  # noqa: E402
from index.loaded import Index  # noqa: E402
from index.store import milvus as milvus_store
from index.store.base import Related  # noqa: E402
from index.store.spec import StoreSpec  # noqa: E402
from tests.conftest import SEEDS  # noqa: E402


@pytest.fixture(scope="module")
def both(milvus_index_dir, index_dir):
    target, spec = milvus_index_dir
    return Index.load(index_dir), Index.load(target, store=spec)


def test_collection_holds_the_same_passages(both, milvus_index_dir):
    faiss_index, milvus_index = both
    assert isinstance(milvus_index.store, milvus_store.MilvusStore)
    assert milvus_index.passages == faiss_index.passages
    assert milvus_index.cities() == faiss_index.cities()
    assert milvus_index.manifest["store"]["kind"] == "milvus"
    assert milvus_index.manifest["store"]["uri"] == milvus_index_dir[1].resolved_uri
    np.testing.assert_allclose(milvus_index.stored_vectors(), faiss_index.stored_vectors(), atol=1e-6)


def test_dense_and_keyword_legs_agree_with_faiss(both, embedder):
    faiss_index, milvus_index = both
    vector = embedder.encode_query("职工服务中心建设")
    assert [r for r, _ in milvus_index.store.search_dense(vector, 10)] == [
        r for r, _ in faiss_index.store.search_dense(vector, 10)
    ]
    tokens, related = ["组建率", "工会"], Related(["建会率"])
    ours = faiss_index.store.search_keyword(tokens, 5, related=related)
    theirs = milvus_index.store.with_keyword("tokens").search_keyword(tokens, 5, related=related)
    assert [r for r, _ in theirs] == [r for r, _ in ours]
    # Milvus's BM25 carries the (k1+1) factor bm25s leaves out; the retriever divides by the best score.
    relative = [[s / leg[0][1] for _, s in leg] for leg in (theirs, ours)]
    np.testing.assert_allclose(relative[0], relative[1], atol=0.1)
    assert milvus_index.store.keyword_mode == "tokens"  # the default leg: our tokens, BM25 inside Milvus
    jieba = milvus_index.store.with_keyword("jieba").search_keyword(tokens, 5)  # Milvus's own jieba analyzer
    assert jieba and "组建率" in milvus_index.passages[jieba[0][0]].text


def test_filters_run_in_the_engine(both, embedder):
    _, milvus_index = both
    city = milvus_index.cities()[0]
    rows = milvus_index.rows_for(city=city)
    assert milvus_index.store._filter(rows) == f'city in ["{city}"]'
    vector = embedder.encode_query("工会会员人数")
    dense = milvus_index.store.search_dense(vector, 5, rows)
    keyword = milvus_index.store.search_keyword(["工会"], 5, rows)
    assert dense and keyword
    assert {milvus_index.passages[r].city for r, _ in dense + keyword} == {city}
    odd = np.array([0, 3, 7])  # no city/source/year set says exactly these rows
    assert milvus_index.store._filter(odd) == "row in [0, 3, 7]"
    assert {r for r, _ in milvus_index.store.search_dense(vector, 5, odd)} <= {0, 3, 7}


def test_asking_for_another_store_is_stale(milvus_index_dir):
    target, spec = milvus_index_dir
    with pytest.raises(IndexStaleError, match="--store faiss"):
        Index.load(target, store=StoreSpec())
    with pytest.raises(ValueError, match=r"\.db"):
        StoreSpec("milvus", str(target / "lite.sqlite"))


def test_a_failed_build_leaves_the_previous_collection_serving(milvus_index_dir, embedder, monkeypatch):
    target, spec = milvus_index_dir
    before = Index.load(target, store=spec)
    serving = before.manifest["store"]["collection"]

    def insert_then_fail(client, name, passages, vectors, keys):
        client.insert(name, [next(milvus_store._rows(passages, vectors, keys))])
        raise OSError("disk full (injected half-way through the insert)")

    monkeypatch.setattr(milvus_store, "_insert", insert_then_fail)
    with pytest.raises(OSError, match="injected"):
        build_index(SEEDS, target, embedder=embedder, quiet=True, store=spec)
    after = Index.load(target, store=spec)
    assert after.manifest["store"]["collection"] == serving
    assert after.passages == before.passages
    vector = embedder.encode_query("职工服务中心建设")
    assert after.store.search_dense(vector, 3) == before.store.search_dense(vector, 3)
    alias = after.manifest["store"]["alias"]
    left = [c for c in before.store._client.list_collections() if c.startswith(alias)]
    assert left == [serving], "the half-built collection is dropped"


def test_the_assistant_answers_the_same_on_milvus(assistant, milvus_index_dir, embedder):
    from qa import Assistant

    target, spec = milvus_index_dir
    on_milvus = Assistant.load(target, embedder=embedder, store=spec)
    for question in ("南平工会组建率是多少", "龙岩市总工会服务职工有哪些举措"):
        ours, theirs = assistant.ask(question), on_milvus.ask(question)
        assert theirs.answer == ours.answer
        assert theirs.citations[0].passage_id == ours.citations[0].passage_id
        assert theirs.sentence == ours.sentence


def test_a_server_token_is_never_shown_or_stored(tmp_path):
    import argparse
    import json

    from index.settings import Settings
    from index.store.spec import add_store_options, store_from_args

    spec = StoreSpec("milvus", "http://127.0.0.1:19530", token="root:s3cret")
    assert "s3cret" not in repr(spec) and "s3cret" not in json.dumps(spec.to_dict())
    assert spec == StoreSpec("milvus", "http://127.0.0.1:19530")  # the token is no part of which store it is
    assert Settings.from_env({"QA_MILVUS_TOKEN": "root:s3cret"}).milvus_token == "root:s3cret"
    assert "s3cret" not in repr(Settings.from_env({"QA_MILVUS_TOKEN": "root:s3cret"}))

    parser = argparse.ArgumentParser()
    add_store_options(parser)
    token_file = tmp_path / "milvus.token"
    token_file.write_text("root:s3cret\n", encoding="utf-8")
    uri = ["--store", "milvus", "--milvus-uri", "http://127.0.0.1:19530"]
    assert (
        store_from_args(parser.parse_args([*uri, "--milvus-token-file", str(token_file)])).token
        == "root:s3cret"
    )
    token_file.write_text("\n", encoding="utf-8")
    with pytest.raises(ValueError, match="milvus.token is empty"):
        store_from_args(parser.parse_args([*uri, "--milvus-token-file", str(token_file)]))
    with pytest.raises(ValueError, match="needs --store milvus"):
        store_from_args(parser.parse_args(["--milvus-token-file", str(token_file)]))


def test_servers_older_than_2_5_are_refused_by_version():
    # v2.3.5-lite is what PyPI's embedded `milvus` server reports; it has no sparse vectors or BM25 function.
    assert milvus_store.server_too_old("v2.3.5-lite") and milvus_store.server_too_old("2.4.9")
    assert not milvus_store.server_too_old("v2.5.4") and not milvus_store.server_too_old("v2.6.0")


def test_a_rebuild_without_options_stays_in_milvus(milvus_index_dir, embedder):
    # index add/remove and the app's uploads rebuild without --store: the index must not fall back to FAISS.
    target, spec = milvus_index_dir
    before = Index.load(target).manifest["store"]
    build_index(SEEDS, target, embedder=embedder, quiet=True)
    after = Index.load(target, store=spec)
    assert isinstance(after.store, milvus_store.MilvusStore)
    assert (
        after.manifest["store"]["uri"] == before["uri"]
        and after.manifest["store"]["collection"] != before["collection"]
    )
