"""A year of the demo park's problems, replayed through the real actions.

Every week's exchange day raises a handful of problems (plus a few online); each then goes
through the steps a real one would (accept, assign, sign, progress, extension, completion,
follow-up, close-out) at plausible times, stopping at "now". So the park shows problems in every
state: old ones closed, recent ones running, some overdue, redone, returned, merged or declined.
Deterministic for a given day: the seed fixes every story, and "now" decides how far each got.
"""

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from qingdan.accounts.models import Enterprise, Role, Unit, User
from qingdan.bulletins import actions as bulletin_actions
from qingdan.challenges import actions as challenge_actions
from qingdan.exchange.models import ExchangeDay
from qingdan.lib import clock
from qingdan.notifications.rules import muted
from qingdan.problems import actions, calendar
from qingdan.problems.models import Category, Channel, CloseType, Problem, Satisfaction, Urgency

WEEKS = 52


@dataclass(frozen=True)
class Template:
    category: str
    lead: str  # unit short name
    title: str
    description: str
    co: str = ""  # co-unit short name


# The article's examples first: circuit faults, high water charges, hard applications,
# missing bus routes, hiring, finance — then the rest of a park's usual business.
TEMPLATES = [
    Template(
        "utilities",
        "供电公司",
        "厂区10kV线路频繁跳闸",
        "本月厂区线路已跳闸三次，每次停产两小时以上，请尽快排查线路故障。",
    ),
    Template(
        "utilities",
        "供电公司",
        "新厂房用电增容报装进度慢",
        "新建厂房需增容至2000千伏安，报装已两个月仍未完成，影响设备调试。",
        "规建局",
    ),
    Template(
        "utilities",
        "自来水公司",
        "水费偏高，要求核查计量",
        "近三个月水费比去年同期高出40%，用水量并未增加，怀疑水表计量有误。",
    ),
    Template(
        "utilities",
        "自来水公司",
        "新厂区供水管网未接通",
        "新厂区已建成待投产，市政供水管网尚未接入，目前靠水车送水。",
        "规建局",
    ),
    Template(
        "utilities",
        "燃气公司",
        "天然气管道压力不稳",
        "生产线使用的天然气压力波动大，影响产品良率。",
    ),
    Template(
        "approvals",
        "政务中心",
        "施工许可申报材料多、办理难",
        "二期厂房施工许可需要提交的材料多，多次往返仍未受理，希望提供帮办服务。",
        "规建局",
    ),
    Template(
        "approvals",
        "生态环境",
        "环评审批进度慢",
        "技改项目环评报告已提交一个月，尚无审批意见，影响项目开工。",
    ),
    Template(
        "approvals",
        "市监分局",
        "特种设备登记办理咨询",
        "新购叉车和压力容器需办理使用登记，不清楚办理流程。",
    ),
    Template(
        "transport",
        "公交公司",
        "员工通勤不便，希望增开公交线路",
        "公司员工700余人，园区只有一趟公交，员工上下班不便，招来的工人留不住。",
    ),
    Template(
        "transport",
        "规建局",
        "园区道路破损，大货车通行困难",
        "厂区门口道路路面破损严重，雨天积水，大货车进出困难。",
    ),
    Template(
        "transport",
        "公交公司",
        "希望在厂区门口增设公交站点",
        "最近的公交站距厂区1.5公里，希望在厂门口增设站点。",
    ),
    Template(
        "hiring",
        "人社局",
        "招工难，急缺普工200人",
        "新订单需扩产，急需普工200人、技术工30人，希望协助组织专场招聘。",
    ),
    Template(
        "hiring",
        "人社局",
        "高层次人才住房补贴申请",
        "公司引进博士2名，希望了解并申请人才住房补贴。",
        "财政局",
    ),
    Template(
        "hiring", "人社局", "员工子女入学问题", "外地员工子女入学难，希望协调园区周边学校学位。"
    ),
    Template(
        "finance",
        "建设银行",
        "流动资金紧张，申请助保贷",
        "原材料涨价导致流动资金紧张，希望申请“助保贷”500万元。",
        "潇湘担保",
    ),
    Template(
        "finance", "潇湘担保", "融资担保费率偏高", "担保费率较高，希望享受园区政银担优惠政策。"
    ),
    Template(
        "policy_funds",
        "财政局",
        "技改补贴资金未到位",
        "去年申报的技术改造补贴已公示，资金至今未拨付。",
        "经发局",
    ),
    Template(
        "policy_funds",
        "科工局",
        "高新技术企业认定奖励申报",
        "今年通过高新技术企业认定，希望了解奖励申报流程。",
    ),
    Template(
        "policy_funds", "税务分局", "出口退税办理慢", "出口退税申报后到账时间较长，影响资金周转。"
    ),
    Template("land", "自然资源", "土地证办理延迟", "项目用地已缴清出让金，不动产权证书尚未办出。"),
    Template(
        "land",
        "招商局",
        "标准厂房租赁面积不足",
        "订单增长需扩产，希望租赁园区标准厂房约5000平方米。",
    ),
    Template(
        "safety_environment",
        "生态环境",
        "园区污水处理能力不足",
        "雨季园区污水处理厂满负荷，企业排水受限。",
    ),
    Template(
        "safety_environment",
        "应急局",
        "消防验收流程咨询",
        "新建仓库需要办理消防验收，希望提前指导。",
        "规建局",
    ),
    Template(
        "other",
        "经发局",
        "希望组织上下游企业对接会",
        "希望园区组织电子信息产业链上下游企业对接，寻找本地配套。",
    ),
]


