"""/healthz and /readyz, in process and on real servers whose services are down."""

import pytest
from django.test import override_settings

from tests.servers import free_port, site_env

from .servers import Server


def test_healthz_answers_ok_without_touching_services(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"


@pytest.mark.django_db
def test_readyz_is_200_when_every_service_answers(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.content.decode().splitlines() == ["database: ok", "cache: ok", "queue: ok"]


@pytest.mark.django_db
def test_readyz_names_an_unreachable_cache_without_a_traceback(client):
    closed = f"redis://127.0.0.1:{free_port()}/0"
    caches = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                          "LOCATION": closed, "OPTIONS": {"socket_connect_timeout": 1}}}
    with override_settings(CACHES=caches):
        response = client.get("/readyz")
    body = response.content.decode()
    assert response.status_code == 503
    assert "cache: failed (ConnectionError)" in body
    assert "database: ok" in body and "queue: ok" in body
    assert "Traceback" not in body


def test_readyz_on_a_server_whose_postgresql_and_redis_are_down(tmp_path):
    """Every service unreachable: 503 naming all three, and the server stays up."""
    env = site_env(
        tmp_path,
        DATABASE_URL=f"postgres://postgres@127.0.0.1:{free_port()}/dayfacts",
        REDIS_URL=f"redis://127.0.0.1:{free_port()}/0",
        TASKS_USE_REDIS="1",
    )
    server = Server(env).wait_until_up()
    try:
        status, _, body = server.get("/readyz")
        assert status == 503
        assert body.splitlines() == [
            "database: failed (OperationalError)",
            "cache: failed (ConnectionError)",
            "queue: failed (ConnectionError)",
        ]
        assert server.get("/healthz")[0] == 200
    finally:
        server.stop()
    assert "not ready: database (OperationalError), cache (ConnectionError)" in server.log()


@pytest.mark.django_db
def test_probes_answer_a_load_balancer_that_uses_the_servers_address(client):
    """Probes by IP address over plain HTTP: no DisallowedHost 400, no HTTPS redirect."""
    with override_settings(SECURE_SSL_REDIRECT=True):
        assert client.get("/healthz", HTTP_HOST="10.0.0.7:8000").status_code == 200
        assert client.get("/readyz", HTTP_HOST="10.0.0.7:8000").status_code == 200
        # Every other page still checks the host name.
        assert client.get("/", HTTP_HOST="10.0.0.7:8000").status_code == 400
