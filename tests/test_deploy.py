"""What can be checked of the deployment without Docker: compose.yaml, the Caddyfile and the image's commands.

Docker cannot run here, so the image is imitated. Only the files the Dockerfile copies go
into a temporary /app, and the Dockerfile's ENV lines become the environment. Its CMD and
HEALTHCHECK commands then run there with this virtual environment's Python.
"""

import json
import re
import shlex
import shutil
import subprocess
import sys
import time
import tomllib
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import yaml

from tests.app_server import PROJECT_ROOT, free_port
from ui.camera_scan import camera_file_addresses

DOCKERFILE = PROJECT_ROOT / "Dockerfile"
# WORKDIR of the Dockerfile's Node stage, where `npm ci` installs node_modules. Locally
# `make install` installs the same packages into the project folder.
NODE_STAGE_WORKDIR = "/build/"
START_TIMEOUT_SECONDS = 60


def _compose() -> dict:
    return yaml.safe_load((PROJECT_ROOT / "compose.yaml").read_text(encoding="utf-8"))


def _all_instructions() -> list[tuple[str, str]]:
    """Return the Dockerfile's instructions as (keyword, arguments), with continued lines joined."""
    text = re.sub(r"\\\n\s*", " ", DOCKERFILE.read_text(encoding="utf-8"))
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1]) for line in lines]


def _instructions(stage: int = -1) -> list[tuple[str, str]]:
    """Return the instructions of one build stage, from its FROM on; the last stage is the image."""
    stages: list[list[tuple[str, str]]] = []
    for keyword, arguments in _all_instructions():
        if keyword == "FROM":
            stages.append([])
        stages[-1].append((keyword, arguments))
    return stages[stage]


def _argument(keyword: str, stage: int = -1) -> str:
    matches = [arguments for found, arguments in _instructions(stage) if found == keyword]
    assert len(matches) == 1, f"expected one {keyword} in stage {stage} of the Dockerfile, found {len(matches)}"
    return matches[0]


def test_compose_has_expected_services():
    services = _compose()["services"]

    assert set(services) == {"db", "app1", "app2", "proxy"}
    assert services["db"]["image"] == "postgres:15"
    assert services["proxy"]["image"].startswith("caddy:")


def test_compose_apps_share_postgres():
    services = _compose()["services"]

    for name in ("app1", "app2"):
        environment = services[name]["environment"]
        assert environment["BIEBVOUCHER_DEMO"] == "false"
        assert environment["BIEBVOUCHER_DATABASE_URL"].startswith("postgresql+psycopg://biebvoucher:")
        assert environment["BIEBVOUCHER_DATABASE_URL"].endswith("@db:5432/biebvoucher")
        assert "${BIEBVOUCHER_STORAGE_SECRET:?" in environment["BIEBVOUCHER_STORAGE_SECRET"]
        assert services[name]["depends_on"]["db"]["condition"] == "service_healthy"
        assert "ports" not in services[name], f"{name} must be reachable only through the proxy"
    assert services["app1"]["volumes"] != services["app2"]["volumes"]


def test_caddyfile_sticks_browsers_to_instance():
    services = _compose()["services"]
    mounted = [volume.split(":")[0] for volume in services["proxy"]["volumes"]]
    assert "./deploy/Caddyfile" in mounted
    caddyfile = (PROJECT_ROOT / "deploy" / "Caddyfile").read_text(encoding="utf-8")

    assert re.search(r"reverse_proxy\s+app1:8080\s+app2:8080", caddyfile)
    assert re.search(r"lb_policy\s+cookie\b", caddyfile)
    assert re.search(r"respond\s+@metrics\s+404", caddyfile)


def _stages() -> list[str]:
    return [arguments for keyword, arguments in _all_instructions() if keyword == "FROM"]


def test_dockerfile_builds_browser_libraries_apart():
    node_stage, app_stage = _stages()
    assert re.fullmatch(r"node:\d+-slim AS browser-libraries", node_stage)
    assert "npm ci --omit=dev" in _argument("RUN", stage=0)
    assert "npm" not in " ".join(arguments for keyword, arguments in _instructions(stage=1) if keyword == "RUN")
    assert re.fullmatch(r"python:3\.\d+-slim", app_stage)


def test_dockerfile_slim_non_root_with_healthcheck():
    assert re.fullmatch(r"python:3\.\d+-slim", _stages()[-1])
    assert _argument("USER") not in {"root", "0"}
    assert "/healthz" in _argument("HEALTHCHECK")
    assert json.loads(_argument("CMD")) == ["python", "main.py"]


