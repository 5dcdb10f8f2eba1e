# One image for web, worker and beat.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app

RUN useradd --create-home --uid 1000 portal
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY . .
# collectstatic and the catalogues need settings but no database or real secret.
RUN DJANGO_DEBUG=0 DJANGO_SECRET_KEY=build-only-secret-key-not-used-at-runtime-xxxxxxxxxxxx \
    DJANGO_ALLOWED_HOSTS=build PORTAL_BASE_URL=https://build python manage.py collectstatic --noinput \
 && python manage.py compile_translations \
 && mkdir -p /data/media && chown -R portal /data /app
USER portal

EXPOSE 8000
CMD ["gunicorn", "portal.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
