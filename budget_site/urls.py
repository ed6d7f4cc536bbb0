from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path


@login_not_required
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico on pages that name no icon (the admin's among them)."""
    return redirect(static("favicon.svg"), permanent=True)


# Errors (400, 403, 404, 500) are Django's own handlers with templates/4xx.html and 500.html:
# Korean, in the site's layout, whenever DEBUG is off.
urlpatterns = [
    path("favicon.ico", favicon),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("", include("programs.urls")),
]
