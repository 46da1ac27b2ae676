#!/bin/sh
# Installs the Debian/Ubuntu packages this project needs when they are missing, and says
# what it did: the Fashion-MNIST dataset (dataset-fashion-mnist) and, for the real-browser
# tests, Chromium. Does nothing when both are present. Called by the README's commands:
#     sh tests/setup_system.sh        # dataset + Chromium (the test suite)
#     sh tests/setup_system.sh app    # the dataset only (running the app)
# Elsewhere (no apt-get) it says so and carries on: Keras downloads the dataset itself.
set -e
DATASET_DIR="${FASHION_SETUP_DATASET_DIR:-/usr/share/datasets/fashion-mnist}"
missing=""
[ -d "$DATASET_DIR" ] || missing="dataset-fashion-mnist"
if [ "$1" != "app" ] && ! command -v chromium >/dev/null 2>&1 && ! command -v chromium-browser >/dev/null 2>&1; then
  missing="$missing chromium"
fi
missing="${missing# }"
if [ -z "$missing" ]; then
  echo "setup: system packages present (nothing to install)"
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "setup: no apt-get here; install $missing yourself if you can (Keras downloads the dataset on first use)"
  exit 0
fi
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
echo "setup: installing $missing with ${SUDO:+sudo }apt-get"
$SUDO apt-get update -q
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q $missing
echo "setup: installed $missing"
