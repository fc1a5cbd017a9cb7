from datetime import date


class IsoDateConverter:
    """<isodate:week> in URLs: 2026-11-23 → date; anything else does not match (404)."""

    regex = r"\d{4}-\d{2}-\d{2}"

    def to_python(self, value: str) -> date:
        return date.fromisoformat(value)  # ValueError: the URL does not match

    def to_url(self, value) -> str:
        return value.isoformat() if isinstance(value, date) else str(value)
