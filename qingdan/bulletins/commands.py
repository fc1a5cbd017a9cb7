"""Each thing the secretariat can do to a bulletin: its input form and its action, one table
the page dispatches through (the API's operations call the same actions)."""

from django.utils.translation import gettext_lazy as _

from qingdan.bulletins import actions
from qingdan.bulletins.forms import CorrectForm, NextStepsForm, NoInputForm, PublishForm


def regenerate(bulletin, *, actor):
    return actions.generate_draft(bulletin.week_start, actor=actor)


# action → (input form, action function, what the page says when it is done). The form's
# cleaned data are the action's arguments.
ACTIONS = {
    "edit": (NextStepsForm, actions.edit_draft, _("Saved.")),
    "regenerate": (NoInputForm, regenerate, _("The draft's figures were computed.")),
    "publish": (PublishForm, actions.publish, _("Published. It will not change any more.")),
    "correct": (CorrectForm, actions.correct, _("A correction draft was started.")),
}
