"""The shared file cache (kompass.file_cache): trimmed to its size, but without listing
every file on every write (Django's way, which made each cached answer cost 10–50 ms)."""

from kompass import file_cache


def test_the_cache_is_trimmed_on_one_write_in_many(tmp_path, monkeypatch):
    monkeypatch.setattr(file_cache, "CULL_EVERY", 10)
    cache = file_cache.FileCache(str(tmp_path), {"OPTIONS": {"MAX_ENTRIES": 20, "CULL_FREQUENCY": 2}})
    listings = []
    list_files = cache._list_cache_files
    monkeypatch.setattr(cache, "_list_cache_files", lambda: listings.append(1) or list_files())
    for i in range(100):
        cache.set(f"key{i}", i)
    assert len(listings) == 10  # the 1st, 11th, … 91st write
    assert len(list_files()) <= 20 + 10  # never more than the size and the writes between two trims
    assert cache.get("key99") == 99  # written after the last trim


def test_the_site_uses_it():
    from django.conf import settings

    assert settings.CACHES["default"]["BACKEND"] == "kompass.file_cache.FileCache"
