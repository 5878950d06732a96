"""The deployment files keep /metrics private and the client address honest (issue 12): Prometheus scrapes the
metrics port (``LCT_METRICS_PORT``) in Kubernetes and compose, the public Service and nginx do not expose it, and
nothing in front of the pods can be impersonated through X-Forwarded-For. Rendered with the real
``kubectl kustomize``, like test_manifests.py."""

from __future__ import annotations

import re

import pytest
import yaml

from lct.config import Settings
from tests.integration.test_manifests import DEPLOY, OVERLAYS, ROOT, api_container, compose, config, one

METRICS_PORT = 9464


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_kubernetes_pods_are_scraped_on_the_metrics_port(overlay: str) -> None:
    target = f"overlays/{overlay}"
    assert config(target)["LCT_METRICS_PORT"] == str(METRICS_PORT)
    container = api_container(target)
    assert {"name": "metrics", "containerPort": METRICS_PORT, "protocol": "TCP"} in container["ports"]
    annotations = one(target, "Deployment", "lct-api")["spec"]["template"]["metadata"]["annotations"]
    assert annotations["prometheus.io/scrape"] == "true"
    assert annotations["prometheus.io/port"] == str(METRICS_PORT)
    assert annotations["prometheus.io/path"] == "/metrics"
    for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
        assert container[probe]["httpGet"]["port"] == "http", probe


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_the_public_service_does_not_expose_the_metrics_port(overlay: str) -> None:
    ports = one(f"overlays/{overlay}", "Service", "lct-api")["spec"]["ports"]
    assert all(p["targetPort"] in (8080, "http") for p in ports)
    assert all(p["port"] != METRICS_PORT and p["targetPort"] not in (METRICS_PORT, "metrics") for p in ports)


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_kubernetes_trusts_no_forwarded_headers_behind_its_layer_4_load_balancer(overlay: str) -> None:
    target = f"overlays/{overlay}"
    assert one(target, "Service", "lct-api")["spec"]["externalTrafficPolicy"] == "Local"
    trusted = config(target)["LCT_FORWARDED_ALLOW_IPS"]
    assert "*" not in trusted and Settings(forwarded_allow_ips=trusted).forwarded_allow_ips == trusted


def test_compose_scrapes_the_metrics_port_and_nginx_does_not_pass_it() -> None:
    lct = compose()["services"]["lct"]
    assert str(lct["environment"]["LCT_METRICS_PORT"]) == str(METRICS_PORT)
    assert "ports" not in lct  # only nginx reaches the replicas
    prometheus = yaml.safe_load((DEPLOY / "prometheus" / "prometheus.yml").read_text())
    job = next(job for job in prometheus["scrape_configs"] if job["job_name"] == "lct")
    assert [sd["port"] for sd in job["dns_sd_configs"]] == [METRICS_PORT]
    nginx = (DEPLOY / "nginx" / "lct.conf").read_text()
    assert f":{METRICS_PORT}" not in nginx and "server lct:8080" in nginx


def test_nginx_sends_the_peer_address_not_the_clients_own_x_forwarded_for() -> None:
    nginx = (DEPLOY / "nginx" / "lct.conf").read_text()
    assert re.search(r"^\s*proxy_set_header X-Forwarded-For \$remote_addr;", nginx, re.M)
    assert "$proxy_add_x_forwarded_for" not in nginx


def test_the_image_keeps_metrics_on_their_own_port_and_trusts_no_proxy_by_default() -> None:
    text = (DEPLOY / "Dockerfile").read_text()
    assert f"LCT_METRICS_PORT={METRICS_PORT}" in text and re.search(rf"^EXPOSE {METRICS_PORT}$", text, re.M)
    assert "LCT_FORWARDED_ALLOW_IPS" not in text


@pytest.mark.parametrize(
    "variable",
    [
        "LCT_HUB_SEND_BUFFER_BYTES",
        "LCT_HUB_CLICKS_PER_SECOND",
        "LCT_HUB_CONNECTIONS_PER_CLIENT",
        "LCT_RATE_LIMIT",
        "LCT_HTTP_HEADER_TIMEOUT_SECONDS",
        "LCT_CORS_ORIGINS",
        "LCT_METRICS_PORT",
    ],
)
def test_every_limit_setting_is_a_setting_and_is_documented(variable: str) -> None:
    assert variable.removeprefix("LCT_").lower() in Settings.model_fields
    for doc in ("README.md", "docs/operations.md"):
        assert re.search(rf"^\| `{variable}` \|", (ROOT / doc).read_text(), re.M), f"{variable} is not in {doc}"
