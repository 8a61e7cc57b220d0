"""Shared by the API views: the id pattern and the rows a case list reads."""

ID = "[0-9]{1,18}"  # ids beyond PostgreSQL's bigint do not exist: 404, not an overflow


def _case_rows(cases):
    return cases.select_related("notice", "recommendation", "agency", "committee").prefetch_related(
        "coordinating_agencies"
    )
