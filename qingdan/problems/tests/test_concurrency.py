"""Two people acting on one problem at the same moment, in real concurrent transactions."""

import threading

import pytest
from django.db import connection, connections

from qingdan.lib import errors
from qingdan.problems import actions
from qingdan.problems.models import Problem, ReturnRequest

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("real concurrent transactions are tested on PostgreSQL")


def run_together(*calls):
    """Start the calls in threads at the same instant; return what each raised (or None)."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            call()
        except Exception as exc:  # collected for the assertions
            outcomes[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return outcomes


def test_sign_and_return_at_once_exactly_one_applies(cast, make_problem):
    for _round in range(5):
        problem = make_problem("assigned")
        seen = problem.version
        outcomes = run_together(
            lambda p=problem, v=seen: actions.sign_for(
                Problem.objects.get(pk=p.pk), actor=cast.power_officer, expected_version=v
            ),
            lambda p=problem, v=seen: actions.return_task(
                Problem.objects.get(pk=p.pk),
                actor=cast.power_head,
                reason="并发退回",
                expected_version=v,
            ),
        )
        failures = [o for o in outcomes if o is not None]
        assert len(failures) == 1 and isinstance(failures[0], errors.Conflict), outcomes
        problem.refresh_from_db()
        assert problem.version == seen + 1
        assert problem.events.count() == 4
        signed = outcomes[0] is None
        assert problem.status == ("in_progress" if signed else "returned")
        assert ReturnRequest.objects.filter(problem=problem).exists() == (not signed)


def test_without_a_version_the_second_sees_the_new_state_and_is_refused(cast, make_problem):
    problem = make_problem("resolved")
    outcomes = run_together(
        lambda: actions.close(
            Problem.objects.get(pk=problem.pk),
            actor=cast.secretariat,
            close_type="explained",
            note="已解释",
        ),
        lambda: actions.close(
            Problem.objects.get(pk=problem.pk),
            actor=cast.secretariat,
            close_type="explained",
            note="已解释",
        ),
    )
    assert sum(o is None for o in outcomes) == 1
    assert any(isinstance(o, errors.NotAllowed) for o in outcomes)
    assert problem.events.filter(action="close").count() == 1
