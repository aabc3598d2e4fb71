"""Back office: the dispatch screens open, provider options refuse secrets in clear."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.test import Client

from pctt.dispatch.models import ChannelProvider, Subscriber
from tests.dispatch import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client: Client) -> Client:
    user = get_user_model().objects.create_superuser("admin", "admin@example.org", "pw")
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    "path",
    [
        "/admin/channelprovider/",
        "/admin/loudspeakercluster/",
        "/admin/subscriber/",
        "/admin/broadcast/",
        "/admin/channelprovider/new/",
    ],
)
def test_dispatch_screens_open(admin_client: Client, path: str) -> None:
    f.subscriber(phone="+84912345678")
    response = admin_client.get(path)
    assert response.status_code == 200
    assert b"+84912345678" not in response.content or path.endswith("/new/")


@pytest.mark.parametrize(
    "options",
    [{"password": "hunter2"}, {"api_key": "abc"}, {"Token": "x"}, {"password_env": 5}, []],
)
def test_provider_options_refuse_secrets_in_clear(options: object) -> None:
    provider = ChannelProvider(name="gw", channel=1, kind="sms_http", options=options)
    with pytest.raises(ValidationError):
        provider.full_clean()


def test_provider_options_accept_environment_variable_names() -> None:
    ChannelProvider(
        name="gw", channel=1, kind="sms_http", options={"token_env": "PCTT_SMS_TOKEN"}
    ).full_clean()


def test_subscriber_phone_is_normalised_on_clean() -> None:
    sub = Subscriber(phone="0912.345.678")
    sub.full_clean()
    assert sub.phone == "+84912345678"
    with pytest.raises(ValidationError):
        Subscriber(phone="024 1234 5678").full_clean()
