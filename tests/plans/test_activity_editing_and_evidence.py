"""Correcting an activity (own organisation only), evidence photos and library materials."""

from __future__ import annotations

import io
import uuid
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone
from PIL import Image

from pctt.accounts.models import AuditEntry
from pctt.areas.models import AdminUnit
from pctt.plans import actions
from pctt.plans.models import Activity, Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _entry(**fields: Any) -> actions.ActivityInput:
    group = AdminUnit.objects.groups().order_by("code").first()
    assert group is not None
    values: dict[str, Any] = {
        "kind": "meeting",
        "held_on": timezone.localdate(),
        "group_ids": [group.pk],
        "theme_codes": ["C4"],
        "participants": 30,
        "women": 20,
    }
    values.update(fields)
    return actions.ActivityInput(**values)


def _recorded(users: dict[str, Any], orgs: dict[str, Organisation]) -> Activity:
    activity, _created = actions.record_activity(
        user=users["daumoi.phunu"], organisation=orgs["womens_union"], data=_entry()
    )
    return activity


def _jpeg_with_gps(size: tuple[int, int] = (2400, 1800)) -> bytes:
    image = Image.new("RGB", size, (200, 120, 40))
    exif = Image.Exif()
    exif[0x010F] = "Camera maker"  # Make
    exif.get_ifd(0x8825).update({1: "N", 2: (21.0, 1.0, 0.0), 3: "E", 4: (105.0, 50.0, 0.0)})
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def test_a_focal_point_corrects_their_own_organisations_activity_with_an_audit_entry(
    users: dict[str, Any], orgs: dict[str, Organisation]
) -> None:
    activity = _recorded(users, orgs)
    edited = actions.edit_activity(
        user=users["daumoi.phunu"],
        activity=activity,
        data=_entry(kind="training", participants=45, women=25, theme_codes=["C1", "C4"]),
    )
    assert (edited.kind, edited.participants, edited.women) == ("training", 45, 25)
    assert sorted(t.code for t in edited.themes.all()) == ["C1", "C4"]
    assert edited.organisation_id == orgs["womens_union"].pk  # the organisation stays
    audit = AuditEntry.objects.get(action="pctt.plans.edit_activity", object_id=str(activity.pk))
    assert audit.before["participants"] == 30 and audit.after["participants"] == 45


def test_only_the_own_organisation_or_an_administrator_may_correct(
    users: dict[str, Any], orgs: dict[str, Organisation]
) -> None:
    other, _ = actions.record_activity(
        user=users["quantri"], organisation=orgs["youth_union"], data=_entry()
    )
    with pytest.raises(PermissionDenied):
        actions.edit_activity(user=users["daumoi.phunu"], activity=other, data=_entry())
    with pytest.raises(PermissionDenied):
        actions.edit_activity(user=users["captren"], activity=other, data=_entry())
    assert not actions.may_edit(users["captren"], other)
    assert not actions.may_edit(users["daumoi.phunu"], other)
    edited = actions.edit_activity(
        user=users["quantri"], activity=other, data=_entry(participants=12, women=0)
    )
    assert edited.participants == 12
    other.refresh_from_db()
    assert other.participants == 12


def test_a_correction_is_checked_like_an_entry_and_nothing_is_half_saved(
    users: dict[str, Any], orgs: dict[str, Organisation]
) -> None:
    activity = _recorded(users, orgs)
    with pytest.raises(ValidationError) as caught:
        actions.edit_activity(
            user=users["daumoi.phunu"],
            activity=activity,
            data=_entry(participants=5, women=9, material_ids=[999_999], kind="nonsense"),
        )
    assert {"women", "materials", "kind"} <= set(caught.value.message_dict)
    activity.refresh_from_db()
    assert (activity.kind, activity.participants) == ("meeting", 30)


def test_activities_recorded_by_the_system_cannot_be_corrected(
    users: dict[str, Any], orgs: dict[str, Organisation]
) -> None:
    automatic = actions.record_automatic_activity(
        actions.AutomaticActivity(
            source="warning",
            source_key="alert:test-edit",
            kind="warning",
            held_on=timezone.localdate(),
            organisation_kind="peoples_committee",
            description="x",
        )
    )
    assert automatic is not None
    with pytest.raises(ValidationError):
        actions.edit_activity(user=users["quantri"], activity=automatic, data=_entry())


def test_an_evidence_photo_is_reencoded_without_camera_data_or_location_and_kept_once(
    users: dict[str, Any], orgs: dict[str, Organisation]
) -> None:
    activity = _recorded(users, orgs)
    photo_id = uuid.uuid4()
    image, created = actions.add_activity_photo(
        user=users["daumoi.phunu"], activity=activity, data=_jpeg_with_gps(), client_id=photo_id
    )
    assert created and activity.photos.count() == 1
    with image.file.open("rb") as stored:
        reopened = Image.open(io.BytesIO(stored.read()))
        assert reopened.format == "JPEG" and max(reopened.size) == 1600
        assert not reopened.getexif()  # no maker, no GPS
    again, created_again = actions.add_activity_photo(
        user=users["daumoi.phunu"], activity=activity, data=_jpeg_with_gps(), client_id=photo_id
    )
    assert not created_again and again.pk == image.pk and activity.photos.count() == 1


