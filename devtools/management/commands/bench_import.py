"""Time the bulk import of older notices: `manage.py bench_import --rows 5000`. Builds a sheet
of --rows recommendations (--per-notice to a notice), uploads it and opens its preview through
the pages (reading, checking every row, the page), then confirms it (one transaction: the
notices, their recommendations, their intake processes). In a scratch database of its own."""

import time

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from conclusions.models import ConclusionNotice, Recommendation
from devtools import bench_import as bench
from devtools.scratch import ScratchCommand

TARGET_PREVIEW_SECONDS = 10


class Command(ScratchCommand):
    help = "Đo tốc độ nhập thông báo từ Excel / Benchmark the Excel import of notices."
    needs_postgresql = False

    def add_work_arguments(self, parser) -> None:
        parser.add_argument("--rows", type=int, default=5000)
        parser.add_argument("--per-notice", type=int, default=20)

    def check_options(self, *, rows: int, per_notice: int) -> None:
        if rows < 1 or not 1 <= per_notice <= 200:
            raise CommandError("--rows must be positive, --per-notice from 1 to 200.")

    def work(self, *, rows: int, per_notice: int) -> None:
        council, clerk = bench.build_registry()
        data = bench.notice_sheet(rows, per_notice)
        client = Client()
        client.force_login(clerk)
        (preview_seconds, preview_cpu), url = _timed(lambda: _preview(client, data))
        (write_seconds, write_cpu), _ = _timed(lambda: _confirm(client, url))
        notices = ConclusionNotice.objects.filter(council=council).count()
        items = Recommendation.objects.filter(notice__council=council).count()
        if items != rows:
            raise CommandError(f"{items} recommendations written, {rows} expected.")
        verdict = "OK" if preview_seconds < TARGET_PREVIEW_SECONDS else "TOO SLOW"
        self.stdout.write(
            f"{rows} dòng, {len(data) // 1024} KB / {rows} rows: xem trước / preview "
            f"{preview_seconds:.1f} s, CPU {preview_cpu:.1f} s ({verdict}, target < "
            f"{TARGET_PREVIEW_SECONDS} s); ghi / write {write_seconds:.1f} s, "
            f"CPU {write_cpu:.1f} s ({notices} notices, {items} recommendations, one transaction)"
        )


def _timed(run):
    """(wall seconds, this process's CPU seconds), result. On a busy machine the wall time
    grows with the load; the CPU time is what the work itself costs here."""
    started, cpu = time.perf_counter(), time.process_time()
    result = run()
    return (time.perf_counter() - started, time.process_time() - cpu), result


def _preview(client: Client, data: bytes) -> str:
    upload = SimpleUploadedFile("thong-bao.xlsx", data)
    form = {"file": upload, "options-source_kind": "thematic_supervision"}
    response = client.post(reverse("intake:imports:upload", args=["thong-bao"]), form)
    if response.status_code != 302:
        raise CommandError(f"Upload refused: {response.status_code}")
    page = client.get(response["Location"])
    if page.status_code != 200 or b"import-confirm" not in page.content:
        raise CommandError("The preview shows errors: the benchmark's sheet is wrong.")
    return response["Location"]


def _confirm(client: Client, url: str) -> None:
    response = client.post(url)
    if response.status_code != 302:
        raise CommandError(f"Confirmation refused: {response.status_code}")
