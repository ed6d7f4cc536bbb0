"""Two app servers on one database and one Redis: a save through one shows on the other at once.

Run by `.ci/two-servers`, which provides DATABASE_URL (a throw-away PostgreSQL) and CACHE_URL
(a throw-away redis-server). Migrates, imports the samples, starts two gunicorn instances on
free ports of 127.0.0.1, signs in on both, reads a program page and its department report on
the second (so that its caches hold them), saves a change of the program's year through the
first's admin form, and checks that the second's program page and department report show it.
Exits 1 with the reason on the first thing that is not so.
"""

import http.client
import http.cookiejar
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from load import wait_until_up  # noqa: E402  (the load test's: the same sign-in page answers)

HOST = "127.0.0.1"
PASSWORD = secrets.token_urlsafe(16)
PYTHON = str(ROOT / ".venv" / "bin" / "python")


def fail(message: str) -> None:
    print(f"two-servers: FAILED: {message}", file=sys.stderr, flush=True)
    raise SystemExit(1)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def environment(static_root: str) -> dict[str, str]:
    for name in ("DATABASE_URL", "CACHE_URL"):
        if not os.environ.get(name):
            fail(f"{name} is not set (run .ci/two-servers, which starts both)")
    return os.environ | {
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "two-servers-only-" + secrets.token_urlsafe(32),
        "DJANGO_ALLOWED_HOSTS": HOST,
        # Plain HTTP on the loopback: no redirect to HTTPS, cookies not marked secure.
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_SECURE_COOKIES": "0",
        "DJANGO_HSTS_SECONDS": "0",
        "DJANGO_STATIC_ROOT": static_root,
        "DJANGO_SUPERUSER_PASSWORD": PASSWORD,
    }


def manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if result.returncode:
        fail(f"manage.py {' '.join(args[:1])}: {result.stderr.strip()[-2000:]}")
    return result.stdout


class Form(HTMLParser):
    """The fields a browser would post back from the page's form of this id."""

    def __init__(self, form_id: str):
        super().__init__(convert_charrefs=True)
        self.form_id, self.inside, self.fields = form_id, False, []
        self.select = self.textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "button", "file"):
            if attrs.get("type") in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.fields.append([name, attrs.get("value", "on" if "checked" in attrs else "")])
        elif tag == "select" and name:
            self.select = name
        elif tag == "option" and self.select and "selected" in attrs:
            self.fields.append([self.select, attrs.get("value", "")])
        elif tag == "textarea" and name:
            self.textarea = [name, ""]
            self.fields.append(self.textarea)

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            if self.textarea is not None and self.textarea[1].startswith("\n"):
                self.textarea[1] = self.textarea[1][1:]  # as a browser drops it
            self.textarea = None


class Browser:
    """One signed-in user of one server: cookies kept, redirects followed."""

    def __init__(self, name: str, port: int):
        self.name, self.base = name, f"http://{HOST}:{port}"
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path: str) -> str:
        return self._open(path, None)

    def post(self, path: str, fields: list) -> str:
        token = next(c.value for c in self.jar if c.name == "csrftoken")
        data = urllib.parse.urlencode([tuple(field) for field in fields]).encode()
        headers = {"X-CSRFToken": token, "Referer": self.base + path}
        return self._open(path, urllib.request.Request(self.base + path, data, headers))

    def _open(self, path: str, request) -> str:
        try:
            with self.opener.open(request or self.base + path, timeout=60) as response:
                return response.read().decode("utf-8")
        except urllib.error.HTTPError as error:
            fail(f"{self.name} {path}: HTTP {error.code}")
        except OSError as error:
            fail(f"{self.name} {path}: {error}")

    def sign_in(self) -> None:
        self.get("/accounts/login/")
        fields = [["username", "admin"], ["password", PASSWORD], ["next", "/"]]
        html = self.post("/accounts/login/", fields)
        if "로그아웃" not in html:
            fail(f"{self.name}: sign-in as admin did not succeed")


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="budget-site-two-servers-") as scratch:
        env = environment(scratch)
        manage(env, "migrate", "--no-input", "-v0")
        manage(env, "collectstatic", "--no-input", "-v0")
        manage(env, "import_documents", *map(str, sorted(ROOT.glob("samples/*.txt"))))
        manage(env, "ensure_admin")
        ids = manage(
            env,
            "shell",
            "--no-imports",
            "-c",
            "from programs.models import ProgramYear as Y; "
            "y = Y.objects.select_related('program').order_by('pk').first(); "
            "print(y.pk, y.program_id, y.program.department_id)",
        ).split()
        year, program, department = ids[-3:]
        gunicorn = str(ROOT / ".venv" / "bin" / "gunicorn")
        ports = [free_port(), free_port()]
        command = [gunicorn, "budget_site.wsgi", "--workers", "2", "--log-level", "warning"]
        servers = [
            subprocess.Popen([*command, "--bind", f"{HOST}:{port}"], cwd=ROOT, env=env)
            for port in ports
        ]
        try:
            for port, server in zip(ports, servers, strict=True):
                wait_until_up(port, server, seconds=60)
            first, second = Browser("server 1", ports[0]), Browser("server 2", ports[1])
            first.sign_in()
            second.sign_in()
            page, report = f"/programs/{program}/", f"/reports/department/{department}/"
            marker = f"두 서버 확인 {secrets.token_hex(4)}"
            for path in (page, report):  # each worker of the second server, caches filled
                for _worker in range(4):
                    if marker in second.get(path):
                        fail(f"server 2 {path} shows the marker before the save")
            change = f"/admin/programs/programyear/{year}/change/"
            form = Form("programyear_form")
            form.feed(first.get(change))
            if not form.fields:
                fail("server 1: no admin change form for the program year")
            fields = [f for f in form.fields if f[0] not in ("delivery_method", "change_reason")]
            fields += [["delivery_method", marker], ["change_reason", "두 서버 확인"]]
            fields += [["_save", "저장"]]
            html = first.post(change, fields)
            if "errornote" in html or "errorlist" in html:
                fail("server 1: the admin form was refused")
            for path in (page, report):
                for _worker in range(4):  # whichever worker answers
                    if marker not in second.get(path):
                        fail(f"server 2 {path} does not show the change saved through server 1")
            print(
                f"two-servers: a change saved through {HOST}:{ports[0]} shows at once on "
                f"{HOST}:{ports[1]} (program page and department report); PostgreSQL and Redis "
                "shared",
                flush=True,
            )
        finally:
            for server in servers:
                server.terminate()
            for server in servers:
                try:
                    server.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    server.kill()


if __name__ == "__main__":
    main()
