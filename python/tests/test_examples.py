"""The notebook-style examples (python/examples) run as a user runs them."""

import os
import pathlib
import subprocess
import sys

import pytest

EXAMPLES = pathlib.Path(__file__).resolve().parents[1] / "examples"


def run_example(name):
    r = subprocess.run([sys.executable, str(EXAMPLES / name)], capture_output=True, text=True,
                       timeout=300, env=dict(os.environ))
    assert r.returncode == 0, r.stdout + r.stderr
    return r.stdout


def test_private_medical_input():
    out = run_example("private_medical_input.py")
    assert "verified diagnosis: malignant" in out
    assert "tampered proof rejected" in out


def test_private_model():
    out = run_example("private_model.py")
    assert "proven accuracy: 2/2" in out
    assert "revealed model is the committed one: True" in out


def test_committed_output():
    out = run_example("committed_output.py")
    assert "open the commitment: True" in out
    assert "other logits open it: False (different tensor)" in out


def test_quickstart_torch():
    pytest.importorskip("torch", reason="Debian's python3-torch is not installed")
    pytest.importorskip("sklearn", reason="Debian's python3-sklearn is not installed")
    out = run_example("quickstart_torch.py")
    assert "proven digit" in out
