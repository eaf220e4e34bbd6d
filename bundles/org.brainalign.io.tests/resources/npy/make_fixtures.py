"""Writes the .npy/.npz fixtures of NpyTest with NumPy itself, the independent reference for the format.

Run from this folder with any NumPy >= 1.17: python3 make_fixtures.py
The tests recompute the expected values from the same closed-form expressions.
"""
import pickle

import numpy as np

fmt = np.lib.format


def save(name, arr, version=None):
    with open(name, "wb") as f:
        fmt.write_array(f, arr, version=version, allow_pickle=True)


c = (np.arange(12).reshape(3, 4) * 0.5 - 1).astype("<f4")          # v = i * 0.5 - 1
save("f4_little_c.npy", c)
f = np.asfortranarray((np.arange(24) / 7).reshape(2, 3, 4).astype(">f8"))  # v = i / 7, C index i
save("f8_big_fortran.npy", f)
save("f2.npy", np.array([0, 1.5, -2.25, 65504, 2 ** -14, np.inf, np.nan], dtype="<f2"))
save("i1.npy", np.array([-128, -1, 0, 127], dtype="i1"))
save("u1.npy", np.array([0, 1, 200, 255], dtype="u1"))
save("i2_big.npy", np.array([-32768, -300, 0, 32767], dtype=">i2"))
save("u2.npy", np.array([0, 1, 40000, 65535], dtype="<u2"))
save("i4_big_fortran.npy", np.asfortranarray((np.arange(6).reshape(2, 3) - 3).astype(">i4")))  # v = i - 3
save("u4.npy", np.array([0, 1, 4000000000, 4294967295], dtype="<u4"))
save("i8.npy", np.array([-(2 ** 40), -1, 0, 2 ** 40], dtype="<i8"))
save("u8_big.npy", np.array([0, 1, 2 ** 40], dtype=">u8"))
save("bool.npy", np.array([True, False, False, True, True]))
save("v2.npy", (np.arange(5) * 2).astype("<f4"), version=(2, 0))  # v = 2 i
save("v3.npy", (np.arange(5) - 2).astype("<i2"), version=(3, 0))  # v = i - 2
save("scalar.npy", np.array(3.25, dtype="<f8"))
save("object.npy", np.array([{"V1v": 1}], dtype=object))
with open("pickle.npy", "wb") as fh:  # a bare pickle with a .npy name, as mapping_*.npy may be mistaken for
    pickle.dump({"V1v": 1}, fh)
save("unicode.npy", np.array(["V1v", "V1d"]))
a = np.arange(6, dtype="<f4").reshape(2, 3)  # v = i
b = np.array([7, 8, 9], dtype=">i2")
np.savez("stored.npz", a=a, b=b)
np.savez_compressed("deflated.npz", a=a, b=b)
