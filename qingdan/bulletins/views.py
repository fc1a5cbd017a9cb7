"""Bulletin pages: the secretariat's drafts and publishing, staff reading, the public board."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qingdan.accounts.models import Role
from qingdan.bulletins import actions, commands
from qingdan.bulletins import render as renderer
from qingdan.bulletins.access import access_bulletin, is_staff, public_bulletin, visible_bulletins
from qingdan.bulletins.content import monday_of
from qingdan.bulletins.forms import CorrectForm, GenerateForm, NextStepsForm, PublishForm
from qingdan.bulletins.models import Bulletin
from qingdan.core.parity import api_twin
from qingdan.lib import clock, downloads
from qingdan.lib.errors import ActionError

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "html": "text/html; charset=utf-8",
}


def _staff_only(request) -> None:
    if not is_staff(request.user):
        raise PermissionDenied


def _secretariat_only(request) -> None:
    if request.user.role not in (Role.SECRETARIAT, Role.ADMIN):
        raise PermissionDenied


@login_required
def bulletin_list(request):
    _staff_only(request)
    bulletins = visible_bulletins(request.user).select_related("corrects")[:200]
    last_monday = monday_of(clock.today()) - timedelta(days=7)
    form = GenerateForm(initial={"week": last_monday})
    return render(request, "bulletins/list.html", {"bulletins": bulletins, "form": form})


@api_twin("generate_bulletin")
@login_required
@require_POST
def generate(request):
    _secretariat_only(request)
    form = GenerateForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("week", [])))
        return redirect("bulletins:list")
    try:
        bulletin = actions.generate_draft(form.cleaned_data["week"], actor=request.user)
    except ActionError as refused:
        messages.error(request, refused.message)
        return redirect("bulletins:list")
    messages.success(request, _("The draft's figures were computed."))
    return redirect(bulletin)


@login_required
def internal(request, week, version):
    bulletin = access_bulletin(request.user, week, version)
    meta = actions.meta_of(bulletin)
    document = renderer.render_html(bulletin.content, meta, public=False)
    is_secretariat = request.user.role in (Role.SECRETARIAT, Role.ADMIN)
    newer = Bulletin.objects.filter(
        week_start=bulletin.week_start, version__gt=bulletin.version, state="published"
    ).first()
    return render(
        request,
        "bulletins/internal.html",
        {
            "bulletin": bulletin,
            "document": document,
            "newer": newer,
            "can_edit": is_secretariat and not bulletin.is_published,
            "can_correct": is_secretariat and bulletin.is_published and newer is None,
            "next_steps_form": NextStepsForm(initial={"next_steps": bulletin.next_steps}),
            "correct_form": CorrectForm(),
            "events": bulletin.events.select_related("actor"),
        },
    )


@login_required
def confirm_publish(request, week, version):
    """What publishing will freeze, and the confirmation (the form posts to ``act``)."""
    _secretariat_only(request)
    bulletin = access_bulletin(request.user, week, version)
    if bulletin.is_published:
        return redirect(bulletin)
    try:
        summary, refusal = actions.publish_summary(bulletin), ""
    except ActionError as refused:
        summary, refusal = None, refused.message
    return render(
        request,
        "bulletins/confirm_publish.html",
        {
            "bulletin": bulletin,
            "summary": summary,
            "refusal": refusal,
            "form": PublishForm(),
        },
    )


@api_twin("edit_bulletin", "generate_bulletin", "publish_bulletin", "correct_bulletin")
@login_required
@require_POST
def act(request, week, version, action):
    _secretariat_only(request)
    bulletin = access_bulletin(request.user, week, version)
    if action not in commands.ACTIONS:
        raise Http404
    form_class, handler, done = commands.ACTIONS[action]
    form = form_class(request.POST)
    if action == "publish" and not (form.is_valid() and form.cleaned_data["confirm"]):
        # Publishing freezes the week: never without the confirmation page's summary.
        return redirect("bulletins:confirm_publish", bulletin.week_start, bulletin.version)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(bulletin)
    try:
        result = handler(bulletin, actor=request.user, **form.cleaned_data)
    except ActionError as refused:
        messages.error(request, refused.message)
        return redirect(bulletin)
    messages.success(request, done)
    return redirect(result if isinstance(result, Bulletin) else bulletin)


@login_required
def download(request, week, version, kind):
    """Staff: the internal edition (full names), or the public one with ``?edition=public``."""
    bulletin = access_bulletin(request.user, week, version)
    public = request.GET.get("edition") == "public"
    return _file_response(bulletin, kind, public=public)


def public_download(request, week, version, kind):
    """Anyone: a published bulletin's public edition, as stored at publication."""
    return _file_response(public_bulletin(week, version), kind, public=True)


def _file_response(bulletin, kind, *, public):
    if kind not in CONTENT_TYPES:
        raise Http404
    data = actions.render_file(bulletin, kind, public=public)
    response = HttpResponse(data, content_type=CONTENT_TYPES[kind])
    label = "public" if public else "internal"
    filename = f"bulletin-{bulletin.week_start.isoformat()}-v{bulletin.version}-{label}.{kind}"
    disposition = "inline" if kind in ("pdf", "html") else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    if kind == "html":  # a frozen standalone page: its own style block allowed by hash
        response["Content-Security-Policy"] = downloads.document_csp(data)
    return response


# --- Public (no login) ----------------------------------------------------------------------


def public_list(request):
    bulletins = Bulletin.objects.filter(state=Bulletin.State.PUBLISHED).order_by(
        "-week_start", "-version"
    )[:104]
    return render(request, "bulletins/public_list.html", {"bulletins": bulletins})


def public_detail(request, week, version):
    bulletin = public_bulletin(week, version)
    newer = Bulletin.objects.filter(
        week_start=bulletin.week_start, version__gt=bulletin.version, state="published"
    ).first()
    return render(
        request,
        "bulletins/public.html",
        {
            "bulletin": bulletin,
            "document": renderer.render_html(
                bulletin.content, actions.meta_of(bulletin), public=True
            ),
            "newer": newer,
        },
    )