def _at(day: date, rng: random.Random, start_hour: int = 9, end_hour: int = 17) -> datetime:
    moment = time(rng.randint(start_hour, end_hour - 1), rng.randint(0, 59))
    return datetime.combine(day, moment, tzinfo=clock.BEIJING)


def _later(day: date, rng: random.Random, low: int, high: int) -> date:
    return calendar.add_workdays(day, rng.randint(low, high))


class Replay:
    def __init__(self, now: datetime):
        self.rng = random.Random()
        self.last_moment = now
        self.now = now
        self.secretariat = User.objects.get(username="secretariat")
        self.units = {unit.short_name: unit for unit in Unit.objects.all()}
        self.officers = {
            user.unit_id: user
            for user in User.objects.filter(role=Role.UNIT_OFFICER).order_by("pk")
            if user.unit_id
        }
        self.contacts = {
            user.enterprise_id: user
            for user in User.objects.filter(role=Role.ENTERPRISE).order_by("pk")
        }
        self.enterprises = list(Enterprise.objects.order_by("pk"))
        self.demo_enterprise = User.objects.get(username="enterprise").enterprise
        self.categories = {category.code: category for category in Category.objects.all()}
        self.last_by_category: dict[str, Problem] = {}

    def step(self, moment: datetime, action, *args, **kwargs) -> bool:
        """Run one action at ``moment``; False (and nothing done) when that is in the future.
        Steps of one problem never go back in time: a same-day step lands after the last one."""
        if moment <= self.last_moment:
            moment = self.last_moment + timedelta(minutes=self.rng.randint(5, 90))
        self.last_moment = moment
        if moment > self.now:
            return False
        with clock.travel(moment):
            action(*args, **kwargs)
        return True

    def week(self, monday: date, seed: int) -> None:
        week_rng = random.Random(f"{seed}-{monday.isoformat()}")
        count = week_rng.randint(3, 7)
        meeting = datetime.combine(monday, time(19, 30), tzinfo=clock.BEIJING)
        self.exchange_day = None
        if meeting <= self.now:
            self.exchange_day = ExchangeDay.objects.create(
                date=monday,
                chair=week_rng.choice(["党工委第一书记", "党工委书记", "管委会主任"]),
                leaders=week_rng.choice(
                    ["市委副书记、管委会副主任", "分管副市长、管委会副主任", "管委会副主任"]
                ),
                minutes="听取企业反映问题，逐一明确牵头单位、责任人和完成时限。",
                created_by=self.secretariat,
            )
        for index in range(count):
            # Each problem draws from its own generator, so where "now" cuts one problem's
            # story short does not change the others.
            self.rng = random.Random(f"{seed}-{monday.isoformat()}-{index}")
            template = self.rng.choice(TEMPLATES)
            if index == 0 and self.rng.random() < 0.5:
                enterprise = self.demo_enterprise
            else:
                enterprise = self.rng.choice(self.enterprises)
            if index < count - 1:
                raised = datetime.combine(monday, time(19, 30 + index), tzinfo=clock.BEIJING)
                channel = Channel.EXCHANGE_DAY
            else:
                raised = _at(monday + timedelta(days=self.rng.randint(1, 4)), self.rng)
                channel = self.rng.choice([Channel.ONLINE, Channel.PHONE, Channel.VISIT])
            self.problem(template, enterprise, raised, channel)

    def problem(self, template: Template, enterprise: Enterprise, raised: datetime, channel):
        rng = self.rng
        if raised > self.now:
            return
        contact = self.contacts[enterprise.pk]
        category = self.categories[template.category]
        self.last_moment = raised
        with clock.travel(raised):
            problem = actions.raise_problem(
                actor=self.secretariat if channel == Channel.EXCHANGE_DAY else contact,
                enterprise=enterprise,
                title=template.title,
                description=template.description,
                category=category,
                channel=channel,
                urgency=Urgency.URGENT if rng.random() < 0.15 else Urgency.NORMAL,
                may_name_publicly=rng.random() < 0.8,
                exchange_day=self.exchange_day if channel == Channel.EXCHANGE_DAY else None,
                proposed_lead_unit=self.units[template.lead],
            )
        if channel == Channel.EXCHANGE_DAY:
            self.exchange_day.enterprises.add(enterprise)
        day = calendar.add_workdays(raised.astimezone(clock.BEIJING).date(), 1)
        fate = rng.random()
        earlier = self.last_by_category.get(template.category)
        self.last_by_category[template.category] = problem
        if fate < 0.03:
            self.step(
                _at(day, rng),
                actions.decline,
                problem,
                actor=self.secretariat,
                reason="属企业内部经营事项，已当场解释政策，不予受理。",
            )
            return
        if fate < 0.07 and earlier is not None and earlier.status not in ("merged", "declined"):
            self.step(
                _at(day, rng),
                actions.merge,
                problem,
                actor=self.secretariat,
                into=earlier,
                note="与此前反映的问题相同，合并办理。",
            )
            return
        day = _later(day, rng, 0, 2)
        if not self.step(_at(day, rng, 8, 10), actions.accept, problem, actor=self.secretariat):
            return
        lead = self.units[template.lead]
        co = [(self.units[template.co], "配合牵头单位办理")] if template.co else []
        officer = self.officers[lead.pk]
        day = _later(day, rng, 0, 1)
        assigned = _at(day, rng, 10, 12)
        if not self.step(
            assigned,
            actions.assign,
            problem,
            actor=self.secretariat,
            lead_unit=lead,
            responsible=officer,
            division="牵头负责，按期办结并反馈企业",
            co_units=co,
        ):
            return
        slow = rng.random() < 0.25  # a quarter of the tasks run late
        if rng.random() < 0.06:
            day = _later(day, rng, 0, 1)
            if not self.step(
                _at(day, rng),
                actions.return_task,
                problem,
                actor=officer,
                reason="经核实，该事项不属于本单位职责范围，建议改派。",
            ):
                return
            other = self.units["经发局" if template.lead != "经发局" else "规建局"]
            day = _later(day, rng, 0, 1)
            if not self.step(
                _at(day, rng),
                actions.assign,
                problem,
                actor=self.secretariat,
                lead_unit=other,
                note="重新交办",
            ):
                return
            officer = self.officers[other.pk]
        day = _later(day, rng, 1 if slow and rng.random() < 0.5 else 0, 1)
        if not self.step(_at(day, rng), actions.sign_for, problem, actor=officer, note="已签收"):
            return
        day = _later(day, rng, 1, 3)
        if not self.step(
            _at(day, rng),
            actions.report_progress,
            problem,
            actor=officer,
            note="已与企业对接，现场核实情况，正在制定解决方案。",
        ):
            return
        problem.refresh_from_db()
        if rng.random() < 0.12:
            wanted = calendar.add_workdays(problem.deadline, rng.randint(3, 8))
            if not self.step(
                _at(day, rng),
                actions.request_extension,
                problem,
                actor=officer,
                reason="涉及多部门协调，需要更多时间。",
                new_deadline=wanted,
            ):
                return
            day = _later(day, rng, 0, 1)
            decide = actions.approve_extension if rng.random() < 0.8 else actions.refuse_extension
            extra = {} if decide is actions.approve_extension else {"reason": "请按原时限办结。"}
            if not self.step(_at(day, rng), decide, problem, actor=self.secretariat, **extra):
                return
            problem.refresh_from_db()
        if slow and rng.random() < 0.5:  # stalled: long overdue, red for weeks
            finish = calendar.add_workdays(problem.deadline, rng.randint(10, 40))
        elif slow:
            finish = calendar.add_workdays(problem.deadline, rng.randint(1, 6))
        else:
            finish = max(day, min(problem.deadline, _later(day, rng, 1, 4)))
        if not self._finish(problem, officer, finish, contact):
            return
        if rng.random() < 0.12:  # unsatisfied: redo, then done properly
            if not self.step(
                _at(_later(finish, rng, 1, 2), rng),
                actions.rate,
                problem,
                actor=self.secretariat,
                solved=False,
                satisfaction=Satisfaction.UNSATISFIED,
                comment="企业反映问题仍未彻底解决，要求重新办理。",
            ):
                return
            problem.refresh_from_db()
            finish = calendar.add_workdays(finish, rng.randint(2, 6))
            if not self._finish(problem, officer, finish, contact):
                return
        satisfaction = Satisfaction.SATISFIED if rng.random() < 0.85 else Satisfaction.BASIC
        rated = _later(finish, rng, 1, 2)
        if not self.step(
            _at(rated, rng),
            actions.rate,
            problem,
            actor=contact,
            solved=True,
            satisfaction=satisfaction,
            comment="问题已解决，感谢园区。",
        ):
            return
        self.step(
            _at(_later(rated, rng, 0, 2), rng),
            actions.close,
            problem,
            actor=self.secretariat,
            close_type=CloseType.SOLVED,
        )

    def _finish(self, problem, officer, day: date, contact) -> bool:
        return self.step(
            _at(day, self.rng),
            actions.complete,
            problem,
            actor=officer,
            report="已协调解决：现场处置完毕，并向企业反馈办理结果。",
        )


