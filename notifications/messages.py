"""What a delivery says, in the recipient's language, from templates per kind and channel.

Templates live in `notifications/templates/notifications/<language>/`. An event kind's
template (`case.reported.txt`) holds the subject on its first line and the body below it; a
channel may have its own version (`<language>/<channel>/<kind>.txt`), which wins. Channels
then wrap the body: `email.txt` and `email.html`, `zalo.txt`. A digest has `digest.txt`
(subject first, as above) and `digest.html`. Text templates render without HTML escaping."""

import datetime
from dataclasses import dataclass, field, replace

from django.conf import settings
from django.template import Context
from django.template.loader import get_template, select_template
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.text import Truncator
from django.utils.translation import gettext

from notifications.models import Delivery, FannedEvent, Language, NotificationSettings
from workflow.escalation import ladder_for, step_at
from workflow.templatetags.work import rung_label

EXCERPT = 160  # characters of the recommendation a card shows


@dataclass(frozen=True)
class Message:
    kind: str  # the event kind, or "digest"
    language: str
    subject: str
    body: str
    link: str
    context: dict = field(default_factory=dict)
    key: tuple = ()  # what makes the text the same for several people

    @property
    def title(self) -> str:
        """The subject without the "[Đôn đốc]" mark mail clients need and the inbox does not."""
        return self.subject.removeprefix("[Đôn đốc] ")


def case_link(case_id: int) -> str:
    return settings.SITE_URL + reverse("workflow:case_detail", args=[case_id])


def settings_link() -> str:
    """The page where the recipient chooses how to be told: every email links to it."""
    return settings.SITE_URL + reverse("notifications:settings")


def language_of(user) -> str:
    try:
        return user.notification_settings.language
    except NotificationSettings.DoesNotExist:
        return Language.VI


