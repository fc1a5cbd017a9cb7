"""Pages and fragments of the search app: similar problems (while typing, and on a submitted
problem), routing suggestions, the park's user dictionary."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qingdan.accounts.models import Enterprise, Role
from qingdan.core.parity import api_twin
from qingdan.lib.creditcode import normalize as normalize_code
from qingdan.problems.access import access_problem, visible_problems
from qingdan.problems.models import ProblemLink, Status
from qingdan.search import actions, routing
from qingdan.search.forms import SimilarForm, TermForm
from qingdan.search.models import DictionaryEvent, Term
from qingdan.search.similar import find_similar

RAISERS = (Role.ENTERPRISE, Role.SECRETARIAT, Role.ADMIN)
SECRETARIAT = (Role.SECRETARIAT, Role.ADMIN)
# States a problem can be merged from (the merge action's rule) and states one can merge into.
MERGEABLE = (Status.SUBMITTED, Status.ACCEPTED)
NOT_MERGE_TARGETS = (Status.MERGED, Status.DECLINED)


def require_roles(request, roles) -> None:
    if request.user.role not in roles:
        raise PermissionDenied


def _exact_enterprise(text: str):
    """The enterprise named exactly (name or credit code), never a guess."""
    text = (text or "").strip()
    if not text:
        return None
    return Enterprise.objects.filter(Q(name=text) | Q(credit_code=normalize_code(text))).first()


@login_required
def similar_live(request):
    """htmx fragment for the raise page: problems like the one being typed."""
    require_roles(request, RAISERS)
    form = SimilarForm(request.GET)
    matches = []
    if form.is_valid():
        data = form.cleaned_data
        matches = find_similar(
            request.user,
            title=data["title"],
            description=data["description"],
            category=data["category"].code if data["category"] else None,
            enterprise=_exact_enterprise(data["enterprise"]),
        )
    return render(request, "search/_similar_live.html", {"matches": matches})


def related_of(user, problem) -> list:
    """The problems linked to this one (either side) that ``user`` may see."""
    links = ProblemLink.objects.filter(Q(problem=problem) | Q(related=problem))
    numbers = {
        other
        for pair in links.values_list("problem_id", "related_id")
        for other in pair
        if other != problem.pk
    }
    return list(visible_problems(user).filter(pk__in=numbers).order_by("-created"))


def similar_context(user, problem) -> dict:
    matches = find_similar(
        user,
        title=problem.title,
        description=problem.description,
        category=problem.category.code,
        enterprise=problem.enterprise,
        exclude=problem,
    )
    related = related_of(user, problem)
    linked = {p.number for p in related}
    can_merge = user.role in SECRETARIAT and problem.status in MERGEABLE
    rows = [
        {
            "match": match,
            "linked": match.number in linked,
            "can_merge": can_merge and match.status not in NOT_MERGE_TARGETS,
            "can_link": user.role in SECRETARIAT and match.number not in linked,
        }
        for match in matches
    ]
    return {"problem": problem, "rows": rows, "related": related}


@login_required
def similar_to_problem(request, number):
    """Fragment: the problems like a submitted one, with one-click merge or link (secretariat);
    ``compact`` for a row of the work queue."""
    require_roles(request, (*SECRETARIAT, Role.LEADER))
    problem = access_problem(request.user, number)
    context = similar_context(request.user, problem) | {"compact": bool(request.GET.get("compact"))}
    return render(request, "search/_similar_problem.html", context)


@login_required
def suggestions_for_problem(request, number):
    """Fragment: the three most likely lead units for a problem, with a score and a reason."""
    require_roles(request, (*SECRETARIAT, Role.LEADER))
    problem = access_problem(request.user, number)
    context = {"problem": problem, "suggestions": routing.suggest_for(request.user, problem)}
    return render(request, "search/_suggestions.html", context)


# --- The user dictionary ------------------------------------------------------------------------


@login_required
@api_twin("add_dictionary_word")
def dictionary(request):
    require_roles(request, SECRETARIAT)
    form = TermForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            term = actions.add_term(actor=request.user, word=form.cleaned_data["word"])
        except actions.ActionError as refused:
            form.add_error("word", refused.message)
        else:
            messages.success(
                request, _("“%(word)s” was added to the dictionary.") % {"word": term.word}
            )
            return redirect("search:dictionary")
    from qingdan.accounts.models import Unit

    return render(
        request,
        "search/dictionary.html",
        {
            "form": form,
            "terms": Term.objects.select_related("added_by"),
            "units": Unit.objects.filter(is_active=True).order_by("name"),
            "history": DictionaryEvent.objects.select_related("actor")[:20],
        },
    )


@login_required
@require_POST
@api_twin("remove_dictionary_word")
def remove_term(request, pk):
    require_roles(request, SECRETARIAT)
    term = get_object_or_404(Term, pk=pk)
    actions.remove_term(term, actor=request.user)
    messages.success(
        request, _("“%(word)s” was removed from the dictionary.") % {"word": term.word}
    )
    return redirect("search:dictionary")
