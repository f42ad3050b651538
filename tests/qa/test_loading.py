"""Assistant.load builds a missing index and rebuilds a stale one from the seeds it was built from."""

from __future__ import annotations

from sample_reports import REPORT_A, REPORT_B

from qa import Assistant


def test_missing_index_is_built_and_a_stale_one_rebuilt(tmp_path, embedder):
    seeds = tmp_path / "reports"
    seeds.mkdir()
    (seeds / "nanping.txt").write_text(REPORT_A, encoding="utf-8")
    target = tmp_path / "idx"
    first = Assistant.load(target, embedder=embedder, seeds_dir=seeds, build_if_missing=True)
    assert first.ask("南平工会组建率是多少", k=2).answer == "95%以上"
    assert first.cities() == ["南平"]

    (seeds / "longyan.txt").write_text(REPORT_B, encoding="utf-8")
    second = Assistant.load(
        target, embedder=embedder, build_if_missing=True
    )  # the manifest remembers which seeds it came from
    assert second.cities() == ["南平", "龙岩"]
    assert second.ask("龙岩2018年为多少万人提供就业服务", k=2).answer.startswith("6.8万")
