"""Refusals a case service can give; each maps to one HTTP status."""

from django.utils import translation


class CaseError(Exception):
    status = 400

    def __init__(self, message) -> None:
        super().__init__(str(message))
        self.message = message

    def messages(self) -> dict[str, str]:
        """The refusal in Vietnamese and English, for API clients and logs."""
        result = {}
        for language in ("vi", "en"):
            with translation.override(language):
                result[language] = str(self.message)
        return result


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
