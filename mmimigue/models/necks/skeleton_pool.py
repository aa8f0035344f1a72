"""Global pooling of skeleton backbone features to one vector per sample."""
import torch


def skeleton_global_pool(x: torch.Tensor) -> torch.Tensor:
    """Average backbone features to ``(N, C)``.

    Accepts mmaction2's GCN backbone output ``(N, M, C, T, V)`` (also produced by :class:`MGBiGRU`),
    pooled the way ``GCNHead`` pools it (mean over ``T`` and ``V``, then over persons ``M``), or an
    already pooled ``(N, C)`` tensor, which is returned unchanged.

    Args:
        x (torch.Tensor): ``(N, C)`` or ``(N, M, C, T, V)`` features.

    Returns:
        torch.Tensor: ``(N, C)`` features.
    """
    if x.dim() == 2:
        return x
    if x.dim() == 5:
        return x.mean(dim=(1, 3, 4))
    raise ValueError('expected backbone features shaped (N, C) or (N, M, C, T, V), got '
                     f'{tuple(x.shape)}')
