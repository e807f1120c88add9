"""Slow clients (a form post's head and 2 bytes of its body, then nothing) hold no gunicorn worker
when nginx with deploy/nginx.conf stands in front; straight at gunicorn, two of them hold both
workers, which shows the test can fail."""

from __future__ import annotations

import time

import pytest
import requests

from tests.deploy.conftest import slow_client

pytestmark = pytest.mark.postgres_only
PATIENCE = 2.0  # seconds /healthz may take under attack


def healthz_seconds(url: str, headers: dict[str, str]) -> float:
    started = time.monotonic()
    response = requests.get(url + "/healthz", headers=headers, timeout=PATIENCE)
    assert response.status_code == 200
    elapsed = time.monotonic() - started
    print(f"healthz {url}: {elapsed:.3f} s")
    return elapsed


def test_slow_clients_hold_no_worker_behind_nginx(deployment):
    attackers = [slow_client(deployment.nginx) for _ in range(6)]  # three times the workers
    try:
        time.sleep(0.5)
        assert healthz_seconds(deployment.nginx, deployment.headers) < PATIENCE
        assert healthz_seconds(deployment.gunicorn, deployment.headers) < PATIENCE
    finally:
        for sock in attackers:
            sock.close()


def test_the_same_slow_clients_straight_at_gunicorn_hold_both_workers(deployment):
    attackers = [slow_client(deployment.gunicorn) for _ in range(2)]
    try:
        time.sleep(0.5)
        with pytest.raises(requests.ReadTimeout):
            healthz_seconds(deployment.gunicorn, deployment.headers)
    finally:
        for sock in attackers:
            sock.close()
    # Once they go, the workers are free again.
    assert healthz_seconds(deployment.nginx, deployment.headers) < PATIENCE


def test_nginx_serves_static_files_with_the_apps_headers_and_refuses_large_bodies(deployment):
    response = requests.get(
        deployment.nginx + "/static/dist/application.css", headers=deployment.headers, timeout=5
    )
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/css")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    too_large = requests.post(
        deployment.nginx + "/pilots/new",
        headers=deployment.headers,
        data=b"x" * (4 * 1024 * 1024 + 1),  # over client_max_body_size, = MAX_CONTENT_LENGTH
        timeout=5,
    )
    assert too_large.status_code == 413
