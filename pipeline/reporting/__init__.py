"""Reports drawn from every review: the yearly figures."""
