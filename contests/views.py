from django.shortcuts import render

from contests.models import Theme


def index(request):
    return render(request, "contests/index.html", {"themes": Theme.objects.all()})
