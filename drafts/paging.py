"""Paginators for draft lists: a page's drafts are read by deferred join, with what the list shows."""

from django.core.paginator import Paginator

from drafts import selectors


class DraftPagePaginator(Paginator):
    """For the pages (the board page): rows from selectors.draft_page_rows."""

    def _get_page(self, object_list, number, paginator):
        return super()._get_page(selectors.draft_page_rows(object_list), number, paginator)
