"""The warm server, used as a user meets it: the real ``nianbao-lint`` script, a real server
process on a real Unix socket in a private folder of the test, and the same command run in its
own process (``NIANBAO_LINT_WARM=0``) as the yardstick: the same bytes on stdout and stderr and
the same exit code, in a pipe and in a terminal, from standard input, with a configuration
found from the working folder; Ctrl-C, a client killed mid-check, a folder others could enter,
a stale key, CI, the idle time and ``warm stop``."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import hostile
import pytest
from conftest import FIXTURES, wait_until
from test_cli_terminal import Terminal

from linter.warm import wire

pytestmark = pytest.mark.skipif(not wire.usable(), reason="no fork or descriptor passing on this platform")

SCRIPT = [sys.executable, "-m", "linter"]  # the script's own route: main() with no arguments
HAIDONG = FIXTURES / "seeds" / "003_72e8cc29e03ca078.txt"
REPORTS = [
    HAIDONG,
    FIXTURES / "real" / "2024_huaian-shi_1.pdf",
    FIXTURES / "real" / "2023_pingtan-guoziju_1.html",
    FIXTURES / "real" / "2024_shanghai-kewei_1.md",
    next((FIXTURES / "real").glob("*.docx")),
]


def _environment(runtime: Path) -> dict:
    runtime.mkdir(mode=0o700)
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "NIANBAO_LINT_WARM", "COLUMNS")}
    env["XDG_RUNTIME_DIR"] = str(runtime)
    return env


def _stop(env) -> None:
    subprocess.run([*SCRIPT, "warm", "stop"], env=env, capture_output=True, timeout=60)
    for pid in _server_pids(env):  # whatever did not answer
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


@pytest.fixture
def warm_env(tmp_path):
    """An environment whose warm servers live in a folder of this test; they are stopped after."""
    env = _environment(tmp_path / "run")
    yield env
    _stop(env)


@pytest.fixture(scope="module")
def served_env(tmp_path_factory):
    """One running server for the tests that only use it (each counts the checks it added)."""
    env = _environment(tmp_path_factory.mktemp("warm") / "run")
    start(env)
    yield env
    _stop(env)


def _server_pids(env) -> list[int]:
    folder = Path(env["XDG_RUNTIME_DIR"]) / "nianbao-lint"
    pids = []
    for sock_path in folder.glob("warm-*.sock") if folder.is_dir() else []:
        info = _ask(sock_path, {"op": "status"})
        if info:
            pids.append(info["pid"])
    return pids


def _ask(path, message) -> dict | None:
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.settimeout(5)
        sock.connect(str(path))
        wire.send(sock, message)
        return wire.receive(sock)[0]
    except (OSError, wire.WireError):
        return None
    finally:
        sock.close()


def served(env) -> int:
    """Checks served by the running servers of this environment."""
    folder = Path(env["XDG_RUNTIME_DIR"]) / "nianbao-lint"
    infos = [_ask(p, {"op": "status"}) for p in folder.glob("warm-*.sock")] if folder.is_dir() else []
    return sum(i["served"] for i in infos if i)


def run(args, env, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([*SCRIPT, *map(str, args)], env=env, capture_output=True, timeout=120, **kw)


def cold(env) -> dict:
    return {**env, "NIANBAO_LINT_WARM": "0"}


def start(env) -> None:
    done = run(["warm", "start"], env)
    assert done.returncode == 0, done.stderr.decode()
    assert "已就绪" in done.stdout.decode()


def _spare(env) -> int:
    """The pid of the server's spare once it says it is ready (the server forks it when no check runs)."""
    (path,) = (Path(env["XDG_RUNTIME_DIR"]) / "nianbao-lint").glob("warm-*.sock")
    found = []
    assert wait_until(lambda: found.append((_ask(path, {"op": "status"}) or {}).get("spare")) or found[-1], 60)
    return found[-1]


def _kill(pid: int) -> None:
    os.kill(pid, signal.SIGKILL)
    assert wait_until(
        lambda: not Path(f"/proc/{pid}").exists() or "Z" in Path(f"/proc/{pid}/stat").read_text().split()[2]
    )


def test_a_spare_that_dies_unused_is_forked_again_only_after_a_check(served_env):
    (server,) = _server_pids(served_env)
    _kill(_spare(served_env))
    time.sleep(1.5)
    assert _children(server) == []  # reaped, and no new one (a spare that keeps dying would spin)
    warm = run(["check", "--format", "json", HAIDONG], served_env)
    alone = run(["check", "--format", "json", HAIDONG], cold(served_env))
    assert (warm.returncode, warm.stdout) == (alone.returncode, alone.stdout)
    assert _spare(served_env) in _children(server)


