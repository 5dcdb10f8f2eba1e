from django.shortcuts import render

from expeditions.models import Destination


def index(request):
    return render(request, "expeditions/index.html", {"destinations": Destination.objects.all()})
