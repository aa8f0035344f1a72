"""Split resolution for iMiGUE: the official protocol unless a user split file overrides it.

The one place the rule "official split, each key of a split file replacing its part" is
written; converters, the RGB dataset and the emotion dataset all resolve splits here.
"""
from collections import defaultdict
from typing import Dict, List, Optional, Sequence, Tuple

from .imigue import imigue_emotion_split, imigue_subject_split, load_split_file


def resolve_imigue_split(split_file: Optional[str] = None) -> Dict[str, Optional[list]]:
    """The subject and emotion video lists of the protocol, overridden by ``split_file``.

    Returns:
        dict: ``train_subjects`` (list), ``test_subjects`` (list, or None meaning every subject
        that does not train), ``emotion_train_videos`` / ``emotion_test_videos`` (lists of
        4-digit video ids, in the order of their source).
    """
    train_subjects, test_subjects = imigue_subject_split()
    emo_train, emo_test = imigue_emotion_split()
    resolved = dict(train_subjects=train_subjects, test_subjects=test_subjects,
                    emotion_train_videos=emo_train, emotion_test_videos=emo_test)
    if split_file:
        resolved.update(load_split_file(split_file))
    return resolved


def emotion_video_split(split_file: Optional[str] = None) -> Tuple[List[str], List[str]]:
    """``(train video ids, test video ids)`` of the emotion protocol (or ``split_file``)."""
    resolved = resolve_imigue_split(split_file)
    return list(resolved['emotion_train_videos']), list(resolved['emotion_test_videos'])


def _emotion_groups(annotations: Sequence[dict], resolved: dict) -> Dict[str, list]:
    train, test = set(resolved['emotion_train_videos']), set(resolved['emotion_test_videos'])
    split = defaultdict(list)
    for a in annotations:
        if a['video_id'] in train:
            split['emotion_train'].append(a['frame_dir'])
        elif a['video_id'] in test:
            split['emotion_test'].append(a['frame_dir'])
    return {k: split[k] for k in ('emotion_train', 'emotion_test')}


#: Videos of the cross-subject train split that the MiGA 2023 track-1 train package leaves out
#: (its train package = xsub_train minus these; its test ids = the xsub_test videos). The kit's
#: 36.55 top-1 baseline is on its own validation split of that package after 8 epochs.
MIGA2023_EXCLUDED_TRAIN_VIDEOS = ('0218', '0319', '0347', '0348')


def _miga2023_train(xsub_train: Sequence[str], annotations: Sequence[dict]) -> List[str]:
    video = {a['frame_dir']: a.get('video_id') for a in annotations}
    return [f for f in xsub_train if video.get(f) not in MIGA2023_EXCLUDED_TRAIN_VIDEOS]


def validation_subjects(train_subjects: Sequence[int]) -> List[int]:
    """Every fifth training subject (sorted ids, from the first): the ``xsub_val`` subjects, on
    which fusion weights, checkpoints and other choices can be made without the test subjects."""
    return sorted(train_subjects)[::5]


def build_splits(annotations: Sequence[dict], split_file: Optional[str] = None) -> Dict[str, list]:
    """Cross-subject (by ``subject_id``) and emotion (by ``video_id``) clip splits.

    Returns:
        dict: ``xsub_train``, ``xsub_test``, ``miga2023_train`` (``xsub_train`` without
        :data:`MIGA2023_EXCLUDED_TRAIN_VIDEOS`), ``xsub_val`` (the clips of
        :func:`validation_subjects`) and ``xsub_train_minus_val`` (the other training clips),
        ``emotion_train``, ``emotion_test`` -> lists of ``frame_dir`` in annotation order.
    """
    resolved = resolve_imigue_split(split_file)
    train = set(resolved['train_subjects'])
    test = None if resolved['test_subjects'] is None else set(resolved['test_subjects'])
    split = dict(xsub_train=[], xsub_test=[])
    for a in annotations:
        if a['subject_id'] in train:
            split['xsub_train'].append(a['frame_dir'])
        elif test is None or a['subject_id'] in test:
            split['xsub_test'].append(a['frame_dir'])
    split['miga2023_train'] = _miga2023_train(split['xsub_train'], annotations)
    val = set(validation_subjects(train))
    split['xsub_val'] = [a['frame_dir'] for a in annotations if a['subject_id'] in val]
    split['xsub_train_minus_val'] = [a['frame_dir'] for a in annotations
                                     if a['subject_id'] in train and a['subject_id'] not in val]
    split.update(_emotion_groups(annotations, resolved))
    return split


def challenge_splits(groups: Dict[str, Sequence[str]], annotations: Sequence[dict],
                     split_file: Optional[str] = None) -> Dict[str, list]:
    """Splits for a challenge package.

    Args:
        groups (dict): Split name (``'xsub_train'``, ``'xsub_test'``, ...) -> ``frame_dir`` list,
            from the package's own grouping (folders / files).
        annotations (Sequence[dict]): The converted clips (for their ``video_id``).
        split_file (str, optional): Split JSON; only its emotion video lists are used here.

    Returns:
        dict: ``groups`` plus ``emotion_train`` / ``emotion_test`` (by video id) and, with an
        ``xsub_train`` group, ``miga2023_train`` (the same clips where the package is the MiGA
        2023 one, which already left those videos out).
    """
    split = {k: list(v) for k, v in groups.items()}
    if 'xsub_train' in split:
        split['miga2023_train'] = _miga2023_train(split['xsub_train'], annotations)
    split.update(_emotion_groups(annotations, resolve_imigue_split(split_file)))
    return split
