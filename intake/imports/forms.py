"""The upload form: which council, which file (and the import's own options, apart)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from conclusions import rules


class UploadForm(forms.Form):
    council = forms.ModelChoiceField(
        queryset=None, label=_("HĐND"), empty_label=None, required=False
    )
    file = forms.FileField(
        label=_("Tệp Excel (.xlsx) hoặc CSV"),
        error_messages={"required": _("Chưa chọn tệp."), "empty": _("Tệp rỗng.")},
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def __init__(self, *args, councils, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["council"].queryset = councils
        self.councils = councils

    def clean_council(self):
        """The chosen council; a user of one council need not choose."""
        council = self.cleaned_data.get("council")
        if council is None:
            only = list(self.councils[:2])
            if len(only) != 1:
                raise forms.ValidationError(_("Chọn HĐND."))
            council = only[0]
        return council

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > rules.IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("Tệp quá lớn (tối đa %(limit)s MB)."),
                params={"limit": rules.IMPORT_MAX_BYTES // 1024**2},
            )
        return upload
