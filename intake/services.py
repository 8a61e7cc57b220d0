"""The intake's own writes beside the notice services: each step records what now waits for
whom (workflow.NoticeEvent), which the notifications app turns into messages."""

from workflow.models import NoticeEvent, NoticeEventKind


def notice_step_record(*, notice, kind: NoticeEventKind, actor, link: str, note: str = ""):
    """Record that the notice's intake reached a step; notifications tell the next person."""
    return NoticeEvent.objects.create(notice=notice, kind=kind, actor=actor, link=link, note=note)
