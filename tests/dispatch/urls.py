"""The project's URLs plus dispatch at /dang-ky/, as the shared urls.py will include it."""

from django.urls import include, path

from pctt.urls import urlpatterns as project

urlpatterns = [path("dang-ky/", include("pctt.dispatch.urls")), *project]
