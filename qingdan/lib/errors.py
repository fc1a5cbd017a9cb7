"""One error hierarchy for every refused action, in every domain.

An action that refuses raises one of these before it writes anything (or inside its transaction,
which then rolls back). Each carries a stable machine ``code`` and an HTTP ``status``; the web
shows ``message`` to the person, the API answers ``{"error": {"code", "message", "fields"}}``
with ``status``. ``fields`` names the inputs at fault, when there are some.
"""


class ActionError(Exception):
    code = "invalid_input"
    status = 400

    def __init__(self, message, *, fields: dict | None = None):
        super().__init__(str(message))
        self.message = message
        self.fields = fields or {}


class InvalidInput(ActionError):
    """The input is wrong: the person can correct it and try again."""


class NotAllowed(ActionError):
    """This person may not do this, or not in the object's present state."""

    code = "not_allowed"
    status = 403


class Conflict(ActionError):
    """Someone else changed the object meanwhile: reload and try again."""

    code = "conflict"
    status = 409


class Unavailable(ActionError):
    """The server lacks something it needs (e.g. fonts); an administrator must act."""

    code = "unavailable"
    status = 503
