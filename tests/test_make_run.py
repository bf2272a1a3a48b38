"""`make run` serves where HOST and PORT say (default 127.0.0.1:8000)."""

import os
import socket
import subprocess
import urllib.error
import urllib.request
from pathlib import Path

from tests.workers import wait_until

ROOT = Path(__file__).resolve().parents[1]


def honcho_command(*args: str, env: dict[str, str] | None = None) -> str:
    """The honcho line `make run` would start (make -n prints it without running anything)."""
    lines = subprocess.run(
        ["make", "-n", "run", *args],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    return next(line for line in lines if "honcho start" in line)


def test_make_run_serves_on_127_0_0_1_port_8000_by_default():
    env = {key: value for key, value in os.environ.items() if key not in ("HOST", "PORT")}
    lines = subprocess.run(["make", "-n", "run"], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    command = next(line for line in lines.stdout.splitlines() if "honcho start" in line)
    assert command.startswith("HOST=127.0.0.1 ") and command.endswith(" -p 8000")


def test_make_run_takes_port_and_host_from_the_environment():
    command = honcho_command(env={"PORT": "8765", "HOST": "0.0.0.0"})
    assert command.startswith("HOST=0.0.0.0 ") and command.endswith(" -p 8765")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_the_web_process_of_procfile_dev_listens_on_the_port_it_is_given():
    port = free_port()
    process = subprocess.Popen(
        [str(ROOT / ".venv/bin/honcho"), "start", "-f", "Procfile.dev", "-p", str(port), "web"],
        cwd=ROOT,
        env={**os.environ, "HOST": "127.0.0.1"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )

    def answers() -> bool:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
        except urllib.error.HTTPError:
            return True  # any HTTP answer: the development server is there
        except OSError:
            return False
        return True

    try:
        wait_until(answers, 60, f"runserver on port {port}", interval=0.3)
    finally:
        os.killpg(process.pid, 15)
        process.wait(timeout=20)
