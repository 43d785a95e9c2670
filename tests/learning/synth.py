"""A small generated Chinese hotline dataset: five matters, messages from 15 to ~600 characters,
with shared filler so the classes are not separable by length or boilerplate alone."""

from __future__ import annotations

import random

PLACES = [
    "朝阳区望京街道",
    "海淀区中关村",
    "东城区和平里",
    "西城区月坛",
    "丰台区方庄",
    "通州区梨园镇",
    "昌平区回龙观",
    "大兴区亦庄",
]
OPENERS = ["您好，", "我是附近居民，", "反映一个问题：", "", "市民来电称，", "再次反映，"]
CLOSERS = ["请相关部门尽快处理。", "希望早日解决。", "谢谢！", "", "已经反映多次了，请重视。", "请派人来看看。"]
FILLER = [
    "这个情况已经持续好几天了",
    "家里有老人和孩子",
    "给生活带来很大不便",
    "之前打过电话没有结果",
    "周围邻居也都很有意见",
    "希望能给个答复",
    "具体位置在小区东门附近",
    "每天早晚都是这样",
]
MATTERS = {
    "water": ["停水", "自来水", "水压低", "水管爆裂", "没有水用", "供水", "水龙头不出水", "二次供水水箱"],
    "noise": ["噪音", "施工扰民", "夜间施工", "广场舞音响", "装修噪音", "吵得睡不着", "工地半夜打桩", "商户喇叭"],
    "property": ["物业", "物业费", "电梯坏了", "楼道垃圾", "物业公司不作为", "门禁损坏", "小区保洁", "车位被占"],
    "traffic": [
        "红绿灯",
        "公交车",
        "违章停车",
        "道路拥堵",
        "公交站牌",
        "路口信号灯坏了",
        "出租车拒载",
        "占用人行道停车",
    ],
    "wage": ["拖欠工资", "欠薪", "工资没发", "劳动合同", "社保没交", "加班费", "老板跑路不发工资", "农民工工资"],
}
LABELS = sorted(MATTERS)


def message(rnd: random.Random, label: str, long: bool = False) -> str:
    words = MATTERS[label]
    place = rnd.choice(PLACES)
    core = f"{place}{rnd.choice(words)}，{rnd.choice(words)}"
    if rnd.random() < 0.3:
        # A stray word from another matter: real calls mention several things.
        core += "，还有" + rnd.choice(MATTERS[rnd.choice(LABELS)])
    parts = [rnd.choice(OPENERS), core]
    n_fill = rnd.randint(8, 30) if long else rnd.randint(0, 3)
    parts += [rnd.choice(FILLER) + "，" for _ in range(n_fill)]
    parts.append(rnd.choice(CLOSERS))
    return "".join(parts)


def dataset(n: int, seed: int = 0, noise: float = 0.0) -> list[tuple[str, str]]:
    """n (text, label) rows; ``noise`` is the share of labels replaced by a random one."""
    rnd = random.Random(seed)
    rows = []
    for i in range(n):
        label = LABELS[i % len(LABELS)]
        text = message(rnd, label, long=rnd.random() < 0.2)
        if noise and rnd.random() < noise:
            label = rnd.choice(LABELS)
        rows.append((text, label))
    return rows
