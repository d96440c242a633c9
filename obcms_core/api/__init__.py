"""The companion HTTP API: app factory, authentication, rate limits and routers."""
