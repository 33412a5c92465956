#!/usr/bin/env bash
# Installs what the browser tests need: Debian's chromium, axe-core from npm.
# When chromium cannot be installed the e2e tests skip with a clear message.
set -u
cd "$(dirname "$0")/../.."
if ! command -v chromium >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = "0" ]; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
      || echo "e2e: could not install chromium; browser tests will be skipped"
  else
    echo "e2e: chromium missing and apt-get unavailable (not root); browser tests will be skipped"
  fi
fi
# Screenshots need a Chinese font (the site uses the visitor's system fonts; a server has none by default).
if command -v fc-list >/dev/null 2>&1 && [ -z "$(fc-list :lang=zh 2>/dev/null)" ] && [ "$(id -u)" = "0" ]; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-wqy-zenhei >/dev/null 2>&1 \
    || echo "e2e: could not install a Chinese font; screenshots will show boxes for Chinese text"
fi
if [ ! -f node_modules/axe-core/axe.min.js ] && command -v npm >/dev/null 2>&1; then
  npm install --no-audit --no-fund --silent >/dev/null 2>&1 || echo "e2e: could not install axe-core from npm"
fi
exit 0
