from django.urls import URLPattern, URLResolver, path

from pctt.plans import sync_api, upward_api, upward_outbox, views

# Public pages of this app; the project mounts them in pctt/urls.py under /ke-hoach/.
urlpatterns: list[URLPattern | URLResolver] = [
    path("hoat-dong/moi/", views.entry, name="plans_entry"),
    path("hoat-dong/", views.mine, name="plans_mine"),
    path("hoat-dong/<int:pk>/sua/", views.edit, name="plans_edit"),
    path("api/hoat-dong/", sync_api.submit_activity, name="plans_api_activity"),
    path("api/hoat-dong/<uuid:client_id>/anh/", sync_api.submit_photo, name="plans_api_photo"),
    # Province side: wards push their reports here (upward_api).
    path("api/bao-cao/", upward_api.receive, name="plans_api_report"),
    # Ward side, pull mode: the province collects released reports here (upward_outbox).
    path("api/bao-cao/cho-tinh/", upward_outbox.outbox, name="plans_outbox"),
    path("api/bao-cao/cho-tinh/<int:pk>/", upward_outbox.outbox_report, name="plans_outbox_report"),
    path(
        "api/bao-cao/cho-tinh/<int:pk>/nhan/",
        upward_outbox.acknowledge,
        name="plans_outbox_acknowledge",
    ),
]
