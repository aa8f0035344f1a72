"""Converters from the released dataset formats to mmaction2's PoseDataset pickle."""
from .imigue_openpose import ConversionError, convert_imigue, format_summary

__all__ = ['ConversionError', 'convert_imigue', 'format_summary']
