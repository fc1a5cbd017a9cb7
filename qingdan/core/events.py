"""Domain events: how branches (notifications, search, …) hear of what the trunk recorded.

Every action that writes events sends ``recorded`` once, inside its transaction, after the
event rows exist: a listener's own rows (notices, index entries) commit or roll back with them.
Listeners connect in their app's ``ready()``; the sender never names them, so the trunk imports
no branch.
"""

from django.dispatch import Signal

# Sent with: domain (str: "problems", "challenges", "bulletins", …), events (a list of event
# rows, oldest first; several when an action writes in bulk), actor (the person, or None for the
# system).
recorded = Signal()


def send(domain: str, events: list, actor=None) -> None:
    if events:
        recorded.send(sender=domain, domain=domain, events=events, actor=actor)
