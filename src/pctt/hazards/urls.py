from django.urls import URLPattern, URLResolver, path

from pctt.hazards import api

# Mounted by the project at /quan-trac/.
urlpatterns: list[URLPattern | URLResolver] = [
    path("api/observations", api.observations, name="hazards_api_observations"),
    path("api/stations", api.stations, name="hazards_api_stations"),
]
