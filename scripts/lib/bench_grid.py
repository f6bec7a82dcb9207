"""Drives the console in a real terminal (tmux) for scripts/bench-grid and reads its trace.

The console writes monotonic timestamps to SPARKIFY_TRACE (see ConsoleTrace.swift); this
script sends the keys, notes when it sent them on the same clock, and prints the figures.
"""
import os
import subprocess
import sys
import time

SOCKET = f"sparkify-bench-{os.getpid()}"


def tmux(*args, check=True):
    return subprocess.run(["tmux", "-L", SOCKET, *args], check=check, capture_output=True, text=True).stdout


def screen(session):
    return tmux("capture-pane", "-p", "-t", session)


def wait_for(session, text, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if text in screen(session):
            return
        time.sleep(0.05)
    sys.exit(f"bench-grid: timed out waiting for {text!r}; the screen was:\n{screen(session)}")


def trace_lines(path):
    try:
        with open(path) as f:
            return [line.split() for line in f if line.strip()]
    except FileNotFoundError:
        return []


def peak_rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


def main():
    binary, trace, query = sys.argv[1], sys.argv[2], sys.argv[3]
    session = "bench"
    command = f"env TERM=tmux-256color SPARKIFY_TRACE={trace} {binary} --local; sleep 30"
    tmux("new-session", "-d", "-s", session, "-x", "120", "-y", "36", command)
    try:
        wait_for(session, "● connected", 120)
        shell = tmux("display-message", "-p", "-t", session, "#{pane_pid}").strip()
        pid = int(subprocess.run(["pgrep", "-P", shell], capture_output=True, text=True).stdout.split()[0])
        tmux("send-keys", "-t", session, "Tab")
        tmux("send-keys", "-t", session, "-l", query)
        time.sleep(0.3)
        tmux("send-keys", "-t", session, "F5")
        # Browse while the rows load: into the grid, then a key every 100 ms.
        time.sleep(0.05)
        tmux("send-keys", "-t", session, "Tab")
        sends = []
        deadline = time.monotonic() + 600
        while not any(line[0] == "all-rows" for line in trace_lines(trace)):
            if time.monotonic() > deadline:
                sys.exit("bench-grid: the rows never finished loading")
            sends.append(time.monotonic())
            tmux("send-keys", "-t", session, "Down" if len(sends) % 10 else "PageDown")
            time.sleep(0.1)
        # One more: the end of the result, once everything is in.
        time.sleep(0.3)
        end_sent = time.monotonic()
        tmux("send-keys", "-t", session, "G")
        time.sleep(0.5)
        # Sort the million rows by the first column (text), then search them all for a word
        # that is nowhere: both on a worker, timed from the key to the answer on screen.
        timed = {}
        for name, keys, answer in [("sort by artist (text)", ["g", "s"], "sorted by artist"),
                                   ("search, no match", ["/", "-l", "no such value anywhere", "Enter"], "no match for")]:
            start = time.monotonic()
            literal = False
            for key in keys:
                if key == "-l":
                    literal = True
                    continue
                tmux("send-keys", "-t", session, *(["-l", key] if literal else [key]))
                literal = False
            wait_for(session, answer, 120)
            timed[name] = time.monotonic() - start
        peak = peak_rss_kib(pid)
        tmux("send-keys", "-t", session, "F10")
        time.sleep(0.2)
        tmux("send-keys", "-t", session, "y")
    finally:
        tmux("kill-server", check=False)

    lines = trace_lines(trace)
    sent = float(next(line for line in lines if line[0] == "sent")[1])
    first = next(line for line in lines if line[0] == "first-screen")
    done = next(line for line in lines if line[0] == "all-rows")
    frames = [(float(line[1]), float(line[2]), line[4] == "1") for line in lines if line[0] == "key-frame"]

    def latency(sent_at):
        for read, shown, _ in frames:
            if read >= sent_at - 0.0005:
                return shown - sent_at
        return None

    during = [latency(s) for s in sends]
    during = sorted(x for x in during if x is not None)
    end = latency(end_sent)
    rows, text_bytes, stored = int(done[3]), int(done[5]), int(done[7])
    print(f"sparkify first screen   {(float(first[1]) - sent) * 1000:8.1f} ms after F5 ({first[3]} rows in the store by then)")
    print(f"sparkify all rows in    {float(done[1]) - sent:8.2f} s  ({rows:,} rows; browsable from the first screen on)")
    if during:
        median = during[len(during) // 2] * 1000
        print(f"keys while loading      {len(during)} keys: median {median:.1f} ms, worst {during[-1] * 1000:.1f} ms from send to frame")
    if end is not None:
        print(f"G (last row) after load {end * 1000:8.1f} ms from send to frame")
    for name, seconds in timed.items():
        print(f"{name:23} {seconds:8.2f} s from the key to the answer on screen (UI live meanwhile)")
    print(f"result text (COPY text) {text_bytes / 2**20:8.1f} MiB; rows kept in {stored / 2**20:.1f} MiB")
    print(f"sparkify peak RSS       {peak / 1024:8.1f} MiB = {peak * 1024 / text_bytes:.2f}x the result's text")


if __name__ == "__main__":
    main()
