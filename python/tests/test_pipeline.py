"""compile -> setup -> prove -> verify from Python, artefacts round trips,
and rejected proofs."""

import numpy as np
import pytest

import zkinfer


def test_prove_and_verify(breast, keys):
    circuit, pk, vk = keys
    assert [tuple(s.shape) for s in circuit.inputs] == [(30,)]
    assert [tuple(s.shape) for s in circuit.outputs] == [(2,)]
    assert circuit.visibility == {"input": "private", "weights": "committed", "output": "public"}
    phases = []
    proof, outputs = pk.prove(breast["malignant"], progress=lambda p, f: phases.append((p, f)))
    assert phases[0] == ("executing the model", 0.0) and phases[-1] == ("done", 1.0)
    assert "committing to the witness" in [p for p, _ in phases]
    assert [f for _, f in phases] == sorted(f for _, f in phases)
    assert outputs[0].shape == (2,)
    # The float model's logits (examples/breast_cancer/README.md): malignant.
    np.testing.assert_allclose(outputs[0], [1.87165, -2.60073], atol=0.05)
    verified = vk.verify(proof)
    np.testing.assert_array_equal(verified.outputs[0], outputs[0])
    assert verified.hidden == ["input", "weights"]
    assert verified.public_inputs == {}
    assert verified.model_id == vk.id
    assert len(proof) > 1000


def test_round_trips(tmp_path, breast, keys):
    circuit, pk, vk = keys
    proof, outputs = pk.prove(breast["benign"])
    c2 = zkinfer.Circuit.from_bytes(circuit.to_bytes())
    assert c2.digest == circuit.digest
    vk2 = zkinfer.VerifyingKey.from_bytes(vk.to_bytes())
    assert vk2.id == vk.id
    p2 = zkinfer.Proof.from_bytes(proof.to_bytes())
    np.testing.assert_array_equal(vk2.verify(p2).outputs[0], outputs[0])
    pk.save(tmp_path / "m.pk")
    vk.save(tmp_path / "m.vk")
    proof.save(tmp_path / "p.bin")
    circuit.save(tmp_path / "m.zkc")
    pk3 = zkinfer.ProvingKey.load(tmp_path / "m.pk")
    vk3 = zkinfer.VerifyingKey.load(tmp_path / "m.vk")
    assert zkinfer.Circuit.load(tmp_path / "m.zkc").digest == circuit.digest
    assert vk3.verify(zkinfer.Proof.load(tmp_path / "p.bin")).model_id == vk.id
    proof4, out4 = pk3.prove(breast["benign"])
    np.testing.assert_array_equal(out4[0], outputs[0])
    assert vk3.verify(proof4.to_bytes()).outputs[0].argmax() == 1  # benign
    pk5 = zkinfer.ProvingKey.from_bytes(pk.to_bytes())
    assert vk.verify(pk5.prove(breast["benign"])[0]).outputs[0].argmax() == 1


def test_tampered_proof_is_rejected(breast, keys):
    _, pk, vk = keys
    proof, _ = pk.prove(breast["malignant"])
    data = bytearray(proof.to_bytes())
    data[len(data) // 2] ^= 1
    with pytest.raises(zkinfer.VerificationError) as e:
        vk.verify(bytes(data))
    assert e.value.check and e.value.check in e.value.reason
    with pytest.raises(zkinfer.VerificationError, match="malformed proof"):
        vk.verify(proof.to_bytes()[:100])
    assert isinstance(e.value, zkinfer.Error)


def test_proof_for_another_model_is_rejected(breast, keys):
    _, pk, _ = keys
    other = zkinfer.compile(breast["onnx"], calibration=breast["calibration"], weight_bits=10)
    _, vk_other = other.setup()
    proof, _ = pk.prove(breast["malignant"])
    with pytest.raises(zkinfer.VerificationError):
        vk_other.verify(proof)


def test_corrupted_key_bytes(keys):
    _, _, vk = keys
    data = bytearray(vk.to_bytes())
    with pytest.raises(zkinfer.FormatError):
        zkinfer.VerifyingKey.from_bytes(bytes(data[:len(data) // 2]))
    with pytest.raises(zkinfer.FormatError):
        zkinfer.Circuit.from_bytes(b"not a model")


def test_proof_budget_of_committed_weights(tmp_path, breast):
    c = zkinfer.compile(breast["onnx"], calibration=breast["calibration"], max_proofs=2)
    pk, vk = c.setup()
    assert pk.budget == (0, 2)
    pk.prove(breast["benign"])
    pk.save(tmp_path / "m.pk")  # the counter goes with the file, carrying the one used
    with pytest.warns(UserWarning, match="0 of this setup's 2 proofs left"):
        pk.prove(breast["benign"])
    assert pk.budget == (2, 2)
    with pytest.raises(zkinfer.BudgetError, match="all 2 proofs"):
        pk.prove(breast["benign"])
    # The same file from another process (here: loaded again) shares the count.
    with pytest.raises(zkinfer.BudgetError):
        zkinfer.ProvingKey.load(tmp_path / "m.pk").prove(breast["benign"])
    assert (tmp_path / "m.pk.used").exists()
    public = zkinfer.compile(breast["onnx"], visibility="weights=public")
    pk_public, _ = public.setup()
    assert pk_public.budget == (0, 0)


def test_version_is_the_command_lines():
    import os
    import subprocess

    exe = os.environ.get("ZKINFER_BIN")
    if not exe or not os.path.exists(exe):
        pytest.skip("ZKINFER_BIN (the build's zkinfer) is not set")
    out = subprocess.run([exe, "--version"], capture_output=True, text=True).stdout.strip()
    assert out == f"zkinfer {zkinfer.__version__}"
