"""Everyday words and abbreviations people use for the reports' official terms (a general domain thesaurus)."""

from __future__ import annotations

from functools import lru_cache

# Each group: words that name the same thing in trade-union reports. Query terms are expanded with
# their group so a question in everyday words still meets the report's wording.
GROUPS: tuple[tuple[str, ...], ...] = (
    ("职代会", "职工代表大会", "代表大会"),
    ("建档", "建了档", "档案", "建立档案"),
    ("会员", "入会", "会员数"),
    ("孩子", "子女", "学生"),
    ("上学", "就学", "助学", "读书", "求学"),
    ("钱", "资金", "金额", "款"),
    ("补贴", "津贴", "补助", "补助金"),
    ("收益", "效益", "经济效益"),
    ("点子", "合理化建议", "建议"),
    ("找到工作", "就业", "再就业", "岗位"),
    ("工作", "就业"),
    ("保险", "保障", "互助", "参保"),
    ("看病", "医疗", "住院"),
    ("困难家庭", "困难职工", "困难户"),
    ("家庭", "户"),
    ("穷", "困难", "贫困"),
    ("脱贫", "摆脱贫困", "脱困"),
    ("培训", "培训班", "技能提升"),
    ("等级", "晋级", "技能晋级"),
    ("比赛", "竞赛", "大赛"),
    ("奖", "奖章", "奖状", "荣誉", "称号"),
    ("打官司", "诉讼", "劳动争议", "仲裁"),
    ("律师", "法律服务", "法律援助"),
    ("外卖", "快递", "新业态", "新就业形态"),
    ("农民工", "外来务工人员", "进城务工人员"),
    ("退休", "离退休"),
    ("劳模", "劳动模范"),
    ("开会", "会议"),
    ("热线", "电话"),
    ("志愿者", "志愿服务队", "服务队"),
    ("工会主席", "主席"),
    ("送温暖", "慰问"),
    ("降温", "清凉", "防暑"),
    ("上门", "走访", "接访", "来访"),
    ("退回", "退还", "返还"),
    ("小微企业", "中小企业", "小企业"),
    ("加入工会", "入会", "建会"),
    ("成立", "组建", "建立", "设立"),
    ("多少年", "几年"),
)


@lru_cache(maxsize=1)
def _index() -> dict[str, tuple[str, ...]]:
    out: dict[str, list[str]] = {}
    for group in GROUPS:
        for word in group:
            out.setdefault(word, [])
            out[word].extend(w for w in group if w != word and w not in out[word])
    return {k: tuple(v) for k, v in out.items()}


def related(term: str) -> tuple[str, ...]:
    """Other words for the same thing (empty when the term is in no group)."""
    return _index().get(term, ())
