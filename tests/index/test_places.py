"""Places: the division dataset, the one matcher, each article's place and date, declared metadata, staleness."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eval.place_reports import COUNTY, DECLARED, DISTRICT, NEIGHBOUR, write_reports
from index.corpus import build_passages
from index.errors import IndexStaleError
from index.loaded import check_seeds, seed_hashes
from index.places.gazetteer import gazetteer
from index.places.matcher import find_places, resolve_name

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def labels(text: str, **kw) -> list[str]:
    return [m.place.label for m in find_places(text, **kw)]


def test_the_dataset_holds_every_level_with_parents_short_and_former_names():
    g = gazetteer()
    levels = [p.level for p in g.places.values()]
    assert levels.count("province") >= 34 and levels.count("prefecture") >= 330
    assert levels.count("county") >= 2800
    cixi = resolve_name("慈溪")
    assert [p.label for p in g.chain(cixi.code)] == ["慈溪", "宁波", "浙江"]
    assert resolve_name("慈溪市") == cixi == resolve_name("浙江省宁波市慈溪市")
    assert [p.label for p in g.chain(resolve_name("郏县").code)] == ["郏县", "平顶山", "河南"]
    assert resolve_name("衢江区") == resolve_name("衢江")
    assert resolve_name("襄樊").name == "襄阳市"  # renamed in 2010
    assert resolve_name("闽北").name == "南平市" and resolve_name("闽西").name == "龙岩市"


def test_names_are_read_on_word_boundaries_longest_first():
    assert labels("河南平顶山郏县总工会去年新建了多少家基层工会组织？") == ["河南", "平顶山", "郏县"]
    assert labels("南平市工会") == labels("南平工会") == ["南平"]
    assert labels("漳州市级劳模") == ["漳州"]


def test_an_everyday_word_is_a_place_only_with_evidence():
    assert labels("以文化开化民智") == []
    assert labels("衢州开化的工会") == ["衢州", "开化"]
    assert labels("开化县总工会") == ["开化"]
    assert labels("去年新建了46家工会") == []  # 新建 is also a district of Nanchang


def test_an_ambiguous_name_goes_to_the_place_its_parent_or_the_covered_places_point_at():
    assert [m.place.name for m in find_places("福州鼓楼区")] == ["福州市", "鼓楼区"]
    assert find_places("福州鼓楼区")[1].place.parent == resolve_name("福州").code
    nanjing_gulou = next(c for c in gazetteer().forms["鼓楼"] if c.startswith("3201"))
    assert find_places("鼓楼区工会", prefer=[nanjing_gulou])[0].place.code == nanjing_gulou


def test_each_article_gets_its_most_specific_place_its_date_and_what_was_declared(tmp_path):
    _, report = build_passages(write_reports(tmp_path / "seeds"))
    got = {a.source: (a.place_chain, a.date, a.declared, a.title) for a in report.articles}
    assert got[COUNTY[0]][:3] == (("郏县", "平顶山", "河南"), "2020", ())  # a dated title
    assert got[DISTRICT[0]][:3] == (("衢江", "衢州", "浙江"), "2019-03-12", ())  # a dateline
    assert got[DISTRICT[0]][3] == "衢江区工会：把服务送到车间"  # the dateline is not part of the title
    assert got[DECLARED[0]] == (
        ("慈溪", "宁波", "浙江"),
        "2021-12",
        ("title", "place", "date"),
        DECLARED[2]["title"],
    )
    assert got[NEIGHBOUR[0]][:2] == (("三明", "福建"), None)  # 赣州 is named, 三明 is what it is about


def test_declared_metadata_wins_over_the_text(tmp_path):
    seeds = write_reports(tmp_path / "seeds", [COUNTY])
    (seeds / (COUNTY[0] + ".meta.json")).write_text('{"place": "宝丰县", "date": "2019-05-01"}', "utf-8")
    passages, report = build_passages(seeds)
    article = report.articles[0]
    assert (article.city, article.year, article.date, article.declared) == (
        "宝丰",
        2019,
        "2019-05-01",
        ("place", "date"),
    )
    assert all(
        p.place_chain == ("宝丰", "平顶山", "河南") and p.declared == ("place", "date") for p in passages
    )


def test_what_dates_a_report_comes_before_the_year_its_text_recounts(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    events = "龙岩工会的回顾\n\n——福建省龙岩市工会工作纪实\n\n2016年，龙岩市总工会获评先进。2018年，龙岩市新建工会40家。\n"
    (seeds / "a.txt").write_text(events, "utf-8")
    (seeds / "b.txt").write_text("4 2013年10月15日 星期二\n\n" + events, "utf-8")  # a page header
    (seeds / "c.txt").write_text("龙岩市总工会2018年工作报告\n\n" + events.split("\n", 2)[2], "utf-8")
    _, report = build_passages(seeds)
    got = {a.source: (a.year, a.date_from) for a in report.articles}
    # a.txt has only its text: 2018 looked back on (2018年，…) makes it a report of 2019, inferred.
    assert got == {"a.txt": (2019, "text"), "b.txt": (2013, "header"), "c.txt": (2018, "title")}
    assert report.articles[0].date_evidence == "2018年，龙岩市新建工会40家。"


@pytest.mark.parametrize(
    "sidecar, fragment",
    [
        ("{not json", "not valid UTF-8 JSON"),
        ('{"city": "慈溪"}', "unknown keys ['city']"),
        ('{"date": "2018/06"}', "YYYY, YYYY-MM or YYYY-MM-DD"),
        ('{"date": "2018-13"}', "YYYY, YYYY-MM or YYYY-MM-DD"),
        ('{"place": "火星"}', "not a Chinese administrative division"),
        ('{"place": "永安"}', "did you mean 福建省三明市永安市 or 台湾省高雄市永安区?"),
        ('["慈溪"]', "not a JSON object"),
    ],
)
def test_a_bad_sidecar_leaves_its_report_out_with_the_reason_and_the_fix(tmp_path, sidecar, fragment):
    seeds = write_reports(tmp_path / "seeds", [COUNTY, DISTRICT])
    (seeds / (COUNTY[0] + ".meta.json")).write_text(sidecar, "utf-8")
    _, report = build_passages(seeds)
    assert report.files == [DISTRICT[0]]
    ((name, reason),) = report.skipped
    assert name == COUNTY[0] and fragment in reason and ".meta.json" in reason


def test_an_added_changed_or_removed_sidecar_makes_the_index_stale(tmp_path):
    seeds = write_reports(tmp_path / "seeds", [COUNTY, DECLARED])
    manifest = {"sources": seed_hashes(seeds)}
    check_seeds(manifest, seeds, "fix")  # unchanged: no error
    sidecar = seeds / (DECLARED[0] + ".meta.json")
    for change in (
        lambda: sidecar.write_text(json.dumps({"date": "2020"}), "utf-8"),
        lambda: sidecar.unlink(),
        lambda: (seeds / (COUNTY[0] + ".meta.json")).write_text('{"date": "2020"}', "utf-8"),
    ):
        change()
        with pytest.raises(IndexStaleError, match=r"\.meta\.json"):
            check_seeds(manifest, seeds, "fix")
        manifest = {"sources": seed_hashes(seeds)}


def test_no_passage_lists_itself_among_its_copies(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    # Every paragraph ends its sentence: the repair has nothing to join and takes its early return.
    first, second = (
        "南平市总工会全年新建基层工会14家，会员增加3000名。",
        "南平市总工会全年建成职工书屋22家，惠及职工五万名。",
    )
    (seeds / "a.txt").write_text(
        f"南平工会的一年\n\n——福建省南平市工会纪实\n\n{first}\n\n{second}\n", "utf-8"
    )
    for folder in (seeds, SEEDS):
        passages, report = build_passages(folder)
        for p in passages:
            assert not set(p.also_in) & set(p.parts), p.id
    passages, report = build_passages(seeds)
    assert report.exact_duplicates == 0 and [p.text for p in passages] == [first, second]
