"""The demo centre's Beijing-Tianjin-Hebei linkage (R21.1), through jiesu.linkage's services (`jiesu demo`).

Both neighbours are configured as an administrator would: their Open311 address, and the Open311
client each uses to send us requests. The demo has no Tianjin or Hebei server to talk to, so no
key for theirs is stored (the transfer follow-up job then leaves them alone) and what a neighbour
does is played through the paths that need no live server:

- out: calls about Tianjin and Hebei are taken and decided by the engine, and the dispatcher
  records each handover as the neighbour's staff acknowledged it on the phone
  (services.record_acknowledged_transfer: the same Transfer, event and status as an Open311 POST);
  their progress and closes reported back the same way (services.record_reported_progress);
- in: the neighbours' requests arrive through our Open311 server's own service
  (open311.services.submit_request, what their POST calls), so the engine decides them and the
  linkage marks them as the neighbour's; one is not Beijing's and goes back
  (services.record_acknowledged_return), and one of ours comes back from Hebei as not theirs.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import QueryDict
from django.utils import timezone

from jiesu.directory.models import Unit, User

NEIGHBOURS = (
    # unit code, client name, GeoReport v2 address, prefix of their order numbers
    ("hotline-tianjin", "天津市12345政务服务便民热线", "https://12345.tj.gov.cn/open311/v2", "TJ"),
    ("hotline-hebei", "河北省12345政务服务便民热线", "https://12345.hebei.gov.cn/open311/v2", "HB"),
)

# Calls about places across the border: (hotline, phone, kind, content, place, acknowledged by,
# what they reported back: [(progress, closed)]).
OUTGOING = (
    (
        "hotline-tianjin",
        "13811206688",
        "complaint",
        "我在天津武清区买的临街商铺，开发商一直不给办产权证，已经拖了两年，北京这边联系不上开发商。",
        "天津市武清区",
        "天津12345热线话务员刘芳（工号1027）",
        [("已转武清区住建委核实，正在约谈开发商。", False)],
    ),
    (
        "hotline-hebei",
        "13501187766",
        "complaint",
        "我住在燕郊，每天坐814路进京上班，早高峰燕郊站排队要一个多小时，希望增加班次。",
        "河北省三河市燕郊镇",
        "河北12345热线话务员王静（工号2213）",
        [
            ("已转三河市交通运输局办理。", False),
            ("三河市交通运输局已协调公交公司早高峰加开6个班次，已电话告知诉求人。", True),
        ],
    ),
    (
        "hotline-hebei",
        "18610453321",
        "help",
        "父亲在河北廊坊固安县的养老院住，养老院说要涨一倍费用，否则让老人搬走，想请当地部门帮忙协调。",
        "河北省廊坊市固安县",
        "河北12345热线话务员赵磊（工号2087）",
        [("已转固安县民政局，民政局已约谈养老机构负责人。", False)],
    ),
    (
        "hotline-tianjin",
        "13681023345",
        "report",
        "天津滨海新区一家物流公司拖欠我们北京过去的十几个司机三个月运费，公司在天津注册，北京这边不管。",
        "天津市滨海新区",
        "天津12345热线话务员孙伟（工号1133）",
        [("已转滨海新区人社局劳动保障监察支队立案调查。", False), ("运费已全部结清，诉求人确认收到。", True)],
    ),
    (
        "hotline-hebei",
        "13910027788",
        "complaint",
        "我在河北涿州买的房子说好去年交房，现在还没交，开发商售楼处已经关门，北京的家人都很着急。",
        "河北省保定市涿州市",
        "河北12345热线话务员李娜（工号2301）",
        [],
    ),
    (
        "hotline-tianjin",
        "18911235567",
        "help",
        "我母亲一个人住在天津河西区，社区原来每周上门的助老员这个月一直没来，老人腿脚不便，想请天津那边社区帮忙照看。",
        "天津市河西区",
        "天津12345热线话务员周敏（工号1045）",
        [("河西区民政局已安排社区助老员恢复每周上门，并已电话告知诉求人。", True)],
    ),
)

# What the neighbours' callers asked of Beijing: (hotline, their number suffix, service code,
# description, address, goes back to them: reason or "").
INCOMING = (
    (
        "hotline-tianjin",
        "0318",
        "market.consumer.refund",
        "我是天津市民，在北京朝阳区望京一家健身房办了年卡，现在店铺关门了，要求退还剩余费用。",
        "北京市朝阳区望京街道望京西园三区",
        "",
    ),
    (
        "hotline-hebei",
        "1102",
        "traffic.bus.service",
        "从河北固安坐公交进京，到北京大兴区黄村站后换乘的公交站台没有遮阳棚，夏天等车很晒，建议增设。",
        "北京市大兴区黄村镇",
        "",
    ),
    (
        "hotline-tianjin",
        "0342",
        "utility.heating.not_warm",
        "我家在天津市和平区，今年暖气一直不热，室内只有15度，供热公司电话打不通。",
        "天津市和平区",
        "诉求地点在天津市和平区，由天津市供热主管部门办理，不属北京市办理范围。",
    ),
    (
        "hotline-hebei",
        "1187",
        "urban.property.service",
        "我住北京通州区梨园镇的小区，物业不管楼道堆放杂物，消防通道被堵，多次反映无果。",
        "北京市通州区梨园镇",
        "",
    ),
)

# Hebei finds that one of the orders we handed over is Beijing's after all, and sends it back.
SENT_BACK_NOTE = "经核实，诉求人所购房屋开发商注册地及售楼处均在北京市通州区，请北京市协调处理。"


def _configure(code: str, name: str, url: str):
    """The neighbour's endpoint as an administrator sets it up: address and inbound client, no key."""
    from jiesu.linkage.models import NeighbourHotline
    from jiesu.open311 import services as open311
    from jiesu.open311.models import ApiClient

    unit = Unit.objects.filter(code=code, active=True).first()
    if unit is None:
        return None
    client = ApiClient.objects.filter(name=name).first()
    if client is None:
        client = ApiClient(name=name, contact=f"{unit.name}值班室", rate_limit_per_minute=600)
        open311.create_client(client)  # the key would go to the neighbour; the demo plays them in-process
    hotline = NeighbourHotline.objects.filter(unit=unit).first() or NeighbourHotline(unit=unit, base_url=url)
    hotline.inbound_client = client
    hotline.full_clean()
    hotline.save()
    return hotline


