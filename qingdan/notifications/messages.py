"""What a notification says: an e-mail (subject and text) and a group-chat markdown message,
in the recipient's language (group chats: the park's language)."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation


def _render(name: str, context: dict, language: str) -> str:
    with translation.override(language or settings.LANGUAGE_CODE):
        return render_to_string(name, context)


def email(problem, label: str, *, note: str, actor_name: str, recipient) -> tuple[str, str]:
    context = {
        "problem": problem, "label": label, "note": note, "actor_name": actor_name,
        "recipient": recipient, "site_url": settings.SITE_URL,
    }  # fmt: skip
    language = recipient.language if recipient is not None else ""
    subject = _render("notifications/email_subject.txt", context, language).strip()
    body = _render("notifications/email_body.txt", context, language)
    return subject, body


def group(problem, label: str, *, note: str, actor_name: str) -> tuple[str, str]:
    """Markdown for WeCom and DingTalk robots (both render this subset)."""
    context = {
        "problem": problem, "label": label, "note": note, "actor_name": actor_name,
        "site_url": settings.SITE_URL,
    }  # fmt: skip
    subject = _render("notifications/email_subject.txt", context, settings.LANGUAGE_CODE).strip()
    return subject, _render("notifications/group.md", context, settings.LANGUAGE_CODE)
