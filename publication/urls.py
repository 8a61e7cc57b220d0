from django.urls import path

from publication import views

app_name = "publication"

urlpatterns = [
    path("<slug:code>/", views.council_page, name="council"),
    path("<slug:code>/<int:pk>/", views.notice_page, name="notice"),
]
