"""The corpus of signed notices in fixtures/notices/: each notice is a text source (NN-name.txt)
with its expected reading (NN-name.yaml); this module lays a source out as the .docx or the
PDF a council would sign, loads the corpus' registry, and scores the parser against the
expected answers.

Source lines are paragraphs (blank lines are ignored), except:
    left || right        a row of the borderless two-column layout table (header, signature)
    | a | b | c |        a row of a bordered table (a table of recommendations), .docx only
    #. text              a paragraph numbered by Word itself (style "List Number"), .docx only
    #- text              a bulleted paragraph (style "List Bullet"), .docx only
"""

import datetime
import io
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml
from django.conf import settings

CORPUS = Path(settings.BASE_DIR) / "fixtures" / "notices"
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")


@dataclass(frozen=True)
class Sample:
    name: str
    source: str
    expected: dict

    @property
    def format(self) -> str:
        return self.expected.get("format", "docx")

    @property
    def filename(self) -> str:
        return f"{self.name}.{self.format}"

    def render(self) -> bytes:
        return render(self.source, self.format)


def samples(folder: Path = CORPUS) -> list[Sample]:
    return [
        Sample(path.stem, path.read_text(encoding="utf-8"), _expected(path.with_suffix(".yaml")))
        for path in sorted(folder.glob("[0-9]*.txt"))
    ]


