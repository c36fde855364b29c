"""Print the report's HTML to PDF with headless Chromium (Debian package `chromium`).

The page's fonts are the system's: with `fonts-noto-cjk` installed the Chinese text is embedded
as real text (searchable, copyable). Set `LASHI_CHROMIUM` to use another Chromium/Chrome binary.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")


class PdfError(RuntimeError):
    pass


def find_chromium() -> str | None:
    env = os.environ.get("LASHI_CHROMIUM")
    if env:
        return env if Path(env).exists() or shutil.which(env) else None
    for name in ("/usr/bin/chromium",) + CANDIDATES:
        p = shutil.which(name) if not name.startswith("/") else (name if Path(name).exists() else None)
        if p:
            return p
    return None


def html_to_pdf(html_path: Path, pdf_path: Path, timeout: float = 180.0) -> Path:
    exe = find_chromium()
    if not exe:
        raise PdfError("Chromium not found: install it (Debian: apt-get install chromium fonts-noto-cjk) or set "
                       "LASHI_CHROMIUM / 未找到Chromium，请安装 chromium 与 fonts-noto-cjk")
    html_path, pdf_path = Path(html_path).resolve(), Path(pdf_path).resolve()
    pdf_path.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="lashi-chromium-") as profile:
        cmd = [exe, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--disable-extensions", "--disable-dev-shm-usage",
               "--hide-scrollbars", f"--user-data-dir={profile}", "--no-pdf-header-footer",
               "--run-all-compositor-stages-before-draw", "--virtual-time-budget=10000",
               f"--print-to-pdf={pdf_path}", html_path.as_uri()]
        env = {**os.environ, "HOME": profile}
        try:
            res = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env)
        except subprocess.TimeoutExpired as e:
            raise PdfError(f"Chromium did not finish printing within {timeout:.0f} s") from e
    if not pdf_path.exists() or pdf_path.stat().st_size == 0:
        raise PdfError(f"Chromium wrote no PDF (exit {res.returncode}): {res.stderr.strip()[-800:]}")
    return pdf_path
