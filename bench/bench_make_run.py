"""How long `make run` takes to its first page: cold (a new var dir: migrate and seed from nothing) and warm
(the same var dir again), timed from `make` starting to the web server's first 200 on /login/, and what the
warm run's steps cost on their own (migrate with nothing to do, seed_demo with the demo already there).

    .venv/bin/python bench/bench_make_run.py [--port 8000] [--runs 2] [--var-dir DIR] [--no-install]

It runs the embedded demo, as `make run` does: DATABASE_URL and REDIS_URL are removed from the environment.
--no-install tells make not to reinstall the virtualenv even when requirements*.txt look newer than
.venv/.installed (a fresh git worktree sharing another checkout's .venv). Ends with
`goal warm make run: <seconds> (target 5 s) met|missed`.
"""

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 5.0


def embedded_env(var_dir: Path, port: int, receiver_port: int) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "SECRET_KEY")}
    env.update(COCREATE_VAR_DIR=str(var_dir), PORT=str(port), DEMO_RECEIVER_PORT=str(receiver_port))
    return env


def first_page(url: str, deadline: float) -> bool:
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return True
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.05)
    return False


def stop(process: subprocess.Popen) -> None:
    """Ctrl-C to the whole group, as a developer would; then harder if it lingers."""
    for sig, wait in ((signal.SIGINT, 15), (signal.SIGTERM, 5), (signal.SIGKILL, 5)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


def time_make_run(env: dict, port: int, no_install: bool, log: Path) -> float | None:
    command = ["make", "--no-print-directory", "run"]
    if no_install:
        command[1:1] = ["-o", ".venv/.installed"]
    started = time.monotonic()
    with log.open("w") as out:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            ok = first_page(f"http://127.0.0.1:{port}/login/", started + 120)
            took = time.monotonic() - started
        finally:
            stop(process)
    return took if ok else None


def time_step(env: dict, *args: str) -> float:
    started = time.monotonic()
    subprocess.run(
        [str(ROOT / ".venv/bin/python"), "manage.py", *args],
        cwd=ROOT,
        env={**env, "DEBUG": "1"},
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return time.monotonic() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", 8000)))
    parser.add_argument("--receiver-port", type=int, help="the demo receiver's first port (default: port + 100)")
    parser.add_argument("--runs", type=int, default=2, help="the first is cold when --var-dir is new")
    parser.add_argument("--var-dir", type=Path, help="default: a new temporary directory, removed afterwards")
    parser.add_argument("--no-install", action="store_true")
    options = parser.parse_args()

    var_dir = options.var_dir or Path(tempfile.mkdtemp(prefix="cocreate-bench-run-"))
    env = embedded_env(var_dir, options.port, options.receiver_port or options.port + 100)
    times: list[float | None] = []
    print(
        "load average before the runs (1, 5, 15 min): {:.2f} {:.2f} {:.2f} on {} cores".format(
            *os.getloadavg(), os.cpu_count()
        )
    )
    try:
        for run in range(options.runs):
            log = var_dir.parent / f"{var_dir.name}-make-run-{run + 1}.log"
            took = time_make_run(env, options.port, options.no_install, log)
            times.append(took)
            label = "cold" if run == 0 and not options.var_dir else "warm"
            shown = f"{took:.2f} s" if took is not None else "no 200 within 120 s"
            print(f"make run {run + 1} ({label}): {shown} to the first 200 on /login/ (log: {log})")
        print("steps of a warm run, each on its own:")
        for name, args in (
            ("migrate, nothing to do", ("migrate", "--noinput")),
            ("seed_demo, demo present", ("seed_demo",)),
            ("seed_demo --migrate (what make run runs)", ("seed_demo", "--migrate")),
            ("check (Django start-up and system checks)", ("check",)),
        ):
            print(f"  {name:<44} {time_step(env, *args):.2f} s")
    finally:
        if not options.var_dir:
            shutil.rmtree(var_dir, ignore_errors=True)

    warm = times[-1] if len(times) > 1 or options.var_dir else None
    if warm is None:
        print("goal warm make run: not measured (target 5 s) missed")
        return 1
    verdict = "met" if warm < TARGET_SECONDS else "missed"
    print(f"goal warm make run: {warm:.2f} s (target {TARGET_SECONDS:.0f} s) {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
