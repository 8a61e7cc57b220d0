"""One set of input rules (conclusions/rules.py): the web forms and the API's inputs draw every
limit from it, so the same value gets the same answer from a page and from the API."""

import datetime
import unicodedata

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework import serializers
from rest_framework.exceptions import ValidationError as ApiValidationError

from api import inputs
from api import intake as api_intake
from api.fields import Date, Input, Text
from api.resolutions import ItemIn
from conclusions import rules
from conclusions.models import Agency, ConclusionNotice, Recommendation
from intake import forms as intake_forms
from intake import item_forms
from notifications.views import SettingsForm
from reports import forms as report_forms
from resolutions.forms import ItemForm
from workflow import forms as workflow_forms
from workflow.models import Extension, ProgressReport

WEB_FORMS = [
    workflow_forms.TransitionForm,
    workflow_forms.CommentForm,
    workflow_forms.CaseFilterForm,
    workflow_forms.ExtensionRequestForm,
    workflow_forms.ExtensionDecisionForm,
    intake_forms.NoticeRegistrationForm,
    item_forms.RecommendationForm,
    item_forms.RecommendationCheckForm,
    intake_forms.ApprovalForm,
    report_forms.DashboardFilterForm,
    report_forms.ReportRequestForm,
    ItemForm,
    SettingsForm,
]


def _is_input(value) -> bool:
    return isinstance(value, type) and issubclass(value, Input) and value is not Input


API_INPUTS = sorted(
    {
        value
        for module in (inputs, api_intake)
        for value in vars(module).values()
        if _is_input(value)
    },
    key=lambda kind: kind.__name__,
)


def _api_fields(serializer: serializers.Serializer, prefix: str = ""):
    for name, field in serializer.fields.items():
        path = f"{prefix}{name}"
        if isinstance(field, serializers.ListSerializer):
            yield from _api_fields(field.child, f"{path}[].")
        elif isinstance(field, serializers.Serializer):
            yield from _api_fields(field, f"{path}.")
        elif isinstance(field, serializers.ListField):
            yield f"{path}[]", field.child
            yield path, field
        else:
            yield path, field


# ------------------------------------------------------------- drawn from one place


@pytest.mark.parametrize("form", WEB_FORMS, ids=lambda form: form.__name__)
def test_every_field_of_every_web_form_follows_the_rules(form):
    for name, field in form.base_fields.items():
        where = f"{form.__name__}.{name}"
        if isinstance(field, forms.CharField):
            assert isinstance(field, rules.TextField), where
            assert rules.validate_text in field.validators, where
            assert field.max_length <= rules.TEXT, where
        if isinstance(field, forms.DateField):
            assert rules.validate_date in field.validators, where
            assert field.input_formats == rules.DATE_INPUT_FORMATS, where
        if isinstance(field, forms.FileField):
            assert isinstance(field, rules.EvidenceField) or (
                rules.validate_evidence in field.validators
            ), where


@pytest.mark.parametrize("kind", API_INPUTS, ids=lambda kind: kind.__name__)
def test_every_field_of_every_api_input_follows_the_rules(kind):
    for path, field in _api_fields(kind()):
        where = f"{kind.__name__}.{path}"
        if isinstance(field, serializers.CharField):
            assert isinstance(field, Text) or field.style.get("input_type") == "password", where
            if isinstance(field, Text):
                assert rules.validate_text in field.validators, where
                assert field.max_length <= rules.TEXT, where
        if isinstance(field, serializers.DateField):
            assert isinstance(field, Date) and rules.validate_date in field.validators, where


def test_the_rules_fit_the_columns_behind_them():
    columns = {
        rules.NUMBER: [
            ConclusionNotice._meta.get_field("number"),
            ProgressReport._meta.get_field("letter_number"),
            Extension._meta.get_field("letter_number"),
        ],
        rules.TITLE: [ConclusionNotice._meta.get_field("title")],
        rules.SIGNER: [ConclusionNotice._meta.get_field("signer")],
        rules.ANCHOR: [Recommendation._meta.get_field("anchor")],
        rules.DEADLINE_PHRASE: [Recommendation._meta.get_field("deadline_phrase")],
        rules.CODE: [Agency._meta.get_field("code")],
    }
    for limit, fields in columns.items():
        for field in fields:
            assert field.max_length >= limit, field


# ------------------------------------------------------------------ the same answers


def _form_field(form, name):
    return form.base_fields[name]


def _api_field(kind, name):
    return kind().fields[name]


