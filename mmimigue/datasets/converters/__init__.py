"""Converters from the released dataset formats to mmaction2's PoseDataset pickle.

Each module holds only its ``convert_*`` function (and its summary printer); the readers of the
release files live in :mod:`mmimigue.datasets.formats`.
"""
from ..formats.errors import ConversionError
from .imigue_challenge_csv import convert_challenge_csv
from .imigue_openpose import convert_imigue, format_summary
from .imigue_packed import convert_packed, format_challenge_summary
from .smg_kinect import convert_smg, format_smg_summary

__all__ = ['ConversionError', 'convert_imigue', 'format_summary', 'convert_challenge_csv',
           'convert_packed', 'format_challenge_summary', 'convert_smg', 'format_smg_summary']
