"""API endpoints of the search app, mounted into /api/v1/ by ``qingdan.api.v1``.

Every answer is drawn from what the caller may see (``visible_problems``; an enterprise also
from other enterprises' public problems, shown redacted)."""

from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja import Path as ApiPath
from ninja.responses import Status as HttpStatus

from qingdan.accounts.models import Enterprise, Role
from qingdan.core.apitools import ERRORS, run_form
from qingdan.core.ratelimit import limit_writes
from qingdan.lib.bounds import MAX_COMPARED_CHARS, MAX_ID
from qingdan.lib.creditcode import normalize
from qingdan.lib.errors import NotAllowed
from qingdan.problems.models import Category
from qingdan.search import actions, routing
from qingdan.search.forms import TermForm
from qingdan.search.models import Term
from qingdan.search.similar import find_similar

router = Router(tags=["search"])


class SimilarIn(Schema):
    text: str = Field(..., min_length=1, max_length=MAX_COMPARED_CHARS)
    category: str | None = Field(None, max_length=40, description="category code")
    enterprise: str | None = Field(
        None, max_length=200, description="credit code or exact name (secretariat)"
    )
    limit: int = Field(5, ge=1, le=20)


class SimilarOut(Schema):
    number: str
    title: str
    status: str
    status_label: str
    score: float
    likely_duplicate: bool
    same_enterprise: bool
    same_category: bool
    same_zone: bool
    enterprise: str
    public: bool


@router.get("/problems/similar", response={200: list[SimilarOut], **ERRORS})
def similar(request, params: Query[SimilarIn]):
    """The open or recently closed problems most like `text`, best first, with a score
    (text similarity plus the same category, enterprise and area). An enterprise contact sees
    its own and other enterprises' public ones (`public`: number, title and status only)."""
    enterprise = None
    if (
        params.enterprise
        and "\x00" not in params.enterprise
        and request.user.role != Role.ENTERPRISE
    ):
        text = params.enterprise.strip()
        enterprise = Enterprise.objects.filter(
            Q(credit_code=normalize(text)) | Q(name=text)
        ).first()
    matches = find_similar(
        request.user,
        title=params.text,
        category=params.category or None,
        enterprise=enterprise,
        limit=params.limit,
    )
    return [match.__dict__ | {"likely_duplicate": match.likely_duplicate} for match in matches]


class SuggestionIn(Schema):
    text: str = Field(..., min_length=1, max_length=MAX_COMPARED_CHARS)
    category: str | None = Field(None, max_length=40, description="category code")


class SuggestedUnit(Schema):
    id: int
    name: str
    short_name: str
    kind: str


class SuggestionOut(Schema):
    unit: SuggestedUnit
    score: float
    reason: str


@router.get("/suggestions/units", response={200: list[SuggestionOut], **ERRORS})
def suggest_units(request, params: Query[SuggestionIn]):
    """The three most likely lead units for a problem's text (secretariat and leaders), each
    with a score in [0, 1] and a one-line reason from the park's history."""
    if request.user.role not in (Role.SECRETARIAT, Role.ADMIN, Role.LEADER):
        raise NotAllowed(_("You are not allowed to do this."))
    category = None
    if params.category:
        found = "\x00" not in params.category  # no such code, and PostgreSQL refuses NUL
        category = Category.objects.filter(code=params.category).first() if found else None
        if category is None:
            raise Http404
    return [
        {"unit": s.unit, "score": s.score, "reason": s.reason}
        for s in routing.suggest(request.user, title=params.text, category=category)
    ]


# --- The park's user dictionary (secretariat) ---------------------------------------------------


class TermIn(Schema):
    word: str = Field(..., min_length=1, max_length=20)


class TermOut(Schema):
    id: int
    word: str


def _secretariat_only(request) -> None:
    if request.user.role not in (Role.SECRETARIAT, Role.ADMIN):
        raise NotAllowed(_("Only the secretariat keeps the dictionary."))


@router.get("/dictionary", response={200: list[TermOut], **ERRORS})
def dictionary_words(request):
    """The words of the park's user dictionary (unit names are in it without being listed)."""
    _secretariat_only(request)
    return list(Term.objects.order_by("word"))


@router.post("/dictionary", response={201: TermOut, **ERRORS})
def add_dictionary_word(request, payload: TermIn):
    """Add a word the segmenter must keep whole (as the dictionary page does)."""
    limit_writes(request)
    form = run_form(TermForm, payload.dict())
    return HttpStatus(201, actions.add_term(actor=request.user, word=form.cleaned_data["word"]))


@router.delete("/dictionary/{term_id}", response={204: None, **ERRORS})
def remove_dictionary_word(request, term_id: int = ApiPath(..., ge=1, le=MAX_ID)):
    """Remove a word from the dictionary."""
    limit_writes(request)
    _secretariat_only(request)
    term = Term.objects.filter(pk=term_id).first()
    if term is None:
        raise Http404
    actions.remove_term(term, actor=request.user)
    return HttpStatus(204, None)
