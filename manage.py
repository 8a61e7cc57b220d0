#!/usr/bin/env python
import os
import sys
from pathlib import Path

DEVTOOLS_COMMANDS = Path(__file__).resolve().parent / "devtools" / "management" / "commands"
DEVTOOLS_REFUSED = (
    "Từ chối: {command} là công cụ phát triển (dữ liệu mẫu, đo hiệu năng, thử tải), không chạy "
    "trên môi trường production (DJANGO_ENV=production).\n"
    "Refused: {command} is a development tool (demo data, benchmarks, load tests) and does not "
    "run under the production profile (DJANGO_ENV=production)."
)


def refuse_devtools_in_production(argv: list[str]) -> None:
    """devtools is left out of INSTALLED_APPS in production, where its commands would only be
    "unknown"; say why instead, and fail."""
    command = argv[1] if len(argv) > 1 else ""
    if command.startswith("_") or not (DEVTOOLS_COMMANDS / f"{command}.py").is_file():
        return
    from django.conf import settings

    if settings.PRODUCTION:
        sys.exit(DEVTOOLS_REFUSED.format(command=command))


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    refuse_devtools_in_production(sys.argv)
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
