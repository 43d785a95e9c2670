"""Open311 GeoReport v2 server (R2.1, R21.1), mounted at /open311/.

- /open311/discovery.(json|xml); /open311/v2/services.(json|xml), services/{code}.(json|xml);
  requests.(json|xml) GET and POST; requests/{id}.(json|xml);
  servicerequestupdates.(json|xml) (FixMyStreet's extension, keyed).
- API clients live in the admin (Open311 接口客户端) or come from `jiesu open311-key --name X`.
- Rate limits count in Django's cache. Without JIESU_CACHE_URL that is a per-process
  LocMemCache, so each worker counts on its own: production sets JIESU_CACHE_URL to a Redis
  URL so that every worker, on every machine, shares one counter.
"""
