"""Every change to the carriers: by the secretariat (space requests also by an enterprise for
itself), each one a ``RecordChange`` through ``qingdan.core.records.save`` — pages, the REST API,
the Excel imports and the demo call these."""

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from qingdan.accounts.models import Role, User
from qingdan.carriers.access import KEEPERS
from qingdan.carriers.models import (
    Building,
    BuildingState,
    CleanupStep,
    LandParcel,
    Lease,
    SitePlan,
    SpaceRequest,
)
from qingdan.core import records
from qingdan.lib.errors import InvalidInput, NotAllowed


def _require_keeper(actor: User) -> None:
    if actor.role not in KEEPERS:
        raise NotAllowed(_("Only the secretariat keeps the factories and land ledger."))


def save_building(building: Building | None, *, actor: User, values: dict) -> Building:
    _require_keeper(actor)
    return records.save(building or Building(), actor=actor, values=values)


def save_parcel(parcel: LandParcel | None, *, actor: User, values: dict) -> LandParcel:
    _require_keeper(actor)
    return records.save(parcel or LandParcel(), actor=actor, values=values)


def save_many(rows, *, actor: User) -> int:
    """Many rows at once (an Excel import): ``(model instance or None, model class, values)``;
    all of them or, on any refusal, none."""
    _require_keeper(actor)
    with transaction.atomic():
        for obj, model, values in rows:
            records.save(obj or model(), actor=actor, values=values)
    return len(rows)


def add_cleanup_step(parcel: LandParcel, *, actor: User, title: str, due_on: date) -> CleanupStep:
    _require_keeper(actor)
    return records.save(
        CleanupStep(parcel=parcel), actor=actor, values={"title": title, "due_on": due_on}
    )


def finish_cleanup_step(step: CleanupStep, *, actor: User, done_on: date) -> CleanupStep:
    _require_keeper(actor)
    with transaction.atomic():
        step = CleanupStep.objects.select_for_update().get(pk=step.pk)
        if step.done_on is not None:
            raise InvalidInput(_("This step is already done."))
        return records.save(step, actor=actor, values={"done_on": done_on})


def leased_area(
    building: Building, starts_on: date, ends_on: date | None, *, floor: int | None = None
) -> Decimal:
    """The area of the leases overlapping the period (counted together: conservative), of the
    whole building or of one floor."""
    overlapping = building.leases.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=starts_on))
    if ends_on is not None:
        overlapping = overlapping.filter(starts_on__lte=ends_on)
    if floor is not None:
        overlapping = overlapping.filter(floor=floor)
    return sum((lease.area_m2 for lease in overlapping), Decimal(0))


