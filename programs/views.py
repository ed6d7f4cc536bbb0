from django.db.models import Sum
from django.shortcuts import render

from .models import ProgramYear


def index(request):
    """Every stored program year, newest first: the way into the documents."""
    years = (
        ProgramYear.objects.select_related("program__department")
        .annotate(budget_current=Sum("budget_lines__current"))
        .order_by("-fiscal_year", "program__department__bureau", "program__title")
    )
    return render(request, "programs/index.html", {"years": years})
