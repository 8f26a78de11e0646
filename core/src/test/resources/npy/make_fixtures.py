#!/usr/bin/env python3
"""Writes the small .npy/.npz fixtures read by nclab.io tests (NpyTest, NpzTest, NpyFeatureRowsTest).

Run from anywhere with python3 + numpy:  python3 make_fixtures.py
Every array is arange-based so the Java tests can recompute the expected values:
  1-D float fixtures:  v[i] = 0.5 * i - 1            (length 6)
  1-D integer fixtures: v[i] = i - 3                 (length 7; u1_1d holds 249..255 instead)
  2-D float fixtures:  m[i][j] = 0.25 * (i * 4 + j) - 1   (shape 3x4)
  2-D integer fixtures: m[i][j] = 10 * i + j          (shape 3x4)
The files are committed; the tests never run python.
"""
import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))


def path(name):
    return os.path.join(HERE, name)


def save(name, arr, version=None):
    with open(path(name), "wb") as f:
        np.lib.format.write_array(f, arr, version=version, allow_pickle=False)


vec_f = 0.5 * np.arange(6) - 1
vec_i = np.arange(7) - 3
mat_f = 0.25 * np.arange(12).reshape(3, 4) - 1
mat_i = 10 * np.arange(3).reshape(3, 1) + np.arange(4).reshape(1, 4)

save("f4_1d.npy", vec_f.astype("<f4"))
save("f8_1d.npy", vec_f.astype("<f8"))
save("i4_1d.npy", vec_i.astype("<i4"))
save("i8_1d.npy", vec_i.astype("<i8"))
save("i1_1d.npy", vec_i.astype("|i1"))
save("u1_1d.npy", (np.arange(7) + 249).astype("|u1"))  # 249..255: checks unsigned reading
save("b1_1d.npy", np.array([True, False, True]))
save("i8_big_1d.npy", np.array([2**40 + 1, -(2**40) - 3], dtype="<i8"))
save("f8_be_1d.npy", vec_f.astype(">f8"))
save("i4_be_1d.npy", vec_i.astype(">i4"))

save("f4_2d_c.npy", np.ascontiguousarray(mat_f.astype("<f4")))
save("f8_2d_c.npy", np.ascontiguousarray(mat_f.astype("<f8")))
save("f4_2d_f.npy", np.asfortranarray(mat_f.astype("<f4")))
save("f8_2d_f.npy", np.asfortranarray(mat_f.astype("<f8")))
save("i4_2d_c.npy", np.ascontiguousarray(mat_i.astype("<i4")))
save("i8_2d_f.npy", np.asfortranarray(mat_i.astype("<i8")))
save("f4_2d_be.npy", mat_f.astype(">f4"))
save("f8_2d_v2.npy", mat_f.astype("<f8"), version=(2, 0))
save("f8_2d_v3.npy", mat_f.astype("<f8"), version=(3, 0))
save("f8_scalar.npy", np.array(2.5))
save("f8_2d_empty.npy", np.zeros((0, 4)))

np.savez(path("stored.npz"), features=mat_f.astype("<f8"), labels=vec_i.astype("<i8"))
np.savez_compressed(path("compressed.npz"), features=mat_f.astype("<f4"), labels=vec_i.astype("<i4"),
                    fortran=np.asfortranarray(mat_f))
