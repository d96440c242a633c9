"""Tools of the API benchmarks: a lean HTTP/1.1 client, process CPU accounting, a sampler.

Nothing here knows about the product: bench/votes.py uses them to load and observe a server.
"""

from __future__ import annotations

import asyncio
import os
import socket
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _processes() -> Iterator[tuple[int, str, int, float]]:
    """(pid, name, parent pid, CPU seconds used so far) of every live process (Linux)."""
    tick = os.sysconf("SC_CLK_TCK")
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            head, tail = (entry / "stat").read_text().rsplit(")", 1)
        except OSError:
            continue
        fields = tail.split()
        cpu = (int(fields[11]) + int(fields[12])) / tick
        yield int(entry.name), head.split("(", 1)[1], int(fields[1]), cpu


def reference_loop_seconds(repeats: int = 3) -> float:
    """CPU seconds a plain loop of ten million additions takes (the best of `repeats`): a
    reference for how fast this machine runs Python right now, printed beside the figures,
    since a shared machine's speed varies from day to day."""
    best = float("inf")
    for _ in range(repeats):
        started, total = time.process_time(), 0
        for i in range(10_000_000):
            total += i
        best = min(best, time.process_time() - started)
    return best


def tree_cpu_seconds(root: int) -> float:
    """CPU seconds (user + system) used so far by a process and its descendants (Linux)."""
    parents: dict[int, int] = {}
    used: dict[int, float] = {}
    for pid, _name, parent, cpu in _processes():
        parents[pid], used[pid] = parent, cpu
    tree, grew = {root}, True
    while grew:
        more = {pid for pid, parent in parents.items() if parent in tree} - tree
        tree |= more
        grew = bool(more)
    return sum(used.get(pid, 0.0) for pid in tree)


def named_cpu_seconds(name: str) -> float:
    """CPU seconds used so far by the live processes called `name` (e.g. the local database's
    "postgres" processes; a process that ends takes its share with it)."""
    return sum(cpu for _pid, own, _parent, cpu in _processes() if own == name)


def start_sampler(path: str, interval: float = 0.002, every: float = 2.0) -> None:
    """Sample every thread's stack (cProfile sees only the main thread, not the request
    threads) and rewrite `path` every few seconds with the busiest lines and the functions
    found on most stacks (worker processes end without running atexit handlers)."""
    own: Counter[str] = Counter()
    on_stack: Counter[str] = Counter()

    def walk(frame: Any) -> None:
        own[f"{frame.f_code.co_filename}:{frame.f_lineno} {frame.f_code.co_name}"] += 1
        seen: set[str] = set()
        while frame is not None:
            code = frame.f_code
            line = f":{frame.f_lineno}" if "obcms_core" in code.co_filename else ""
            seen.add(f"{code.co_filename}{line} {code.co_name}")
            frame = frame.f_back
        on_stack.update(seen)

    def dump() -> None:
        with open(path, "w") as out:
            for title, counts in (("busiest lines", own), ("on the stack", on_stack)):
                out.write(f"== {title} (samples of every thread, idle ones included)\n")
                out.writelines(f"{n:8d} {key}\n" for key, n in counts.most_common(80))

    def sample() -> None:
        me, written = threading.get_ident(), time.monotonic()
        while True:
            time.sleep(interval)
            for thread, frame in sys._current_frames().items():
                if thread != me:
                    try:
                        walk(frame)
                    except AttributeError:  # the thread moved on while we looked
                        pass
            if time.monotonic() - written > every:
                dump()
                written = time.monotonic()

    threading.Thread(target=sample, daemon=True).start()


class Connection:
    """One keep-alive HTTP/1.1 connection speaking just enough of the protocol for JSON calls.

    httpx costs several milliseconds of CPU per request; on a two-core machine the load
    generator would then take the CPU the server is being measured on.
    """

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(self, method: str, path: str, token: str, body: bytes) -> tuple[int, bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        head = (f"{method} {path} HTTP/1.1\r\nHost: {self.host}\r\n"
                f"Authorization: Bearer {token}\r\nContent-Type: application/json\r\n"
                f"Content-Length: {len(body)}\r\n\r\n")
        self.writer.write(head.encode() + body)
        lines = (await self.reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        headers = dict(line.lower().split(": ", 1) for line in lines[1:] if ": " in line)
        payload = await self.reader.readexactly(int(headers.get("content-length", "0")))
        if headers.get("connection") == "close":
            await self.close()
        return status, payload

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.reader = self.writer = None
