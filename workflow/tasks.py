"""django-q2 entry points; each calls a service and returns a summary for the task log."""

from dataclasses import asdict

from workflow.escalation import escalate_due


def sweep_escalations() -> dict:
    return asdict(escalate_due())
