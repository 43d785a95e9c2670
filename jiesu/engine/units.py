"""The default directory of handling units for Beijing, as plain records.

Plain Python (no Django) so that the decision engine's tests and the database loader build
the same units. Administrators edit the loaded rows in the admin; this module only seeds them.
"""

from __future__ import annotations

from dataclasses import dataclass

from .places import COMMUNITY, DISTRICT, SUBDISTRICT, Division

# Unit kinds. The decision engine reports them with the coarser types of `jiesu decide`
# (see ENGINE_TYPE).
MUNICIPAL_GOV = "municipal_gov"
DISTRICT_GOV = "district_gov"
SUBDISTRICT_OFFICE = "subdistrict_office"
CITY_DEPARTMENT = "city_department"
DISTRICT_DEPARTMENT = "district_department"
ENTERPRISE = "enterprise"
COMMUNITY_COMMITTEE = "community_committee"
CENTRAL_LIAISON = "central_liaison"
NEIGHBOUR_HOTLINE = "neighbour_hotline"
EMERGENCY_LINE = "emergency_line"
HOTLINE_CENTRE = "hotline_centre"
SERVICE_BUREAU = "service_bureau"
# Bodies that may assist in handling (R6.1): social organisations, trade associations and
# people's organisations. Not government: the catalog does not make them leads.
SOCIAL_ORGANISATION = "social_organisation"
TRADE_ASSOCIATION = "trade_association"
PEOPLES_ORGANISATION = "peoples_organisation"
ASSIST_ONLY_KINDS = frozenset({SOCIAL_ORGANISATION, TRADE_ASSOCIATION, PEOPLES_ORGANISATION})

UNIT_KINDS = (
    (MUNICIPAL_GOV, "市政府"),
    (DISTRICT_GOV, "区政府"),
    (SUBDISTRICT_OFFICE, "街道（乡镇）"),
    (CITY_DEPARTMENT, "市级部门"),
    (DISTRICT_DEPARTMENT, "区级部门"),
    (ENTERPRISE, "公共服务企业"),
    (COMMUNITY_COMMITTEE, "社区（村）"),
    (CENTRAL_LIAISON, "央产军产联络"),
    (NEIGHBOUR_HOTLINE, "津冀热线"),
    (EMERGENCY_LINE, "紧急热线"),
    (HOTLINE_CENTRE, "市民热线服务中心"),
    (SERVICE_BUREAU, "市政务服务局"),
    (SOCIAL_ORGANISATION, "社会组织"),
    (TRADE_ASSOCIATION, "行业协会"),
    (PEOPLES_ORGANISATION, "人民团体"),
)

ENGINE_TYPE = {
    MUNICIPAL_GOV: "district_gov",
    DISTRICT_GOV: "district_gov",
    SUBDISTRICT_OFFICE: "subdistrict",
    CITY_DEPARTMENT: "department",
    DISTRICT_DEPARTMENT: "department",
    ENTERPRISE: "enterprise",
    COMMUNITY_COMMITTEE: "community",
    CENTRAL_LIAISON: "central",
    NEIGHBOUR_HOTLINE: "neighbour_hotline",
    EMERGENCY_LINE: "emergency",
    HOTLINE_CENTRE: "centre",
    SERVICE_BUREAU: "centre",
    SOCIAL_ORGANISATION: "social",
    TRADE_ASSOCIATION: "social",
    PEOPLES_ORGANISATION: "social",
}

# What a person reads for each engine type (the decision's reasons, the call-taker's panel).
TYPE_NAMES = {
    "subdistrict": "属地街道（乡镇）",
    "department": "行业部门",
    "enterprise": "公共服务企业",
    "district_gov": "区政府",
    "community": "社区（村）",
    "central": "中央在京单位",
    "neighbour_hotline": "周边省市热线",
    "emergency": "紧急热线",
    "centre": "市民热线服务中心",
    "social": "社会组织",
}

