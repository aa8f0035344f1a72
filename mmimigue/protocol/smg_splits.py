"""The one SMG subject split, used by clip conversion and stream conversion alike.

The protocol's test subjects (36-40, ``smg.json``) or a user's split file decide who is tested;
every other subject trains; ``xsub_val`` holds every fifth training subject
(:func:`~mmimigue.protocol.imigue_splits.validation_subjects`, the iMiGUE rule) so checkpoints
and weights can be chosen without the test subjects.
"""
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

from .imigue import load_split_file
from .imigue_splits import validation_subjects
from .smg import smg_protocol


def smg_subject_split(subjects: Iterable[int], test_subjects: Optional[Sequence[int]] = None,
                      split_file: Optional[str] = None) -> Tuple[set, set]:
    """(train subjects, test subjects) of the SMG cross-subject protocol.

    Args:
        subjects: Every subject of the release.
        test_subjects (Sequence[int], optional): Test subjects; default the protocol's.
        split_file (str, optional): JSON ``{"train_subjects": [...], "test_subjects": [...]}``
            overriding ``test_subjects`` (a missing key means "every other subject").
    """
    subjects = set(int(s) for s in subjects)
    if split_file is not None:
        split = load_split_file(split_file)
        if 'test_subjects' in split:
            test = set(split['test_subjects'])
            return set(split.get('train_subjects', subjects - test)), test
        if 'train_subjects' in split:
            train = set(split['train_subjects'])
            return train, subjects - train
        raise ValueError(f'{split_file}: give train_subjects and/or test_subjects')
    test = set(int(s) for s in (test_subjects if test_subjects is not None
                                else smg_protocol()['test_subjects']))
    return subjects - test, test


def build_smg_splits(items: Sequence[Tuple[str, int]], test_subjects: Optional[Sequence[int]] = None,
                     split_file: Optional[str] = None) -> Dict[str, List[str]]:
    """Split lists of ``(name, subject)`` items (clips or streams), in item order.

    Returns:
        dict: ``xsub_train``, ``xsub_test``, ``xsub_val`` (the items of
        :func:`validation_subjects`) and ``xsub_train_minus_val``.
    """
    train, test = smg_subject_split([s for _, s in items], test_subjects, split_file)
    val = set(validation_subjects(train))
    return dict(xsub_train=[n for n, s in items if s in train],
                xsub_test=[n for n, s in items if s in test],
                xsub_val=[n for n, s in items if s in val],
                xsub_train_minus_val=[n for n, s in items if s in train and s not in val])
