"""The sortition-algorithms side of benches/peer/run.sh: its maximin on the
same CSV pools, timed, with the minimum selection probability of its
distribution and of its rounding to a 1000-panel lottery, one JSON line
per pool."""

import csv
import json
import sys
import time

from sortition_algorithms.committee_generation.maximin import find_distribution_maximin
from sortition_algorithms.core import lottery_rounding
from sortition_algorithms.features import read_in_features
from sortition_algorithms.people import read_in_people
from sortition_algorithms.settings import Settings


def load(path):
    with open(path, newline="") as f:
        reader = csv.DictReader(f)
        return reader.fieldnames, list(reader)


def quotas_met(committee, people_rows, features):
    for fname, values in features.items():
        for value, minmax in values.items():
            n = sum(1 for pid in committee if people_rows[pid][fname].lower() == value.lower())
            if not minmax.min <= n <= minmax.max:
                return False
    return True


def main():
    directory, backend = sys.argv[1], sys.argv[2]
    m = int(sys.argv[3]) if len(sys.argv) > 3 else 1000
    for size, seats in [(150, 22), (300, 45), (500, 75)]:
        fhead, fbody = load(f"{directory}/features_{size}.csv")
        features, _, _ = read_in_features(fhead, fbody, seats)
        phead, pbody = load(f"{directory}/people_{size}.csv")
        settings = Settings(
            id_column="id",
            columns_to_keep=[],
            check_same_address=True,
            check_same_address_columns=["address1"],
            solver_backend=backend,
        )
        people, _ = read_in_people(phead, pbody, features, settings)
        rows = {r["id"]: r for r in pbody}
        start = time.perf_counter()
        committees, probabilities, _ = find_distribution_maximin(
            features, people, seats, ["address1"], backend
        )
        seconds = time.perf_counter() - start
        marginal = {pid: 0.0 for pid in rows}
        for c, p in zip(committees, probabilities):
            for pid in c:
                marginal[pid] += p
        start = time.perf_counter()
        lottery = lottery_rounding(committees, probabilities, m)
        rounding = time.perf_counter() - start
        selected = {pid: 0 for pid in rows}
        for c in lottery:
            for pid in c:
                selected[pid] += 1
        households_ok = all(
            len({rows[pid]["address1"] for pid in c}) == len(c) for c in committees
        )
        print(json.dumps({
            "pool": size,
            "panel": seats,
            "backend": backend,
            "committees": len(committees),
            "quotas_met": all(quotas_met(c, rows, features) for c in committees),
            "households_ok": households_ok,
            "distribution_min": round(min(marginal.values()), 6),
            "lottery_min": round(min(selected.values()) / m, 6),
            "seconds": round(seconds, 3),
            "rounding_seconds": round(rounding, 3),
        }), flush=True)


if __name__ == "__main__":
    main()
