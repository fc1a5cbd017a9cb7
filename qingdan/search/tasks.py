from django_tasks import task

from qingdan.search import routing


@task()
def train_routing(occurrence: str = "") -> str:
    """Nightly: learn routing from the day's assignments and returns too."""
    model = routing.train()
    return f"{model.problems} problems, {model.returns} returns"
