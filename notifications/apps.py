from django.apps import AppConfig
from django.core.signals import request_finished, request_started
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Tin nhắn")

    def ready(self) -> None:
        # Workflow never imports notifications: it writes a CaseEvent, and the fan-out sweep
        # turns events into deliveries. A saved event nudges the sweep after its commit;
        # events inserted in bulk (a notice's new cases) say so with a signal of workflow's.
        from notifications.background import hold_wakes, release_wakes
        from notifications.fanout import fan_out_after_commit, on_events_bulk_created
        from notifications.notices import on_notice_event
        from workflow.models import CaseEvent, NoticeEvent
        from workflow.signals import events_bulk_created

        post_save.connect(
            fan_out_after_commit, sender=CaseEvent, dispatch_uid="notifications-fan-out"
        )
        events_bulk_created.connect(
            on_events_bulk_created, sender=CaseEvent, dispatch_uid="notifications-fan-out-bulk"
        )
        # A step of a notice's intake tells the next person in its own transaction.
        post_save.connect(
            on_notice_event, sender=NoticeEvent, dispatch_uid="notifications-notice-steps"
        )
        # The nudge's thread starts once the request's answer has gone out.
        request_started.connect(hold_wakes, dispatch_uid="notifications-hold-wakes")
        request_finished.connect(release_wakes, dispatch_uid="notifications-release-wakes")
