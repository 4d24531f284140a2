"""Measuring claimledger against annotated news: corpus readers and span scorers.

``polnear`` reads the PolNeAR attribution corpus (brat standoff) into typed gold records;
``spans`` scores predicted attributions against them (content, content+source, cue, token level).
Nothing here is needed to analyze an article; the benchmark in ``bench/`` and the tests use it.
"""
