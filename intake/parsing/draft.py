"""What the parser hands over: a draft notice in the shape `POST /api/v1/notices/` takes, with
the words each deadline was read from and a warning on every field it is unsure of. It is
never registered by itself: the office corrects it and sends it through intake."""

import datetime
from dataclasses import dataclass, field

from django.utils import translation
from django.utils.functional import Promise


@dataclass
class Warning:
    path: str  # "recommendations[2].lead_agencies"
    message: Promise
    params: dict = field(default_factory=dict)


@dataclass
class ItemDraft:
    anchor: str
    text: str
    lead_agencies: list[str] = field(default_factory=list)
    coordinating_agencies: list[str] = field(default_factory=list)
    accountable: str = ""
    tracking_committee: str = ""
    deadline: dict | None = None
    deadline_text: str = ""

    def payload(self) -> dict:
        deadline = self.deadline
        if deadline and "date" in deadline:
            deadline = {"date": deadline["date"].isoformat()}
        return {
            "anchor": self.anchor,
            "text": self.text,
            "lead_agencies": self.lead_agencies,
            "coordinating_agencies": self.coordinating_agencies,
            "accountable": self.accountable,
            "tracking_committee": self.tracking_committee,
            "deadline": deadline,
            "deadline_text": self.deadline_text,
        }


@dataclass
class NoticeDraft:
    council: str
    number: str = ""
    issue_date: datetime.date | None = None
    title: str = ""
    signer: str = ""
    signer_capacity: str = ""
    source_kind: str = ""
    tracking_committee: str = ""
    recommendations: list[ItemDraft] = field(default_factory=list)
    warnings: list[Warning] = field(default_factory=list)

    def warn(self, path: str, message: Promise, **params) -> None:
        self.warnings.append(Warning(path, message, params))

    def payload(self) -> dict:
        """The draft as `POST /api/v1/notices/` takes it (and the intake form will), plus
        `council`, `signer_capacity`, `warnings` and `warnings_en`."""
        warnings = {"vi": {}, "en": {}}
        for warning in self.warnings:
            for language in warnings:
                with translation.override(language):
                    text = str(warning.message) % warning.params
                warnings[language].setdefault(warning.path, []).append(text)
        return {
            "council": self.council,
            "number": self.number,
            "issue_date": self.issue_date.isoformat() if self.issue_date else None,
            "title": self.title,
            "signer": self.signer,
            "signer_capacity": self.signer_capacity,
            "source_kind": self.source_kind,
            "tracking_committee": self.tracking_committee,
            "recommendations": [item.payload() for item in self.recommendations],
            "warnings": warnings["vi"],
            "warnings_en": warnings["en"],
        }
