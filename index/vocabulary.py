"""Trade-union terms jieba should keep whole (a general domain word list, loaded before any tokenising)."""

from __future__ import annotations

import jieba

UNION_TERMS = (
    "组建率 入会率 职工入会率 覆盖率 建制率 参保率 工会组建率 会员数 基层工会 总工会 市总工会 县总工会 "
    "工人先锋号 职工之家 模范职工之家 职工书屋 金秋助学 送温暖 送清凉 医疗互助 职工医疗互助 互助金 "
    "劳模 劳动模范 劳模创新工作室 五一劳动奖章 五一劳动奖状 集体合同 工资集体协商 集体协商 厂务公开 "
    "职代会 职工代表大会 安康杯 困难职工 困难职工档案 农民工 新业态 劳动竞赛 技能竞赛 合理化建议 "
    "工会驿站 妈妈小屋 职工服务中心 法律援助 劳动争议 维权 帮扶 慰问金 助学金 疗休养 产改 工匠 "
    "和谐企业 劳动关系 职工技术创新 五小 金蓝领 娘家人 工会经费 经审 女职工"
).split()

_loaded = False


def load_union_terms() -> None:
    """Teach jieba the domain terms once per process."""
    global _loaded
    if not _loaded:
        for term in UNION_TERMS:
            jieba.add_word(term, freq=20000, tag="n")
        _loaded = True
