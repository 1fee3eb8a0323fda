"""A torch.nn.Module straight into zkinfer.compile (exported with
torch.onnx), its proven outputs against torch's own."""

import numpy as np
import pytest

import zkinfer

torch = pytest.importorskip("torch", reason="Debian's python3-torch is not installed")


def small_cnn():
    torch.manual_seed(0)
    return torch.nn.Sequential(
        torch.nn.Conv2d(1, 4, 3, padding=1), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
        torch.nn.Flatten(), torch.nn.Linear(4 * 4 * 4, 10))


def test_module_compiles_proves_and_matches_torch():
    model = small_cnn()
    gen = torch.Generator().manual_seed(1)
    cal = torch.rand(32, 1, 1, 8, 8, generator=gen)
    x = torch.rand(1, 1, 8, 8, generator=gen)
    circuit = zkinfer.compile(model, calibration=cal, example_input=x)
    assert [tuple(s.shape) for s in circuit.inputs] == [(1, 8, 8)]
    pk, vk = circuit.setup()
    proof, outputs = pk.prove(x)
    with torch.no_grad():
        expected = model(x).numpy().reshape(10)
    assert model.training  # export left the module's mode alone
    np.testing.assert_allclose(outputs[0], expected, atol=0.05)
    assert vk.verify(proof).outputs[0].argmax() == expected.argmax()


def test_module_needs_an_example_input():
    with pytest.raises(ValueError, match="example_input"):
        zkinfer.compile(small_cnn())


def test_unsupported_op_is_named():
    class Odd(torch.nn.Module):
        def forward(self, x):
            return torch.cumsum(x, dim=1)

    with pytest.raises(zkinfer.ModelError, match="CumSum"):
        zkinfer.compile(Odd(), example_input=torch.rand(1, 8))
