"""Web–API parity, declared where it is kept: each view that changes something names its REST
twin (the OpenAPI operation id), or says why it has none. A test walks every URL and fails when a
view that takes a POST declares neither, or names an operation the API does not have."""


def api_twin(*operation_ids: str):
    """The API operations doing what this view does. ``{action}`` stands for each of the
    view's commands (e.g. ``problem_{action}`` for the problem page's action forms)."""

    def mark(view):
        view.api_twins = operation_ids
        return view

    return mark


def web_only(reason: str):
    """This view changes something the API deliberately does not (with the reason)."""

    def mark(view):
        view.web_only = reason
        return view

    return mark
