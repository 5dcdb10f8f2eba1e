"""docker-compose.yml cannot run here (no Docker engine), so its shape is checked instead."""

from pathlib import Path

import yaml
from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def _compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_has_every_service_of_the_production_shape():
    services = _compose()["services"]
    assert set(services) == {"proxy", "web", "worker", "beat", "db", "redis", "mail"}
    assert "gunicorn" in services["web"]["command"]
    # The shell must hand PID 1 over to gunicorn, or SIGTERM never reaches it (killed after the grace period).
    assert services["web"]["command"].startswith("sh -c")
    assert services["web"]["command"].split("&&")[-1].split()[:2] == ["exec", "gunicorn"]
    assert services["worker"]["command"].startswith("celery -A portal worker")
    assert services["beat"]["command"].startswith("celery -A portal beat")


def test_web_and_worker_share_the_media_volume_and_have_healthchecks():
    services = _compose()["services"]
    assert "media:/data/media" in services["web"]["volumes"]
    assert "media:/data/media" in services["worker"]["volumes"]
    for name in ("web", "worker", "db", "redis", "mail"):
        assert "healthcheck" in services[name], name
    web_check = " ".join(services["web"]["healthcheck"]["test"])
    assert "X-Forwarded-Proto" in web_check
    assert "DJANGO_ALLOWED_HOSTS" in web_check


def test_env_example_documents_every_setting_the_portal_reads():
    example = (ROOT / ".env.example").read_text()
    for name in (
        "DJANGO_DEBUG", "DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "DATABASE_URL", "CELERY_BROKER_URL",
        "REDIS_URL", "EMAIL_URL", "DJANGO_EMAIL_HOST", "DEFAULT_FROM_EMAIL", "PORTAL_BASE_URL", "MEDIA_ROOT",
        "PORTAL_CREDENTIALS_SIGNING_KEY", "PORTAL_CREDENTIALS_RETIRED_KEYS",
    ):
        assert f"{name}=" in example, name
    proxy = (ROOT / "deploy" / "Caddyfile").read_text()
    assert "X-Forwarded-Proto" in proxy