def test_warm_run_prints_the_same_bytes_and_exit_code(served_env):
    """Each case twice: by the spare the server readied, and by a fork (its spare killed first)."""
    before = served(served_env)
    cases = [("json", r) for r in REPORTS] + [("console", REPORTS[0]), ("concise", REPORTS[1]), ("sarif", REPORTS[4])]
    for form, report in cases:
        alone = run(["check", "--format", form, report], cold(served_env))
        for by_spare in (True, False):
            spare = _spare(served_env)
            if not by_spare:
                _kill(spare)
            warm = run(["check", "--format", form, report], served_env)
            assert (warm.returncode, warm.stdout, warm.stderr) == (alone.returncode, alone.stdout, alone.stderr), report
    assert served(served_env) == before + 2 * len(cases)  # every one went through the server


def test_the_client_of_a_warm_check_imports_only_built_in_modules(served_env):
    """The client's own start is every warm check's: beyond the interpreter it loads the script,
    the wire and modules written in C (no json, re, enum, functools, typing: about 15 ms)."""
    before = served(served_env)
    code = (  # the modules counted where the client ends (it ends at once: linter.warm.leave)
        "import sys; base = set(sys.modules); from linter import cli, warm\n"
        "def leave(rc):\n"
        "    new = sorted(set(sys.modules) - base); print(rc, *new, file=sys.stderr)\n"
        "    c = [m for m in new if not m.startswith('linter') and m not in sys.builtin_module_names\n"
        "         and not getattr(sys.modules[m], '__file__', '').endswith('.so')]; print(*c, file=sys.stderr)\n"
        "    sys.exit(rc)\n"
        "warm.leave = leave; cli.main()"
    )
    argv = [sys.executable, "-c", code, "check", "--format", "json", str(HAIDONG)]
    done = subprocess.run(argv, env=served_env, capture_output=True, timeout=120, cwd=FIXTURES)
    rc, *new = done.stderr.decode().splitlines()[0].split()
    python_modules = done.stderr.decode().splitlines()[1].split()
    assert rc == "1" and json.loads(done.stdout) and served(served_env) == before + 1  # checked by the server
    assert {"linter.cli", "linter.warm.wire"} <= set(new) and "linter.models" not in new, new
    assert set(python_modules) <= {"__future__", "struct"}, python_modules  # each a few lines over a C module


def test_the_next_spare_is_forked_when_a_check_ends_not_at_the_loops_next_turn(served_env):
    """Checks a second apart or closer (a pre-commit hook's files) each find a spare ready: the
    end of a check wakes the server, which forks the next spare then, not at its loop's next
    turn (up to a second later, by when the next check was served by a plain fork)."""
    (server,) = _server_pids(served_env)
    spare = _spare(served_env)
    assert run(["check", "--format", "json", HAIDONG], served_env).returncode == 1  # the spare ran it
    assert wait_until(lambda: [p for p in _children(server) if p != spare], 0.6)


def test_the_spare_serves_the_next_check_and_another_is_readied(served_env):
    (server,) = _server_pids(served_env)
    spare = _spare(served_env)
    proc = _blocked_check(served_env)
    assert wait_until(lambda: _reading_stdin(spare, proc))  # the spare, not a new fork, runs it
    assert _running(served_env) == 1
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130 and "已中断".encode() in err
    after = _spare(served_env)
    assert after != spare and after in _children(server)
    assert not Path(f"/proc/{spare}").exists() or spare not in _children(server)  # reaped


def test_a_pdf_that_exhausts_memory_is_read_in_the_isolated_reader(served_env, tmp_path):
    """The checker forks its PDF reader under the memory limit as a process of its own does
    (it runs no thread that would keep it from forking)."""
    (tmp_path / "fanout.pdf").write_bytes(hostile.fanout_pdf())  # 10**6 text objects in PDFium
    (tmp_path / ".nianbao-lint.toml").write_text("[limits]\nmax_seconds = 60\nmax_memory_mb = 300\n")
    before = served(served_env)
    warm = run(["check", "--format", "json", "fanout.pdf"], served_env, cwd=tmp_path)
    alone = run(["check", "--format", "json", "fanout.pdf"], cold(served_env), cwd=tmp_path)
    assert (warm.returncode, warm.stdout, warm.stderr) == (alone.returncode, alone.stdout, alone.stderr)
    assert warm.returncode == 2 and "内存上限" in warm.stderr.decode()
    assert served(served_env) == before + 1


