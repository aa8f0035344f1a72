"""Two-layer feed-forward projection into the joint visual-text space."""
import torch.nn as nn


class ProjectionFNN(nn.Sequential):
    """``Linear(in, hidden) -> GELU -> Dropout -> Linear(hidden, out)``.

    The visual-text heads project backbone features (``v -> v_bar``) and text embeddings
    (``t -> t_bar``) into the D-dimensional joint space with this FNN.

    Args:
        in_channels (int): Input size.
        out_channels (int): Output size (the paper's D = 256).
        hidden_channels (int, optional): Hidden size. Defaults to ``out_channels``.
        dropout (float): Dropout between the layers. Defaults to 0.
    """

    def __init__(self, in_channels: int, out_channels: int, hidden_channels: int = None,
                 dropout: float = 0.0) -> None:
        hidden_channels = hidden_channels or out_channels
        super().__init__(nn.Linear(in_channels, hidden_channels), nn.GELU(), nn.Dropout(dropout),
                         nn.Linear(hidden_channels, out_channels))
        self.in_channels = in_channels
        self.out_channels = out_channels