def add_linkage_demo(out) -> dict[str, int]:
    from jiesu.intake.services import take_request
    from jiesu.linkage import services as linkage
    from jiesu.linkage.models import NeighbourHotline, Transfer
    from jiesu.open311 import services as open311
    from jiesu.open311.params import RequestPost
    from jiesu.orders import services as orders

    done: dict[str, int] = {}

    def step(key: str, label: str, fn, *args, **kwargs):
        try:
            result = fn(*args, **kwargs)
        except (ValidationError, PermissionDenied) as exc:
            out.write(f"  linkage demo step skipped ({label}): {'; '.join(getattr(exc, 'messages', [str(exc)]))}\n")
            return None
        done[key] = done.get(key, 0) + 1
        return result

    call_taker = User.objects.filter(username="calltaker").first()
    dispatcher = User.objects.filter(username="dispatcher").first()
    if call_taker is None or dispatcher is None:
        return done
    hotlines = {code: _configure(code, name, url) for code, name, url, _prefix in NEIGHBOURS}
    prefixes = {code: prefix for code, _name, _url, prefix in NEIGHBOURS}
    if not all(hotlines.values()):
        return done
    today = timezone.localdate()
    if Transfer.objects.exists():
        return done  # a second `jiesu demo` run: the linkage history is there already

    # Out: the calls, the engine's decision, the handover the neighbour acknowledged, their news.
    transfers = []
    for i, (code, phone, kind, content, place, taken_by, news) in enumerate(OUTGOING, start=1):
        order = step(
            "calls",
            "cross-region call",
            take_request,
            orders.IntakeData(channel="phone", kind=kind, content=content, location_text=place, requester_phone=phone),
            actor=call_taker,
        )
        if order is None:
            continue
        transfer = step(
            "transferred",
            f"transfer {order.number}",
            linkage.record_acknowledged_transfer,
            order,
            actor=dispatcher,
            hotline_unit=hotlines[code].unit,
            reason=f"诉求事项发生在{place}，属{hotlines[code].unit.name}所在地办理，经电话联系对方受理。",
            remote_id=f"{prefixes[code]}{today:%Y%m%d}{i * 37 + 100:05d}",
            acknowledged_by=taken_by,
            # Cross-region by the matter the engine chose, or by the dispatcher's judgement.
            judged_cross_region=True,
        )
        if transfer is None:
            continue
        for progress, closed in news:
            transfer = (
                step(
                    "closed" if closed else "progress",
                    f"progress {order.number}",
                    linkage.record_reported_progress,
                    transfer,
                    actor=dispatcher,
                    description=progress,
                    closed=closed,
                )
                or transfer
            )
        transfers.append(transfer)

    # In: the neighbours' POSTs through our Open311 server's service.
    for code, suffix, service_code, description, address, back in INCOMING:
        hotline = NeighbourHotline.objects.select_related("inbound_client").get(pk=hotlines[code].pk)
        theirs = f"{prefixes[code]}{today:%Y%m%d}0{suffix}"
        post = QueryDict(mutable=True)
        post.update(
            {
                "service_code": service_code,
                "description": description,
                "address_string": address,
                f"attribute[{linkage.PARTNER_ID}]": theirs,
                f"attribute[{linkage.TRANSFER_NOTE}]": "诉求事项发生在北京市，请北京市12345热线办理。",
            }
        )
        submission = step(
            "received", f"received {theirs}", open311.submit_request, hotline.inbound_client, RequestPost.parse(post)
        )
        if submission is None or not back:
            continue
        step(
            "returned",
            f"return {submission.order.number}",
            linkage.record_acknowledged_return,
            submission.order,
            actor=dispatcher,
            reason=back,
            remote_id=theirs,
            acknowledged_by=f"{hotline.unit.name}值班长",
        )

    # Hebei sends one of ours back: a new request carrying our number, as their server would.
    open_hebei = [t for t in transfers if t.hotline.unit.code == "hotline-hebei" and t.remote_status == Transfer.OPEN]
    if open_hebei:
        original = open_hebei[-1]
        hotline = NeighbourHotline.objects.select_related("inbound_client").get(pk=original.hotline_id)
        post = QueryDict(mutable=True)
        post.update(
            {
                "service_code": "urban.realestate.delivery",
                "description": original.order.content,
                "address_string": "北京市通州区",
                f"attribute[{linkage.PARTNER_ID}]": original.remote_id,
                f"attribute[{linkage.RETURNED_ID}]": original.order.number,
                f"attribute[{linkage.TRANSFER_NOTE}]": SENT_BACK_NOTE,
            }
        )
        step("sent_back", "sent back", open311.submit_request, hotline.inbound_client, RequestPost.parse(post))
    return done
