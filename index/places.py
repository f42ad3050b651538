"""A small gazetteer: Chinese prefecture-level cities, their common aliases and some counties, for city detection."""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

# Fujian and Zhejiang in full (the reports' provinces), then the other large cities people ask about.
CITIES: tuple[str, ...] = (
    "福州 厦门 莆田 三明 泉州 漳州 南平 龙岩 宁德 "
    "杭州 宁波 温州 嘉兴 湖州 绍兴 金华 衢州 舟山 台州 丽水 "
    "北京 上海 天津 重庆 广州 深圳 珠海 汕头 佛山 东莞 中山 惠州 江门 湛江 梅州 潮州 揭阳 韶关 肇庆 清远 "
    "南京 苏州 无锡 常州 南通 扬州 徐州 镇江 泰州 盐城 淮安 连云港 宿迁 "
    "合肥 芜湖 蚌埠 安庆 黄山 南昌 赣州 九江 上饶 景德镇 吉安 抚州 "
    "济南 青岛 烟台 潍坊 淄博 威海 临沂 济宁 郑州 洛阳 开封 "
    "武汉 宜昌 襄阳 长沙 株洲 湘潭 岳阳 衡阳 南宁 桂林 柳州 北海 海口 三亚 "
    "成都 绵阳 宜宾 贵阳 遵义 昆明 大理 丽江 拉萨 西安 宝鸡 延安 兰州 西宁 银川 乌鲁木齐 "
    "石家庄 唐山 保定 秦皇岛 邯郸 太原 大同 呼和浩特 包头 沈阳 大连 鞍山 长春 吉林 哈尔滨 大庆 "
    "香港 澳门 台北 高雄"
).split()

# Alias or county -> city. Only names that point at one city without doubt.
ALIASES: dict[str, str] = {
    "闽北": "南平",
    "闽西": "龙岩",
    "榕城": "福州",
    "鹭岛": "厦门",
    "鹭城": "厦门",
    "刺桐": "泉州",
    "鲤城": "泉州",
    "温陵": "泉州",
    "三衢": "衢州",
    "甬城": "宁波",
    "鹿城": "温州",
    "申城": "上海",
    "羊城": "广州",
    "鹏城": "深圳",
    "京城": "北京",
    "蓉城": "成都",
    "泉城": "济南",
    "星城": "长沙",
    "江城": "武汉",
    "春城": "昆明",
    # Longyan's counties and districts
    "长汀": "龙岩",
    "新罗": "龙岩",
    "漳平": "龙岩",
    "上杭": "龙岩",
    "永定": "龙岩",
    "武平": "龙岩",
    "连城": "龙岩",
    # Zhangzhou's
    "芗城": "漳州",
    "龙文": "漳州",
    "龙海": "漳州",
    "云霄": "漳州",
    "漳浦": "漳州",
    "诏安": "漳州",
    "东山县": "漳州",
    "平和县": "漳州",
    "南靖": "漳州",
    "华安": "漳州",
    "长泰": "漳州",
    # Nanping's
    "延平": "南平",
    "建瓯": "南平",
    "武夷山": "南平",
    "邵武": "南平",
    "建阳": "南平",
    "顺昌": "南平",
    "浦城": "南平",
    "光泽": "南平",
    "松溪": "南平",
    "政和": "南平",
    # Quzhou's
    "柯城": "衢州",
    "衢江": "衢州",
    "龙游": "衢州",
    "江山市": "衢州",
    "常山县": "衢州",
    "开化": "衢州",
}

PROVINCES: tuple[str, ...] = tuple(
    "福建 浙江 广东 江苏 安徽 江西 山东 河南 湖北 湖南 广西 海南 四川 贵州 云南 西藏 陕西 甘肃 青海 宁夏 新疆 "
    "河北 山西 内蒙古 辽宁 吉林 黑龙江 台湾".split()
)


@lru_cache(maxsize=1)
def place_pattern() -> re.Pattern[str]:
    """One regex for every city name and alias, longest first."""
    names = sorted(set(CITIES) | set(ALIASES), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, names)))


def city_of(name: str) -> str:
    """The city a name or alias stands for."""
    return ALIASES.get(name, name)


def find_cities(text: str) -> list[str]:
    """Cities named in the text (aliases resolved), in order of first mention, without repeats."""
    seen: list[str] = []
    for match in place_pattern().finditer(text):
        city = city_of(match.group())
        if city not in seen:
            seen.append(city)
    return seen


def count_cities(text: str) -> Counter[str]:
    """How often each city is named in the text (aliases resolved)."""
    return Counter(city_of(m.group()) for m in place_pattern().finditer(text))
