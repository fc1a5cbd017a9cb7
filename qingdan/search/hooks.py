"""How the search app plugs into the trunk without the trunk importing it."""


def connect() -> None:
    from qingdan.core import events
    from qingdan.core import hooks as slots
    from qingdan.search import index, panels, query  # noqa: F401  (panels register themselves)

    events.recorded.connect(index.on_recorded, dispatch_uid="qingdan.search.index")
    slots.provide("problems.search", query.search)
    slots.provide("challenges.search", query.search_challenges)
    slots.provide("projects.search", query.search_projects)
