import json

from django.core.management.base import BaseCommand

from qingdan.accounts.models import Unit
from qingdan.search import learned, quality, routing


class Command(BaseCommand):
    help = (
        "Measure routing suggestions (top-1, top-3 on the labelled problems) and duplicate "
        "detection (precision, recall on the labelled pairs) with this database's history; "
        "prints JSON. Run it on the demo park (`manage.py demo`)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--train", action="store_true", help="train the routing model first")

    def handle(self, *args, train, **options):
        if train:
            routing.train()
        learned.forget()
        model = learned.current()
        units = {}
        for pk, name, short_name in Unit.objects.values_list("pk", "name", "short_name"):
            units.setdefault(short_name or name, pk)
        accuracy = quality.routing_accuracy(model, units)
        duplicates = quality.duplicate_quality(model.idf)
        result = {
            "scenario": "search_quality",
            "history_problems": model.idf.n,
            "routing_top1": accuracy["top1"],
            "routing_top3": accuracy["top3"],
            "labelled_problems": accuracy["n"],
            "duplicate_threshold": duplicates["all"]["threshold"],
            "duplicate_precision": duplicates["all"]["precision"],
            "duplicate_recall": duplicates["all"]["recall"],
            "duplicate_precision_held_out": duplicates["held_out"]["precision"],
            "duplicate_recall_held_out": duplicates["held_out"]["recall"],
            "labelled_pairs": duplicates["all"]["n"],
            "threshold_chosen_on_even_pairs": quality.choose_threshold(model.idf),
        }
        self.stdout.write(json.dumps(result, ensure_ascii=False))
