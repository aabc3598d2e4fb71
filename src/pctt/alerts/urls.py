from django.urls import path

from pctt.alerts import feeds

urlpatterns = [
    path("feed.atom", feeds.atom_feed, name="alerts_feed_atom"),
    path("<str:identifier>.xml", feeds.cap_xml, name="alerts_cap_xml"),
]
