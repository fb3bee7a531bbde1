"""A private, throwaway real Bluesky PDS for a test session: the reference server `@atproto/pds` with its own
PLC directory (`@did-plc/server`, in-memory), both on free loopback ports (`.ci/setup_pds.sh` installs them
into `${COCREATE_VAR_DIR:-var}/pds`).

    pds = RealBluesky().start()        # a few seconds; pds.url, pds.plc_url
    account = pds.create_account()     # a fresh account: handle, did, password (an app password)
    pds.xrpc("GET", "com.atproto.repo.listRecords", params={...})
    pds.stop()                         # stops both servers by their process groups, deletes the folder

Or `with running_bluesky() as pds: ...`. Every start has a fresh data folder (the PLC forgets its DIDs when it
stops, so an old PDS database would point at DIDs nobody knows) and fresh secrets: the JWT and DPoP secrets
and the PLC rotation key (a secp256k1 private key: 32 random bytes, hex). Nothing leaves loopback: the
scripts in .ci/pds bind 127.0.0.1 only, the PDS announces no crawler and sends no e-mail.
"""

import atexit
import base64
import hashlib
import hmac
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

import httpx

REPO_DIR = Path(__file__).resolve().parents[2]
NODE = os.environ.get("NODE", "node")

START_TIMEOUT = 60.0
STOP_TIMEOUT = 10.0
START_ATTEMPTS = 3  # a free port may be taken between choosing it and the server binding it


def install_dir() -> Path:
    """Where .ci/setup_pds.sh installs the servers (the same rule as the script)."""
    var_dir = Path(os.environ.get("COCREATE_VAR_DIR", REPO_DIR / "var"))
    if not var_dir.is_absolute():
        var_dir = REPO_DIR / var_dir
    return var_dir / "pds"


def missing_requirements() -> list[str]:
    """What is absent for running a real PDS here (empty when everything is installed)."""
    missing = []
    if not shutil.which(NODE):
        missing.append(f"{NODE} (Node.js 20)")
    root = install_dir()
    modules = root / "node_modules"
    missing += [
        f"{package} in {modules}"
        for package in ("@atproto/pds", "@did-plc/server")
        if not (modules / package / "package.json").is_file()
    ]
    missing += [f"{name} in {root}" for name in ("pds.js", "plc.js", "loopback.js") if not (root / name).is_file()]
    return missing


class BlueskyStartError(RuntimeError):
    pass


@dataclass
class Account:
    handle: str
    did: str
    password: str  # an app password, what a channel is configured with
    account_password: str
    email: str


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _signal_group(process: subprocess.Popen, sig: int) -> None:
    """Signal the process group this module started the server in (its PID is the group's id)."""
    with suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, sig)


def _tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


