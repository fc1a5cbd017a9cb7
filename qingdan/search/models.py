"""The search index, the park's user dictionary and the trained routing model."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from qingdan.core.models import AppendOnlyModel
from qingdan.core.templatetags.fmt import when_text


class ProblemIndex(models.Model):
    """One problem's search document: the tokens of what a person would search it by (number,
    title, description, added information, enterprise name and credit code, category, lead unit).

    Matching runs in the database's own full-text index, built by migration 0001 from ``tokens``:
    on PostgreSQL a generated ``tsvector`` column with a GIN index (each token a lexeme as is, no
    parser involved); on SQLite an FTS5 table (``search_problem_fts``) whose rows triggers keep in
    step with this table's. Written in the same transaction as the change it reflects."""

    problem = models.OneToOneField(
        "problems.Problem",
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="search_index",
        verbose_name=_("Problem"),
    )
    tokens = models.TextField(verbose_name=_("Tokens"))

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")

    def __str__(self) -> str:
        return str(self.problem_id)


class Term(models.Model):
    """A word of the park's user dictionary: the segmenter keeps it whole (unit names are in it
    without being listed here)."""

    word = models.CharField(_("word"), max_length=20, unique=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("Added by"),
    )
    created = models.DateTimeField(_("added at"))

    class Meta:
        verbose_name = _("dictionary word")
        verbose_name_plural = _("dictionary words")
        ordering = ["word"]

    def __str__(self) -> str:
        return self.word


class DictionaryEvent(AppendOnlyModel):
    """One change to the user dictionary (who, when, which word, added or removed)."""

    class Action(models.TextChoices):
        ADD = "add", _("Word added")
        REMOVE = "remove", _("Word removed")

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("Actor"),
    )
    created = models.DateTimeField(_("time"))
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    word = models.CharField(_("word"), max_length=20)

    class Meta:
        verbose_name = _("dictionary change")
        verbose_name_plural = _("dictionary changes")
        ordering = ["-created", "-id"]

    def __str__(self) -> str:
        return f"{self.action} {self.word}"


class RoutingModel(models.Model):
    """A routing model learned from the park's history of assignments (``routing.train``)."""

    trained_at = models.DateTimeField(_("trained at"))
    problems = models.PositiveIntegerField(_("problems learned from"))
    returns = models.PositiveIntegerField(_("returns learned from"))
    payload = models.JSONField(verbose_name=_("Payload"))

    class Meta:
        verbose_name = _("routing model")
        verbose_name_plural = _("routing models")
        ordering = ["-trained_at", "-id"]

    def __str__(self) -> str:
        return f"{when_text(self.trained_at)} ({self.problems})"


def user_dictionary() -> tuple[int, list[str]]:
    """(signature, words): the words the segmenter must keep whole — the dictionary's and every
    unit's name and short name. The signature changes exactly when the words do."""
    from qingdan.accounts.models import Unit
    from qingdan.search.tokens import is_cjk, normalize

    words = set(Term.objects.values_list("word", flat=True))
    for name, short_name in Unit.objects.values_list("name", "short_name"):
        words.update(w for w in (normalize(name), normalize(short_name)) if w and is_cjk(w))
    ordered = sorted(words)
    return hash(tuple(ordered)), ordered
