"""Fixtures of 每月一题 (R24.1): two months of located orders on two matters, with return visits,
made through the intake service at pinned times (placed and classified as the engine would)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 7, 20, 10, 0, tzinfo=TZ)
FUMES, NOISE = "env.air.cooking_fume", "env.noise.commercial"


@pytest.fixture
def chaoyang(db):
    from jiesu.directory.models import Place

    district = Place.objects.get(level="district", name="朝阳区")
    wangjing = Place.objects.get(level="subdistrict", name="望京街道", parent=district)
    other = Place.objects.filter(level="subdistrict", parent=district).exclude(pk=wangjing.pk).order_by("code").first()
    return {"district": district, "wangjing": wangjing, "other": other}


@pytest.fixture
def month_orders(make_order, chaoyang):
    """June 2026: 6 fume orders (one caller three times, two townships; 2 of 3 evaluations
    不满意) and 5 noise orders; May: 2 fume and 5 noise orders."""
    from jiesu.followup.models import ReturnVisit
    from jiesu.orders.models import WorkOrder

    made = {"june_fumes": [], "may_fumes": [], "june_noise": [], "may_noise": []}

    def order(key, at, matter, township, phone):
        with time_machine.travel(at, tick=False):
            o = make_order(content="楼下餐馆油烟太大" if matter == FUMES else "商铺音响噪音扰民", requester_phone=phone)
        WorkOrder.objects.filter(pk=o.pk).update(
            matter_code=matter, district=chaoyang["district"], subdistrict=township
        )
        made[key].append(o)
        return o

    for i in range(6):
        order(
            "june_fumes",
            datetime(2026, 6, 2 + i, 9, tzinfo=TZ),
            FUMES,
            chaoyang["wangjing"] if i % 2 == 0 else chaoyang["other"],
            "13900000001" if i < 3 else f"1390000100{i}",
        )
    for i in range(2):
        order("may_fumes", datetime(2026, 5, 10 + i, 9, tzinfo=TZ), FUMES, chaoyang["wangjing"], f"1390000200{i}")
    for month, key in ((6, "june_noise"), (5, "may_noise")):
        for i in range(5):
            order(
                key, datetime(2026, month, 12 + i, 15, tzinfo=TZ), NOISE, chaoyang["wangjing"], f"139000{month}300{i}"
            )
    for o, satisfaction in zip(made["june_fumes"][:3], ("unsatisfied", "unsatisfied", "satisfied")):
        ReturnVisit.objects.create(
            order=o, reason="replied", state="done", queued_at=NOW, visited_at=NOW, satisfaction=satisfaction
        )
    return made
