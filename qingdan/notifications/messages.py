"""What a notification says: an e-mail (subject and text) and a group-chat markdown message,
in the recipient's language (group chats: the park's language). People's text is encoded for
where it lands: one line in an e-mail subject (``encode.header``), inert text in markdown
(``encode.markdown``: no links, no formatting)."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from qingdan.lib import encode


def _render(name: str, context: dict, language: str) -> str:
    with translation.override(language or settings.LANGUAGE_CODE):
        return render_to_string(name, context)


def email(problem, label: str, *, note: str, actor_name: str, recipient) -> tuple[str, str]:
    context = {
        "problem": problem,
        "label": label,
        "note": note,
        "actor_name": actor_name,
        "recipient": recipient,
        "site_url": settings.SITE_URL,
    }
    language = recipient.language if recipient is not None else ""
    subject = encode.header(_render("notifications/email_subject.txt", context, language))
    body = _render("notifications/email_body.txt", context, language)
    return subject, body


def group(problem, label: str, *, note: str, actor_name: str) -> tuple[str, str]:
    """Markdown for WeCom and DingTalk robots (both render this subset)."""
    context = {
        "number": problem.number,
        "label": encode.markdown(label),
        "title": encode.markdown(problem.title, 120),
        "actor_name": encode.markdown(actor_name, 60),
        "note": encode.markdown(note, 200),
        "lead_unit": encode.markdown(problem.lead_unit.name) if problem.lead_unit_id else "",
        "deadline": problem.deadline,
        "url": f"{settings.SITE_URL}{problem.get_absolute_url()}",
        "problem": problem,
        "site_url": settings.SITE_URL,
    }
    subject = encode.header(
        _render("notifications/email_subject.txt", context, settings.LANGUAGE_CODE)
    )
    return subject, _render("notifications/group.md", context, settings.LANGUAGE_CODE)
