printf x\
