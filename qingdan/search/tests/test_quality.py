"""Quality floors on a fixed split: trained on the demo park's history texts (the replayed
templates and the earlier history), measured on the labelled sets, which were written apart
from them. A regression in tokenising, similarity or routing fails here, not only in `make bench`.
"""

import pytest

from qingdan.demo.history import TEMPLATES
from qingdan.search import demo, quality, routing, tokens
from qingdan.search.features import content_words
from qingdan.search.learned import Learned
from qingdan.search.similar import DUPLICATE_THRESHOLD

pytestmark = pytest.mark.django_db
RULES = {
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


@pytest.fixture(scope="module")
def trained(django_db_blocker):
    """The demo history's texts as the demo park holds them: each replayed template about ten
    times a year, each earlier problem twice, the earlier returns once."""
    with django_db_blocker.unblock():
        tokens.forget()
        units = {}
        examples = []
        for template in TEMPLATES:
            words = content_words(template.title, template.description)
            unit = units.setdefault(template.lead, len(units) + 1)
            examples += [(words, template.category, unit)] * 10
        returns = []
        for row in demo.corpus():
            words = content_words(row["title"], row["description"])
            examples += [
                (words, row["category"], units.setdefault(row["unit"], len(units) + 1))
            ] * 2
            if row["returned_by"]:
                unit = units.setdefault(row["returned_by"], len(units) + 1)
                returns += [(words, row["category"], unit)] * 2
        rules = {code: units[short] for code, short in RULES.items()}
        payload = routing.learn(examples, returns, rules)
    return Learned.from_payload((1, None), payload), units


def test_routing_meets_its_targets_on_the_labelled_problems(trained):
    model, units = trained
    accuracy = quality.routing_accuracy(model, units)
    assert accuracy["n"] >= 300
    assert accuracy["top1"] >= 0.80, accuracy
    assert accuracy["top3"] >= 0.95, accuracy


def test_duplicate_detection_meets_its_targets_on_the_labelled_pairs(trained):
    model, _units = trained
    measured = quality.duplicate_quality(model.idf, DUPLICATE_THRESHOLD)
    assert measured["all"]["n"] >= 150
    assert measured["all"]["precision"] >= 0.90 and measured["all"]["recall"] >= 0.70, measured
    assert measured["held_out"]["precision"] >= 0.90, measured
    assert quality.choose_threshold(model.idf) == DUPLICATE_THRESHOLD


def test_the_labelled_set_covers_every_handling_unit_of_the_demo_park():
    from qingdan.accounts.models import UnitKind
    from qingdan.demo.park import UNITS

    handling = {
        short
        for _name, short, kind in UNITS
        if kind not in (UnitKind.LEADERSHIP, UnitKind.SECRETARIAT)
    }
    counts = {}
    for row in quality.labelled_problems():
        counts[row["unit"]] = counts.get(row["unit"], 0) + 1
    assert set(counts) == handling
    assert min(counts.values()) >= 10
    ids = [row["id"] for row in quality.labelled_problems()]
    assert len(ids) == len(set(ids))
    for pair in quality.duplicate_pairs():
        for side in (pair["a"], pair["b"]):
            assert side in ids or "｜" in side


def test_the_labelled_set_is_not_drawn_from_the_demo_history():
    def grams(text):
        found = set()
        for piece in tokens.pieces(text):
            if tokens.is_cjk(piece):
                found.update(tokens.bigrams(piece)[:-1] if len(piece) > 1 else [piece])
        return found

    history = [t.title + t.description for t in TEMPLATES]
    history += [row["title"] + row["description"] for row in demo.corpus()]
    titles = {t.title for t in TEMPLATES} | {row["title"] for row in demo.corpus()}
    seen = [grams(text) for text in history]
    overlaps = []
    for row in quality.labelled_problems():
        assert row["title"] not in titles
        mine = grams(row["title"] + row["description"])
        overlaps.append(max(len(mine & other) / len(mine | other) for other in seen))
    # No labelled problem is a near copy of a history text (the closest share about half their
    # character pairs: official names such as 城镇土地使用税), and on average they share little.
    assert max(overlaps) < 0.6
    assert sum(overlaps) / len(overlaps) < 0.2
