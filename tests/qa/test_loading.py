"""Assistant.load builds a missing index and rebuilds a stale one from the seeds it was built from."""

from __future__ import annotations

from qa import Assistant

REPORT = """在服务中求发展

——福建省南平市工会工作纪实

目前，全市已建基层工会14690家，组建率、职工入会率均达95%以上。南平市总工会全年开展劳动竞赛7000多场次，参加职工60多万人次。

南平市总工会为困难职工建立档案16464户，列全省第一。
"""

ADDED = """红土地上的娘家人

——福建省龙岩市工会工作纪实

2018年，龙岩市总工会共举办招聘会40多场，提供就业岗位5.07万余个，为6.8万人提供就业服务。
"""


def test_missing_index_is_built_and_a_stale_one_rebuilt(tmp_path, embedder):
    seeds = tmp_path / "reports"
    seeds.mkdir()
    (seeds / "nanping.txt").write_text(REPORT, encoding="utf-8")
    target = tmp_path / "idx"
    first = Assistant.load(target, embedder=embedder, seeds_dir=seeds)
    assert first.ask("南平工会组建率是多少", k=2).answer == "95%以上"
    assert first.cities() == ["南平"]

    (seeds / "longyan.txt").write_text(ADDED, encoding="utf-8")
    second = Assistant.load(target, embedder=embedder)  # the manifest remembers which seeds it came from
    assert second.cities() == ["南平", "龙岩"]
    assert second.ask("龙岩2018年为多少万人提供就业服务", k=2).answer.startswith("6.8万")
