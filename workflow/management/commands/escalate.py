import datetime
import json
from dataclasses import asdict

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from workflow.escalation import BATCH_SIZE, escalate_due


class Command(BaseCommand):
    help = "Đôn đốc các hồ sơ đến mức tiếp theo / Escalate every case whose next rung is due."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--now", help="ISO-8601 time to sweep as of (default: now)")
        parser.add_argument(
            "--json", action="store_true", dest="as_json", help="print the result as JSON"
        )
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE)

    def handle(self, *args, now=None, as_json=False, batch_size=BATCH_SIZE, **options) -> None:
        result = escalate_due(_parse_now(now), batch_size=batch_size)
        if as_json:
            self.stdout.write(json.dumps(asdict(result), ensure_ascii=False, sort_keys=True))
            return
        levels = ", ".join(f"mức {k}: {v}" for k, v in sorted(result.by_level.items()))
        self.stdout.write(
            f"Đã xét {result.cases} hồ sơ, ghi {result.events} sự kiện đôn đốc"
            f"{f' ({levels})' if levels else ''}, {result.broken} nhóm lỗi bỏ qua / "
            f"{result.cases} cases moved, {result.events} escalation events, "
            f"{result.broken} broken groups skipped."
        )


def _parse_now(value: str | None) -> datetime.datetime | None:
    if value is None:
        return None
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--now phải theo ISO-8601 / must be ISO-8601: {value!r}") from None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment
