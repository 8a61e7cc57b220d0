"""A frozen report as a document: a subject, a few sentences and its tables. The report page,
the Excel workbook and the Word document are all drawn from this one description, so they
always show the same figures."""

from reports.documents.base import DATE, NUMBER, PERCENT, TEXT, Column, Document, Table, cell_text
from reports.models import ReportSnapshot
from reports.registry import kind_of

__all__ = ["DATE", "NUMBER", "PERCENT", "TEXT", "Column", "Document", "Table", "cell_text"]


def document_for(snapshot: ReportSnapshot) -> Document:
    """The document of a finished snapshot, worded in the active language."""
    return kind_of(snapshot.kind).document(snapshot, snapshot.figures)
