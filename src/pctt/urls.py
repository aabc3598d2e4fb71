from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from pctt.onboarding.views import admin_home
from pctt.ops.openapi import openapi_json
from pctt.portal import preferences, subscribe
from pctt.portal import views as portal_views

urlpatterns = [
    path("", portal_views.home, name="portal_home"),
    path("canh-bao/<str:identifier>/", portal_views.warning, name="portal_warning"),
    path(
        "canh-bao/<str:identifier>/am-thanh.wav",
        portal_views.warning_audio,
        name="portal_warning_audio",
    ),
    path("nhan-canh-bao/", subscribe.subscribe, name="portal_subscribe"),
    path("nhan-canh-bao/xac-nhan/", subscribe.confirm, name="portal_subscribe_confirm"),
    path("ngon-ngu/<str:code>/", preferences.language, name="portal_language"),
    path("co-chu/<str:size>/", preferences.text_size, name="portal_text_size"),
    path("sw.js", portal_views.service_worker, name="portal_service_worker"),
    path("cap/", include("pctt.alerts.urls")),
    path("thu-vien/", include("pctt.library.urls")),
    path("y-kien/", include("pctt.community.urls")),
    path("ke-hoach/", include("pctt.plans.urls")),
    path("quan-trac/", include("pctt.hazards.urls")),
    path("dang-ky/", include("pctt.dispatch.urls")),
    path("xoa-du-lieu/", include("pctt.ops.urls")),
    path("api/openapi.json", openapi_json, name="api_openapi"),
    # The admin home leads an administrator to the set-up wizard while no ward is served.
    path("admin/", admin_home),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Wagtail serves the library pages; it must come last.
urlpatterns += [path("", include(wagtail_urls))]
