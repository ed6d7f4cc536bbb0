from django.urls import path

from . import views

app_name = "programs"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("programs/", views.program_list, name="list"),
    path("programs/<int:pk>/", views.program_detail, name="detail"),
]
