"""Packs a folder into a zip that Windows Explorer opens with its Thai names intact.

Usage: python3 pack.py FOLDER ZIP. The folder itself is the zip's top level. Names are stored in
UTF-8 with the zip's UTF-8 flag (Python sets it for names outside ASCII), files in name order
with one fixed time, so the same folder always packs to the same bytes.
"""

import sys
import zipfile
from pathlib import Path

folder, target = Path(sys.argv[1]), Path(sys.argv[2])
with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as z:
    for path in sorted(p for p in folder.rglob("*")):
        name = path.relative_to(folder.parent).as_posix()
        if path.is_dir():
            name += "/"
        info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
        info.external_attr = (0o40755 << 16 | 0x10) if path.is_dir() else (0o100644 << 16)
        info.compress_type = zipfile.ZIP_DEFLATED
        z.writestr(info, b"" if path.is_dir() else path.read_bytes())
