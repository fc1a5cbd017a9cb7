from django.urls import path

from qingdan.carriers import parkmap, views

app_name = "carriers"

urlpatterns = [
    path("", views.index, name="index"),
    path("buildings/new/", views.building_new, name="building_new"),
    path("buildings/<slug:code>/", views.building_detail, name="building"),
    path("parcels/new/", views.parcel_new, name="parcel_new"),
    path("parcels/<slug:code>/", views.parcel_detail, name="parcel"),
    path("parcels/<slug:code>/steps/", views.step_add, name="step_add"),
    path("parcels/<slug:code>/steps/<int:pk>/done/", views.step_done, name="step_done"),
    path("leases/", views.leases, name="leases"),
    path("leases/<int:pk>/end/", views.lease_end, name="lease_end"),
    path("requests/", views.requests_list, name="requests"),
    path("requests/<int:pk>/", views.request_detail, name="request"),
    path("requests/<int:pk>/lease/<slug:code>/", views.request_lease, name="request_lease"),
    path("map/", parkmap.park_map, name="map"),
    path("map/plan", parkmap.plan_image, name="plan_image"),
    path("map/plan/upload/", parkmap.plan_upload, name="plan_upload"),
    path("map/shape/", parkmap.shape_save, name="shape_save"),
    path("map.geojson", parkmap.map_geojson, name="geojson"),
    path("map/geojson/", parkmap.geojson_upload, name="geojson_upload"),
    path("match/", views.match_search, name="match"),
    path("indicators/", views.indicators_record, name="indicators"),
    path("alerts/", views.alerts, name="alerts"),
    path("report/", views.report, name="report"),
    path("<str:kind>.xlsx", views.export, name="export"),
    path("import/<str:kind>/", views.import_view, name="import"),
]
