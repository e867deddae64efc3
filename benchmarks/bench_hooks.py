"""The PreToolUse hook's latency, process start to answer, beside ``python -c pass``.

A 2,000-line Python file in a scratch git repository; one recorded-shape Edit payload
of it (a clean edit, so the whole path runs: read the file, apply the edit in memory,
measure both texts, ask about reservations). Three commands, round by round
interleaved in the same run: ``python -c pass`` (the process start the hook cannot
avoid), the ``swarmops hook pre-tool-use`` console script with no coordinator (the
compliance gate alone), and the same with ``SWARMOPS_API_URL`` pointing at a local HTTP
stand-in of the gateway's ``reservations/check`` route (the network hop; the real
gateway adds its own handler time). Aim: p99 under 150 ms over the process start.
Run: ``python benchmarks/bench_hooks.py`` (``BENCH_HOOK_ROUNDS``, default 60).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROUNDS = int(os.environ.get("BENCH_HOOK_ROUNDS", "60"))
BIN = Path(sys.executable).parent


class _Gateway(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        body = json.dumps({"conflicts": []}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        return None


def scratch_repo(folder: Path) -> tuple[Path, str]:
    """A git repository holding big.py (2,000 lines: 181 functions of 11) and the payload."""
    subprocess.run(["git", "init", "-q", str(folder)], check=True)
    functions = [
        f"def f{n}(x):\n" + "".join(f"    x += {i}\n" for i in range(8)) + "    return x\n\n"
        for n in range(181)
    ]
    text = '"""Two thousand lines."""\n' + "".join(functions)
    text += "\n" * (2000 - text.count("\n"))
    (folder / "big.py").write_text(text, encoding="utf-8")
    payload = {
        "session_id": "bench",
        "transcript_path": "/dev/null",
        "cwd": str(folder),
        "permission_mode": "default",
        "hook_event_name": "PreToolUse",
        "tool_name": "Edit",
        "tool_use_id": "toolu_bench",
        "tool_input": {
            "file_path": str(folder / "big.py"),
            "old_string": "def f180(x):\n",
            "new_string": "def f180(x):  # edited\n",
            "replace_all": False,
        },
    }
    return folder / "big.py", json.dumps(payload)


def timed(command: list[str], stdin: str, env: dict[str, str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(
        command, input=stdin, capture_output=True, text=True, env=env, check=False
    )
    elapsed = time.perf_counter() - started
    if done.returncode != 0 or done.stdout.strip():
        raise SystemExit(f"{command[0]} answered {done.returncode}: {done.stdout}{done.stderr}")
    return elapsed * 1000


def line(name: str, samples: list[float], peer: list[float] | None) -> str:
    ordered = sorted(samples)
    p50, p99 = statistics.median(ordered), ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    text = f"{name:<34} p50 {p50:6.1f} ms  p99 {p99:6.1f} ms"
    if peer is not None:
        base = sorted(peer)
        over = p99 - base[min(len(base) - 1, int(len(base) * 0.99))]
        text += f"  (p99 over python -c pass: {over:+.1f} ms)"
    return text


def main() -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Gateway)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    with tempfile.TemporaryDirectory(prefix="bench-hooks-") as folder:
        big, payload = scratch_repo(Path(folder))
        base = {k: v for k, v in os.environ.items() if not k.startswith("SWARMOPS_")}
        gateway = base | {
            "SWARMOPS_AGENT": "bench",
            "SWARMOPS_TOKEN": "t",
            "SWARMOPS_API_URL": f"http://127.0.0.1:{server.server_port}",
        }
        hook = [str(BIN / "swarmops"), "hook", "pre-tool-use"]
        runs = {
            "python -c pass": ([sys.executable, "-c", "pass"], base),
            "hook pre-tool-use (gate only)": (hook, base),
            "hook pre-tool-use (gate + gateway)": (hook, gateway),
        }
        timed(hook, payload, base)  # builds the profile cache once, as a first edit would
        samples: dict[str, list[float]] = {name: [] for name in runs}
        for _ in range(ROUNDS):
            for name, (command, env) in runs.items():
                samples[name].append(timed(command, payload, env))
        lines = big.read_text(encoding="utf-8").count("\n")
    server.shutdown()
    print(f"PreToolUse hook on a {lines}-line file, {ROUNDS} rounds interleaved")
    peer = samples["python -c pass"]
    for name, values in samples.items():
        print(line(name, values, None if name == "python -c pass" else peer))


if __name__ == "__main__":
    main()
