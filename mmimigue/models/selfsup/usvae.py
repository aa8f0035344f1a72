"""U-S-VAE: unsupervised sequential VAE for micro-gesture representation learning.

Liu et al., "iMiGUE: An Identity-free Video Dataset for Micro-Gesture Understanding and Emotion
Analysis", CVPR 2021, section 4 and 5.2 (``shared/papers/imigue_cvpr2021.txt``).
"""
from typing import Dict, List, Optional, Sequence, Union

import torch
import torch.nn as nn
from mmaction.registry import MODELS
from torch.nn.utils.rnn import pack_padded_sequence

from ..mode_dispatch_model import ModeDispatchModel

FEATURES = ('hidden', 'cell', 'mu')


@MODELS.register_module()
class MGUSVAE(ModeDispatchModel):
    """U-S-VAE: BLSTM encoder over the whole sequence, LSTM decoder fed Z then zeros.

    Encoder: a ``num_layers`` BLSTM (``hidden_size`` units per direction) reads the whole,
    variable-length sequence ``X = (x_1 .. x_T)`` (padded frames are excluded by packing, so the
    backward direction starts at the true last frame). ``Z_T`` is the concatenation of the last
    layer's final forward and backward hidden states. Two linear layers give the posterior
    ``q(z|X) = N(mu(Z_T), diag(exp(logvar(Z_T))))``; ``z = mu + exp(logvar / 2) * eps`` while
    training, ``z = mu`` otherwise.

    Decoder: a 1-layer LSTM (``decoder_hidden_size`` units, zero initial state) receives ``z`` at
    the first time step and zeros at every later step, and a linear layer maps its outputs to
    ``X~``, so everything it re-generates must come through ``z``.

    Loss (eq. 2, ``L_joint = L_reg + lambda * L_KL``), both averaged over the batch::

        loss_rec = mean_b  1/T_b sum_{t <= T_b} ||x_t - x~_t||_2^2
        loss_kl  = kl_weight * mean_b  -1/2 sum_d (1 + logvar_d - mu_d^2 - exp(logvar_d))

    Padded frames never enter the loss. ``mode='predict'`` stores the KNN feature in every data
    sample as ``data_sample.feature``; ``mode='tensor'`` returns them ``(B, D)``. ``'hidden'`` is
    the paper's ``Z_T`` (default, best in its Table 4), ``'cell'`` the final cell states
    ("1L w C"), ``'mu'`` the posterior mean. The KNN protocol itself is
    :class:`mmimigue.evaluation.MGKNNEvalHook` (train split as memory bank, test split as queries).

    Args:
        in_channels (int): Coordinates per joint used (the first ``in_channels`` of the input's
            last axis; 2 = x, y of 2D keypoints, the score channel is dropped). Defaults to 2.
        num_joints (int): Joints per frame V. Defaults to 22 (``'imigue22'``).
        hidden_size (int): Encoder units per direction N. Defaults to 256.
        num_layers (int): Encoder BLSTM layers. Defaults to 1.
        decoder_hidden_size (int): Decoder LSTM units. Defaults to 256.
        latent_channels (int, optional): Size of z. Defaults to ``2 * hidden_size``.
        kl_weight (float): lambda. The paper does not state it; 1e-3 is our default.
        feature (str): KNN feature, one of ``'hidden'``, ``'cell'``, ``'mu'``.
        center_joint (int, optional): If set, each sequence is translated so that this joint's
            mean position over its valid frames is the origin (removes where a subject sits in
            the image). ``None`` keeps coordinates as the pipeline gives them. Defaults to 1
            (the neck in ``'imigue22'``).
        scale_joints (tuple[int, int], optional): If set, each sequence is divided by the mean
            distance between these two joints over its valid frames (body-size normalisation,
            e.g. the shoulders ``(2, 5)`` of ``'imigue22'``). Defaults to None. Both statistics
            skip frames where the joints were not detected (score 0 in the channel after
            ``in_channels``, when present).
        data_preprocessor (dict, optional): Defaults to
            ``dict(type='MGSkeletonSequencePreprocessor')``.
        init_cfg (dict, optional): Initialisation config.
    """

    DEFAULT_PREPROCESSOR = dict(type='MGSkeletonSequencePreprocessor')

    def __init__(self,
                 in_channels: int = 2,
                 num_joints: int = 22,
                 hidden_size: int = 256,
                 num_layers: int = 1,
                 decoder_hidden_size: int = 256,
                 latent_channels: Optional[int] = None,
                 kl_weight: float = 1e-3,
                 feature: str = 'hidden',
                 center_joint: Optional[int] = 1,
                 scale_joints: Optional[Sequence[int]] = None,
                 data_preprocessor: Optional[Dict] = None,
                 init_cfg: Optional[Union[Dict, List[Dict]]] = None) -> None:
        if data_preprocessor is None:
            data_preprocessor = dict(self.DEFAULT_PREPROCESSOR)
        if isinstance(data_preprocessor, dict):  # registered in mmaction2's MODELS
            data_preprocessor = MODELS.build(data_preprocessor)
        super().__init__(data_preprocessor=data_preprocessor, init_cfg=init_cfg)
        if feature not in FEATURES:
            raise ValueError(f'feature must be one of {FEATURES}, got {feature!r}')
        if center_joint is not None and not 0 <= center_joint < num_joints:
            raise ValueError(f'center_joint {center_joint} is not a joint of a {num_joints}-joint '
                             'layout')
        if scale_joints is not None:
            scale_joints = tuple(int(j) for j in scale_joints)
            if len(scale_joints) != 2 or not all(0 <= j < num_joints for j in scale_joints):
                raise ValueError(f'scale_joints must be two joints of a {num_joints}-joint layout, '
                                 f'got {scale_joints}')
        self.scale_joints = scale_joints
        self.in_channels = in_channels
        self.num_joints = num_joints
        self.kl_weight = kl_weight
        self.feature = feature
        self.center_joint = center_joint
        self.frame_dim = in_channels * num_joints
        latent_channels = latent_channels or 2 * hidden_size
        self.latent_channels = latent_channels
        self.encoder = nn.LSTM(self.frame_dim, hidden_size, num_layers, batch_first=True,
                               bidirectional=True)
        self.fc_mu = nn.Linear(2 * hidden_size, latent_channels)
        self.fc_logvar = nn.Linear(2 * hidden_size, latent_channels)
        self.decoder = nn.LSTM(latent_channels, decoder_hidden_size, 1, batch_first=True)
        self.readout = nn.Linear(decoder_hidden_size, self.frame_dim)

    # ------------------------------------------------------------------ pieces
    @staticmethod
    def valid_mask(lengths: torch.Tensor, max_len: int) -> torch.Tensor:
        """``(B, max_len)`` bool, True on frames ``t < lengths[b]``."""
        return torch.arange(max_len, device=lengths.device)[None] < lengths[:, None]

    def sequences(self, inputs: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        """``(B, M, T, V, C)`` (or ``(B, T, V, C)``) -> ``(B, T, V * in_channels)`` for person 0.

        Frames beyond a sequence's length are set to zero.
        """
        if inputs.dim() == 5:
            inputs = inputs[:, 0]
        if inputs.dim() != 4 or inputs.shape[2] != self.num_joints:
            raise ValueError(f'MGUSVAE built for {self.num_joints} joints got input of shape '
                             f'{tuple(inputs.shape)}; expected (B, M, T, V, C)')
        if inputs.shape[3] < self.in_channels:
            raise ValueError(f'MGUSVAE uses {self.in_channels} channels per joint, input has '
                             f'{inputs.shape[3]}')
        x = inputs[..., :self.in_channels].float()
        mask = self.valid_mask(lengths, x.shape[1])
        # joints the detector missed (score 0, when a score channel follows) do not count
        seen = (inputs[..., self.in_channels] > 0 if inputs.shape[3] > self.in_channels else
                torch.ones(x.shape[:3], dtype=torch.bool, device=x.device)) & mask[..., None]
        if self.center_joint is not None:
            centre = self._frame_mean(x[:, :, self.center_joint], seen[:, :, self.center_joint],
                                      mask)
            x = x - centre[:, None, None]
        if self.scale_joints is not None:
            a, b = self.scale_joints
            dist = (x[:, :, a] - x[:, :, b]).norm(dim=-1, keepdim=True)
            scale = self._frame_mean(dist, seen[:, :, a] & seen[:, :, b], mask)[:, 0]
            scale = torch.where(scale > 1e-4, scale, torch.ones_like(scale))
            x = x / scale[:, None, None, None]
        x = x * mask[..., None, None].to(x.dtype)
        return x.flatten(2)

    @staticmethod
    def _frame_mean(values: torch.Tensor, seen: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """Mean of ``values`` ``(B, T, D)`` over the frames in ``seen`` ``(B, T)``; sequences
        where it is never seen fall back to all their valid frames (``mask``)."""
        use = torch.where(seen.any(1, keepdim=True), seen, mask).to(values.dtype)
        return (values * use[..., None]).sum(1) / use.sum(1, keepdim=True).clamp(min=1)

    def encode(self, x: torch.Tensor, lengths: torch.Tensor) -> Dict[str, torch.Tensor]:
        """Run the BLSTM over the true frames only.

        Returns:
            dict: ``hidden`` (Z_T) and ``cell`` ``(B, 2 * hidden_size)``, ``mu``, ``logvar``
            ``(B, latent_channels)``.
        """
        packed = pack_padded_sequence(x, lengths.cpu(), batch_first=True, enforce_sorted=False)
        _, (h_n, c_n) = self.encoder(packed)
        hidden = torch.cat([h_n[-2], h_n[-1]], dim=1)
        cell = torch.cat([c_n[-2], c_n[-1]], dim=1)
        return dict(hidden=hidden, cell=cell, mu=self.fc_mu(hidden),
                    logvar=self.fc_logvar(hidden).clamp(-20., 20.))

    @staticmethod
    def decoder_inputs(z: torch.Tensor, num_frames: int) -> torch.Tensor:
        """``(B, num_frames, L)``: z at the first step, zeros after."""
        inp = z.new_zeros((z.shape[0], num_frames, z.shape[1]))
        inp[:, 0] = z
        return inp

    def decode(self, z: torch.Tensor, num_frames: int) -> torch.Tensor:
        """Re-generate ``(B, num_frames, V * in_channels)`` from z."""
        out, _ = self.decoder(self.decoder_inputs(z, num_frames))
        return self.readout(out)

    def losses(self, x: torch.Tensor, recon: torch.Tensor, lengths: torch.Tensor,
               mu: torch.Tensor, logvar: torch.Tensor) -> Dict[str, torch.Tensor]:
        """The two documented terms (see the class docstring); padded frames are masked."""
        mask = self.valid_mask(lengths, x.shape[1]).to(x.dtype)
        per_frame = ((x - recon) ** 2).sum(-1) * mask
        loss_rec = (per_frame.sum(1) / lengths.to(x.dtype)).mean()
        kl = -0.5 * (1 + logvar - mu.pow(2) - logvar.exp()).sum(1)
        return dict(loss_rec=loss_rec, loss_kl=self.kl_weight * kl.mean())

    # ------------------------------------------------------------------ mmengine API
    def _lengths(self, inputs: torch.Tensor, lengths: Optional[torch.Tensor],
                 data_samples: Optional[list]) -> torch.Tensor:
        if lengths is None and data_samples is not None and all(
                'seq_len' in s.metainfo for s in data_samples):
            lengths = torch.tensor([s.metainfo['seq_len'] for s in data_samples])
        if lengths is None:  # a plain, already-equal-length batch
            t = inputs.shape[-3]
            return torch.full((inputs.shape[0],), t, dtype=torch.long, device=inputs.device)
        return lengths.to(inputs.device)

    def _encode_batch(self, inputs: torch.Tensor, data_samples: Optional[list],
                      lengths: Optional[torch.Tensor]):
        """``(B, M, T, V, C)`` padded batch -> (sequences, lengths, encoder outputs).

        ``lengths`` (B,) are the true lengths (from :class:`MGSkeletonSequencePreprocessor`);
        without them the data samples' ``seq_len`` metainfo, else all ``T`` frames."""
        lengths = self._lengths(inputs, lengths, data_samples)
        x = self.sequences(inputs, lengths)
        return x, lengths, self.encode(x, lengths)

    def loss(self, inputs: torch.Tensor, data_samples: Optional[list] = None,
             lengths: Optional[torch.Tensor] = None) -> Dict[str, torch.Tensor]:
        """Reconstruction and KL losses of a padded batch (``mode='loss'``)."""
        x, lengths, enc = self._encode_batch(inputs, data_samples, lengths)
        mu, logvar = enc['mu'], enc['logvar']
        z = mu + torch.exp(0.5 * logvar) * torch.randn_like(mu)
        recon = self.decode(z, x.shape[1])
        return self.losses(x, recon, lengths, mu, logvar)

    def forward_tensor(self, inputs: torch.Tensor, data_samples: Optional[list] = None,
                       lengths: Optional[torch.Tensor] = None) -> torch.Tensor:
        """The ``feature`` of each sequence (``mode='tensor'``)."""
        return self._encode_batch(inputs, data_samples, lengths)[2][self.feature]

    def predict(self, inputs: torch.Tensor, data_samples: Optional[list] = None,
                lengths: Optional[torch.Tensor] = None) -> list:
        """Data samples with the sequence ``feature`` (``mode='predict'``)."""
        if data_samples is None:
            raise ValueError("mode='predict' needs data_samples")
        feats = self.forward_tensor(inputs, data_samples, lengths)
        for sample, feat in zip(data_samples, feats):
            sample.set_field(feat.detach(), 'feature')
        return data_samples


# Earlier registered names, kept as aliases so that configs written before the MG prefix build.
MODELS.register_module(name='USVAE', module=MGUSVAE)
