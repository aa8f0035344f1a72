"""Converters from the released dataset formats to mmaction2's PoseDataset pickle."""
from .imigue_openpose import ConversionError, convert_imigue, format_summary
from .imigue_challenge_csv import convert_challenge_csv  # noqa: E402
from .imigue_packed import convert_packed  # noqa: E402
from .smg_kinect import convert_smg  # noqa: E402

__all__ = ['ConversionError', 'convert_imigue', 'format_summary', 'convert_challenge_csv',
           'convert_packed', 'convert_smg']
