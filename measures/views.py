from django.shortcuts import render


def index(request):
    return render(request, "measures/index.html")
