"""`desk demo`: realistic demo data of any size (generate.py), from recurring questions and
their answers (questions.py), ordinary conversations (script.py, words in text.py) and the
team's and customers' hours (timing.py)."""
