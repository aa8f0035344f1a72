"""Packaged dataset protocol facts (class names, splits, file formats) and small readers."""
from .imigue import (
                     IMIGUE_CSV_COLUMNS,
                     IMIGUE_NUM_CLASSES,
                     imigue_class_names,
                     imigue_class_to_index,
                     imigue_emotion_split,
                     imigue_protocol,
                     imigue_subject_split,
                     load_split_file,
)
from .smg import SMG_NUM_CLASSES, smg_class_names, smg_protocol

__all__ = [
    'IMIGUE_CSV_COLUMNS', 'IMIGUE_NUM_CLASSES', 'imigue_class_names', 'imigue_class_to_index',
    'imigue_emotion_split', 'imigue_protocol', 'imigue_subject_split', 'load_split_file',
    'SMG_NUM_CLASSES', 'smg_class_names', 'smg_protocol'
]
