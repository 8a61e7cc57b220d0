"""`manage.py loaddemo`: the demo councils, accounts, notices and cases; safe to run again."""

from django.core.management.base import BaseCommand

from devtools.demo.loader import demo_load


class Command(BaseCommand):
    help = (
        "Nạp dữ liệu mẫu (HĐND tỉnh Hậu Giang, HĐND phường Đức Phổ); chạy lại không tạo trùng. "
        "/ Load the demo data; running it again creates no duplicates."
    )

    def handle(self, *args, **options) -> None:
        self.stdout.write(demo_load().summary())
