from rest_framework.pagination import PageNumberPagination


class Pagination(PageNumberPagination):
    """`?page=2`, 100 rows a page by default, `?page_size=` up to 1,000 (Power BI reads the
    `next` link until it is null)."""

    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000
