#!/usr/bin/env bash
# System packages the tests use beyond PyPI: Chromium (browser tests, report PDF), a CJK font,
# poppler-utils (PDF → PNG/text), PostgreSQL (server-store suites), Java 17 (Spark parity).
# Installs what is missing when run as root on Debian/Ubuntu; otherwise says what will be skipped.
# 测试所需的系统软件包：缺少时（root + apt-get）自动安装，否则提示哪些测试会跳过。
set -uo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
fc-list 2>/dev/null | grep -qi "noto.*cjk" || missing+=(fonts-noto-cjk)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
command -v java >/dev/null 2>&1 || missing+=(openjdk-17-jre-headless)
command -v make >/dev/null 2>&1 || missing+=(make)
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing system packages / 安装系统软件包: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq || true
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
    || echo "warning: apt-get could not install ${missing[*]}; the tests that need them will fail or skip"
else
  echo "note / 提示: missing ${missing[*]} — install them (e.g. sudo apt-get install ${missing[*]});"
  echo "  until then the browser, PDF, PostgreSQL or Spark tests that need them skip or fail."
fi
exit 0
