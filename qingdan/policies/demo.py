"""The demo park's enterprise services: a record (一企一档) for every enterprise, commissioners
and visits, five policies with their matches, applications at every step (and a 免申即享
list), and two loan programmes reproducing the article's "35 家, 1.92 亿元" from stored rows."""

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from qingdan.accounts.models import Enterprise, Industry, Role, User
from qingdan.enterprises import actions as records
from qingdan.finance import actions as finance
from qingdan.finance.models import Programme
from qingdan.lib import clock
from qingdan.policies import actions, eligibility
from qingdan.policies.models import Policy

INDUSTRY_CODES = {
    Industry.ELECTRONICS: ["C3971", "C3976", "C3982", "C3989"],
    Industry.SMART_EQUIPMENT: ["C3421", "C3491", "C3599"],
    Industry.PLANT_EXTRACTION: ["C2710", "C2740", "C1495"],
    Industry.NEW_MATERIALS: ["C2652", "C3091", "C3240"],
    Industry.AUTO_PARTS: ["C3670"],
    Industry.FOOD: ["C1391", "C1432"],
    Industry.TEXTILES: ["C1713", "C1810"],
    Industry.LOGISTICS: ["G5920", "G5810"],
    Industry.DIGITAL: ["I6510", "I6450"],
    Industry.OTHER: ["C4190"],
}
# The article: 35 enterprises, 1.92 亿元 of credit, a 1 亿元 risk-compensation pool.
PROGRAMMES = [
    ("助保贷", "zhubaodai", "建设银行永州经开区支行", "", Decimal(6000), 20, Decimal(11200)),
    ("政银担", "zhengyindan", "长沙银行永州分行", "永州市融资担保有限公司", Decimal(4000), 15,
     Decimal(8000)),
]  # fmt: skip


def _at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _money(rng: random.Random, low: int, high: int) -> Decimal:
    return Decimal(rng.randint(low, high))


def build_records(rng: random.Random, secretariat: User, enterprises: list[Enterprise]) -> None:
    officers = list(User.objects.filter(role=Role.UNIT_OFFICER).order_by("username")[:8])
    year = clock.today().year - 1
    for index, enterprise in enumerate(enterprises):
        tags = []
        if rng.random() < 0.2:
            tags.append("specialised")
        if rng.random() < 0.25:
            tags.append("foreign_trade")
        records.save_record(enterprise, actor=secretariat, values={
            "industry_code": rng.choice(INDUSTRY_CODES.get(enterprise.industry, ["C4190"])),
            "size_class": rng.choice(["medium", "small", "small", "micro", "large"]),
            "registered_capital_wan_yuan": _money(rng, 200, 20000),
            "tags": tags, "grade": rng.choice("AABBBCCD"),
            "commissioner": officers[index % len(officers)] if officers else None,
        })  # fmt: skip
        records.save_contact(enterprise, actor=secretariat, values={
            "name": f"联系人{index + 1:03d}", "position": "办公室主任",
            "phone": f"139{rng.randint(10000000, 99999999)}", "is_primary": True,
        })  # fmt: skip
        land = _money(rng, 10, 200)
        output = _money(rng, 1000, 60000)
        # A few records lack R&D spending: their R&D conditions are "unknown", never eligible.
        rd = None if index % 9 == 4 else (output * Decimal(rng.randint(5, 60)) / 1000).quantize(
            Decimal("0.01"))  # fmt: skip
        records.save_figures(enterprise, actor=secretariat, year=year, values={
            "output_wan_yuan": output, "tax_wan_yuan": (output * Decimal("0.04")).quantize(
                Decimal("0.01")), "rd_wan_yuan": rd, "employees": rng.randint(20, 1500),
            "land_mu": land,
        })  # fmt: skip
    for enterprise in enterprises[:6]:
        profile = records.profile_of(enterprise)
        if profile.commissioner is None:
            continue
        records.record_visit(
            enterprise, actor=secretariat, day=clock.today() - timedelta(days=rng.randint(3, 40)),
            notes=f"{profile.commissioner}陪同走访，了解生产经营情况。",
            items=["希望简化技改补助申报材料", "厂区路灯损坏"],
        )  # fmt: skip


