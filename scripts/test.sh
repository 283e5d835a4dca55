#!/usr/bin/env bash
# Services up, then the whole suite: unit tests (surefire) and integration tests on the real services (failsafe).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/services.sh up
exec mvn -B verify "$@"
