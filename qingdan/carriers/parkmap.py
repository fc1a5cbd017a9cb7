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

from qingdan.carriers import actions
from qingdan.carriers.access import (
    access_building,
    access_parcel,
    is_keeper,
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
            "keeper": is_keeper(request.user),
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