@pytest.mark.parametrize(
    "data",
    [b"", b"<html><script>alert(1)</script></html>", b"\xff\xd8\xff" + b"\x00" * 100],
    ids=["empty", "html", "truncated-jpeg"],
)
def test_a_file_that_is_not_a_photo_is_refused(
    users: dict[str, Any], orgs: dict[str, Organisation], data: bytes
) -> None:
    activity = _recorded(users, orgs)
    with pytest.raises(ValidationError):
        actions.add_activity_photo(user=users["daumoi.phunu"], activity=activity, data=data)
    assert activity.photos.count() == 0


def test_another_organisation_cannot_add_photos_and_an_activity_holds_at_most_six(
    users: dict[str, Any], orgs: dict[str, Organisation]
) -> None:
    other, _ = actions.record_activity(
        user=users["quantri"], organisation=orgs["youth_union"], data=_entry()
    )
    small = _jpeg_with_gps((40, 30))
    with pytest.raises(PermissionDenied):
        actions.add_activity_photo(user=users["daumoi.phunu"], activity=other, data=small)
    for _ in range(actions.MAX_PHOTOS):
        actions.add_activity_photo(user=users["quantri"], activity=other, data=small)
    with pytest.raises(ValidationError, match="6"):
        actions.add_activity_photo(user=users["quantri"], activity=other, data=small)


def test_the_phone_sends_photos_after_the_entry_and_a_replay_adds_nothing(
    users: dict[str, Any], orgs: dict[str, Organisation]
) -> None:
    client = Client()
    client.force_login(users["daumoi.phunu"])
    activity = _recorded(users, orgs)
    Activity.objects.filter(pk=activity.pk).update(client_id=uuid.uuid4())
    activity.refresh_from_db()
    url = f"/ke-hoach/api/hoat-dong/{activity.client_id}/anh/"
    headers = {"HTTP_X_PHOTO_ID": str(uuid.uuid4())}
    photo = _jpeg_with_gps((300, 200))
    first = client.post(url, photo, content_type="image/jpeg", **headers)
    replay = client.post(url, photo, content_type="image/jpeg", **headers)
    assert (first.status_code, replay.status_code) == (201, 200)
    assert first.json()["id"] == replay.json()["id"] and activity.photos.count() == 1
    bad = client.post(
        url, b"not a photo", content_type="image/jpeg", HTTP_X_PHOTO_ID=str(uuid.uuid4())
    )
    assert bad.status_code == 400 and "photo" in bad.json()["errors"]
    unknown = client.post(
        f"/ke-hoach/api/hoat-dong/{uuid.uuid4()}/anh/", photo, content_type="image/jpeg", **headers
    )
    assert unknown.status_code == 404
    no_id = client.post(url, photo, content_type="image/jpeg")
    assert no_id.status_code == 400
    huge = client.post(
        url, photo, content_type="image/jpeg", CONTENT_LENGTH=str(9 * 1024 * 1024), **headers
    )
    assert huge.status_code == 413
    stranger = Client()
    stranger.force_login(users["captren"])
    assert stranger.post(url, photo, content_type="image/jpeg", **headers).status_code == 403
    assert activity.photos.count() == 1


def test_the_edit_page_corrects_an_activity_and_refuses_other_organisations(
    users: dict[str, Any], orgs: dict[str, Organisation]
) -> None:
    activity = _recorded(users, orgs)
    group = activity.groups.get()
    client = Client()
    client.force_login(users["daumoi.phunu"])
    mine = client.get("/ke-hoach/hoat-dong/").content.decode()
    assert f"/ke-hoach/hoat-dong/{activity.pk}/sua/" in mine
    page = client.get(f"/ke-hoach/hoat-dong/{activity.pk}/sua/")
    assert page.status_code == 200 and 'name="photo"' in page.content.decode()
    form = {
        "kind": "door_to_door",
        "held_on": activity.held_on.isoformat(),
        "groups": [str(group.pk)],
        "themes": ["C4"],
        "participants": "18",
        "women": "x",
    }
    bad = client.post(f"/ke-hoach/hoat-dong/{activity.pk}/sua/", form)
    assert bad.status_code == 400 and 'data-field="women"' in bad.content.decode()
    good = client.post(f"/ke-hoach/hoat-dong/{activity.pk}/sua/", {**form, "women": "3"})
    assert good.status_code == 302
    activity.refresh_from_db()
    assert (activity.kind, activity.participants, activity.women) == ("door_to_door", 18, 3)
    upload = io.BytesIO(_jpeg_with_gps((120, 90)))
    upload.name = "anh.jpg"
    added = client.post(f"/ke-hoach/hoat-dong/{activity.pk}/sua/", {"photo": upload})
    assert added.status_code == 302 and activity.photos.count() == 1

    other, _ = actions.record_activity(
        user=users["quantri"], organisation=orgs["youth_union"], data=_entry()
    )
    assert client.get(f"/ke-hoach/hoat-dong/{other.pk}/sua/").status_code == 403
    assert client.post(f"/ke-hoach/hoat-dong/{other.pk}/sua/", form).status_code == 403
