"""Input fields whose refusals are written in Vietnamese (Django REST framework's Vietnamese
catalogue covers only a few of its messages), under the input rules the web forms follow too
(conclusions/rules.py): lengths, dates, characters, evidence files."""

from django.core.validators import ProhibitNullCharactersValidator
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.validators import ProhibitSurrogateCharactersValidator

from conclusions import rules

REQUIRED = {
    "required": _("Trường này là bắt buộc."),
    "null": _("Trường này không được để trống (null)."),
}


def made_again(field: serializers.Field) -> serializers.Field:
    """A new field like `field`, made from the arguments it was made with, as DRF's own copy
    does for every serializer it makes, without deep-copying them first (a third of reading a
    body, half of a case's answer): no argument is changed after, save a field given as one
    (a list's `child`, bound by its holder), which is made again too."""

    def again(value):
        return made_again(value) if isinstance(value, serializers.Field) else value

    args = [again(value) for value in field._args]
    return type(field)(*args, **{name: again(value) for name, value in field._kwargs.items()})


class InputList(serializers.ListSerializer):
    default_error_messages = REQUIRED | {
        "not_a_list": _("Cần một danh sách, nhận được {input_type}."),
        "empty": _("Danh sách không được rỗng."),
        "max_length": _("Danh sách tối đa {max_length} phần tử."),
        "min_length": _("Danh sách cần ít nhất {min_length} phần tử."),
    }


class Input(serializers.Serializer):
    """A request body; its own refusal says that a JSON object was expected."""

    default_error_messages = REQUIRED | {
        "invalid": _("Dữ liệu không hợp lệ: cần một đối tượng JSON, nhận được {datatype}."),
    }

    class Meta:
        list_serializer_class = InputList

    def get_fields(self):
        return {name: made_again(field) for name, field in self._declared_fields.items()}


class Text(serializers.CharField):
    """Text stored precomposed (NFC): limits count the characters a person sees."""

    default_error_messages = REQUIRED | {
        "invalid": _("Cần một chuỗi ký tự."),
        "blank": _("Trường này không được để trống."),
        "max_length": _("Tối đa {max_length} ký tự."),
        "min_length": _("Cần ít nhất {min_length} ký tự."),
    }

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("max_length", rules.TEXT)
        super().__init__(**kwargs)
        # One refusal for what cannot be stored (the rules'), in place of DRF's two.
        prohibited = (ProhibitNullCharactersValidator, ProhibitSurrogateCharactersValidator)
        self.validators = [
            *(v for v in self.validators if not isinstance(v, prohibited)),
            rules.validate_text,
        ]

    def to_internal_value(self, data) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return rules.normalize_text(super().to_internal_value(data))


class Code(Text):
    """The code of a committee, an agency or a council, e.g. "so-ldtbxh"."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("max_length", rules.CODE)
        super().__init__(**kwargs)


class Integer(serializers.IntegerField):
    default_error_messages = REQUIRED | {
        "invalid": _("Cần một số nguyên."),
        "max_value": _("Phải nhỏ hơn hoặc bằng {max_value}."),
        "min_value": _("Phải lớn hơn hoặc bằng {min_value}."),
        "max_string_length": _("Số quá dài."),
    }


class Date(serializers.DateField):
    default_error_messages = REQUIRED | {
        "invalid": _("Ngày không hợp lệ: dùng dạng YYYY-MM-DD, ví dụ 2026-09-30."),
        "datetime": _("Cần một ngày (YYYY-MM-DD), không phải ngày giờ."),
    }

    def __init__(self, **kwargs) -> None:
        kwargs["validators"] = [*kwargs.get("validators", ()), rules.validate_date]
        super().__init__(**kwargs)


class Choice(serializers.ChoiceField):
    default_error_messages = REQUIRED | {
        "invalid_choice": _("“{input}” không phải là một lựa chọn hợp lệ."),
    }


class CodeList(serializers.ListField):
    default_error_messages = REQUIRED | {
        "not_a_list": _("Cần một danh sách mã, nhận được {input_type}."),
        "empty": _("Danh sách không được rỗng."),
        "max_length": _("Tối đa {max_length} mã."),
        "min_length": _("Cần ít nhất {min_length} mã."),
    }

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("child", Code())
        kwargs.setdefault("max_length", rules.CODES)
        super().__init__(**kwargs)


class EvidenceFile(serializers.FileField):
    default_error_messages = REQUIRED | {
        "invalid": _("Không phải là tệp: gửi tệp theo kiểu multipart/form-data."),
        "no_name": _("Tệp không có tên."),
        "empty": _("Tệp rỗng."),
        "max_length": _("Tên tệp tối đa {max_length} ký tự."),
    }


class EvidenceList(serializers.ListField):
    """Evidence files; how many a report may carry is the rules' (read at each request, as
    the web form does), their types and sizes are checked by the service with the same rule."""

    default_error_messages = REQUIRED | {
        "not_a_list": _("Cần danh sách tệp, nhận được {input_type}."),
        "empty": _("Danh sách tệp không được rỗng."),
        "min_length": _("Cần ít nhất {min_length} tệp."),
    }

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("child", EvidenceFile(max_length=rules.FILE_NAME))
        kwargs["validators"] = [*kwargs.get("validators", ()), rules.validate_evidence_count]
        super().__init__(**kwargs)


class Password(serializers.CharField):
    """Taken as typed: no trimming, no normalisation."""

    default_error_messages = Text.default_error_messages

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("max_length", rules.PASSWORD)
        kwargs.setdefault("trim_whitespace", False)
        kwargs.setdefault("style", {"input_type": "password"})
        super().__init__(**kwargs)
