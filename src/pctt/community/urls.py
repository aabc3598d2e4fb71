from django.urls import URLPattern, URLResolver, path

from pctt.community import views, webhooks

# Public pages of this app; the project mounts them in pctt/urls.py at /y-kien/.
app_name = "community"

urlpatterns: list[URLPattern | URLResolver] = [
    path("gui/", views.submit, name="submit"),
    path("ban-do.svg", views.group_map_svg, name="group_map"),
    path("da-gui/<str:reference>/", views.thanks, name="thanks"),
    path("tra-cuu/", views.status, name="status"),
    path("tin-don/", views.rumours, name="rumours"),
    path("tin-don/<slug:slug>/", views.correction, name="correction"),
    path("sms-den/<slug:provider>/", webhooks.inbound_sms, name="inbound_sms"),
    path("app-den/<slug:provider>/", webhooks.inbound_app, name="inbound_app"),
]
