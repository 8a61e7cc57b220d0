from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowConfig(AppConfig):
    name = "workflow"
    verbose_name = _("Theo dõi, đôn đốc")

    def ready(self) -> None:
        # What transitions keep of a council's ladder and calendar is forgotten as soon as
        # this process saves a change to them (workflow/escalation_plan.py).
        from django.db.models.signals import post_delete, post_save

        from conclusions.models import Council
        from workflow.escalation_plan import forget_councils
        from workflow.models import CalendarOverride, EscalationStep

        for model in (Council, CalendarOverride, EscalationStep):
            for signal in (post_save, post_delete):
                signal.connect(forget_councils, sender=model, dispatch_uid=f"forget-{model}")
