"""A private, throwaway real WordPress for a test session: Debian's `wordpress` package on PHP's built-in
server, with its own MariaDB server in a temporary folder (`.ci/setup_wordpress.sh` installs the packages).

    site = RealWordPress().start()   # a few seconds; site.url, site.username, site.application_password
    site.api("GET", "/wp/v2/posts", params={"slug": "x"})
    site.stop()                      # stops both servers by their PIDs and deletes the folder

Nothing outside the temporary folder is written: no file in /etc/wordpress, no system MariaDB. Debian's
`wp-config.php` looks its settings up in /etc/wordpress/config-<host>.php, so PHP's server runs a router that
loads this session's own wp-config.php and then does what WordPress's front controller (index.php) does. The
REST API therefore answers on `/?rest_route=...` (plain permalinks); other PHP files (wp-login.php, wp-admin)
are served as they are and would look in /etc. Uploads go to the temporary folder too.

MariaDB runs with `--no-defaults` (the system's my.cnf is not read) and `--skip-networking`: only its socket in
the temporary folder reaches it. WordPress is installed and its application password made by a PHP CLI script
before the web server starts (the web installer would wait on the single-worker server).
"""

import atexit
import contextlib
import json
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

WORDPRESS_DIR = Path("/usr/share/wordpress")
MARIADBD = "/usr/sbin/mariadbd"
PHP = "php"
MARIADB_INSTALL_DB = "mariadb-install-db"
MARIADB_ADMIN = "mariadb-admin"
MARIADB = "mariadb"

START_TIMEOUT = 30.0
STOP_TIMEOUT = 10.0


def missing_requirements() -> list[str]:
    """What is absent for running a real WordPress here (empty when everything is installed)."""
    missing = []
    if not (WORDPRESS_DIR / "wp-settings.php").is_file():
        missing.append(str(WORDPRESS_DIR))
    if not os.access(MARIADBD, os.X_OK):
        missing.append(MARIADBD)
    missing += [name for name in (PHP, MARIADB_INSTALL_DB, MARIADB_ADMIN, MARIADB) if not shutil.which(name)]
    return missing


class WordPressStartError(RuntimeError):
    pass


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _scratch_parent() -> str | None:
    """tmpfs when there is room: MariaDB's first start writes some 100 MB and syncs it (seconds on a disk)."""
    shm = "/dev/shm"
    try:
        if os.access(shm, os.W_OK) and shutil.disk_usage(shm).free > 512 * 1024 * 1024:
            return shm
    except OSError:
        pass
    return None


def _php_string(value: str) -> str:
    return json.dumps(value)  # a JSON string (ASCII, escaped) is a valid PHP double-quoted string


def _tail(path: Path, lines: int = 20) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


