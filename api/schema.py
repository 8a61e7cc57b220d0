"""The OpenAPI schema says which refusals each operation may give, all in one JSON shape."""

from drf_spectacular.openapi import AutoSchema as BaseAutoSchema

from api.serializers import ErrorSerializer

ALWAYS = ("400", "401", "403", "404", "406")
WRITES = ("409", "413", "415")


class AutoSchema(BaseAutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        codes = ALWAYS + (WRITES if self.method == "POST" else ())
        codes += getattr(self.view, "extra_error_codes", ())
        for code in codes:
            if code not in responses:
                responses[code] = self._get_response_for_code(
                    ErrorSerializer, code, direction=direction
                )
        return responses
