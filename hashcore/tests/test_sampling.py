"""PDQ's samples of a frame above the reference size: the bicubic scaling folded into the filter
gives the samples of the frame Pillow would scale, for any size."""

import numpy as np
import pytest
from PIL import Image

from hashcore.sampling import _bicubic, _matrix, pdq_samples, reference_size
from hashcore.tests.pictures import photo


@pytest.mark.parametrize(
    ("length", "scaled"), [(960, 512), (540, 288), (2047, 512), (513, 512), (700, 3), (9, 5)]
)
def test_the_scaling_weights_are_pillows_own_bicubic_weights(length: int, scaled: int) -> None:
    identity = Image.fromarray(np.eye(length, dtype=np.float32))
    # Scaling an identity image along its rows gives, in column i, the weights of position i.
    pillow = np.asarray(identity.resize((scaled, length), Image.Resampling.BICUBIC)).T

    ours = _matrix(_bicubic(length, scaled), length)

    np.testing.assert_allclose(ours, pillow, atol=1e-7)


@pytest.mark.parametrize(("width", "height"), [(960, 540), (1401, 333), (600, 2000), (515, 514)])
def test_the_samples_of_a_large_frame_are_those_of_the_frame_pillow_scales(
    width: int, height: int
) -> None:
    luma = photo(width, height, seed=height).convert("F")
    scaled = luma.resize(reference_size(luma.size), Image.Resampling.BICUBIC)

    ours = pdq_samples(np.asarray(luma))
    expected = pdq_samples(np.asarray(scaled))

    np.testing.assert_allclose(ours, expected, atol=1e-3)
