"""The demo: replay publisher (or live feeds) → `marsad run` → the site, as three processes.

    marsad replay CORPUS --speed X   serves the corpus as live news sites on loopback
    marsad sources import-opml ...   follows every replayed feed (or the bundled live OPML)
    marsad run                       fetches on a schedule, stores, enriches
    marsad serve                     the site on http://127.0.0.1:PORT

Progress (articles, stories, sources stored) is printed every few seconds; ^C or SIGTERM stops
the children in reverse order, each given time to shut down cleanly before it is killed.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

import httpx

from marsad.settings import Settings
from marsad.store import open_store

LIVE_OPML = Path(__file__).parents[1] / "web" / "data" / "live.opml"
PROGRESS_EVERY = 5.0
STOP_GRACE = 10.0


@dataclass(frozen=True)
class DemoPlan:
    """What the demo runs: a corpus to replay (or an OPML to follow), speeds and ports."""

    corpus: list[Path] = field(default_factory=list)
    opml: str | None = None
    speed: float = 600.0
    web_port: int = 8000
    replay_port: int = 8765
    host: str = "127.0.0.1"


def marsad_command(*args: str) -> list[str]:
    """The argv that runs a marsad subcommand with this interpreter."""
    return [
        sys.executable,
        "-c",
        "import sys; from marsad.cli import main; sys.exit(main())",
        *args,
    ]


def child_env(settings: Settings, allow_loopback: bool) -> dict[str, str]:
    """The environment of the children: the same store, loopback allowed for the replay."""
    env = dict(os.environ, MARSAD_DB=settings.db_url, PYTHONUNBUFFERED="1")
    if allow_loopback:
        hosts = {*settings.allow_private_hosts, "127.0.0.1", "localhost"}
        env["MARSAD_ALLOW_HOSTS"] = ",".join(sorted(hosts))
        # The replay publisher's pictures are http on loopback: the CSP lets pages load
        # pictures from https and marsad only, so the demo serves them through the proxy.
        env.setdefault("MARSAD_IMAGE_PROXY", "1")
    return env


def wait_for(url: str, timeout: float = 30.0) -> bool:
    """Poll a URL until it answers 2xx, or give up after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=2.0).is_success:
                return True
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    return False


def stop(children: list[subprocess.Popen[bytes]]) -> None:
    """Stop the children newest first: SIGINT, then SIGKILL after the grace period."""
    for child in reversed(children):
        if child.poll() is None:
            child.send_signal(signal.SIGINT)
    deadline = time.monotonic() + STOP_GRACE
    for child in reversed(children):
        try:
            child.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()


def run(plan: DemoPlan, settings: Settings) -> int:
    """Start every process, print progress until interrupted or a child dies, then stop all."""
    live = plan.opml is not None
    env = child_env(settings, allow_loopback=not live)
    children: list[subprocess.Popen[bytes]] = []

    def on_term(_signum: int, _frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_term)
    try:
        opml = plan.opml if live else _start_replay(plan, env, children)
        if opml is None:
            return 1
        print(f"demo: following the feeds of {opml}", flush=True)
        subprocess.run(marsad_command("sources", "import-opml", opml), env=env, check=True)
        children.append(subprocess.Popen(marsad_command("run", *_run_options(live)), env=env))
        serve = ["serve", "--host", plan.host, "--port", str(plan.web_port)]
        children.append(subprocess.Popen(marsad_command(*serve), env=env))
        site = f"http://{plan.host}:{plan.web_port}/"
        if wait_for(site + "healthz"):
            print(f"demo: the site is on {site} (^C stops everything)", flush=True)
        return _watch(settings, children)
    except KeyboardInterrupt:
        print("\ndemo: stopping", flush=True)
        return 0
    except subprocess.CalledProcessError as exc:
        print(f"demo: {exc}", file=sys.stderr)
        return 1
    finally:
        stop(children)


def _run_options(live: bool) -> list[str]:
    """`marsad run` options: polite to real sites; quick and parallel against our own replay."""
    if live:
        return ["--interval", "300"]
    # The replay publisher is one loopback host serving every source: no politeness needed.
    return ["--interval", "10", "--delay", "0", "--per-host", "8", "--quiet"]


def _start_replay(
    plan: DemoPlan, env: dict[str, str], children: list[subprocess.Popen[bytes]]
) -> str | None:
    """Start the replay publisher; return its OPML URL once it answers, else None."""
    base = f"http://{plan.host}:{plan.replay_port}"
    args = ["replay", *map(str, plan.corpus), "--host", plan.host]
    args += ["--port", str(plan.replay_port), "--speed", f"{plan.speed:g}"]
    print(f"demo: replaying {', '.join(map(str, plan.corpus))} at {plan.speed:g}x on {base}/")
    children.append(subprocess.Popen(marsad_command(*args), env=env))
    if not wait_for(f"{base}/sources.opml"):
        print("demo: the replay publisher did not start", file=sys.stderr)
        return None
    return f"{base}/sources.opml"


def _watch(settings: Settings, children: list[subprocess.Popen[bytes]]) -> int:
    """Print store counts every few seconds until a child exits."""
    store = open_store(settings.db_url)
    try:
        while all(child.poll() is None for child in children):
            counts = store.counts()
            print(
                f"demo: {counts['articles']} articles, {counts['stories']} stories, "
                f"{counts['duplicates']} duplicates, {counts['sources']} sources",
                flush=True,
            )
            time.sleep(PROGRESS_EVERY)
    finally:
        store.close()
    failed = [c.args for c in children if c.poll() not in (None, 0)]
    if failed:
        print(f"demo: a process stopped: {failed}", file=sys.stderr)
        return 1
    return 0
