"""Packaged iMiGUE protocol readers."""
import json

import pytest

from mmimigue.protocol import (
    IMIGUE_NUM_CLASSES,
    imigue_class_names,
    imigue_class_to_index,
    imigue_emotion_split,
    imigue_subject_split,
    load_split_file,
)


def test_class_ids_map_to_32_indices():
    assert [imigue_class_to_index(c) for c in (1, 31, 99)] == [0, 30, 31]
    names = imigue_class_names()
    assert len(names) == IMIGUE_NUM_CLASSES == 32 and all(names)
    assert names[10] == 'Touching jaw' and names[31].startswith('Illustrative')
    for bad in (0, 32, 98, 100):
        with pytest.raises(ValueError, match='not an iMiGUE class'):
            imigue_class_to_index(bad)


def test_official_splits():
    train, test = imigue_subject_split()
    assert len(train) == 37 and test is None
    emo_train, emo_test = imigue_emotion_split()
    assert len(emo_train) == 102 and len(emo_test) == 100 and not set(emo_train) & set(emo_test)


def test_split_file_validation(tmp_path):
    path = tmp_path / 's.json'
    path.write_text(json.dumps(dict(train_subjects=[1, 2], test_subjects=['3'],
                                    emotion_test_videos=[12, '0013'])))
    split = load_split_file(str(path))
    assert split == dict(train_subjects=[1, 2], test_subjects=[3],
                         emotion_test_videos=['0012', '0013'])
    path.write_text(json.dumps(dict(train_subjects=[1], test_subjects=[1])))
    with pytest.raises(ValueError, match=r'subjects \[1\] are in both'):
        load_split_file(str(path))
    path.write_text('{not json')
    with pytest.raises(ValueError, match='not valid JSON'):
        load_split_file(str(path))


def test_miga2023_train_split_leaves_out_its_four_videos():
    from mmimigue.protocol.imigue_splits import build_splits, challenge_splits
    annos = [dict(frame_dir=f'{v}_{i}', video_id=v, subject_id=s)
             for v, s in (('0217', 2), ('0218', 2), ('0319', 4), ('0347', 5), ('0348', 5),
                          ('0400', 4), ('0401', 3)) for i in range(2)]
    split = build_splits(annos)
    assert split['xsub_train'] == [a['frame_dir'] for a in annos if a['subject_id'] != 3]
    assert split['miga2023_train'] == ['0217_0', '0217_1', '0400_0', '0400_1']
    assert split['xsub_test'] == ['0401_0', '0401_1']  # the MiGA 2023 test ids
    groups = dict(xsub_train=['0217_0', '0218_1'], xsub_test=['0401_0'])
    assert challenge_splits(groups, annos)['miga2023_train'] == ['0217_0']


def test_validation_split_holds_out_whole_training_subjects():
    from mmimigue.protocol import imigue_subject_split
    from mmimigue.protocol.imigue_splits import build_splits, validation_subjects
    train, _ = imigue_subject_split()
    val = validation_subjects(train)
    assert val == sorted(train)[::5] and len(val) == 8 and set(val) < set(train)
    annos = [dict(frame_dir=f'{s}_{i}', video_id=f'{s:04d}', subject_id=s)
             for s in (val[0], val[1], sorted(set(train) - set(val))[0], 1000) for i in range(2)]
    split = build_splits(annos)
    assert split['xsub_val'] == [f'{val[0]}_0', f'{val[0]}_1', f'{val[1]}_0', f'{val[1]}_1']
    assert sorted(split['xsub_val'] + split['xsub_train_minus_val']) == sorted(split['xsub_train'])
    assert not set(split['xsub_val']) & set(split['xsub_test'])
