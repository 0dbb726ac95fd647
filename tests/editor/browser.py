"""Drives `oit025 edit` in a real browser (Playwright with the system's Chromium), as a person at an
agency would: by the fields' labels, the buttons' names and the keyboard. Run by
tests/testsuite/browser.rs, one scenario a test:

    python3 tests/editor/browser.py SCENARIO OIT025_BINARY PROJECT_DIR [SCREENSHOT]

A scenario raises (and the script exits non-zero) on the first thing that is not as a user
expects. The project folder is the test's own; the binary serves it on a free port. With
OIT025_EDITOR_URL set, a scenario drives the editor already serving PROJECT_DIR at that address
instead (windows/test.sh: the Windows exe started under wine with no arguments, as a double-click
starts it), and OIT025_BINARY is not run.
"""
import contextlib
import http.client
import json
import os
import re
import subprocess
import sys
import time

import yaml
from playwright.sync_api import expect, sync_playwright

CHROMIUM = os.environ.get("OIT025_CHROMIUM", "/usr/bin/chromium")
HERE = os.path.dirname(os.path.abspath(__file__))
THAI = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")


def th(n):
    return str(n).translate(THAI)


class Editor:
    """`oit025 edit` on a free port; its first line of output is the address with the secret.
    With OIT025_EDITOR_URL set, the editor serving at that address, started by the caller."""

    def __init__(self, binary, root, args=()):
        self.proc = None
        self.url = os.environ.get("OIT025_EDITOR_URL", "").strip()
        if not self.url:
            self.proc = subprocess.Popen(
                [binary, "edit", "-C", root, "--no-browser", *args],
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            self.url = self.proc.stdout.readline().strip()
        assert self.url.startswith("http://127.0.0.1:"), f"first line is not the address: {self.url!r}"
        m = re.match(r"http://127\.0\.0\.1:(\d+)/\?t=([0-9a-f]+)", self.url)
        self.port, self.token = int(m.group(1)), m.group(2)

    def close(self):
        if self.proc:
            self.proc.kill()
            self.proc.wait()

    def request(self, method, path, body=None, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        conn.request(method, path, body=body, headers=headers or {})
        r = conn.getresponse()
        data = r.read()
        conn.close()
        return r.status, data


def browser(p):
    return p.chromium.launch(executable_path=CHROMIUM, args=[
        "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-default-apps", "--no-first-run"])


@contextlib.contextmanager
def in_browser(binary, root, at="", bypass_csp=False):
    """The editor of `root` and a Chromium page on it at `at` (`#2569`): every scenario's setting.
    A script error in the page fails the scenario; so does anything the scenario asserts, and then
    the page as it was is saved where OIT025_BROWSER_FAILSHOT says, for whoever reads the failure.
    With `bypass_csp`, axe-core can be put into the page (its policy refuses scripts not its own)."""
    editor = Editor(binary, root)
    errors = []
    try:
        with sync_playwright() as p:
            b = browser(p)
            page = b.new_page(viewport={"width": 1400, "height": 1000}, bypass_csp=bypass_csp)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(editor.url + at)
            try:
                yield editor, page
            except BaseException:
                failshot = os.environ.get("OIT025_BROWSER_FAILSHOT")
                if failshot:
                    page.screenshot(path=failshot, full_page=True)
                raise
            b.close()
    finally:
        editor.close()
    assert not errors, errors


def tab(page, name):
    page.get_by_role("tab", name=re.compile(re.escape(name))).click()
    return page.get_by_role("tabpanel", name=re.compile(re.escape(name)))


def save(page):
    page.get_by_role("button", name=re.compile("^บันทึก")).click()
    expect(page.locator("#status")).to_contain_text(re.compile("บันทึกแล้ว|ไม่ได้บันทึก|บันทึกไม่ได้"), timeout=60000)


def wait_checked(page):
    # A check runs after a pause in typing; the count line is redrawn when it answers.
    page.wait_for_timeout(1500)


def read_yaml(root, year, name):
    with open(os.path.join(root, "content", str(year), name), encoding="utf-8") as f:
        return yaml.safe_load(f)


def text_of(root, year, name):
    with open(os.path.join(root, "content", str(year), name), encoding="utf-8") as f:
        return f.read()


def run_cli(binary, root, *args):
    return subprocess.run([binary, *args, "-C", root], capture_output=True, text=True)


# ------------------------------------------------------------------------------- scenarios

def new_agency(binary, root, shot):
    """From `init` to a report that checks and builds, with the browser only."""
    with in_browser(binary, root) as (editor, page):
        year = 2570
        page.get_by_role("link", name=re.compile(f"ปีงบประมาณ {th(year)}")).click()
        expect(page.locator("#progress")).to_contain_text("ยังต้องกรอก", timeout=30000)
        assert "ยังต้องกรอก ๙๘ ช่อง" in page.locator("#progress").inner_text(), page.locator("#progress").inner_text()

        panel = tab(page, "หน่วยงาน")
        panel.get_by_label("ตำแหน่งหัวหน้าหน่วยงาน", exact=True).fill("นายกองค์การบริหารส่วนตำบลหนองบัว")
        panel.get_by_label("กลุ่มหน่วยงาน", exact=True).fill("องค์กรปกครองส่วนท้องถิ่น")
        panel.get_by_label("หน่วยงานที่จัดทำเอกสาร", exact=True).fill("สำนักปลัด")
        panel.get_by_label(f"รหัสหน่วยงาน แถวที่ {th(1)}", exact=True).fill("สำนักปลัด")
        panel.get_by_label(f"ชื่อเต็มของหน่วยงาน แถวที่ {th(1)}", exact=True).fill("สำนักปลัด อบต.หนองบัว")
        panel.get_by_role("button", name=re.compile("^เพิ่มแถว หน่วยงานภายใน")).click()
        panel.get_by_label(f"รหัสหน่วยงาน แถวที่ {th(2)}", exact=True).fill("กองคลัง")
        panel.get_by_label(f"ชื่อเต็มของหน่วยงาน แถวที่ {th(2)}", exact=True).fill("กองคลัง อบต.หนองบัว")
        panel.get_by_label(f"ย่อหน้า {th(1)}", exact=True).fill(
            "องค์การบริหารส่วนตำบลหนองบัวนำผลการประเมิน ITA ปี ๒๕๖๙ มาวิเคราะห์เพื่อปรับปรุงการทำงาน")
        panel.get_by_label(f"ข้อแนวทางการกำกับติดตาม {th(1)}", exact=True).fill("ติดตามผลการดำเนินการตามมาตรการทุกไตรมาส")
        panel.get_by_label("กำหนดส่งรายงาน", exact=True).fill("2027-10-15")

        panel = tab(page, "คะแนน")
        panel.get_by_label("จำนวนหน่วยงานที่เข้าร่วม", exact=True).fill("8317")
        panel.get_by_label("จำนวนหน่วยงานในกลุ่ม", exact=True).fill("7850")
        panel.get_by_label("ลำดับในกลุ่ม", exact=True).fill("1204")
        indicators = "\n".join(f"{80 + i}.25\t{85 + i}.50" for i in range(10))
        paste(page, panel.get_by_label(f"คะแนนปีที่เปรียบเทียบ แถวที่ {th(1)}", exact=True), indicators)
        panel.get_by_label("EIT ส่วนที่ ๑ (Public)", exact=True).fill("88.40")
        panel.get_by_label("EIT ส่วนที่ ๒ (Survey)", exact=True).fill("90.10")
        rows = [f"{91 + (i % 7) * 1.1:.2f}\t\t" for i in range(15)]
        rows += [f"\t{87 + i:.2f}\t{89 + i * 0.5:.2f}" for i in range(9)]
        paste(page, panel.get_by_label(f"คะแนน แถวที่ {th(1)}", exact=True), "\n".join(rows))

        # A bad score is shown at its field, in the CLI's words, and not dropped.
        cell = panel.get_by_label(f"คะแนนปีที่ประเมิน แถวที่ {th(3)}", exact=True)
        cell.fill("9x.5")
        wait_checked(page)
        expect(cell).to_have_attribute("aria-invalid", "true", timeout=10000)
        problem = cell.locator("xpath=ancestor::td[1]").locator(".problem")
        expect(problem).to_be_visible()
        # Saved as typed, never dropped: the file holds it and the page still shows why.
        save(page)
        assert read_yaml(root, year, "scores.yaml")["indicators"][2]["current"] == "9x.5"
        panel = tab(page, "คะแนน")
        cell = panel.get_by_label(f"คะแนนปีที่ประเมิน แถวที่ {th(3)}", exact=True)
        expect(cell).to_have_value("9x.5")
        expect(cell).to_have_attribute("aria-invalid", "true", timeout=10000)
        cell.fill("87.50")

        panel = tab(page, "มาตรการ")
        panel.get_by_label("หน่วยงานประสานงาน", exact=True).first.fill("สำนักปลัด")
        first = panel.get_by_role("group", name=f"มาตรการ {th(1)}", exact=True)
        fill_measure(first, "M1", "มาตรการเปิดเผยข้อมูลการจัดซื้อจัดจ้าง", "สำนักปลัด")
        panel.get_by_role("button", name=re.compile("^เพิ่ม มาตรการ")).click()
        fill_measure(panel.get_by_role("group", name=f"มาตรการ {th(2)}", exact=True), "M2",
                     "มาตรการสร้างการรับรู้ช่องทางร้องเรียน", "กองคลัง")
        panel.get_by_role("button", name=re.compile("^เพิ่ม มาตรการ")).click()
        fill_measure(panel.get_by_role("group", name=f"มาตรการ {th(3)}", exact=True), "M3", "มาตรการที่จะลบ", "กองคลัง")
        panel.get_by_role("button", name=f"ลบ มาตรการ {th(3)} / remove").click()

        panel = tab(page, "ผลการวิเคราะห์")
        for i in range(10):
            group = panel.get_by_role("group", name=f"การวิเคราะห์รายตัวชี้วัด {th(i + 1)}", exact=True)
            group.get_by_label(f"ผลการวิเคราะห์ {th(1)}", exact=True).fill(
                f"ตัวชี้วัดที่ {th(i + 1)} ได้คะแนนเพิ่มขึ้นจากปีก่อน ควรรักษามาตรฐาน")
            group.get_by_label(f"มาตรการที่เกี่ยวข้อง {th(1)}", exact=True).fill("M1" if i % 2 == 0 else "M2")

        panel = tab(page, "ข้อเสนอแนะ")
        for i, (ind, text) in enumerate([("1", "ควรสื่อสารแนวทางป้องกันผลประโยชน์ทับซ้อน"),
                                         ("6", "ควรปรับปรุงคุณภาพการให้บริการ"),
                                         ("9", "ควรเผยแพร่ข้อมูลให้ครบถ้วน")]):
            group = panel.get_by_role("group", name=f"ข้อเสนอแนะรายแบบวัด {th(i + 1)}", exact=True)
            group.get_by_label(f"ตัวชี้วัดที่กล่าวถึง {th(1)}", exact=True).fill(ind)
            group.get_by_label(f"ข้อความข้อเสนอแนะ {th(1)}", exact=True).fill(text)

        save(page)
        # Questions that section 5 prints need their text: each problem in the list jumps to
        # the field to fill (an optional field the file left out).
        missing = page.locator("#problems button", has_text="ยังไม่มีข้อความ")
        assert missing.count() > 0, "the scores were meant to put questions below 90"
        while missing.count():
            missing.first.click()
            focused = page.locator(":focus")
            assert focused.get_attribute("data-path").endswith(".text"), focused.get_attribute("data-path")
            focused.fill("ข้อความข้อคำถามตามคู่มือการประเมิน ITA ของสำนักงาน ป.ป.ช.")
            wait_checked(page)
        save(page)
        expect(page.locator("#status")).to_contain_text("สร้าง PDF แล้ว", timeout=60000)
        progress = page.locator("#progress").inner_text()
        assert "ยังต้องกรอก ๐ ช่อง" in progress and "ข้อผิดพลาด ๐" in progress, progress
        check = run_cli(binary, root, "check")
        assert check.returncode == 0, check.stderr
        pdf = os.path.join(root, "output", str(year), f"oit025-{year}.pdf")
        assert os.path.getsize(pdf) > 10000
        status, body = editor.request("GET", f"/pdf/{year}?t={editor.token}")
        assert status == 200 and body[:5] == b"%PDF-", status
        measures = read_yaml(root, year, "measures.yaml")["measures"]
        assert [m["id"] for m in measures] == ["M1", "M2"], measures
        scores = read_yaml(root, year, "scores.yaml")
        assert scores["indicators"][9]["current"] == 94.5, scores["indicators"][9]
        assert scores["questions"][15]["public"] == 87.0, scores["questions"][15]
        if shot:
            page.get_by_role("tab", name=re.compile("มาตรการ")).click()
            page.wait_for_timeout(1500)
            page.screenshot(path=shot)


def fill_measure(group, mid, title, unit):
    group.get_by_label("รหัสมาตรการ", exact=True).fill(mid)
    group.get_by_label("ชื่อมาตรการ", exact=True).fill(title)
    steps = group.get_by_label(f"ขั้นตอนการดำเนินการ {th(1)}", exact=True)
    if steps.count() == 0:
        group.get_by_role("button", name=re.compile("^เพิ่ม ขั้นตอนการดำเนินการ")).click()
    group.get_by_label(f"ขั้นตอนการดำเนินการ {th(1)}", exact=True).fill("จัดทำแผนและประกาศให้ทราบทั่วกัน")
    group.get_by_label("ช่วงเวลาดำเนินการ", exact=True).fill("ตลอดปีงบประมาณ พ.ศ. ๒๕๗๐")
    units = group.get_by_label(f"หน่วยงานผู้ดำเนินการ {th(1)}", exact=True)
    if units.count() == 0:
        group.get_by_role("button", name=re.compile("^เพิ่ม หน่วยงานผู้ดำเนินการ")).click()
    group.get_by_label(f"หน่วยงานผู้ดำเนินการ {th(1)}", exact=True).fill(unit)


def paste(page, cell, text):
    """A block as a spreadsheet puts it on the clipboard: rows of tab-separated cells."""
    cell.focus()
    cell.evaluate(
        """(el, text) => {
            const data = new DataTransfer();
            data.setData('text/plain', text);
            el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
        }""", text)


def diff_only(binary, root, shot):
    """A save changes only the lines of the values edited: comments, quoting, order stay."""
    year = 2569
    before = {n: text_of(root, year, n) for n in ("measures.yaml", "scores.yaml", "agency.yaml")}
    with in_browser(binary, root, f"#{year}") as (editor, page):
        expect(page.locator("#progress")).to_contain_text("ข้อผิดพลาด", timeout=30000)
        panel = tab(page, "หน่วยงาน")
        hostile = 'ศูนย์: "ทดสอบ" #1 <b>ตัวหนา</b> \u202eกลับ\u202c & *x'
        panel.get_by_label("ตำแหน่งหัวหน้าหน่วยงาน", exact=True).fill(hostile)
        panel = tab(page, "คะแนน")
        panel.get_by_label(f"คะแนนปีที่ประเมิน แถวที่ {th(2)}", exact=True).fill("92.50")
        save(page)
        expect(page.get_by_label("ตำแหน่งหัวหน้าหน่วยงาน", exact=True)).to_have_value(hostile)
    after = {n: text_of(root, year, n) for n in before}
    assert after["measures.yaml"] == before["measures.yaml"]
    for name, edited in (("scores.yaml", "92.50"), ("agency.yaml", None)):
        old, new = before[name].split("\n"), after[name].split("\n")
        assert len(old) == len(new), name
        changed = [(a, b) for a, b in zip(old, new) if a != b]
        assert len(changed) == 1, (name, changed)
        if edited:
            assert edited in changed[0][1], changed
    assert read_yaml(root, year, "agency.yaml")["agency"]["head"] == hostile


def conflict(binary, root, shot):
    """A file changed on disk after the page read it is not overwritten; the page offers to reload."""
    year = 2569
    with in_browser(binary, root, f"#{year}") as (editor, page):
        expect(page.locator("#progress")).to_contain_text("ข้อผิดพลาด", timeout=30000)
        panel = tab(page, "หน่วยงาน")
        panel.get_by_label("ตำแหน่งหัวหน้าหน่วยงาน", exact=True).fill("ตำแหน่งจากเบราว์เซอร์")
        path = os.path.join(root, "content", str(year), "agency.yaml")
        disk = text_of(root, year, "agency.yaml").replace("group:", "group:  ", 1)
        with open(path, "w", encoding="utf-8") as f:
            f.write(disk)
        save(page)
        expect(page.get_by_role("alert")).to_contain_text("ถูกแก้ไขจากที่อื่น")
        assert text_of(root, year, "agency.yaml") == disk, "the edit made on disk was overwritten"
        page.get_by_role("button", name=re.compile("^โหลดใหม่")).click()
        expect(page.get_by_label("ตำแหน่งหัวหน้าหน่วยงาน", exact=True)).not_to_have_value("ตำแหน่งจากเบราว์เซอร์")


def sealed(binary, root, shot):
    """Publish writes the site; archive asks first; a sealed year opens read-only and refuses writes."""
    year = 2569
    with in_browser(binary, root, f"#{year}") as (editor, page):
        expect(page.locator("#progress")).to_contain_text("ข้อผิดพลาด", timeout=30000)
        page.get_by_role("button", name=re.compile("^เผยแพร่")).click()
        expect(page.locator("#status")).to_contain_text("เสร็จแล้ว", timeout=60000)
        assert os.path.isfile(os.path.join(root, "output", "site", "index.html")), "publish wrote no site"
        page.once("dialog", lambda d: d.dismiss())
        page.get_by_role("button", name=re.compile("^ปิดผนึก")).click()
        page.wait_for_timeout(500)
        assert page.get_by_role("note").count() == 0, "archive went ahead without being confirmed"
        sealed_files = [f for f in os.listdir(os.path.join(root, "content", str(year))) if "seal" in f]
        assert not sealed_files, f"sealed without being confirmed: {sealed_files}"
        page.once("dialog", lambda d: d.accept())
        page.get_by_role("button", name=re.compile("^ปิดผนึก")).click()
        expect(page.get_by_role("note")).to_contain_text("ปิดผนึกแล้ว", timeout=60000)
        verify = run_cli(binary, root, "verify")
        assert verify.returncode == 0 and "ไม่ได้ปิดผนึก" not in verify.stderr, verify.stderr
        expect(page.get_by_label("ชื่อหน่วยงาน", exact=True)).to_have_attribute("readonly", "")
        expect(page.get_by_role("button", name=re.compile("^บันทึก"))).to_be_disabled()
        before = text_of(root, year, "agency.yaml")
        body = json.dumps({"year": year, "files": {"agency.yaml": {"version": "x", "ops": []}}})
        status, _ = editor.request("POST", "/api/save", body, {
            "X-OIT025-Token": editor.token, "Content-Type": "application/json"})
        assert status == 403, status
        assert text_of(root, year, "agency.yaml") == before


def security(binary, root, shot):
    """Without the secret, from another site or for another host, nothing is read or written."""
    year = 2569
    editor = Editor(binary, root)
    try:
        before = text_of(root, year, "agency.yaml")
        status, body = editor.request("GET", f"/api/year/{year}", headers={"X-OIT025-Token": editor.token})
        version = json.loads(body)["files"]["agency.yaml"]["version"]
        edit = json.dumps({"year": year, "files": {"agency.yaml": {"version": version, "ops": [
            {"op": "set", "path": "agency.head", "value": "ถูกแก้", "plain": False}]}}})
        json_type = {"Content-Type": "application/json"}
        cases = {
            "no secret": {**json_type},
            "wrong secret": {**json_type, "X-OIT025-Token": "0" * len(editor.token)},
            "foreign origin": {**json_type, "X-OIT025-Token": editor.token, "Origin": "http://evil.example"},
            "cross-site fetch": {**json_type, "X-OIT025-Token": editor.token, "Sec-Fetch-Site": "cross-site"},
            "form post": {"Content-Type": "application/x-www-form-urlencoded", "X-OIT025-Token": editor.token},
        }
        for name, headers in cases.items():
            status, _ = editor.request("POST", "/api/save", edit, headers)
            assert status == 403, (name, status)
        status, _ = editor.request("POST", "/api/save", edit, {
            **json_type, "X-OIT025-Token": editor.token, "Host": "evil.example"})
        assert status in (400, 403), ("foreign host", status)
        status, _ = editor.request("GET", "/")
        assert status == 403, ("page without secret", status)
        status, _ = editor.request("GET", f"/api/year/{year}")
        assert status == 403, ("read without secret", status)
        for path in ("/api/year/..%2F..%2Fetc", "/pdf/..%2Fcontent", "/api/year/2569/../../Cargo.toml"):
            status, _ = editor.request("GET", path + f"?t={editor.token}", headers={"X-OIT025-Token": editor.token})
            assert status == 404, (path, status)
        bad = json.dumps({"year": year, "files": {"../../x.yaml": {"version": version, "ops": []}}})
        status, _ = editor.request("POST", "/api/save", bad, {**json_type, "X-OIT025-Token": editor.token})
        assert status == 404, ("file outside the six", status)
        assert text_of(root, year, "agency.yaml") == before
        status, _ = editor.request("POST", "/api/save", edit, {**json_type, "X-OIT025-Token": editor.token})
        assert status == 200, status
        assert read_yaml(root, year, "agency.yaml")["agency"]["head"] == "ถูกแก้"
        # A content file linked to one outside the project is not read out (the loader's rule).
        outside = os.path.join(os.path.dirname(root.rstrip("/")), "outside-" + os.path.basename(root.rstrip("/")) + ".yaml")
        with open(outside, "w", encoding="utf-8") as f:
            f.write("leaked: secret-value-outside\n")
        linked = os.path.join(root, "content", str(year), "recommendations.yaml")
        os.remove(linked)
        os.symlink(outside, linked)
        try:
            status, body = editor.request("GET", f"/api/year/{year}", headers={"X-OIT025-Token": editor.token})
            assert status == 200 and b"secret-value-outside" not in body, (status, body[:200])
        finally:
            os.remove(outside)
    finally:
        editor.close()


def accessible(binary, root, shot):
    """axe-core finds no serious or critical violation; the keyboard reaches the tabs."""
    axe = os.path.join(HERE, "node_modules", "axe-core", "axe.min.js")
    assert os.path.exists(axe), "axe-core is missing: npm ci --prefix tests/editor"
    year = 2569
    with in_browser(binary, root, bypass_csp=True) as (editor, page):
        expect(page.get_by_role("link", name=re.compile("ปีงบประมาณ"))).to_be_visible(timeout=30000)
        found = []
        for where in ("home", "year", "scores"):
            if where == "year":
                page.goto(editor.url + f"#{year}")
                expect(page.locator("#progress")).to_contain_text("ข้อผิดพลาด", timeout=30000)
                page.get_by_label("ตำแหน่งหัวหน้าหน่วยงาน", exact=True).fill("")
                wait_checked(page)
            if where == "scores":
                page.get_by_role("tab", name=re.compile("หน่วยงาน")).focus()
                page.keyboard.press("ArrowRight")
                expect(page.get_by_role("tab", name=re.compile("คะแนน"))).to_be_focused()
                expect(page.get_by_role("tab", name=re.compile("คะแนน"))).to_have_attribute("aria-selected", "true")
            page.add_script_tag(path=axe)
            result = page.evaluate("async () => await axe.run(document)")
            for v in result["violations"]:
                if v["impact"] in ("serious", "critical"):
                    found.append((where, v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]))
        assert not found, found


def start_here(binary, root, shot):
    """In a folder without a project, the page offers to make one and then edits it."""
    with in_browser(binary, root) as (editor, page):
        page.get_by_label(re.compile("ชื่อเต็มของหน่วยงาน")).fill("โรงพยาบาลส่งเสริมสุขภาพตำบลบ้านใหม่")
        page.get_by_label(re.compile("^อักษรย่อ")).fill("รพ.สต.บ้านใหม่")
        page.get_by_role("button", name=re.compile("^สร้างโปรเจกต์")).click()
        expect(page.get_by_role("link", name=re.compile("ปีงบประมาณ"))).to_be_visible(timeout=30000)
    assert os.path.isdir(os.path.join(root, "content"))


def attached_save_build(binary, root, shot):
    """The editor as a double-click opens it on a project (the bundled report): one field edited by
    its label, saved, the PDF built; the file differs from before only on that line."""
    year = 2569
    agency = os.path.join(root, "content", str(year), "agency.yaml")
    with open(agency, "rb") as f:
        before = f.read()
    pdf = os.path.join(root, "output", str(year), f"oit025-{year}.pdf")
    assert not os.path.exists(pdf), "the project was built before the editor saved"
    with in_browser(binary, root) as (editor, page):
        page.get_by_role("link", name=re.compile(f"ปีงบประมาณ {th(year)}")).click()
        expect(page.locator("#progress")).to_contain_text("ข้อผิดพลาด", timeout=60000)
        head = "นายกรัฐมนตรี (แก้จากเบราว์เซอร์)"
        tab(page, "หน่วยงาน").get_by_label("ตำแหน่งหัวหน้าหน่วยงาน", exact=True).fill(head)
        save(page)
        expect(page.locator("#status")).to_contain_text("สร้าง PDF แล้ว", timeout=120000)
        status, body = editor.request("GET", f"/pdf/{year}?t={editor.token}")
        assert status == 200 and body[:5] == b"%PDF-", status
    with open(pdf, "rb") as f:
        assert f.read(5) == b"%PDF-", pdf
    with open(agency, "rb") as f:
        after = f.read()
    # Bytes, not text: a line end written as Windows writes them would be a change too.
    old, new = before.split(b"\n"), after.split(b"\n")
    assert len(old) == len(new), (len(old), len(new))
    changed = [(a.decode(), b.decode()) for a, b in zip(old, new) if a != b]
    assert len(changed) == 1 and head in changed[0][1], changed
    assert changed[0][0].endswith("\r") == changed[0][1].endswith("\r"), ("line end changed", changed)
    assert read_yaml(root, year, "agency.yaml")["agency"]["head"] == head


SCENARIOS = {f.__name__: f for f in (new_agency, diff_only, conflict, sealed, security, accessible, start_here,
                                     attached_save_build)}

if __name__ == "__main__":
    scenario, binary, root = sys.argv[1:4]
    shot = sys.argv[4] if len(sys.argv) > 4 else None
    SCENARIOS[scenario](binary, root, shot)
    print(f"{scenario}: ok")
