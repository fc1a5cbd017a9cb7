"""The demo park: units, enterprises and people of a zone like the one in the source article.

Deterministic (a seeded random generator) and idempotent (rows are found by their natural keys,
so running it again changes nothing). Later features add their own builders to ``BUILDERS``.
"""

import random
from collections.abc import Callable

from django.contrib.auth.hashers import make_password
from django.db import transaction

from qingdan.accounts.demo_accounts import DEMO_PASSWORD
from qingdan.accounts.models import Enterprise, Industry, Role, Unit, UnitKind, User
from qingdan.carriers.demo import build_carriers
from qingdan.demo.history import build_history
from qingdan.lib.creditcode import make_code
from qingdan.policies.demo import build_services
from qingdan.problems.demo import build_supervision
from qingdan.projects.demo import build_economy
from qingdan.search.demo import build_earlier_history

SEED = 2026
DIVISION = "431100"  # 永州市

LEADERSHIP = "经开区党工委管委会"
SECRETARIAT = "经开区营商环境服务办公室"

# (name, short name, kind) — the bodies the article's problems go to.
UNITS = [
    (LEADERSHIP, "管委会", UnitKind.LEADERSHIP),
    (SECRETARIAT, "营商办", UnitKind.SECRETARIAT),
    ("经济发展局", "经发局", UnitKind.BUREAU),
    ("规划建设局", "规建局", UnitKind.BUREAU),
    ("自然资源分局", "自然资源", UnitKind.BUREAU),
    ("人力资源和社会保障局", "人社局", UnitKind.BUREAU),
    ("财政局", "财政局", UnitKind.BUREAU),
    ("科技和工业信息化局", "科工局", UnitKind.BUREAU),
    ("市场监督管理分局", "市监分局", UnitKind.BUREAU),
    ("生态环境分局", "生态环境", UnitKind.BUREAU),
    ("税务分局", "税务分局", UnitKind.BUREAU),
    ("政务服务中心", "政务中心", UnitKind.BUREAU),
    ("招商合作局", "招商局", UnitKind.BUREAU),
    ("应急管理局", "应急局", UnitKind.BUREAU),
    ("国网永州经开区供电公司", "供电公司", UnitKind.UTILITY),
    ("永州经开区自来水公司", "自来水公司", UnitKind.UTILITY),
    ("经开区燃气公司", "燃气公司", UnitKind.UTILITY),
    ("永州市公交集团公司", "公交公司", UnitKind.TRANSPORT),
    ("建设银行经开区支行", "建设银行", UnitKind.FINANCE),
    ("潇湘融资担保公司", "潇湘担保", UnitKind.FINANCE),
]

SURNAMES = "王李张刘陈杨黄赵周吴徐孙胡朱高林何郭马罗梁宋郑谢唐许邓冯韩曹彭曾肖田董潘袁蒋蔡余杜"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志鹏辉斌宇浩凯健俊帆"

BRANDS = [
    "锦程",
    "华瑞",
    "湘源",
    "潇湘",
    "永昌",
    "舜德",
    "九嶷",
    "零陵",
    "萍洲",
    "凤凰",
    "恒信",
    "宏达",
    "鑫源",
    "嘉禾",
    "瑞丰",
    "天和",
    "中科",
    "博远",
    "新航",
    "泰和",
    "金石",
    "盛世",
    "德润",
    "远大",
    "诚信",
    "银河",
    "星辰",
    "东方",
    "长丰",
    "湘江",
    "南岭",
    "阳明",
    "祁阳",
    "宁远",
    "江华",
    "双牌",
]

# industry → the business words in its enterprises' names
INDUSTRY_WORDS = {
    Industry.ELECTRONICS: ["电子", "电子科技", "电子元器件", "微电子", "光电"],
    Industry.SMART_EQUIPMENT: ["智能装备", "智能制造", "精密机械", "自动化设备"],
    Industry.PLANT_EXTRACTION: ["植物萃取", "生物科技", "天然药业", "植物提取"],
    Industry.NEW_MATERIALS: ["新材料", "复合材料", "新型建材", "高分子材料"],
    Industry.AUTO_PARTS: ["汽车零部件", "汽配科技"],
    Industry.FOOD: ["食品", "农产品加工"],
    Industry.TEXTILES: ["纺织", "服饰"],
    Industry.LOGISTICS: ["物流", "供应链"],
    Industry.DIGITAL: ["数字科技", "信息技术", "电子商务"],
}
# How many of each the demo park has (85 in all), weighted like the article's clusters.
INDUSTRY_COUNTS = {
    Industry.ELECTRONICS: 20,
    Industry.SMART_EQUIPMENT: 16,
    Industry.PLANT_EXTRACTION: 12,
    Industry.NEW_MATERIALS: 10,
    Industry.AUTO_PARTS: 6,
    Industry.FOOD: 6,
    Industry.TEXTILES: 5,
    Industry.LOGISTICS: 5,
    Industry.DIGITAL: 5,
}
ZONES = [
    "凤凰园核心片区",
    "智能装备产业园",
    "中国南方植物萃取中心",
    "亲水河科技新城",
    "电子商务产业园",
]
ROADS = ["潇湘大道北", "湘江西路", "九嶷大道", "凤凰路", "长丰大道", "科技路"]


def person_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def build_units() -> dict[str, Unit]:
    units = {}
    leadership = None
    for name, short_name, kind in UNITS:
        unit, _created = Unit.objects.get_or_create(
            name=name,
            defaults={"short_name": short_name, "kind": kind, "parent": leadership},
        )
        if kind == UnitKind.LEADERSHIP:
            leadership = unit
        units[short_name] = unit
    return units


