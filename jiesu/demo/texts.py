"""Word lists and text templates for generated demo orders (all written for this project).

Plain data, no Django. `jiesu.demo.orders` picks a matter by season, a template by kind and
fills its slots; the result reads like what a call-taker types while a citizen talks.
Matter codes follow the default matter taxonomy (e.g. ``utility.heating.not_warm``) and each
matter says which kind of unit leads it:

- ``so``: the township-level office of the place (街道办事处 / 乡镇政府)
- ``dd:<sector>``: the district department of that sector
- ``ent:<sector>``: a public-service enterprise (24/7, natural hours)
- ``city:<sector>``: a city department
- ``dg``: the district government
"""

from __future__ import annotations

from dataclasses import dataclass

# ---------------------------------------------------------------------------------------------
# People

# Common surnames, most frequent first, with rough weights.
SURNAMES = (
    ("王", 72),
    ("李", 71),
    ("张", 68),
    ("刘", 54),
    ("陈", 45),
    ("杨", 31),
    ("赵", 22),
    ("黄", 22),
    ("周", 21),
    ("吴", 20),
    ("徐", 16),
    ("孙", 15),
    ("胡", 13),
    ("朱", 13),
    ("高", 12),
    ("林", 11),
    ("何", 11),
    ("郭", 11),
    ("马", 11),
    ("罗", 9),
    ("梁", 8),
    ("宋", 8),
    ("郑", 8),
    ("谢", 7),
    ("韩", 7),
    ("唐", 6),
    ("冯", 6),
    ("于", 6),
    ("董", 6),
    ("萧", 5),
    ("程", 5),
    ("曹", 5),
    ("袁", 5),
    ("邓", 5),
    ("许", 5),
    ("傅", 5),
    ("沈", 4),
    ("曾", 4),
    ("彭", 4),
    ("吕", 4),
    ("苏", 4),
    ("卢", 4),
    ("蒋", 4),
    ("蔡", 4),
    ("贾", 4),
    ("丁", 3),
    ("魏", 3),
    ("薛", 3),
    ("叶", 3),
    ("阎", 3),
    ("余", 3),
    ("潘", 3),
    ("杜", 3),
    ("戴", 3),
    ("夏", 3),
    ("钟", 3),
    ("汪", 3),
    ("田", 3),
    ("任", 3),
    ("姜", 3),
    ("范", 3),
    ("方", 3),
    ("石", 3),
    ("姚", 3),
    ("谭", 2),
    ("廖", 2),
    ("邹", 2),
    ("熊", 2),
    ("金", 2),
    ("陆", 2),
    ("郝", 2),
    ("孔", 2),
    ("白", 2),
    ("崔", 2),
    ("康", 2),
    ("毛", 2),
    ("邱", 2),
    ("秦", 2),
    ("江", 2),
    ("史", 2),
    ("顾", 2),
    ("侯", 2),
    ("邵", 2),
    ("孟", 2),
    ("龙", 2),
    ("万", 2),
    ("段", 2),
    ("雷", 2),
    ("钱", 2),
    ("汤", 2),
    ("尹", 2),
    ("黎", 2),
    ("易", 2),
    ("常", 2),
    ("武", 2),
    ("乔", 2),
    ("贺", 2),
    ("赖", 1),
    ("龚", 1),
    ("文", 1),
    ("欧阳", 1),
    ("司马", 1),
    ("诸葛", 1),
)

# Characters common in given names; a given name is one or two of them.
GIVEN_CHARS = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志伟文辉力鹏宇浩然子涵欣怡"
    "梓轩思远晨阳佳琪雨桐一鸣俊杰嘉怡婷雪梅海燕春生秋菊冬梅淑珍凤兰德胜永福长江卫东学军立新"
    "晓东晓燕丽娟金凤玉珍桂芝宏伟振华建华国强子墨诗雨梦瑶博文昊天皓轩紫萱可馨若曦"
)

# Mobile prefixes in use in mainland China.
MOBILE_PREFIXES = (
    "130",
    "131",
    "132",
    "133",
    "134",
    "135",
    "136",
    "137",
    "138",
    "139",
    "145",
    "147",
    "150",
    "151",
    "152",
    "153",
    "155",
    "156",
    "157",
    "158",
    "159",
    "166",
    "173",
    "175",
    "176",
    "177",
    "178",
    "180",
    "181",
    "182",
    "183",
    "184",
    "185",
    "186",
    "187",
    "188",
    "189",
    "191",
    "198",
    "199",
)

# Beijing district codes used in the first six digits of a resident identity number.
ID_REGIONS = (
    "110101",
    "110102",
    "110105",
    "110106",
    "110107",
    "110108",
    "110109",
    "110111",
    "110112",
    "110113",
    "110114",
    "110115",
    "110116",
    "110117",
    "110118",
    "110119",
)

