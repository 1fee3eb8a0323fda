"""Where a model comes from: an ONNX file's path, ONNX bytes, or a
torch.nn.Module exported with torch.onnx (when torch is importable)."""

import contextlib
import io
import os
import tempfile

DEFAULT_OPSET = 13


def _is_torch_module(model):
    try:
        import torch
    except ImportError:
        return False
    return isinstance(model, torch.nn.Module)


def export_torch(module, example_input, opset=DEFAULT_OPSET):
    """The module as ONNX bytes (torch.onnx.export in eval mode, batch as in
    the example input)."""
    import torch

    if example_input is None:
        raise ValueError("a torch.nn.Module needs example_input (a tensor of the input's shape) "
                         "to be exported to ONNX")
    if not isinstance(example_input, (tuple, list)):
        example_input = (example_input,)
    args = tuple(torch.as_tensor(x, dtype=torch.float32) for x in example_input)
    names = ["input"] if len(args) == 1 else [f"input{i}" for i in range(len(args))]
    was_training = module.training
    module.eval()
    buf = io.BytesIO()
    try:
        with torch.no_grad():
            torch.onnx.export(module, args, buf, input_names=names, opset_version=opset)
    finally:
        module.train(was_training)
    return buf.getvalue()


@contextlib.contextmanager
def onnx_path(model, example_input=None, opset=DEFAULT_OPSET):
    """A path to the model as an ONNX file, for the library (a temporary
    file for bytes and torch modules, removed afterwards)."""
    if isinstance(model, (str, os.PathLike)):
        path = os.fspath(model)
        if not os.path.exists(path):
            raise FileNotFoundError(f"{path}: no such ONNX file")
        yield path
        return
    if isinstance(model, (bytes, bytearray, memoryview)):
        data = bytes(model)
    elif _is_torch_module(model):
        data = export_torch(model, example_input, opset)
    else:
        raise TypeError("model must be an ONNX file path, ONNX bytes or a torch.nn.Module, "
                        f"not {type(model).__name__}")
    fd, path = tempfile.mkstemp(suffix=".onnx", prefix="zkinfer-")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        try:
            yield path
        except Exception as e:  # name the model as the caller knows it, not the temporary file
            label = "the exported torch module" if _is_torch_module(model) else "the ONNX bytes"
            if path in str(e) and len(e.args) == 1:
                e.args = (str(e).replace(path, label),)
            raise
    finally:
        os.unlink(path)
