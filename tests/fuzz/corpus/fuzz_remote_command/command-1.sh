echo 'single' "double" $HOME `id` $(id) ${VAR} !event