@dataclass
class RealWordPress:
    username: str = "editor"
    display_name: str = "Editor"
    title: str = "Cocreate test blog"
    url: str = ""
    application_password: str = ""
    root: Path | None = None
    _processes: dict[str, subprocess.Popen] = field(default_factory=dict)

    # --- start ---------------------------------------------------------------------------------------------

    def start(self) -> "RealWordPress":
        missing = missing_requirements()
        if missing:
            raise WordPressStartError("not installed: " + ", ".join(missing) + " (run .ci/setup_wordpress.sh)")
        self.root = Path(tempfile.mkdtemp(prefix="cocreate-wordpress-", dir=_scratch_parent()))
        atexit.register(self.stop)
        try:
            port = _free_port()
            self.url = f"http://127.0.0.1:{port}"
            socket_path = self._start_mariadb()
            db_password = secrets.token_urlsafe(16)
            self._sql(
                socket_path,
                "CREATE DATABASE wordpress CHARACTER SET utf8mb4;"
                f"CREATE USER 'wordpress'@'localhost' IDENTIFIED BY '{db_password}';"
                "GRANT ALL PRIVILEGES ON wordpress.* TO 'wordpress'@'localhost';",
            )
            self._write_wordpress_files(socket_path, db_password)
            self._install()
            self._start_php(port)
        except BaseException:
            self.stop()
            raise
        return self

    def _start_mariadb(self) -> Path:
        data, run = self.root / "mysql", self.root / "run"
        data.mkdir()
        run.mkdir()
        user_args = []
        if os.geteuid() == 0:  # mariadbd refuses to run as root without being told which user to be
            try:
                pwd.getpwnam("mysql")
                user = "mysql"
            except KeyError:
                user = "root"
            user_args = [f"--user={user}"]
            if user == "mysql":
                os.chmod(self.root, 0o711)  # mkdtemp's 0700 would keep the mysql user out...
                for path in (data, run):
                    shutil.chown(path, "mysql", "mysql")
                    os.chmod(path, 0o700)  # ...but nobody else gets to the socket (root has no password)
        tuning = ["--innodb-buffer-pool-size=32M", "--innodb-log-file-size=8M"]
        log = self.root / "mariadb-install.log"
        with log.open("wb") as output:
            installed = subprocess.run(
                [
                    MARIADB_INSTALL_DB,
                    "--no-defaults",
                    f"--datadir={data}",
                    "--auth-root-authentication-method=normal",
                    "--skip-test-db",
                    *user_args,
                    *tuning,
                ],
                stdout=output,
                stderr=subprocess.STDOUT,
                timeout=START_TIMEOUT,
                check=False,
            )
        if installed.returncode:
            raise WordPressStartError(f"mariadb-install-db failed ({installed.returncode}):\n{_tail(log)}")

        socket_path = run / "mysqld.sock"
        error_log = run / "mariadb.log"  # run/ and mysql/ are the folders mariadbd may write to
        self._processes["mariadbd"] = subprocess.Popen(
            [
                MARIADBD,
                "--no-defaults",
                f"--datadir={data}",
                f"--socket={socket_path}",
                f"--pid-file={run / 'mysqld.pid'}",
                f"--tmpdir={run}",
                f"--log-error={error_log}",
                "--skip-networking",
                "--skip-name-resolve",
                "--innodb-flush-log-at-trx-commit=0",
                *user_args,
                *tuning,
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            ping = subprocess.run(
                [
                    MARIADB_ADMIN,
                    "--no-defaults",
                    f"--socket={socket_path}",
                    "--user=root",
                    "--connect-timeout=1",
                    "ping",
                ],
                capture_output=True,
                check=False,
            )
            if ping.returncode == 0:
                return socket_path
            if self._processes["mariadbd"].poll() is not None:
                raise WordPressStartError(f"mariadbd exited at start:\n{_tail(error_log)}")
            if time.monotonic() > deadline:
                raise WordPressStartError(f"mariadbd did not answer in {START_TIMEOUT:.0f} s:\n{_tail(error_log)}")
            time.sleep(0.05)

    def _sql(self, socket_path: Path, statements: str) -> None:
        done = subprocess.run(
            [MARIADB, "--no-defaults", f"--socket={socket_path}", "--user=root", "-e", statements],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode:
            raise WordPressStartError(f"MariaDB refused the set-up: {done.stderr.strip()}")

    def _write_wordpress_files(self, socket_path: Path, db_password: str) -> None:
        content = self.root / "wp-content"
        (content / "uploads").mkdir(parents=True)
        (content / "plugins").mkdir()
        (content / "themes").symlink_to(WORDPRESS_DIR / "wp-content" / "themes")
        keys = "".join(
            f"define({_php_string(name)}, {_php_string(secrets.token_urlsafe(48))});\n"
            for name in (
                "AUTH_KEY",
                "SECURE_AUTH_KEY",
                "LOGGED_IN_KEY",
                "NONCE_KEY",
                "AUTH_SALT",
                "SECURE_AUTH_SALT",
                "LOGGED_IN_SALT",
                "NONCE_SALT",
            )
        )
        (self.root / "wp-config.php").write_text(
            f"""<?php
define('DB_NAME', 'wordpress');
define('DB_USER', 'wordpress');
define('DB_PASSWORD', {_php_string(db_password)});
define('DB_HOST', {_php_string("localhost:" + str(socket_path))});
define('DB_CHARSET', 'utf8mb4');
define('DB_COLLATE', '');
{keys}
define('WP_HOME', {_php_string(self.url)});
define('WP_SITEURL', {_php_string(self.url)});
// Application passwords over plain http need a local environment.
define('WP_ENVIRONMENT_TYPE', 'local');
define('WP_CONTENT_DIR', {_php_string(str(content))});
define('DISABLE_WP_CRON', true);
define('WP_HTTP_BLOCK_EXTERNAL', true);
define('AUTOMATIC_UPDATER_DISABLED', true);
define('WP_AUTO_UPDATE_CORE', false);
define('WP_DEBUG', false);
$table_prefix = 'wp_';
define('ABSPATH', {_php_string(str(WORDPRESS_DIR) + "/")});
require_once ABSPATH . 'wp-settings.php';
"""
        )
        (self.root / "router.php").write_text(
            f"""<?php
// WordPress's front controller (index.php -> wp-blog-header.php) with this session's wp-config.php instead
// of Debian's, which would read /etc/wordpress. Uploads are served from this session's folder, other files
// that exist as they are.
$path = parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH) ?: '/';
if (str_starts_with($path, '/wp-content/uploads/') && !str_contains($path, '..')) {{
    $upload = {_php_string(str(self.root))} . $path;
    if (is_file($upload)) {{
        header('Content-Type: ' . (mime_content_type($upload) ?: 'application/octet-stream'));
        header('Content-Length: ' . filesize($upload));
        readfile($upload);
        return true;
    }}
}}
if ($path !== '/' && $path !== '/index.php' && is_file({_php_string(str(WORDPRESS_DIR))} . $path)) {{
    return false;
}}
define('WP_USE_THEMES', true);
require {_php_string(str(self.root / "wp-config.php"))};
wp();
require ABSPATH . WPINC . '/template-loader.php';
"""
        )

    def _install(self) -> None:
        host = self.url.removeprefix("http://")
        script = self.root / "install.php"
        script.write_text(
            f"""<?php
$_SERVER['HTTP_HOST'] = {_php_string(host)};
$_SERVER['REQUEST_URI'] = '/';
$_SERVER['REQUEST_METHOD'] = 'GET';
$_SERVER['SERVER_PROTOCOL'] = 'HTTP/1.1';
define('WP_INSTALLING', true);
require {_php_string(str(self.root / "wp-config.php"))};
require_once ABSPATH . 'wp-admin/includes/upgrade.php';
// Offline and quiet: no loopback request to try pretty permalinks, no welcome e-mail.
add_filter('pre_http_request', function () {{ return new WP_Error('offline', 'No HTTP while installing'); }});
add_filter('pre_wp_mail', '__return_false');
$installed = wp_install({_php_string(self.title)}, {_php_string(self.username)},
    {_php_string(self.username + "@example.com")}, false, '', wp_generate_password(24));
wp_update_user(['ID' => $installed['user_id'], 'display_name' => {_php_string(self.display_name)}]);
// Pretty permalinks (the router sends every path that is not a file to WordPress): /wp-json/ works, and so
// does ?rest_route=.
$wp_rewrite->set_permalink_structure('/%postname%/');
flush_rewrite_rules(false);
$created = WP_Application_Passwords::create_new_application_password($installed['user_id'], ['name' => 'cocreate']);
if (is_wp_error($created)) {{
    fwrite(STDERR, $created->get_error_message());
    exit(1);
}}
echo json_encode(['application_password' => WP_Application_Passwords::chunk_password($created[0])]);
"""
        )
        done = subprocess.run(
            [PHP, "-d", "display_errors=stderr", str(script)],
            capture_output=True,
            text=True,
            timeout=START_TIMEOUT,
            check=False,
        )
        try:
            self.application_password = json.loads(done.stdout.strip().splitlines()[-1])["application_password"]
        except (IndexError, ValueError, KeyError):
            raise WordPressStartError(
                f"installing WordPress failed ({done.returncode}):\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}"
            ) from None

    def _start_php(self, port: int) -> None:
        log = self.root / "php.log"
        env = {key: value for key, value in os.environ.items() if key != "PHP_CLI_SERVER_WORKERS"}
        with log.open("wb") as output:
            # One process (no PHP_CLI_SERVER_WORKERS: workers outlive their master), in its own group.
            self._processes["php"] = subprocess.Popen(
                [
                    PHP,
                    "-d",
                    "display_errors=0",
                    "-d",
                    "log_errors=1",
                    "-d",
                    f"error_log={self.root / 'php-errors.log'}",
                    "-d",
                    "post_max_size=64M",
                    "-d",
                    "upload_max_filesize=64M",
                    "-S",
                    f"127.0.0.1:{port}",
                    "-t",
                    str(WORDPRESS_DIR),
                    str(self.root / "router.php"),
                ],
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
                env=env,
                start_new_session=True,
            )
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            try:
                answer = httpx.get(f"{self.url}/", params={"rest_route": "/"}, timeout=2)
                if answer.status_code == 200 and answer.json().get("name") == self.title:
                    return
            except (httpx.HTTPError, ValueError):
                pass
            if self._processes["php"].poll() is not None:
                raise WordPressStartError(f"PHP's server exited at start:\n{_tail(log)}")
            if time.monotonic() > deadline:
                raise WordPressStartError(f"WordPress did not answer in {START_TIMEOUT:.0f} s:\n{_tail(log)}")
            time.sleep(0.05)

    # --- use -----------------------------------------------------------------------------------------------

    def api(self, method: str, route: str, *, auth: tuple[str, str] | None = None, **kwargs) -> httpx.Response:
        """A REST call as the site's user (or `auth`), e.g. api("GET", "/wp/v2/posts", params={...})."""
        params = {"rest_route": route, **kwargs.pop("params", {})}
        auth = auth or (self.username, self.application_password)
        return httpx.request(method, f"{self.url}/", params=params, auth=auth, timeout=10, **kwargs)

    # --- stop ----------------------------------------------------------------------------------------------

    def stop(self) -> None:
        """Stop both servers (PHP's whole process group, then MariaDB) and delete the folder. Idempotent."""
        php = self._processes.pop("php", None)
        if php is not None and php.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(php.pid, signal.SIGTERM)
            self._wait(php, group=True)
        mariadbd = self._processes.pop("mariadbd", None)
        if mariadbd is not None and mariadbd.poll() is None:
            mariadbd.terminate()
            self._wait(mariadbd, group=False)
        if self.root is not None:
            shutil.rmtree(self.root, ignore_errors=True)
            self.root = None
        atexit.unregister(self.stop)

    @staticmethod
    def _wait(process: subprocess.Popen, *, group: bool) -> None:
        try:
            process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            if group:
                os.killpg(process.pid, signal.SIGKILL)
            else:
                process.kill()
            process.wait()