# Sectors of government departments: (key, city bureau name, district bureau suffix or None
# where the sector has no district-level counterpart that takes 12345 orders).
DEPARTMENT_SECTORS = (
    ("urban_management", "北京市城市管理委员会", "城市管理委员会"),
    ("urban_enforcement", "北京市城市管理综合行政执法局", "城市管理综合行政执法局"),
    ("housing", "北京市住房和城乡建设委员会", "住房和城乡建设委员会"),
    ("transport", "北京市交通委员会", "交通局"),
    ("ecology", "北京市生态环境局", "生态环境局"),
    ("market_regulation", "北京市市场监督管理局", "市场监督管理局"),
    ("hr_social_security", "北京市人力资源和社会保障局", "人力资源和社会保障局"),
    ("health", "北京市卫生健康委员会", "卫生健康委员会"),
    ("education", "北京市教育委员会", "教育委员会"),
    ("public_security", "北京市公安局", "公安分局"),
    ("traffic_police", "北京市公安局公安交通管理局", "交通支队"),
    ("civil_affairs", "北京市民政局", "民政局"),
    ("water_affairs", "北京市水务局", "水务局"),
    ("landscaping", "北京市园林绿化局", "园林绿化局"),
    ("planning", "北京市规划和自然资源委员会", "规划和自然资源分局"),
    ("culture_tourism", "北京市文化和旅游局", "文化和旅游局"),
    ("medical_insurance", "北京市医疗保障局", "医疗保障局"),
    ("tax", "国家税务总局北京市税务局", "税务局"),
    ("agriculture", "北京市农业农村局", "农业农村局"),
    ("commerce", "北京市商务局", "商务局"),
    ("fire", "北京市消防救援总队", "消防救援支队"),
    ("emergency_management", "北京市应急管理局", "应急管理局"),
    ("development_reform", "北京市发展和改革委员会", "发展和改革委员会"),
    ("economy_it", "北京市经济和信息化局", "经济和信息化局"),
    ("science", "北京市科学技术委员会", None),
    ("justice", "北京市司法局", "司法局"),
    ("finance_regulation", "北京市地方金融管理局", "金融服务办公室"),
    ("veterans", "北京市退役军人事务局", "退役军人事务局"),
    ("sports", "北京市体育局", "体育局"),
    ("statistics", "北京市统计局", "统计局"),
    ("audit", "北京市审计局", None),
    ("ethnic_religious", "北京市民族宗教事务委员会", "民族宗教事务办公室"),
    ("drug_admin", "北京市药品监督管理局", None),
    ("radio_tv", "北京市广播电视局", None),
    ("cultural_heritage", "北京市文物局", None),
    ("cyberspace", "北京市互联网信息办公室", None),
    ("housing_provident_fund", "北京住房公积金管理中心", None),
    ("government_services", "北京市政务服务和数据管理局", "政务服务和数据管理局"),
    ("disabled_persons", "北京市残疾人联合会", "残疾人联合会"),
    ("women_federation", "北京市妇女联合会", None),
    ("trade_union", "北京市总工会", "总工会"),
    ("postal", "北京市邮政管理局", None),
    ("communications_admin", "北京市通信管理局", None),
    ("railway", "中国国家铁路集团有限公司北京局集团", None),
    ("airport", "首都机场集团有限公司", None),
)

# Public-service enterprises: they serve around the clock and count natural hours (R19.1).
ENTERPRISE_SECTORS = (
    ("water_supply", "北京市自来水集团有限责任公司"),
    ("drainage", "北京城市排水集团有限责任公司"),
    ("power", "国网北京市电力公司"),
    ("gas", "北京市燃气集团有限责任公司"),
    ("heating", "北京市热力集团有限责任公司"),
    ("telecom", "中国电信北京分公司"),
    ("telecom_mobile", "中国移动北京公司"),
    ("telecom_unicom", "中国联通北京市分公司"),
    ("public_transport", "北京公共交通控股（集团）有限公司"),
    ("subway", "北京市地铁运营有限公司"),
)

EMERGENCY_LINES = (
    ("110", "110 报警服务台"),
    ("119", "119 火警"),
    ("120", "120 急救中心"),
    ("122", "122 交通事故报警"),
)