def _image_environment(port: int, data_dir: Path, database_url: str) -> dict[str, str]:
    environment = {"PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin", "HOME": str(data_dir)}
    for arguments in (arguments for keyword, arguments in _instructions() if keyword == "ENV"):
        for assignment in shlex.split(arguments):
            name, _, value = assignment.partition("=")
            environment[name] = value
    environment.update(
        BIEBVOUCHER_PORT=str(port),
        BIEBVOUCHER_HOST="127.0.0.1",
        BIEBVOUCHER_DATA_DIR=str(data_dir),
        NICEGUI_STORAGE_PATH=str(data_dir / ".nicegui"),
        BIEBVOUCHER_DEMO="false",
        BIEBVOUCHER_STORAGE_SECRET="deploy-test-secret-" + "x" * 24,
        BIEBVOUCHER_DATABASE_URL=database_url,
    )
    return environment


def _copy_image_files(app_dir: Path) -> None:
    """Copy what the image stage's COPY lines copy into `app_dir`.

    A `COPY --from=` of the Node stage takes the files from the project's own node_modules.
    """
    for arguments in (arguments for keyword, arguments in _instructions() if keyword == "COPY"):
        *sources, destination = arguments.split()
        from_stage = bool(sources) and sources[0].startswith("--from=")
        if from_stage:
            sources = [source.removeprefix(NODE_STAGE_WORKDIR) for source in sources[1:]]
        for source in sources:
            path = PROJECT_ROOT / source.rstrip("/")
            if destination in {".", "./"} and not from_stage:
                target = app_dir / path.name
            else:
                target = app_dir / destination.rstrip("/")
            if path.is_dir():
                shutil.copytree(path, target, ignore=shutil.ignore_patterns("__pycache__"))
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, target)


def _wait_for_health(url: str, process: subprocess.Popen, log_path: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"main.py exited with {process.returncode}:\n{log_path.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310  (local http URL)
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    pytest.fail(f"{url} did not answer within {START_TIMEOUT_SECONDS} s:\n{log_path.read_text()[-3000:]}")


def test_image_commands_run_from_copied_files(tmp_path, postgres_database):
    app_dir = tmp_path / "app"
    app_dir.mkdir()
    _copy_image_files(app_dir)
    port = free_port()
    environment = _image_environment(port, tmp_path / "data", postgres_database)
    log_path = tmp_path / "server.log"

    with log_path.open("wb") as output:
        server = subprocess.Popen(  # noqa: S603  (the Dockerfile's CMD)
            json.loads(_argument("CMD")), cwd=app_dir, env=environment, stdout=output, stderr=subprocess.STDOUT
        )
    try:
        _wait_for_health(f"http://127.0.0.1:{port}/healthz", server, log_path)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/help/img/inloggen.png", timeout=5) as image:
            manual_image_type = image.headers["Content-Type"]
        wasm_address = camera_file_addresses()["wasm"][1]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{wasm_address}", timeout=5) as response:
            served_wasm = response.read()
        healthcheck = json.loads(_argument("HEALTHCHECK").split("CMD", 1)[1])
        checked = subprocess.run(healthcheck, cwd=app_dir, env=environment, capture_output=True, timeout=30)  # noqa: S603
    finally:
        server.terminate()
        server.wait(timeout=15)

    assert checked.returncode == 0, checked.stderr.decode()
    assert manual_image_type == "image/png"
    assert served_wasm == (app_dir / "node_modules/zxing-wasm/dist/reader/zxing_reader.wasm").read_bytes()
    assert not (app_dir / "tests").exists()
    assert "running migrations" in log_path.read_text()
    assert " ERROR " not in log_path.read_text()


def test_lock_pins_every_app_dependency():
    # The image installs requirements.lock only, so each dependency of the app must be pinned there.
    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pinned = {
        re.sub(r"[-_.]+", "-", line.split("==")[0]).lower()
        for line in (PROJECT_ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines()
        if "==" in line and not line.startswith((" ", "#"))
    }

    for requirement in project["dependencies"]:
        name = re.sub(r"[-_.]+", "-", re.match(r"[A-Za-z0-9_.-]+", requirement).group()).lower()
        assert name in pinned, f"{name} is missing from requirements.lock; run `make lock`"