ORG_WORDS = (
    "华远",
    "盛达",
    "恒信",
    "博通",
    "鼎盛",
    "创源",
    "新锐",
    "天成",
    "宏图",
    "佳和",
    "京誉",
    "安泰",
    "汇智",
    "中科瑞",
    "金桥",
    "润丰",
    "远航",
    "诚信达",
    "永盛",
    "嘉禾",
)
ORG_TRADES = (
    "科技",
    "建筑工程",
    "商贸",
    "劳务派遣",
    "文化传媒",
    "装饰工程",
    "教育科技",
    "家政服务",
    "餐饮管理",
    "物流",
    "信息技术",
    "房地产经纪",
)

# ---------------------------------------------------------------------------------------------
# Slot fillers

WHEN = (
    "最近一个月",
    "这几天",
    "从上周开始",
    "近半年来",
    "这两个月",
    "从上个月开始",
    "今年以来",
    "最近一段时间",
    "已经有一年多了",
    "从前天开始",
    "这一周",
)
NIGHT = ("晚上十点以后", "凌晨两三点", "每天早上六点", "夜里十一点多", "半夜", "每天晚上", "周末一大早")
SHOP_WORDS = (
    "老北京",
    "川味",
    "兴旺",
    "福满楼",
    "好再来",
    "鑫源",
    "金鼎",
    "聚福",
    "湘味",
    "东北人家",
    "小肥羊",
    "旺角",
    "鸿运",
    "一品",
    "乐购",
)
SHOP_TYPES = (
    "烧烤店",
    "火锅店",
    "餐馆",
    "超市",
    "洗浴中心",
    "KTV",
    "汽修店",
    "健身房",
    "理发店",
    "水果店",
    "便利店",
    "麻辣烫",
    "台球厅",
    "棋牌室",
    "早点铺",
)
PROPERTY_WORDS = ("金碧", "万和", "安居", "嘉宝", "鸿坤", "首开", "城建", "宜居", "合众", "美家")
DIRECTIONS = ("东", "南", "西", "北")
SPOTS = (
    "东门",
    "南门",
    "西门",
    "北门",
    "东门外",
    "楼下",
    "单元门口",
    "地下车库",
    "花园",
    "路口",
    "公交站旁",
    "菜市场门口",
    "围墙外",
)
CHILD = ("孩子", "女儿", "儿子", "孙子", "外孙女")
GOODS = ("羽绒服", "手机", "电动车", "洗衣机", "空调", "奶粉", "保健品", "家具", "电热水器", "电脑")
JOBS = ("保安", "保洁", "装修工", "外卖骑手", "厨师", "服务员", "快递员", "电工", "钢筋工", "销售")

# ---------------------------------------------------------------------------------------------
# Matters

# Monthly factors, January first.
ALL_YEAR = (1,) * 12
HEATING = (2.6, 2.2, 1.6, 0.6, 0.05, 0.03, 0.03, 0.03, 0.08, 0.4, 2.4, 3.0)
HEATING_FEE = (0.5, 0.3, 0.2, 0.1, 0.1, 0.1, 0.1, 0.2, 0.9, 1.8, 2.0, 0.8)
SUMMER = (0.5, 0.5, 0.7, 0.9, 1.2, 1.5, 1.7, 1.6, 1.2, 0.9, 0.6, 0.5)
RAINY = (0.1, 0.1, 0.2, 0.4, 0.7, 1.6, 3.5, 3.0, 1.0, 0.3, 0.1, 0.1)
SPRING = (0.3, 0.4, 1.2, 3.0, 2.4, 0.8, 0.5, 0.5, 0.6, 0.6, 0.4, 0.3)
WAGES = (2.2, 1.6, 0.9, 0.8, 0.8, 0.8, 0.9, 0.8, 0.8, 0.9, 1.1, 1.8)
ENROLMENT = (0.4, 0.5, 0.8, 1.8, 2.2, 2.0, 1.8, 1.6, 1.0, 0.4, 0.3, 0.3)
EXAMS = (0.4, 0.3, 0.5, 0.7, 1.0, 3.5, 2.5, 0.8, 0.5, 0.4, 0.5, 0.9)
TAX = (0.6, 0.6, 2.2, 2.0, 1.8, 1.4, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6)
FESTIVAL = (2.5, 3.0, 0.4, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.5, 0.3, 0.8)


@dataclass(frozen=True)
class MatterText:
    code: str
    weight: float  # share of all orders, in per mille
    lead: str  # see the module docstring
    templates: tuple[tuple[str, str], ...]  # (kind, text with {slots})
    season: tuple[float, ...] = ALL_YEAR
    source_line: str = ""  # a merged hotline that also takes this matter


