"""The ``reversibility-kb`` command line (:mod:`.main`), each capability's verbs in its own module,
imported when one of them is run or asked for."""
