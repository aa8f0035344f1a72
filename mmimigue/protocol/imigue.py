"""iMiGUE protocol: 32 classes, cross-subject split, emotion split (from ``imigue.json``)."""
import json
import os.path as osp
from functools import lru_cache
from typing import Dict, List, Optional, Tuple

IMIGUE_NUM_CLASSES = 32
_JSON = osp.join(osp.dirname(__file__), 'imigue.json')


@lru_cache(maxsize=1)
def imigue_protocol() -> dict:
    """The packaged iMiGUE protocol facts as a dict."""
    with open(_JSON) as f:
        return json.load(f)


IMIGUE_CSV_COLUMNS: Tuple[str, ...] = tuple(imigue_protocol()['annotation_csv_header'].split(','))


def imigue_class_to_index(class_id: int) -> int:
    """Map a csv class id (1..31, 99) to a label index (0..30, 31).

    Raises:
        ValueError: for an id the protocol does not define.
    """
    class_id = int(class_id)
    if 1 <= class_id <= 31:
        return class_id - 1
    if class_id == 99:
        return 31
    raise ValueError(f'class id {class_id} is not an iMiGUE class (valid: 1..31 and 99)')


def imigue_class_names() -> List[str]:
    """Class names in label-index order (index 31 is the non-MG class 99)."""
    classes = imigue_protocol()['classes']
    names = [''] * IMIGUE_NUM_CLASSES
    for cid, name in classes.items():
        names[imigue_class_to_index(int(cid))] = name
    return names


def imigue_subject_split() -> Tuple[List[int], Optional[List[int]]]:
    """Official cross-subject split: (train subject ids, None meaning "every other id")."""
    return list(imigue_protocol()['cross_subject']['train_subjects']), None


def imigue_emotion_split() -> Tuple[List[str], List[str]]:
    """Official emotion split: (train video ids, test video ids), 4-digit strings."""
    emo = imigue_protocol()['emotion']
    return list(emo['train_videos']), list(emo['test_videos'])


_SPLIT_KEYS = ('train_subjects', 'test_subjects', 'emotion_train_videos', 'emotion_test_videos')


def load_split_file(path: str) -> Dict[str, list]:
    """Read a user split file ``{"train_subjects": [...], "test_subjects": [...],
    "emotion_train_videos": [...], "emotion_test_videos": [...]}``.

    Missing keys fall back to the official protocol; unknown keys are an error so that a typo
    does not silently fall back.
    """
    try:
        with open(path) as f:
            split = json.load(f)
    except json.JSONDecodeError as e:
        raise ValueError(f'{path}: split file is not valid JSON ({e}); expected keys {_SPLIT_KEYS}')
    unknown = set(split) - set(_SPLIT_KEYS)
    if unknown:
        raise ValueError(f'{path}: unknown split keys {sorted(unknown)}; valid keys: {_SPLIT_KEYS}')
    out: Dict[str, list] = {}
    if 'train_subjects' in split:
        out['train_subjects'] = [int(s) for s in split['train_subjects']]
    if 'test_subjects' in split:
        out['test_subjects'] = [int(s) for s in split['test_subjects']]
    for key in ('emotion_train_videos', 'emotion_test_videos'):
        if key in split:
            out[key] = [normalize_video_id(v) for v in split[key]]
    if 'train_subjects' in out and 'test_subjects' in out:
        both = set(out['train_subjects']) & set(out['test_subjects'])
        if both:
            raise ValueError(f'{path}: subjects {sorted(both)} are in both train and test')
    return out


def normalize_video_id(video_id) -> str:
    """Video ids are 4-digit zero-padded strings ('0371'), whatever the source wrote."""
    s = str(video_id).strip()
    return s.zfill(4) if s.isdigit() else s

