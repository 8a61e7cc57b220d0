"""Time the notice parser on a long notice: `manage.py bench_parser --pages 40`. Builds the
notice from the corpus' recommendations, then reads it as .docx and as PDF (median of
--repeat runs, registry included) and prints the times. Touches no database."""

from django.core.management.base import BaseCommand

from devtools import bench_parser as bench


class Command(BaseCommand):
    help = "Đo tốc độ đọc thông báo dài / Benchmark the notice parser on a long notice."
    requires_system_checks = []

    def add_arguments(self, parser) -> None:
        parser.add_argument("--pages", type=int, default=40)
        parser.add_argument("--repeat", type=int, default=5)

    def handle(self, *args, pages: int, repeat: int, **options) -> None:
        _source, pdf, docx = bench.notice_of_pages(pages)
        registry_seconds, _ = bench.timed(bench.memory_registry, repeat)
        docx_seconds, draft = bench.timed(lambda: bench.parse(docx, "tb.docx"), repeat)
        pdf_seconds, pdf_draft = bench.timed(lambda: bench.parse(pdf, "tb.pdf"), repeat)
        items = len(draft.recommendations)
        self.stdout.write(
            f"Thông báo {bench.pdf_pages(pdf)} trang, {items} kiến nghị "
            f"(PDF: {len(pdf_draft.recommendations)}) / {bench.pdf_pages(pdf)} pages, "
            f"{items} items: .docx {docx_seconds:.3f} s, PDF {pdf_seconds:.3f} s "
            f"(median of {repeat}; registry {registry_seconds * 1000:.0f} ms of it)"
        )