MATTERS: tuple[MatterText, ...] = (
    # --- property and housing ------------------------------------------------------------------
    MatterText(
        "urban.property.service",
        55,
        "so",
        (
            ("complaint", "我住在{addr}，{pm}{when}基本不管事，楼道没人打扫，垃圾堆在单元门口好几天，找物业也没人理。"),
            ("complaint", "{addr}的{pm}服务太差，电梯坏了报修三天没人来修，老人上下楼非常困难。"),
            (
                "complaint",
                "{estate}{when}保安经常不在岗，外来人员随便进出，小区里丢了好几辆电动车，物业推说不归他们管。",
            ),
            ("help", "{addr}单元门的门禁坏了{days}天，物业一直说等配件，希望帮忙督促尽快修好。"),
            ("suggestion", "建议{estate}的物业公开服务标准和收支情况，定期听取业主意见，现在业主对物业意见很大。"),
        ),
        source_line="12319",
    ),
    MatterText(
        "urban.property.fee",
        22,
        "so",
        (
            ("complaint", "{pm}今年突然把物业费从每平米{fee}，没有开业主大会，也没有公示，业主都不认可。"),
            ("complaint", "我家住{addr}，因为没交停车管理费，物业就不给我家门禁卡充值，这样做合理吗？"),
            ("consultation", "想咨询一下，{estate}物业服务不到位，业主能不能拒交物业费？物业费的收费标准由谁来定？"),
        ),
    ),
    MatterText(
        "urban.property.facilities",
        30,
        "so",
        (
            ("help", "{addr}楼道里的灯坏了{when}，晚上黑乎乎的，家里老人上下楼摔过一次，希望尽快修一下。"),
            ("help", "{estate}的{spot}地面塌了一个坑，下雨就积水，希望安排人修补。"),
            ("complaint", "{addr}的二次供水水箱{when}没有清洗过，水里有黄色杂质，物业一直拖着。"),
            ("suggestion", "{estate}里健身器材都坏了，建议更换一批，再在{spot}加几把休息座椅。"),
        ),
    ),
    MatterText(
        "urban.property.no_property",
        10,
        "so",
        (
            ("help", "{addr}是老旧小区，一直没有物业，{spot}的垃圾没人清，下水道也经常堵，希望街道帮忙引进物业。"),
            ("suggestion", "建议给{cm}这种没有物业的老楼安排准物业服务，起码有人管管卫生和停车。"),
        ),
    ),
    MatterText(
        "urban.house.leak",
        18,
        "so",
        (
            ("help", "我家在{addr}顶层，屋顶{when}一下雨就漏水，墙皮都泡掉了，找物业说要用维修资金，一直没人管。"),
            ("complaint", "楼上邻居家卫生间漏水，渗到我家{addr}的天花板，多次沟通对方不配合维修，希望社区协调。"),
        ),
        season=RAINY,
    ),
    MatterText(
        "urban.house.elevator_install",
        10,
        "so",
        (
            ("consultation", "我们{addr}是六层老楼，想咨询一下加装电梯需要多少户同意？政府有没有补贴？"),
            ("help", "{addr}加装电梯已经签了意见，一楼住户一直反对，项目卡住了，希望街道出面协调。"),
            ("suggestion", "{estate}住的大多是{age}多岁的老人，建议尽快推进老楼加装电梯。"),
        ),
    ),
    MatterText(
        "urban.house.decoration",
        10,
        "so",
        (
            ("complaint", "{addr}有住户装修，{when}天天砸墙，中午和周末也不停，噪音特别大。"),
            ("report", "举报{addr}有住户装修时拆改承重墙，担心影响整栋楼的安全，请相关部门核查。"),
        ),
    ),
    MatterText(
        "urban.illegal.construction",
        28,
        "so",
        (
            ("report", "举报{addr}一楼住户私自扩建院子，砌了一圈砖墙，占用了小区公共绿地。"),
            ("report", "{estate}{spot}有人正在私搭乱建，盖了一间彩钢房，请城管尽快制止。"),
            ("report", "{cm}村有人在耕地上违法盖房，{when}一直在施工，没有看到任何审批手续。"),
            ("complaint", "之前反映过{addr}的违建问题，回复说要拆除，到现在{months}个月了还没拆。"),
        ),
    ),
    MatterText(
        "urban.illegal.rooftop",
        8,
        "so",
        (("report", "举报{addr}顶层住户在楼顶私自加盖阳光房，楼顶防水层都被破坏了。"),),
    ),
    MatterText(
        "urban.illegal.ground_lock",
        8,
        "so",
        (("report", "{estate}{spot}有人私装地锁占车位，还用石墩子占道，请相关部门清理。"),),
    ),
    MatterText(
        "urban.rental.group_rental",
        10,
        "so",
        (("report", "举报{addr}有一套房子被隔成了{n}间出租，住了二十多个人，楼道堆满杂物，存在安全隐患。"),),
    ),
    MatterText(
        "urban.rental.agency",
        14,
        "dd:housing",
        (
            ("complaint", "我通过中介租了{cm}附近的房子，提前退租时中介不退押金{money}元，还扣各种费用。"),
            ("consultation", "想咨询一下房屋租赁合同到期前房东要收房，租客能要求什么赔偿？"),
        ),
    ),
    MatterText(
        "urban.realestate.delivery",
        8,
        "dd:housing",
        (
            ("complaint", "我在{dist}买的商品房合同约定{months}月交房，现在已经延期大半年，开发商一直没有说法。"),
            ("help", "新房收房时发现墙体开裂、窗户漏风，开发商拖着不修，希望住建部门督促。"),
        ),
    ),
    MatterText(
        "urban.realestate.certificate",
        7,
        "dd:housing",
        (("consultation", "我买的{cm}的房子住了{n}年了还没办下房产证，想问问开发商不给办证该怎么处理？"),),
    ),
    MatterText(
        "urban.housing_security.public_rental",
        8,
        "dd:housing",
        (
            ("consultation", "想咨询公租房申请的条件，我家是{dist}户籍，三口人，收入多少以内可以申请？"),
            ("help", "公租房轮候了{n}年一直没有配租，想问问现在排到第几了。"),
        ),
    ),
    MatterText(
        "urban.site.noise",
        24,
        "so",
        (
            ("complaint", "{cm}附近的工地{night}还在施工，打桩声音特别大，严重影响休息，有没有夜间施工许可？"),
            ("complaint", "{addr}旁边的工地{when}天天夜间施工，渣土车来回跑，根本睡不着觉。"),
        ),
        season=SUMMER,
    ),
    MatterText(
        "urban.site.dust",
        8,
        "so",
        (("complaint", "{cm}附近的工地没有苫盖，风一吹满天都是土，{addr}家里窗台上全是灰。"),),
        season=SPRING,
    ),
    # --- city management -----------------------------------------------------------------------
    MatterText(
        "city.sanitation.garbage",
        30,
        "so",
        (
            ("complaint", "{addr}{spot}的垃圾桶{days}天没人清运了，味道很大，还招老鼠苍蝇。"),
            ("complaint", "{estate}垃圾分类驿站{when}经常满溢，垃圾堆在地上，环境很差。"),
            ("suggestion", "建议在{cm}{spot}增加几个垃圾桶，并把清运时间固定下来。"),
        ),
        season=SUMMER,
    ),
    MatterText(
        "city.sanitation.construction_waste",
        10,
        "so",
        (
            ("complaint", "{estate}{spot}堆了大量装修垃圾，{when}一直没人清理，占了好几个车位。"),
            ("report", "举报有人夜里往{cm}村外的空地上偷倒建筑垃圾，已经堆成了小山。"),
        ),
    ),
    MatterText(
        "city.appearance.street_vendor",
        14,
        "so",
        (("complaint", "{cm}{spot}每天晚上都有很多小商贩占道摆摊，行人和车辆都过不去，垃圾也没人收拾。"),),
        season=SUMMER,
    ),
    MatterText(
        "city.appearance.night_bbq",
        8,
        "so",
        (("complaint", "{shop}{night}在门口露天烧烤，烟很大，还有人喝酒大声喧哗，就在{addr}楼下。"),),
        season=SUMMER,
    ),
    MatterText(
        "city.appearance.abandoned_vehicle",
        8,
        "so",
        (("report", "{estate}{spot}停着一辆僵尸车，车牌{plate}，{months}个多月没动过，轮胎都瘪了，占用车位。"),),
    ),
    MatterText(
        "city.appearance.clutter",
        10,
        "so",
        (("complaint", "{addr}楼道里有住户堆放大量纸箱杂物，堵住了消防通道，跟本人沟通也不听。"),),
    ),
    MatterText(
        "city.greening.tree",
        12,
        "so",
        (
            ("help", "{addr}窗外的大树长得太高，挡住了低层住户的采光，树枝快碰到电线了，希望修剪一下。"),
            ("help", "昨天大风把{cm}{spot}的一棵树刮倒了，压在路上，请尽快清理。"),
        ),
        season=RAINY,
    ),
    MatterText(
        "city.greening.pests",
        5,
        "dd:landscaping",
        (("complaint", "{cm}附近杨柳飞絮特别严重，孩子过敏，建议对杨柳树进行治理。"),),
        season=SPRING,
    ),
    MatterText(
        "city.municipal.streetlight",
        8,
        "dd:urban_management",
        (("help", "{cm}附近道路的路灯{when}一直不亮，晚上走路很不安全，希望尽快维修。"),),
        season=(1.5, 1.3, 1, 0.8, 0.7, 0.6, 0.6, 0.7, 0.9, 1.1, 1.4, 1.6),
    ),
    MatterText(
        "city.municipal.manhole",
        5,
        "dd:urban_management",
        (("report", "{cm}{spot}有个井盖缺失，只放了个锥桶，晚上很容易掉进去，请尽快补上。"),),
    ),
    MatterText(
        "city.enforcement.pet_dog",
        10,
        "so",
        (
            ("complaint", "{addr}有住户养了一条大型犬，遛狗不拴绳，{night}还狂叫，邻居们都很害怕。"),
            ("complaint", "{estate}里不少人遛狗不清理粪便，{spot}到处都是狗屎。"),
        ),
    ),
    # --- utilities -----------------------------------------------------------------------------
    MatterText(
        "utility.heating.not_warm",
        60,
        "ent:heating",
        (
            (
                "complaint",
                "我家在{addr}，{when}暖气一直不热，室内温度只有{temp}度左右，家里有老人和小孩，希望热力公司尽快来查看。",
            ),
            ("complaint", "{addr}暖气上热下凉，已经报修两次了，师傅来放了放气还是不热。"),
            ("help", "{addr}暖气管道漏水，已经把家里地板泡了，请尽快派人维修。"),
        ),
        season=HEATING,
        source_line="96069",
    ),
    MatterText(
        "utility.heating.no_heating",
        12,
        "ent:heating",
        (
            ("complaint", "{estate}到现在还没有供暖，其他小区都已经热了，供热单位说管线在维修。"),
            ("help", "我家{addr}暖气阀门被关了，交了取暖费还是没有开通，希望帮忙协调。"),
        ),
        season=HEATING,
        source_line="96069",
    ),
    MatterText(
        "utility.heating.fee",
        10,
        "ent:heating",
        (
            ("consultation", "想咨询一下今年供暖费怎么交，能不能在网上交？低保户有没有减免？"),
            ("complaint", "{addr}今年一直没有热，但是供热公司还要求全额交暖气费。"),
        ),
        season=HEATING_FEE,
        source_line="96069",
    ),
    MatterText(
        "utility.water.outage",
        18,
        "ent:water_supply",
        (
            ("help", "{addr}从{hour}点开始突然停水，没有看到任何通知，请问什么时候能恢复供水？"),
            ("complaint", "{estate}{when}经常停水，每次都没有提前通知，生活很不方便。"),
        ),
        season=SUMMER,
    ),
    MatterText(
        "utility.water.quality",
        6,
        "ent:water_supply",
        (("complaint", "{addr}自来水{when}发黄，有铁锈味，烧开后有白色沉淀，担心影响健康。"),),
    ),
    MatterText(
        "utility.drainage.waterlogging",
        8,
        "ent:drainage",
        (("help", "今天下大雨，{cm}{spot}积水已经没过膝盖，车辆和行人都过不去，请尽快派人排水。"),),
        season=RAINY,
    ),
    MatterText(
        "utility.drainage.blockage",
        8,
        "ent:drainage",
        (("help", "{addr}楼下污水井堵塞外溢，污水流得满地都是，味道特别大。"),),
    ),
    MatterText(
        "utility.power.outage",
        22,
        "ent:power",
        (
            ("help", "{addr}从{hour}点停电到现在，家里冰箱里的东西都快坏了，请问什么时候来电？"),
            ("complaint", "{cm}{when}频繁停电，一周停了{n}次，天气这么热，老人受不了。"),
        ),
        season=SUMMER,
    ),
    MatterText(
        "utility.power.ev_charging",
        6,
        "ent:power",
        (("help", "我想在{estate}自己的车位上安装充电桩，物业不出具同意证明，电力公司说没法报装。"),),
    ),
    MatterText(
        "utility.gas.outage",
        8,
        "ent:gas",
        (("help", "{addr}突然停气了，做不了饭，燃气卡里还有钱，请尽快派人检查。"),),
        season=HEATING,
    ),
    MatterText(
        "utility.gas.install",
        4,
        "ent:gas",
        (("consultation", "想咨询一下{cm}的老房子想开通天然气，需要准备什么材料？安装费用怎么收？"),),
    ),
    MatterText(
        "utility.telecom.broadband",
        8,
        "city:communications_admin",
        (("complaint", "我家{addr}的宽带{when}经常断网，报修了好几次，运营商一直没有解决。"),),
    ),
    # --- traffic -------------------------------------------------------------------------------
    MatterText(
        "traffic.order.illegal_parking",
        22,
        "dd:traffic_police",
        (
            ("complaint", "{cm}{spot}每天都有车辆违停，把消防通道堵死了，出入非常困难。"),
            ("report", "车牌{plate}的车长期停在{cm}{spot}的人行道上，行人只能走机动车道。"),
        ),
    ),
    MatterText(
        "traffic.parking.shortage",
        14,
        "so",
        (
            ("help", "{estate}停车位太少，每天晚上找不到地方停车，希望街道协调增加停车位。"),
            ("suggestion", "建议把{cm}附近的空地改造成临时停车场，缓解老旧小区停车难的问题。"),
        ),
    ),
    MatterText(
        "traffic.parking.fee",
        6,
        "dd:transport",
        (("complaint", "{cm}附近道路停车收费员不给票，而且收费标准和公示的不一样。"),),
    ),
    MatterText(
        "traffic.bus.service",
        10,
        "ent:public_transport",
        (
            ("complaint", "{cm}附近的公交车{when}经常不按点发车，早高峰等了四十分钟才来一辆。"),
            ("suggestion", "建议增加一条从{cm}到地铁站的公交接驳线路，现在居民出行很不方便。"),
        ),
        source_line="96166",
    ),
    MatterText(
        "traffic.bike.shared",
        6,
        "dd:transport",
        (("complaint", "{cm}{spot}共享单车乱停乱放，堆了一大片，把盲道都占了。"),),
        season=SUMMER,
    ),
    MatterText(
        "traffic.order.signal",
        5,
        "dd:traffic_police",
        (("suggestion", "{cm}附近的十字路口没有红绿灯，早晚高峰很混乱，建议加装信号灯。"),),
    ),
    MatterText(
        "traffic.vehicle.outside_permit",
        6,
        "city:traffic_police",
        (("consultation", "想咨询一下外地车进京证一年能办几次？六环内和六环外有什么区别？"),),
        season=FESTIVAL,
    ),
    MatterText(
        "traffic.vehicle.lottery",
        4,
        "city:transport",
        (("consultation", "想问一下小客车指标家庭摇号怎么积分？我家{n}口人，申请了好几年了。"),),
    ),
    # --- environment ---------------------------------------------------------------------------
    MatterText(
        "env.noise.commercial",
        22,
        "so",
        (
            ("complaint", "{addr}楼下的{shop}{night}还很吵，音响开得很大，严重影响居民休息。"),
            ("complaint", "{shop}的空调外机对着{addr}住户窗户，{night}嗡嗡响，睡不着觉。"),
        ),
        season=SUMMER,
    ),
    MatterText(
        "env.noise.neighbour",
        16,
        "so",
        (
            ("complaint", "{addr}楼上住户{night}经常拖拽家具、跺脚，和对方沟通过多次没有改善，希望社区调解。"),
            ("complaint", "{estate}广场舞音响声音太大，{night}还在跳，家里有高考的孩子没法学习。"),
        ),
        season=SUMMER,
    ),
    MatterText(
        "env.air.cooking_fume",
        16,
        "so",
        (("complaint", "{addr}楼下的{shop}油烟直排，没有安装净化设备，{when}楼上根本不敢开窗。"),),
    ),
    MatterText(
        "env.air.burning",
        5,
        "so",
        (("report", "{cm}村附近有人焚烧秸秆和垃圾，浓烟很大，呛得人喘不过气。"),),
        season=(1.5, 1.2, 1.4, 1.2, 0.6, 0.5, 0.5, 0.6, 1, 1.6, 1.6, 1.4),
    ),
    MatterText(
        "env.air.odor",
        5,
        "dd:ecology",
        (("complaint", "{cm}附近{when}晚上总有刺鼻的化工气味，怀疑附近工厂偷排废气。"),),
    ),
    # --- market supervision --------------------------------------------------------------------
    MatterText(
        "market.consumer.prepaid",
        24,
        "dd:market_regulation",
        (
            ("complaint", "我在{cm}附近的{shop}办了{money}元的会员卡，现在店铺突然关门，老板联系不上，要求退款。"),
            ("complaint", "{child}在{cm}附近的培训机构交了一年课时费，机构跑路了，还剩{n}节课没上。"),
        ),
        source_line="12315",
    ),
    MatterText(
        "market.consumer.refund",
        20,
        "dd:market_regulation",
        (
            ("complaint", "我在{shop}买的{goods}质量有问题，商家拒绝退换，说是人为损坏。"),
            ("complaint", "在{cm}附近的{shop}消费后发现多收了钱，商家不承认，也不给开发票。"),
        ),
        source_line="12315",
    ),
    MatterText(
        "market.consumer.online",
        16,
        "dd:market_regulation",
        (("complaint", "我在网上买的{goods}收到后和描述不符，商家注册地在{dist}，申请退货一直被拒绝。"),),
        source_line="12315",
    ),
    MatterText(
        "market.food.safety",
        12,
        "dd:market_regulation",
        (
            ("report", "在{cm}附近的{shop}吃饭后全家拉肚子，怀疑食材不新鲜，后厨卫生很差。"),
            ("report", "{cm}附近的{shop}在卖过期食品，我买的东西已经过期{days}天了。"),
        ),
        source_line="12315",
    ),
    MatterText(
        "market.price.overcharge",
        6,
        "dd:market_regulation",
        (("report", "{cm}附近的{shop}商品明码标价和结账价格不一致，多收了钱。"),),
        source_line="12358",
    ),
    MatterText(
        "market.equipment.elevator",
        8,
        "dd:market_regulation",
        (("report", "{addr}的电梯{when}经常出故障，前几天还困过人，担心安全，请相关部门检查。"),),
    ),
    # --- labour and social security ------------------------------------------------------------
    MatterText(
        "labour.wage.arrears",
        40,
        "dd:hr_social_security",
        (
            ("help", "我在{company}做{job}，公司拖欠我{months}个月工资共{money}元，老板一直推脱，希望帮忙讨薪。"),
            ("help", "我们{n}个工友在{cm}附近的工地干活，包工头拖欠工资{money}元跑了，马上过年回家了。"),
            ("complaint", "{company}离职后不结算最后一个月的工资，还扣了押金，要求依法处理。"),
        ),
        season=WAGES,
        source_line="12333",
    ),
    MatterText(
        "labour.contract.dispute",
        12,
        "dd:hr_social_security",
        (
            ("consultation", "我在{company}工作了{n}年，公司突然要辞退我，想咨询能拿到多少经济补偿？"),
            ("complaint", "{company}不和员工签劳动合同，也不交社保，要求查处。"),
        ),
        source_line="12333",
    ),
    MatterText(
        "labour.social_insurance.payment",
        16,
        "dd:hr_social_security",
        (
            ("consultation", "想咨询一下灵活就业人员在北京怎么缴纳社保？每个月缴费基数是多少？"),
            ("complaint", "{company}给我断缴了{months}个月的社保，影响了我买房资格。"),
        ),
        source_line="12333",
    ),
    MatterText(
        "labour.pension.benefit",
        12,
        # The yearly pension adjustment is the city's policy: the municipal bureau answers it.
        "city:hr_social_security",
        (("consultation", "我父亲今年{age}岁，想咨询一下养老金调整后什么时候到账，标准怎么算？"),),
        source_line="12333",
    ),
    MatterText(
        "labour.retirement.procedure",
        8,
        "dd:hr_social_security",
        (("consultation", "我明年就到退休年龄了，想咨询一下退休手续需要准备哪些材料，在哪里办理？"),),
        source_line="12333",
    ),
    # --- education, health, civil affairs ------------------------------------------------------
    MatterText(
        "edu.enrolment.primary",
        14,
        "dd:education",
        (
            ("consultation", "{child}今年该上小学了，我们户口在{dist}，住在{cm}，想咨询划片对口的是哪所学校？"),
            ("help", "我们是非京籍家庭，在{dist}交社保{n}年了，{child}入学材料审核没通过，希望帮忙问问原因。"),
        ),
        season=ENROLMENT,
    ),
    MatterText(
        "edu.kindergarten.service",
        8,
        "dd:education",
        (("help", "{cm}附近没有普惠性幼儿园，{child}明年要上幼儿园，报名了几家都没位置。"),),
        season=ENROLMENT,
    ),
    MatterText(
        "edu.enrolment.exam",
        5,
        "city:education",
        (("consultation", "想咨询一下今年高考报名的时间和随迁子女的报考条件。"),),
        season=EXAMS,
    ),
    MatterText(
        "edu.training.offcampus",
        6,
        "dd:education",
        (("report", "举报{cm}附近有一家培训机构在周末违规开展学科类培训。"),),
    ),
    MatterText(
        "health.medical.service",
        14,
        "dd:health",
        (
            ("complaint", "今天带家里老人去{hospital}看病，排了三个多小时的队，医生看病不到两分钟，态度很差。"),
            ("suggestion", "建议{cm}附近的社区卫生服务站增加周末门诊，上班族平时没时间看病。"),
        ),
        source_line="12320",
    ),
    MatterText(
        "health.insurance.reimburse",
        10,
        "dd:medical_insurance",
        (("consultation", "我在外地住院花了{money}元，想咨询北京医保异地就医报销需要什么手续？"),),
        source_line="12393",
    ),
    MatterText(
        "health.pests.rodent",
        5,
        "so",
        (("complaint", "{estate}{spot}{when}老鼠特别多，晚上到处乱窜，希望组织灭鼠。"),),
        season=SUMMER,
    ),
    MatterText(
        "police.hukou.settle",
        10,
        "dd:public_security",
        (
            ("consultation", "我是应届毕业生，单位给解决了北京户口，想咨询户口落在{dist}的集体户需要哪些材料？"),
            ("consultation", "想咨询{child}的户口能不能随迁到{dist}？我们已经在{cm}买了房。"),
        ),
    ),
    MatterText(
        "police.hukou.newborn",
        4,
        "dd:public_security",
        (("consultation", "孩子刚出生，想问一下新生儿落户在{dist}哪个派出所办，要带什么证件？"),),
    ),
    MatterText(
        "police.residence.permit",
        8,
        "dd:public_security",
        (("consultation", "想咨询一下在{dist}办理居住证需要什么条件？租房住能不能办？"),),
    ),
    MatterText(
        "civil.elderly.care",
        10,
        "dd:civil_affairs",
        (
            ("help", "我母亲{age}岁独居在{addr}，腿脚不方便，想申请居家养老服务，不知道找谁。"),
            ("suggestion", "建议在{cm}开一家老年餐桌，社区里独居老人吃饭很不方便。"),
        ),
    ),
    MatterText(
        "civil.assistance.subsistence",
        6,
        "so",
        (("consultation", "我家住{cm}，丈夫生病没了收入，想咨询申请低保的条件和流程。"),),
    ),
    # The district government leads what no single department can (征地拆迁, its own staff's
    # conduct): the public report ranks the districts on these.
    MatterText(
        "rural.collective.relocation",
        14,
        "dg",
        (
            ("complaint", "{cm}村拆迁腾退已经{months}个月了，补偿款到现在还没发，找村委会和乡里都说再等等。"),
            ("help", "我家在{cm}的宅基地被划进拆迁范围，评估价格比周边低很多，想请区里帮忙协调重新评估。"),
        ),
    ),
    MatterText(
        "gov.conduct.staff",
        6,
        "dg",
        (
            ("complaint", "{when}去{dist}政务服务中心办事，窗口工作人员态度很差，材料没看完就让我回去，说话也很冲。"),
            ("suggestion", "建议{dist}政务服务中心中午也安排窗口值班，上班族只有午休时间能来办事。"),
        ),
    ),
    MatterText(
        "gov.fund.provident",
        8,
        "city:housing_provident_fund",
        (("consultation", "想咨询一下离职后住房公积金怎么提取？租房提取每个月能取多少？"),),
        source_line="12329",
    ),
    MatterText(
        "gov.tax.individual",
        6,
        "dd:tax",
        (("consultation", "想咨询个人所得税年度汇算怎么办理，专项附加扣除怎么填？"),),
        season=TAX,
        source_line="12366",
    ),
    MatterText(
        "gov.policy.subsidy",
        6,
        "city:commerce",
        (("consultation", "想咨询一下以旧换新补贴政策，买{goods}在哪里申请补贴？"),),
    ),
    MatterText(
        "safety.fire.ebike",
        12,
        "so",
        (("report", "{addr}有住户把电动车推进楼道里充电，还从窗户扯电线下来，担心起火。"),),
    ),
    MatterText(
        "safety.fire.hazard", 6, "so", (("report", "{cm}附近的{shop}把消防通道锁上了，里面还堆放了很多易燃物品。"),)
    ),
    MatterText(
        "police.order.fireworks",
        3,
        "dd:public_security",
        (("report", "{estate}{night}有人燃放烟花爆竹，禁放区还有人放，请相关部门管理。"),),
        season=(4, 5, 0.2, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.2, 0.1, 0.5),
    ),
    MatterText(
        "rural.land.homestead",
        4,
        "so",
        (
            ("consultation", "想咨询一下{cm}村宅基地翻建需要办理什么手续？"),
            ("help", "邻居在{cm}村翻建房子，占了我家宅基地半米多，村里调解了没用。"),
        ),
    ),
)

