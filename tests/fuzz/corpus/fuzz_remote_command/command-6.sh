echo a\
