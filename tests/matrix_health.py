"""Permission-matrix row for the health check: open to everyone, it answers a status word and nothing else."""


def matrix_entries(m) -> list:
    return [m.page("healthz", "GET", m.Expect(200, 200, 200, 200, 200, 200))]
