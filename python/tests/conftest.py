import json
import os
import pathlib

import numpy as np
import pytest

SOURCE = pathlib.Path(os.environ.get("ZKINFER_SOURCE_DIR",
                                     pathlib.Path(__file__).resolve().parents[2]))
BREAST = SOURCE / "examples" / "breast_cancer"


def read_input(path):
    with open(path) as f:
        return np.asarray(json.load(f)["input_data"], dtype=np.float32)


@pytest.fixture(scope="session")
def breast():
    """The breast-cancer MLP (30 raw features -> 2 logits), its calibration
    rows and two test patients, as shipped in examples/breast_cancer."""
    cal = read_input(BREAST / "calibration.json").reshape(-1, 30)
    return {
        "onnx": BREAST / "model.onnx",
        "calibration": cal,
        "malignant": read_input(BREAST / "input.json").reshape(30),
        "benign": read_input(BREAST / "input_benign.json").reshape(30),
    }


@pytest.fixture(scope="session")
def keys(breast):
    import zkinfer

    circuit = zkinfer.compile(breast["onnx"], calibration=breast["calibration"])
    pk, vk = circuit.setup()
    return circuit, pk, vk
