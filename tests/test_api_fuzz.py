"""The API fuzzed from its own OpenAPI schema (schemathesis, in process through WSGI): valid
and invalid requests to every operation, with a token, never get a 5xx, and every answer
matches the schema: its status, content type, headers and body."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from notifications.models import Delivery
from workflow.extensions import extension_request
from workflow.models import Case

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
# Path ids the fuzzer may use besides its own random ones, so that requests get past the
# 404 and into the bodies: filled in by the test, per resource.
KNOWN_IDS: dict[str, list[int]] = {}


@schemathesis.hook
def flatmap_path_parameters(context, path_parameters):
    resource = context.operation.path.split("/")[3] if context.operation else ""
    known = KNOWN_IDS.get(resource)
    if not known or not path_parameters or "id" not in path_parameters:
        return st.just(path_parameters)
    choices = [str(pk) for pk in known] * 3 + [path_parameters["id"]]
    return st.sampled_from(choices).map(lambda pk: {**path_parameters, "id": pk})


@schemathesis.hook
def map_body(context, body):
    """Notices name committees and agencies by code: use real ones, so that some generated
    notices are issued and the 201 answer is checked too."""
    operation = context.operation
    if not operation or operation.path != "/api/v1/notices/" or not isinstance(body, dict):
        return body
    recommendations = body.get("recommendations")
    if isinstance(recommendations, list):
        for item in recommendations:
            if isinstance(item, dict):
                item.update(lead_agencies=["so-tc"], coordinating_agencies=[], accountable="")
                item.pop("tracking_committee", None)
    return {**body, "tracking_committee": "ban-vhxh"}


def _load_schema():
    # The schema as /api/schema/ serves it, built once at collection; requests then go
    # through the WSGI app in process.
    loaded = schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True))
    loaded.app = get_wsgi_application()
    # Random and boundary data through Hypothesis (whose cases the hooks below steer to real
    # ids and codes); the exhaustive coverage phase would take minutes.
    loaded.config.phases.update(phases=["examples", "fuzzing"])
    return loaded


schema = _load_schema()


@pytest.fixture
def in_process(db):
    # The WSGI app runs inside the test's transaction: like Django's test client, keep it
    # from closing the connection at the end of each request.
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def known_ids(world):
    extension = extension_request(
        case=Case.objects.get(pk=world.case.pk),
        actor=world.so_ldtbxh,
        requested_until=world.case.deadline.replace(year=world.case.deadline.year + 1),
        reason="Chờ số liệu.",
    )
    KNOWN_IDS.update(
        cases=[world.case.pk],
        notices=[world.notice.pk],
        extensions=[extension.pk],
        # The Standing Committee (the fuzzer's user) is told of the request it must decide.
        notifications=list(
            Delivery.objects.filter(recipient=world.thuongtruc, channel="inapp").values_list(
                "pk", flat=True
            )
        ),
    )
    yield
    KNOWN_IDS.clear()


@schema.parametrize()
@settings(
    max_examples=10,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_answers_every_generated_request_within_its_schema(
    case, in_process, world, known_ids
):
    token, _ = Token.objects.get_or_create(user=world.thuongtruc)
    case.call_and_validate(headers={"Authorization": f"Token {token.key}"}, checks=CHECKS)
