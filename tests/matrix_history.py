"""Permission-matrix rows for the draft's history pages (see tests/test_permission_matrix.py): whoever may
see the draft may read its older events; everyone else gets 404."""


def matrix_entries(m) -> list:
    # fmt: off
    return [
        #       URL name         method  anon out  con  rev  man  adm
        m.page("draft-history", "GET",  m.Expect(302, 404, 200, 200, 200, 200), kwargs=m.draft_id),
    ]
    # fmt: on