def display_name(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


def render_text(names: str | list[str], context: dict) -> str:
    template = select_template(names) if isinstance(names, list) else get_template(names)
    return template.template.render(Context(context, autoescape=False)).strip()


def render_html(name: str, context: dict) -> str:
    return get_template(name).template.render(Context(context, autoescape=True))


RECIPIENT_MARK = "\x00recipient\x00"  # cannot occur in rendered text


class Composer:
    """Builds messages for a batch of deliveries. An event's text is rendered once per
    channel and language however many people it goes to; each council's ladder is read once."""

    def __init__(self) -> None:
        self._steps: dict[int, tuple] = {}
        self._texts: dict[tuple, tuple[str, str, dict]] = {}
        self._bodies: dict[tuple, tuple[str, str]] = {}

    def compose(self, delivery: Delivery, *, language: str | None = None) -> Message:
        language = language or language_of(delivery.recipient)
        if delivery.digest_id:
            with translation.override(language):
                return self._digest(delivery, language)
        if delivery.notice_event_id:
            return self._notice_step(delivery, language)
        if delivery.alert_id:
            return self._alert(delivery, language)
        return self._event(delivery, language)

    def _alert(self, delivery: Delivery, language: str) -> Message:
        """An app's message outside of any case (notifications/alerts.py), in its template."""
        alert = delivery.alert
        return self._templated(
            delivery, language, ("alert", alert.pk), alert.kind, lambda: alert_context(alert)
        )

    def _notice_step(self, delivery: Delivery, language: str) -> Message:
        """A notice waits for the recipient at a step of its intake (notifications/notices.py)."""
        event = delivery.notice_event
        return self._templated(
            delivery,
            language,
            ("notice", event.pk),
            event.kind,
            lambda: notice_step_context(event),
            template="notice.step",
        )

    def _event(self, delivery: Delivery, language: str) -> Message:
        event = delivery.event
        return self._templated(
            delivery,
            language,
            (event.pk,),
            event.kind,
            lambda: self.event_context(event),
            fallback="case.other",
        )

    def _templated(
        self, delivery, language: str, what: tuple, kind: str, context, *, template="", fallback=""
    ) -> Message:
        """The message from its text template (the subject line, then the body), the channel's
        own template first; rendered once per `what`, channel and language, however many
        people it goes to, and `context()` read only then."""
        key = (*what, delivery.channel, language)
        if key not in self._texts:
            folder, template = f"notifications/{language}", template or kind
            names = [f"{folder}/{delivery.channel}/{template}.txt", f"{folder}/{template}.txt"]
            names += [f"{folder}/{fallback}.txt"] if fallback else []
            with translation.override(language):
                facts = context()
                subject, _, body = render_text(names, facts).partition("\n")
            self._texts[key] = (subject.strip(), body.strip(), facts)
        subject, body, facts = self._texts[key]
        facts = facts | {"recipient": display_name(delivery.recipient)}
        return Message(kind, language, subject, body, facts["link"], facts, key)

    def email_bodies(self, message: Message) -> tuple[str, str]:
        """`email_bodies`, rendered once per event, channel and language with a mark where
        the greeting names the person, then the mark replaced for each one."""
        if not message.key:
            return email_bodies(message)
        if message.key not in self._bodies:
            marked = replace(message, context=message.context | {"recipient": RECIPIENT_MARK})
            self._bodies[message.key] = email_bodies(marked)
        text, html = self._bodies[message.key]
        name = message.context["recipient"]
        return text.replace(RECIPIENT_MARK, name), html.replace(RECIPIENT_MARK, escape(name))

    def event_context(self, event) -> dict:
        case = event.case
        data = event.data or {}
        sent = sent_facts_of(event)
        deadline = _date(sent["deadline"]) if "deadline" in sent else case.deadline
        step = (
            gettext(sent["step"])
            if sent.get("step")
            else self._step_name(case.council_id, event.level)
        )
        return {
            "kind": event.kind,
            "notice": case.notice.number,
            "anchor": case.recommendation.anchor,
            "text": case.recommendation.text,
            "excerpt": Truncator(" ".join(case.recommendation.text.split())).chars(EXCERPT),
            "agency": case.agency.name,
            "committee": case.committee.name,
            "deadline": deadline,
            "original_deadline": case.original_deadline,
            "actor": display_name(event.actor),
            "note": event.note,
            "happened_at": event.created_at,
            "outcome": data.get("outcome", ""),
            "level": event.level,
            "action": data.get("action", ""),
            "trigger": data.get("trigger", ""),
            "decision": data.get("decision", ""),
            "sitting": data.get("sitting_name", ""),
            "letter_kind": data.get("kind", "") if "letter_id" in data else "",
            "letter_number": data.get("number", ""),
            "step": step,
            "rung": rung_label(event.level, step) if event.level else "",
            "until": _date(data.get("until")),
            "link": case_link(case.pk),
            "settings_link": settings_link(),
            "case_id": case.pk,
        }

    def _step_name(self, council_id: int, level: int | None) -> str:
        if level is None:
            return ""
        if council_id not in self._steps:
            self._steps[council_id] = ladder_for(council_id)
        step = step_at(self._steps[council_id], level)
        return step.name if step else ""

    def _digest(self, delivery: Delivery, language: str) -> Message:
        digest = delivery.digest
        context = digest_context(digest.content) | {
            "recipient": display_name(delivery.recipient),
            "frequency": digest.frequency,
            "link": settings.SITE_URL + "/",
            "settings_link": settings_link(),
        }
        subject, _, body = render_text(f"notifications/{language}/digest.txt", context).partition(
            "\n"
        )
        return Message("digest", language, subject.strip(), body.strip(), context["link"], context)


def notice_step_context(event) -> dict:
    notice = event.notice
    return {
        "kind": event.kind,
        "notice": notice.number,
        "title": notice.title,
        "issued": notice.issue_date,
        "committee": notice.tracking_committee.name,
        "actor": display_name(event.actor),
        "note": event.note,
        "happened_at": event.created_at,
        "link": settings.SITE_URL + event.link,
        "settings_link": settings_link(),
    }


def alert_context(alert) -> dict:
    """The alert's own context, its ISO dates as dates (a key ending in `_on`)."""
    dates = {k: _date(v) for k, v in alert.context.items() if k.endswith("_on") and v}
    link = settings.SITE_URL + alert.link
    return alert.context | dates | {"alert": True, "link": link, "settings_link": settings_link()}


def digest_context(content: dict) -> dict:
    """The stored digest with its dates as dates and a link on every case."""
    sections = {}
    for name in ("due", "overdue", "extensions"):
        sections[name] = [
            item
            | {
                "deadline": _date(item.get("deadline")),
                "until": _date(item.get("until")),
                "link": case_link(item["case_id"]),
            }
            for item in content.get(name, [])
        ]
    counts = {f"{name}_count": content.get(f"{name}_count", 0) for name in sections}
    return sections | counts | {"day": _date(content.get("day")), "week": content.get("week")}


def email_bodies(message: Message) -> tuple[str, str]:
    """The plain-text and HTML bodies of an email."""
    language = message.language
    context = message.context | {"body": message.body, "subject": message.subject}
    with translation.override(language):
        if message.kind == "digest":
            return message.body, render_html(f"notifications/{language}/digest.html", context)
        text = render_text(f"notifications/{language}/email.txt", context)
        return text, render_html(f"notifications/{language}/email.html", context)


def sent_facts_of(event) -> dict:
    """The facts frozen when the event's messages went out (notifications/fanout.py); {} for
    an event fanned out before they were kept, whose messages then read the case."""
    try:
        return event.fanned.facts or {}
    except FannedEvent.DoesNotExist:
        return {}


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None
