from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import pgettext_lazy


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = pgettext_lazy("notifications", "Thông báo")

    def ready(self) -> None:
        # Workflow never imports notifications: it writes a CaseEvent, and this receiver
        # writes the event's deliveries inside the same transaction (see fanout.py).
        from notifications.fanout import on_event_saved
        from workflow.models import CaseEvent

        post_save.connect(on_event_saved, sender=CaseEvent, dispatch_uid="notifications-fan-out")
