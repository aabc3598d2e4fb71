"""The radio officer's lists of clusters are in Vietnamese alphabetical order: Ă after A,
Đ after D (a database or code-point sort puts Ă and Đ after Z)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_cluster_list_is_in_vietnamese_alphabetical_order(
    users: dict[str, Any],
    client: Client,
    make_cluster: Callable[..., Any],
    cid: Callable[[str], str],
) -> None:
    names = {"doi": "Đồi Thông", "doc": "Dốc Đá", "an2": "Ăn Bàn", "an": "An Phú"}
    for key, name in names.items():
        cluster = make_cluster(cid(key))
        cluster.name = name
        cluster.save(update_fields=["name"])
    client.force_login(users["truyenthanh"])

    response = client.get(reverse("loudspeakers_clusters"))

    assert response.status_code == 200
    shown = re.findall(r'class="cluster-row" data-controller="([^"]+)"', response.content.decode())
    ours = [controller for controller in shown if controller in {cid(k) for k in names}]
    assert ours == [cid("an"), cid("an2"), cid("doc"), cid("doi")]
