#!/usr/bin/env bash
# The inspection document tests convert the generated .docx to PDF with LibreOffice and render pages
# with poppler. Install both from Debian when missing; on CI a missing tool is an error, not a skip.
set -euo pipefail

have() { command -v "$1" >/dev/null 2>&1; }

if have soffice && have pdftoppm && have pdftotext && have pdfinfo; then
    exit 0
fi
packages=(libreoffice-writer-nogui poppler-utils fonts-liberation2)
if [ "$(id -u)" = "0" ] && have apt-get; then
    echo "Installing ${packages[*]} (LibreOffice and poppler for the document tests)..."
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${packages[@]}" >/dev/null \
        || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libreoffice-writer poppler-utils fonts-liberation2 >/dev/null
elif have sudo && have apt-get; then
    sudo apt-get update -qq
    sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${packages[@]}" >/dev/null
fi
if have soffice && have pdftoppm; then
    exit 0
fi
echo "LibreOffice (soffice) and poppler (pdftoppm) are needed by the document tests and could not be installed." >&2
echo "Install them: apt-get install -y libreoffice-writer poppler-utils" >&2
exit 1
