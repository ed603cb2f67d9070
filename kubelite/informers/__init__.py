"""Shared informers: reflector (list + watch + resume + relist on 410), indexed cache, listers.

Built in the informers issue; nothing here yet."""
