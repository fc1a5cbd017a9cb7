"""The notifications app listens to every domain's events (``qingdan.core.events.recorded``)."""

from qingdan.notifications import policy_rules, rules


def on_recorded(sender, *, domain: str, events: list, actor=None, **kwargs) -> None:
    if rules.is_muted():
        return
    if domain == "problems":
        for event in events:
            rules.on_problem_event(event, actor)
    elif domain == "challenges":
        for event in events:
            rules.on_challenge_event(event, actor)
    elif domain == "policies":
        policy_rules.on_recorded(events, actor)
    elif domain == "carriers":  # factories and land: alert reminders, one digest
        rules.on_carrier_reminders(events)
