"""Lists the crates compiled into oit025.exe with their licences (from `cargo metadata`)."""

import json
import subprocess

meta = json.loads(
    subprocess.run(
        ["cargo", "metadata", "--format-version", "1", "--filter-platform", "x86_64-pc-windows-gnu"],
        check=True,
        capture_output=True,
    ).stdout
)
nodes = {n["id"]: n for n in meta["resolve"]["nodes"]}
packages = {p["id"]: p for p in meta["packages"]}
root = meta["resolve"]["root"]
# Normal dependencies only: what is linked into the program, not what builds or tests it.
seen, todo = set(), [root]
while todo:
    node = nodes[todo.pop()]
    for dep in node["deps"]:
        if any(k["kind"] is None for k in dep["dep_kinds"]) and dep["pkg"] not in seen:
            seen.add(dep["pkg"])
            todo.append(dep["pkg"])
print("oit025 uses these open-source components; each keeps its own licence.")
print("oit025 ใช้ส่วนประกอบโอเพนซอร์สต่อไปนี้ แต่ละรายการมีสัญญาอนุญาตของตนเอง")
print()
print("The Sarabun fonts: SIL Open Font License 1.1 (OFL-Sarabun.txt).")
print("The Thai word list: PyThaiNLP words_th.txt, CC0-1.0.")
print()
# Crates of oit025's own workspace (crates/pdf-textlayer) have no source: they are oit025.
third = [packages[i] for i in seen if packages[i]["source"] is not None]
for p in sorted(third, key=lambda p: (p["name"], p["version"])):
    print(f'{p["name"]} {p["version"]}: {p.get("license") or "see " + (p.get("repository") or "its crate")}')