def build_history(rng: random.Random) -> None:
    if Problem.objects.exists():
        return
    defaults = {
        "utilities": "供电公司",
        "transport": "公交公司",
        "land": "自然资源",
        "approvals": "政务中心",
        "policy_funds": "财政局",
        "hiring": "人社局",
        "finance": "建设银行",
        "safety_environment": "生态环境",
        "other": "经发局",
    }
    for code, short_name in defaults.items():
        Category.objects.filter(code=code, default_lead_unit__isnull=True).update(
            default_lead_unit=Unit.objects.filter(short_name=short_name).first()
        )
    now = clock.now()
    today = now.astimezone(clock.BEIJING).date()
    this_monday = today - timedelta(days=today.weekday())
    replay = Replay(now)
    seed = rng.randint(0, 10**9)
    with muted():
        for weeks_ago in range(WEEKS, -1, -1):
            replay.week(this_monday - timedelta(weeks=weeks_ago), seed)
        challenge_progress(this_monday, replay)
        _bulletins(this_monday, replay.secretariat)


def challenge_progress(this_monday: date, replay: Replay) -> None:
    """Two challenges: one in delivery (a research team leads it), one open for applications."""
    sec = replay.secretariat
    team = User.objects.get(username="team")
    water = User.objects.filter(unit__short_name="自来水公司", role=Role.UNIT_OFFICER).first()
    start = datetime.combine(this_monday - timedelta(weeks=10), time(10, 0), tzinfo=clock.BEIJING)
    with clock.travel(start):
        grid = challenge_actions.create(
            actor=sec,
            title="园区智能配电网改造，年停电时间降至1小时以内",
            goal="解决电子企业反映的线路频繁跳闸问题：建设智能配电网，实现故障自动隔离与快速复电。",
            conditions="具备配电自动化项目经验的科研团队、企业或单位联合体。",
            owner_unit=replay.units["供电公司"],
            support_funds_wan_yuan="500.00",
            support_resources="开放园区配电数据，提供试点线路。",
            application_deadline=this_monday - timedelta(weeks=8),
            delivery_deadline=this_monday + timedelta(weeks=20),
            enterprises=replay.enterprises[:3],
        )
        challenge_actions.publish(grid, actor=sec)
    with clock.travel(start + timedelta(days=3)):
        chosen = challenge_actions.apply(
            grid,
            actor=team,
            team_kind="institute",
            team_name="湘南智能电网研究团队",
            leader_name=team.name,
            members="高校教授2名、博士5名",
            plan="一期建设自动化主站，二期改造线路。",
            milestones=(
                f"{this_monday - timedelta(weeks=4)} 完成方案设计\n"
                f"{this_monday + timedelta(days=2)} 完成试点线路改造\n"
                f"{this_monday + timedelta(weeks=16)} 全园区投运"
            ),
            commitment="按期交付，年停电时间降至1小时以内。",
        )
    with clock.travel(start + timedelta(days=5)):
        challenge_actions.apply(
            grid,
            actor=water,
            team_kind="unit",
            team_name="水电联合工作组",
            leader_name=water.name,
            plan="与供电公司联合实施。",
            milestones=f"{this_monday + timedelta(weeks=10)} 完成改造",
            commitment="全力配合。",
        )
    with clock.travel(start + timedelta(weeks=2, days=1)):
        challenge_actions.start_review(grid, actor=sec)
        challenge_actions.select(grid, actor=sec, application_id=chosen.pk, note="方案最优")
    with clock.travel(start + timedelta(weeks=2, days=3)):
        challenge_actions.sign_letter(grid, actor=team)
    first = grid.milestones.first()
    with clock.travel(start + timedelta(weeks=5)):
        challenge_actions.report_milestone(
            grid, actor=team, milestone_id=first.pk, report="方案已通过专家评审。"
        )
    with clock.travel(start + timedelta(weeks=9)):
        talent = challenge_actions.create(
            actor=sec,
            title="电子信息产业技能人才定向培养",
            goal="三年内为园区电子企业定向培养技能人才1000名。",
            owner_unit=replay.units["人社局"],
            support_funds_wan_yuan="200.00",
            application_deadline=this_monday + timedelta(weeks=3),
            delivery_deadline=this_monday + timedelta(weeks=60),
            enterprises=replay.enterprises[3:6],
            may_name_enterprises=True,
        )
        challenge_actions.publish(talent, actor=sec)


def _bulletins(this_monday: date, secretariat: User) -> None:
    """The last weeks' bulletins: two published (each on its Monday), last week's a draft."""
    for weeks_ago in (3, 2, 1):
        week = this_monday - timedelta(weeks=weeks_ago)
        monday_morning = datetime.combine(
            week + timedelta(days=7), time(9, 0), tzinfo=clock.BEIJING
        )
        with clock.travel(monday_morning):
            bulletin = bulletin_actions.generate_draft(week, actor=secretariat)
            bulletin_actions.edit_draft(bulletin, actor=secretariat, next_steps=NEXT_STEPS)
            if weeks_ago > 1:
                bulletin_actions.publish(bulletin, actor=secretariat, confirm=True)


NEXT_STEPS = (
    "1. 各责任单位要对照清单逐项销号，红牌事项须在3个工作日内办结并书面说明原因。\n"
    "2. 对企业不满意事项，牵头单位主要负责人要亲自研究、上门回访。\n"
    "3. 营商办继续跟踪督办，办理情况纳入月度考核。"
)
