"""Inside a residential compound or community the township office leads what the property company
and the community should settle, the catalog's department assisting (lexicons
`compound_township`); the same matter outside a compound keeps the catalog's route (issue 11,
round 23)."""

from jiesu.engine.route import CompoundRouter
from jiesu.engine.rules import RuleSet


def lead(d):
    return next((u for u in d.units if u.role in ("lead", "coordinate")), None)


def test_compound_cue_is_a_word_and_health_centres_are_not_the_community():
    router = CompoundRouter(RuleSet.from_defaults().lexicons["compound_township"])
    assert router.village_cue("我们小区的电梯一周坏三回") == "小区"
    assert router.village_cue("社区医院的流感疫苗没货了") is None
    assert router.village_cue("宣武门地铁站A口边上井盖没了") is None


def test_a_lift_in_a_compound_goes_to_the_township_office(decide):
    d = decide("丰台区方庄地区芳群园一区，我们小区那栋楼的电梯一周坏三回，老人只能爬十八层楼，物业一直拖着不修。")
    assert d.matter_code == "market.equipment.elevator"
    assert lead(d).type == "subdistrict" and lead(d).name.startswith("方庄")
    assert ("department", "assist") in [(u.type, u.role) for u in d.units]
    assert any("居民小区（社区）内" in r for r in d.reasons)


def test_cars_on_a_compound_fire_lane_go_to_the_township_office(decide):
    d = decide("朝阳区团结湖街道，小区里的消防通道天天被外来车辆占着停车，上礼拜救护车都进不来。")
    assert d.matter_code == "traffic.order.illegal_parking"
    assert lead(d).type == "subdistrict"


def test_the_same_matter_in_the_street_keeps_the_catalog_route(decide):
    d = decide("朝阳区团结湖街道，团结湖路上天天有私家车违章停车占用非机动车道，骑车只能绕到机动车道上。")
    assert d.matter_code == "traffic.order.illegal_parking"
    assert lead(d).type == "department"


def test_a_matter_not_listed_keeps_its_route_inside_a_compound(decide):
    d = decide("海淀区学院路街道，我们小区整栋楼突然停电了，电梯也停了，家里冰箱的东西都要坏了。")
    assert lead(d).type == "enterprise"
