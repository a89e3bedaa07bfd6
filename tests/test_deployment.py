"""The container set-up, tested without a Docker engine: the entrypoint, gunicorn with 4 workers,
concurrent `flask init`, and the linters over the Dockerfile and the shell scripts."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import select

from app.extensions import db
from app.models import Task, WorkItem
from app.services.audit import verify_chain
from app.services.seed import seed_organisation
from app.services.tokens import issue_token
from tests.conftest import directive_payload, make_app
from tests.support import free_port

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
DOCKER = ROOT / "docker"


def run_env(database_url: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DONDOC_", "FLASK_"))}
    env.update(
        PATH=f"{BIN}{os.pathsep}{env.get('PATH', '')}",
        DATABASE_URL=database_url,
        SECRET_KEY="deployment-test-secret",
        **extra,
    )
    return env


def http(method: str, url: str, body: bytes | None = None, token: str | None = None) -> tuple[int, Any]:
    request = urllib.request.Request(url, data=body, method=method)
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def wait_ready(base: str, process: subprocess.Popen[bytes], seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, "the entrypoint exited before the server was ready"
        try:
            if http("GET", f"{base}/readyz")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise AssertionError("gunicorn did not become ready in time")


@pytest.fixture
def empty_database(databases, tmp_path) -> Iterator[str]:
    url = databases.empty(tmp_path)
    yield url
    databases.drop(url)


@pytest.fixture
def served(empty_database, tmp_path) -> Iterator[tuple[str, str]]:
    """The Dockerfile's command through the entrypoint, on a fresh database, 4 workers on loopback."""
    port = free_port()
    log = (tmp_path / "server.log").open("wb")
    command = ["gunicorn", "--config", str(DOCKER / "gunicorn.conf.py"), "app:create_app()"]
    process = subprocess.Popen(
        [str(DOCKER / "entrypoint.sh"), *command],
        cwd=tmp_path,
        env=run_env(empty_database, DONDOC_BIND=f"127.0.0.1:{port}", WEB_CONCURRENCY="4"),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_ready(f"http://127.0.0.1:{port}", process)
        yield f"http://127.0.0.1:{port}", empty_database
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
        log.close()


def test_entrypoint_migrates_a_fresh_database_and_four_gunicorn_workers_share_the_load(served, tmp_path):
    base, url = served
    log = (tmp_path / "server.log").read_text()
    assert "Quy trình directive_intake: phiên bản 1 (triển khai mới)" in log
    assert log.count("Booting worker") == 4
    tokens = seed_users_and_tokens(url)
    api = ApiClient(base, tokens)

    office = "vp.chuyenvien"
    directives = [api.post(office, "/directives", directive_payload(number=str(n))) for n in range(8)]
    assert {status for status, _ in directives} == {201}
    classify = [i["id"] for i in api.get(office, "/work-items") if i["title"].startswith("Phân loại")]
    assert len(classify) == 8
    with ThreadPoolExecutor(max_workers=4) as pool:
        done = list(
            pool.map(
                lambda item: api.post(
                    "vp.chuyenvien", f"/work-items/{item}/complete", {"data": {"origin_level": "province"}}
                )[0],
                classify,
            )
        )
    assert done == [200] * 8

    accept = [i["id"] for i in api.get("stc.daumoi", "/work-items") if i["title"] == "Tiếp nhận nhiệm vụ"]
    assert len(accept) == 16  # two tasks per directive
    submits = [item for item in accept for _ in range(2)]  # every item submitted twice at once
    accept_body = {"data": {"decision": "accept"}}
    with ThreadPoolExecutor(max_workers=4) as pool:
        codes = list(
            pool.map(
                lambda item: (item, api.post("stc.daumoi", f"/work-items/{item}/complete", accept_body)[0]),
                submits,
            )
        )
    for item in accept:
        assert sorted(code for i, code in codes if i == item) == [200, 409], item

    checker = make_app(url)
    with checker.app_context():
        statuses = db.session.scalars(select(Task.status)).all()
        assert statuses == ["in_progress"] * 16
        reports = db.session.scalars(
            select(WorkItem).where(WorkItem.title == "Báo cáo kết quả thực hiện", WorkItem.state == "open")
        ).all()
        assert len(reports) == 16  # no duplicate next step from the losing submits
        assert verify_chain() == []  # appends from 4 processes kept one unbroken chain
        db.session.remove()
        db.engine.dispose()


def seed_users_and_tokens(url: str) -> dict[str, str]:
    app = make_app(url)
    with app.app_context():
        users = seed_organisation()
        tokens = {name: issue_token(users[name]) for name in ("vp.chuyenvien", "stc.daumoi")}
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return tokens


class ApiClient:
    def __init__(self, base: str, tokens: dict[str, str]) -> None:
        self.base, self.tokens = base, tokens

    def post(self, who: str, path: str, body: Any) -> tuple[int, Any]:
        import json

        status, raw = http("POST", f"{self.base}/api/v1{path}", json.dumps(body).encode(), self.tokens[who])
        return status, json.loads(raw)

    def get(self, who: str, path: str) -> Any:
        import json

        status, raw = http("GET", f"{self.base}/api/v1{path}", token=self.tokens[who])
        assert status == 200, raw
        return json.loads(raw)


def test_entrypoint_gives_up_without_starting_the_server_when_the_database_never_answers(databases, tmp_path):
    marker = tmp_path / "started"
    done = subprocess.run(
        [str(DOCKER / "entrypoint.sh"), "touch", str(marker)],
        env=run_env(databases.unreachable(), DONDOC_DB_WAIT_SECONDS="2"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0
    assert not marker.exists()


def test_two_containers_starting_together_both_initialise_the_same_fresh_database(empty_database, tmp_path):
    env = run_env(empty_database)
    inits = [
        subprocess.Popen(
            ["flask", "--app", "app", "init"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [p.communicate(timeout=180)[0] for p in inits]
    assert [p.returncode for p in inits] == [0, 0], outputs
    joined = "\n".join(outputs)
    assert joined.count("Quy trình directive_intake: phiên bản 1 (triển khai mới)") == 1
    assert joined.count("Quy trình directive_intake: phiên bản 1 (không đổi)") == 1
    checker = make_app(empty_database)
    with checker.app_context():
        assert checker.test_client().get("/readyz").status_code == 200
        db.session.remove()
        db.engine.dispose()


def test_dockerfile_and_shell_scripts_pass_hadolint_and_shellcheck():
    hadolint = subprocess.run(
        [str(BIN / "hadolint"), str(DOCKER / "Dockerfile")], capture_output=True, text=True
    )
    assert hadolint.returncode == 0, hadolint.stdout + hadolint.stderr
    scripts = [str(DOCKER / "entrypoint.sh"), *map(str, sorted((ROOT / "scripts").glob("*.sh")))]
    shellcheck = subprocess.run([str(BIN / "shellcheck"), *scripts], capture_output=True, text=True)
    assert shellcheck.returncode == 0, shellcheck.stdout


def test_image_and_compose_agree_on_what_runs():
    dockerfile = (DOCKER / "Dockerfile").read_text()
    stages = [line for line in dockerfile.splitlines() if line.startswith("FROM ")]
    assert [s.split()[-1] for s in stages] == ["assets", "build", "runtime"]
    assert "npm ci" in dockerfile and "node scripts/copy_assets.mjs" in dockerfile
    assert "USER 10001:10001" in dockerfile  # never root at run time
    ignored = (DOCKER / "Dockerfile.dockerignore").read_text().split()
    assert {"instance", ".venv", ".git"} <= set(ignored)  # no local secret key or database in the image
    compose = yaml.safe_load((DOCKER / "compose.yml").read_text())
    services = compose["services"]
    assert set(services) == {"db", "web", "scheduler", "mail"}
    cmd = '["gunicorn", "--config", "/app/docker/gunicorn.conf.py", "app:create_app()"]'
    assert f"CMD {cmd}" in dockerfile
    assert services["web"]["command"] == yaml.safe_load(cmd)
    assert "/readyz" in " ".join(services["web"]["healthcheck"]["test"])
    assert services["scheduler"]["command"][-2:] == ["scheduler", "run"]
    assert services["web"]["ports"] == ["127.0.0.1:8000:8000"]  # loopback only; a proxy faces users
