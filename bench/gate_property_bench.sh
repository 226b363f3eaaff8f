#!/bin/sh
# The visibility gate's property test with many more random cases than CI runs (nightly-style):
# the queryset, the object check and the plain-Python oracle must agree for every reader.
#
#     sh bench/gate_property_bench.sh [EXAMPLES]        (default 5000)
#
# Prints Hypothesis' statistics (cases run, time per case) and pytest's duration. Add
# GONGKAI_DATABASE_URL=postgres://... in front to run it on PostgreSQL.
set -eu
cd "$(dirname "$0")/.."
GONGKAI_PROPERTY_EXAMPLES="${1:-5000}" exec .venv/bin/python -m pytest -q -p no:cacheprovider \
    --hypothesis-show-statistics --durations=1 \
    "tests/disclosures/test_gate_property.py::test_query_object_check_and_oracle_agree_for_every_reader"