def test_standard_input_working_folder_configuration_and_output_file(served_env, tmp_path):
    before = served(served_env)
    project = tmp_path / "project"
    (project / "reports").mkdir(parents=True)
    (project / "reports" / "r.txt").write_bytes(HAIDONG.read_bytes())
    (project / ".nianbao-lint.toml").write_text('ignore = ["SEC001"]\n', encoding="utf-8")
    outputs = []
    for env in (served_env, cold(served_env)):
        piped = run(
            ["check", "--format", "json", "-", "--stdin-filename", "reports/r.txt"],
            env,
            cwd=project,
            input=HAIDONG.read_bytes(),
        )
        written = run(["check", "--format", "json", "-o", "out.json", "reports/r.txt"], env, cwd=project)
        out = project / "out.json"
        outputs.append((piped.returncode, piped.stdout, written.returncode, out.read_bytes(), out.stat().st_mode))
        out.unlink()
    assert outputs[0] == outputs[1]
    rules = {f["rule"] for f in json.loads(outputs[0][1])}
    assert "SEC001" not in rules and "TBL002" in rules  # the project's configuration was found
    assert served(served_env) == before + 2


def test_usage_errors_and_missing_files_are_reported_the_same(served_env):
    before = served(served_env)
    for args in (["check", "--select", "NOPE999", HAIDONG], ["check", "/no/such/report.txt"], [HAIDONG, "--bogus"]):
        warm, alone = run(args, served_env), run(args, cold(served_env))
        assert (warm.returncode, warm.stdout, warm.stderr) == (alone.returncode, alone.stdout, alone.stderr), args
        assert warm.returncode == 2
    assert served(served_env) == before + 3  # the server's checker said so, as the script would


def test_in_a_terminal_the_layout_follows_its_width(served_env):
    before = served(served_env)
    texts = []
    for env in (served_env, cold(served_env)):
        term = Terminal(["check", HAIDONG], columns=80, env=env)
        assert term.finish() == 1
        texts.append(term.text())
    assert texts[0] == texts[1]
    assert "错误 SEC001 missing-section" in texts[0]
    assert served(served_env) == before + 1


def _blocked_check(env) -> subprocess.Popen:
    """A check reading a report from a standard input that never ends."""
    return subprocess.Popen(
        [*SCRIPT, "check", "-"], env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )


def _running(env) -> int:
    folder = Path(env["XDG_RUNTIME_DIR"]) / "nianbao-lint"
    infos = [_ask(p, {"op": "status"}) for p in folder.glob("warm-*.sock")]
    return sum(i["running"] for i in infos if i)


def _reading_stdin(pid: int, proc: subprocess.Popen | None = None) -> bool:
    """Whether the process waits in a read of its (piped) standard input: with ``proc``, the
    pipe that is that client's standard input (a spare also waits on pipes, for its reader)."""
    try:
        if proc is not None:
            pipe = f"pipe:[{os.fstat(proc.stdin.fileno()).st_ino}]"
            if os.readlink(f"/proc/{pid}/fd/0") != pipe:
                return False
        return "pipe_read" in Path(f"/proc/{pid}/wchan").read_text()  # pipe_read, anon_pipe_read
    except OSError:
        return False


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


@pytest.mark.skipif(not Path("/proc/self/wchan").exists(), reason="needs /proc to see where a process waits")
def test_ctrl_c_reaches_the_check_and_a_killed_client_ends_it(served_env):
    before = served(served_env)
    (server,) = _server_pids(served_env)
    results = []
    for env in (served_env, cold(served_env)):
        proc = _blocked_check(env)
        if env is served_env:  # the checking process the server forked waits on the client's pipe
            assert wait_until(lambda p=proc: any(_reading_stdin(child, p) for child in _children(server)))
        else:
            assert wait_until(lambda pid=proc.pid: _reading_stdin(pid))
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=60)
        results.append((proc.returncode, out, err))
    assert results[0] == results[1]
    assert results[0][0] == 130 and "已中断".encode() in results[0][2]
    assert wait_until(lambda: _running(served_env) == 0)
    proc = _blocked_check(served_env)
    assert wait_until(lambda: any(_reading_stdin(child, proc) for child in _children(server)))
    proc.kill()
    proc.wait(10)
    assert wait_until(lambda: _running(served_env) == 0)  # nobody waits for that check: it ended
    assert served(served_env) == before + 2


def test_the_first_run_starts_a_server_and_the_next_uses_it(warm_env):
    first = run(["check", "--format", "json", HAIDONG], warm_env)
    assert first.returncode == 1
    assert wait_until(lambda: bool(_server_pids(warm_env)))
    second = run(["check", "--format", "json", HAIDONG], warm_env)
    assert (second.returncode, second.stdout, second.stderr) == (first.returncode, first.stdout, first.stderr)
    assert served(warm_env) == 1
    status = run(["warm", "status"], warm_env).stdout.decode()
    assert "处理 1 次检查" in status and "当前安装的代码" in status
    assert run(["warm", "stop"], warm_env).stdout.decode().startswith("已停止 1 个")
    assert wait_until(lambda: not list((Path(warm_env["XDG_RUNTIME_DIR"]) / "nianbao-lint").glob("*.sock")))