def build_policies(rng: random.Random, secretariat: User, enterprises) -> list[Policy]:
    from qingdan.accounts.models import Unit

    bureau = Unit.objects.filter(short_name="经发局").first()
    today = clock.today()
    start = date(today.year, 1, 1)
    specs = [
        ("高新技术企业认定奖励", "园区科技局", "永经开发〔2026〕3号", True,
         "对新认定的高新技术企业一次性奖励 20 万元。", "高新技术企业直接领取奖励，不用申请。",
         Decimal(20), [("tag", "", "has", "high_tech")]),
        ("研发费用补助", "园区经发局", "永经开发〔2026〕7号", False,
         "按上年度研发投入的 10% 给予补助，最高 100 万元。", "规上企业研发投入占比达到 3% 可申请。",
         Decimal(50), [("tag", "", "has", "above_scale"),
                       ("figure", "rd_share_percent", "gte", "3")]),
        ("专精特新企业培育支持", "园区经发局", "永经开发〔2026〕9号", False,
         "入库培育企业给予 30 万元奖励。", "中小制造企业，亩均税收达到 10 万元可申请。",
         Decimal(30), [("size", "", "in", "small,medium"), ("industry", "", "prefix", "C"),
                       ("figure", "tax_per_mu", "gte", "10")]),
        ("外贸稳增长补贴", "园区商务局", "永经开商〔2026〕2号", False,
         "对进出口额增长的外贸企业给予补贴。", "外贸企业产值 5000 万元以上可申请。",
         Decimal(15), [("tag", "", "has", "foreign_trade"),
                       ("figure", "output_wan_yuan", "gte", "5000")]),
        ("亩均效益 A 类企业奖励", "园区经发局", "永经开发〔2026〕12号", False,
         "亩均效益评价 A 类企业给予用电、用地等要素支持和 10 万元奖励。",
         "亩均评价为 A 的企业可申请。", Decimal(10), [("grade", "", "in", "A")]),
    ]  # fmt: skip
    policies = []
    for title, issuer, number, exempt, benefit, summary, amount, conditions in specs:
        with clock.travel(_at(start + timedelta(days=10))):
            policy = actions.create_policy(actor=secretariat, values={
                "title": title, "issuer": issuer, "document_number": number,
                "valid_from": start, "valid_until": date(today.year + 1, 12, 31),
                "benefit": benefit, "summary": summary, "amount_wan_yuan": amount,
                "materials": "" if exempt else "申请表、上年度审计报告、相关证明材料",
                "window_opens": start, "window_closes": date(today.year, 12, 31),
                "exempt": exempt, "review_unit": bureau, "review_days": 10,
            })  # fmt: skip
            for kind, figure, operator, value in conditions:
                actions.add_condition(policy, actor=secretariat, kind=kind, figure=figure,
                                      operator=operator, value=value)  # fmt: skip
            actions.publish_policy(policy, actor=secretariat)
        policies.append(policy)
    return policies


