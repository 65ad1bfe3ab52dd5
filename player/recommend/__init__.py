"""Discovery: audio analysis, the content-based model, radio and the daily mix.

* :mod:`~player.recommend.decode`, :mod:`~player.recommend.features`,
  :mod:`~player.recommend.loudness`, :mod:`~player.recommend.analysis`: one
  track's audio to a feature vector, tempo, key and loudness;
* :mod:`~player.recommend.runner`: the whole library in worker processes,
  cached in the library database (:mod:`player.recommend.store`);
* :mod:`~player.recommend.tagvec`, :mod:`~player.recommend.model`: audio and tag
  similarity, diversity and reasons;
* :mod:`~player.recommend.taste`, :mod:`~player.recommend.smooth`: radio, daily
  mix and smooth ordering; :mod:`~player.recommend.recommender` ties them to a
  library and keeps the model current;
* :mod:`~player.recommend.station`: a radio being played (tops the queue up,
  steers by real playback); :mod:`~player.recommend.shelves`: the lists a
  listener browses (the window's For You page), as plain data.
"""
