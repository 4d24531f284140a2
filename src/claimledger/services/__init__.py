"""Services: what the CLI and the API both call, above the stages and the store.

Each service runs the analysis (the stages) and hands the result to the store:
:mod:`~claimledger.services.ingest` (a batch of inputs, serially, in processes or on Dask; one
Document), :mod:`~claimledger.services.analysis` (the unit of work a worker runs),
:mod:`~claimledger.services.registration` (register a claim and judge the stored articles).
"""
