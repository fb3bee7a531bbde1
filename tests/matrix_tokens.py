"""Permission-matrix rows for API tokens and the password change page (see tests/test_permission_matrix.py).

Everyone manages only their own tokens: someone else's token is 404, site admins included (they revoke
tokens in Django's admin). The matrix's API clients are signed in without a token, so `api-logout` (which
revokes the token in use) answers 400 to all of them; tests/test_api_tokens.py signs out with real tokens.
"""

from contributors.profiles.tokens import api_token_create, public_id
from tests.factories import PASSWORD


def matrix_entries(m) -> list:
    def contributors_token(ctx) -> dict:
        token, _ = ctx.once("token", lambda: api_token_create(user=ctx.personas.contributor))
        return {"token_id": public_id(token)}

    def password_change_form(ctx) -> dict:
        new = "a-new-long-passphrase"
        return {"old_password": PASSWORD, "new_password1": new, "new_password2": new}

    page, api, Expect = m.page, m.api, m.Expect  # noqa: N806
    # fmt: off
    return [
        # ---- Pages -----------------------------------------------------------------------------------------
        #     URL name                     method        anon out  con  rev  man  adm
        page("password_change",            "GET",  Expect(302, 200, 200, 200, 200, 200)),
        page("password_change",            "POST", Expect(302, 302, 302, 302, 302, 302), data=password_change_form,
             redirect=m.to("password_change_done")),
        page("password_change_done",       "GET",  Expect(302, 200, 200, 200, 200, 200)),
        page("profile-token-revoke",       "GET",  Expect(302, 404, 200, 404, 404, 404), kwargs=contributors_token),
        page("profile-token-revoke",       "POST", Expect(302, 404, 302, 404, 404, 404), kwargs=contributors_token,
             redirect=m.to("profile-edit")),
        page("profile-tokens-revoke-all",  "GET",  Expect(302, 200, 200, 200, 200, 200)),
        page("profile-tokens-revoke-all",  "POST", Expect(302, 302, 302, 302, 302, 302), redirect=m.to("profile-edit")),

        # ---- API -------------------------------------------------------------------------------------------
        #    URL name             method          anon out  con  rev  man  adm
        api("api-logout",         "POST",   Expect(401, 400, 400, 400, 400, 400)),
        api("api-logout-all",     "POST",   Expect(401, 204, 204, 204, 204, 204)),
        api("api-token-list",     "GET",    Expect(401, 200, 200, 200, 200, 200)),
        api("api-token-detail",   "DELETE", Expect(401, 404, 204, 404, 404, 404), kwargs=contributors_token),
    ]
    # fmt: on
