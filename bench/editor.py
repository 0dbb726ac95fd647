#!/usr/bin/env python3
"""From a save in the browser editor to the new PDF, against a cold build, in one run.

    python3 bench/editor.py [BINARY] [ROUNDS]      (default target/release/oit025, 15 rounds)

On a copy of the bundled project: `oit025 edit --no-browser` is started, and each round saves a
change of one score through the page's API (POST /api/save: the edit written, checked, built
and the PDF written, as the Save button does) and then fetches the PDF the page shows
(GET /pdf/YEAR). The two scores alternate, so every save makes a different PDF. Between saves,
cold builds (`oit025 build` as a new process) of another copy alternate with them. Prints the
median of each and their ratio. Python's standard library only.
"""
import http.client
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
binary = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "target/release/oit025")
rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 15
year = 2569

work = tempfile.mkdtemp()
edited, cold = os.path.join(work, "edited"), os.path.join(work, "cold")
for d in (edited, cold):
    for part in ("content", "templates"):
        shutil.copytree(os.path.join(ROOT, part), os.path.join(d, part))

proc = subprocess.Popen([binary, "edit", "-C", edited, "--no-browser"],
                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
url = proc.stdout.readline().strip()
port = int(url.split(":")[2].split("/")[0])
token = url.split("t=")[1]


def call(method, path, body=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    headers = {"X-OIT025-Token": token}
    if body is not None:
        headers["Content-Type"] = "application/json"
    conn.request(method, path, body=None if body is None else json.dumps(body), headers=headers)
    r = conn.getresponse()
    data = r.read()
    conn.close()
    return r.status, data


def save(value):
    status, data = call("GET", f"/api/year/{year}")
    version = json.loads(data)["files"]["scores.yaml"]["version"]
    started = time.perf_counter()
    status, data = call("POST", "/api/save", {"year": year, "files": {"scores.yaml": {
        "version": version,
        "ops": [{"op": "set", "path": "indicators[1].current", "value": value, "plain": True}]}}})
    assert status == 200 and json.loads(data)["built"], data[:300]
    status, pdf = call("GET", f"/pdf/{year}?t={token}")
    assert status == 200 and pdf[:5] == b"%PDF-"
    return (time.perf_counter() - started) * 1000


def cold_build():
    shutil.rmtree(os.path.join(cold, "output"), ignore_errors=True)
    started = time.perf_counter()
    subprocess.run([binary, "build", "-C", cold], check=True, stderr=subprocess.DEVNULL)
    return (time.perf_counter() - started) * 1000


try:
    save("92.00")  # the first save warms the editor's session, as the page's first check does
    saves, colds = [], []
    for i in range(rounds):
        saves.append(save("92.08" if i % 2 == 0 else "92.00"))
        colds.append(cold_build())
finally:
    proc.kill()
    shutil.rmtree(work, ignore_errors=True)

s, c = statistics.median(saves), statistics.median(colds)
print(f"save -> new PDF in the page: median {s:.0f} ms (min {min(saves):.0f}, max {max(saves):.0f}), {rounds} rounds")
print(f"cold build (new process):    median {c:.0f} ms (min {min(colds):.0f}, max {max(colds):.0f})")
print(f"ratio save / cold build:     {s / c:.2f}x   (load average {os.getloadavg()[0]:.1f})")
