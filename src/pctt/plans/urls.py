from django.urls import URLPattern, URLResolver, path

from pctt.plans import sync_api, upward_api, views

# Public pages of this app; the project mounts them in pctt/urls.py under /ke-hoach/.
urlpatterns: list[URLPattern | URLResolver] = [
    path("hoat-dong/moi/", views.entry, name="plans_entry"),
    path("api/hoat-dong/", sync_api.submit_activity, name="plans_api_activity"),
    # Province side: wards push their reports here (upward_api).
    path("api/bao-cao/", upward_api.receive, name="plans_api_report"),
]
