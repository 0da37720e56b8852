"""`make bench`: speed and size of the generator at 1,000, 10,000 and 100,000 incidents,
each figure side by side with a floor measured in the same run on the same files.

    python -m benchmarks [--sizes 1000,10000] [--build-max N] [--repeat R] [--keep]
    python -m benchmarks.profile --size 10000      # where the time goes (needs pyinstrument)

Datasets come from `generator.synthetic` with a fixed seed and are kept under `bench-out/`
(gitignored) for the next run; the table is printed and written to `docs/performance.md`.
"""
