from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import pgettext_lazy


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = pgettext_lazy("notifications", "Thông báo")

    def ready(self) -> None:
        # Workflow never imports notifications: it writes a CaseEvent, and this receiver
        # writes the event's deliveries inside the same transaction (see fanout.py).
        from notifications.fanout import on_event_saved, on_events_bulk_created
        from workflow.models import CaseEvent
        from workflow.signals import events_bulk_created

        post_save.connect(on_event_saved, sender=CaseEvent, dispatch_uid="notifications-fan-out")
        # Events inserted in bulk (a notice's new cases): a worker fans them out once they
        # commit.
        events_bulk_created.connect(
            on_events_bulk_created, sender=CaseEvent, dispatch_uid="notifications-fan-out-soon"
        )
