"""Run a real Prometheus, and every PromQL expression of ``deploy/`` through it.

Reusable by any test that has something serving ``/metrics``:

    base_url = run_prometheus("127.0.0.1:6066", tmp_path)   # stopped at exit, or stop_prometheus()
    wait_for_target_up(base_url)
    results = query_all_exprs(base_url)                      # {expr: QueryResult}

The expressions come from the dashboards in ``deploy/grafana/dashboards/`` (Grafana variables
replaced by fixed values, see :data:`GRAFANA_BUILTINS`) and from the recording and alerting
rules in ``deploy/prometheus/alerts.yml``. The test server loads those rules too, so
``rule_health`` reports whether Prometheus could evaluate each of them.

Run as a script (``python tests/integration/prom.py serve-sample PORT``) it serves
``streams.metrics.REGISTRY`` with a stream of sample observations, so the queries have data
without a broker.
"""

from __future__ import annotations

import atexit
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

REPO_ROOT = Path(__file__).resolve().parents[2]
DEPLOY_DIR = REPO_ROOT / "deploy"
PROMETHEUS_DIR = DEPLOY_DIR / "prometheus"
ALERTS_FILE = PROMETHEUS_DIR / "alerts.yml"
ALERT_TESTS_FILE = PROMETHEUS_DIR / "alerts_test.yml"
DASHBOARD_DIR = DEPLOY_DIR / "grafana" / "dashboards"

# The scrape job the alert rules and the dashboards' default $job select on.
JOB = "streams-worker"

# Grafana's built-in variables, fixed to values that work with a 1 s scrape interval: a rate
# over 1m has plenty of samples after a few seconds of scraping.
GRAFANA_BUILTINS: dict[str, str] = {
    "__rate_interval": "1m",
    "__interval": "1m",
    "__interval_ms": "60000",
    "__range": "5m",
    "__range_s": "300",
    "__range_ms": "300000",
}

# $name, ${name}, ${name:format} and the deprecated [[name]].
_VARIABLE = re.compile(r"\$\{(\w+)(?::\w+)?\}|\$(\w+)|\[\[(\w+)\]\]")

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


# ---------------------------------------------------------------------------------------------
# Binaries


def find_binary(name: str) -> str | None:
    """Path of ``name`` (``prometheus``, ``promtool``) on PATH or in /usr/bin, else None."""
    found = shutil.which(name)
    if found:
        return found
    candidate = Path("/usr/bin") / name
    return str(candidate) if candidate.exists() else None


def require_binary(name: str) -> str:
    """Path of ``name``; skip the calling test when it is missing, but fail in CI (``CI=true``)."""
    import pytest

    path = find_binary(name)
    if path is None:
        message = f"{name} not found: install the Debian package `prometheus` (apt-get install -y prometheus)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return path


# ---------------------------------------------------------------------------------------------
# Expressions of the dashboards and rules


@dataclass(frozen=True)
class ExprSource:
    """One PromQL expression and where it comes from.

    ``expects_data`` is False for alert conditions: a healthy service makes them return nothing.
    """

    expr: str
    where: str
    kind: str  # "panel", "record" or "alert"
    expects_data: bool
    variables: dict[str, str] = field(default_factory=dict, hash=False, compare=False)

    @property
    def query(self) -> str:
        """The expression with every Grafana variable replaced (raises KeyError on an unknown one)."""
        return substitute_variables(self.expr, self.variables)


def dashboard_files() -> list[Path]:
    """Every dashboard JSON file under deploy/grafana/dashboards/."""
    return sorted(DASHBOARD_DIR.glob("*.json"))


def load_json(path: Path) -> dict[str, Any]:
    """A parsed JSON file."""
    return json.loads(path.read_text(encoding="utf-8"))