def test_no_server_under_ci_or_when_turned_off(warm_env):
    for env in ({**warm_env, "CI": "true"}, cold(warm_env)):
        assert run(["check", "--format", "json", HAIDONG], env).returncode == 1
    time.sleep(1.0)
    assert _server_pids(warm_env) == []
    start({**warm_env, "CI": "true"})  # asked for in so many words: started under CI too
    assert len(_server_pids(warm_env)) == 1


def test_a_folder_others_can_enter_is_not_used(warm_env):
    folder = Path(warm_env["XDG_RUNTIME_DIR"]) / "nianbao-lint"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    assert run(["warm", "start"], warm_env).returncode == 2
    done = run(["check", "--format", "json", HAIDONG], warm_env)
    assert done.returncode == 1 and json.loads(done.stdout)
    time.sleep(1.0)
    assert list(folder.iterdir()) == []  # no socket, no lock: the run was done in its own process


def test_a_server_for_other_code_does_not_start(warm_env):
    env = {**warm_env}
    done = subprocess.run(
        [sys.executable, "-m", "linter.warm.server", "0000000000000000"], env=env, cwd="/", timeout=60
    )
    assert done.returncode == 1
    assert not list((Path(env["XDG_RUNTIME_DIR"]) / "nianbao-lint").glob("*.sock"))


def test_an_idle_server_exits_on_its_own(warm_env):
    env = {**warm_env, "NIANBAO_LINT_WARM_IDLE": "1"}
    start(env)
    folder = Path(env["XDG_RUNTIME_DIR"]) / "nianbao-lint"
    assert wait_until(lambda: not list(folder.glob("*.sock")), 30)


def test_a_message_from_another_program_is_refused(served_env):
    before = served(served_env)
    path = next((Path(served_env["XDG_RUNTIME_DIR"]) / "nianbao-lint").glob("warm-*.sock"))
    assert _ask(path, {"argv": ["check", str(HAIDONG)]}) == {"refused": "key"}
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.connect(str(path))
    sock.sendall(b"\xff\xff\xff\xffnot json")
    sock.close()
    assert _ask(path, {"op": "status"})["served"] == before  # still serving, nothing run


def test_a_server_that_cannot_start_is_not_tried_on_every_run(warm_env):
    ident = subprocess.run(
        [sys.executable, "-c", "from linter.warm import wire; print(wire.key())"],
        env=warm_env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    folder = Path(warm_env["XDG_RUNTIME_DIR"]) / "nianbao-lint"
    folder.mkdir(mode=0o700)
    (folder / f"warm-{ident}.sock").mkdir()  # something in the socket's place: it cannot listen
    done = run(["warm", "start"], warm_env)
    assert done.returncode == 2 and "未能启动" in done.stderr.decode()
    failed = folder / f"warm-{ident}.failed"
    assert failed.exists()
    stamp = failed.stat().st_mtime_ns
    checked = run(["check", "--format", "json", HAIDONG], warm_env)
    assert checked.returncode == 1 and json.loads(checked.stdout)  # checked in its own process
    time.sleep(1.0)
    assert failed.stat().st_mtime_ns == stamp and _server_pids(warm_env) == []  # no new attempt


def test_the_warm_up_samples_exercise_each_reader_and_its_tables(tmp_path):
    from linter.load import load
    from linter.warm import samples

    report = samples.write(str(tmp_path))
    assert load(report).blocks
    read = {Path(p).suffix: load(p) for p in samples.others(str(tmp_path))}
    assert set(read) == {".html", ".docx", ".pdf"}
    for suffix, doc in read.items():
        assert not doc.problems, suffix
        assert sum(b.kind == "table" for b in doc.blocks) == 1, suffix  # the ruled table was found


def test_a_check_after_the_warm_up_imports_nothing_more(tmp_path):
    """A module a check imports that the server did not costs every warm check its import
    (a web page without tables as text looks at its pictures: 4 ms)."""
    code = (
        "import contextlib, io, os, sys; os.environ['NIANBAO_LINT_WARM'] = '0'\n"
        "from linter.warm import warmup; from linter.cli import main\n"
        "warmup.warm_up(sys.argv[1]); base = set(sys.modules)\n"
        "for path in sys.argv[2:]:\n"
        "    with contextlib.redirect_stdout(io.StringIO()):\n"
        "        try: main(['check', '--format', 'json', path])\n"
        "        except SystemExit: pass\n"
        "print(*sorted(set(sys.modules) - base))"
    )
    argv = [sys.executable, "-c", code, str(tmp_path), *map(str, REPORTS)]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [], done.stdout
