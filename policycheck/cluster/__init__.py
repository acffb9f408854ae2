"""Checking contracts on a Dask distributed cluster (``policycheck run --dask ADDRESS``).

``inputs`` names and reads contracts (shared paths and fsspec URLs), ``worker`` is what runs on
the workers, ``client`` drives a run. Nothing here imports Dask until a run asks for a cluster.
"""
