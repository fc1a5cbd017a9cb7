"""The park map: the site plan image with each building and parcel drawn on it as a polygon
(fractions of the image, so any plan size works), coloured by state in ECharts (served
locally; the data in a ``json_script`` tag, the code in a static file: no inline script under
the Content-Security-Policy). The secretariat uploads the plan and draws the shapes (click
points on the plan → polygon → save on a building or a parcel)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qingdan.accounts.models import may_keep
from qingdan.carriers import actions
from qingdan.carriers.access import (
    access_building,
    access_parcel,
    is_staff,
    visible_buildings,
    visible_parcels,
)
from qingdan.carriers.forms import ShapeField
from qingdan.carriers.models import BuildingState, LandState, SitePlan
from qingdan.core.parity import api_twin
from qingdan.lib import downloads
from qingdan.lib.errors import ActionError

COLOURS = {
    BuildingState.UNDER_CONSTRUCTION: "#9aa5b1",
    BuildingState.READY: "#2f7d32",
    BuildingState.LEASED: "#1d4e89",
    BuildingState.OWN_USE: "#5c6bc0",
    BuildingState.UNDERUSED: "#c79100",
    LandState.RESERVE: "#a5d6a7",
    LandState.SUPPLIED: "#90caf9",
    LandState.IDLE: "#e57373",
    LandState.UNDERUSED: "#ffcc80",
    LandState.CLEARING: "#ce93d8",
}


def map_data(user) -> dict:
    plan = SitePlan.objects.first()
    items = []
    for kind, rows, labels in (
        ("building", visible_buildings(user), BuildingState),
        ("parcel", visible_parcels(user), LandState),
    ):
        for row in rows:
            items.append(
                {
                    "kind": kind,
                    "code": row.code,
                    "name": f"{row.code} {row.name}",
                    "state": row.state,
                    "label": str(labels(row.state).label),
                    "colour": COLOURS.get(row.state, "#777"),
                    "url": row.get_absolute_url(),
                    "shape": row.shape,
                }
            )
    legend = [
        {"label": str(choice.label), "colour": COLOURS[choice]}
        for choice in (*BuildingState, *LandState)
    ]
    return {
        "plan": reverse("carriers:plan_image") if plan else "",
        "ratio": (plan.height / plan.width) if plan else 0.6,
        "items": items,
        "legend": legend,
    }


@login_required
def park_map(request):
    if not is_staff(request.user):
        raise Http404
    data = map_data(request.user)
    return render(
        request,
        "carriers/map.html",
        {
            "data": data,
            "keeper": may_keep(request.user),
            "unplaced": [i for i in data["items"] if not i["shape"]],
            "items": data["items"],
        },
    )


@login_required
def plan_image(request):
    if not is_staff(request.user):
        raise Http404
    plan = SitePlan.objects.first()
    if plan is None:
        raise Http404
    return downloads.serve_upload(plan.image, name="site-plan", content_type=plan.content_type)


@api_twin("upload_site_plan")
@login_required
@require_POST
def plan_upload(request):
    if not is_staff(request.user):
        raise Http404
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choose a file to import."))
        return redirect("carriers:map")
    try:
        actions.upload_site_plan(actor=request.user, upload=upload)
    except ActionError as refused:
        messages.error(request, str(refused.message))
    else:
        messages.success(request, _("The site plan is uploaded."))
    return redirect("carriers:map")


@api_twin("update_building", "update_parcel")
@login_required
@require_POST
def shape_save(request):
    """Save the drawn polygon on a building or a parcel (``target``: ``building:A-01``)."""
    if not is_staff(request.user):
        raise Http404
    kind, _sep, code = request.POST.get("target", "").partition(":")
    if kind == "building":
        obj, save = access_building(request.user, code), actions.save_building
    elif kind == "parcel":
        obj, save = access_parcel(request.user, code), actions.save_parcel
    else:
        raise Http404
    try:
        shape = ShapeField(required=False).clean(request.POST.get("shape", ""))
        save(obj, actor=request.user, values={"shape": shape})
    except ActionError as refused:
        messages.error(request, str(refused.message))
    except ValidationError as invalid:
        messages.error(request, " ".join(invalid.messages))
    else:
        messages.success(request, _("Saved."))
    return redirect("carriers:map")


def geojson(user) -> dict:
    """The shapes as GeoJSON (coordinates: fractions of the site plan, y downwards)."""
    features = []
    for item in map_data(user)["items"]:
        if not item["shape"]:
            continue
        ring = [list(p) for p in item["shape"]]
        ring.append(ring[0])
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Polygon", "coordinates": [ring]},
                "properties": {
                    key: item[key] for key in ("kind", "code", "name", "state", "colour")
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


def import_geojson(*, actor, data) -> int:
    """Shapes from GeoJSON (a FeatureCollection of Polygons whose ``properties`` name the
    ``kind`` — building or parcel — and the ``code``), all or none."""
    from django.db import transaction

    from qingdan.carriers.models import Building, LandParcel, polygon_ok
    from qingdan.lib.errors import InvalidInput

    models = {
        "building": (Building, actions.save_building),
        "parcel": (LandParcel, actions.save_parcel),
    }
    features = data.get("features") if isinstance(data, dict) else None
    if not isinstance(features, list) or not 1 <= len(features) <= 2000:
        raise InvalidInput(_("A GeoJSON FeatureCollection of 1 to 2000 polygons."))
    rows = []
    for number, feature in enumerate(features, start=1):
        props = feature.get("properties") if isinstance(feature, dict) else None
        props = props if isinstance(props, dict) else {}
        geometry = feature.get("geometry") if isinstance(feature, dict) else None
        kind, code = str(props.get("kind", ""))[:20], str(props.get("code", ""))[:40]
        rings = geometry.get("coordinates") if isinstance(geometry, dict) else None
        ring = rings[0] if isinstance(rings, list) and rings else None
        if isinstance(ring, list) and len(ring) > 3 and ring[0] == ring[-1]:
            ring = ring[:-1]
        target = models.get(kind)
        obj = target[0].objects.filter(code=code).first() if target else None
        if (
            obj is None
            or not isinstance(geometry, dict)
            or geometry.get("type") != "Polygon"
            or not polygon_ok(ring)
        ):
            message = _(
                "Feature %(n)s: a Polygon within the plan (0–1) whose properties name an "
                "existing building or parcel."
            )
            raise InvalidInput(message % {"n": number})
        rows.append((target[1], obj, [list(p) for p in ring]))
    with transaction.atomic():
        for save, obj, shape in rows:
            save(obj, actor=actor, values={"shape": shape})
    return len(rows)


@login_required
def map_geojson(request):
    if not is_staff(request.user):
        raise Http404
    from django.http import JsonResponse

    response = JsonResponse(geojson(request.user), content_type="application/geo+json")
    response["Content-Disposition"] = 'attachment; filename="park-map.geojson"'
    return response


@api_twin("import_map_geojson")
@login_required
@require_POST
def geojson_upload(request):
    import json

    if not is_staff(request.user):
        raise Http404
    upload = request.FILES.get("file")
    try:
        if upload is None or upload.size > 5 * 1024 * 1024:
            raise ValueError
        data = json.loads(upload.read().decode("utf-8"))
    except ValueError:
        messages.error(request, _("Choose a GeoJSON file (at most 5 MB)."))
        return redirect("carriers:map")
    try:
        n = import_geojson(actor=request.user, data=data)
    except ActionError as refused:
        messages.error(request, str(refused.message))
    else:
        messages.success(request, _("%(n)s shapes were imported.") % {"n": n})
    return redirect("carriers:map")
