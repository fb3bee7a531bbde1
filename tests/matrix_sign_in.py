"""Permission-matrix rows for password reset: public pages, the same answer for everyone."""


def matrix_entries(m) -> list:
    everyone_200 = m.Expect(200, 200, 200, 200, 200, 200)
    return [
        m.page("password_reset", "GET", everyone_200),
        m.page(
            "password_reset",
            "POST",
            m.Expect(302, 302, 302, 302, 302, 302),
            data=lambda ctx: {"email": "someone@example.com"},
            redirect=m.to("password_reset_done"),
            public=True,
        ),
        m.page("password_reset_done", "GET", everyone_200),
        # A made-up link: the page says it does not work, and grants nothing.
        m.page(
            "password_reset_confirm",
            "GET",
            everyone_200,
            kwargs=lambda ctx: {"uidb64": "MQ", "token": "not-a-real-token"},
        ),
        m.page("password_reset_complete", "GET", everyone_200),
    ]