TEXT_PAIRS = [
    (workflow_forms.TransitionForm, "text", inputs.ReportIn, "text"),
    (workflow_forms.TransitionForm, "note", inputs.ReturnIn, "reason"),
    (workflow_forms.TransitionForm, "note", inputs.CloseIn, "note"),
    (workflow_forms.TransitionForm, "letter_number", inputs.ReportIn, "letter_number"),
    (workflow_forms.CommentForm, "text", inputs.NoteIn, "note"),
    (workflow_forms.ExtensionRequestForm, "reason", inputs.ExtensionRequestIn, "reason"),
    (
        workflow_forms.ExtensionRequestForm,
        "letter_number",
        inputs.ExtensionRequestIn,
        "letter_number",
    ),
    (workflow_forms.ExtensionDecisionForm, "note", inputs.ExtensionApproveIn, "note"),
    (intake_forms.NoticeRegistrationForm, "number", inputs.NoticeIn, "number"),
    (intake_forms.NoticeRegistrationForm, "title", inputs.NoticeIn, "title"),
    (intake_forms.NoticeRegistrationForm, "signer", inputs.NoticeIn, "signer"),
    (item_forms.RecommendationForm, "anchor", inputs.RecommendationIn, "anchor"),
    (item_forms.RecommendationForm, "text", inputs.RecommendationIn, "text"),
    (ItemForm, "text", ItemIn, "text"),
]
DATE_PAIRS = [
    (workflow_forms.TransitionForm, "letter_date", inputs.ReportIn, "letter_date"),
    (
        workflow_forms.ExtensionRequestForm,
        "requested_until",
        inputs.ExtensionRequestIn,
        "requested_until",
    ),
    (
        workflow_forms.ExtensionDecisionForm,
        "approved_until",
        inputs.ExtensionApproveIn,
        "approved_until",
    ),
    (intake_forms.NoticeRegistrationForm, "issue_date", inputs.NoticeIn, "issue_date"),
    (item_forms.RecommendationForm, "deadline", inputs.DeadlineInput, "date"),
    (ItemForm, "deadline", inputs.DeadlineInput, "date"),
    (report_forms.ReportRequestForm, "period_to", inputs.ResultsQuery, "period_to"),
    (report_forms.ReportRequestForm, "as_of", inputs.ResultsQuery, "as_of"),
]


def _verdicts(form_field, api_field, value) -> tuple[bool, bool]:
    try:
        form_field.clean(value)
        page = True
    except ValidationError:
        page = False
    try:
        api_field.run_validation(value)
        api = True
    except (ApiValidationError, ValidationError):
        api = False
    return page, api


def _text_probes(limit: int) -> list[tuple[str, bool]]:
    decomposed = unicodedata.normalize("NFD", "ộ")  # three code points, one character
    return [
        ("x" * limit, True),
        (decomposed * limit, True),
        ("Dòng một\tcột\nDòng hai\r\n", True),
        ("x" * (limit + 1), False),
        (decomposed * (limit + 1), False),
        *((f"a{control}b", False) for control in ("\x00", "\x01", "\x0b", "\x1f", "\ufffe")),
    ]


@pytest.mark.parametrize(
    ("form", "form_name", "kind", "api_name"),
    TEXT_PAIRS,
    ids=[f"{f.__name__}.{n}" for f, n, _k, _a in TEXT_PAIRS],
)
def test_a_page_and_the_api_give_text_the_same_answer(form, form_name, kind, api_name):
    form_field, api_field = _form_field(form, form_name), _api_field(kind, api_name)
    assert form_field.max_length == api_field.max_length
    for value, accepted in _text_probes(form_field.max_length):
        assert _verdicts(form_field, api_field, value) == (accepted, accepted), repr(value[:20])


@pytest.mark.parametrize(
    ("form", "form_name", "kind", "api_name"),
    DATE_PAIRS,
    ids=[f"{f.__name__}.{n}" for f, n, _k, _a in DATE_PAIRS],
)
def test_a_page_and_the_api_give_dates_the_same_answer(form, form_name, kind, api_name):
    form_field, api_field = _form_field(form, form_name), _api_field(kind, api_name)
    probes = [
        ("2000-01-01", True),
        ("2026-09-30", True),
        ("2100-12-31", True),
        ("1999-12-31", False),
        ("2101-01-01", False),
        ("9999-12-31", False),
        ("0001-01-01", False),
        ("2026-02-30", False),
    ]
    for value, accepted in probes:
        assert _verdicts(form_field, api_field, value) == (accepted, accepted), value


def _files(names: list[str]) -> list[SimpleUploadedFile]:
    return [SimpleUploadedFile(name, b"%PDF-1.4", content_type="application/pdf") for name in names]


def test_a_page_and_the_api_take_the_same_number_of_evidence_files(settings):
    form_field = _form_field(workflow_forms.TransitionForm, "evidence")
    api_field = _api_field(inputs.ReportIn, "evidence")
    most = settings.DONDOC_EVIDENCE_MAX_FILES
    assert _verdicts(form_field, api_field, _files(["a.pdf"] * most)) == (True, True)
    assert _verdicts(form_field, api_field, _files(["a.pdf"] * (most + 1))) == (False, False)
    settings.DONDOC_EVIDENCE_MAX_FILES = 2  # read at each request, by both
    assert _verdicts(form_field, api_field, _files(["a.pdf"] * 3)) == (False, False)


def test_evidence_types_and_sizes_are_one_rule_for_the_page_and_the_service(settings):
    settings.EVIDENCE_MAX_BYTES = 4
    for name, size in (("virus.exe", 1), ("lon.pdf", 5), ("a\x00.pdf", 1)):
        upload = SimpleUploadedFile(name, b"x" * size)
        with pytest.raises(ValidationError):
            rules.validate_evidence(upload)
        with pytest.raises(ValidationError):
            _form_field(workflow_forms.TransitionForm, "evidence").clean([upload])


def test_the_date_rule_names_its_bounds():
    with pytest.raises(ValidationError) as refused:
        rules.validate_date(datetime.date(9999, 12, 31))
    message = refused.value.messages[0]
    assert "01/01/2000" in message and "31/12/2100" in message