OPENERS_PHONE = ("", "", "来电人反映：", "市民来电反映，", "来电人称，", "来电人表示，", "诉求人反映：")
OPENERS_ONLINE = ("", "网友留言：", "市民留言反映：", "")

CLOSINGS = {
    "complaint": (
        "希望有关部门尽快处理。",
        "要求尽快解决。",
        "请相关部门管一管。",
        "希望给个答复。",
        "",
        "此前已多次向物业反映，一直没有解决。",
        "之前反映过，问题反复出现。",
    ),
    "help": ("希望尽快帮忙解决。", "请相关部门协调处理。", "家里有老人孩子，比较着急。", ""),
    "report": ("请相关部门核实查处。", "希望尽快依法处理。", "来电人希望保密。", ""),
    "consultation": ("", "请告知办理流程。", "希望有人回电解答。"),
    "suggestion": ("希望采纳。", "", "希望相关部门研究考虑。"),
}

# Rough share of each district in the city's population (2020 census, millions).
DISTRICT_WEIGHTS = {
    "朝阳区": 3.45,
    "海淀区": 3.13,
    "丰台区": 2.02,
    "昌平区": 2.27,
    "大兴区": 1.99,
    "通州区": 1.84,
    "顺义区": 1.32,
    "房山区": 1.31,
    "西城区": 1.10,
    "东城区": 0.71,
    "石景山区": 0.57,
    "门头沟区": 0.39,
    "怀柔区": 0.44,
    "平谷区": 0.46,
    "密云区": 0.53,
    "延庆区": 0.35,
}
