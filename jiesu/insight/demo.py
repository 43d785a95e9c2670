"""Demo content for insight, for `jiesu demo` to call (the demo package is not ours to change):
a burst of water-outage calls in one Wangjing community and one stability-risk call, filed the way
call-takers file them, then one alert check, so a fresh demo shows alerts and unit notifications.

    from jiesu.insight.demo import add_alert_demo
    add_alert_demo(call_taker)
"""

from __future__ import annotations

from django.db import transaction

from . import services

WATER = [
    "朝阳区望京街道望京西园三区从早上开始停水了，家里没水做饭",
    "望京街道望京西园三区停水了，什么时候来水？",
    "朝阳区望京西园三区突然停水，没有任何通知",
    "望京西园三区小区停水两个小时了，老人孩子都等着用水",
    "朝阳区望京街道望京西园三区自来水停了，水龙头不出水",
]
RISK = "朝阳区望京街道一个工地拖欠我们几十个工人的工资半年了，明天大家准备去区政府门口拉横幅"


def add_alert_demo(call_taker, *, water_calls: int = 12) -> services.CheckResult:
    from jiesu.intake.services import decide_or_leave_for_review
    from jiesu.orders import services as orders

    for i, text in enumerate([WATER[i % len(WATER)] for i in range(water_calls)] + [RISK]):
        with transaction.atomic():
            order = orders.create_order(orders.IntakeData(channel="phone", kind="complaint", content=text,
                                                          requester_phone=f"1380000{i:04d}"), actor=call_taker)
            decide_or_leave_for_review(order, locked=True)
    return services.check_alerts()
