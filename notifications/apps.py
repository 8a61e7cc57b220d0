from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import pgettext_lazy


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = pgettext_lazy("notifications", "Thông báo")

    def ready(self) -> None:
        # Workflow never imports notifications: it writes a CaseEvent, and the fan-out sweep
        # turns events into deliveries. A saved event nudges the sweep after its commit.
        from notifications.fanout import fan_out_after_commit
        from workflow.models import CaseEvent

        post_save.connect(
            fan_out_after_commit, sender=CaseEvent, dispatch_uid="notifications-fan-out"
        )
