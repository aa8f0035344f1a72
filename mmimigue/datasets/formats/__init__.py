"""The one home of each release format: readers of labels.csv, OpenPose JSON, the challenge
CSV / packed arrays and the SMG Kinect CSVs, the clip id and the shared annotation schema.

Converters (:mod:`mmimigue.datasets.converters`) combine these readers into one pickle; datasets,
tools and demos read release files through them too.
"""
from .challenge_csv import read_challenge_labels, read_light_hand_csv
from .clip_id import clip_id, is_clip_id, parse_clip_id, row_clip_id
from .clip_schema import OPTIONAL_ROW_KEYS, clip_annotation, copy_row_metadata, unknown_row
from .errors import ConversionError
from .imigue_labels import read_labels_csv
from .imigue_release_metadata import ReleaseMetadata
from .numeric_csv import read_numeric_csv
from .openpose_json import (
                            FRAME_RE,
                            find_video_dir,
                            list_frames,
                            parse_openpose_frame,
                            read_openpose_frames,
                            read_openpose_people,
)
from .packed_arrays import load_packed_data, load_packed_labels, valid_lengths
from .smg_kinect import SMGFormatError, find_smg_samples, read_smg_skeleton

__all__ = [
    'read_challenge_labels', 'read_light_hand_csv', 'clip_id', 'is_clip_id', 'parse_clip_id',
    'row_clip_id', 'OPTIONAL_ROW_KEYS', 'clip_annotation', 'copy_row_metadata', 'unknown_row',
    'ConversionError', 'read_labels_csv', 'ReleaseMetadata', 'read_numeric_csv', 'FRAME_RE',
    'find_video_dir', 'list_frames', 'parse_openpose_frame', 'read_openpose_frames',
    'read_openpose_people',
    'load_packed_data', 'load_packed_labels', 'valid_lengths', 'SMGFormatError',
    'find_smg_samples', 'read_smg_skeleton'
]
