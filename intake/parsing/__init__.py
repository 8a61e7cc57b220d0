"""Reading a signed conclusion notice (.docx, or a PDF with a text layer) into a draft the
office corrects: `parse_notice(data, filename, council=…)`. Nothing is written."""

from conclusions.models import Council
from intake.parsing.draft import ItemDraft, NoticeDraft
from intake.parsing.extract import UnreadableNotice, extract_blocks
from intake.parsing.notice import parse_blocks
from intake.parsing.registry import Registry, registry_for

__all__ = ["ItemDraft", "NoticeDraft", "UnreadableNotice", "parse_notice", "registry_for"]


def parse_notice(
    data: bytes, filename: str, *, council: Council, registry: Registry | None = None
) -> NoticeDraft:
    """The draft a signed notice gives, with a warning on each uncertain field; raises
    UnreadableNotice for a file that is not a .docx or a PDF with text."""
    blocks = extract_blocks(data, filename)
    return parse_blocks(blocks, registry or registry_for(council))
