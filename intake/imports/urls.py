"""/intake/nhap/…: the import pages, under the intake application (namespace intake:imports)."""

from django.urls import path

from intake.imports import views

app_name = "imports"

urlpatterns = [
    path("", views.ImportListView.as_view(), name="list"),
    path("<slug:key>/", views.ImportUploadView.as_view(), name="upload"),
    path("<slug:key>/mau.xlsx", views.ImportTemplateView.as_view(), name="template"),
    path("<slug:key>/<uuid:pk>/", views.ImportPreviewView.as_view(), name="preview"),
]
