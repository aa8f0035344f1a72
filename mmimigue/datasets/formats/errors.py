"""The error every release-format reader raises for input it cannot use."""


class ConversionError(ValueError):
    """Raised for input that cannot be converted; the message names the file and the fix."""
