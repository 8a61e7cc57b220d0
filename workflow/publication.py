"""Publishing a notice on its council's public page (Law 121/2025 asks councils to publish
their supervision documents): the Standing Committee publishes or withdraws it with one
action, written as an event on the timeline of each of its cases."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from conclusions.models import ConclusionNotice
from conclusions.selectors import roles_of
from workflow.errors import CaseConflict, CaseForbidden, CaseNotFound
from workflow.models import Case, CaseEvent, EventKind
from workflow.signals import events_bulk_created


def may_publish(notice: ConclusionNotice, user) -> bool:
    roles = roles_of(user)
    return roles.is_admin or notice.council_id in roles.standing_council_ids


@transaction.atomic
def notice_publish(*, notice: ConclusionNotice, actor, publish: bool) -> ConclusionNotice:
    """Publish (or withdraw) an issued notice; doing it twice is a conflict, not a no-op,
    so that two Standing Committee members acting at once learn what happened."""
    locked = ConclusionNotice.objects.select_for_update().get(pk=notice.pk)
    if not may_publish(locked, actor):
        raise CaseForbidden(_("Chỉ Thường trực HĐND công khai hoặc thôi công khai thông báo."))
    if locked.status != ConclusionNotice.Status.ISSUED:
        raise CaseNotFound(_("Thông báo chưa ban hành, chưa công khai được."))
    if (locked.published_at is not None) == publish:
        raise CaseConflict(
            _("Thông báo %(number)s đã được công khai.")
            if publish
            else _("Thông báo %(number)s hiện không công khai."),
            number=locked.number,
        )
    now = timezone.now()
    locked.published_at = now if publish else None
    locked.save(update_fields=["published_at"])
    kind = EventKind.PUBLISHED if publish else EventKind.WITHDRAWN
    events = CaseEvent.objects.bulk_create(
        CaseEvent(
            case_id=pk, kind=kind, actor=actor, created_at=now, from_state=state, to_state=state
        )
        for pk, state in Case.objects.filter(notice=locked).values_list("pk", "state")
    )
    events_bulk_created.send(sender=CaseEvent, event_ids=[event.pk for event in events])
    notice.published_at = locked.published_at
    return locked
