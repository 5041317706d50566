from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.fika.test_pairing import test_every_round_groups_everyone_once_in_twos_and_threes_without_avoidable_repeats as base

inner = base.hypothesis.inner_test

@settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
@given(count=st.integers(2, 120), rounds=st.integers(1, 30), seed=st.integers(0, 2**32), data=st.data())
def test_stress(count, rounds, seed, data):
    inner(count=count, rounds=rounds, seed=seed, data=data)
