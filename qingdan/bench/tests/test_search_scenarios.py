import pytest

from qingdan.bench import search_scenarios
from qingdan.bench.synthetic import generate
from qingdan.problems.models import Problem
from qingdan.search.models import ProblemIndex, RoutingModel

pytestmark = pytest.mark.django_db


def test_the_generator_fills_the_index_and_the_search_scenarios_run():
    written = generate(1500, enterprises=40, units=5, log=lambda _line: None)
    assert written["indexed"] == ProblemIndex.objects.count() == Problem.objects.count() == 1500
    assert RoutingModel.objects.exists()
    results = {row["scenario"]: row for row in search_scenarios.run(reps=2)}
    assert set(results) == {"search_list", "similar", "raise_index_overhead"}
    assert results["search_list"]["median_ms"] > 0 and results["search_list"]["floor"]["n"] == 2
    assert results["similar"]["median_ms"] > 0
    overhead = results["raise_index_overhead"]
    assert overhead["with_index"]["n"] == overhead["without_index"]["n"] == 2
    assert Problem.objects.count() == 1500  # every raise was rolled back
