"""Refusals a case service can give; each maps to one HTTP status."""

from django.utils import translation
from django.utils.functional import Promise


def bilingual(message: Promise | str, **params) -> dict[str, str]:
    """A message rendered in Vietnamese and in English, for API clients and logs."""
    result = {}
    for language in ("vi", "en"):
        with translation.override(language):
            text = str(message)
            result[language] = text % params if params else text
    return result


class CaseError(Exception):
    status = 400

    def __init__(self, message, **params) -> None:
        # Kept lazy, with its parameters apart, so it can be rendered in any language.
        self._message, self._params = message, params
        super().__init__(self.message)

    @property
    def message(self) -> str:
        """The refusal in the active language."""
        text = str(self._message)
        return text % {k: str(v) for k, v in self._params.items()} if self._params else text

    def messages(self) -> dict[str, str]:
        """The refusal in Vietnamese and English, for API clients and logs."""
        return bilingual(self._message, **self._params)


class CaseInvalid(CaseError):
    """Bad input: nothing was written."""

    status = 400


class CaseForbidden(CaseError):
    """The actor's role may not make this change."""

    status = 403


class CaseNotFound(CaseError):
    """The actor may not see this case, or it does not exist."""

    status = 404


class CaseConflict(CaseError):
    """Not allowed from the current state, or another user changed the case first."""

    status = 409