@dataclass
class RealBluesky:
    url: str = ""
    plc_url: str = ""
    admin_password: str = ""
    jwt_secret: str = ""
    root: Path | None = None
    startup_seconds: float = 0.0
    _processes: dict[str, subprocess.Popen] = field(default_factory=dict)
    _logs: dict[str, Path] = field(default_factory=dict)
    _accounts: int = 0

    # --- start and stop ------------------------------------------------------------------------------------

    def start(self) -> "RealBluesky":
        missing = missing_requirements()
        if missing:
            raise BlueskyStartError("not installed: " + ", ".join(missing) + " (run .ci/setup_pds.sh)")
        started = time.monotonic()
        atexit.register(self.stop)
        error = None
        for _ in range(START_ATTEMPTS):
            try:
                self._start_once()
                self.startup_seconds = time.monotonic() - started
                return self
            except BlueskyStartError as problem:
                error = problem
                self.stop()
        raise error

    def _start_once(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="cocreate-pds-"))
        plc_port, pds_port = _free_port(), _free_port()
        while pds_port == plc_port:
            pds_port = _free_port()
        self.plc_url = f"http://127.0.0.1:{plc_port}"
        self.url = f"http://127.0.0.1:{pds_port}"
        self._spawn("plc", ["plc.js", str(plc_port)], {})
        self._wait_healthy("plc", f"{self.plc_url}/_health")
        self.admin_password = secrets.token_urlsafe(24)
        self.jwt_secret = secrets.token_hex(16)
        env = {
            "PDS_HOSTNAME": "localhost",
            "PDS_PORT": str(pds_port),
            "PDS_DATA_DIRECTORY": str(self.root / "data"),
            "PDS_BLOBSTORE_DISK_LOCATION": str(self.root / "blobs"),
            "PDS_BLOBSTORE_DISK_TMP_LOCATION": str(self.root / "blobs-tmp"),
            "PDS_JWT_SECRET": self.jwt_secret,
            "PDS_ADMIN_PASSWORD": self.admin_password,
            "PDS_DPOP_SECRET": secrets.token_hex(32),
            "PDS_PLC_ROTATION_KEY_K256_PRIVATE_KEY_HEX": secrets.token_hex(32),
            "PDS_DID_PLC_URL": self.plc_url,
            "PDS_INVITE_REQUIRED": "false",
            "PDS_DEV_MODE": "true",
            "PDS_CRAWLERS": "",
            "LOG_ENABLED": "false",
        }
        for name in ("data", "blobs", "blobs-tmp"):
            (self.root / name).mkdir()
        self._spawn("pds", ["pds.js", str(pds_port)], env)
        self._wait_healthy("pds", f"{self.url}/xrpc/_health")

    def _spawn(self, name: str, args: list[str], extra_env: dict[str, str]) -> None:
        env = {key: value for key, value in os.environ.items() if not key.startswith("PDS_")}
        env.update(extra_env)
        env["BIND_HOST"] = "127.0.0.1"
        log = self.root / f"{name}.log"
        self._logs[name] = log
        with log.open("wb") as out:
            # Its own session (process group): stop() ends the server and anything it started, by PID.
            self._processes[name] = subprocess.Popen(
                [NODE, *args],
                cwd=install_dir(),
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def _wait_healthy(self, name: str, url: str) -> None:
        """Until the script printed its ready line (it listens: the port was ours) and `url` answers 200."""
        process = self._processes[name]
        deadline = time.monotonic() + START_TIMEOUT
        with httpx.Client(trust_env=False, timeout=2.0) as client:
            while time.monotonic() < deadline:
                if process.poll() is not None:
                    raise BlueskyStartError(f"{name} exited with {process.returncode}:\n{_tail(self._logs[name])}")
                if f"{name} ready on " in _tail(self._logs[name], 1000):
                    try:
                        if client.get(url).status_code == 200:
                            return
                    except httpx.HTTPError:
                        pass
                time.sleep(0.1)
        raise BlueskyStartError(f"{name} did not answer {url} in {START_TIMEOUT:.0f} s:\n{_tail(self._logs[name])}")

    def stop(self) -> None:
        """SIGTERM to each server's process group (the PDS closes its database), SIGKILL if it lingers."""
        for name in ("pds", "plc"):
            process = self._processes.pop(name, None)
            if process is None:
                continue
            _signal_group(process, signal.SIGTERM)
            try:
                process.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                _signal_group(process, signal.SIGKILL)
                process.wait(timeout=STOP_TIMEOUT)
            _signal_group(process, signal.SIGKILL)  # anything the server left in its group
        if self.root is not None:
            shutil.rmtree(self.root, ignore_errors=True)
            self.root = None

    def log(self, name: str = "pds") -> str:
        path = self._logs.get(name)
        return _tail(path, 200) if path else ""

    # --- XRPC ----------------------------------------------------------------------------------------------

    def xrpc(self, method: str, nsid: str, *, token: str | None = None, **kwargs) -> httpx.Response:
        headers = kwargs.pop("headers", {})
        if token:
            headers["Authorization"] = f"Bearer {token}"
        with httpx.Client(trust_env=False, timeout=10.0) as client:
            return client.request(method, f"{self.url}/xrpc/{nsid}", headers=headers, **kwargs)

    def create_account(self, handle: str | None = None) -> Account:
        """A new account (no invite needed) and an app password for it."""
        self._accounts += 1
        handle = handle or f"u{self._accounts}-{secrets.token_hex(3)}.test"
        email = f"{handle.split('.')[0]}@example.test"
        account_password = secrets.token_urlsafe(18)
        response = self.xrpc(
            "POST",
            "com.atproto.server.createAccount",
            json={"handle": handle, "email": email, "password": account_password},
        )
        if response.status_code != 200:
            raise BlueskyStartError(f"createAccount answered {response.status_code}: {response.text[:500]}")
        created = response.json()
        response = self.xrpc(
            "POST",
            "com.atproto.server.createAppPassword",
            token=created["accessJwt"],
            json={"name": "cocreate"},
        )
        if response.status_code != 200:
            raise BlueskyStartError(f"createAppPassword answered {response.status_code}: {response.text[:500]}")
        return Account(
            handle=created["handle"],
            did=created["did"],
            password=response.json()["password"],
            account_password=account_password,
            email=email,
        )

    def expired(self, access_jwt: str) -> str:
        """The same access token, expired an hour ago: re-signed (HS256) with this server's JWT secret, as the
        PDS signs them (the key is the secret's UTF-8 bytes), so the PDS answers it with 400 ExpiredToken."""
        header, payload, _ = access_jwt.split(".")
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        now = int(time.time())
        claims.update(iat=now - 7200, exp=now - 3600)
        payload = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
        signature = hmac.new(self.jwt_secret.encode(), f"{header}.{payload}".encode(), hashlib.sha256).digest()
        return f"{header}.{payload}.{base64.urlsafe_b64encode(signature).rstrip(b'=').decode()}"

    def records(self, did: str, collection: str = "app.bsky.feed.post") -> list[dict]:
        """Every record of `collection` in the repository (listRecords, all pages)."""
        found, cursor = [], None
        while True:
            params = {"repo": did, "collection": collection, "limit": 100}
            if cursor:
                params["cursor"] = cursor
            response = self.xrpc("GET", "com.atproto.repo.listRecords", params=params)
            response.raise_for_status()
            page = response.json()
            found += page.get("records", [])
            cursor = page.get("cursor")
            if not cursor or not page.get("records"):
                return found


@contextmanager
def running_bluesky():
    """A started RealBluesky, stopped (processes and folder) on the way out."""
    pds = RealBluesky().start()
    try:
        yield pds
    finally:
        pds.stop()
