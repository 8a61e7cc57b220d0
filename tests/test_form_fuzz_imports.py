"""The import pages fuzzed as tests/test_form_fuzz_cases.py fuzzes every other form: the
upload form with any council, option and file (bytes of any kind, a sheet of hostile
cells, a CSV in any encoding), and the preview of whatever was accepted. Never a 5xx, never a
notice written by an upload or a preview."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from conclusions.models import ConclusionNotice, SourceKind
from intake.imports import get_import
from intake.imports.template import template_header, template_workbook
from intake.models import NoticeIntakeProcess
from tests.form_fuzz_support import (  # noqa: F401  (the stage fixture)
    BAD_PKS,
    FUZZ,
    HOSTILE,
    ROLES,
    stage,
)
from tests.imports_support import csv_text

KEYS = ["thong-bao", "ten-co-quan"]
NOTICES = get_import("thong-bao")
HEADER = template_header(NOTICES)
CELL = st.one_of(HOSTILE, st.sampled_from(["so-tc", "05/06/2026", "Ban Văn hóa - Xã hội", "1"]))
SHEET = st.lists(st.lists(CELL, min_size=1, max_size=10), min_size=1, max_size=6)


def _as_xlsx(rows: list[list[str]]) -> bytes:
    clean = [[cell.translate(dict.fromkeys(range(32))) for cell in row] for row in rows]
    return template_workbook(NOTICES, clean)


FILES = st.one_of(
    st.binary(max_size=300).map(lambda data: ("tep.xlsx", data)),
    st.binary(max_size=300).map(lambda data: ("tep.csv", data)),
    SHEET.map(lambda rows: ("tep.xlsx", _as_xlsx(rows))),
    st.tuples(SHEET, st.sampled_from(["utf-8", "utf-16", "cp1258", "latin-1"])).map(
        lambda pair: (
            "tep.csv",
            csv_text([HEADER, *pair[0]]).encode(pair[1], "ignore"),
        )
    ),
)
COUNCILS = st.one_of(st.just(None), BAD_PKS)
SOURCE_KINDS = st.one_of(st.sampled_from(SourceKind.values), HOSTILE)


def test_uploads_and_previews_of_any_file_never_fail_nor_write(client, stage):
    world = stage.world
    councils = st.one_of(COUNCILS, st.just(str(world.council.pk)))
    seats = st.one_of(st.just("vanphong"), st.sampled_from(ROLES))

    @FUZZ
    @given(
        key=st.sampled_from(KEYS),
        file=FILES,
        council=councils,
        source_kind=SOURCE_KINDS,
        role=seats,
    )
    def check(key, file, council, source_kind, role) -> None:
        client.logout()
        if role != "anonymous":
            client.force_login(getattr(world, role))
        notices = list(ConclusionNotice.objects.values_list("pk", flat=True))
        processes = NoticeIntakeProcess.objects.count()
        form = {"file": SimpleUploadedFile(*file), "options-source_kind": source_kind}
        if council is not None:
            form["council"] = council
        response = client.post(reverse("intake:imports:upload", args=[key]), form)
        assert response.status_code < 500, (key, file, role)
        if response.status_code == 302:
            assert client.get(response["Location"]).status_code < 500, (key, file, role)
        assert list(ConclusionNotice.objects.values_list("pk", flat=True)) == notices
        assert NoticeIntakeProcess.objects.count() == processes

    check()