def iter_panels(dashboard: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every panel of a dashboard, including the panels of collapsed rows."""
    for panel in dashboard.get("panels", []):
        yield panel
        yield from panel.get("panels", [])


def dashboard_variables(dashboard: dict[str, Any]) -> dict[str, str]:
    """The value each template variable of ``dashboard`` takes by default, plus Grafana's built-ins.

    "All" becomes the variable's ``allValue`` (``.*`` if it has none), as Grafana does.
    """
    values = dict(GRAFANA_BUILTINS)
    for var in dashboard.get("templating", {}).get("list", []):
        current = var.get("current", {}).get("value", "")
        if isinstance(current, list):
            current = current[0] if len(current) == 1 else "(" + "|".join(current) + ")"
        if current in ("$__all", "All", ""):
            current = var.get("allValue") or ".*"
        values[var["name"]] = current
    return values


def substitute_variables(expr: str, variables: dict[str, str]) -> str:
    """``expr`` with each ``$var`` / ``${var}`` / ``[[var]]`` replaced; KeyError names an unknown one."""

    def repl(m: re.Match[str]) -> str:
        name = m.group(1) or m.group(2) or m.group(3)
        if name not in variables:
            raise KeyError(f"undefined Grafana variable ${name} in: {expr}")
        return variables[name]

    return _VARIABLE.sub(repl, expr)


def dashboard_exprs() -> list[ExprSource]:
    """The expression of every target of every panel of every dashboard."""
    out = []
    for path in dashboard_files():
        board = load_json(path)
        variables = dashboard_variables(board)
        for panel in iter_panels(board):
            for target in panel.get("targets", []):
                if target.get("expr"):
                    where = f"{path.name} panel {panel['id']} {panel.get('title', '')!r} ref {target.get('refId')}"
                    out.append(ExprSource(target["expr"], where, "panel", True, variables))
    return out


def load_rules(path: Path = ALERTS_FILE) -> list[dict[str, Any]]:
    """Every rule (recording and alerting) of a Prometheus rules file, with its group name."""
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [dict(rule, group=group["name"]) for group in doc["groups"] for rule in group["rules"]]


def rule_exprs() -> list[ExprSource]:
    """The expression of every recording rule (data expected) and alert rule (parse only)."""
    out = []
    for rule in load_rules():
        if "record" in rule:
            out.append(ExprSource(rule["expr"], f"record {rule['record']}", "record", True))
        else:
            out.append(ExprSource(rule["expr"], f"alert {rule['alert']}", "alert", False))
    return out


def all_exprs() -> list[ExprSource]:
    """Every dashboard, recording-rule and alert expression."""
    return dashboard_exprs() + rule_exprs()


def write_exprs_as_rules(exprs: list[ExprSource], path: Path) -> Path:
    """A rules file with one recording rule per expression, for ``promtool check rules``."""
    rules = [{"record": f"check:expr_{i}", "expr": e.query} for i, e in enumerate(exprs)]
    path.write_text(yaml.safe_dump({"groups": [{"name": "dashboard-exprs", "rules": rules}]}, sort_keys=False))
    return path


def write_alert_tests(directory: Path) -> Path:
    """alerts_test.yml with each ``__DESCRIPTION__`` replaced by the alert's description; returns its path.

    The copy sits in ``directory`` next to a copy of alerts.yml, so ``promtool test rules`` on it
    tests the rules as committed.
    """
    descriptions = {r["alert"]: r["annotations"]["description"] for r in load_rules() if "alert" in r}
    doc = yaml.safe_load(ALERT_TESTS_FILE.read_text(encoding="utf-8"))
    for test in doc["tests"]:
        for case in test.get("alert_rule_test", []):
            for alert in case.get("exp_alerts") or []:
                annotations = alert.get("exp_annotations", {})
                if annotations.get("description") == "__DESCRIPTION__":
                    annotations["description"] = descriptions[case["alertname"]]
    directory.mkdir(parents=True, exist_ok=True)
    shutil.copy(ALERTS_FILE, directory / ALERTS_FILE.name)
    out = directory / ALERT_TESTS_FILE.name
    out.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True))
    return out


# ---------------------------------------------------------------------------------------------
# A real Prometheus server


_RUNNING: dict[str, tuple[subprocess.Popen[bytes], Path]] = {}


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def write_prometheus_config(scrape_target: str, directory: Path) -> Path:
    """A Prometheus config scraping ``scrape_target`` every second as job streams-worker.

    It loads the committed rules file, evaluated every second, so recording rules and alert
    expressions run exactly as in production.
    """
    config = {
        "global": {"scrape_interval": "1s", "scrape_timeout": "1s", "evaluation_interval": "1s"},
        "rule_files": [str(ALERTS_FILE)],
        "scrape_configs": [{
            "job_name": JOB,
            "metrics_path": "/metrics",
            "static_configs": [{"targets": [scrape_target]}],
        }],
    }
    path = directory / "prometheus.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False))
    return path


def run_prometheus(scrape_target: str, tmp_path: Path, timeout: float = 30.0) -> str:
    """Start a Prometheus server on 127.0.0.1 (free port, storage in ``tmp_path``) scraping
    ``scrape_target`` (``host:port``) every second; return its base URL once it is ready.

    The server is stopped by :func:`stop_prometheus` or at interpreter exit, whichever comes
    first. Fails (skips outside CI) when the ``prometheus`` binary is missing.
    """
    binary = require_binary("prometheus")
    directory = Path(tmp_path) / f"prometheus-{free_port()}"
    (directory / "data").mkdir(parents=True)
    config = write_prometheus_config(scrape_target, directory)
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    log_path = directory / "prometheus.log"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            [binary, f"--config.file={config}", f"--storage.tsdb.path={directory / 'data'}",
             f"--web.listen-address=127.0.0.1:{port}", "--storage.tsdb.retention.time=1h",
             "--log.level=warn"],
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
    _RUNNING[base_url] = (proc, log_path)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            _RUNNING.pop(base_url, None)
            raise RuntimeError(f"prometheus exited with {proc.returncode}:\n{_tail(log_path)}")
        try:
            with urllib.request.urlopen(f"{base_url}/-/ready", timeout=2) as resp:
                if resp.status == 200:
                    return base_url
        except OSError:
            pass
        time.sleep(0.2)
    stop_prometheus(base_url)
    raise RuntimeError(f"prometheus not ready after {timeout}s:\n{_tail(log_path)}")


def stop_prometheus(base_url: str, timeout: float = 10.0) -> None:
    """Stop the server :func:`run_prometheus` started at ``base_url`` (no-op if already stopped)."""
    entry = _RUNNING.pop(base_url, None)
    if entry is None:
        return
    proc, _ = entry
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout)


def prometheus_log(base_url: str) -> str:
    """The last lines of a running server's log, for assertion messages."""
    entry = _RUNNING.get(base_url)
    return _tail(entry[1]) if entry else ""


@atexit.register
def _stop_all() -> None:
    for url in list(_RUNNING):
        stop_prometheus(url)


@contextmanager
def prometheus_server(scrape_target: str, tmp_path: Path, timeout: float = 30.0) -> Iterator[str]:
    """``with prometheus_server(target, tmp_path) as base_url:`` runs a server for the block."""
    base_url = run_prometheus(scrape_target, tmp_path, timeout)
    try:
        yield base_url
    finally:
        stop_prometheus(base_url)


def _tail(path: Path, lines: int = 40) -> str:
    text = path.read_text(errors="replace") if path.exists() else ""
    return "\n".join(text.splitlines()[-lines:])


# ---------------------------------------------------------------------------------------------
# HTTP API


def api_get(base_url: str, path: str, params: dict[str, str] | None = None, timeout: float = 10.0) -> dict:
    """GET ``base_url + path`` and return the decoded JSON, also for Prometheus's 4xx/5xx errors."""
    url = f"{base_url}{path}"
    if params:
        url += "?" + urllib.parse.urlencode(params)
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:
            return json.loads(resp.read())
    except urllib.error.HTTPError as exc:  # bad_data (422/400) carries the parse error as JSON
        body = exc.read()
        try:
            return json.loads(body)
        except ValueError:
            return {"status": "error", "errorType": f"http {exc.code}", "error": body.decode(errors="replace")}


def query(base_url: str, expr: str) -> dict:
    """An instant query; the API's JSON answer (``status``, ``data`` or ``error``)."""
    return api_get(base_url, "/api/v1/query", {"query": expr})


def wait_for_target_up(base_url: str, timeout: float = 30.0) -> None:
    """Wait until every scrape target of the server reports health "up"."""
    deadline = time.monotonic() + timeout
    last: Any = None
    while time.monotonic() < deadline:
        last = api_get(base_url, "/api/v1/targets").get("data", {}).get("activeTargets", [])
        if last and all(t.get("health") == "up" for t in last):
            return
        time.sleep(0.5)
    raise TimeoutError(f"scrape targets not up after {timeout}s: {last}\n{prometheus_log(base_url)}")


def wait_for_data(base_url: str, expr: str, timeout: float = 30.0) -> list[dict]:
    """Poll ``expr`` until it returns a non-empty result; return that result."""
    deadline = time.monotonic() + timeout
    answer: dict = {}
    while time.monotonic() < deadline:
        answer = query(base_url, expr)
        if answer.get("status") == "success" and answer["data"]["result"]:
            return answer["data"]["result"]
        time.sleep(0.5)
    raise TimeoutError(f"no data for {expr!r} after {timeout}s: {answer}")


@dataclass
class QueryResult:
    """What one expression returned: ``ok`` = it parsed and ran; ``result`` = the samples."""

    source: ExprSource
    query: str
    status: str
    error: str | None
    result: list[dict]

    @property
    def ok(self) -> bool:
        """True when Prometheus accepted and evaluated the expression."""
        return self.status == "success"

    @property
    def has_data(self) -> bool:
        """True when the expression returned at least one sample."""
        return bool(self.result)


def query_all_exprs(base_url: str) -> dict[str, QueryResult]:
    """Run every dashboard, recording-rule and alert expression; ``{original expr: QueryResult}``.

    Grafana variables are substituted first (built-ins per :data:`GRAFANA_BUILTINS`, template
    variables by their default value); an undefined variable is reported as an error result.
    """
    results: dict[str, QueryResult] = {}
    for source in all_exprs():
        if source.expr in results:
            continue
        try:
            text = source.query
        except KeyError as exc:
            results[source.expr] = QueryResult(source, source.expr, "error", str(exc), [])
            continue
        answer = query(base_url, text)
        data = answer.get("data") or {}
        result = data.get("result", []) if isinstance(data, dict) else []
        if not isinstance(result, list):  # a scalar result, e.g. time(): one sample
            result = [{"value": result}]
        results[source.expr] = QueryResult(source, text, answer.get("status", "error"), answer.get("error"), result)
    return results


def rule_health(base_url: str) -> dict[str, dict]:
    """Each loaded rule's ``health`` and ``lastError`` as Prometheus reports them, by rule name."""
    groups = api_get(base_url, "/api/v1/rules").get("data", {}).get("groups", [])
    return {r["name"]: {"health": r.get("health"), "lastError": r.get("lastError", ""),
                        "lastEvaluation": r.get("lastEvaluation")}
            for g in groups for r in g["rules"]}


# ---------------------------------------------------------------------------------------------
# Sample metrics: streams.metrics.REGISTRY with observations on every metric


def observe_samples() -> None:
    """One round of observations on every metric of :mod:`streams.metrics` (realistic labels)."""
    from streams import metrics as m

    for lang, n in (("ar", 3), ("en", 2)):
        m.ARTICLES_CONSUMED.labels(language=lang).inc(n)
        m.ARTICLES_ENRICHED.labels(language=lang).inc(n)
        m.QUALITY.labels(language=lang, signal="with_incident").inc(n - 1)
        m.QUALITY.labels(language=lang, signal="unresolved_place").inc(1)
        m.QUALITY.labels(language=lang, signal="count_without_incident").inc(1)
    m.DLQ_RECORDS.labels(reason="schema").inc()
    m.DLQ_RECORDS.labels(reason="not_json").inc()
    for typ, country, killed, injured in (("airstrike", "SY", 40, 70), ("car_bombing", "AF", 10, 42)):
        m.INCIDENTS_EMITTED.labels(type=typ, country=country).inc()
        m.CASUALTIES_REPORTED.labels(kind="killed", country=country).inc(killed)
        m.CASUALTIES_REPORTED.labels(kind="injured", country=country).inc(injured)
    for outcome in ("created", "updated", "unchanged"):
        m.CONSOLIDATED.labels(outcome=outcome).inc()
    for stage, seconds in (("places", 0.0004), ("numbers", 0.0001), ("counts", 0.0002), ("events", 0.0002),
                           ("dates", 0.0001), ("actors", 0.0001), ("assemble", 0.00005)):
        m.STAGE_SECONDS.labels(stage=stage).observe(seconds)
    m.PROCESSING_SECONDS.observe(0.002)
    m.END_TO_END_SECONDS.observe(0.3)
    m.END_TO_END_SECONDS.observe(1.2)
    for partition in ("0", "1"):
        m.CONSUMER_LAG_MESSAGES.labels(topic="articles.raw", partition=partition).set(3)
        m.CONSUMER_LAG_SECONDS.labels(topic="articles.raw", partition=partition).set(0.5)
    m.REBALANCES.inc(0)
    m.CONSUMER_REREADS.inc(0)
    m.CONSUMER_UNPROCESSED.inc(0)


def serve_sample_metrics(port: int, duration: float = 600.0, period: float = 0.2) -> None:
    """Serve REGISTRY on 127.0.0.1:``port`` with :func:`observe_samples` every ``period`` seconds,
    for at most ``duration`` seconds (a bound, in case the parent dies without stopping us)."""
    from prometheus_client import start_http_server

    from streams import metrics as m

    m.WORKER_UP.set(1)
    m.WORKER_START_TIME.set(time.time())
    m.GAZETTEER_ENTRIES.set(123456)
    m.BUILD_INFO.info({"version": "0.0.0-sample", "extractor_version": "sample"})
    m.REBALANCES.inc()
    m.CONSUMER_REREADS.inc()
    m.CONSUMER_UNPROCESSED.inc()
    start_http_server(port, addr="127.0.0.1", registry=m.REGISTRY)
    deadline = time.monotonic() + duration
    while time.monotonic() < deadline:
        observe_samples()
        time.sleep(period)


@contextmanager
def sample_exporter(timeout: float = 20.0) -> Iterator[str]:
    """A child process serving sample metrics; yields its ``host:port`` once /metrics answers."""
    port = free_port()
    proc = subprocess.Popen([sys.executable, __file__, "serve-sample", str(port)], cwd=REPO_ROOT,
                            start_new_session=True)
    target = f"127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"sample exporter exited with {proc.returncode}")
            try:
                with urllib.request.urlopen(f"http://{target}/metrics", timeout=2) as resp:
                    if resp.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise TimeoutError(f"sample exporter not serving after {timeout}s")
            time.sleep(0.2)
        yield target
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "serve-sample":
        sys.path.insert(0, str(REPO_ROOT))
        serve_sample_metrics(int(sys.argv[2]))
    else:
        print("usage: prom.py serve-sample PORT", file=sys.stderr)
        sys.exit(2)
