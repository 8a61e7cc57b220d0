"""Urging letters after the ladder drafted them (workflow/drafting.py): what a letter says, and
the office numbering and sending it.

A draft is always read afresh (the cases still in the agency's hands, the council's current
signature and distribution list); sending it freezes that content, with its number and date,
into the letter, so it reads and prints the same ever after. Every case in it gets a
`case.letter_sent` event carrying the number, which its timeline shows."""

import datetime

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from conclusions.document_style import DocumentStyle, document_style
from conclusions.models import Council, DocumentKind
from conclusions.selectors import roles_of
from conclusions.services import normalize_text
from workflow.definitions import AGENCY_TURN, URGING_KINDS
from workflow.errors import CaseConflict, CaseForbidden, CaseInvalid, CaseNotFound
from workflow.models import Case, CaseEvent, EventKind, LetterItem, UrgingLetter
from workflow.selectors import letters_visible_to

DOCUMENT_KINDS = {
    UrgingLetter.Kind.COMMITTEE: DocumentKind.COMMITTEE_LETTER,
    UrgingLetter.Kind.STANDING: DocumentKind.STANDING_LETTER,
}
MAX_NUMBER = 60


def letter_style(letter: UrgingLetter) -> DocumentStyle:
    """Who signs the letter and where it goes: the committee's own letter, or the Standing
    Committee's (conclusions.document_style)."""
    committee = letter.committee if letter.kind == UrgingLetter.Kind.COMMITTEE else None
    return document_style(letter.council, DOCUMENT_KINDS[letter.kind], committee)


def letter_content(letter: UrgingLetter, day: datetime.date | None = None) -> dict:
    """What the letter says: the frozen content once sent, else the draft as of `day`."""
    if letter.status == UrgingLetter.Status.SENT:
        return letter.content
    return _content(letter, day or timezone.localdate(), letter.number, _urged(letter))


def _content(letter: UrgingLetter, day: datetime.date, number: str, items) -> dict:
    council = letter.council
    return {
        "kind": letter.kind,
        "number": number,
        "date": day.isoformat(),
        "council": council.name,
        "place": council.place,
        "committee": letter.committee.name,
        "agency": letter.agency.name,
        "addressee": letter.addressee.name if letter.addressee else "",
        "answer_by": (day + datetime.timedelta(days=council.urging_answer_days)).isoformat(),
        "style": letter_style(letter).as_json(),
        "items": [_item(item.case, day) for item in items],
    }


def _urged(letter: UrgingLetter) -> list[LetterItem]:
    """The letter's cases still in the agency's hands (all of them if none is)."""
    items = list(
        letter.items.select_related(
            "case__notice", "case__recommendation", "case__agency"
        ).order_by("case__deadline", "case__notice__number", "case__recommendation__position")
    )
    return [i for i in items if i.case.state in AGENCY_TURN] or items


def _item(case: Case, day: datetime.date) -> dict:
    return {
        "case": case.pk,
        "notice": case.notice.number,
        "notice_date": case.notice.issue_date.isoformat(),
        "anchor": case.recommendation.anchor,
        "text": case.recommendation.text,
        "deadline": case.deadline.isoformat() if case.deadline else None,
        "days_overdue": (day - case.deadline).days if case.deadline else None,
        "urgings": case.events.filter(kind__in=URGING_KINDS).count(),
    }


def may_send_letter(letter: UrgingLetter, user) -> bool:
    return (
        letter.status == UrgingLetter.Status.DRAFT
        and letter.council_id in roles_of(user).clerk_council_ids
    )


@transaction.atomic
def letter_send(
    *, letter: UrgingLetter, actor, number: str = "", sent_on: datetime.date | None = None
) -> UrgingLetter:
    """The office numbers the draft (its own number, or the next of the year) and sends it."""
    if not letters_visible_to(actor).filter(pk=letter.pk).exists():
        raise CaseNotFound(_("Không tìm thấy văn bản."))
    if letter.council_id not in roles_of(actor).clerk_council_ids:
        raise CaseForbidden(_("Chỉ Văn phòng vào sổ và gửi văn bản đôn đốc."))
    letter = UrgingLetter.objects.select_for_update().select_related("council").get(pk=letter.pk)
    if letter.status == UrgingLetter.Status.SENT:
        raise CaseConflict(_("Văn bản này đã được gửi (số %(number)s)."), number=letter.number)
    items = [i for i in _urged(letter) if i.case.state in AGENCY_TURN]
    if not items:
        raise CaseConflict(
            _(
                "Các kiến nghị trong dự thảo đều đã được báo cáo hoặc đã đóng: "
                "không còn gì để đôn đốc."
            )
        )
    sent_on = sent_on or timezone.localdate()
    if sent_on > timezone.localdate():
        raise CaseInvalid(_("Ngày gửi không được sau hôm nay."))
    number, sequence = _number(letter, normalize_text(number), sent_on.year)
    letter.items.exclude(pk__in=[i.pk for i in items]).delete()  # answered since the draft
    letter.content = _content(letter, sent_on, number, items)
    letter.number, letter.sequence, letter.year = number, sequence, sent_on.year
    letter.status, letter.sent_on, letter.sent_by = UrgingLetter.Status.SENT, sent_on, actor
    letter.save()
    for item in items:
        _log_sent(item.case, letter, actor)
    return letter


def _number(letter: UrgingLetter, typed: str, year: int) -> tuple[str, int | None]:
    """The number typed by the office (from its register), or the next of the council's year."""
    Council.objects.select_for_update().filter(pk=letter.council_id).first()  # one numbering
    if len(typed) > MAX_NUMBER:
        raise CaseInvalid(_("Số, ký hiệu tối đa %(n)s ký tự."), n=MAX_NUMBER)
    year_letters = UrgingLetter.objects.filter(council_id=letter.council_id, year=year)
    if typed:
        if year_letters.filter(number=typed).exists():
            raise CaseInvalid(
                _("Số %(number)s đã dùng cho văn bản khác trong năm %(year)s."),
                number=typed,
                year=year,
            )
        return typed, None
    sequence = (year_letters.aggregate(last=Max("sequence"))["last"] or 0) + 1
    number = f"{sequence}/{letter_style(letter).symbol}"
    while year_letters.filter(number=number).exists():  # a typed number took it
        sequence += 1
        number = f"{sequence}/{letter_style(letter).symbol}"
    return number, sequence


def _log_sent(case: Case, letter: UrgingLetter, actor) -> CaseEvent:
    return CaseEvent.objects.create(
        case=case,
        kind=EventKind.LETTER_SENT,
        actor=actor,
        created_at=timezone.now(),
        from_state=case.state,
        to_state=case.state,
        data={
            "letter_id": letter.pk,
            "kind": letter.kind,
            "number": letter.number,
            "sent_on": letter.sent_on.isoformat(),
        },
    )