def build_enterprises(rng: random.Random) -> list[Enterprise]:
    enterprises = []
    used = set()
    serial = 0
    for industry, count in INDUSTRY_COUNTS.items():
        for _index in range(count):
            while True:
                brand = rng.choice(BRANDS)
                word = rng.choice(INDUSTRY_WORDS[industry])
                legal = rng.choice(("有限公司", "有限公司", "股份有限公司"))
                name = f"湖南{brand}{word}{legal}"
                if name not in used:
                    used.add(name)
                    break
            serial += 1
            body = f"MA4L{serial:04d}"
            enterprise, _created = Enterprise.objects.get_or_create(
                name=name,
                defaults={
                    "credit_code": make_code("91", DIVISION, body),
                    "industry": industry,
                    "zone": rng.choice(ZONES),
                    "address": f"永州经开区{rng.choice(ROADS)}{rng.randint(1, 399)}号",
                    "phone": f"0746-8{rng.randint(100000, 999999)}",
                    "is_above_scale": rng.random() < 0.55,
                    "is_high_tech": rng.random() < 0.3,
                    "is_little_giant": rng.random() < 0.06,
                    "is_listed": rng.random() < 0.08,
                    "is_fortune500_investment": rng.random() < 0.05,
                },
            )
            enterprises.append(enterprise)
    return enterprises


def upsert_person(username: str, *, demo_password: bool, **fields) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, **fields)
        user.password = make_password(DEMO_PASSWORD if demo_password else None)
        user.full_clean()
        user.save()
    return user


def build_people(rng: random.Random, units: dict[str, Unit], enterprises: list[Enterprise]):
    upsert_person(
        "admin",
        demo_password=True,
        name="系统管理员",
        role=Role.ADMIN,
        is_staff=True,
        is_superuser=True,
        email="admin@example.org",
    )
    secretariat = upsert_person(
        "secretariat",
        demo_password=True,
        name=person_name(rng),
        role=Role.SECRETARIAT,
        unit=units["营商办"],
        job_title="营商办主任",
        email="secretariat@example.org",
        is_staff=True,
    )
    from django.contrib.auth.models import Group

    from qingdan.accounts.groups import SECRETARIAT_GROUP

    group = Group.objects.filter(name=SECRETARIAT_GROUP).first()
    if group is not None:
        secretariat.groups.add(group)  # edits projects, indicators, units… in the admin
    upsert_person(
        "leader",
        demo_password=True,
        name=person_name(rng),
        role=Role.LEADER,
        unit=units["管委会"],
        job_title="管委会主任",
        email="leader@example.org",
    )
    for index, unit in enumerate(units.values()):
        if unit.kind in (UnitKind.LEADERSHIP, UnitKind.SECRETARIAT):
            continue
        is_power = unit.short_name == "供电公司"
        officer = upsert_person(
            "unit" if is_power else f"unit{index:02d}",
            demo_password=is_power,
            name=person_name(rng),
            role=Role.UNIT_OFFICER,
            unit=unit,
            job_title="联络员",
            email=f"unit{index:02d}@example.org",
            phone=f"138{rng.randint(10000000, 99999999)}",
        )
        upsert_person(
            f"head{index:02d}",
            demo_password=False,
            name=person_name(rng),
            role=Role.UNIT_HEAD,
            unit=unit,
            job_title="负责人",
            email=f"head{index:02d}@example.org",
        )
        if unit.liaison_id is None:
            unit.liaison = officer
            unit.save(update_fields=["liaison"])
    upsert_person(
        "team",
        demo_password=True,
        name="湘南智能电网研究团队",
        role=Role.TEAM,
        job_title="团队负责人",
        email="team@example.org",
    )
    electronics = [e for e in enterprises if e.industry == Industry.ELECTRONICS]
    for index, enterprise in enumerate(enterprises):
        is_demo = enterprise == electronics[0]
        upsert_person(
            "enterprise" if is_demo else f"ent{index:03d}",
            demo_password=is_demo,
            name=person_name(rng),
            role=Role.ENTERPRISE,
            enterprise=enterprise,
            job_title=rng.choice(["常务副总", "办公室主任", "行政经理", "总经理助理"]),
            email=f"ent{index:03d}@example.org",
            phone=f"139{rng.randint(10000000, 99999999)}",
        )


def build_organisations(rng: random.Random) -> None:
    units = build_units()
    enterprises = build_enterprises(rng)
    build_people(rng, units, enterprises)


def build_calendar(rng: random.Random) -> None:
    """The demo runs near the end of the last year chinese-calendar knows, so its deadlines
    reach into a year without a built-in holiday schedule. The official schedule of that year
    is not typed in here (a guessed date would be worse than none): the demo takes the explicit
    "count Monday to Friday" permission an administrator would give, and pages say so."""
    from qingdan.lib import clock, workdays
    from qingdan.problems import calendar
    from qingdan.problems.models import WeekdayYear

    for year in range(workdays.known_years().stop, clock.today().year + 2):
        if not calendar.has_official_schedule(year):
            WeekdayYear.objects.get_or_create(
                year=year,
                defaults={"note": "演示数据：该年法定节假日安排尚未录入，暂按周一至周五计算。"},
            )


# Each builder takes the shared random generator; they run in this order, in one transaction.
BUILDERS: list[Callable[[random.Random], None]] = [
    build_calendar,
    build_organisations,
    build_history,
    build_earlier_history,  # the year before: what routing suggestions learn from
    build_economy,
    build_supervision,  # 催办, 督办, 批示 and 约谈 on the late tasks
    build_services,  # enterprise records, policies, applications, loan programmes
    build_carriers,  # after the projects: leases to them
]


def build_demo_park() -> None:
    rng = random.Random(SEED)
    with transaction.atomic():
        for builder in BUILDERS:
            builder(rng)
