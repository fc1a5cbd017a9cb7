"""The demo park's factories and land: the article's 159 万㎡ of standard factories under
construction (40 万㎡ ready by the year's end), 2 万㎡ revitalised this year, a campaign on idle
land with flexible-term supply, and buildings leased to the demo's projects — one of them the
"signed this month, producing this month" project, in a building that was waiting for it."""

import random
from datetime import date, timedelta
from decimal import Decimal

from qingdan.accounts.models import Enterprise, User
from qingdan.carriers.models import (
    Building,
    BuildingState,
    CleanupStep,
    LandParcel,
    LandState,
    Lease,
    SpaceRequest,
    SupplyMode,
)
from qingdan.lib import clock
from qingdan.projects.models import Project

D = Decimal


def _building(code, area, name, floors, floor_area, **fields) -> Building:
    b = Building(
        code=code, park_area=area, name=name, floors=floors, floor_area_m2=D(floor_area), **fields
    )
    b.full_clean()
    b.save()
    return b


def _measures(rng: random.Random) -> dict:
    return {
        "floor_load_kn_m2": D(rng.choice(["5", "8", "10", "15", "20", "30"])),
        "clear_height_m": D(rng.choice(["4.5", "6", "8", "9", "12"])),
        "crane_t": D(rng.choice(["0", "0", "5", "10", "20"])),
        "power_kva": rng.choice([250, 400, 630, 800, 1250, 2000]),
        "water_t_day": D(rng.choice(["20", "50", "100"])),
        "rent_yuan_m2_month": D(rng.choice(["8", "10", "12", "15"])),
    }


def build_carriers(rng: random.Random) -> None:
    if Building.objects.exists():
        return
    today = clock.today()
    year_end = date(today.year, 12, 31)
    # Under construction: 8 × 5 × 10,000 = 40 万㎡ due by the year's end, 17 × 7 × 10,000 =
    # 119 万㎡ next year: 159 万㎡ in all.
    for n in range(8):
        _building(
            f"N-{n + 1:02d}",
            "新区",
            f"标准厂房新{n + 1}栋",
            5,
            "10000",
            state=BuildingState.UNDER_CONSTRUCTION,
            construction_start=today - timedelta(days=400),
            planned_completion=min(year_end, today + timedelta(days=3 + 3 * n)),
            **_measures(rng),
        )
    for n in range(17):
        _building(
            f"S-{n + 1:02d}",
            "南区",
            f"标准厂房南{n + 1}栋",
            7,
            "10000",
            state=BuildingState.UNDER_CONSTRUCTION,
            construction_start=today - timedelta(days=200),
            planned_completion=date(today.year + 1, 3 + n % 9, 28),
            **_measures(rng),
        )
    # Revitalised this year: two underused buildings, 2 × 2 × 5,000 = 2 万㎡, now leased.
    revitalised = date(today.year, max(1, today.month - 2), 1)
    enterprises = list(Enterprise.objects.order_by("pk"))
    for n in range(2):
        b = _building(
            f"R-{n + 1:02d}",
            "老区",
            f"盘活厂房{n + 1}栋",
            2,
            "5000",
            state=BuildingState.LEASED,
            completed_on=date(2012, 5, 1),
            revitalised_on=revitalised,
            **_measures(rng),
        )
        if enterprises:
            Lease.objects.create(
                building=b,
                area_m2=b.total_area_m2,
                enterprise=enterprises[(n * 7) % len(enterprises)],
                starts_on=revitalised,
            )
    # Completed buildings: some leased to the demo's projects, some waiting.
    projects = list(Project.objects.filter(signed_on__isnull=False).order_by("signed_on"))
    ready = []
    for n in range(12):
        floors = 1 + n % 3
        b = _building(
            f"E-{n + 1:02d}",
            "东区",
            f"标准厂房东{n + 1}栋",
            floors,
            str(3000 + 500 * (n % 6)),
            state=BuildingState.READY,
            completed_on=today - timedelta(days=60 + 45 * n),
            construction_start=today - timedelta(days=500 + 45 * n),
            **_measures(rng),
        )
        ready.append(b)
    _building(
        "E-OWN",
        "东区",
        "园区平台公司自用厂房",
        2,
        "4000",
        state=BuildingState.OWN_USE,
        completed_on=date(2020, 9, 1),
        **_measures(rng),
    )
    for b, project in zip(ready[1:8], projects, strict=False):
        starts = project.landed_on or project.signed_on
        if b.completed_on > starts:  # the building was not ready: it moved in on completion
            starts = b.completed_on
        Lease.objects.create(
            building=b,
            area_m2=b.total_area_m2,
            project=project,
            enterprise=project.investor,
            starts_on=starts,
        )
        b.state = BuildingState.LEASED
        b.save(update_fields=["state"])
    # The "same month" project moved into a building finished before it signed.
    same_month = next((p for p in projects if p.same_month_signing_and_production), None)
    if same_month is not None and not Lease.objects.filter(project=same_month).exists():
        waiting = ready[0]
        Lease.objects.create(
            building=waiting,
            area_m2=waiting.floor_area_m2,
            floor=1,
            project=same_month,
            enterprise=same_month.investor,
            starts_on=same_month.signed_on,
        )
        if waiting.floors == 1:  # the whole building
            waiting.state = BuildingState.LEASED
            waiting.save(update_fields=["state"])
    # Land: reserve, flexible-term supply, idle, underused, a clean-up case past its deadline,
    # and idle land cleared this year.
    parcels = [
        ("L-01", "储备地块一", "120", "工业", LandState.RESERVE, "", None, None, None),
        (
            "L-02",
            "弹性年期供地地块",
            "85",
            "工业",
            LandState.SUPPLIED,
            SupplyMode.FLEXIBLE,
            20,
            None,
            None,
        ),
        ("L-03", "闲置地块（原某公司）", "46", "工业", LandState.IDLE, "", None, None, None),
        ("L-04", "低效用地（老厂区）", "32", "工业", LandState.UNDERUSED, "", None, None, None),
        (
            "L-05",
            "闲置土地清理地块",
            "58",
            "工业",
            LandState.CLEARING,
            SupplyMode.TRANSFER,
            None,
            today - timedelta(days=12),
            None,
        ),
        (
            "L-06",
            "已盘活闲置地块",
            "64",
            "工业",
            LandState.SUPPLIED,
            SupplyMode.LEASE_THEN_TRANSFER,
            None,
            None,
            date(today.year, max(1, today.month - 4), 15),
        ),
    ]
    for code, name, mu, use, state, mode, term, deadline, cleared in parcels:
        parcel = LandParcel(
            code=code,
            park_area="西区",
            name=name,
            area_mu=D(mu),
            planned_use=use,
            state=state,
            supply_mode=mode,
            term_years=term,
            cleanup_deadline=deadline,
            cleared_on=cleared,
        )
        parcel.full_clean()
        parcel.save()
        if state == LandState.CLEARING:
            for title, days, done in (
                ("认定闲置", -120, True),
                ("约谈企业", -90, True),
                ("下达处置决定", -30, False),
                ("收回或盘活", 30, False),
            ):
                due = today + timedelta(days=days)
                CleanupStep.objects.create(
                    parcel=parcel, title=title, due_on=due, done_on=due if done else None
                )
    # The red-card problem "标准厂房租赁面积不足" as a space request.
    secretariat = User.objects.filter(username="secretariat").first()
    if enterprises and secretariat is not None:
        SpaceRequest.objects.create(
            enterprise=enterprises[3 % len(enterprises)],
            area_m2=D("8000"),
            floor_load_kn_m2=D("10"),
            clear_height_m=D("8"),
            power_kva=630,
            needed_by=today + timedelta(days=90),
            created_by=secretariat,
            note="标准厂房租赁面积不足",
        )
    place_on_plan(secretariat)


