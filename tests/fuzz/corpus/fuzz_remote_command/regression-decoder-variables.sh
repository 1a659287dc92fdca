printf %s "${b-unset}${s-unset}"