def create_lease(
    building: Building,
    *,
    actor: User,
    area_m2: Decimal,
    starts_on: date,
    ends_on: date | None = None,
    floor: int | None = None,
    enterprise=None,
    project=None,
    space_request: SpaceRequest | None = None,
) -> Lease:
    """Let a building or part of one floor to an enterprise and/or a project. Refused beyond
    the free area of the period, on a floor the building does not have or beyond that floor's
    area, in a building kept for its owner's use. When the building is full it becomes 已租."""
    _require_keeper(actor)
    if project is not None and enterprise is None:
        enterprise = project.investor
    with transaction.atomic():
        building = Building.objects.select_for_update().get(pk=building.pk)
        if building.state == BuildingState.OWN_USE:
            raise InvalidInput(_("This building is kept for its owner's use."))
        if floor is not None and not 1 <= floor <= building.floors:
            raise InvalidInput(
                _("The building has floors 1 to %(n)s.") % {"n": building.floors},
                fields={"floor": [_("No such floor.")]},
            )
        if floor is not None and area_m2 > building.floor_area_m2:
            raise InvalidInput(
                _("More than the floor's area (%(a)s㎡).") % {"a": building.floor_area_m2},
                fields={"area_m2": [_("More than the floor's area.")]},
            )
        if floor is not None:
            floor_free = building.floor_area_m2 - leased_area(
                building, starts_on, ends_on, floor=floor
            )
            if area_m2 > floor_free:
                raise InvalidInput(
                    _("Only %(free)s㎡ of this floor are free in this period.")
                    % {"free": floor_free},
                    fields={"area_m2": [_("More than the free area.")]},
                )
        free = building.total_area_m2 - leased_area(building, starts_on, ends_on)
        if area_m2 > free:
            raise InvalidInput(
                _("Only %(free)s㎡ are free in this period.") % {"free": free},
                fields={"area_m2": [_("More than the free area.")]},
            )
        if building.ready_by() is None or building.ready_by() > starts_on:
            raise InvalidInput(
                _("The building is not ready by the start of the lease."),
                fields={"starts_on": [_("Before the building is ready.")]},
            )
        lease = records.save(
            Lease(building=building),
            actor=actor,
            values={
                "floor": floor,
                "area_m2": area_m2,
                "enterprise": enterprise,
                "project": project,
                "starts_on": starts_on,
                "ends_on": ends_on,
            },
        )
        if space_request is not None:
            records.save(space_request, actor=actor, values={"lease": lease})
        full = leased_area(building, starts_on, ends_on) >= building.total_area_m2
        if full and building.state in (BuildingState.READY, BuildingState.UNDERUSED):
            records.save(building, actor=actor, values={"state": BuildingState.LEASED})
    return lease


def end_lease(lease: Lease, *, actor: User, ends_on: date) -> Lease:
    """End a lease (the space is free from the next day); a 已租 building becomes 建成待租."""
    _require_keeper(actor)
    with transaction.atomic():
        lease = records.save(lease, actor=actor, values={"ends_on": ends_on})
        building = lease.building
        if building.state == BuildingState.LEASED:
            records.save(building, actor=actor, values={"state": BuildingState.READY})
    return lease


def create_request(*, actor: User, values: dict) -> SpaceRequest:
    """A space request: the secretariat for any enterprise or project, an enterprise for itself
    or its own projects."""
    if actor.role == Role.ENTERPRISE:
        project = values.get("project")
        enterprise = values.get("enterprise")
        if enterprise is not None and enterprise.pk != actor.enterprise_id:
            raise NotAllowed(_("An enterprise asks for space for itself only."))
        if project is not None and project.investor_id != actor.enterprise_id:
            raise NotAllowed(_("An enterprise asks for space for its own projects only."))
        if enterprise is None and project is None:
            values = {**values, "enterprise": actor.enterprise}
    elif actor.role not in KEEPERS:
        raise NotAllowed(_("Only the secretariat or the enterprise itself asks for space."))
    return records.save(SpaceRequest(created_by=actor), actor=actor, values=values)


def upload_site_plan(*, actor: User, upload) -> SitePlan:
    """The park's site plan (JPEG, PNG or WebP): the type read from the content (the shared
    upload check), decoded whole as the image it claims, within the upload size; recorded."""
    from django.core.exceptions import ValidationError

    from qingdan.lib.downloads import INLINE_IMAGES, is_plain_image
    from qingdan.problems.attachments import check_upload

    _require_keeper(actor)
    try:
        content_type = check_upload(upload)
    except ValidationError as refused:
        raise InvalidInput(" ".join(refused.messages), fields={"file": refused.messages}) from None
    data = upload.read()
    upload.seek(0)
    if content_type not in INLINE_IMAGES or not is_plain_image(data, content_type):
        message = _("The site plan must be a JPEG, PNG or WebP image.")
        raise InvalidInput(message, fields={"file": [message]})
    from io import BytesIO

    from PIL import Image

    with Image.open(BytesIO(data)) as image:
        width, height = image.size
    plan = SitePlan(uploaded_by=actor)
    plan.image.save(upload.name, upload, save=False)
    return records.save(
        plan,
        actor=actor,
        values={
            "content_type": content_type,
            "width": width,
            "height": height,
        },
    )
