"""What the tests through Debian's nginx share: deploy/cluster.py (which
renders deploy/nginx/tracker.conf for loopback, as `make cluster` does) and
the mark that skips them, with why, where nginx is not installed."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import pytest

from tests.conftest import ROOT

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
needs_nginx = pytest.mark.skipif(
    not Path(NGINX).exists(), reason="nginx is not installed (apt-get install -y nginx-light)"
)

_spec = importlib.util.spec_from_file_location("cluster", ROOT / "deploy" / "cluster.py")
cluster = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(cluster)
