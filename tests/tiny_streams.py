"""A tiny synthetic iMiGUE release converted to streams, for tests that run the live tools."""
import os.path as osp


def tiny_streams(out_dir: str, seed: int) -> str:
    """One training and one test subject, one video each with 3-4 MGs and talking between
    them, converted with ``--streams``; returns the streams pickle under ``out_dir``."""
    from mmimigue.datasets.converters.streams import convert_imigue_streams
    from mmimigue.datasets.synthetic import SyntheticConfig, generate_synthetic_imigue
    raw = osp.join(out_dir, 'raw')
    generate_synthetic_imigue(raw, SyntheticConfig(
        num_train_subjects=1, num_test_subjects=1, videos_per_subject=1, clips_per_video=(3, 4),
        gap_frames=(40, 80), gap_motion=True, seed=seed), workers=1)
    pkl = osp.join(out_dir, 'streams.pkl')
    convert_imigue_streams(osp.join(raw, 'labels.csv'), osp.join(raw, 'skeleton'), pkl)
    return pkl
