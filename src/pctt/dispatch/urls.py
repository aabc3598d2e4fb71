"""Included at ``/dang-ky/`` (subscriptions): unsubscribe links and gateway callbacks."""

from django.urls import path

from pctt.dispatch import views

app_name = "dispatch"

urlpatterns = [
    path("huy/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("bao-cao-gui/<slug:provider>/", views.delivery_report, name="delivery_report"),
    path("sms-den/<slug:provider>/", views.inbound_sms, name="inbound_sms"),
]
