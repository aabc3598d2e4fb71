from django.urls import URLPattern, URLResolver, path

from pctt.library import views

# Public pages of this app; the project mounts them at /thu-vien/ in pctt/urls.py.
urlpatterns: list[URLPattern | URLResolver] = [
    path("tim-kiem/", views.search, name="library_search"),
    path("hoi-dap/", views.ask, name="library_ask"),
    path("am-thanh/<int:page_id>/", views.audio, name="library_audio"),
    path(
        "ban-tin/<int:page_id>.<str:fmt>",
        views.newsletter_file,
        name="library_newsletter_file",
    ),
]
