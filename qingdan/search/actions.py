"""Changes to the park's user dictionary. Each writes one ``DictionaryEvent``."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from qingdan.accounts.models import Role, User
from qingdan.lib import clock
from qingdan.lib.errors import ActionError, InvalidInput, NotAllowed
from qingdan.search import tokens
from qingdan.search.models import DictionaryEvent, Term

__all__ = ["ActionError", "add_term", "remove_term"]


def _check(actor: User) -> None:
    if actor.role not in (Role.SECRETARIAT, Role.ADMIN):
        raise NotAllowed(_("Only the secretariat keeps the dictionary."))


def add_term(*, actor: User, word: str) -> Term:
    _check(actor)
    word = tokens.normalize(word).strip()
    if len(word) < 2 or len(word) > 20 or tokens.pieces(word) != [word]:
        raise InvalidInput(
            _("Two or more Chinese characters, or letters and digits, without spaces.")
        )
    now = clock.now()
    try:
        with transaction.atomic():
            term = Term.objects.create(word=word, added_by=actor, created=now)
            DictionaryEvent.objects.create(
                actor=actor, created=now, action=DictionaryEvent.Action.ADD, word=word
            )
    except IntegrityError:
        raise InvalidInput(_("“%(word)s” is already in the dictionary.") % {"word": word}) from None
    tokens.forget()
    return term


def remove_term(term: Term, *, actor: User) -> None:
    _check(actor)
    with transaction.atomic():
        locked = Term.objects.select_for_update().filter(pk=term.pk).first()
        if locked is None:
            raise InvalidInput(_("This word is no longer in the dictionary."))
        DictionaryEvent.objects.create(
            actor=actor, created=clock.now(), action=DictionaryEvent.Action.REMOVE, word=locked.word
        )
        locked.delete()
    tokens.forget()
