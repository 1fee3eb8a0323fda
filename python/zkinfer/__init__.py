"""zkinfer: zero-knowledge proofs of ML inference, from Python.

    import zkinfer
    circuit = zkinfer.compile("model.onnx", calibration=samples)
    pk, vk = circuit.setup()
    proof, outputs = pk.prove(x)          # x: a numpy array of the input's shape
    verified = vk.verify(proof)           # raises zkinfer.VerificationError if rejected
    verified.outputs[0]                   # the proven output, as a numpy array

What is proven is the quantized (fixed-point) model; zkinfer.run and
zkinfer.evaluate show how far it is from the float model. Every artefact has
save/load and to_bytes/from_bytes. See docs/python.md.
"""

from ._api import (
    Circuit,
    Evaluation,
    Opened,
    Proof,
    ProvingKey,
    RunResult,
    TensorSpec,
    Verified,
    VerifyingKey,
    compile,
    evaluate,
    run,
    set_threads,
)
from ._errors import (
    ArgumentError,
    BudgetError,
    Error,
    FormatError,
    ModelError,
    RangeError,
    VerificationError,
)

from ._zkinfer import __version__  # the project() version in CMakeLists.txt

__all__ = [
    "ArgumentError",
    "BudgetError",
    "Circuit",
    "Error",
    "Evaluation",
    "FormatError",
    "ModelError",
    "Opened",
    "Proof",
    "ProvingKey",
    "RangeError",
    "RunResult",
    "TensorSpec",
    "VerificationError",
    "Verified",
    "VerifyingKey",
    "compile",
    "evaluate",
    "run",
    "set_threads",
]
