# Data package: the default gazetteer YAML files, installed as claimx._gazetteer.
