"""A URL whose view fails, for the test that unhandled errors are logged."""

from django.urls import path


def fail(request):
    raise RuntimeError("계산 중 오류")


urlpatterns = [path("fail/", fail)]
