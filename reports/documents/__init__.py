"""A frozen report as a document: a subject, a few sentences and its tables. The report page,
the Excel workbook and the Word document are all drawn from this one description, so they
always show the same figures."""

from reports.documents.base import DATE, NUMBER, PERCENT, TEXT, Column, Document, Table, cell_text
from reports.documents.candidates import candidates_document
from reports.documents.notice import notice_document
from reports.documents.results import results_document
from reports.documents.weekly import weekly_document
from reports.models import ReportSnapshot

__all__ = ["DATE", "NUMBER", "PERCENT", "TEXT", "Column", "Document", "Table", "cell_text"]

BUILDERS = {
    ReportSnapshot.Kind.RESULTS: results_document,
    ReportSnapshot.Kind.NOTICE: notice_document,
    ReportSnapshot.Kind.WEEKLY: weekly_document,
    ReportSnapshot.Kind.CANDIDATES: candidates_document,
}


def document_for(snapshot: ReportSnapshot) -> Document:
    """The document of a finished snapshot, worded in the active language."""
    return BUILDERS[snapshot.kind](snapshot, snapshot.figures)
