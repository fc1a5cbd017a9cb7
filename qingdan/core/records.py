"""Changing a record the park keeps (a project, an indicator value, a unit…), with its history.

``save()`` is the one way: in a transaction it locks the row, applies the new values, validates
the whole row (``full_clean``: the model's own rules, e.g. project stages in order), saves it and
appends a ``RecordChange`` with each changed field's value before and after — or refuses with
``InvalidInput`` (the fields at fault) and writes nothing.
"""

import json
from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction

from qingdan.core import events
from qingdan.core.models import RecordChange
from qingdan.lib import clock
from qingdan.lib.errors import InvalidInput


def _plain(value):
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, date | datetime | Decimal):
        return json.loads(json.dumps(value, cls=DjangoJSONEncoder))
    return value


def save(obj: models.Model, *, actor, values: dict, exclude_checks=()) -> models.Model:
    """Create (``obj`` unsaved) or update ``obj`` with ``values`` ({field name: value})."""
    with transaction.atomic():
        creating = obj.pk is None
        if not creating:
            obj = type(obj).objects.select_for_update().get(pk=obj.pk)
        changes = {}
        for name, value in values.items():
            field = obj._meta.get_field(name)
            before = getattr(obj, field.attname if field.is_relation else name)
            after = value.pk if field.is_relation and isinstance(value, models.Model) else value
            if creating or _plain(before) != _plain(after):
                changes[name] = [None if creating else _plain(before), _plain(after)]
            setattr(obj, name, value)
        if not changes:
            return obj
        try:
            obj.full_clean(exclude=list(exclude_checks))
        except ValidationError as invalid:
            fields = getattr(invalid, "message_dict", {"": invalid.messages})
            raise InvalidInput(" ".join(invalid.messages), fields=fields) from None
        obj.save()
        change = RecordChange.objects.create(
            actor=actor,
            created=clock.now(),
            model=obj._meta.label_lower,
            object_id=str(obj.pk),
            object_repr=str(obj)[:200],
            action="create" if creating else "update",
            changes=changes,
        )
        events.send("records", [change], actor)
    return obj


def delete(obj: models.Model, *, actor, fields: list[str]) -> None:
    """Delete ``obj``, keeping who deleted it, when, and the values of ``fields`` it had."""
    with transaction.atomic():
        change = RecordChange.objects.create(
            actor=actor,
            created=clock.now(),
            model=obj._meta.label_lower,
            object_id=str(obj.pk),
            object_repr=str(obj)[:200],
            action="delete",
            changes={name: [_plain(getattr(obj, name)), None] for name in fields},
        )
        obj.delete()
        events.send("records", [change], actor)


def history(obj: models.Model):
    return RecordChange.objects.filter(model=obj._meta.label_lower, object_id=str(obj.pk))