def _expected(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def registry_data(folder: Path = CORPUS) -> dict:
    return yaml.safe_load((folder / "registry.yaml").read_text(encoding="utf-8"))


def load_registry(data: dict | None = None):
    """The corpus' council, committees, agencies (with aliases) and sittings, in the database."""
    from conclusions.models import Agency, AgencyAlias, Committee, Council, Sitting

    data = data or registry_data()
    council = Council.objects.create(**data["council"])
    for committee in data["committees"]:
        Committee.objects.create(council=council, **committee)
    agencies: dict[str, Agency] = {}
    for row in data["agencies"]:
        row = dict(row)
        aliases, parent = row.pop("aliases", []), row.pop("parent", "")
        agencies[row["code"]] = agency = Agency.objects.create(
            council=council, parent=agencies.get(parent), **row
        )
        AgencyAlias.objects.bulk_create(AgencyAlias(agency=agency, name=a) for a in aliases)
    for sitting in data["sittings"]:
        Sitting.objects.create(council=council, **sitting)
    return council


# --- laying a source out --------------------------------------------------------------------


def render(source: str, kind: str) -> bytes:
    pieces = list(_pieces(source))
    return _docx(pieces) if kind == "docx" else _pdf(pieces)


def _pieces(source: str) -> Iterator[tuple[str, object]]:
    """("para", text), ("list", text), ("bullet", text), ("layout", rows), ("table", rows)."""
    lines = [line.rstrip() for line in source.splitlines() if line.strip()]
    index = 0
    while index < len(lines):
        line = lines[index]
        for kind, test in (("layout", _is_layout), ("table", _is_table)):
            if test(line):
                rows = []
                while index < len(lines) and test(lines[index]):
                    rows.append(_cells(lines[index], kind))
                    index += 1
                yield kind, rows
                break
        else:
            yield _paragraph(line)
            index += 1


def _is_layout(line: str) -> bool:
    return " || " in line or line.endswith(" ||") or line.startswith("|| ")


def _is_table(line: str) -> bool:
    return line.startswith("| ") and line.endswith(" |")


def _cells(line: str, kind: str) -> list[str]:
    if kind == "layout":
        return [cell.strip() for cell in f" {line} ".split(" || ")]
    return [cell.strip() for cell in line.strip("| ").split(" | ")]


def _paragraph(line: str) -> tuple[str, str]:
    if line.startswith("#. "):
        return "list", line[3:]
    if line.startswith("#- "):
        return "bullet", line[3:]
    return "para", line


def _docx(pieces: Iterable[tuple[str, object]]) -> bytes:
    import docx
    from docx.shared import Pt

    document = docx.Document()
    document.styles["Normal"].font.name = "Times New Roman"
    document.styles["Normal"].font.size = Pt(13)
    for kind, content in pieces:
        if kind == "para":
            document.add_paragraph(content)
        elif kind == "list":
            document.add_paragraph(content, style="List Number")
        elif kind == "bullet":
            document.add_paragraph(content, style="List Bullet")
        elif kind == "layout":
            _layout_table(document, content)
        else:
            _grid_table(document, content)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _layout_table(document, rows: list[list[str]]) -> None:
    table = document.add_table(rows=1, cols=2)
    for column in range(2):
        cell = table.cell(0, column)
        texts = [row[column] for row in rows if len(row) > column and row[column]]
        cell.paragraphs[0].text = texts[0] if texts else ""
        for text in texts[1:]:
            cell.add_paragraph(text)


def _grid_table(document, rows: list[list[str]]) -> None:
    width = max(len(row) for row in rows)
    table = document.add_table(rows=0, cols=width)
    table.style = "Table Grid"
    for row in rows:
        cells = table.add_row().cells
        if len(row) == 1:  # a group heading across the table
            merged = cells[0].merge(cells[-1])
            merged.text = row[0]
            continue
        for cell, text in zip(cells, row, strict=False):
            cell.text = text


def _pdf(pieces: Iterable[tuple[str, object]]) -> bytes:
    from fpdf import FPDF

    logging.getLogger("fontTools").setLevel(logging.WARNING)  # it reports every subset
    pdf = FPDF(format="A4")
    pdf.set_margins(25, 20, 20)
    pdf.add_font("Serif", "", str(FONT_DIR / "DejaVuSerif.ttf"))
    pdf.set_font("Serif", size=12)
    pdf.add_page()
    for kind, content in pieces:
        if kind == "layout":
            _pdf_columns(pdf, content)
        elif kind == "para":
            pdf.multi_cell(0, 6.5, content, new_x="LMARGIN", new_y="NEXT", align="J")
            pdf.ln(1.5)
        else:
            raise ValueError(f"a PDF source cannot hold {kind!r} lines")
    return bytes(pdf.output())


def _pdf_columns(pdf, rows: list[list[str]]) -> None:
    top, half = pdf.get_y(), (pdf.w - pdf.l_margin - pdf.r_margin) / 2
    bottoms = []
    for column in range(2):
        pdf.set_xy(pdf.l_margin + column * half, top)
        for row in rows:
            if len(row) > column and row[column]:
                pdf.set_x(pdf.l_margin + column * half)
                pdf.multi_cell(half - 4, 6.5, row[column], new_x="LEFT", new_y="NEXT", align="C")
        bottoms.append(pdf.get_y())
    pdf.set_xy(pdf.l_margin, max(bottoms) + 4)


# --- scoring --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Score:
    expected: int
    right: int  # the right anchor, lead agencies and deadline
    complete: int  # … and the right accountable and coordinating agencies too
    extra: int
    misses: tuple[str, ...]

    @property
    def share(self) -> float:
        return self.right / self.expected if self.expected else 1.0


def score(results: Iterable[tuple[Sample, dict]], sittings: dict[int, str]) -> Score:
    """Items found with the right anchor, lead agencies and deadline, over all expected items;
    `extra` counts items the parser found that the answer does not have. Answers name
    sittings by name; `sittings` maps the database's ids to them."""
    expected = right = complete = extra = 0
    misses: list[str] = []
    for sample, payload in results:
        found = {item["anchor"]: item for item in payload["recommendations"]}
        wanted = sample.expected["recommendations"]
        extra += len(set(found) - {item["anchor"] for item in wanted})
        for item in wanted:
            expected += 1
            problem = _item_problem(item, found.get(str(item["anchor"])), sittings)
            if problem:
                misses.append(f"{sample.name} {item['anchor']}: {problem}")
                continue
            right += 1
            other = _other_agencies_problem(item, found[str(item["anchor"])])
            if other:
                misses.append(f"{sample.name} {item['anchor']} (other agencies): {other}")
            else:
                complete += 1
    return Score(expected, right, complete, extra, tuple(misses))


def _other_agencies_problem(wanted: dict, got: dict) -> str:
    if got["accountable"] != wanted.get("accountable", ""):
        return f"accountable {got['accountable']!r} != {wanted.get('accountable', '')!r}"
    if sorted(got["coordinating_agencies"]) != sorted(wanted.get("coordinating", [])):
        return f"coordinating {got['coordinating_agencies']} != {wanted.get('coordinating', [])}"
    return ""


def _item_problem(wanted: dict, got: dict | None, sittings: dict[int, str]) -> str:
    if got is None:
        return "not found"
    if sorted(got["lead_agencies"]) != sorted(wanted.get("lead", [])):
        return f"lead {got['lead_agencies']} != {wanted.get('lead', [])}"
    if _deadline(got["deadline"], sittings) != _deadline(wanted.get("deadline"), sittings):
        return f"deadline {got['deadline']} != {wanted.get('deadline')}"
    return ""


def _deadline(spec: dict | None, sittings: dict[int, str]) -> dict | None:
    if not spec:
        return None
    spec = {k: (v.isoformat() if isinstance(v, datetime.date) else v) for k, v in spec.items()}
    if isinstance(spec.get("sitting"), int):
        spec["sitting"] = sittings.get(spec["sitting"], spec["sitting"])
    return spec
