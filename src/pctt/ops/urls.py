"""Mounted by the project at /xoa-du-lieu/ (a resident's deletion request)."""

from django.urls import URLPattern, URLResolver, path

from pctt.ops import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.deletion_request, name="ops_deletion_request"),
    path("xac-nhan/", views.deletion_confirm, name="ops_deletion_confirm"),
]
