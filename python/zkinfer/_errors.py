"""zkinfer's exceptions: every error a caller's model, inputs or files can
cause derives from zkinfer.Error (itself a RuntimeError)."""

from . import _zkinfer as _z

Error = _z.Error  # base of everything below
ModelError = _z.ModelError  # unsupported or malformed model, inputs of the wrong shape
RangeError = _z.RangeError  # a value left the range the model was calibrated for
FormatError = _z.FormatError  # a corrupted or truncated file or byte string
ArgumentError = _z.ArgumentError  # an option out of range (bits, visibility, ...)
BudgetError = _z.BudgetError  # committed weights: the setup's proof budget is spent


class VerificationError(Error):
    """A proof was rejected. `check` names the failed check (e.g. "final
    check of the constraint sumcheck"), `reason` says why in full."""

    def __init__(self, reason, check=""):
        super().__init__(reason)
        self.reason = reason
        self.check = check or reason.split(":", 1)[0]
