"""Baken: the regional platform against human trafficking and exploitation."""

import os

# The estimation engine (baken/insight/estimation) works on many small matrices at once; BLAS
# threads only get in each other's way there (and across bootstrap processes): one per process
# was twice as fast on the 2-core machine (bench/estimation.py). Set before numpy is imported.
for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")
