"""GE-CN classification module: global pooling, reparameterisation, linear classifier, MMD loss."""
from typing import Dict, List, Optional, Tuple, Union

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmaction.models.heads.base import BaseHead
from mmaction.registry import MODELS
from mmaction.utils import SampleList


@MODELS.register_module()
class MGGECNHead(BaseHead):
    """The classification module of GE-CN (paper section 3.1 and 4).

    Backbone features ``(N, M, C, T, V)`` are averaged over persons, time and joints, mapped to a
    mean ``mu`` and a log-variance ``logvar`` (two linear layers), and sampled as
    ``z = mu + exp(logvar / 2) * eps`` with ``eps ~ N(0, I)`` during training (``z = mu`` at
    test time). A single linear layer classifies z (softmax inside the cross-entropy / metric).

    GE-CN adds the maximum-mean-discrepancy loss of InfoGCN (its ref. [22]): a class-conditional
    Gaussian prior with fixed, mutually orthogonal class means ``mu_c`` (norm ``prior_gain``);
    the batch's per-class means of z are pulled to their prior means, and the norm of the
    batch mean of z is kept small::

        loss_mmd   = mmd_weight   * mean_{c in batch} mean_d (zbar_c - mu_c)^2
        loss_zmean = zmean_weight * || mean_i z_i ||_2

    Both are added to ``loss_cls`` by mmengine's loss parser.

    Args:
        num_classes (int): Number of classes.
        in_channels (int): Channels of the backbone output. Defaults to 256.
        latent_channels (int, optional): Size of z. Defaults to ``in_channels``.
        loss_cls (dict): Classification loss. Defaults to cross-entropy.
        mmd_weight (float): Weight of the class-mean matching term (InfoGCN lambda_2).
            Defaults to 0.1.
        zmean_weight (float): Weight of the batch-mean norm term (InfoGCN lambda_1).
            Defaults to 1e-4.
        prior_gain (float): Norm of each prior class mean. Defaults to 3.0.
        dropout (float): Dropout on the pooled feature. Defaults to 0.
        average_clips (str, optional): Test-time clip averaging (mmaction2 BaseHead).
        init_cfg (dict, optional): Initialisation config.
    """

    def __init__(self,
                 num_classes: int,
                 in_channels: int = 256,
                 latent_channels: Optional[int] = None,
                 loss_cls: Dict = dict(type='CrossEntropyLoss'),
                 mmd_weight: float = 0.1,
                 zmean_weight: float = 1e-4,
                 prior_gain: float = 3.0,
                 dropout: float = 0.,
                 average_clips: Optional[str] = 'prob',
                 init_cfg: Optional[Union[Dict, List[Dict]]] = None,
                 **kwargs) -> None:
        super().__init__(num_classes, in_channels, loss_cls=loss_cls,
                         average_clips=average_clips, init_cfg=init_cfg, **kwargs)
        latent_channels = latent_channels or in_channels
        self.latent_channels = latent_channels
        self.mmd_weight = mmd_weight
        self.zmean_weight = zmean_weight
        self.dropout = nn.Dropout(dropout) if dropout > 0 else nn.Identity()
        self.fc_mu = nn.Linear(in_channels, latent_channels)
        self.fc_logvar = nn.Linear(in_channels, latent_channels)
        self.fc_cls = nn.Linear(latent_channels, num_classes)
        prior = torch.empty(num_classes, latent_channels)
        # rows orthogonal when num_classes <= latent_channels
        nn.init.orthogonal_(prior, gain=prior_gain)
        self.register_buffer('prior_means', prior)

    def latent(self, x: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """Pool backbone features and sample the latent code.

        Args:
            x (torch.Tensor): ``(N, M, C, T, V)`` (or already pooled ``(N, C)``).

        Returns:
            tuple: ``(z, mu, logvar)``, each ``(N, latent_channels)``.
        """
        if x.dim() == 5:
            x = x.mean(dim=(1, 3, 4))
        x = self.dropout(x)
        mu = self.fc_mu(x)
        logvar = self.fc_logvar(x).clamp(-20., 20.)
        if self.training:
            z = mu + torch.exp(0.5 * logvar) * torch.randn_like(mu)
        else:
            z = mu
        return z, mu, logvar

    def forward(self, x: torch.Tensor, **kwargs) -> torch.Tensor:
        """Class scores ``(N, num_classes)`` from backbone features."""
        return self.fc_cls(self.latent(x)[0])

    def mmd_losses(self, z: torch.Tensor, labels: torch.Tensor) -> Dict[str, torch.Tensor]:
        """The InfoGCN moment-matching MMD terms (see the class docstring)."""
        present, inverse = labels.unique(return_inverse=True)
        counts = torch.bincount(inverse, minlength=len(present)).to(z.dtype)
        class_means = torch.zeros(len(present), z.shape[1], dtype=z.dtype, device=z.device)
        class_means.index_add_(0, inverse, z)
        class_means = class_means / counts[:, None]
        loss_mmd = F.mse_loss(class_means, self.prior_means[present])
        loss_zmean = z.mean(dim=0).norm(p=2)
        return dict(loss_mmd=self.mmd_weight * loss_mmd,
                    loss_zmean=self.zmean_weight * loss_zmean)

    def loss(self, feats: torch.Tensor, data_samples: SampleList, **kwargs) -> Dict:
        """Cross-entropy (+ top-k accuracies) and the MMD terms."""
        z, _, _ = self.latent(feats)
        losses = self.loss_by_feat(self.fc_cls(z), data_samples)
        labels = torch.stack([s.gt_label for s in data_samples]).view(-1).to(z.device)
        if labels.numel() == z.shape[0]:  # hard labels: one per sample
            losses.update(self.mmd_losses(z, labels.long()))
        return losses


# Earlier registered names, kept as aliases so that configs written before the MG prefix build.
MODELS.register_module(name='GECNHead', module=MGGECNHead)