NEIGHBOUR_HOTLINES = (
    ("tianjin", "天津市12345政务服务便民热线"),
    ("hebei", "河北省12345政务服务便民热线"),
)


@dataclass(frozen=True)
class UnitSpec:
    """A handling unit as seeded: `code` is stable across reloads."""

    code: str
    name: str
    kind: str
    sector: str = ""  # department or enterprise sector key; empty for territorial units
    place_code: str | None = None  # territory: the division this unit answers for
    district_code: str | None = None
    parent_code: str | None = None
    always_on: bool = False  # 24/7 service: natural-hour clocks (R19.1)


def default_units(divisions: tuple[Division, ...] | list[Division]) -> list[UnitSpec]:
    units: list[UnitSpec] = [
        UnitSpec("centre", "北京市民热线服务中心", HOTLINE_CENTRE, always_on=True),
        UnitSpec("bureau", "北京市政务服务和数据管理局（派单规则）", SERVICE_BUREAU),
        UnitSpec("gov", "北京市人民政府", MUNICIPAL_GOV),
        UnitSpec("central", "中央单位及军队在京单位诉求联络办公室", CENTRAL_LIAISON),
        # Bodies a lead may ask to assist (R6.1); never a lead, so no sector for the catalog.
        UnitSpec("soc-consumers", "北京市消费者协会", SOCIAL_ORGANISATION),
        UnitSpec("assoc-property", "北京物业管理行业协会", TRADE_ASSOCIATION),
        UnitSpec("po-union", "北京市总工会", PEOPLES_ORGANISATION),
        UnitSpec("po-women", "北京市妇女联合会", PEOPLES_ORGANISATION),
    ]
    for key, name in NEIGHBOUR_HOTLINES:
        units.append(UnitSpec(f"hotline-{key}", name, NEIGHBOUR_HOTLINE, always_on=True))
    for key, name in EMERGENCY_LINES:
        units.append(UnitSpec(f"line-{key}", name, EMERGENCY_LINE, sector=key, always_on=True))
    for key, name, _ in DEPARTMENT_SECTORS:
        units.append(UnitSpec(f"city-{key}", name, CITY_DEPARTMENT, sector=key, parent_code="gov"))
    for key, name in ENTERPRISE_SECTORS:
        units.append(UnitSpec(f"ent-{key}", name, ENTERPRISE, sector=key, always_on=True))
    for div in divisions:
        if div.level == DISTRICT:
            units.append(
                UnitSpec(
                    f"dg-{div.code}",
                    f"北京市{div.name}人民政府",
                    DISTRICT_GOV,
                    place_code=div.code,
                    district_code=div.code,
                    parent_code="gov",
                )
            )
            for key, _city_name, suffix in DEPARTMENT_SECTORS:
                if suffix:
                    units.append(
                        UnitSpec(
                            f"dd-{div.code}-{key}",
                            f"{div.name}{suffix}",
                            DISTRICT_DEPARTMENT,
                            sector=key,
                            place_code=div.code,
                            district_code=div.code,
                            parent_code=f"dg-{div.code}",
                        )
                    )
        elif div.level == SUBDISTRICT:
            office = div.name if div.name.endswith("办事处") else f"{div.name}办事处"
            if not div.name.endswith(("街道", "地区", "办事处")):
                office = f"{div.name}人民政府"  # 乡 and 镇 have a township government
            units.append(
                UnitSpec(
                    f"so-{div.code}",
                    office,
                    SUBDISTRICT_OFFICE,
                    place_code=div.code,
                    district_code=div.district_code,
                    parent_code=f"dg-{div.district_code}",
                )
            )
        elif div.level == COMMUNITY:
            committee = f"{div.name}村民委员会" if div.name.endswith("村") else f"{div.name}居民委员会"
            units.append(
                UnitSpec(
                    f"cc-{div.code}",
                    committee,
                    COMMUNITY_COMMITTEE,
                    place_code=div.code,
                    district_code=div.district_code,
                    parent_code=f"so-{div.parent_code}",
                )
            )
    return units