def build_applications(rng: random.Random, secretariat: User, policies: list[Policy],
                       enterprises) -> None:  # fmt: skip
    reviewer = User.objects.filter(role=Role.UNIT_OFFICER, unit=policies[1].review_unit).first()
    reviewer = reviewer or secretariat
    today = clock.today()
    # (the policy, how far the application goes)
    steps = ["paid", "paid", "paid", "paid", "approved", "approved", "submitted", "submitted",
             "more_info", "refused", "withdrawn", "submitted"]  # fmt: skip
    done = 0
    for policy in policies[1:]:
        for match in eligibility.enterprises_for(policy, enterprises):
            if match.verdict != eligibility.ELIGIBLE or done >= len(steps):
                continue
            contact = match.enterprise.contacts.filter(role=Role.ENTERPRISE).first()
            if contact is None:
                continue
            step = steps[done]
            days_ago = 40 - done * 3
            with clock.travel(_at(today - timedelta(days=days_ago))):
                application = actions.apply(policy, actor=contact,
                                            statement="我司符合申报条件，特此申请。")  # fmt: skip
            moment = _at(today - timedelta(days=max(days_ago - 6, 1)), 15)
            with clock.travel(moment):
                if step in ("paid", "approved"):
                    actions.approve(application, actor=reviewer, note="材料齐全，同意。")
                elif step in ("more_info",):
                    actions.request_info(application, actor=reviewer, note="请补充上年度审计报告。")
                elif step == "refused":
                    actions.refuse(application, actor=reviewer, reason="项目不在本政策支持范围。")
                elif step == "withdrawn":
                    actions.withdraw(application, actor=contact)
            if step == "paid":
                with clock.travel(_at(today - timedelta(days=max(days_ago - 14, 0)), 16)):
                    actions.pay(application, actor=secretariat,
                                amount_wan_yuan=policy.amount_wan_yuan or Decimal(10),
                                paid_on=clock.today())  # fmt: skip
            done += 1
    exempt = policies[0]
    eligible = [m.enterprise for m in eligibility.enterprises_for(exempt, enterprises)
                if m.verdict == eligibility.ELIGIBLE][:6]  # fmt: skip
    with clock.travel(_at(today - timedelta(days=12))):
        granted = actions.grant_exempt(exempt, actor=secretariat, enterprises=eligible)
    for application in granted[:3]:
        with clock.travel(_at(today - timedelta(days=5))):
            actions.pay(application, actor=secretariat, amount_wan_yuan=Decimal(20),
                        paid_on=clock.today())  # fmt: skip


def _amounts(rng: random.Random, count: int, total: Decimal) -> list[Decimal]:
    """``count`` whole amounts (10,000 yuan) adding up to ``total`` exactly."""
    weights = [rng.randint(5, 15) for _ in range(count)]
    amounts = [(total * w / sum(weights)).quantize(Decimal(1)) for w in weights]
    amounts[-1] += total - sum(amounts)
    return amounts


def build_finance(rng: random.Random, secretariat: User, enterprises) -> None:
    pool = list(enterprises)
    rng.shuffle(pool)
    offset = 0
    today = clock.today()
    for name, kind, bank, guarantor, pool_amount, count, total in PROGRAMMES:
        programme = finance.create_programme(actor=secretariat, values={
            "name": name, "kind": kind, "bank": bank, "guarantor": guarantor,
            "pool_wan_yuan": pool_amount, "leverage": Decimal(10),
            "started_on": date(today.year - 1, 3, 1),
        })  # fmt: skip
        chosen = pool[offset : offset + count]
        offset += count
        for enterprise in [*chosen, pool[offset + 5]]:  # one whitelisted, no loan yet
            finance.add_to_whitelist(programme, actor=secretariat, enterprise=enterprise)
        for number, (enterprise, amount) in enumerate(
            zip(chosen, _amounts(rng, count, total), strict=True)
        ):
            loan = finance.grant_loan(
                programme, actor=secretariat, enterprise=enterprise, amount_wan_yuan=amount,
                rate_percent=Decimal(rng.choice(["3.45", "3.65", "3.85", "4.15"])),
                term_months=rng.choice([12, 12, 24, 36]),
                guarantee="担保公司保证" if guarantor else "风险补偿资金池增信",
                granted_on=today - timedelta(days=rng.randint(30, 300)),
            )  # fmt: skip
            if number % 7 == 3:
                finance.record_repayment(
                    loan,
                    actor=secretariat,
                    day=today - timedelta(days=10),
                    amount_wan_yuan=(amount / 4).quantize(Decimal(1)),
                )
            if number == count - 1 and kind == "zhubaodai":
                finance.record_default(
                    loan,
                    actor=secretariat,
                    day=today - timedelta(days=8),
                    compensation_wan_yuan=(amount / 2).quantize(Decimal(1)),
                )


def build_services(rng: random.Random) -> None:
    if Policy.objects.exists() or Programme.objects.exists():
        return
    secretariat = User.objects.filter(role=Role.SECRETARIAT).order_by("pk").first()
    enterprises = Enterprise.objects.order_by("pk")
    rng = random.Random(rng.random())
    build_records(rng, secretariat, list(enterprises))
    policies = build_policies(rng, secretariat, enterprises)
    build_applications(rng, secretariat, policies, enterprises)
    build_finance(rng, secretariat, enterprises)
