import json
import resource
import time
from datetime import datetime, timedelta

from django.core.management.base import BaseCommand
from django.db import connection

from qingdan.bulletins import actions
from qingdan.bulletins.content import monday_of
from qingdan.bulletins.models import Bulletin
from qingdan.lib import clock
from qingdan.problems.kpis import cohort


class Command(BaseCommand):
    help = "Time last week's bulletin: figures, then the PDF; print JSON with peak memory."

    def add_arguments(self, parser):
        parser.add_argument("--reps", type=int, default=3)

    def handle(self, *args, reps, **options):
        week = monday_of(clock.today()) - timedelta(days=7)
        problems = cohort(week, week + timedelta(days=7)).count()
        figures_ms, pdf_ms = [], []
        for _rep in range(reps):
            started = time.perf_counter()
            content = actions.build_content(week, clock.now())
            figures_ms.append((time.perf_counter() - started) * 1000)
        draft = Bulletin(week_start=week, content=content, generated_at=clock.now())
        for _rep in range(max(1, reps // 2)):
            started = time.perf_counter()
            pdf = actions.render_content(draft, "pdf")
            pdf_ms.append((time.perf_counter() - started) * 1000)
        peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        # A reference, not a floor: the week's events counted by lead unit and action in one
        # raw aggregate — far less than the bulletin's work (every rule of docs/KPIS.md, the
        # lists, the trend), so it bounds nothing.
        start = datetime.combine(week, datetime.min.time(), tzinfo=clock.BEIJING)
        floor_ms = []
        for _rep in range(reps):
            started = time.perf_counter()
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT p.lead_unit_id, e.action, count(*) FROM problems_problemevent e "
                    "JOIN problems_problem p ON p.id = e.problem_id "
                    "WHERE p.created >= %s AND p.created < %s GROUP BY p.lead_unit_id, e.action",
                    [start, start + timedelta(days=7)],
                )
                cursor.fetchall()
            floor_ms.append((time.perf_counter() - started) * 1000)
        self.stdout.write(
            json.dumps(
                {
                    "scenario": "weekly_bulletin",
                    "week": week.isoformat(),
                    "week_problems": problems,
                    "figures_median_ms": round(sorted(figures_ms)[len(figures_ms) // 2], 1),
                    "figures_max_ms": round(max(figures_ms), 1),
                    "pdf_median_ms": round(sorted(pdf_ms)[len(pdf_ms) // 2], 1),
                    "pdf_bytes": len(pdf),
                    "peak_rss_mb": round(peak_kb / 1024, 1),
                    "reference_group_by_median_ms": round(sorted(floor_ms)[len(floor_ms) // 2], 1),
                }
            )
        )
