"""Short reports for the place gold set (eval/gold_places.jsonl) and the place tests: real places, invented figures.

A county's report (郏县, dated by its title), a district's report (衢江区, dated by a dateline), a county-level
city's report whose sidecar declares its title, place and date (慈溪), and a city's report that mentions a
neighbouring province's city (三明, naming 赣州 in Jiangxi). Every figure here is made up.
"""

from __future__ import annotations

import json
from pathlib import Path

COUNTY = (
    "101_jiaxian.txt",
    """郏县总工会2020年工作报告

——河南省平顶山市郏县总工会

2020年，郏县总工会在县委和平顶山市总工会的领导下，团结带领全县职工建功立业。

全县新建基层工会组织46家，基层工会总数达到312家，工会会员4.6万名。

郏县总工会建成职工书屋22家，其中全国职工书屋示范点3家。

郏县总工会全年走访慰问困难职工1280户，发放慰问金96万元。
""",
)

DISTRICT = (
    "102_qujiang.txt",
    """衢江区工会：把服务送到车间

（2019年3月12日）

衢江区总工会深入开展“工会主席大讲堂”活动，全年举办大讲堂18期，培训基层工会主席1500人次。

衢江区建成职工服务驿站37个，为户外劳动者提供休息、饮水、充电等服务。

衢江区总工会组织劳动竞赛42场，参赛职工2.3万人次。
""",
)

DECLARED = (
    "103_cixi.txt",
    """娘家人的温度

慈溪市总工会坚持服务职工，全市建成“爱心驿站”128个，服务户外劳动者30万人次。

慈溪市总工会推进企业工资集体协商，签订工资集体协议2150份，覆盖职工41万名。

宁波市总工会对慈溪的做法给予肯定，宁波市各县（市、区）工会前来学习。
""",
    {"title": "慈溪市总工会2021年工作回顾", "place": "浙江省宁波市慈溪市", "date": "2021-12"},
)

NEIGHBOUR = (
    "104_sanming.txt",
    """三明工会：闽赣协作谱新篇

——福建省三明市工会工作纪实

三明市总工会全年举办职工技能竞赛56场，参赛职工3.8万人次。

三明市总工会与江西省赣州市总工会签订闽赣两地工会协作协议，共同开展农民工服务。

三明市为困难职工建立档案5620户，发放帮扶资金860万元。
""",
)

REPORTS = (COUNTY, DISTRICT, DECLARED, NEIGHBOUR)


def write_reports(folder: Path, reports=REPORTS) -> Path:
    """Write the reports (and their metadata sidecars) into `folder`; return it."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for report in reports:
        name, text = report[0], report[1]
        (folder / name).write_text(text, encoding="utf-8")
        if len(report) > 2:
            sidecar = folder / (name + ".meta.json")
            sidecar.write_text(json.dumps(report[2], ensure_ascii=False), encoding="utf-8")
    return folder
