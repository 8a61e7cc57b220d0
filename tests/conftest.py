import pytest
import time_machine
from django.conf import settings as django_settings
from django.db import connection
from django.utils import translation

from tests.notify_servers import smtp, webhook_server  # noqa: F401  (fixtures)
from tests.world import NOW, build_world
from workflow.escalation_plan import forget_councils


@pytest.fixture(autouse=True)
def frozen_clock(request):
    """Every test starts at the world's `NOW`, and the clock ticks on from there so that
    timestamps still move forward. A test marked `real_clock` starts other processes, which no
    travel reaches: it keeps the machine's clock and picks its dates relative to it."""
    if request.node.get_closest_marker("real_clock"):
        yield
        return
    with time_machine.travel(NOW, tick=True):
        yield


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def nudge_in_the_committing_thread(settings):
    """Tests look at the inbox right after a commit; the background nudge has its own
    test (tests/test_notification_nudge.py)."""
    settings.DONDOC_NUDGE_IN_BACKGROUND = False


@pytest.fixture(autouse=True)
def councils_read_afresh():
    """A test's rolled-back ladder or calendar sends no signal: no test sees another's."""
    forget_councils()


@pytest.fixture(autouse=True)
def vietnamese_first():
    """Every test starts in the site's language: a request made in English activates it for
    the thread, and the next test must not read its documents in English."""
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def fresh():
    """Re-read a model instance from the database, dropping any cached roles or state."""

    def reload(instance):
        return type(instance).objects.get(pk=instance.pk)

    return reload


def pytest_collection_modifyitems(config, items):
    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)
