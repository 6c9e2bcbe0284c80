"""Home page panels and deadlines for case work (registered from CasesConfig.ready)."""
