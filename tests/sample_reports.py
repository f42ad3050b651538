"""Tiny reports written for pipeline tests (one article each, a city named in the subtitle)."""

REPORT_A = """在服务中求发展

——福建省南平市工会工作纪实

目前，全市已建基层工会14690家，组建率、职工入会率均达95%以上。南平市总工会全年开展劳动竞赛7000多场次，参加职工60多万人次。

南平市总工会为困难职工建立档案16464户，列全省第一。
"""

REPORT_B = """红土地上的娘家人

——福建省龙岩市工会工作纪实

2018年，龙岩市总工会共举办招聘会40多场，提供就业岗位5.07万余个，为6.8万人提供就业服务。龙岩市职工医疗互助活动吸引了90.63万名职工参与。
"""

REPORT_C = """山海协作谱新篇

——浙江省衢州市工会工作纪实

衢州市总工会5年来组织47个工种397期技能提升培训班，3万多名职工参与其中，其中1.9万人实现技能晋级。
"""

# A newspaper page: its header dates it, a byline names its authors, a credit names a photographer.
PUTIAN_PAGE = """3 2022年5月18日 星期三

莆田工会：让职工幸福感更足

——福建省莆田市总工会工作侧记

■ 陈志远 林美华

2021年，莆田市总工会投入帮扶资金860万元，走访慰问困难职工3200户。

莆田市总工会为一线环卫工人送清凉。

郑丽君 摄

全市建成职工书屋210家，其中全国示范职工书屋12家。
"""


def assistant_over(root, embedder, reports: dict[str, str]):
    """An Assistant over reports written into root/seeds (file name -> text; a .meta.json name is a sidecar)."""
    from index.build import build_index
    from qa import Assistant

    seeds = root / "seeds"
    seeds.mkdir()
    for name, text in reports.items():
        (seeds / name).write_text(text, encoding="utf-8")
    build_index(seeds, root / "idx", embedder=embedder, quiet=True)
    return Assistant.load(root / "idx", embedder=embedder, seeds_dir=seeds)