# Where each park area lies on the demo's site plan (x0, y0, x1, y1 as fractions).
ZONES = {
    "新区": (0.04, 0.05, 0.48, 0.45),
    "东区": (0.52, 0.05, 0.96, 0.45),
    "南区": (0.04, 0.55, 0.70, 0.95),
    "老区": (0.74, 0.55, 0.96, 0.72),
    "西区": (0.74, 0.76, 0.96, 0.95),
}


def _grid(zone, count: int, index: int) -> list[list[float]]:
    x0, y0, x1, y1 = ZONES[zone]
    columns = max(1, round(count**0.5 * 1.4))
    rows = -(-count // columns)
    width, height = (x1 - x0) / columns, (y1 - y0) / rows
    col, row = index % columns, index // columns
    left, top = x0 + col * width + width * 0.1, y0 + row * height + height * 0.12
    right, bottom = left + width * 0.8, top + height * 0.76
    return [
        [round(x, 4), round(y, 4)]
        for x, y in ((left, top), (right, top), (right, bottom), (left, bottom))
    ]


def place_on_plan(actor=None) -> None:
    """Every demo building and parcel drawn on a plain site plan (roads between the areas)."""
    from io import BytesIO

    from django.core.files.base import ContentFile
    from PIL import Image, ImageDraw

    from qingdan.carriers.models import SitePlan

    for model in (Building, LandParcel):
        by_zone: dict[str, list] = {}
        for row in model.objects.order_by("code"):
            by_zone.setdefault(row.park_area, []).append(row)
        for zone, rows in by_zone.items():
            if zone not in ZONES:
                continue
            for index, row in enumerate(rows):
                row.shape = _grid(zone, len(rows), index)
                row.save(update_fields=["shape"])
    if actor is None or SitePlan.objects.exists():
        return
    width, height = 1600, 1000
    image = Image.new("RGB", (width, height), (238, 242, 236))
    draw = ImageDraw.Draw(image)
    for x0, y0, x1, y1 in ZONES.values():
        draw.rectangle(
            (x0 * width, y0 * height, x1 * width, y1 * height),
            fill=(226, 232, 224),
            outline=(190, 198, 188),
            width=3,
        )
    roads = [(0, 0.5, 1, 0.5), (0.5, 0, 0.5, 0.5), (0.72, 0.5, 0.72, 1), (0.72, 0.74, 1, 0.74)]
    for x0, y0, x1, y1 in roads:
        draw.line(
            (x0 * width, y0 * height, x1 * width, y1 * height), fill=(255, 255, 255), width=18
        )
    out = BytesIO()
    image.save(out, "PNG")
    plan = SitePlan(uploaded_by=actor, content_type="image/png", width=width, height=height)
    plan.image.save("demo-site-plan.png", ContentFile(out.getvalue()), save=False)
    plan.save()
